/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-request-head.c: decides about a request head before libsoup sees it.
 *
 * libsoup 3.2 answers some bad heads with an empty body, closes on others
 * without a word (a head over 64 KiB, a 100 KB request line), and takes the
 * last of two different Content-Length headers (a request smuggled past a
 * proxy that took the first).  So the connection layer (tf-conn.c) holds
 * back a request's head until it is complete, and this file decides: pass
 * it on, or refuse it with a status and the JSON error every other answer
 * has.  A body over the limit is refused from its declared length, before
 * a byte of it is read.
 *
 * What passes here also passes libsoup's own parser: the request line and
 * headers are parsed with soup_headers_parse_request(), and the request
 * target and Host get the checks libsoup would otherwise answer with an
 * empty 400.
 */
#define G_LOG_DOMAIN "tf-conn"

#include "config.h"

#include <libsoup/soup.h>
#include <string.h>

#include "tf-request-head.h"

#define REFUSE_WITH(s, c, m) \
  (refusal->status = (s), refusal->code = (c), refusal->message = (m), TF_REQUEST_HEAD_REFUSED)
#define REFUSE(s, c, m) REFUSE_WITH (s, c, g_strdup (m))

/* RFC 9110 tchar: what a method may be made of. */
static gboolean
is_tchar (guchar c)
{
  return g_ascii_isalnum (c) || (c != '\0' && strchr ("!#$%&'*+-.^_`|~", c) != NULL);
}

/* The end of the head: the byte after its blank line, or 0. */
static gsize
find_head_end (const guint8 *data, gsize len, gsize *fields_len)
{
  for (gsize i = 0; i + 1 < len; i++)
    {
      if (data[i] != '\n')
        continue;
      if (data[i + 1] == '\n')
        {
          *fields_len = i + 1;
          return i + 2;
        }
      if (data[i + 1] == '\r' && i + 2 < len && data[i + 2] == '\n')
        {
          *fields_len = i + 1;
          return i + 3;
        }
    }
  return 0;
}

/* One Content-Length however often it is repeated: all copies equal, each
 * a plain decimal number.  Returns FALSE on anything else. */
static gboolean
parse_content_length (const char *list, guint64 *out)
{
  g_auto(GStrv) values = g_strsplit (list, ",", -1);
  gboolean seen = FALSE;

  for (guint i = 0; values[i] != NULL; i++)
    {
      const char *v = g_strstrip (values[i]);
      guint64 n = 0;
      gsize digits = strlen (v);

      if (digits == 0 || digits > 18 || strspn (v, "0123456789") != digits)
        return FALSE;
      n = g_ascii_strtoull (v, NULL, 10);
      if (seen && n != *out)
        return FALSE;
      *out = n;
      seen = TRUE;
    }
  return seen;
}

/* The request target as libsoup will resolve it (parse_headers() and
 * got_headers() in libsoup 3.2's server). */
static gboolean
target_is_acceptable (const char *method, const char *target, const char *host,
                      SoupHTTPVersion version)
{
  g_autofree char *url = NULL;
  g_autofree char *decoded = NULL;

  if (host != NULL && strchr (host, '/') != NULL)
    return FALSE;
  if (strcmp (method, "CONNECT") == 0 || (strcmp (target, "*") == 0 && host != NULL))
    return TRUE;
  if (*target != '/')
    return g_uri_is_valid (target, SOUP_HTTP_URI_FLAGS, NULL);
  if (host == NULL && version != SOUP_HTTP_1_0)
    return FALSE;
  url = g_strconcat ("http://", host ? host : "localhost", target, NULL);
  if (!g_uri_is_valid (url, SOUP_HTTP_URI_FLAGS, NULL))
    return FALSE;
  if (strchr (target, '%') == NULL)
    return TRUE;
  decoded = g_uri_unescape_string (target, NULL);
  return decoded != NULL && strstr (decoded, "/../") == NULL && !g_str_has_suffix (decoded, "/..");
}

TfRequestHeadResult
tf_request_head_check (const guint8 *data, gsize len, guint64 body_limit, gsize *head_len,
                       guint64 *content_length, TfRefusal *refusal)
{
  const guint8 *newline = memchr (data, '\n', len);
  gsize line_len = newline ? (gsize) (newline - data) : len;
  gsize fields_len = 0, end, lines = 0;
  g_autofree char *text = NULL;
  g_autoptr(SoupMessageHeaders) headers = NULL;
  g_autofree char *method = NULL, *target = NULL;
  const char *lengths;
  SoupHTTPVersion version;
  guint status;
  gsize i;

  g_return_val_if_fail (data != NULL || len == 0, TF_REQUEST_HEAD_MORE);

  /* Binary noise (a TLS hello on the plain port, say) is refused at its
   * first byte instead of waiting for a line end that never comes. */
  for (i = 0; i < line_len && data[i] != ' '; i++)
    if (!is_tchar (data[i]))
      return REFUSE (SOUP_STATUS_BAD_REQUEST, "bad_request", "this is not an HTTP request");
  if (line_len > TF_REQUEST_LINE_MAX)
    return REFUSE (SOUP_STATUS_REQUEST_URI_TOO_LONG, "uri_too_long",
                   "the request line is too long");
  if (newline == NULL)
    return TF_REQUEST_HEAD_MORE;
  end = find_head_end (data, len, &fields_len);
  if (end == 0 ? len > TF_REQUEST_HEAD_MAX : end > TF_REQUEST_HEAD_MAX)
    return REFUSE (431, "headers_too_large", "the request headers are too large");
  if (end == 0)
    return TF_REQUEST_HEAD_MORE;
  for (i = 0; i < fields_len; i++)
    lines += data[i] == '\n';
  if (lines - 1 > TF_REQUEST_FIELDS_MAX)
    return REFUSE (431, "headers_too_large", "the request has too many headers");

  text = g_strndup ((const char *) data, fields_len);
  headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_REQUEST);
  status = soup_headers_parse_request (text, (int) fields_len, headers, &method, &target, &version);
  if (status == SOUP_STATUS_HTTP_VERSION_NOT_SUPPORTED)
    return REFUSE (status, "http_version_not_supported", "only HTTP/1.0 and HTTP/1.1 are spoken");
  if (status == SOUP_STATUS_EXPECTATION_FAILED)
    return REFUSE (status, "expectation_failed", "the only expectation understood is 100-continue");
  if (!SOUP_STATUS_IS_SUCCESSFUL (status) || memchr (data, '\0', fields_len) != NULL)
    return REFUSE (SOUP_STATUS_BAD_REQUEST, "bad_request", "the request head is malformed");
  if (!target_is_acceptable (method, target, soup_message_headers_get_one (headers, "Host"),
                             version))
    return REFUSE (SOUP_STATUS_BAD_REQUEST, "bad_request", "the request target is malformed");

  /* Framing: the body's length must be beyond doubt, or a proxy in front
   * and this server could disagree on where the next request begins. */
  *content_length = 0;
  lengths = soup_message_headers_get_list (headers, "Content-Length");
  if (soup_message_headers_get_list (headers, "Transfer-Encoding") != NULL)
    {
      if (lengths != NULL)
        return REFUSE (SOUP_STATUS_BAD_REQUEST, "bad_request",
                       "Content-Length and Transfer-Encoding together");
      /* A body without a length could be of any size. */
      return REFUSE (SOUP_STATUS_LENGTH_REQUIRED, "length_required",
                     "send the body with a Content-Length");
    }
  if (lengths != NULL && !parse_content_length (lengths, content_length))
    return REFUSE (SOUP_STATUS_BAD_REQUEST, "bad_request",
                   "the Content-Length is not one decimal number");
  if (*content_length > body_limit)
    return REFUSE_WITH (SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "too_large",
                        g_strdup_printf ("the request body is larger than %" G_GUINT64_FORMAT
                                         " bytes", body_limit));
  *head_len = end;
  return TF_REQUEST_HEAD_DONE;
}
