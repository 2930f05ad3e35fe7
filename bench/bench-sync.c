/* bench-sync.c
 *
 * Copyright 2026 The CBM Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The sync client against cbm-serve on loopback, serving the bundled sample repository, beside
 * curl fetching the same files in the same run (alternating, median of RUNS, default 15):
 *
 *  - full sync into an empty store (a fresh folder each run) vs one curl invocation that fetches
 *    every URL the sync fetches (index, countries, events, all PDFs) with connection reuse and
 *    the client's parallelism, writing each body to a file as the client does;
 *  - no-op sync (the store is up to date) vs curl's conditional round: the same requests with
 *    the same validators, each answered 304;
 *  - the longest main-loop stall during a full sync, measured by a 5 ms timeout source that
 *    records its own lateness.
 *
 * Usage: bench-sync [RUNS]. Needs CBM_SERVE and CBM_SAMPLE_REPOSITORY (meson's benchmark sets
 * them) and curl in PATH.
 */

#include "config.h"

#include <json-glib/json-glib.h>
#include <signal.h>
#include <stdlib.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include "cbm-sync.h"
#include "cbm-test-files.h"

/* The client's MAX_PARALLEL_FETCHES (and its per-host connection limit). */
#define CLIENT_PARALLELISM 4
#define STALL_INTERVAL_MS  5

#define TARGET_FULL_RATIO  1.5
#define TARGET_NOOP_RATIO  2.0
#define TARGET_STALL_MS    50.0

static GSubprocess *server;
static char *server_dir;

static void
stop_server (void)
{
  if (server != NULL)
    {
      g_subprocess_send_signal (server, SIGTERM);
      g_subprocess_wait (server, NULL, NULL);
      g_clear_object (&server);
    }
  if (server_dir != NULL)
    {
      cbm_test_remove_tree (server_dir);
      g_clear_pointer (&server_dir, g_free);
    }
}

/* Fails the benchmark, without leaving the server running. */
G_GNUC_PRINTF (1, 2) G_GNUC_NORETURN static void
die (const char *format,
     ...)
{
  va_list args;
  g_autofree char *message = NULL;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_printerr ("bench-sync: %s\n", message);
  stop_server ();
  exit (1);
}

static char *
make_tmp (const char *pattern)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp (pattern, &error);

  if (dir == NULL)
    die ("%s", error->message);
  return dir;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static double
median (GArray *values)
{
  g_array_sort (values, compare_doubles);
  return g_array_index (values, double, values->len / 2);
}

static double
maximum (GArray *values)
{
  g_array_sort (values, compare_doubles);
  return g_array_index (values, double, values->len - 1);
}

/* The server. */

/* In the child: the server goes when the benchmark does, even if it is killed or crashes. */
static void
server_child_setup (gpointer user_data)
{
#ifdef __linux__
  prctl (PR_SET_PDEATHSIG, SIGTERM);
#endif
}

static char *
start_server (const char *serve,
              const char *root)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *port_file = NULL;
  g_autofree char *port = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  server_dir = make_tmp ("cbm-bench-serve-XXXXXX");
  port_file = g_build_filename (server_dir, "port", NULL);
  /* It logs a line per request: silenced, so its terminal output costs nothing. */
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                        G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_subprocess_launcher_set_child_setup (launcher, server_child_setup, NULL, NULL);
  server = g_subprocess_launcher_spawn (launcher, &error, serve, "--root", root, "--port", "0",
                                        "--port-file", port_file, NULL);
  if (server == NULL)
    die ("cannot start %s: %s", serve, error->message);

  while (!g_file_get_contents (port_file, &port, NULL, NULL) || *g_strstrip (port) == '\0')
    {
      g_clear_pointer (&port, g_free);
      if (g_subprocess_get_identifier (server) == NULL || g_get_monotonic_time () > deadline)
        die ("%s did not start", serve);
      g_usleep (5000);
    }
  return g_strdup_printf ("http://127.0.0.1:%s/v1/index.json", port);
}

/* The URLs a full sync fetches, read from the repository folder as the client resolves them:
 * each href against the URL of the file it appears in. */

static JsonNode *
load_json (const char *root,
           const char *url)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  g_autofree char *path = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  if (uri == NULL)
    die ("cannot parse %s", url);
  path = g_build_filename (root, g_uri_get_path (uri), NULL);
  if (!json_parser_load_from_file (parser, path, &error))
    die ("%s: %s", path, error->message);
  return json_node_ref (json_parser_get_root (parser));
}

static char *
resolve (const char *base,
         const char *href)
{
  char *url = g_uri_resolve_relative (base, href, G_URI_FLAGS_ENCODED, NULL);

  if (url == NULL)
    die ("cannot resolve %s against %s", href, base);
  return url;
}

static GPtrArray *
list_urls (const char *root,
           const char *index_url,
           guint64    *total_bytes)
{
  GPtrArray *urls = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(JsonNode) index = load_json (root, index_url);
  JsonObject *index_object = json_node_get_object (index);
  JsonArray *countries = json_object_get_array_member (index_object, "countries");

  *total_bytes = 0;
  g_ptr_array_add (urls, g_strdup (index_url));

  for (guint i = 0; i < json_array_get_length (countries); i++)
    {
      JsonObject *entry = json_array_get_object_element (countries, i);
      char *country_url = resolve (index_url, json_object_get_string_member (entry, "href"));
      g_autoptr(JsonNode) country = load_json (root, country_url);
      JsonArray *documents = json_object_get_array_member (json_node_get_object (country), "documents");

      g_ptr_array_add (urls, country_url);
      for (guint j = 0; j < json_array_get_length (documents); j++)
        {
          JsonObject *document = json_array_get_object_element (documents, j);
          char *url = resolve (country_url, json_object_get_string_member (document, "href"));

          /* A PDF is stored once per content, so one listed twice is fetched once. */
          if (g_hash_table_contains (seen, url))
            {
              g_free (url);
              continue;
            }
          g_hash_table_add (seen, url);
          g_ptr_array_add (urls, url);
          *total_bytes += (guint64) json_object_get_int_member (document, "bytes");
        }
    }

  if (json_object_has_member (index_object, "events"))
    {
      JsonObject *events = json_object_get_object_member (index_object, "events");

      g_ptr_array_add (urls, resolve (index_url, json_object_get_string_member (events, "href")));
    }
  return urls;
}

/* curl. */

/* Runs curl with @args; returns the wall time in milliseconds, process start included, and
 * its standard output. Descriptors are inherited so that GLib starts curl with posix_spawn()
 * rather than fork(): a fork would mark every page of this process copy-on-write, and the
 * sync measured next would pay a fault for each page it writes, which the app never does. */
static double
run_curl (GPtrArray  *args,
          char      **out)
{
  g_autoptr(GSubprocess) curl = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *stdout_text = NULL;
  g_autofree char *stderr_text = NULL;
  gint64 start = g_get_monotonic_time ();
  double elapsed;

  curl = g_subprocess_newv ((const char * const *) args->pdata,
                            G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE
                            | G_SUBPROCESS_FLAGS_INHERIT_FDS, &error);
  if (curl == NULL)
    die ("cannot run curl: %s", error->message);
  if (!g_subprocess_communicate_utf8 (curl, NULL, NULL, &stdout_text, &stderr_text, &error))
    die ("curl: %s", error->message);
  elapsed = (g_get_monotonic_time () - start) / 1000.0;
  if (!g_subprocess_get_successful (curl))
    die ("curl failed: %s", stderr_text);
  if (out != NULL)
    *out = g_steal_pointer (&stdout_text);
  return elapsed;
}

/* One curl invocation fetching every URL, @parallel at a time, each body to a file in @dir
 * (or to /dev/null when @dir is NULL). */
static double
curl_full (GPtrArray  *urls,
           const char *dir)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new_with_free_func (g_free);

  g_ptr_array_add (args, g_strdup ("curl"));
  g_ptr_array_add (args, g_strdup ("--silent"));
  g_ptr_array_add (args, g_strdup ("--show-error"));
  g_ptr_array_add (args, g_strdup ("--fail"));
  g_ptr_array_add (args, g_strdup ("--parallel"));
  g_ptr_array_add (args, g_strdup ("--parallel-max"));
  g_ptr_array_add (args, g_strdup_printf ("%d", CLIENT_PARALLELISM));
  for (guint i = 0; i < urls->len; i++)
    {
      g_ptr_array_add (args, g_strdup ("--output"));
      g_ptr_array_add (args, dir != NULL ? g_strdup_printf ("%s/%u", dir, i) : g_strdup ("/dev/null"));
      g_ptr_array_add (args, g_strdup (g_ptr_array_index (urls, i)));
    }
  g_ptr_array_add (args, NULL);
  return run_curl (args, NULL);
}

/* The no-op round: the index with the validators the client keeps. @transfer_ms is curl's own
 * measure of the request, without its process start. */
static double
curl_conditional (const CbmSyncState *state,
                  double             *transfer_ms)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *codes = NULL;
  g_auto(GStrv) fields = NULL;
  double elapsed;

  g_ptr_array_add (args, g_strdup ("curl"));
  g_ptr_array_add (args, g_strdup ("--silent"));
  g_ptr_array_add (args, g_strdup ("--show-error"));
  g_ptr_array_add (args, g_strdup ("--fail"));
  g_ptr_array_add (args, g_strdup ("--output"));
  g_ptr_array_add (args, g_strdup ("/dev/null"));
  g_ptr_array_add (args, g_strdup ("--write-out"));
  g_ptr_array_add (args, g_strdup ("%{http_code} %{time_total}"));
  if (state->etag != NULL)
    {
      g_ptr_array_add (args, g_strdup ("--header"));
      g_ptr_array_add (args, g_strdup_printf ("If-None-Match: %s", state->etag));
    }
  if (state->last_modified != NULL)
    {
      g_ptr_array_add (args, g_strdup ("--header"));
      g_ptr_array_add (args, g_strdup_printf ("If-Modified-Since: %s", state->last_modified));
    }
  g_ptr_array_add (args, g_strdup (state->url));
  g_ptr_array_add (args, NULL);

  elapsed = run_curl (args, &codes);
  fields = g_strsplit (codes, " ", 2);
  if (!g_str_equal (fields[0], "304") || fields[1] == NULL)
    die ("curl's conditional request was answered %s, not 304", codes);
  *transfer_ms = g_ascii_strtod (fields[1], NULL) * 1000.0;
  return elapsed;
}

/* Our client. */

typedef struct
{
  gint64 expected;  /* when the timeout should fire next, µs */
  gint64 max_late;
} Stall;

static gboolean
stall_tick_cb (gpointer user_data)
{
  Stall *stall = user_data;
  gint64 now = g_get_monotonic_time ();

  if (stall->expected != 0 && now - stall->expected > stall->max_late)
    stall->max_late = now - stall->expected;
  /* GLib schedules the next dispatch from this iteration's time, so lateness is measured
   * against exactly what the main loop was asked to do. */
  stall->expected = g_source_get_time (g_main_current_source ()) + STALL_INTERVAL_MS * 1000;
  return G_SOURCE_CONTINUE;
}

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
open_store (const char *dir)
{
  g_autofree char *path = g_build_filename (dir, "store.db", NULL);
  CbmStore *store = cbm_store_new (path);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  cbm_store_open_async (store, NULL, async_done_cb, &result);
  if (!cbm_store_open_finish (store, wait_for (&result), &error))
    die ("cannot open the store: %s", error->message);
  return store;
}

/* One sync with a new client (a new session, as after the idle timeout); returns the wall
 * time in milliseconds and, when @stall is given, the longest main-loop stall in it. */
static double
sync_once (CbmStore      *store,
           const char    *index_url,
           guint         *n_requests,
           guint         *n_not_modified,
           double        *stall_ms)
{
  g_autoptr(CbmSyncClient) client = cbm_sync_client_new (store);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(CbmSyncReport) report = NULL;
  g_autoptr(GError) error = NULL;
  Stall stall = { 0 };
  guint stall_id = 0;
  gint64 start;
  double elapsed;

  if (stall_ms != NULL)
    stall_id = g_timeout_add (STALL_INTERVAL_MS, stall_tick_cb, &stall);

  start = g_get_monotonic_time ();
  cbm_sync_client_sync_async (client, index_url, NULL, async_done_cb, &result);
  report = cbm_sync_client_sync_finish (client, wait_for (&result), &error);
  elapsed = (g_get_monotonic_time () - start) / 1000.0;

  if (stall_id != 0)
    {
      g_source_remove (stall_id);
      *stall_ms = stall.max_late / 1000.0;
    }

  if (report == NULL)
    die ("the sync failed: %s", error->message);
  if (report->problems->len > 0)
    die ("the sync reported a problem: %s",
         ((GError *) g_ptr_array_index (report->problems, 0))->message);
  *n_requests = report->n_requests;
  *n_not_modified = report->n_not_modified;
  return elapsed;
}

/* A full sync into a fresh folder. */
static double
full_sync_once (const char *index_url,
                guint      *n_requests,
                double     *stall_ms)
{
  g_autofree char *dir = make_tmp ("cbm-bench-sync-XXXXXX");
  double elapsed;
  guint n_not_modified;

  {
    g_autoptr(CbmStore) store = open_store (dir);

    elapsed = sync_once (store, index_url, n_requests, &n_not_modified, stall_ms);
    if (n_not_modified != 0)
      die ("a sync into an empty store had %u answers 304", n_not_modified);
  }
  cbm_test_remove_tree (dir);
  return elapsed;
}

static double
curl_full_once (GPtrArray *urls)
{
  g_autofree char *dir = make_tmp ("cbm-bench-curl-XXXXXX");
  double elapsed = curl_full (urls, dir);

  cbm_test_remove_tree (dir);
  return elapsed;
}

/* A copy: the store replaces its states when a sync finishes. */
static CbmSyncState *
lookup_index_state (CbmStore   *store,
                    const char *index_url)
{
  const CbmSyncState *state = cbm_store_lookup_sync_state (store, index_url);

  if (state == NULL || (state->etag == NULL && state->last_modified == NULL))
    die ("the store keeps no validators for the index");
  return cbm_sync_state_copy (state);
}

static const char *
verdict (gboolean ok)
{
  return ok ? "ok" : "MISSED";
}

int
main (int   argc,
      char *argv[])
{
  const char *serve = g_getenv ("CBM_SERVE");
  const char *root = g_getenv ("CBM_SAMPLE_REPOSITORY");
  g_autofree char *curl_path = NULL;
  g_autofree char *index_url = NULL;
  g_autofree char *noop_dir = NULL;
  g_autoptr(GPtrArray) urls = NULL;
  g_autoptr(CbmStore) noop_store = NULL;
  g_autoptr(GArray) full_ours = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) full_curl = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) full_null = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) noop_ours = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) noop_curl = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) noop_transfer = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) stalls = g_array_new (FALSE, FALSE, sizeof (double));
  guint64 total_bytes;
  guint full_requests = 0, noop_requests = 0, noop_not_modified = 0;
  guint runs = 15;

  if (argc > 1)
    runs = MAX (1, atoi (argv[1]));
  if (serve == NULL || root == NULL)
    {
      g_printerr ("bench-sync: set CBM_SERVE and CBM_SAMPLE_REPOSITORY (meson's benchmark does)\n");
      return 1;
    }
  curl_path = g_find_program_in_path ("curl");
  if (curl_path == NULL)
    {
      g_printerr ("bench-sync: curl is not installed\n");
      return 1;
    }

  index_url = start_server (serve, root);
  urls = list_urls (root, index_url, &total_bytes);

  /* Warm-up, not counted: the page cache, the server's first answers, and the store that the
   * no-op syncs find up to date. */
  {
    double ignored;

    noop_dir = make_tmp ("cbm-bench-noop-XXXXXX");
    noop_store = open_store (noop_dir);
    sync_once (noop_store, index_url, &full_requests, &noop_not_modified, NULL);
    curl_full_once (urls);
    full_sync_once (index_url, &full_requests, &ignored);
  }
  for (guint i = 0; i < runs; i++)
    {
      /* Alternating which goes first cancels a drift in the machine's load. */
      gboolean ours_first = i % 2 == 0;
      double stall_ms, t;

      for (guint turn = 0; turn < 2; turn++)
        if ((turn == 0) == ours_first)
          {
            guint n;

            t = full_sync_once (index_url, &n, NULL);
            if (n != full_requests)
              die ("a full sync made %u requests, another %u", n, full_requests);
            g_array_append_val (full_ours, t);
          }
        else
          {
            t = curl_full_once (urls);
            g_array_append_val (full_curl, t);
            t = curl_full (urls, NULL);
            g_array_append_val (full_null, t);
          }

      for (guint turn = 0; turn < 2; turn++)
        if ((turn == 0) == ours_first)
          {
            t = sync_once (noop_store, index_url, &noop_requests, &noop_not_modified, NULL);
            if (noop_requests != 1 || noop_not_modified != noop_requests)
              die ("a no-op sync made %u requests, %u answered 304: curl's round must be made "
                   "the same", noop_requests, noop_not_modified);
            g_array_append_val (noop_ours, t);
          }
        else
          {
            g_autoptr(CbmSyncState) state = lookup_index_state (noop_store, index_url);

            double transfer;

            t = curl_conditional (state, &transfer);
            g_array_append_val (noop_curl, t);
            g_array_append_val (noop_transfer, transfer);
          }

      /* The stall is measured in separate full syncs, so its timer does not weigh on the
       * timed ones. */
      full_sync_once (index_url, &full_requests, &stall_ms);
      g_array_append_val (stalls, stall_ms);
    }

  {
    double full_o = median (full_ours), full_c = median (full_curl), full_n = median (full_null);
    double noop_o = median (noop_ours), noop_c = median (noop_curl);
    double stall_median = median (stalls), stall_max = maximum (stalls);
    g_autofree char *full_label = g_strdup_printf ("full sync, empty store (%u requests)", full_requests);
    g_autofree char *noop_label = g_strdup_printf ("no-op sync (%u request, %u answered 304)",
                                                   noop_requests, noop_not_modified);


    g_print ("sync against cbm-serve on 127.0.0.1, sample repository: %u files, %.1f MiB of PDFs\n",
             urls->len, total_bytes / (1024.0 * 1024.0));
    g_print ("median of %u runs, alternating with curl; curl fetches %d at a time with connection "
             "reuse, process start included\n", runs, CLIENT_PARALLELISM);
    g_print ("%-42s %10s %10s %7s  %s\n", "", "ours", "curl", "ratio", "target");
    g_print ("%-42s %7.1f ms %7.1f ms %6.2fx  <= %.1fx  %s\n", full_label, full_o, full_c,
             full_o / full_c, TARGET_FULL_RATIO, verdict (full_o / full_c <= TARGET_FULL_RATIO));
    g_print ("%-42s %7.1f ms %7.1f ms %6.2fx  <= %.1fx  %s\n", noop_label, noop_o, noop_c,
             noop_o / noop_c, TARGET_NOOP_RATIO, verdict (noop_o / noop_c <= TARGET_NOOP_RATIO));
    g_print ("  for information: curl writing to /dev/null instead of files %.1f ms (%.2fx); curl's\n"
             "  own time for the conditional request, process start excluded, %.1f ms\n",
             full_n, full_o / full_n, median (noop_transfer));
    g_print ("longest main-loop stall in a full sync (%d ms timer): max %.1f ms, median of "
             "per-run max %.1f ms; target < %.0f ms  %s\n",
             STALL_INTERVAL_MS, stall_max, stall_median, TARGET_STALL_MS,
             verdict (stall_max < TARGET_STALL_MS));
  }

  g_clear_object (&noop_store);
  cbm_test_remove_tree (noop_dir);
  stop_server ();
  return 0;
}
