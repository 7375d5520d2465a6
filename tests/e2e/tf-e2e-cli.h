/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-e2e-cli.h: therapy-field-cli run as a person runs it, for the e2e
 * tests — a device is a profile folder of its own (a real SQLite file), a
 * run a real process of the test build of the CLI against the real server.
 */
#pragma once

#include <json-glib/json-glib.h>

#include "tf-test-server.h"

G_BEGIN_DECLS

#define TF_E2E_PASSWORD "σωστός κωδικός 1"

typedef struct
{
  char *dir;
  char *password;
} TfE2eDevice;

typedef struct
{
  int   status;   /* exit status, or -signal */
  char *out;
  char *err;
} TfE2eRun;

void          tf_e2e_run_clear     (TfE2eRun     *run);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (TfE2eRun, tf_e2e_run_clear)

/* The server the runs talk to, set once by the test's main(). */
void          tf_e2e_set_server    (TfTestServer *server);

TfE2eDevice  *tf_e2e_device_new    (void);
void          tf_e2e_device_free   (TfE2eDevice  *d);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TfE2eDevice, tf_e2e_device_free)

/* Runs the CLI on @d with @args (NULL-ended), in English. */
void          tf_e2e_run           (TfE2eRun     *run,
                                    TfE2eDevice  *d,
                                    const char * const *args);
/* Runs and requires success; returns stdout. */
char         *tf_e2e_ok            (TfE2eDevice  *d,
                                    const char * const *args);
/* Runs with --json and requires success; returns the parsed stdout. */
JsonNode     *tf_e2e_json          (TfE2eDevice  *d,
                                    const char * const *args);

#define E2E_RUN(run, d, ...) tf_e2e_run (run, d, (const char * const[]) { __VA_ARGS__, NULL })
#define E2E_OK(d, ...) tf_e2e_ok (d, (const char * const[]) { __VA_ARGS__, NULL })
#define E2E_JSON(d, ...) tf_e2e_json (d, (const char * const[]) { __VA_ARGS__, NULL })

/* An e-mail address no other run of the tests uses. */
char         *tf_e2e_unique_email  (const char   *who);
/* Registers on @d as @role; returns the user id. */
char         *tf_e2e_register      (TfE2eDevice  *d,
                                    const char   *email,
                                    const char   *role);
void          tf_e2e_sync          (TfE2eDevice  *d);
/* Client @c's request for care (therapist link) sent, every request
 * waiting for the therapist on @t accepted (link accept), and signed
 * active by @c's next sync: a client's link is a request since issue 12,
 * and the tests of what care allows accept it as a therapist would. */
void          tf_e2e_link_accepted (TfE2eDevice  *c,
                                    TfE2eDevice  *t);
/* The first line of @text, which it takes over. */
char         *tf_e2e_first_line    (char         *text);
/* The first value of @sql on the server's database. */
char         *tf_e2e_server_value  (const char   *sql);
/* "table id code" lines of @d's refusals, as `status --json` lists them. */
char         *tf_e2e_refusals      (TfE2eDevice  *d);

G_END_DECLS
