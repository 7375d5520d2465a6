/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-conn-private.h: what the two halves of a connection share — the
 * connection's state (tf-conn.c: clocks, answers of its own, libsoup's
 * messages, TLS) and the input libsoup reads (tf-conn-input.c: request
 * framing).  See tf-conn.c for why a connection sits between the socket
 * and libsoup.
 */
#pragma once

#include "tf-conn.h"
#include "tf-request-head.h"

G_BEGIN_DECLS

typedef enum
{
  PHASE_START,      /* accepted, not started */
  PHASE_HANDSHAKE,  /* TLS handshake */
  PHASE_HEAD,       /* with libsoup; holding back the next request's head */
  PHASE_BODY,       /* with libsoup; it reads the body */
  PHASE_ANSWER,     /* taken from libsoup: our answer, then the linger */
  PHASE_CLOSED,
} TfConnPhase;

#define TF_TYPE_CONN_INPUT (tf_conn_input_get_type ())
G_DECLARE_FINAL_TYPE (TfConnInput, tf_conn_input, TF, CONN_INPUT, GInputStream)

struct _TfConn
{
  GIOStream          parent_instance;
  GSocket           *socket;
  GIOStream         *base;          /* the socket's connection, or TLS over it */
  TfConnInput       *input;         /* what libsoup reads */
  SoupServer        *soup;          /* borrowed */
  const TfConfig    *config;        /* borrowed */
  GTlsCertificate   *certificate;   /* NULL: plain HTTP */
  TfConnClosedFunc   closed;
  gpointer           closed_data;
  GSocketAddress    *remote;        /* its "tf-conn" data finds us from a message */
  GCancellable      *cancellable;

  TfConnPhase        phase;
  gboolean           with_soup;     /* libsoup owns the connection */
  gboolean           first;         /* no request has finished yet */
  gboolean           busy;          /* a request is being handled or answered */
  gboolean           writing;       /* ... and its answer is being written */
  gboolean           refusing;      /* answering 503 for the listener */
  gint64             since;         /* when the running clock started */
  GSource           *timer;

  SoupServerMessage *msg;           /* the newest message on the connection */

  GByteArray        *pending;       /* received, not yet read by libsoup; NULL when empty */
  gsize              deliver;       /* bytes at the front of @pending libsoup may read */
  guint64            body_left;     /* body bytes still to come from the socket */

  GSource           *doom;          /* a pending answer-and-close, or close */
  TfRefusal          refusal;       /* what @doom answers; status 0: close quietly */
  GBytes            *answer;
  GSource           *drain;
  gsize              drained;
};

/* tf-conn.c: the clocks, and an answer-and-close from a source of our own. */
void          tf_conn_update_timer  (TfConn      *c);
void          tf_conn_restart_clock (TfConn      *c);
void          tf_conn_doom          (TfConn      *c,
                                     TfRefusal   *refusal);

/* tf-conn-input.c: the input libsoup reads from @c; forgotten when @c is
 * disposed (its reads then say the connection is closed). */
TfConnInput  *tf_conn_input_new     (TfConn      *c);
void          tf_conn_input_forget  (TfConnInput *input);

G_END_DECLS
