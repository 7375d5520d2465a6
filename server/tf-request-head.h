/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-request-head.h: the checks a request head passes before libsoup reads
 * it (see tf-request-head.c).
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Limits of a request head.  libsoup's own is 64 KiB for the whole head,
 * and over it it closes without an answer; these are lower and answered. */
#define TF_REQUEST_LINE_MAX   (8 * 1024)
#define TF_REQUEST_HEAD_MAX   (32 * 1024)
#define TF_REQUEST_FIELDS_MAX 100

typedef enum
{
  TF_REQUEST_HEAD_MORE,     /* not complete yet: read more */
  TF_REQUEST_HEAD_DONE,     /* complete and acceptable */
  TF_REQUEST_HEAD_REFUSED,  /* answer @refusal and close */
} TfRequestHeadResult;

typedef struct
{
  guint       status;
  const char *code;         /* static */
  char       *message;      /* owned: g_free() it */
} TfRefusal;

/* Looks at the first @len bytes that arrived for a request.  On DONE,
 * @head_len is the length of the head with its blank line and
 * @content_length the body's (0 without one).  @body_limit: largest body. */
TfRequestHeadResult tf_request_head_check (const guint8 *data,
                                           gsize         len,
                                           guint64       body_limit,
                                           gsize        *head_len,
                                           guint64      *content_length,
                                           TfRefusal    *refusal);

G_END_DECLS
