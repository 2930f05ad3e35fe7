/* test-outbox.c
 *
 * Copyright 2026 The CBM Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <signal.h>
#include <string.h>
#include <unistd.h>

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "cbm-sync.h"
#include "cbm-test-files.h"

/* The registration outbox and its sender: the store's durable queue, then delivery against the
 * reference server (cbm-serve, a separate process on 127.0.0.1) and against a scripted
 * in-process server for the answers cbm-serve never gives (a redirect, a 409 on demand). */

#define SERVER_NOW "2026-11-01T00:00:00Z"
#define WEBINAR "oas-cyber-diplomacy-webinar-2026-12"
#define OPEN_EVENT "oas-women-cyber-2027-scl"

typedef struct
{
  char        *tmpdir;
  char        *db_path;
  char        *server_db;
  GSubprocess *server;
  int          port;
  CbmStore    *store;
} Fixture;

/* Helpers. */

static gboolean
timeout_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

typedef gboolean (*Condition) (Fixture *f, gpointer data);

static void
wait_until (Fixture   *f,
            Condition  condition,
            gpointer   data,
            guint      seconds)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (seconds, timeout_cb, &timed_out);

  while (!condition (f, data) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (id);
  g_assert_false (timed_out);
}

static void
result_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static GAsyncResult *
wait_result (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

static CbmStore *
open_store (const char *path)
{
  CbmStore *store = cbm_store_new (path);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  cbm_store_open_async (store, NULL, result_cb, &result);
  g_assert_true (cbm_store_open_finish (store, wait_result (&result), &error));
  g_assert_no_error (error);
  return store;
}

static void
set_registrations_url (CbmStore   *store,
                       const char *url)
{
  g_autoptr(GHashTable) meta = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  const char *codes[] = { NULL };

  g_hash_table_insert (meta, (gpointer) "registrations-url", (gpointer) url);
  cbm_store_finish_sync_async (store, codes, NULL, meta, NULL, NULL, result_cb, &result);
  g_assert_true (cbm_store_finish_sync_finish (store, wait_result (&result), &error));
  g_assert_no_error (error);
}

static CbmRegistration *
make_registration (const char *event,
                   guint       n)
{
  CbmRegistration *r = cbm_registration_new ();

  r->event = g_strdup (event);
  r->country = g_strdup ("AR");
  r->name = g_strdup_printf ("Participant %u", n);
  r->position = g_strdup ("Analyst");
  r->institution = g_strdup ("Ministerio de Relaciones Exteriores");
  r->email = g_strdup_printf ("p%u@example.org", n);
  r->government = TRUE;
  r->language = g_strdup ("es");
  r->note = g_strdup ("");
  return r;
}

static CbmRegistration *
submit (CbmStore        *store,
        CbmRegistration *r)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  CbmRegistration *stored;

  cbm_store_submit_registration_async (store, r, NULL, result_cb, &result);
  stored = cbm_store_submit_registration_finish (store, wait_result (&result), &error);
  g_assert_no_error (error);
  g_assert_nonnull (stored);
  return stored;
}

static CbmRegistration *
lookup (CbmStore *store,
        gint64    local_id)
{
  CbmRegistration *r = cbm_store_find_registration (store, local_id);

  g_assert_nonnull (r);
  return r;
}

static int
free_port (void)
{
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  g_autoptr(GError) error = NULL;
  guint16 port = g_socket_listener_add_any_inet_port (listener, NULL, &error);

  g_assert_no_error (error);
  g_socket_listener_close (listener);
  return port;
}

static void
start_server (Fixture    *f,
              const char *faults)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autofree char *line = NULL;

  g_ptr_array_add (argv, g_strdup (g_getenv ("CBM_SERVE")));
  g_ptr_array_add (argv, g_strdup ("--root"));
  g_ptr_array_add (argv, g_strdup (g_getenv ("CBM_SAMPLE_REPOSITORY")));
  g_ptr_array_add (argv, g_strdup ("--port"));
  g_ptr_array_add (argv, g_strdup_printf ("%d", f->port));
  g_ptr_array_add (argv, g_strdup ("--db"));
  g_ptr_array_add (argv, g_strdup (f->server_db));
  g_ptr_array_add (argv, g_strdup ("--now"));
  g_ptr_array_add (argv, g_strdup (SERVER_NOW));
  if (faults != NULL)
    {
      g_ptr_array_add (argv, g_strdup ("--fault"));
      g_ptr_array_add (argv, g_strdup (faults));
    }
  g_ptr_array_add (argv, NULL);

  f->server = g_subprocess_newv ((const char * const *) argv->pdata,
                                 G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE,
                                 &error);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (f->server));
  line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_assert_true (g_str_has_prefix (line, "cbm-serve: listening on http://127.0.0.1:"));
}

static void
stop_server (Fixture *f)
{
  if (f->server == NULL)
    return;
  g_subprocess_send_signal (f->server, SIGTERM);
  g_subprocess_wait (f->server, NULL, NULL);
  g_clear_object (&f->server);
}

/* The server's own list of what it stored, one line per registration. */
static GPtrArray *
server_registrations (Fixture *f)
{
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_auto(GStrv) lines = NULL;
  GPtrArray *rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);

  proc = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, g_getenv ("CBM_SERVE"),
                           "--db", f->server_db, "registrations", "list", NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (proc, NULL, NULL, &out, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_successful (proc));
  lines = g_strsplit (out, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (*lines[i] != '\0')
      g_ptr_array_add (rows, g_strsplit (lines[i], "\t", -1));
  return rows;
}

static char *
url_for (Fixture *f)
{
  return g_strdup_printf ("http://127.0.0.1:%d/v1/registrations", f->port);
}

static CbmRegistrationSender *
new_sender (Fixture *f)
{
  CbmRegistrationSender *sender = cbm_registration_sender_new (f->store);

  cbm_registration_sender_set_retry_delays (sender, 50, 400);
  cbm_registration_sender_set_timeout (sender, 10);
  return sender;
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  /* A trapped subprocess works in its parent's folder. */
  if (g_test_subprocess () && g_getenv ("CBM_TEST_OUTBOX_DIR") != NULL)
    f->tmpdir = g_strdup (g_getenv ("CBM_TEST_OUTBOX_DIR"));
  else
    f->tmpdir = g_dir_make_tmp ("cbm-outbox-XXXXXX", NULL);
  g_assert_nonnull (f->tmpdir);
  f->db_path = g_build_filename (f->tmpdir, "data", "cbm-desk.db", NULL);
  f->server_db = g_build_filename (f->tmpdir, "server.db", NULL);
  f->port = free_port ();
  f->store = open_store (f->db_path);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  stop_server (f);
  g_clear_object (&f->store);
  cbm_test_remove_tree (f->tmpdir);
  g_free (f->tmpdir);
  g_free (f->db_path);
  g_free (f->server_db);
}

static gboolean
all_received (Fixture  *f,
              gpointer  data)
{
  GListModel *model = cbm_store_get_registrations (f->store);
  guint n = g_list_model_get_n_items (model);
  guint expected = GPOINTER_TO_UINT (data);

  if (n != expected)
    return FALSE;
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CbmRegistration) r = g_list_model_get_item (model, i);
      if (r->status != CBM_REGISTRATION_RECEIVED)
        return FALSE;
    }
  return TRUE;
}

/* Store. */

static void
test_store_outbox (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(CbmRegistration) draft = make_registration (WEBINAR, 1);
  g_autoptr(CbmRegistration) stored = NULL;
  g_autoptr(CbmRegistration) second = NULL;
  g_autoptr(CbmRegistration) claimed = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) fields = NULL;
  GListModel *model = cbm_store_get_registrations (f->store);

  /* A draft is kept as typed, one per event. */
  g_free (draft->name);
  draft->name = g_strdup ("Ana P");
  cbm_store_save_draft_async (f->store, WEBINAR, cbm_registration_to_fields (draft), NULL,
                              result_cb, &result);
  g_assert_true (cbm_store_save_draft_finish (f->store, wait_result (&result), &error));
  g_clear_object (&result);
  cbm_store_load_draft_async (f->store, WEBINAR, NULL, result_cb, &result);
  fields = cbm_store_load_draft_finish (f->store, wait_result (&result), &error);
  g_assert_no_error (error);
  g_assert_nonnull (fields);
  {
    g_autoptr(CbmRegistration) back = cbm_registration_new ();
    cbm_registration_set_fields (back, fields);
    g_assert_cmpstr (back->name, ==, "Ana P");
  }
  g_clear_object (&result);

  /* Submitting queues it with a fresh UUID key and drops the draft in the same transaction. */
  stored = submit (f->store, draft);
  g_assert_cmpint (stored->local_id, >, 0);
  g_assert_true (g_uuid_string_is_valid (stored->idempotency_key));
  g_assert_cmpint (stored->status, ==, CBM_REGISTRATION_QUEUED);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 1);
  g_assert_true (cbm_store_is_registered (f->store, WEBINAR));
  g_assert_false (cbm_store_is_registered (f->store, OPEN_EVENT));
  cbm_store_load_draft_async (f->store, WEBINAR, NULL, result_cb, &result);
  g_assert_null (cbm_store_load_draft_finish (f->store, wait_result (&result), &error));
  g_assert_no_error (error);
  g_clear_object (&result);

  second = submit (f->store, draft);
  g_assert_cmpstr (second->idempotency_key, !=, stored->idempotency_key);

  /* A queued one can be withdrawn. */
  cbm_store_withdraw_registration_async (f->store, second->local_id, NULL, result_cb, &result);
  g_assert_true (cbm_store_withdraw_registration_finish (f->store, wait_result (&result), &error));
  g_assert_no_error (error);
  g_clear_object (&result);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 1);

  /* One being sent cannot. */
  cbm_store_claim_registration_async (f->store, stored->local_id, NULL, result_cb, &result);
  claimed = cbm_store_claim_registration_finish (f->store, wait_result (&result), &error);
  g_assert_no_error (error);
  g_assert_nonnull (claimed);
  g_assert_cmpint (claimed->status, ==, CBM_REGISTRATION_SENDING);
  g_assert_cmpuint (claimed->attempts, ==, 1);
  g_clear_object (&result);
  cbm_store_withdraw_registration_async (f->store, stored->local_id, NULL, result_cb, &result);
  g_assert_false (cbm_store_withdraw_registration_finish (f->store, wait_result (&result), &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_BUSY);
  g_clear_error (&error);
  g_clear_object (&result);

  /* Claiming twice gives nothing. */
  cbm_store_claim_registration_async (f->store, stored->local_id, NULL, result_cb, &result);
  g_assert_null (cbm_store_claim_registration_finish (f->store, wait_result (&result), &error));
  g_assert_no_error (error);
  g_clear_object (&result);

  /* After a crash while sending, the next start puts it back in the queue, same key. */
  g_clear_object (&f->store);
  f->store = open_store (f->db_path);
  model = cbm_store_get_registrations (f->store);
  cbm_store_reload_registrations_async (f->store, NULL, result_cb, &result);
  g_assert_true (cbm_store_reload_registrations_finish (f->store, wait_result (&result), &error));
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 1);
  {
    g_autoptr(CbmRegistration) r = g_list_model_get_item (model, 0);
    g_assert_cmpint (r->status, ==, CBM_REGISTRATION_QUEUED);
    g_assert_cmpstr (r->idempotency_key, ==, stored->idempotency_key);
    g_assert_cmpstr (r->name, ==, "Ana P");
    g_assert_cmpuint (r->attempts, ==, 1);
  }
}

/* Against cbm-serve. */

static gboolean
has_failed_attempt (Fixture  *f,
                    gpointer  data)
{
  CbmRegistration *r = lookup (f->store, *(gint64 *) data);

  return r->status == CBM_REGISTRATION_QUEUED && r->attempts >= 2 && r->failure != NULL;
}

static gboolean
has_failed_attempt_once (Fixture  *f,
                         gpointer  data)
{
  CbmRegistration *r = lookup (f->store, *(gint64 *) data);

  return r->status == CBM_REGISTRATION_QUEUED && r->attempts >= 1 && r->failure != NULL;
}

static void
test_offline_then_online (Fixture       *f,
                          gconstpointer  data)
{
  g_autofree char *url = url_for (f);
  g_autoptr(CbmRegistration) r = make_registration (WEBINAR, 1);
  g_autoptr(CbmRegistration) stored = NULL;
  g_autoptr(CbmRegistrationSender) sender = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  CbmRegistration *now;

  set_registrations_url (f->store, url);
  stored = submit (f->store, r);

  /* No server: the sender keeps it queued, with the reason, and keeps trying. */
  sender = new_sender (f);
  cbm_registration_sender_start (sender);
  wait_until (f, has_failed_attempt, &stored->local_id, 20);
  now = lookup (f->store, stored->local_id);
  g_assert_cmpstr (now->idempotency_key, ==, stored->idempotency_key);

  start_server (f, NULL);
  wait_until (f, all_received, GUINT_TO_POINTER (1), 20);

  now = lookup (f->store, stored->local_id);
  g_assert_nonnull (now->server_id);
  g_assert_null (now->failure);
  rows = server_registrations (f);
  g_assert_cmpuint (rows->len, ==, 1);
  g_assert_cmpstr (((char **) g_ptr_array_index (rows, 0))[0], ==, now->server_id);
  g_assert_cmpstr (((char **) g_ptr_array_index (rows, 0))[1], ==, WEBINAR);
  g_assert_cmpstr (((char **) g_ptr_array_index (rows, 0))[3], ==, "Participant 1");
}

/* What the network coming back does (GNetworkMonitor::network-changed): a registration in a
 * long backoff is retried at once. */
static void
test_wake (Fixture       *f,
           gconstpointer  data)
{
  g_autofree char *url = url_for (f);
  g_autoptr(CbmRegistration) r = make_registration (WEBINAR, 2);
  g_autoptr(CbmRegistration) stored = NULL;
  g_autoptr(CbmRegistrationSender) sender = NULL;
  gint64 before;

  set_registrations_url (f->store, url);
  stored = submit (f->store, r);
  sender = cbm_registration_sender_new (f->store);
  cbm_registration_sender_set_retry_delays (sender, 600000, 600000);
  cbm_registration_sender_start (sender);
  wait_until (f, has_failed_attempt_once, &stored->local_id, 20);
  g_assert_cmpint (lookup (f->store, stored->local_id)->next_attempt, >,
                   g_get_real_time () + 500 * G_USEC_PER_SEC);

  start_server (f, NULL);
  before = g_get_monotonic_time ();
  cbm_registration_sender_wake (sender);
  wait_until (f, all_received, GUINT_TO_POINTER (1), 20);
  g_assert_cmpint (g_get_monotonic_time () - before, <, 10 * G_USEC_PER_SEC);
}

static void
test_flaky_hundred (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *url = url_for (f);
  g_autoptr(CbmRegistrationSender) sender = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) names = g_hash_table_new (g_str_hash, g_str_equal);
  GListModel *model;

  start_server (f, "flaky");
  set_registrations_url (f->store, url);
  sender = new_sender (f);
  cbm_registration_sender_start (sender);

  /* Submitted while the sender is already at work, as a user would. */
  for (guint i = 0; i < 100; i++)
    {
      g_autoptr(CbmRegistration) r = make_registration (OPEN_EVENT, i);
      g_autoptr(CbmRegistration) stored = submit (f->store, r);
    }

  wait_until (f, all_received, GUINT_TO_POINTER (100), 120);
  /* Every other request failed, so there were retries. */
  g_assert_cmpuint (cbm_registration_sender_get_n_requests (sender), >=, 150);

  rows = server_registrations (f);
  g_assert_cmpuint (rows->len, ==, 100);
  for (guint i = 0; i < rows->len; i++)
    {
      char **row = g_ptr_array_index (rows, i);
      g_assert_true (g_hash_table_add (ids, row[0]));
      g_assert_true (g_hash_table_add (names, row[3]));
    }
  g_assert_cmpuint (g_hash_table_size (names), ==, 100);

  model = cbm_store_get_registrations (f->store);
  for (guint i = 0; i < 100; i++)
    {
      g_autoptr(CbmRegistration) r = g_list_model_get_item (model, i);
      g_assert_true (g_hash_table_contains (ids, r->server_id));
    }
}

/* The server takes longer than the client waits: the retry goes with the same key, meets a
 * 409 while the first request is still being processed, then the stored answer. */
static void
test_slow_server (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *url = url_for (f);
  g_autoptr(CbmRegistrationSender) sender = NULL;
  g_autoptr(CbmRegistration) r = make_registration (WEBINAR, 5);
  g_autoptr(CbmRegistration) stored = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  CbmRegistration *now;

  start_server (f, "slow-registrations");
  set_registrations_url (f->store, url);
  stored = submit (f->store, r);
  sender = new_sender (f);
  cbm_registration_sender_set_timeout (sender, 1);
  cbm_registration_sender_start (sender);
  /* Each POST takes the server 1.5 s: the first attempts time out on the client, though the
   * server stores the registration anyway. Then the client is patient again. */
  wait_until (f, has_failed_attempt, &stored->local_id, 20);
  cbm_registration_sender_set_timeout (sender, 5);
  wait_until (f, all_received, GUINT_TO_POINTER (1), 30);

  now = lookup (f->store, stored->local_id);
  g_assert_cmpuint (now->attempts, >=, 2);
  rows = server_registrations (f);
  g_assert_cmpuint (rows->len, ==, 1);
  g_assert_cmpstr (((char **) g_ptr_array_index (rows, 0))[0], ==, now->server_id);
}

static void
test_killed_after_submit (Fixture       *f,
                          gconstpointer  data)
{
  g_autofree char *url = url_for (f);
  g_autoptr(CbmRegistrationSender) sender = NULL;
  g_autoptr(GPtrArray) rows = NULL;

  if (g_test_subprocess ())
    {
      g_autoptr(CbmRegistration) r = make_registration (WEBINAR, 7);
      g_autoptr(CbmRegistration) stored = NULL;

      stored = submit (f->store, r);
      /* The UI would now say "saved"; the process dies before any send. */
      kill (getpid (), SIGKILL);
      return;
    }

  set_registrations_url (f->store, url);
  g_clear_object (&f->store);
  g_setenv ("CBM_TEST_OUTBOX_DIR", f->tmpdir, TRUE);
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_unsetenv ("CBM_TEST_OUTBOX_DIR");
  g_test_trap_assert_failed ();

  start_server (f, NULL);
  f->store = open_store (f->db_path);
  sender = new_sender (f);
  cbm_registration_sender_start (sender);
  wait_until (f, all_received, GUINT_TO_POINTER (1), 20);
  rows = server_registrations (f);
  g_assert_cmpuint (rows->len, ==, 1);
  g_assert_cmpstr (((char **) g_ptr_array_index (rows, 0))[3], ==, "Participant 7");
}

static gboolean
is_settled (Fixture  *f,
            gpointer  data)
{
  CbmRegistration *r = lookup (f->store, *(gint64 *) data);

  return !cbm_registration_is_pending (r);
}

static void
test_real_server_rules (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *url = url_for (f);
  g_autoptr(CbmRegistrationSender) sender = NULL;
  g_autoptr(CbmRegistration) no_gov = make_registration (WEBINAR, 1);
  g_autoptr(CbmRegistration) past = make_registration ("unidir-oas-crisis-2022", 2);
  g_autoptr(CbmRegistration) unknown = make_registration ("no-such-event", 3);
  g_autoptr(CbmRegistration) a = NULL, b = NULL, c = NULL;
  g_autofree char *message = NULL;
  CbmRegistration *r;

  start_server (f, NULL);
  set_registrations_url (f->store, url);
  no_gov->government = FALSE;
  a = submit (f->store, no_gov);
  b = submit (f->store, past);
  c = submit (f->store, unknown);
  sender = new_sender (f);
  cbm_registration_sender_start (sender);
  wait_until (f, is_settled, &a->local_id, 20);
  wait_until (f, is_settled, &b->local_id, 20);
  wait_until (f, is_settled, &c->local_id, 20);

  r = lookup (f->store, a->local_id);
  g_assert_cmpint (r->status, ==, CBM_REGISTRATION_FAILED_VALIDATION);
  g_assert_nonnull (r->field_errors);
  g_assert_true (g_variant_lookup (r->field_errors, "government", "s", &message));
  g_assert_cmpstr (message, !=, "");
  r = lookup (f->store, b->local_id);
  g_assert_cmpint (r->status, ==, CBM_REGISTRATION_FAILED);
  g_assert_nonnull (strstr (r->failure, "closed"));
  r = lookup (f->store, c->local_id);
  g_assert_cmpint (r->status, ==, CBM_REGISTRATION_FAILED);
  g_assert_nonnull (strstr (r->failure, "does not know this event"));
}

/* Against a scripted server. */

typedef struct
{
  guint       status;
  const char *body;
  const char *location;
} Answer;

typedef struct
{
  const Answer *answers;
  guint         n_answers;
  guint         n_posts;
  guint         n_gets;
  guint         n_other;
  GPtrArray    *keys;
  char         *last_body;
  char         *content_type;
  SoupServer   *server;
} Script;

static void
scripted_cb (SoupServer        *server,
             SoupServerMessage *msg,
             const char        *path,
             GHashTable        *query,
             gpointer           user_data)
{
  Script *script = user_data;
  const char *method = soup_server_message_get_method (msg);
  const Answer *answer;

  if (g_str_equal (path, "/v1/registrations") && g_str_equal (method, "POST"))
    {
      SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
      g_autoptr(GBytes) body = soup_message_body_flatten (soup_server_message_get_request_body (msg));

      g_ptr_array_add (script->keys, g_strdup (soup_message_headers_get_one (headers, "Idempotency-Key")));
      g_free (script->last_body);
      script->last_body = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
      g_free (script->content_type);
      script->content_type = g_strdup (soup_message_headers_get_content_type (headers, NULL));
      answer = &script->answers[MIN (script->n_posts, script->n_answers - 1)];
      script->n_posts++;
      soup_server_message_set_status (msg, answer->status, NULL);
      if (answer->location != NULL)
        soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Location",
                                      answer->location);
      if (answer->body != NULL)
        soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC,
                                          answer->body, strlen (answer->body));
    }
  else if (g_str_equal (path, "/v1/registrations/r-1") && g_str_equal (method, "GET"))
    {
      static const char status[] = "{\"id\": \"r-1\", \"event\": \"e\", \"status\": \"confirmed\"}";
      script->n_gets++;
      soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC,
                                        status, strlen (status));
    }
  else
    {
      script->n_other++;
      soup_server_message_set_status (msg, SOUP_STATUS_NOT_FOUND, NULL);
    }
}

/* Sends one registration through a server that answers @answers in turn. */
static CbmRegistration *
run_script (Fixture      *f,
            const Answer *answers,
            guint         n_answers,
            Script       *script)
{
  SoupServer *server = soup_server_new (NULL, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(CbmRegistrationSender) sender = NULL;
  g_autoptr(CbmRegistration) r = make_registration (WEBINAR, 1);
  g_autoptr(CbmRegistration) stored = NULL;
  g_autofree char *url = NULL;
  GSList *uris;

  script->answers = answers;
  script->n_answers = n_answers;
  script->keys = g_ptr_array_new_with_free_func (g_free);
  script->server = server;
  soup_server_add_handler (server, NULL, scripted_cb, script, NULL);
  soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (server);
  url = g_strdup_printf ("http://127.0.0.1:%d/v1/registrations", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  set_registrations_url (f->store, url);
  stored = submit (f->store, r);
  sender = new_sender (f);
  cbm_registration_sender_start (sender);
  wait_until (f, is_settled, &stored->local_id, 20);

  /* The same key on every attempt. */
  for (guint i = 0; i < script->keys->len; i++)
    g_assert_cmpstr (g_ptr_array_index (script->keys, i), ==, stored->idempotency_key);
  g_assert_cmpstr (script->content_type, ==, "application/json");
  return g_object_ref (lookup (f->store, stored->local_id));
}

static void
script_clear (Script *script)
{
  g_clear_pointer (&script->keys, g_ptr_array_unref);
  g_clear_pointer (&script->last_body, g_free);
  g_clear_pointer (&script->content_type, g_free);
  if (script->server != NULL)
    soup_server_disconnect (script->server);
  g_clear_object (&script->server);
}

static gboolean
is_confirmed (Fixture  *f,
              gpointer  data)
{
  return lookup (f->store, *(gint64 *) data)->status == CBM_REGISTRATION_CONFIRMED;
}

static void
test_answer_201 (Fixture       *f,
                 gconstpointer  data)
{
  static const Answer answers[] = {
    { 201, "{\"id\": \"r-1\", \"status\": \"received\"}", "registrations/r-1" },
  };
  Script script = { 0 };
  g_autoptr(CbmRegistration) r = run_script (f, answers, 1, &script);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *body;
  g_autofree char *expected_url = NULL;

  g_assert_cmpint (r->status, ==, CBM_REGISTRATION_RECEIVED);
  g_assert_cmpstr (r->server_id, ==, "r-1");
  /* Location is resolved against the request URL. */
  g_assert_true (g_str_has_suffix (r->server_url, "/v1/registrations/r-1"));
  g_assert_cmpuint (script.n_posts, ==, 1);

  /* The body is the protocol's JSON object. */
  json_parser_load_from_data (parser, script.last_body, -1, &error);
  g_assert_no_error (error);
  body = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (body, "event"), ==, WEBINAR);
  g_assert_cmpstr (json_object_get_string_member (body, "country"), ==, "AR");
  g_assert_cmpstr (json_object_get_string_member (body, "name"), ==, "Participant 1");
  g_assert_cmpstr (json_object_get_string_member (body, "position"), ==, "Analyst");
  g_assert_cmpstr (json_object_get_string_member (body, "email"), ==, "p1@example.org");
  g_assert_true (json_object_get_boolean_member (body, "government"));
  g_assert_cmpstr (json_object_get_string_member (body, "language"), ==, "es");

  /* The status is refreshed from the server. */
  {
    g_autoptr(CbmRegistrationSender) sender = new_sender (f);
    cbm_registration_sender_start (sender);
    wait_until (f, is_confirmed, &r->local_id, 20);
    g_assert_cmpuint (script.n_gets, >=, 1);
  }
  script_clear (&script);
}

static void
test_answer_200_replay (Fixture       *f,
                        gconstpointer  data)
{
  static const Answer answers[] = {
    { 200, "{\"id\": \"r-9\", \"status\": \"waitlisted\"}", NULL },
  };
  Script script = { 0 };
  g_autoptr(CbmRegistration) r = run_script (f, answers, 1, &script);

  g_assert_cmpint (r->status, ==, CBM_REGISTRATION_WAITLISTED);
  g_assert_cmpstr (r->server_id, ==, "r-9");
  g_assert_true (g_str_has_suffix (r->server_url, "/v1/registrations/r-9"));
  script_clear (&script);
}

static void
test_answer_retry (Fixture       *f,
                   gconstpointer  data)
{
  static const Answer answers[] = {
    { 409, "{\"error\": \"request-in-progress\"}", NULL },
    { 503, NULL, NULL },
    { 500, NULL, NULL },
    { 201, "{\"id\": \"r-2\", \"status\": \"received\"}", NULL },
  };
  Script script = { 0 };
  g_autoptr(CbmRegistration) r = run_script (f, answers, G_N_ELEMENTS (answers), &script);

  g_assert_cmpint (r->status, ==, CBM_REGISTRATION_RECEIVED);
  g_assert_cmpuint (script.n_posts, ==, 4);
  g_assert_cmpuint (script.keys->len, ==, 4);
  g_assert_cmpuint (r->attempts, ==, 4);
  script_clear (&script);
}

static void
test_answer_422_fields (Fixture       *f,
                        gconstpointer  data)
{
  static const Answer answers[] = {
    { 422, "{\"errors\": {\"email\": \"not a valid address\", \"government\": \"must be true\"}}", NULL },
  };
  Script script = { 0 };
  g_autoptr(CbmRegistration) r = run_script (f, answers, 1, &script);
  g_autofree char *email = NULL;
  g_autofree char *government = NULL;

  g_assert_cmpint (r->status, ==, CBM_REGISTRATION_FAILED_VALIDATION);
  g_assert_true (g_variant_lookup (r->field_errors, "email", "s", &email));
  g_assert_cmpstr (email, ==, "not a valid address");
  g_assert_true (g_variant_lookup (r->field_errors, "government", "s", &government));
  g_assert_cmpstr (government, ==, "must be true");
  g_assert_nonnull (r->failure);
  g_assert_cmpuint (script.n_posts, ==, 1);
  script_clear (&script);
}

static void
test_answer_final (Fixture       *f,
                   gconstpointer  data)
{
  static const struct {
    Answer      answer;
    const char *reason;
  } cases[] = {
    { { 422, "{\"error\": \"idempotency-key-reused\"}", NULL }, "different registration" },
    { { 404, "{\"error\": \"unknown-event\"}", NULL }, "does not know this event" },
    { { 410, "{\"error\": \"deadline-passed\"}", NULL }, "closed" },
    { { 400, "{\"error\": \"body-not-a-json-object\"}", NULL }, "error 400" },
    /* A redirect of the POST is a failure and is never followed. */
    { { 302, NULL, "/elsewhere" }, "redirect" },
    { { 307, NULL, "/v1/registrations" }, "redirect" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      Script script = { 0 };
      g_autoptr(CbmRegistration) r = run_script (f, &cases[i].answer, 1, &script);

      g_test_message ("answer %u", cases[i].answer.status);
      g_assert_cmpint (r->status, ==, CBM_REGISTRATION_FAILED);
      g_assert_nonnull (r->failure);
      g_assert_nonnull (strstr (r->failure, cases[i].reason));
      g_assert_cmpuint (script.n_posts, ==, 1);
      g_assert_cmpuint (script.n_other, ==, 0);
      script_clear (&script);
    }
}

static void
test_no_registrations_url (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(CbmRegistration) r = make_registration (WEBINAR, 1);
  g_autoptr(CbmRegistration) stored = NULL;
  g_autoptr(CbmRegistrationSender) sender = NULL;
  gboolean timed_out = FALSE;

  /* The repository takes no registrations, or gave an address that may not be used. */
  set_registrations_url (f->store, "");
  stored = submit (f->store, r);
  sender = new_sender (f);
  g_assert_null (cbm_registration_sender_dup_url (sender));
  set_registrations_url (f->store, "http://example.org/v1/registrations");
  g_assert_null (cbm_registration_sender_dup_url (sender));
  cbm_registration_sender_start (sender);
  g_timeout_add (300, timeout_cb, &timed_out);
  while (!timed_out)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (cbm_registration_sender_get_n_requests (sender), ==, 0);
  g_assert_cmpint (lookup (f->store, stored->local_id)->status, ==, CBM_REGISTRATION_QUEUED);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/outbox/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("store", test_store_outbox);
  ADD ("offline-then-online", test_offline_then_online);
  ADD ("flaky-hundred", test_flaky_hundred);
  ADD ("wake", test_wake);
  ADD ("killed-after-submit", test_killed_after_submit);
  ADD ("slow-server", test_slow_server);
  ADD ("server-rules", test_real_server_rules);
  ADD ("answer/201", test_answer_201);
  ADD ("answer/200-replay", test_answer_200_replay);
  ADD ("answer/retry", test_answer_retry);
  ADD ("answer/422-fields", test_answer_422_fields);
  ADD ("answer/final", test_answer_final);
  ADD ("no-registrations-url", test_no_registrations_url);
#undef ADD

  return g_test_run ();
}
