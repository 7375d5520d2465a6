/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-json-check.c: the strict JSON check run before json-glib (see the
 * header for what passes).
 *
 * A loop with an explicit stack of at most TF_JSON_MAX_DEPTH frames, so no
 * input can exhaust the thread's stack.  Strings are scanned with a table of
 * plain bytes and validated as UTF-8 in the same pass; member names are kept
 * per object (unescaped only when they hold an escape) and sorted when the
 * object closes to find a name given twice.
 */
#define G_LOG_DOMAIN "tf-json"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "tf-error.h"
#include "tf-json-check.h"

/* A member name: where its unescaped bytes are. */
typedef struct
{
  gsize    off;        /* into the text, or into Scanner.unescaped */
  gsize    len;
  gboolean unescaped;  /* the name held an escape: its bytes are in Scanner.unescaped */
} Name;

typedef struct
{
  gboolean    object;
  guint       index;           /* array: the element being read */
  const char *key;             /* object: the raw name of the member being read, or NULL */
  gsize       key_len;
  guint       first_name;      /* object: its first entry in Scanner.names */
  gsize       unescaped_len;   /* Scanner.unescaped's length when the frame opened */
} Frame;

typedef struct
{
  const char *start;
  const char *p;
  const char *end;
  Frame       frames[TF_JSON_MAX_DEPTH];
  guint       depth;
  GArray     *names;       /* Name, of the open objects, innermost last */
  GString    *unescaped;   /* unescaped member names that held an escape */
  GError    **error;
} Scanner;

/* Bytes that stand for themselves inside a string: not a quote, backslash,
 * control character or the start of a multi-byte sequence. */
static const guint8 plain[256] = {
#define R16(v) v, v, v, v, v, v, v, v, v, v, v, v, v, v, v, v
  R16 (0), R16 (0),
  1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,   /* 0x22 " */
  R16 (1), R16 (1),
  1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1,   /* 0x5c \ */
  R16 (1), R16 (1),
  R16 (0), R16 (0), R16 (0), R16 (0), R16 (0), R16 (0), R16 (0), R16 (0),
#undef R16
};

/* The longest prefix of @text (at most @max bytes) that ends on a character
 * boundary, for messages: @text is valid UTF-8 when this is called. */
static int
prefix_len (const char *text, gsize len, gsize max)
{
  const char *valid_end;

  if (len <= max)
    return (int) len;
  g_utf8_validate_len (text, max, &valid_end);
  return (int) (valid_end - text);
}

static gboolean
fail_json (Scanner *s, const char *at, const char *reason)
{
  g_set_error (s->error, TF_PROTOCOL_ERROR, TF_PROTOCOL_ERROR_BAD_JSON,
               _("malformed JSON at byte %lu: %s"), (unsigned long) (at - s->start),
               reason);
  return FALSE;
}

/* Where the scanner is, as members and indices: mutations[0].fields.title */
static char *
dup_path (Scanner *s)
{
  GString *path = g_string_new (NULL);

  for (guint i = 0; i < s->depth; i++)
    {
      const Frame *f = &s->frames[i];

      if (!f->object)
        g_string_append_printf (path, "[%u]", f->index);
      else if (f->key != NULL)
        {
          if (path->len > 0)
            g_string_append_c (path, '.');
          g_string_append_len (path, f->key, prefix_len (f->key, f->key_len, 64));
        }
    }
  if (path->len == 0)
    g_string_append (path, _("the document"));
  return g_string_free (path, FALSE);
}

static gboolean
fail_value (Scanner *s, const char *reason)
{
  g_autofree char *path = dup_path (s);

  g_set_error (s->error, TF_PROTOCOL_ERROR, TF_PROTOCOL_ERROR_BAD_VALUE, "%s: %s", path, reason);
  return FALSE;
}

static void
skip_space (Scanner *s)
{
  while (s->p < s->end && (*s->p == ' ' || *s->p == '\n' || *s->p == '\r' || *s->p == '\t'))
    s->p++;
}

/* The length of the UTF-8 sequence at @p (RFC 3629: no overlong forms, no
 * surrogates, nothing above U+10FFFF), or 0. */
static gsize
utf8_sequence (const guchar *p, const guchar *end)
{
  guchar lo = 0x80, hi = 0xBF;
  gsize n;

  if (p[0] >= 0xC2 && p[0] <= 0xDF)
    n = 2;
  else if (p[0] >= 0xE0 && p[0] <= 0xEF)
    {
      n = 3;
      if (p[0] == 0xE0)
        lo = 0xA0;
      else if (p[0] == 0xED)
        hi = 0x9F;
    }
  else if (p[0] >= 0xF0 && p[0] <= 0xF4)
    {
      n = 4;
      if (p[0] == 0xF0)
        lo = 0x90;
      else if (p[0] == 0xF4)
        hi = 0x8F;
    }
  else
    return 0;
  if ((gsize) (end - p) < n || p[1] < lo || p[1] > hi)
    return 0;
  for (gsize i = 2; i < n; i++)
    if ((p[i] & 0xC0) != 0x80)
      return 0;
  return n;
}

static int
hex4 (const char *p, const char *end)
{
  int value = 0;

  if (end - p < 4)
    return -1;
  for (int i = 0; i < 4; i++)
    {
      int d = g_ascii_xdigit_value (p[i]);
      if (d < 0)
        return -1;
      value = value * 16 + d;
    }
  return value;
}

/* One escape after the backslash at s->p; the character it stands for goes
 * to @out when not NULL.  Leaves s->p after the escape. */
static gboolean
scan_escape (Scanner *s, GString *out)
{
  const char *at = s->p;
  gunichar c;
  int u, lo;

  if (s->end - s->p < 2)
    return fail_json (s, at, _("unterminated string"));
  switch (s->p[1])
    {
    case '"': c = '"'; break;
    case '\\': c = '\\'; break;
    case '/': c = '/'; break;
    case 'b': c = '\b'; break;
    case 'f': c = '\f'; break;
    case 'n': c = '\n'; break;
    case 'r': c = '\r'; break;
    case 't': c = '\t'; break;
    case 'u':
      if ((u = hex4 (s->p + 2, s->end)) < 0)
        return fail_json (s, at, _("invalid \\u escape"));
      s->p += 6;
      if (u == 0)
        return fail_value (s, _("text may not contain the character U+0000"));
      if (u >= 0xDC00 && u <= 0xDFFF)
        return fail_value (s, _("a lone surrogate escape is not a character"));
      if (u >= 0xD800 && u <= 0xDBFF)
        {
          if (s->end - s->p < 6 || s->p[0] != '\\' || s->p[1] != 'u' ||
              (lo = hex4 (s->p + 2, s->end)) < 0xDC00 || lo > 0xDFFF)
            return fail_value (s, _("a lone surrogate escape is not a character"));
          s->p += 6;
          u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
        }
      if (out != NULL)
        {
          char utf8[6];
          g_string_append_len (out, utf8, g_unichar_to_utf8 ((gunichar) u, utf8));
        }
      return TRUE;
    default:
      return fail_json (s, at, _("invalid escape in a string"));
    }
  s->p += 2;
  if (out != NULL)
    g_string_append_c (out, (char) c);
  return TRUE;
}

/* The string at s->p (its opening quote).  A member name (@name not NULL)
 * is recorded unescaped for the duplicate check. */
static gboolean
scan_string (Scanner *s, Name *name)
{
  const guchar *end = (const guchar *) s->end;
  const char *first = s->p + 1;
  const char *segment = first;  /* plain bytes not yet copied to the unescaped name */
  gboolean escaped = FALSE;

  s->p = first;
  for (;;)
    {
      const guchar *p = (const guchar *) s->p;
      gsize n;

      while (p < end && plain[*p])
        p++;
      s->p = (const char *) p;
      if (p >= end)
        return fail_json (s, first - 1, _("unterminated string"));
      if (*p == '"')
        break;
      if (*p == '\\')
        {
          if (name != NULL)
            {
              if (!escaped)
                name->off = s->unescaped->len;
              g_string_append_len (s->unescaped, segment, s->p - segment);
            }
          escaped = TRUE;
          if (!scan_escape (s, name != NULL ? s->unescaped : NULL))
            return FALSE;
          segment = s->p;
          continue;
        }
      if (*p < 0x20)
        return fail_json (s, s->p, _("a control character in a string"));
      if ((n = utf8_sequence (p, end)) == 0)
        return fail_json (s, s->p, _("the text is not valid UTF-8"));
      s->p += n;
    }

  if (name != NULL)
    {
      name->unescaped = escaped;
      if (escaped)
        {
          g_string_append_len (s->unescaped, segment, s->p - segment);
          name->len = s->unescaped->len - name->off;
        }
      else
        {
          name->off = (gsize) (first - s->start);
          name->len = (gsize) (s->p - first);
        }
    }
  s->p++;  /* the closing quote */
  return TRUE;
}

static const char *
skip_digits (const char *p, const char *end)
{
  while (p < end && g_ascii_isdigit (*p))
    p++;
  return p;
}

static gboolean
scan_number (Scanner *s)
{
  const char *start = s->p, *p = s->p, *digits;
  gboolean integer = TRUE;

  if (*p == '-')
    p++;
  digits = p;
  if (p >= s->end || !g_ascii_isdigit (*p))
    return fail_json (s, start, _("invalid number"));
  p = *p == '0' ? p + 1 : skip_digits (p, s->end);
  if (p < s->end && *p == '.')
    {
      integer = FALSE;
      if (++p >= s->end || !g_ascii_isdigit (*p))
        return fail_json (s, start, _("invalid number"));
      p = skip_digits (p, s->end);
    }
  if (p < s->end && (*p == 'e' || *p == 'E'))
    {
      integer = FALSE;
      if (++p < s->end && (*p == '+' || *p == '-'))
        p++;
      if (p >= s->end || !g_ascii_isdigit (*p))
        return fail_json (s, start, _("invalid number"));
      p = skip_digits (p, s->end);
    }
  s->p = p;

  if (integer)
    {
      /* json-glib wraps what does not fit in 64 bits around. */
      const char *limit = *start == '-' ? "9223372036854775808" : "9223372036854775807";
      gsize n = (gsize) (p - digits);

      if (n > 19 || (n == 19 && memcmp (digits, limit, 19) > 0))
        return fail_value (s, _("the number is too large"));
    }
  else
    {
      g_autofree char *text = g_strndup (start, (gsize) (p - start));

      if (isinf (g_ascii_strtod (text, NULL)))
        return fail_value (s, _("the number is too large"));
    }
  return TRUE;
}

static gboolean
scan_literal (Scanner *s, const char *word)
{
  gsize n = strlen (word);

  if ((gsize) (s->end - s->p) < n || memcmp (s->p, word, n) != 0)
    return fail_json (s, s->p, _("expected a value"));
  s->p += n;
  return TRUE;
}

static gboolean
push (Scanner *s, gboolean object)
{
  Frame *f;

  if (s->depth == TF_JSON_MAX_DEPTH)
    {
      g_autofree char *reason = g_strdup_printf (_("nested deeper than %d levels"),
                                                 TF_JSON_MAX_DEPTH);
      return fail_json (s, s->p, reason);
    }
  f = &s->frames[s->depth++];
  f->object = object;
  f->index = 0;
  f->key = NULL;
  f->key_len = 0;
  f->first_name = s->names->len;
  f->unescaped_len = s->unescaped->len;
  s->p++;
  return TRUE;
}

static const char *
name_bytes (Scanner *s, const Name *name)
{
  return name->unescaped ? s->unescaped->str + name->off : s->start + name->off;
}

static int
compare_names (gconstpointer a, gconstpointer b, gpointer user_data)
{
  Scanner *s = user_data;
  const Name *x = a, *y = b;
  int c = memcmp (name_bytes (s, x), name_bytes (s, y), MIN (x->len, y->len));

  return c != 0 ? c : (x->len > y->len) - (x->len < y->len);
}

/* Closes the innermost frame; an object's member names must differ. */
static gboolean
pop (Scanner *s)
{
  Frame *f = &s->frames[s->depth - 1];
  guint n = s->names->len - f->first_name;

  if (f->object && n > 1)
    {
      Name *names = &g_array_index (s->names, Name, f->first_name);

      g_qsort_with_data (names, (gint) n, sizeof (Name), compare_names, s);
      for (guint i = 1; i < n; i++)
        if (compare_names (&names[i - 1], &names[i], s) == 0)
          {
            const char *bytes = name_bytes (s, &names[i]);
            g_autofree char *reason =
              g_strdup_printf (_("the member “%.*s” is given twice"),
                               prefix_len (bytes, names[i].len, 64), bytes);
            return fail_json (s, s->p - 1, reason);
          }
    }
  g_array_set_size (s->names, f->first_name);
  g_string_truncate (s->unescaped, f->unescaped_len);
  s->depth--;
  s->p++;
  return TRUE;
}

static gboolean
scan (Scanner *s)
{
  Frame *f;
  Name name;
  const char *key;

  skip_space (s);
  if (s->p == s->end)
    return fail_json (s, s->p, _("the document is empty"));

value:
  skip_space (s);
  if (s->p >= s->end)
    return fail_json (s, s->p, _("expected a value"));
  switch (*s->p)
    {
    case '{':
    case '[':
      {
        gboolean object = *s->p == '{';

        if (!push (s, object))
          return FALSE;
        skip_space (s);
        if (s->p < s->end && *s->p == (object ? '}' : ']'))
          {
            if (!pop (s))
              return FALSE;
            goto next;
          }
        if (object)
          goto member;
        goto value;
      }
    case '"':
      if (!scan_string (s, NULL))
        return FALSE;
      goto next;
    case 't':
    case 'f':
    case 'n':
      if (!scan_literal (s, *s->p == 't' ? "true" : *s->p == 'f' ? "false" : "null"))
        return FALSE;
      goto next;
    case '-': case '0': case '1': case '2': case '3': case '4':
    case '5': case '6': case '7': case '8': case '9':
      if (!scan_number (s))
        return FALSE;
      goto next;
    default:
      return fail_json (s, s->p, _("expected a value"));
    }

member:
  f = &s->frames[s->depth - 1];
  skip_space (s);
  if (s->p >= s->end || *s->p != '"')
    return fail_json (s, s->p, _("expected a member name in quotes"));
  f->key = NULL;  /* a fault inside the name is reported at the object */
  key = s->p + 1;
  if (!scan_string (s, &name))
    return FALSE;
  f->key = key;
  f->key_len = (gsize) (s->p - 1 - key);
  g_array_append_val (s->names, name);
  skip_space (s);
  if (s->p >= s->end || *s->p != ':')
    return fail_json (s, s->p, _("expected “:” after a member name"));
  s->p++;
  goto value;

next:
  skip_space (s);
  if (s->depth == 0)
    {
      if (s->p != s->end)
        return fail_json (s, s->p, _("text after the end of the document"));
      return TRUE;
    }
  f = &s->frames[s->depth - 1];
  if (s->p < s->end && *s->p == ',')
    {
      s->p++;
      if (f->object)
        goto member;
      f->index++;
      goto value;
    }
  if (s->p < s->end && *s->p == (f->object ? '}' : ']'))
    {
      if (!pop (s))
        return FALSE;
      goto next;
    }
  return fail_json (s, s->p, f->object ? _("expected “,” or “}”") : _("expected “,” or “]”"));
}

gboolean
tf_json_check (const char *data, gsize len, GError **error)
{
  Scanner s = { 0 };
  gboolean ok;

  g_return_val_if_fail (data != NULL || len == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  s.start = s.p = data ? data : "";
  s.end = s.start + len;
  s.error = error;
  if (len >= 3 && memcmp (data, "\xef\xbb\xbf", 3) == 0)
    return fail_json (&s, s.p, _("a byte order mark before the document"));

  s.names = g_array_new (FALSE, FALSE, sizeof (Name));
  s.unescaped = g_string_new (NULL);
  ok = scan (&s);
  g_array_unref (s.names);
  g_string_free (s.unescaped, TRUE);
  return ok;
}
