/* cbm-serve.c
 *
 * Copyright 2026 The CBM Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <locale.h>
#include <signal.h>
#include <stdio.h>

#include <glib/gi18n.h>
#include <glib-unix.h>
#include <libsoup/soup.h>

#include "cbm-event-catalog.h"
#include "cbm-registration-store.h"
#include "cbm-registrations.h"
#include "cbm-repository-handler.h"
#include "cbm-serve-faults.h"

/* cbm-serve: the reference repository server. Serves a repository folder as
 * static files, takes registrations, and can misbehave on request (--fault)
 * so clients can be tested against broken servers. */

typedef struct
{
  CbmRepositoryHandler *repository;
  CbmRegistrations     *registrations;
  CbmServeFaults        faults;
  guint64               request_count;
} Serve;

typedef struct
{
  gint64   started;
  guint64  bytes;
  char    *method;
  char    *path;
  guint    status;
  gboolean logged;
} RequestLog;

static char *opt_root;
static char *opt_address;
static int opt_port;
static char *opt_port_file;
static char *opt_db;
static char *opt_now;
static char **opt_faults;
static gboolean opt_allow_remote;
static gboolean opt_version;

static const GOptionEntry entries[] = {
  { "root", 'r', 0, G_OPTION_ARG_FILENAME, &opt_root,
    N_("Repository folder to serve (holds v1/index.json)"), N_("DIR") },
  { "address", 'a', 0, G_OPTION_ARG_STRING, &opt_address,
    N_("Address to listen on (default 127.0.0.1)"), N_("ADDRESS") },
  { "port", 'p', 0, G_OPTION_ARG_INT, &opt_port,
    N_("Port to listen on (0 picks a free one)"), N_("PORT") },
  { "port-file", 0, 0, G_OPTION_ARG_FILENAME, &opt_port_file,
    N_("Write the port to FILE once listening"), N_("FILE") },
  { "db", 'd', 0, G_OPTION_ARG_FILENAME, &opt_db,
    N_("Registration database (default: in memory)"), N_("FILE") },
  { "now", 0, 0, G_OPTION_ARG_STRING, &opt_now,
    N_("Use this time as now for deadlines (RFC 3339)"), N_("TIME") },
  { "fault", 0, 0, G_OPTION_ARG_STRING_ARRAY, &opt_faults,
    N_("Misbehave on purpose, for tests (comma-separated)"), N_("NAME[,NAME…]") },
  { "allow-remote", 0, 0, G_OPTION_ARG_NONE, &opt_allow_remote,
    N_("Allow listening on an address that is not loopback"), NULL },
  { "version", 0, 0, G_OPTION_ARG_NONE, &opt_version,
    N_("Print the version and exit"), NULL },
  { NULL }
};

static void
request_log_print (RequestLog *log,
                   const char *note)
{
  double duration_ms = (g_get_monotonic_time () - log->started) / 1000.0;

  if (log->logged)
    return;
  log->logged = TRUE;

  /* One line per request; a log, so not translated. */
  fprintf (stderr, "cbm-serve: %s %s %u %" G_GUINT64_FORMAT " bytes %.1f ms%s\n",
           log->method != NULL ? log->method : "-",
           log->path != NULL ? log->path : "-",
           log->status, log->bytes, duration_ms, note);
  fflush (stderr);
}

static void
request_log_free (RequestLog *log)
{
  /* A connection taken over by close-mid-body ends without a finished
   * signal: log it when the message goes away. */
  request_log_print (log, " (connection closed)");
  g_free (log->method);
  g_free (log->path);
  g_free (log);
}

static void
wrote_body_data_cb (SoupServerMessage *msg,
                    guint              chunk_size,
                    RequestLog        *log)
{
  log->bytes += chunk_size;
}

static void
request_started_cb (SoupServer        *server,
                    SoupServerMessage *msg,
                    gpointer           user_data)
{
  RequestLog *log = g_new0 (RequestLog, 1);

  log->started = g_get_monotonic_time ();
  g_object_set_data_full (G_OBJECT (msg), "cbm-request-log", log,
                          (GDestroyNotify) request_log_free);
  g_signal_connect (msg, "wrote-body-data", G_CALLBACK (wrote_body_data_cb), log);
}

static void
request_ended (SoupServerMessage *msg,
               const char        *note)
{
  RequestLog *log = g_object_get_data (G_OBJECT (msg), "cbm-request-log");

  if (log == NULL)
    return;

  if (log->method == NULL)
    log->method = g_strdup (soup_server_message_get_method (msg));
  if (log->path == NULL && soup_server_message_get_uri (msg) != NULL)
    log->path = g_strdup (g_uri_get_path (soup_server_message_get_uri (msg)));
  log->status = soup_server_message_get_status (msg);
  request_log_print (log, note);
}

static void
request_finished_cb (SoupServer        *server,
                     SoupServerMessage *msg,
                     gpointer           user_data)
{
  request_ended (msg, "");
}

static void
request_aborted_cb (SoupServer        *server,
                    SoupServerMessage *msg,
                    gpointer           user_data)
{
  request_ended (msg, " (aborted)");
}

static void
respond_unavailable (SoupServerMessage *msg)
{
  static const char text[] = "503 Service Unavailable (fault)\n";

  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                "Retry-After", "1");
  soup_server_message_set_status (msg, SOUP_STATUS_SERVICE_UNAVAILABLE, NULL);
  soup_server_message_set_response (msg, "text/plain; charset=utf-8", SOUP_MEMORY_STATIC,
                                    text, sizeof text - 1);
}

static void
handle_request_cb (SoupServer        *server,
                   SoupServerMessage *msg,
                   const char        *path,
                   GHashTable        *query,
                   gpointer           user_data)
{
  Serve *serve = user_data;
  RequestLog *log = g_object_get_data (G_OBJECT (msg), "cbm-request-log");
  guint64 count = ++serve->request_count;

  if (log != NULL)
    {
      log->method = g_strdup (soup_server_message_get_method (msg));
      log->path = g_strdup (path);
    }

  /* flaky fails the first request and every other one after it, so a
   * client's first attempt always has to be retried. */
  if ((serve->faults & CBM_SERVE_FAULT_5XX) ||
      ((serve->faults & CBM_SERVE_FAULT_FLAKY) && count % 2 == 1))
    respond_unavailable (msg);
  else if (cbm_registrations_handles (path))
    cbm_registrations_handle (serve->registrations, msg, path);
  else
    cbm_repository_handler_handle (serve->repository, msg, path);

  if (log != NULL)
    log->status = soup_server_message_get_status (msg);
}

static gboolean
quit_cb (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_CONTINUE;
}

static int
run_admin (char **args)
{
  g_autoptr(CbmRegistrationStore) store = NULL;
  g_autoptr(GError) error = NULL;
  guint n_args = g_strv_length (args);

  if (n_args < 2 || !g_str_equal (args[0], "registrations") ||
      (!(g_str_equal (args[1], "list") && n_args == 2) &&
       !(g_str_equal (args[1], "set-status") && n_args == 4)))
    {
      g_printerr (_("Usage: cbm-serve --db FILE registrations list\n"
                    "       cbm-serve --db FILE registrations set-status ID STATUS\n"));
      return 2;
    }

  if (opt_db == NULL || g_str_equal (opt_db, ":memory:"))
    {
      g_printerr (_("The registrations commands need a database file (--db FILE)\n"));
      return 2;
    }

  store = cbm_registration_store_open (opt_db, &error);
  if (store == NULL)
    {
      g_printerr ("cbm-serve: %s\n", error->message);
      return 1;
    }

  if (g_str_equal (args[1], "list"))
    {
      g_autoptr(GPtrArray) rows = cbm_registration_store_list (store, &error);

      if (rows == NULL)
        {
          g_printerr ("cbm-serve: %s\n", error->message);
          return 1;
        }

      /* Tab-separated: id, event, country, name, email, status, created. */
      for (guint i = 0; i < rows->len; i++)
        {
          g_autofree char *line = g_strjoinv ("\t", g_ptr_array_index (rows, i));

          g_print ("%s\n", line);
        }
      return 0;
    }

  if (!cbm_registration_store_set_status (store, args[2], args[3], &error))
    {
      g_printerr ("cbm-serve: %s\n", error->message);
      return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT) ? 2 : 1;
    }

  return 0;
}

static int
run_server (CbmServeFaults faults)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(SoupServer) server = NULL;
  g_autoptr(GInetAddress) address = NULL;
  g_autoptr(GSocketAddress) socket_address = NULL;
  g_autoptr(CbmRepositoryHandler) repository = NULL;
  g_autoptr(CbmRegistrationStore) store = NULL;
  g_autoptr(CbmEventCatalog) catalog = NULL;
  g_autoptr(CbmRegistrations) registrations = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *events_path = NULL;
  g_autofree char *host = NULL;
  g_autofree char *url = NULL;
  GSList *listeners;
  Serve serve = { 0 };
  guint sigint_id;
  guint sigterm_id;
  int port;

  if (opt_root == NULL)
    {
      g_printerr (_("cbm-serve: --root DIR is required\n"));
      return 2;
    }

  if (opt_port < 0 || opt_port > 65535)
    {
      g_printerr (_("cbm-serve: invalid port %d\n"), opt_port);
      return 2;
    }

  if (opt_now != NULL)
    {
      now = g_date_time_new_from_iso8601 (opt_now, NULL);
      if (now == NULL)
        {
          g_printerr (_("cbm-serve: --now needs an RFC 3339 time with an offset, not “%s”\n"),
                      opt_now);
          return 2;
        }
    }

  address = g_inet_address_new_from_string (opt_address != NULL ? opt_address : "127.0.0.1");
  if (address == NULL && g_strcmp0 (opt_address, "localhost") == 0)
    address = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  if (address == NULL)
    {
      g_printerr (_("cbm-serve: “%s” is not an IP address\n"), opt_address);
      return 2;
    }
  if (!g_inet_address_get_is_loopback (address) && !opt_allow_remote)
    {
      g_printerr (_("cbm-serve: refusing to listen on %s, which is not a loopback address "
                    "(use --allow-remote to allow it)\n"), opt_address);
      return 2;
    }

  repository = cbm_repository_handler_new (opt_root, faults, &error);
  if (repository == NULL)
    {
      g_printerr ("cbm-serve: %s\n", error->message);
      return 1;
    }

  store = cbm_registration_store_open (opt_db != NULL ? opt_db : ":memory:", &error);
  if (store == NULL)
    {
      g_printerr ("cbm-serve: %s\n", error->message);
      return 1;
    }

  events_path = g_build_filename (cbm_repository_handler_get_root (repository),
                                  "v1", "events.json", NULL);
  catalog = cbm_event_catalog_new (events_path);
  registrations = cbm_registrations_new (store, catalog, faults, now);

  serve.repository = repository;
  serve.registrations = registrations;
  serve.faults = faults;

  server = soup_server_new ("server-header", "cbm-serve/" PACKAGE_VERSION " ", NULL);
  soup_server_add_handler (server, NULL, handle_request_cb, &serve, NULL);
  g_signal_connect (server, "request-started", G_CALLBACK (request_started_cb), NULL);
  g_signal_connect (server, "request-finished", G_CALLBACK (request_finished_cb), NULL);
  g_signal_connect (server, "request-aborted", G_CALLBACK (request_aborted_cb), NULL);

  socket_address = g_inet_socket_address_new (address, opt_port);
  if (!soup_server_listen (server, socket_address, 0, &error))
    {
      g_printerr (_("cbm-serve: cannot listen: %s\n"), error->message);
      return 1;
    }

  /* Read the port from the socket: soup_server_get_uris() leaks in 3.2. */
  listeners = soup_server_get_listeners (server);
  port = opt_port;
  if (listeners != NULL)
    {
      g_autoptr(GSocketAddress) local = g_socket_get_local_address (listeners->data, &error);

      if (local == NULL)
        {
          g_printerr ("cbm-serve: %s\n", error->message);
          g_slist_free (listeners);
          return 1;
        }
      port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (local));
    }
  g_slist_free (listeners);

  host = g_inet_address_to_string (address);
  if (g_inet_address_get_family (address) == G_SOCKET_FAMILY_IPV6)
    url = g_strdup_printf ("http://[%s]:%d/", host, port);
  else
    url = g_strdup_printf ("http://%s:%d/", host, port);

  if (opt_port_file != NULL)
    {
      g_autofree char *contents = g_strdup_printf ("%d\n", port);

      if (!g_file_set_contents (opt_port_file, contents, -1, &error))
        {
          g_printerr ("cbm-serve: %s\n", error->message);
          return 1;
        }
    }

  if (faults != CBM_SERVE_FAULT_NONE)
    {
      g_autofree char *names = cbm_serve_faults_to_string (faults);

      fprintf (stderr, "cbm-serve: faults enabled: %s\n", names);
    }

  /* Machine-read by tests and scripts: keep the wording stable. */
  fprintf (stdout, "cbm-serve: listening on %s\n", url);
  fflush (stdout);

  loop = g_main_loop_new (NULL, FALSE);
  sigint_id = g_unix_signal_add (SIGINT, quit_cb, loop);
  sigterm_id = g_unix_signal_add (SIGTERM, quit_cb, loop);
  g_main_loop_run (loop);

  g_source_remove (sigint_id);
  g_source_remove (sigterm_id);
  soup_server_disconnect (server);
  fprintf (stderr, "cbm-serve: stopped\n");

  return 0;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  CbmServeFaults faults = CBM_SERVE_FAULT_NONE;
  int status;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  context = g_option_context_new (_("[registrations list | registrations set-status ID STATUS]"));
  g_option_context_set_summary (context, _("Serve a CBM Desk repository folder over HTTP."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("cbm-serve: %s\n", error->message);
      return 2;
    }

  if (opt_version)
    {
      g_print ("cbm-serve %s\n", PACKAGE_VERSION);
      return 0;
    }

  if (!cbm_serve_faults_parse (g_getenv ("CBM_SERVE_FAULTS"), &faults, &error))
    {
      g_printerr ("cbm-serve: CBM_SERVE_FAULTS: %s\n", error->message);
      return 2;
    }
  for (guint i = 0; opt_faults != NULL && opt_faults[i] != NULL; i++)
    {
      if (!cbm_serve_faults_parse (opt_faults[i], &faults, &error))
        {
          g_printerr ("cbm-serve: %s\n", error->message);
          return 2;
        }
    }

  if (argc > 1)
    status = run_admin (argv + 1);
  else
    status = run_server (faults);

  g_clear_pointer (&opt_root, g_free);
  g_clear_pointer (&opt_address, g_free);
  g_clear_pointer (&opt_port_file, g_free);
  g_clear_pointer (&opt_db, g_free);
  g_clear_pointer (&opt_now, g_free);
  g_clear_pointer (&opt_faults, g_strfreev);

  return status;
}
