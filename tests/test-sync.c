/* test-sync.c
 *
 * Copyright 2026 The CBM Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <sqlite3.h>
#include <string.h>

#include "cbm-sha256.h"
#include "cbm-sync.h"
#include "cbm-test-files.h"

/* The sync client against the reference server (cbm-serve) on 127.0.0.1, and against a folder
 * (file://). Each test writes its own small repository, so it can change a country or drop a
 * document between syncs and knows every sha256. */

/* A repository on disk. */

typedef struct
{
  char       *root;      /* holds v1/ */
  GHashTable *countries; /* code → "id:seed,id:seed" */
  guint       events_version;
  gboolean    malformed_country; /* write CL as broken JSON, with its true sha256 in the index */
  gsize       pdf_size;
} Repo;

/* The server. */

typedef struct
{
  GSubprocess *process;
  char        *index_url;
  guint        port;
} Server;

static char *
sha256_of (const void *data,
           gsize       length)
{
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, data, length);
}

static void
write_if_changed (const char *path,
                  const char *data,
                  gsize       length)
{
  g_autofree char *old = NULL;
  gsize old_length = 0;
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(GError) error = NULL;

  if (g_file_get_contents (path, &old, &old_length, NULL) && old_length == length &&
      memcmp (old, data, length) == 0)
    return;
  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  g_file_set_contents (path, data, length, &error);
  g_assert_no_error (error);
}

static GBytes *
make_pdf (const char *id,
          const char *seed,
          gsize       size)
{
  GString *pdf = g_string_new (NULL);

  g_string_append_printf (pdf, "%%PDF-1.4\n%% CBM Desk test document %s, version %s\n", id, seed);
  while (pdf->len + 6 < size)
    g_string_append_c (pdf, pdf->len % 64 == 63 ? '\n' : 'a' + (pdf->len % 26));
  g_string_append (pdf, "%%EOF\n");
  return g_string_free_to_bytes (pdf);
}

static Repo *
repo_new (void)
{
  Repo *repo = g_new0 (Repo, 1);
  g_autoptr(GError) error = NULL;

  repo->root = g_dir_make_tmp ("cbm-test-repo-XXXXXX", &error);
  g_assert_no_error (error);
  repo->countries = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  repo->events_version = 1;
  repo->pdf_size = 3000;
  return repo;
}

static void
repo_free (Repo *repo)
{
  cbm_test_remove_tree (repo->root);
  g_free (repo->root);
  g_hash_table_unref (repo->countries);
  g_free (repo);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Repo, repo_free)

static void
repo_set_country (Repo       *repo,
                  const char *code,
                  const char *documents)
{
  g_hash_table_insert (repo->countries, g_strdup (code), g_strdup (documents));
}

static const char *
country_name (const char *code)
{
  if (g_str_equal (code, "CL"))
    return "Chile";
  if (g_str_equal (code, "AR"))
    return "Argentina";
  if (g_str_equal (code, "MX"))
    return "México";
  return code;
}

/* Writes the whole repository; files whose content did not change keep their mtime. */
static void
repo_publish (Repo *repo)
{
  g_autoptr(GString) index = g_string_new ("{\"format\": 1, \"publisher\": \"Test\", \"countries\": [");
  g_autoptr(GList) codes = g_list_sort (g_hash_table_get_keys (repo->countries), (GCompareFunc) strcmp);
  g_autofree char *events = NULL;
  g_autofree char *events_sha = NULL;
  g_autofree char *path = NULL;
  gboolean first = TRUE;

  for (GList *l = codes; l != NULL; l = l->next)
    {
      const char *code = l->data;
      g_auto(GStrv) documents = g_strsplit (g_hash_table_lookup (repo->countries, code), ",", -1);
      g_autoptr(GString) country = g_string_new (NULL);
      g_autofree char *country_path = NULL;
      g_autofree char *sha = NULL;
      g_autofree char *lower = g_ascii_strdown (code, -1);

      g_string_append_printf (country, "{\"code\": \"%s\", \"names\": {\"en\": \"%s\", \"es\": \"%s\"},"
                                       " \"updated\": \"2026-10-01T09:00:00Z\", \"documents\": [",
                              code, country_name (code), country_name (code));
      for (guint i = 0; documents[i] != NULL && *documents[i] != '\0'; i++)
        {
          g_auto(GStrv) parts = g_strsplit (documents[i], ":", 2);
          g_autoptr(GBytes) pdf = make_pdf (parts[0], parts[1], repo->pdf_size);
          g_autofree char *pdf_sha = sha256_of (g_bytes_get_data (pdf, NULL), g_bytes_get_size (pdf));
          g_autofree char *name = g_strdup_printf ("%s.pdf", parts[0]);
          g_autofree char *pdf_path = g_build_filename (repo->root, "v1", "documents", name, NULL);

          write_if_changed (pdf_path, g_bytes_get_data (pdf, NULL), g_bytes_get_size (pdf));
          g_string_append_printf (country, "%s{\"id\": \"%s\", \"kind\": \"strategy\", \"status\": \"adopted\","
                                           " \"title\": \"Document %s\", \"language\": \"es\","
                                           " \"href\": \"../documents/%s\", \"sha256\": \"%s\", \"bytes\": %"
                                           G_GSIZE_FORMAT "}",
                                  i > 0 ? ", " : "", parts[0], parts[0], name, pdf_sha,
                                  g_bytes_get_size (pdf));
        }
      g_string_append_printf (country, "], \"contacts\": [{\"id\": \"%s-pol-1\", \"category\": \"political\","
                                       " \"name\": \"Contact of %s\"}], \"cbms\": {\"1\": {\"status\": \"yes\"}}}\n",
                              lower, code);
      if (repo->malformed_country && g_str_equal (code, "CL"))
        g_string_truncate (country, country->len / 2);

      country_path = g_strdup_printf ("%s/v1/countries/%s.json", repo->root, code);
      write_if_changed (country_path, country->str, country->len);
      sha = sha256_of (country->str, country->len);
      g_string_append_printf (index, "%s{\"code\": \"%s\", \"href\": \"countries/%s.json\", \"sha256\": \"%s\"}",
                              first ? "" : ", ", code, code, sha);
      first = FALSE;
    }

  events = g_strdup_printf ("{\"events\": [{\"id\": \"ws-1\", \"title\": {\"en\": \"Workshop version %u\"},"
                            " \"starts\": \"2026-02-15T10:00:00-05:00\", \"modality\": \"online\","
                            " \"eligibility\": \"government\", \"registration\": {\"capacity\": 60}},"
                            " {\"id\": \"ws-2\", \"title\": {\"en\": \"Course\"},"
                            " \"starts\": \"2026-03-15T10:00:00-05:00\", \"modality\": \"hybrid\"}]}\n",
                            repo->events_version);
  path = g_build_filename (repo->root, "v1", "events.json", NULL);
  write_if_changed (path, events, strlen (events));
  events_sha = sha256_of (events, strlen (events));
  g_string_append_printf (index, "], \"events\": {\"href\": \"events.json\", \"sha256\": \"%s\"},"
                                 " \"registrations\": {\"href\": \"registrations\"}}\n", events_sha);

  g_free (path);
  path = g_build_filename (repo->root, "v1", "index.json", NULL);
  write_if_changed (path, index->str, index->len);
}

static char *
repo_file_url (Repo *repo)
{
  g_autofree char *path = g_build_filename (repo->root, "v1", "index.json", NULL);

  return g_filename_to_uri (path, NULL, NULL);
}

/* cbm-serve. */

/* Starts cbm-serve on @port, or on a free port when it is 0. */
static Server *
server_start_on (Repo       *repo,
                 const char *faults,
                 guint       port_number)
{
  g_autofree char *port_arg = g_strdup_printf ("%u", port_number);
  const char *serve = g_getenv ("CBM_SERVE");
  g_autofree char *port_file = g_build_filename (repo->root, "port", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *port = NULL;
  Server *server = g_new0 (Server, 1);
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  g_assert_nonnull (serve);
  g_unlink (port_file);
  if (faults != NULL)
    server->process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE,
                                        &error, serve, "--root", repo->root, "--port", port_arg,
                                        "--port-file", port_file, "--fault", faults, NULL);
  else
    server->process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE,
                                        &error, serve, "--root", repo->root, "--port", port_arg,
                                        "--port-file", port_file, NULL);
  g_assert_no_error (error);

  while (!g_file_get_contents (port_file, &port, NULL, NULL) || *g_strstrip (port) == '\0')
    {
      g_clear_pointer (&port, g_free);
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (10000);
    }
  server->index_url = g_strdup_printf ("http://127.0.0.1:%s/v1/index.json", port);
  server->port = (guint) g_ascii_strtoull (port, NULL, 10);
  return server;
}

static Server *
server_start (Repo       *repo,
              const char *faults)
{
  return server_start_on (repo, faults, 0);
}

static void
server_stop (Server *server)
{
  g_subprocess_send_signal (server->process, SIGTERM);
  g_subprocess_wait (server->process, NULL, NULL);
  g_object_unref (server->process);
  g_free (server->index_url);
  g_free (server);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Server, server_stop)

/* The store and the client. */

typedef struct
{
  char          *dir;
  char          *path;
  CbmStore      *store;
  CbmSyncClient *client;
} Local;

static void
async_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static GAsyncResult *
wait_for (GAsyncResult **slot)
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

  cbm_store_open_async (store, NULL, async_done_cb, &result);
  g_assert_true (cbm_store_open_finish (store, wait_for (&result), &error));
  g_assert_no_error (error);
  return store;
}

static Local *
local_new (void)
{
  Local *local = g_new0 (Local, 1);
  g_autoptr(GError) error = NULL;

  local->dir = g_dir_make_tmp ("cbm-test-store-XXXXXX", &error);
  g_assert_no_error (error);
  local->path = g_build_filename (local->dir, "cbm.db", NULL);
  local->store = open_store (local->path);
  local->client = cbm_sync_client_new (local->store);
  return local;
}

static void
local_free (Local *local)
{
  g_assert_finalize_object (local->client);
  g_clear_object (&local->store);
  cbm_test_remove_tree (local->dir);
  g_free (local->dir);
  g_free (local->path);
  g_free (local);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Local, local_free)

static gboolean
cancel_cb (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_REMOVE;
}

static CbmSyncReport *
sync_with_cancel (Local       *local,
                  const char  *url,
                  guint        cancel_after_ms,
                  GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GSource) timeout = NULL;
  CbmSyncReport *report;

  if (cancel_after_ms > 0)
    {
      timeout = g_timeout_source_new (cancel_after_ms);
      g_source_set_callback (timeout, cancel_cb, cancellable, NULL);
      g_source_attach (timeout, NULL);
    }
  cbm_sync_client_sync_async (local->client, url, cancellable, async_done_cb, &result);
  report = cbm_sync_client_sync_finish (local->client, wait_for (&result), error);
  if (timeout != NULL)
    g_source_destroy (timeout);
  g_assert_false (cbm_sync_client_get_busy (local->client));
  if (report != NULL)
    for (guint i = 0; i < report->problems->len; i++)
      g_test_message ("problem: %s", ((GError *) g_ptr_array_index (report->problems, i))->message);
  return report;
}

static CbmSyncReport *
sync_ok (Local      *local,
         const char *url)
{
  g_autoptr(GError) error = NULL;
  CbmSyncReport *report = sync_with_cancel (local, url, 0, &error);

  g_assert_no_error (error);
  g_assert_nonnull (report);
  return report;
}

static guint
count_files (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  guint n = 0;

  while (d != NULL && g_dir_read_name (d) != NULL)
    n++;
  return n;
}

static void
assert_file_sha256 (const char *path,
                    const char *sha256)
{
  g_autofree char *data = NULL;
  gsize length;
  g_autofree char *actual = NULL;

  g_assert_true (g_file_get_contents (path, &data, &length, NULL));
  actual = sha256_of (data, length);
  g_assert_cmpstr (actual, ==, sha256);
}

/* Every country the repository lists is in the store with exactly the documents of its file,
 * each PDF stored under its sha256; nothing else is in files/. */
static void
assert_store_matches (CbmStore *store,
                      Repo     *repo)
{
  GListModel *countries = cbm_store_get_countries (store);
  guint n_pdfs = 0;

  g_assert_cmpuint (g_list_model_get_n_items (countries), ==, g_hash_table_size (repo->countries));
  for (guint i = 0; i < g_list_model_get_n_items (countries); i++)
    {
      g_autoptr(CbmCountry) country = g_list_model_get_item (countries, i);
      const char *spec = g_hash_table_lookup (repo->countries, country->code);
      g_auto(GStrv) documents = NULL;
      guint n;

      g_assert_nonnull (spec);
      documents = g_strsplit (spec, ",", -1);
      n = *spec == '\0' ? 0 : g_strv_length (documents);
      g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (country->documents)), ==, n);
      g_assert_cmpstr (cbm_country_get_name (country, "en"), ==, country_name (country->code));
      g_assert_nonnull (country->synced_at);
      for (guint j = 0; j < n; j++)
        {
          g_autoptr(CbmDocument) document = g_list_model_get_item (G_LIST_MODEL (country->documents), j);
          g_autofree char *id = g_strndup (documents[j], strchr (documents[j], ':') - documents[j]);

          g_assert_cmpstr (document->id, ==, id);
          g_assert_nonnull (document->local_path);
          assert_file_sha256 (document->local_path, document->sha256);
          g_assert_true (g_str_has_prefix (document->href, "http") || g_str_has_prefix (document->href, "file:"));
          n_pdfs++;
        }
    }
  g_assert_cmpuint (count_files (cbm_store_get_files_dir (store)), ==, n_pdfs);
  g_assert_cmpuint (count_files (cbm_store_get_temp_dir (store)), ==, 0);
}

/* Every country present has all of its documents: nothing half applied. */
static void
assert_store_consistent (CbmStore *store)
{
  GListModel *countries = cbm_store_get_countries (store);

  for (guint i = 0; i < g_list_model_get_n_items (countries); i++)
    {
      g_autoptr(CbmCountry) country = g_list_model_get_item (countries, i);

      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (country->documents)); j++)
        {
          g_autoptr(CbmDocument) document = g_list_model_get_item (G_LIST_MODEL (country->documents), j);

          g_assert_nonnull (document->local_path);
          assert_file_sha256 (document->local_path, document->sha256);
        }
    }
}

static const GError *
find_problem (CbmSyncReport *report,
              const char    *needle)
{
  for (guint i = 0; i < report->problems->len; i++)
    {
      const GError *problem = g_ptr_array_index (report->problems, i);

      if (strstr (problem->message, needle) != NULL)
        return problem;
    }
  return NULL;
}

static Repo *
standard_repo (void)
{
  Repo *repo = repo_new ();

  repo_set_country (repo, "AR", "ar-ncs:1,ar-law:1");
  repo_set_country (repo, "CL", "cl-ncs:1");
  repo_set_country (repo, "MX", "");
  repo_publish (repo);
  return repo;
}

/* Tests. */

static void
test_first_and_no_op (void)
{
  g_autoptr(Repo) repo = standard_repo ();
  g_autoptr(Server) server = server_start (repo, NULL);
  g_autoptr(Local) local = local_new ();
  g_autoptr(CbmSyncReport) first = NULL;
  g_autoptr(CbmSyncReport) again = NULL;
  g_autofree char *registrations = NULL;
  g_autofree char *last_sync = NULL;
  guint files_done, files_total;
  guint64 bytes_done, bytes_total;

  first = sync_ok (local, server->index_url);
  g_assert_cmpuint (first->problems->len, ==, 0);
  /* The index, three countries, the events and three PDFs. */
  g_assert_cmpuint (first->n_requests, ==, 8);
  g_assert_cmpuint (first->n_not_modified, ==, 0);
  g_assert_cmpuint (first->changes->len, ==, 4);
  g_assert_cmpuint (first->n_downloaded_bytes, >, 3 * repo->pdf_size);
  assert_store_matches (local->store, repo);
  g_assert_cmpuint (g_list_model_get_n_items (cbm_store_get_events (local->store)), ==, 2);

  g_object_get (local->client, "files-done", &files_done, "files-total", &files_total,
                "bytes-done", &bytes_done, "bytes-total", &bytes_total, NULL);
  g_assert_cmpuint (files_done, ==, 8);
  g_assert_cmpuint (files_total, ==, 8);
  g_assert_cmpuint (bytes_done, ==, first->n_downloaded_bytes);
  g_assert_cmpuint (bytes_total, ==, bytes_done);

  {
    g_autofree char *folder = g_strndup (server->index_url,
                                         strrchr (server->index_url, '/') + 1 - server->index_url);
    registrations = g_strconcat (folder, "registrations", NULL);
  }
  g_assert_cmpstr (cbm_store_get_meta (local->store, "registrations-url"), ==, registrations);
  g_assert_cmpstr (cbm_store_get_meta (local->store, "repository-url"), ==, server->index_url);
  g_assert_cmpstr (cbm_store_get_meta (local->store, "index-countries"), ==, "AR,CL,MX");
  last_sync = g_strdup (cbm_store_get_meta (local->store, "last-sync"));
  g_assert_nonnull (last_sync);

  /* Nothing changed: one request, answered 304, and nothing else. */
  g_usleep (1100 * 1000);
  again = sync_ok (local, server->index_url);
  g_assert_cmpuint (again->n_requests, ==, 1);
  g_assert_cmpuint (again->n_not_modified, ==, 1);
  g_assert_cmpuint (again->changes->len, ==, 0);
  g_assert_cmpuint (again->problems->len, ==, 0);
  assert_store_matches (local->store, repo);
  g_assert_cmpstr (cbm_store_get_meta (local->store, "last-sync"), !=, last_sync);
}

static void
test_changed_country (void)
{
  g_autoptr(Repo) repo = standard_repo ();
  g_autoptr(Server) server = server_start (repo, NULL);
  g_autoptr(Local) local = local_new ();
  g_autoptr(CbmSyncReport) first = NULL;
  g_autoptr(CbmSyncReport) second = NULL;
  CbmStoreChanges *changes;

  first = sync_ok (local, server->index_url);
  g_assert_cmpuint (first->problems->len, ==, 0);

  repo_set_country (repo, "CL", "cl-ncs:1,cl-law:1");
  repo_publish (repo);
  second = sync_ok (local, server->index_url);
  g_assert_cmpuint (second->problems->len, ==, 0);
  /* The index, Chile's file and its new PDF: nothing else. */
  g_assert_cmpuint (second->n_requests, ==, 3);
  g_assert_cmpuint (second->n_not_modified, ==, 0);
  g_assert_cmpuint (second->changes->len, ==, 1);
  changes = g_ptr_array_index (second->changes, 0);
  g_assert_cmpstr (changes->country, ==, "CL");
  g_assert_cmpuint (changes->documents_added, ==, 1);
  g_assert_cmpuint (changes->documents_removed, ==, 0);
  assert_store_matches (local->store, repo);

  /* A new version of a PDF is a new file; the old one goes. */
  repo_set_country (repo, "CL", "cl-ncs:2,cl-law:1");
  repo_publish (repo);
  g_clear_pointer (&second, cbm_sync_report_free);
  second = sync_ok (local, server->index_url);
  g_assert_cmpuint (second->n_requests, ==, 3);
  changes = g_ptr_array_index (second->changes, 0);
  g_assert_cmpuint (changes->documents_changed, ==, 1);
  assert_store_matches (local->store, repo);
}

static void
test_removed_document (void)
{
  g_autoptr(Repo) repo = standard_repo ();
  g_autoptr(Server) server = server_start (repo, NULL);
  g_autoptr(Local) local = local_new ();
  g_autoptr(CbmSyncReport) first = NULL;
  g_autoptr(CbmSyncReport) second = NULL;
  g_autofree char *law_path = NULL;
  CbmCountry *argentina;
  CbmStoreChanges *changes;

  first = sync_ok (local, server->index_url);
  argentina = cbm_store_lookup_country (local->store, "AR");
  g_assert_nonnull (argentina);
  {
    g_autoptr(CbmDocument) law = g_list_model_get_item (G_LIST_MODEL (argentina->documents), 1);
    g_assert_cmpstr (law->id, ==, "ar-law");
    law_path = g_strdup (law->local_path);
  }
  g_assert_true (g_file_test (law_path, G_FILE_TEST_EXISTS));

  repo_set_country (repo, "AR", "ar-ncs:1");
  repo_publish (repo);
  second = sync_ok (local, server->index_url);
  g_assert_cmpuint (second->problems->len, ==, 0);
  g_assert_cmpuint (second->n_requests, ==, 2);
  changes = g_ptr_array_index (second->changes, 0);
  g_assert_cmpuint (changes->documents_removed, ==, 1);
  g_assert_false (g_file_test (law_path, G_FILE_TEST_EXISTS));
  assert_store_matches (local->store, repo);

  /* A country the index no longer lists goes with its PDFs. */
  g_hash_table_remove (repo->countries, "CL");
  repo_publish (repo);
  g_clear_pointer (&second, cbm_sync_report_free);
  second = sync_ok (local, server->index_url);
  g_assert_null (cbm_store_lookup_country (local->store, "CL"));
  assert_store_matches (local->store, repo);
}

/* Syncs a first version from a healthy server, changes Chile, then syncs from a server that
 * misbehaves: the old data stays, the problem is reported, and a healthy sync afterwards
 * brings everything. */
typedef void (*FaultCheck) (CbmSyncReport *report,
                            const GError  *error);

static void
run_fault (const char *fault,
           FaultCheck  check)
{
  g_autoptr(Repo) repo = standard_repo ();
  g_autoptr(Local) local = local_new ();
  g_autoptr(CbmSyncReport) report = NULL;
  g_autoptr(GError) error = NULL;
  CbmCountry *chile;
  guint port;

  /* The same port each time: the repository stays at the same URL. */
  {
    g_autoptr(Server) server = server_start (repo, NULL);
    g_autoptr(CbmSyncReport) first = sync_ok (local, server->index_url);
    g_assert_cmpuint (first->problems->len, ==, 0);
    port = server->port;
  }

  repo_set_country (repo, "CL", "cl-ncs:1,cl-law:1");
  repo_publish (repo);

  {
    g_autoptr(Server) server = server_start_on (repo, fault, port);

    report = sync_with_cancel (local, server->index_url, 0, &error);
    check (report, error);
  }

  /* Whatever happened, the store holds whole countries only, and the old Chile unless the
   * fault let the new one through. */
  assert_store_consistent (local->store);
  chile = cbm_store_lookup_country (local->store, "CL");
  g_assert_nonnull (chile);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (chile->documents)), >=, 1);
  g_assert_nonnull (cbm_store_lookup_country (local->store, "AR"));

  {
    g_autoptr(Server) server = server_start_on (repo, NULL, port);
    g_autoptr(CbmSyncReport) last = sync_ok (local, server->index_url);
    g_assert_cmpuint (last->problems->len, ==, 0);
    assert_store_matches (local->store, repo);
  }
}

static void
assert_chile_kept (CbmSyncReport *report,
                   const char    *detail)
{
  const GError *problem;

  g_assert_nonnull (report);
  problem = find_problem (report, "Chile");
  g_assert_nonnull (problem);
  g_assert_nonnull (strstr (problem->message, "countries/CL.json"));
  g_assert_nonnull (strstr (problem->message, detail));
  g_assert_nonnull (strstr (problem->message, "The previous data is kept"));
  g_assert_cmpuint (report->changes->len, ==, 0);
}

static void
check_5xx (CbmSyncReport *report,
           const GError  *error)
{
  g_assert_null (report);
  g_assert_error (error, CBM_SYNC_ERROR, CBM_SYNC_ERROR_SERVER);
  g_assert_nonnull (strstr (error->message, "503"));
}

static void
check_flaky (CbmSyncReport *report,
             const GError  *error)
{
  g_assert_no_error (error);
  g_assert_cmpuint (report->problems->len, ==, 0);
  /* Every request was answered 503 first and retried. */
  g_assert_cmpuint (report->n_requests, >=, 2 * 3);
  g_assert_cmpuint (report->changes->len, ==, 1);
}

static void
check_close_mid_body (CbmSyncReport *report,
                      const GError  *error)
{
  /* The index itself never arrives whole. */
  g_assert_null (report);
  g_assert_error (error, CBM_SYNC_ERROR, CBM_SYNC_ERROR_UNREACHABLE);
  g_assert_nonnull (strstr (error->message, "could not be reached"));
}

static void
check_bad_sha256 (CbmSyncReport *report,
                  const GError  *error)
{
  g_assert_no_error (error);
  assert_chile_kept (report, "checksum");
}

static void
check_malformed_json (CbmSyncReport *report,
                      const GError  *error)
{
  /* The server cuts the file after the index was made: the checksum catches it first. */
  g_assert_no_error (error);
  assert_chile_kept (report, "checksum");
}

static void
check_slow (CbmSyncReport *report,
            const GError  *error)
{
  g_assert_no_error (error);
  g_assert_cmpuint (report->problems->len, ==, 0);
  g_assert_cmpuint (report->n_requests, ==, 3);
}

static void
check_redirect_file (CbmSyncReport *report,
                     const GError  *error)
{
  g_assert_no_error (error);
  assert_chile_kept (report, "file:///etc/passwd");
  g_assert_nonnull (strstr (find_problem (report, "Chile")->message, "redirect"));
}

static void
check_huge_body (CbmSyncReport *report,
                 const GError  *error)
{
  g_assert_no_error (error);
  assert_chile_kept (report, "larger than the limit");
  /* Reading stopped at the cap, not at the end of the 17 MiB body. */
  g_assert_cmpuint (report->n_downloaded_bytes, <, CBM_FEED_MAX_BYTES + 1024 * 1024);
}

static void
check_dotdot_href (CbmSyncReport *report,
                   const GError  *error)
{
  g_assert_no_error (error);
  g_assert_nonnull (report);
  g_assert_nonnull (find_problem (report, "leads outside the repository"));
  g_assert_nonnull (find_problem (report, "Chile"));
  g_assert_nonnull (find_problem (report, "workshops"));
  /* Only the index was asked for: no link outside was followed. */
  g_assert_cmpuint (report->n_requests, ==, 1);
  g_assert_cmpuint (report->changes->len, ==, 0);
}

static const struct {
  const char *name;
  FaultCheck  check;
} faults[] = {
  { "5xx", check_5xx },
  { "flaky", check_flaky },
  { "close-mid-body", check_close_mid_body },
  { "bad-sha256", check_bad_sha256 },
  { "malformed-json", check_malformed_json },
  { "slow", check_slow },
  { "redirect-file", check_redirect_file },
  { "huge-body", check_huge_body },
  { "dotdot-href", check_dotdot_href },
};

static void
test_fault (gconstpointer data)
{
  guint i = GPOINTER_TO_UINT (data);

  run_fault (faults[i].name, faults[i].check);
}

/* A country file that breaks the format, with its true sha256 in the index: the reader's
 * message reaches the user and the old copy stays. */
static void
test_malformed_country (void)
{
  g_autoptr(Repo) repo = standard_repo ();
  g_autoptr(Server) server = server_start (repo, NULL);
  g_autoptr(Local) local = local_new ();
  g_autoptr(CbmSyncReport) first = sync_ok (local, server->index_url);
  g_autoptr(CbmSyncReport) second = NULL;
  g_autoptr(CbmSyncReport) third = NULL;

  repo->malformed_country = TRUE;
  repo_set_country (repo, "CL", "cl-ncs:1,cl-law:1");
  repo_publish (repo);
  second = sync_ok (local, server->index_url);
  assert_chile_kept (second, "not valid JSON");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (cbm_store_lookup_country (local->store, "CL")->documents)), ==, 1);

  /* A sync with problems keeps no validators for the index: the next one asks again. */
  third = sync_ok (local, server->index_url);
  g_assert_cmpuint (third->n_not_modified, ==, 0);
  g_assert_nonnull (find_problem (third, "Chile"));

  repo->malformed_country = FALSE;
  repo_publish (repo);
  g_clear_pointer (&third, cbm_sync_report_free);
  third = sync_ok (local, server->index_url);
  g_assert_cmpuint (third->problems->len, ==, 0);
  assert_store_matches (local->store, repo);
}

static void
test_cancel (void)
{
  g_autoptr(Repo) repo = repo_new ();
  g_autoptr(Local) local = local_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(CbmSyncReport) report = NULL;
  gint64 started;

  repo->pdf_size = 6000;
  repo_set_country (repo, "AR", "ar-ncs:1,ar-law:1");
  repo_set_country (repo, "CL", "cl-ncs:1,cl-law:1");
  repo_set_country (repo, "MX", "mx-ncs:1,mx-law:1");
  repo_publish (repo);

  {
    g_autoptr(Server) server = server_start (repo, "slow");

    started = g_get_monotonic_time ();
    report = sync_with_cancel (local, server->index_url, 900, &error);
    g_assert_null (report);
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    /* Promptly: well before the slow downloads could have ended. */
    g_assert_cmpint (g_get_monotonic_time () - started, <, 1500 * 1000);
  }

  assert_store_consistent (local->store);
  /* The partial downloads are deleted once the cancelled reads return. */
  {
    gint64 deadline = g_get_monotonic_time () + 2 * G_USEC_PER_SEC;

    while (count_files (cbm_store_get_temp_dir (local->store)) > 0 && g_get_monotonic_time () < deadline)
      g_main_context_iteration (NULL, FALSE);
    g_assert_cmpuint (count_files (cbm_store_get_temp_dir (local->store)), ==, 0);
  }

  {
    g_autoptr(Server) server = server_start (repo, NULL);
    g_autoptr(CbmSyncReport) again = sync_ok (local, server->index_url);

    g_assert_cmpuint (again->problems->len, ==, 0);
    assert_store_matches (local->store, repo);
  }
}

static void
test_file_import (void)
{
  g_autoptr(Repo) repo = standard_repo ();
  g_autoptr(Local) local = local_new ();
  g_autofree char *url = repo_file_url (repo);
  g_autoptr(CbmSyncReport) first = sync_ok (local, url);
  g_autoptr(CbmSyncReport) again = NULL;

  g_assert_cmpuint (first->problems->len, ==, 0);
  g_assert_cmpuint (first->n_requests, ==, 8);
  assert_store_matches (local->store, repo);
  /* A folder takes no registrations. */
  g_assert_cmpstr (cbm_store_get_meta (local->store, "registrations-url"), ==, "");

  again = sync_ok (local, url);
  g_assert_cmpuint (again->n_requests, ==, 1);
  g_assert_cmpuint (again->n_not_modified, ==, 1);

  /* The same code path notices a change. */
  repo_set_country (repo, "MX", "mx-ncs:1");
  repo_publish (repo);
  g_clear_pointer (&again, cbm_sync_report_free);
  again = sync_ok (local, url);
  g_assert_cmpuint (again->n_requests, ==, 3);
  assert_store_matches (local->store, repo);
}

static void
test_refused (void)
{
  const char *urls[] = {
    "http://example.com/v1/index.json",
    "http://10.1.2.3/v1/index.json",
    "ftp://127.0.0.1/v1/index.json",
    "data:,{}",
    "not a url",
  };
  g_autoptr(Local) local = local_new ();

  for (guint i = 0; i < G_N_ELEMENTS (urls); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(CbmSyncReport) report = sync_with_cancel (local, urls[i], 0, &error);

      g_assert_null (report);
      g_assert_error (error, CBM_SYNC_ERROR, CBM_SYNC_ERROR_REFUSED);
      g_test_message ("%s", error->message);
    }

  g_assert_true (cbm_fetcher_check_url ("https://example.com/v1/index.json", 0, NULL));
  g_assert_true (cbm_fetcher_check_url ("http://127.0.0.1:8080/v1/index.json", 0, NULL));
  g_assert_true (cbm_fetcher_check_url ("http://127.1.2.3/x", 0, NULL));
  g_assert_true (cbm_fetcher_check_url ("http://[::1]:8080/x", 0, NULL));
  g_assert_true (cbm_fetcher_check_url ("http://localhost/x", 0, NULL));
  g_assert_false (cbm_fetcher_check_url ("http://localhost.example.com/x", 0, NULL));
  g_assert_false (cbm_fetcher_check_url ("file:///etc/passwd", 0, NULL));
  g_assert_true (cbm_fetcher_check_url ("file:///srv/repo/v1/index.json", CBM_FETCH_FLAGS_ALLOW_FILE, NULL));
}

/* kill -9 of a syncing process at several moments; the store reopens whole each time. */

static void
assert_integrity (const char *path)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA integrity_check", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "ok");
  sqlite3_finalize (stmt);
  sqlite3_close (db);
}

static void
test_kill (void)
{
  const guint delays_ms[] = { 250, 700, 1200, 1700, 2300 };
  const char *tool = g_getenv ("CBM_SYNC_TOOL");
  g_autoptr(Repo) repo = repo_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("cbm-test-kill-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "cbm.db", NULL);
  guint max_countries = 0;
  guint n_killed = 0;

  g_assert_nonnull (tool);
  repo->pdf_size = 4000;
  repo_set_country (repo, "AR", "ar-ncs:1,ar-law:1");
  repo_set_country (repo, "BR", "br-ncs:1,br-law:1");
  repo_set_country (repo, "CL", "cl-ncs:1,cl-law:1");
  repo_set_country (repo, "CO", "co-ncs:1,co-law:1");
  repo_set_country (repo, "MX", "mx-ncs:1");
  repo_set_country (repo, "PE", "pe-ncs:1,pe-law:1");
  repo_publish (repo);

  {
    g_autoptr(Server) server = server_start (repo, "slow");

    for (guint i = 0; i < G_N_ELEMENTS (delays_ms); i++)
      {
        g_autoptr(GSubprocess) process = NULL;
        g_autoptr(CbmStore) store = NULL;
        guint n;

        /* A new version of one country each round, so there is always work to interrupt. */
        if (i > 0)
          {
            g_autofree char *spec = g_strdup_printf ("cl-ncs:%u,cl-law:1", i + 1);
            repo_set_country (repo, "CL", spec);
            repo_publish (repo);
          }

        process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE,
                                    &error, tool, path, server->index_url, NULL);
        g_assert_no_error (error);
        g_usleep (delays_ms[i] * 1000);
        g_subprocess_force_exit (process);
        g_subprocess_wait (process, NULL, NULL);
        /* A late kill may find the sync already done: that is fine too. */
        if (g_subprocess_get_if_signaled (process))
          {
            g_assert_cmpint (g_subprocess_get_term_sig (process), ==, SIGKILL);
            n_killed++;
          }
        else
          g_assert_true (g_subprocess_get_successful (process));

        assert_integrity (path);
        store = open_store (path);
        assert_store_consistent (store);
        n = g_list_model_get_n_items (cbm_store_get_countries (store));
        g_test_message ("killed after %u ms: %u countries stored, %u temporary files",
                        delays_ms[i], n, count_files (cbm_store_get_temp_dir (store)));
        max_countries = MAX (max_countries, n);
      }
  }
  /* The kills did land in the middle of syncs that got somewhere. */
  g_assert_cmpuint (max_countries, >, 0);
  g_assert_cmpuint (n_killed, >=, 3);

  {
    g_autoptr(Server) server = server_start (repo, NULL);
    g_autoptr(CbmStore) store = open_store (path);
    g_autoptr(CbmSyncClient) client = cbm_sync_client_new (store);
    Local local = { dir, path, store, client };
    g_autoptr(CbmSyncReport) report = sync_ok (&local, server->index_url);

    g_assert_cmpuint (report->problems->len, ==, 0);
    assert_store_matches (store, repo);
    assert_integrity (path);
  }
  cbm_test_remove_tree (dir);
}

/* The first start imports the bundled repository from a file:// URL; a kill -9 at any moment
 * of it leaves a store that reopens whole, holding complete countries only, and the next
 * start finishes the import. */
static void
assert_countries_complete (CbmStore   *store,
                           const char *repository)
{
  GListModel *countries = cbm_store_get_countries (store);

  for (guint i = 0; i < g_list_model_get_n_items (countries); i++)
    {
      g_autoptr(CbmCountry) country = g_list_model_get_item (countries, i);
      g_autofree char *name = g_strdup_printf ("%s.json", country->code);
      g_autofree char *file = g_build_filename (repository, "v1", "countries", name, NULL);
      g_autoptr(GError) error = NULL;
      g_autoptr(GMappedFile) mapped = g_mapped_file_new (file, FALSE, &error);
      g_autoptr(GBytes) bytes = NULL;
      g_autoptr(CbmCountry) expected = NULL;

      g_assert_no_error (error);
      bytes = g_mapped_file_get_bytes (mapped);
      expected = cbm_feed_parse_country (name, bytes, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (country->documents)), ==,
                        g_list_model_get_n_items (G_LIST_MODEL (expected->documents)));
      g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (country->contacts)), ==,
                        g_list_model_get_n_items (G_LIST_MODEL (expected->contacts)));
    }
}

static void
test_kill_first_import (void)
{
  const guint n_kills = 9;
  const char *tool = g_getenv ("CBM_SYNC_TOOL");
  const char *repository = g_getenv ("CBM_SAMPLE_REPOSITORY");
  g_autoptr(GError) error = NULL;
  g_autofree char *index = NULL;
  g_autofree char *url = NULL;
  guint n_killed = 0;
  gint64 whole_us;

  g_assert_nonnull (tool);
  g_assert_nonnull (repository);
  index = g_build_filename (repository, "v1", "index.json", NULL);
  url = g_filename_to_uri (index, NULL, &error);
  g_assert_no_error (error);

  /* The kills are spread over the time a whole import takes on this machine and build. */
  {
    g_autofree char *dir = g_dir_make_tmp ("cbm-test-kill-import-XXXXXX", &error);
    g_autofree char *path = g_build_filename (dir, "cbm.db", NULL);
    g_autoptr(GSubprocess) process = NULL;
    gint64 start = g_get_monotonic_time ();

    process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE,
                                &error, tool, path, url, NULL);
    g_assert_no_error (error);
    g_assert_true (g_subprocess_wait_check (process, NULL, &error));
    whole_us = g_get_monotonic_time () - start;
    cbm_test_remove_tree (dir);
  }

  for (guint i = 0; i < n_kills; i++)
    {
      g_autofree char *dir = g_dir_make_tmp ("cbm-test-kill-import-XXXXXX", &error);
      g_autofree char *path = g_build_filename (dir, "cbm.db", NULL);
      g_autoptr(GSubprocess) process = NULL;
      gint64 delay_us = whole_us * (i + 1) / (n_kills + 1);

      process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE,
                                  &error, tool, path, url, NULL);
      g_assert_no_error (error);
      g_usleep (delay_us);
      g_subprocess_force_exit (process);
      g_subprocess_wait (process, NULL, NULL);
      if (g_subprocess_get_if_signaled (process))
        n_killed++;

      if (g_file_test (path, G_FILE_TEST_EXISTS))
        {
          g_autoptr(CbmStore) store = NULL;

          assert_integrity (path);
          store = open_store (path);
          assert_store_consistent (store);
          assert_countries_complete (store, repository);
          g_test_message ("import of %" G_GINT64_FORMAT " ms killed after %" G_GINT64_FORMAT " ms: "
                          "%u countries stored", whole_us / 1000, delay_us / 1000,
                          g_list_model_get_n_items (cbm_store_get_countries (store)));
        }

      /* The next start picks up where the import stopped. */
      {
        g_autoptr(CbmStore) store = open_store (path);
        g_autoptr(CbmSyncClient) client = cbm_sync_client_new (store);
        Local local = { dir, path, store, client };
        g_autoptr(CbmSyncReport) report = sync_ok (&local, url);

        g_assert_cmpuint (report->problems->len, ==, 0);
        g_assert_cmpuint (g_list_model_get_n_items (cbm_store_get_countries (store)), ==, 35);
        assert_store_consistent (store);
        assert_countries_complete (store, repository);
        g_assert_cmpuint (count_files (cbm_store_get_temp_dir (store)), ==, 0);
      }
      cbm_test_remove_tree (dir);
    }

  g_assert_cmpuint (n_killed, >=, 3);
}

static void
test_properties (void)
{
  g_autoptr(Local) local = local_new ();
  g_autofree char *agent = NULL;
  guint64 max_document, max_json;
  guint timeout;

  g_object_get (local->client, "user-agent", &agent, "max-document-size", &max_document,
                "max-json-size", &max_json, "timeout", &timeout, NULL);
  g_assert_cmpstr (agent, ==, "CBM-Desk/" PACKAGE_VERSION);
  g_assert_cmpuint (max_document, ==, 200 * 1024 * 1024);
  g_assert_cmpuint (max_json, ==, CBM_FEED_MAX_BYTES);
  g_assert_cmpuint (timeout, >, 0);
  g_object_set (local->client, "timeout", 5, NULL);
  g_object_get (local->client, "timeout", &timeout, NULL);
  g_assert_cmpuint (timeout, ==, 5);
}

/* A PDF larger than the cap is refused; the country is applied without it and the next sync
 * tries it again. */
static void
test_document_too_large (void)
{
  g_autoptr(Repo) repo = standard_repo ();
  g_autoptr(Server) server = server_start (repo, NULL);
  g_autoptr(Local) local = local_new ();
  g_autoptr(CbmSyncReport) first = NULL;
  g_autoptr(CbmSyncReport) second = NULL;
  CbmCountry *chile;

  g_object_set (local->client, "max-document-size", (guint64) 1000, NULL);
  first = sync_ok (local, server->index_url);
  g_assert_cmpuint (first->problems->len, ==, 3);
  g_assert_nonnull (find_problem (first, "“Document cl-ncs” of Chile"));
  g_assert_nonnull (find_problem (first, "larger than the limit"));
  chile = cbm_store_lookup_country (local->store, "CL");
  g_assert_nonnull (chile);
  {
    g_autoptr(CbmDocument) document = g_list_model_get_item (G_LIST_MODEL (chile->documents), 0);
    g_assert_null (document->local_path);
  }

  g_object_set (local->client, "max-document-size", (guint64) 10 * 1024 * 1024, NULL);
  second = sync_ok (local, server->index_url);
  g_assert_cmpuint (second->problems->len, ==, 0);
  /* The index again (no validators were kept), and the three PDFs only. */
  g_assert_cmpuint (second->n_requests, ==, 4);
  assert_store_matches (local->store, repo);
}

static CbmFetchResult *
fetch_to_file (CbmFetcher  *fetcher,
               const char  *url,
               const char  *temp_dir,
               const char  *path,
               const char  *sha256,
               GError     **error)
{
  CbmFetchTarget target = { temp_dir, path, sha256 };
  g_autoptr(GAsyncResult) result = NULL;

  cbm_fetcher_fetch_async (fetcher, url, CBM_FETCH_FLAGS_ALLOW_FILE, NULL, G_MAXUINT64, &target,
                           NULL, async_done_cb, &result);
  return cbm_fetcher_fetch_finish (fetcher, wait_for (&result), error);
}

/* A body bound for a file lands at its target only with the expected checksum, whether it
 * takes one write or several, and leaves no temporary file either way. */
/* The published vectors (FIPS 180-2), and a million bytes fed in uneven pieces beside GChecksum. */
static void
test_sha256 (void)
{
  g_autoptr(CbmSha256) empty = cbm_sha256_new ();
  g_autoptr(CbmSha256) abc = cbm_sha256_new ();
  g_autoptr(CbmSha256) million = cbm_sha256_new ();
  g_autoptr(GChecksum) reference = g_checksum_new (G_CHECKSUM_SHA256);
  g_autofree guchar *bytes = g_malloc (1000000);
  gsize done = 0;

  g_assert_cmpstr (cbm_sha256_get_string (empty), ==,
                   "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  cbm_sha256_update (abc, (const guchar *) "abc", 3);
  g_assert_cmpstr (cbm_sha256_get_string (abc), ==,
                   "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  /* Asking again gives the same digest. */
  g_assert_cmpstr (cbm_sha256_get_string (abc), ==,
                   "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");

  for (gsize i = 0; i < 1000000; i++)
    bytes[i] = 'a';
  for (gsize piece = 1; done < 1000000; piece = piece * 3 + 1)
    {
      gsize length = MIN (piece, 1000000 - done);

      cbm_sha256_update (million, bytes + done, length);
      done += length;
    }
  g_assert_cmpstr (cbm_sha256_get_string (million), ==,
                   "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");

  for (gsize i = 0; i < 1000000; i++)
    bytes[i] = (guchar) (i * 7919 >> 3);
  g_checksum_update (reference, bytes, 1000000);
  g_clear_pointer (&million, cbm_sha256_free);
  million = cbm_sha256_new ();
  cbm_sha256_update (million, bytes, 65536);
  cbm_sha256_update (million, bytes + 65536, 1000000 - 65536);
  g_assert_cmpstr (cbm_sha256_get_string (million), ==, g_checksum_get_string (reference));
}

static void
test_fetch_to_file (void)
{
  const gsize sizes[] = { 0, 1000, 3 * 1024 * 1024 + 17 };
  const char *wrong_sha256 = "0000000000000000000000000000000000000000000000000000000000000000";
  g_autoptr(CbmFetcher) fetcher = cbm_fetcher_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("cbm-test-fetch-XXXXXX", &error);
  g_autofree char *temp_dir = g_build_filename (dir, "tmp", NULL);
  g_autofree char *source = g_build_filename (dir, "source.pdf", NULL);
  g_autofree char *url = g_filename_to_uri (source, NULL, NULL);

  g_assert_no_error (error);
  g_assert_cmpint (g_mkdir (temp_dir, 0700), ==, 0);

  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      g_autofree char *data = g_malloc (sizes[i] + 1);
      g_autofree char *sha256 = NULL;
      g_autofree char *target = g_strdup_printf ("%s/target-%u.pdf", dir, i);
      g_autofree char *stored = NULL;
      g_autoptr(CbmFetchResult) wrong = NULL;
      g_autoptr(CbmFetchResult) right = NULL;
      gsize length;

      for (gsize j = 0; j < sizes[i]; j++)
        data[j] = (char) (j * 7 + j / 4096);
      sha256 = sha256_of (data, sizes[i]);
      g_file_set_contents (source, data, sizes[i], &error);
      g_assert_no_error (error);

      wrong = fetch_to_file (fetcher, url, temp_dir, target, wrong_sha256, &error);
      g_assert_null (wrong);
      g_assert_error (error, CBM_SYNC_ERROR, CBM_SYNC_ERROR_CHECKSUM);
      g_assert_nonnull (strstr (error->message, "checksum"));
      g_clear_error (&error);
      g_assert_false (g_file_test (target, G_FILE_TEST_EXISTS));

      right = fetch_to_file (fetcher, url, temp_dir, target, sha256, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (right->path, ==, target);
      g_assert_cmpstr (right->sha256, ==, sha256);
      g_assert_cmpuint (right->size, ==, sizes[i]);
      g_file_get_contents (target, &stored, &length, &error);
      g_assert_no_error (error);
      g_assert_cmpmem (stored, length, data, sizes[i]);

      /* The failed fetch removes its file after returning: give it a moment. */
      {
        gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

        while (count_files (temp_dir) > 0 && g_get_monotonic_time () < deadline)
          g_main_context_iteration (NULL, FALSE);
        g_assert_cmpuint (count_files (temp_dir), ==, 0);
      }
    }
  cbm_test_remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sync/properties", test_properties);
  g_test_add_func ("/sync/sha256", test_sha256);
  g_test_add_func ("/sync/fetch-to-file", test_fetch_to_file);
  g_test_add_func ("/sync/refused", test_refused);
  g_test_add_func ("/sync/first-and-no-op", test_first_and_no_op);
  g_test_add_func ("/sync/changed-country", test_changed_country);
  g_test_add_func ("/sync/removed-document", test_removed_document);
  g_test_add_func ("/sync/malformed-country", test_malformed_country);
  g_test_add_func ("/sync/document-too-large", test_document_too_large);
  for (guint i = 0; i < G_N_ELEMENTS (faults); i++)
    {
      g_autofree char *name = g_strdup_printf ("/sync/fault/%s", faults[i].name);
      g_test_add_data_func (name, GUINT_TO_POINTER (i), test_fault);
    }
  g_test_add_func ("/sync/cancel", test_cancel);
  g_test_add_func ("/sync/file-import", test_file_import);
  g_test_add_func ("/sync/kill", test_kill);
  g_test_add_func ("/sync/kill-first-import", test_kill_first_import);

  return g_test_run ();
}
