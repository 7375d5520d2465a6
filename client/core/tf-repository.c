/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-repository.c: GListModel over the vault, reloaded on TfStore::changed.
 *
 * Every repository is a load function and the tables it reads: one
 * table's records (tf_vault_list) or what a derived load makes of several.
 * Both reload, and announce what differs, by the same code.
 */
#define G_LOG_DOMAIN "tf-repository"

#include "config.h"

#include "tf-registry.h"
#include "tf-repository.h"

/* --- TfItem --------------------------------------------------------------- */

struct _TfItem
{
  GObject     parent_instance;
  JsonObject *plain;
  char       *text;   /* the plain form serialised: equality of two loads */
};

G_DEFINE_FINAL_TYPE (TfItem, tf_item, G_TYPE_OBJECT)

static void
tf_item_finalize (GObject *object)
{
  TfItem *self = TF_ITEM (object);

  json_object_unref (self->plain);
  g_free (self->text);
  G_OBJECT_CLASS (tf_item_parent_class)->finalize (object);
}

static void
tf_item_class_init (TfItemClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = tf_item_finalize;
}

static void
tf_item_init (TfItem *self)
{
}

TfItem *
tf_item_new (JsonObject *plain)
{
  TfItem *self;
  g_autoptr(JsonNode) node = NULL;

  g_return_val_if_fail (plain != NULL, NULL);

  self = g_object_new (TF_TYPE_ITEM, NULL);
  node = json_node_init_object (json_node_alloc (), plain);

  self->plain = json_object_ref (plain);
  self->text = json_to_string (node, FALSE);
  return self;
}

JsonObject *
tf_item_get_plain (TfItem *self)
{
  g_return_val_if_fail (TF_IS_ITEM (self), NULL);

  return self->plain;
}

const char *
tf_item_get_string (TfItem *self, const char *member)
{
  g_return_val_if_fail (TF_IS_ITEM (self), NULL);

  return tf_json_get_string (self->plain, member);
}

const char *
tf_item_get_id (TfItem *self)
{
  const char *id = tf_item_get_string (self, "id");

  /* Tables keyed by their owner (profiles, intakes, histories). */
  if (id == NULL)
    id = tf_item_get_string (self, "user_id");
  if (id == NULL)
    id = tf_item_get_string (self, "client_id");
  return id;
}

gint64
tf_item_get_int (TfItem *self, const char *member, gint64 fallback)
{
  g_return_val_if_fail (TF_IS_ITEM (self), fallback);

  return json_object_get_int_member_with_default (self->plain, member, fallback);
}

gboolean
tf_item_get_boolean (TfItem *self, const char *member, gboolean fallback)
{
  g_return_val_if_fail (TF_IS_ITEM (self), fallback);

  return json_object_get_boolean_member_with_default (self->plain, member, fallback);
}

/* --- TfRepository --------------------------------------------------------- */

struct _TfRepository
{
  GObject           parent_instance;
  TfVault          *vault;
  GStrv             tables;      /* the tables whose changes reload it */
  gboolean          encrypted;   /* one of them is: grants reload it too */
  TfRepositoryLoad  load;
  gpointer          load_data;
  GDestroyNotify    load_destroy;
  GPtrArray        *items;
  GError        *error;
  GMainContext  *context;     /* where reloads run and items-changed is emitted */
  gulong         changed_id;
  TfRepositoryNextChange next_change;  /* tf_repository_reload_when, or NULL */
  GSource       *clock;       /* the reload at the records' next change, or NULL */
  gint           scheduled;   /* atomic: a reload is pending */
};

enum { PROP_0, PROP_N_ITEMS, PROP_ERROR, N_PROPS };
static GParamSpec *properties[N_PROPS];

static void tf_repository_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TfRepository, tf_repository, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      tf_repository_list_model_init))

static GType
get_item_type (GListModel *model)
{
  return TF_TYPE_ITEM;
}

static guint
get_n_items (GListModel *model)
{
  return TF_REPOSITORY (model)->items->len;
}

static gpointer
get_item (GListModel *model, guint position)
{
  TfRepository *self = TF_REPOSITORY (model);

  if (position >= self->items->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->items, position));
}

static void
tf_repository_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = get_item_type;
  iface->get_n_items = get_n_items;
  iface->get_item = get_item;
}

static void
tf_repository_dispose (GObject *object)
{
  TfRepository *self = TF_REPOSITORY (object);

  if (self->changed_id != 0)
    {
      g_signal_handler_disconnect (tf_vault_get_store (self->vault), self->changed_id);
      self->changed_id = 0;
    }
  tf_repository_reload_when (self, NULL);
  g_clear_object (&self->vault);
  G_OBJECT_CLASS (tf_repository_parent_class)->dispose (object);
}

static void
tf_repository_finalize (GObject *object)
{
  TfRepository *self = TF_REPOSITORY (object);

  g_ptr_array_unref (self->items);
  g_clear_error (&self->error);
  g_strfreev (self->tables);
  if (self->load_destroy != NULL)
    self->load_destroy (self->load_data);
  g_main_context_unref (self->context);
  G_OBJECT_CLASS (tf_repository_parent_class)->finalize (object);
}

static void
tf_repository_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  switch (prop_id)
    {
    case PROP_N_ITEMS:
      g_value_set_uint (value, TF_REPOSITORY (object)->items->len);
      break;
    case PROP_ERROR:
      g_value_set_boxed (value, TF_REPOSITORY (object)->error);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tf_repository_class_init (TfRepositoryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tf_repository_dispose;
  object_class->finalize = tf_repository_finalize;
  object_class->get_property = tf_repository_get_property;
  properties[PROP_N_ITEMS] = g_param_spec_uint ("n-items", NULL, NULL, 0, G_MAXUINT, 0,
                                                G_PARAM_READABLE | G_PARAM_STATIC_STRINGS |
                                                G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_ERROR] = g_param_spec_boxed ("error", NULL, NULL, G_TYPE_ERROR,
                                               G_PARAM_READABLE | G_PARAM_STATIC_STRINGS |
                                               G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tf_repository_init (TfRepository *self)
{
  self->items = g_ptr_array_new_with_free_func (g_object_unref);
}

static gboolean
same_item (TfItem *a, TfItem *b)
{
  return g_strcmp0 (a->text, b->text) == 0;
}

/* At most this long between two looks at the clock: a suspended computer
 * or a clock set forward wakes a timeout late. */
#define LONGEST_WAIT_MS (60 * 60 * 1000)

static gboolean
clock_ticked (gpointer data)
{
  TfRepository *self = data;

  /* tf_repository_refresh schedules the next one. */
  g_clear_pointer (&self->clock, g_source_unref);
  tf_repository_refresh (self, NULL);
  return G_SOURCE_REMOVE;
}

/* One timeout at the next change of @records (JsonObject), if any. */
static void
schedule_next_change (TfRepository *self, GPtrArray *records)
{
  gint64 now = g_get_real_time ();
  gint64 next;
  gint64 wait_ms;

  if (self->clock != NULL)
    {
      g_source_destroy (self->clock);
      g_clear_pointer (&self->clock, g_source_unref);
    }
  if (self->next_change == NULL || self->vault == NULL || records == NULL)
    return;
  next = self->next_change (records, now);
  if (next <= 0)
    return;
  /* Just past the instant, so that the load sees it come. */
  wait_ms = MIN (MAX (next - now, 0) / 1000 + 1, LONGEST_WAIT_MS);
  self->clock = g_timeout_source_new ((guint) wait_ms);
  g_source_set_callback (self->clock, clock_ticked, self, NULL);
  g_source_set_static_name (self->clock, "[tf] repository clock");
  g_source_attach (self->clock, self->context);
}

void
tf_repository_reload_when (TfRepository *self, TfRepositoryNextChange next_change)
{
  g_autoptr(GPtrArray) records = NULL;

  g_return_if_fail (TF_IS_REPOSITORY (self));

  self->next_change = next_change;
  records = g_ptr_array_new ();
  for (guint i = 0; i < self->items->len; i++)
    g_ptr_array_add (records, tf_item_get_plain (g_ptr_array_index (self->items, i)));
  schedule_next_change (self, records);
}

gboolean
tf_repository_refresh (TfRepository *self, GError **error)
{
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) old_error = NULL;
  GPtrArray *old;
  guint start = 0, old_end, new_end;

  g_return_val_if_fail (TF_IS_REPOSITORY (self), FALSE);

  old_error = g_steal_pointer (&self->error);
  records = self->load (self->vault, self->load_data, &self->error);
  items = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; records != NULL && i < records->len; i++)
    g_ptr_array_add (items, tf_item_new (g_ptr_array_index (records, i)));

  /* Announce only what differs: the common head and tail stay. */
  schedule_next_change (self, records);
  old = self->items;
  while (start < old->len && start < items->len &&
         same_item (g_ptr_array_index (old, start), g_ptr_array_index (items, start)))
    start++;
  old_end = old->len;
  new_end = items->len;
  while (old_end > start && new_end > start &&
         same_item (g_ptr_array_index (old, old_end - 1), g_ptr_array_index (items, new_end - 1)))
    old_end--, new_end--;
  self->items = g_steal_pointer (&items);
  if (old_end > start || new_end > start)
    g_list_model_items_changed (G_LIST_MODEL (self), start, old_end - start, new_end - start);
  if (old->len != self->items->len)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
  if (g_strcmp0 (old_error ? old_error->message : NULL,
                 self->error ? self->error->message : NULL) != 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
  g_ptr_array_unref (old);

  if (self->error != NULL)
    {
      if (error != NULL)
        *error = g_error_copy (self->error);
      return FALSE;
    }
  return TRUE;
}

guint
tf_repository_get_n_items (TfRepository *self)
{
  g_return_val_if_fail (TF_IS_REPOSITORY (self), 0);

  return self->items->len;
}

const GError *
tf_repository_get_error (TfRepository *self)
{
  g_return_val_if_fail (TF_IS_REPOSITORY (self), NULL);

  return self->error;
}

TfItem *
tf_repository_dup_item (TfRepository *self, const char *id)
{
  g_return_val_if_fail (TF_IS_REPOSITORY (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  for (guint i = 0; i < self->items->len; i++)
    {
      TfItem *item = g_ptr_array_index (self->items, i);

      if (g_strcmp0 (tf_item_get_id (item), id) == 0)
        return g_object_ref (item);
    }
  return NULL;
}

static gboolean
reload_cb (gpointer data)
{
  TfRepository *self = data;

  g_atomic_int_set (&self->scheduled, 0);
  tf_repository_refresh (self, NULL);
  return G_SOURCE_REMOVE;
}

/* May run in a sync thread: schedule one reload in our own context. */
static void
on_store_changed (TfStore *store, const char *table, const char *id, gpointer data)
{
  TfRepository *self = data;
  gboolean relevant = g_strv_contains ((const char *const *) self->tables, table) ||
                      (self->encrypted && g_strcmp0 (table, "key_grants") == 0);
  g_autoptr(GSource) source = NULL;

  if (!relevant || !g_atomic_int_compare_and_exchange (&self->scheduled, 0, 1))
    return;
  source = g_idle_source_new ();
  g_source_set_priority (source, G_PRIORITY_DEFAULT_IDLE);
  g_source_set_callback (source, reload_cb, g_object_ref (self), g_object_unref);
  g_source_set_static_name (source, "[tf-repository] reload");
  g_source_attach (source, self->context);
}

TfRepository *
tf_repository_new_derived (TfVault *vault, const char *const *tables, TfRepositoryLoad load,
                           gpointer data, GDestroyNotify destroy)
{
  TfRepository *self;

  g_return_val_if_fail (TF_IS_VAULT (vault), NULL);
  g_return_val_if_fail (tables != NULL && tables[0] != NULL, NULL);
  g_return_val_if_fail (load != NULL, NULL);

  self = g_object_new (TF_TYPE_REPOSITORY, NULL);
  self->vault = g_object_ref (vault);
  self->tables = g_strdupv ((char **) tables);
  for (guint i = 0; tables[i] != NULL; i++)
    {
      const TfTable *table = tf_registry_lookup (tables[i]);

      g_return_val_if_fail (table != NULL, self);
      self->encrypted |= tf_table_has_encrypted (table);
    }
  self->load = load;
  self->load_data = data;
  self->load_destroy = destroy;
  self->context = g_main_context_ref_thread_default ();
  self->changed_id = g_signal_connect (tf_vault_get_store (vault), "changed",
                                       G_CALLBACK (on_store_changed), self);
  tf_repository_refresh (self, NULL);
  return self;
}

/* --- one table's records --------------------------------------------------- */

typedef struct
{
  const TfTable *table;
  char          *column;  /* NULL: every record */
  char          *value;
} TableQuery;

static void
table_query_free (gpointer data)
{
  TableQuery *query = data;

  g_free (query->column);
  g_free (query->value);
  g_free (query);
}

static GPtrArray *
load_table (TfVault *vault, gpointer data, GError **error)
{
  TableQuery *query = data;

  return tf_vault_list (vault, query->table, query->column, query->value, error);
}

TfRepository *
tf_repository_new (TfVault *vault, const TfTable *table, const char *column, const char *value)
{
  const char *tables[] = { NULL, NULL };
  TableQuery *query;

  g_return_val_if_fail (TF_IS_VAULT (vault), NULL);
  g_return_val_if_fail (table != NULL, NULL);

  query = g_new0 (TableQuery, 1);
  query->table = table;
  query->column = g_strdup (column);
  query->value = g_strdup (value);
  tables[0] = table->name;
  return tf_repository_new_derived (vault, tables, load_table, query, table_query_free);
}
