/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-registry.h: the one registry of synced tables.
 *
 * For every table that travels between devices and the server this says its
 * columns and their types, which column is the record id, who owns and who
 * may write a record, who receives it (DESIGN.md §3 visibility), which
 * columns are encrypted, and the validation rules of the seed schema.  The
 * server's sync code, the device store and the validators all read this;
 * adding a synced table is adding an entry here and a migration, not a new
 * code path.  Sync columns (version, deleted_at) are not columns here: they
 * are the record's envelope (TfRecord).  enc_key is a column, because it
 * travels with the fields.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  TF_COLUMN_UUID,      /* "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx" */
  TF_COLUMN_TEXT,      /* string; VARCHAR(n) when max_length > 0, else TEXT */
  TF_COLUMN_INTEGER,   /* JSON integer, 32-bit */
  TF_COLUMN_BOOLEAN,   /* JSON true/false */
  TF_COLUMN_DATE,      /* "YYYY-MM-DD" */
  TF_COLUMN_TIME,      /* "HH:MM:SS" */
  TF_COLUMN_TIMESTAMP, /* RFC 3339; emitted in UTC with Z */
  TF_COLUMN_MONEY,     /* decimal string "50.00", DECIMAL(10,2), never a float */
  TF_COLUMN_JSON,      /* JSONB: any JSON value */
} TfColumnType;

typedef enum
{
  TF_COLUMN_NONE      = 0,
  TF_COLUMN_REQUIRED  = 1 << 0, /* NOT NULL without a usable default */
  TF_COLUMN_ENCRYPTED = 1 << 1, /* a "tf1:" envelope; the server never sees plaintext */
  TF_COLUMN_IMMUTABLE = 1 << 2, /* fixed at creation: owner, parent, partition key */
  TF_COLUMN_NONNEG    = 1 << 3, /* money: positive_money domain (>= 0) */
  TF_COLUMN_ADMIN_ONLY = 1 << 4, /* set by an administrator or a verification, never by the owner */
  TF_COLUMN_WAS_PLAIN = 1 << 5, /* encrypted since PostgreSQL migration 0010: older rows may
                                 * still hold plaintext, which a device accepts from the
                                 * server and its owner re-encrypts (tf_vault_encrypt_legacy) */
  TF_COLUMN_SERVER_CLOCK = 1 << 6, /* a timestamp the server sets from its own clock, whatever is
                                    * sent: at creation when also IMMUTABLE (created_at), else at
                                    * every write (updated_at) */
  TF_COLUMN_AUTHOR_CLOCK = 1 << 7, /* the moment its author wrote it, on their device (a mood
                                    * check-in made offline keeps its time); the server takes no
                                    * moment after its own clock, and keeps it once set when
                                    * IMMUTABLE */
  TF_COLUMN_CARE_KEY  = 1 << 8, /* encrypted under the record's care key, which the client and
                                 * the therapist of an appointment or session both hold; the
                                 * other encrypted columns stay under the data key alone */
  TF_COLUMN_SERVER_DECIDED = 1 << 9, /* a value the server may set whatever its author sent (a
                                      * booking's price and length, from the therapist's offer:
                                      * server/tf-sync-rules.c), so no author signs it
                                      * (tf_signed_column_is_signed); a marker only, the rules
                                      * that decide it live in the server */
  TF_COLUMN_SIGNED_IF_SET = 1 << 10, /* added to a table whose records were already signed
                                      * (therapist_blocked_dates.end_date, migration 0018;
                                      * appointments' columns of 0016 and series_id, 0021):
                                      * its null is left out of what an author signs, so a
                                      * record signed before the column existed still
                                      * verifies; a value is signed like any other
                                      * (tf-signed.c) */
  TF_COLUMN_SIGNED_IF_TRUE = 1 << 11, /* a boolean added with DEFAULT FALSE to such a table
                                       * (appointments.late_cancellation, 0016), so the older
                                       * rows hold false: its null and its false, which both
                                       * mean no, are left out of what is signed; true is
                                       * signed.  Not for a flag whose null means something
                                       * else than false (sessions.shared_with_client) */
} TfColumnFlags;

/* Text formats beyond length: the seed's domains and the clinical codes.  For
 * an encrypted column the format applies to the plaintext, on the device. */
typedef enum
{
  TF_FORMAT_NONE,
  TF_FORMAT_EMAIL,      /* the seed's `email` domain */
  TF_FORMAT_PHONE,      /* the seed's `phone` domain */
  TF_FORMAT_ICD10_LIST, /* JSON array of ICD-10 codes, or of {"code": ...} objects */
  TF_FORMAT_TIMEZONE,   /* an IANA zone this machine knows */
  TF_FORMAT_LANGUAGE,   /* BCP 47-ish: "el", "en", "el-GR" */
  TF_FORMAT_URL,        /* http(s) URL */
  TF_FORMAT_AMKA,       /* ΑΜΚΑ, the Greek social security number: 11 digits, a DDMMYY
                         * date, a Luhn check digit (tf_validate_amka); usually on an
                         * encrypted column, so checked on the device */
  TF_FORMAT_SIGNATURE,  /* a signature text of tf-signed.h: "tfs1:" KEYID ":" base64 Ed25519;
                         * the server checks its shape only (it cannot verify it) */
} TfColumnFormat;

typedef struct
{
  const char          *name;
  TfColumnType         type;
  TfColumnFlags        flags;
  guint                max_length;   /* characters: the seed's VARCHAR(n); for an encrypted
                                      * column, of the plaintext; 0 = the default cap
                                      * (tf_column_max_chars) */
  gboolean             has_range;
  gint64               min;          /* inclusive, when has_range */
  gint64               max;          /* inclusive, when has_range */
  const char * const  *choices;      /* NULL-terminated enum CHECK, or NULL */
  TfColumnFormat       format;
  const char          *references;   /* table the value refers to, or NULL */
  const char          *verifies;     /* a verified flag: the column it vouches for; a new
                                      * value there clears the flag (license_verified) */
} TfColumn;

/* Who may write a record of the table (the server enforces it). */
typedef enum
{
  TF_WRITER_OWNER,     /* the user in owner_column (or owning the parent record) */
  TF_WRITER_THERAPIST, /* only a therapist: the one in therapist_column */
  TF_WRITER_CARE,      /* the client or the therapist of the record */
  TF_WRITER_ADMIN,     /* business_admin or super_admin (shared catalogue) */
} TfWriter;

/* Who receives a record in their pull (DESIGN.md §3). */
typedef enum
{
  TF_AUDIENCE_OWNER_SHARED, /* owner; their therapist while the client shares */
  TF_AUDIENCE_CARE,         /* the client and their therapist(s) */
  TF_AUDIENCE_THERAPIST,    /* the therapist only (treatment plans may be shared) */
  TF_AUDIENCE_DIRECTORY,    /* every signed-in user */
} TfAudience;

typedef struct _TfTable TfTable;

/* A column of the record the server makes at registration (TfTable.server_creates),
 * among those its owner signs: @value NULL when registration writes what
 * the person typed there (any value but null), else the JSON text of the
 * default the row takes ("true", "\"el\"").  The list ends with a NULL
 * @column; a signed column it does not name is null at registration. */
typedef struct
{
  const char *column;
  const char *value;
} TfRegistered;

/* A rule across fields (end after start ...).  @get returns the field's
 * current value as a string (NULL when null or absent). */
typedef gboolean (*TfTableRule) (const TfTable *table,
                                 const char *(*get) (gpointer data, const char *column),
                                 gpointer       data,
                                 GError       **error);

struct _TfTable
{
  const char     *name;
  const TfColumn *columns;
  guint           n_columns;
  const char     *key_column;        /* the column that is the record id */
  const char     *owner_column;      /* the user who owns the record, or NULL (via parent) */
  const char     *client_column;     /* the client the record is about, or NULL */
  const char     *therapist_column;  /* the therapist of the record, or NULL */
  const char     *parent_column;     /* record whose owner owns this one (goal_id ...) */
  const char     *parent_table;
  const char     *shared_column;     /* boolean column that shares the record with the other
                                      * side: a journal entry with the therapist, a session's
                                      * care columns with the client (NULL there: shared) */
  const char     *recipient_column;  /* a user the record is addressed to (key grants) */
  const char     *partition_column;  /* PostgreSQL partition key (immutable), or NULL */
  TfWriter        writer;
  TfAudience      audience;
  TfTableRule     rule;
  gboolean        conflict_copy_syncs; /* a conflict copy may become a record of its own on
                                        * the server (a second entry does no harm) */
  const char * const *unique_together; /* columns one live record only may hold together
                                        * (NULL-terminated), or NULL: two devices that
                                        * write the same values under two ids meet there */
  const TfRegistered *server_creates; /* non-NULL: the server itself writes each
                                      * account's first record (at registration, from what
                                      * the person typed), so it is unsigned — server-authored
                                      * — until the owner's device writes it again, signed;
                                      * devices take it unsigned only in this form
                                      * (tf_signed_is_registered_form), never once they hold it
                                      * signed, never changed (docs/encryption.md, "Unsigned
                                      * records").  Every other table's records of another
                                      * writer must be signed. */
};

/* All synced tables, in dependency order (a table after those it refers to). */
const TfTable  *tf_registry_get_tables  (guint         *n_tables);
/* NULL when @name is not a synced table. */
const TfTable  *tf_registry_lookup      (const char    *name);

const TfColumn *tf_table_get_column     (const TfTable *table,
                                         const char    *name);
gboolean        tf_table_has_encrypted  (const TfTable *table);

/* Length caps.  Every text-like value has one, so no field can carry a
 * megabyte: VARCHAR(n) where the seed gives n, else these defaults.  An
 * encrypted column's cap is on its plaintext (checked on the device before
 * encryption) and, on the envelope the server sees, the size of an
 * envelope of that much plaintext — so a column that becomes encrypted
 * keeps its cap and gains the envelope's without another entry. */
#define TF_TEXT_MAX_CHARS    10000   /* a TEXT column */
#define TF_JSON_MAX_CHARS    10000   /* a JSONB column, as compact JSON text */
#define TF_SECRET_MAX_CHARS  100000  /* an encrypted column's plaintext (a journal entry,
                                      * a session note) */

/* Characters @column may hold (its plaintext when encrypted); 0 for types
 * that have no length (numbers, dates, UUIDs ...). */
guint           tf_column_max_chars     (const TfColumn *column);
/* Bytes of the largest "tf1:" envelope of an encrypted @column; 0 when
 * @column is not encrypted. */
gsize           tf_column_max_envelope  (const TfColumn *column);

G_END_DECLS
