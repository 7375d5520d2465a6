/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * fuzz-request-head.c: the check of a request head before libsoup reads it
 * (server/tf-request-head.c), on the raw bytes a client sends first.
 *
 * Beyond not crashing: a refusal has an error status, a code and a message
 * that can go into a JSON answer (UTF-8); "read more" is said only while the
 * head may still fit its limit; an accepted head ends with its blank line
 * within the bytes given, declares a body within the limit, and is decided
 * the same way when the body's first bytes have arrived behind it.
 */
#define G_LOG_DOMAIN "fuzz-request-head"

#include "config.h"

#include <string.h>

#include "tf-fuzz.h"
#include "tf-request-head.h"

#define BODY_LIMIT (64 * 1024)

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

static TfRequestHeadResult
check (const guint8 *data, gsize size, gsize *head_len, guint64 *content_length)
{
  TfRefusal refusal = { 0 };
  TfRequestHeadResult result = tf_request_head_check (data, size, BODY_LIMIT, head_len,
                                                      content_length, &refusal);

  if (result == TF_REQUEST_HEAD_REFUSED)
    {
      if (refusal.status < 400 || refusal.status > 599 || refusal.code == NULL ||
          refusal.message == NULL || !g_utf8_validate (refusal.message, -1, NULL))
        g_error ("a refusal %u %s without a usable message", refusal.status,
                 refusal.code ? refusal.code : "(no code)");
    }
  else if (refusal.message != NULL)
    g_error ("a refusal's message for a head that was not refused");
  g_free (refusal.message);
  return result;
}

int
LLVMFuzzerTestOneInput (const guint8 *data, size_t size)
{
  gsize head_len = 0;
  guint64 content_length = 0;
  TfRequestHeadResult result;

  tf_fuzz_init (FALSE);
  result = check (data, size, &head_len, &content_length);
  if (result == TF_REQUEST_HEAD_MORE && size > TF_REQUEST_HEAD_MAX)
    g_error ("waiting for more of a head of %zu bytes", size);
  if (result == TF_REQUEST_HEAD_DONE)
    {
      g_autofree guint8 *more = g_malloc (size + 1);
      gsize head_len2 = 0;
      guint64 content_length2 = 0;

      if (head_len == 0 || head_len > size || data[head_len - 1] != '\n' ||
          (head_len >= 2 && data[head_len - 2] != '\n' &&
           !(head_len >= 3 && data[head_len - 2] == '\r' && data[head_len - 3] == '\n')))
        g_error ("an accepted head of %zu bytes does not end with a blank line", head_len);
      if (content_length > BODY_LIMIT)
        g_error ("an accepted body of %" G_GUINT64_FORMAT " bytes", content_length);
      /* The body's first byte behind it changes nothing. */
      memcpy (more, data, size);
      more[size] = 'x';
      if (check (more, size + 1, &head_len2, &content_length2) != TF_REQUEST_HEAD_DONE ||
          head_len2 != head_len || content_length2 != content_length)
        g_error ("a head decided otherwise once a body byte arrived");
    }
  return 0;
}
