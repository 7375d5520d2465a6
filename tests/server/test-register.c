/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * test-register.c: registration against the real server on loopback — the
 * per-address throttle (every attempt counts, a refused one too), the
 * answer to a licence number in use, and the upkeep that deletes the
 * throttles' old rows.
 */
#include "config.h"

#include <string.h>

#include "tf-test-pg.h"
#include "tf-test-server.h"

#define LIMIT 4

/* LIMIT registrations from one address in the window, refusals included;
 * the next is 429 with Retry-After, before the e-mail is looked at. */
static void
test_throttle_per_address (void)
{
  TfTestServer *srv = tf_test_server_start ("tf_register_throttle",
                                            "register-attempts-per-address=" G_STRINGIFY (LIMIT)
                                            "\nregister-window=3600");
  g_autoptr(PGconn) conn = tf_test_pg_connect (srv->conninfo);
  g_autoptr(TfTestResponse) limited = NULL, later = NULL;
  g_autoptr(TfTestUser) blocked = NULL, after = NULL;
  gint64 retry;

  for (int i = 0; i < LIMIT - 1; i++)
    {
      g_autofree char *email = g_strdup_printf ("burst%d@example.org", i);
      g_autoptr(TfTestUser) user = tf_test_register (srv, email, "client");
    }
  /* A refusal (the e-mail is taken) is an attempt like any other. */
  {
    g_autoptr(TfTestResponse) taken = NULL;
    g_autoptr(TfTestUser) none = tf_test_register_full (srv, "burst0@example.org", "client", NULL,
                                                        &taken);
    g_assert_null (none);
    g_assert_cmpuint (taken->status, ==, 409);
    g_assert_cmpstr (tf_test_response_error_code (taken), ==, "email_taken");
  }
  blocked = tf_test_register_full (srv, "one-more@example.org", "client", NULL, &limited);
  g_assert_null (blocked);
  g_assert_cmpuint (limited->status, ==, 429);
  g_assert_cmpstr (tf_test_response_error_code (limited), ==, "rate_limited");
  g_assert_nonnull (limited->retry_after);
  retry = g_ascii_strtoll (limited->retry_after, NULL, 10);
  g_assert_cmpint (retry, >, 3500);
  g_assert_cmpint (retry, <=, 3600);
  /* The refused request made nothing, and did not count. */
  g_assert_cmpint (tf_test_pg_int (conn, "SELECT count(*) FROM users"
                                         " WHERE email = 'one-more@example.org'"), ==, 0);
  g_assert_cmpint (tf_test_pg_int (conn, "SELECT count(*) FROM register_attempts"), ==, LIMIT);

  /* Once the attempts have left the window, registration works again. */
  tf_test_pg_exec (conn, "UPDATE register_attempts SET attempted_at = now () - interval '2 hours'");
  after = tf_test_register_full (srv, "one-more@example.org", "client", NULL, &later);
  g_assert_cmpuint (later->status, ==, 201);
  g_assert_nonnull (after);

  tf_test_server_stop (srv);
}

/* A licence number in use: 409 license_taken, no account, no trace. */
static void
test_license_taken (void)
{
  TfTestServer *srv = tf_test_server_start ("tf_register_license", NULL);
  g_autoptr(PGconn) conn = tf_test_pg_connect (srv->conninfo);
  g_autoptr(TfTestResponse) first = NULL, second = NULL;
  g_autoptr(TfTestUser) a = tf_test_register_full (srv, "first@example.org", "therapist",
                                                   "GR-PSY-1234", &first);
  g_autoptr(TfTestUser) b = tf_test_register_full (srv, "second@example.org", "therapist",
                                                   "GR-PSY-1234", &second);

  g_assert_nonnull (a);
  g_assert_null (b);
  g_assert_cmpuint (second->status, ==, 409);
  g_assert_cmpstr (tf_test_response_error_code (second), ==, "license_taken");
  g_assert_cmpint (tf_test_pg_int (conn, "SELECT count(*) FROM users"
                                         " WHERE email = 'second@example.org'"), ==, 0);
  tf_test_server_stop (srv);
}

/* The throttles' rows that have left their windows are deleted by the
 * server's upkeep (at start, then hourly); those still inside stay and
 * still count. */
static void
test_old_attempts_purged (void)
{
  g_autofree char *conninfo = tf_test_pg_create_migrated_db ("tf_register_purge");
  g_autoptr(PGconn) conn = tf_test_pg_connect (conninfo);
  TfTestServer *srv;
  gint64 deadline;

  /* 1,000 old ones from many addresses, and a few inside the windows. */
  tf_test_pg_exec (conn, "INSERT INTO register_attempts (ip_address, attempted_at)"
                         " SELECT ('10.0.' || (n / 250) || '.' || (n % 250))::inet,"
                         " now () - interval '2 hours' - n * interval '1 minute'"
                         " FROM generate_series (1, 1000) n");
  tf_test_pg_exec (conn, "INSERT INTO register_attempts (ip_address, attempted_at)"
                         " VALUES ('10.1.0.1', now () - interval '10 minutes'),"
                         " ('10.1.0.2', now ())");
  tf_test_pg_exec (conn, "INSERT INTO auth_failures (email, ip_address, failed_at)"
                         " SELECT 'old' || n || '@example.org', '10.2.0.1',"
                         " now () - interval '1 hour' - n * interval '1 minute'"
                         " FROM generate_series (1, 500) n");
  tf_test_pg_exec (conn, "INSERT INTO auth_failures (email, ip_address, failed_at)"
                         " VALUES ('recent@example.org', '10.2.0.2', now () - interval '5 minutes')");

  srv = tf_test_server_start_on (conninfo, "register-window=3600\nlogin-window=900");
  deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  while ((tf_test_pg_int (conn, "SELECT count(*) FROM register_attempts") != 2 ||
          tf_test_pg_int (conn, "SELECT count(*) FROM auth_failures") != 1) &&
         g_get_monotonic_time () < deadline)
    g_usleep (100 * 1000);
  g_assert_cmpint (tf_test_pg_int (conn, "SELECT count(*) FROM register_attempts"
                                         " WHERE ip_address << '10.1.0.0/24'"), ==, 2);
  g_assert_cmpint (tf_test_pg_int (conn, "SELECT count(*) FROM register_attempts"), ==, 2);
  g_assert_cmpint (tf_test_pg_int (conn, "SELECT count(*) FROM auth_failures"
                                         " WHERE email = 'recent@example.org'"), ==, 1);
  g_assert_cmpint (tf_test_pg_int (conn, "SELECT count(*) FROM auth_failures"), ==, 1);
  tf_test_server_stop (srv);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/tf/register/throttle-per-address", test_throttle_per_address);
  g_test_add_func ("/tf/register/license-taken", test_license_taken);
  g_test_add_func ("/tf/register/old-attempts-purged", test_old_attempts_purged);
  return g_test_run ();
}
