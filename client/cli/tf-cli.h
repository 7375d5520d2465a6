/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-cli.h: what the commands of therapy-field-cli share — the profile,
 * the unlocked vault, option parsing and output.
 */
#pragma once

#include "tf-account.h"
#include "tf-store.h"

G_BEGIN_DECLS

#define TF_CLI_ERROR (tf_cli_error_quark ())

typedef enum
{
  TF_CLI_ERROR_USAGE,   /* bad arguments: nothing was changed */
  TF_CLI_ERROR_FAILED,
} TfCliError;

GQuark tf_cli_error_quark (void);

typedef struct
{
  char     *data_dir;
  gboolean  json;
  TfStore  *store;
  TfVault  *vault;   /* unlocked on first use */
  char     *role;    /* the account's role, read once */
} TfCli;

typedef gboolean (*TfCliFunc) (TfCli   *cli,
                               int      argc,
                               char   **argv,
                               GError **error);

typedef struct
{
  const char *group;     /* "journal" */
  const char *verb;      /* "add", or NULL for a command without one */
  TfCliFunc   func;
  const char *usage;     /* the arguments, for --help and usage errors */
} TfCliCommand;

extern const TfCliCommand tf_cli_account_commands[];
extern const TfCliCommand tf_cli_client_commands[];
extern const TfCliCommand tf_cli_managed_commands[];
extern const TfCliCommand tf_cli_schedule_commands[];
extern const TfCliCommand tf_cli_availability_commands[];
extern const TfCliCommand tf_cli_link_commands[];
extern const TfCliCommand tf_cli_note_commands[];
extern const TfCliCommand tf_cli_session_commands[];
extern const TfCliCommand tf_cli_sync_commands[];
extern const TfCliCommand tf_cli_verify_commands[];

/* Runs the command line @argv (as main() receives it) and returns the
 * exit status (0; 1 failed; 2 bad arguments; 3 code needed; 4 sign in
 * again; 5 keys changed).  The locale must be set up by the caller. */
int         tf_cli_run          (int           argc,
                                 char        **argv);

/* --- the profile ---------------------------------------------------------- */

TfStore    *tf_cli_store        (TfCli        *cli,
                                 GError      **error);
/* The vault, asking for the password (TF_PASSWORD or a prompt) once. */
TfVault    *tf_cli_vault        (TfCli        *cli,
                                 GError      **error);
/* Encrypts plaintext older versions left (tf_vault_encrypt_legacy); on
 * failure says so on stderr and goes on.  Done on unlock and after sync. */
void        tf_cli_encrypt_legacy (TfVault    *vault);
/* The vault (in @out_vault) when a password is at hand — TF_PASSWORD or a
 * terminal to ask on — else NULL; FALSE when that password is wrong. */
gboolean    tf_cli_vault_if_possible (TfCli   *cli,
                                      TfVault **out_vault,
                                      GError  **error);
/* The signed-in user's role ("client", "therapist"); NULL and an error when
 * the profile has no account.  @want, when not NULL, must match. */
const char *tf_cli_require_role (TfCli        *cli,
                                 const char   *want,
                                 GError      **error);

/* A secret from the environment variable @env, or asked for on the
 * terminal (twice when @confirm); an error when neither is possible. */
char       *tf_cli_secret       (const char   *env,
                                 const char   *prompt,
                                 gboolean      confirm,
                                 GError      **error);

/* --- arguments ------------------------------------------------------------ */

/* Parses @entries (plus the global options) out of @argc/@argv; what is
 * left are positional arguments.  Exactly @n_positional must remain. */
gboolean    tf_cli_parse        (TfCli        *cli,
                                 const TfCliCommand *command,
                                 GOptionEntry *entries,
                                 int          *argc,
                                 char       ***argv,
                                 int           n_positional,
                                 GError      **error);
gboolean    tf_cli_usage_error  (GError      **error,
                                 const char   *format,
                                 ...) G_GNUC_PRINTF (2, 3);
/* @value in @min..@max, for option @name. */
gboolean    tf_cli_check_range  (const char   *name,
                                 int           value,
                                 int           min,
                                 int           max,
                                 GError      **error);
/* A "YYYY-MM-DD" date (for option @name), or an error. */
gboolean    tf_cli_check_date   (const char   *name,
                                 const char   *value,
                                 GError      **error);
/* The live record @id of @table in plain form, or a clear "no such" error. */
JsonObject *tf_cli_dup_record   (TfCli        *cli,
                                 const char   *table,
                                 const char   *id,
                                 const char   *what,
                                 GError      **error);
char       *tf_cli_now          (void);
/* A string member of @o for printing: "" when absent or not a string. */
const char *tf_cli_text         (JsonObject   *o,
                                 const char   *member);
/* The registry entry of a synced table (a programming error if unknown). */
const TfTable *tf_cli_table     (const char   *name);

JsonArray  *tf_cli_string_array (char        **values);

/* --- output --------------------------------------------------------------- */

/* Prints @node as JSON (the --json form of every read). */
void        tf_cli_print_json   (JsonNode     *node);
void        tf_cli_print_records (GPtrArray   *records);
/* Says on stderr, one line each, whose keys changed and what to do. */
void        tf_cli_print_key_changes (TfCli   *cli);
/* How many key changes wait for the person (0 when unreadable). */
gint64      tf_cli_count_key_changes (TfCli   *cli);
/* "Ελένη Παπαδοπούλου" for a user id, from the profiles this device has. */
char       *tf_cli_user_name    (TfCli        *cli,
                                 const char   *user_id);

G_END_DECLS
