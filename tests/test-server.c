/* test-server.c
 *
 * Copyright 2026 The CBM Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <signal.h>
#include <string.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "cbm-test-files.h"

/* Runs the real cbm-serve binary on 127.0.0.1, port 0, over a small
 * repository generated in a temporary folder. */

#define NOW "2026-06-01T00:00:00Z"

typedef struct
{
  char        *tmpdir;
  char        *root;
  char        *db;
  GSubprocess *proc;
  char        *base;
  SoupSession *session;
  char        *country_sha;
} Fixture;

static const char country_json[] =
  "{\n"
  "  \"code\": \"AR\",\n"
  "  \"names\": {\"en\": \"Argentina\", \"es\": \"Argentina\"},\n"
  "  \"updated\": \"2026-10-01T09:00:00Z\",\n"
  "  \"documents\": [\n"
  "    {\"id\": \"ar-ncs-2019\", \"kind\": \"strategy\", \"status\": \"adopted\",\n"
  "     \"title\": \"Estrategia\", \"href\": \"../documents/ar-ncs-2019.pdf\",\n"
  "     \"sha256\": \"00\", \"bytes\": 3000}\n"
  "  ],\n"
  "  \"contacts\": [],\n"
  "  \"cbms\": {}\n"
  "}\n";

static const char events_json[] =
  "{\"events\": [\n"
  "  {\"id\": \"open-event\", \"eligibility\": \"open\",\n"
  "   \"registration\": {\"deadline\": \"2027-01-01T00:00:00Z\", \"capacity\": 100}},\n"
  "  {\"id\": \"gov-event\", \"eligibility\": \"government\",\n"
  "   \"registration\": {\"deadline\": \"2027-01-01T00:00:00-05:00\"}},\n"
  "  {\"id\": \"officials-event\", \"eligibility\": \"public-officials\",\n"
  "   \"registration\": {\"capacity\": 10}},\n"
  "  {\"id\": \"past-event\", \"eligibility\": \"open\",\n"
  "   \"registration\": {\"deadline\": \"2026-05-31T23:59:59Z\"}},\n"
  "  {\"id\": \"full-event\", \"eligibility\": \"open\",\n"
  "   \"registration\": {\"capacity\": 1}},\n"
  "  {\"id\": \"no-reg-event\", \"eligibility\": \"open\"}\n"
  "]}\n";

static char *
sha256_hex (const void *data,
            gsize       length)
{
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, data, length);
}

static void
write_file (const char *root,
            const char *relative,
            const char *contents,
            gssize      length)
{
  g_autofree char *path = g_build_filename (root, relative, NULL);
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  g_file_set_contents (path, contents, length, &error);
  g_assert_no_error (error);
}

static char *
read_file (const char *root,
           const char *relative,
           gsize      *length)
{
  g_autofree char *path = g_build_filename (root, relative, NULL);
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_file_get_contents (path, &contents, length, &error);
  g_assert_no_error (error);
  return contents;
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) pdf = g_string_new ("%PDF-1.4\n");
  g_autofree char *events_sha = sha256_hex (events_json, strlen (events_json));
  g_autofree char *index = NULL;
  g_autofree char *link = NULL;
  g_autofree char *inner_link = NULL;

  f->tmpdir = g_dir_make_tmp ("cbm-serve-test-XXXXXX", &error);
  g_assert_no_error (error);
  f->root = g_build_filename (f->tmpdir, "root", NULL);
  f->db = g_build_filename (f->tmpdir, "registrations.db", NULL);

  f->country_sha = sha256_hex (country_json, strlen (country_json));
  index = g_strdup_printf ("{\"format\": 1, \"publisher\": \"Test\",\n"
                           " \"generated\": \"2026-11-20T12:00:00Z\",\n"
                           " \"countries\": [{\"code\": \"AR\", \"href\": \"countries/AR.json\",\n"
                           "   \"sha256\": \"%s\", \"updated\": \"2026-10-01T09:00:00Z\"}],\n"
                           " \"events\": {\"href\": \"events.json\", \"sha256\": \"%s\",\n"
                           "   \"updated\": \"2026-11-01T00:00:00Z\"},\n"
                           " \"registrations\": {\"href\": \"registrations\"}}\n",
                           f->country_sha, events_sha);

  while (pdf->len < 3000)
    g_string_append (pdf, "0123456789abcdef\n");
  g_string_append (pdf, "%%EOF\n");

  write_file (f->root, "v1/index.json", index, -1);
  write_file (f->root, "v1/countries/AR.json", country_json, -1);
  write_file (f->root, "v1/events.json", events_json, -1);
  write_file (f->root, "v1/documents/ar-ncs-2019.pdf", pdf->str, pdf->len);
  write_file (f->root, "v1/.hidden.json", "{}", -1);
  write_file (f->tmpdir, "secret.txt", "secret\n", -1);

  link = g_build_filename (f->root, "v1", "leak.json", NULL);
  g_assert_cmpint (symlink ("../../secret.txt", link), ==, 0);
  inner_link = g_build_filename (f->root, "v1", "alias.json", NULL);
  g_assert_cmpint (symlink ("countries/AR.json", inner_link), ==, 0);

  f->session = soup_session_new_with_options ("timeout", 60, NULL);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  if (f->proc != NULL)
    {
      g_autoptr(GError) error = NULL;

      /* SIGTERM must stop the server cleanly. */
      g_subprocess_send_signal (f->proc, SIGTERM);
      g_subprocess_wait (f->proc, NULL, &error);
      g_assert_no_error (error);
      g_assert_true (g_subprocess_get_if_exited (f->proc));
      g_assert_cmpint (g_subprocess_get_exit_status (f->proc), ==, 0);
      g_clear_object (&f->proc);
    }

  g_clear_object (&f->session);
  cbm_test_remove_tree (f->tmpdir);
  g_clear_pointer (&f->tmpdir, g_free);
  g_clear_pointer (&f->root, g_free);
  g_clear_pointer (&f->db, g_free);
  g_clear_pointer (&f->base, g_free);
  g_clear_pointer (&f->country_sha, g_free);
}

/* Starts cbm-serve with @faults (or NULL) and waits for its ready line. */
static void
start_server (Fixture    *f,
              const char *faults)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autofree char *line = NULL;
  g_autofree char *port_file = g_build_filename (f->tmpdir, "port", NULL);
  g_autofree char *port_text = NULL;
  g_autofree char *expected = NULL;
  const char *prefix = "cbm-serve: listening on ";

  g_ptr_array_add (argv, (char *) CBM_SERVE_PATH);
  g_ptr_array_add (argv, (char *) "--root");
  g_ptr_array_add (argv, f->root);
  g_ptr_array_add (argv, (char *) "--port");
  g_ptr_array_add (argv, (char *) "0");
  g_ptr_array_add (argv, (char *) "--port-file");
  g_ptr_array_add (argv, port_file);
  g_ptr_array_add (argv, (char *) "--db");
  g_ptr_array_add (argv, f->db);
  g_ptr_array_add (argv, (char *) "--now");
  g_ptr_array_add (argv, (char *) NOW);
  if (faults != NULL)
    {
      g_ptr_array_add (argv, (char *) "--fault");
      g_ptr_array_add (argv, (char *) faults);
    }
  g_ptr_array_add (argv, NULL);

  f->proc = g_subprocess_newv ((const char * const *) argv->pdata,
                               G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error);
  g_assert_no_error (error);

  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (f->proc));
  line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_assert_true (g_str_has_prefix (line, prefix));
  f->base = g_strdup (line + strlen (prefix));
  g_assert_true (g_str_has_prefix (f->base, "http://127.0.0.1:"));
  g_assert_true (g_str_has_suffix (f->base, "/"));

  g_file_get_contents (port_file, &port_text, NULL, &error);
  g_assert_no_error (error);
  expected = g_strdup_printf ("http://127.0.0.1:%d/", atoi (port_text));
  g_assert_cmpstr (f->base, ==, expected);
}

static SoupMessage *
new_message (Fixture    *f,
             const char *method,
             const char *path)
{
  g_autofree char *url = g_strconcat (f->base, path, NULL);

  return soup_message_new (method, url);
}

/* Sends @msg and returns its body (empty when there is none). */
static GBytes *
send (Fixture     *f,
      SoupMessage *msg)
{
  g_autoptr(GError) error = NULL;
  GBytes *body;

  body = soup_session_send_and_read (f->session, msg, NULL, &error);
  g_assert_no_error (error);
  return body;
}

static guint
get_status (Fixture    *f,
            const char *method,
            const char *path)
{
  g_autoptr(SoupMessage) msg = new_message (f, method, path);
  g_autoptr(GBytes) body = NULL;

  soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
  body = send (f, msg);
  return soup_message_get_status (msg);
}

static SoupMessage *
new_registration (Fixture    *f,
                  const char *key,
                  const char *json)
{
  SoupMessage *msg = new_message (f, "POST", "v1/registrations");
  g_autoptr(GBytes) bytes = g_bytes_new (json, strlen (json));

  soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
  if (key != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (msg), "Idempotency-Key", key);
  soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
  return msg;
}

static JsonObject *
parse_object (GBytes *bytes)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  gsize length;
  const char *data = g_bytes_get_data (bytes, &length);

  json_parser_load_from_data (parser, data, length, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

/* POSTs a registration; returns the status and, if wanted, the parsed
 * answer. */
static guint
post_registration (Fixture     *f,
                   const char  *key,
                   const char  *json,
                   JsonObject **answer)
{
  g_autoptr(SoupMessage) msg = new_registration (f, key, json);
  g_autoptr(GBytes) body = send (f, msg);

  if (answer != NULL)
    *answer = g_bytes_get_size (body) > 0 ? parse_object (body) : NULL;
  return soup_message_get_status (msg);
}

static char *
registration_json (const char *event,
                   const char *name,
                   gboolean    government)
{
  return g_strdup_printf ("{\"event\": \"%s\", \"country\": \"AR\", \"name\": \"%s\","
                          " \"position\": \"Director\", \"institution\": \"Cancillería\","
                          " \"email\": \"ana.perez@mrecic.gob.ar\", \"government\": %s,"
                          " \"language\": \"es\", \"note\": \"\"}",
                          event, name, government ? "true" : "false");
}

static char *
run_admin (Fixture    *f,
           int        *exit_status,
           const char *first,
           ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  char *out = NULL;
  va_list args;

  g_ptr_array_add (argv, (char *) CBM_SERVE_PATH);
  g_ptr_array_add (argv, (char *) "--db");
  g_ptr_array_add (argv, f->db);
  g_ptr_array_add (argv, (char *) "registrations");
  va_start (args, first);
  for (const char *arg = first; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (char *) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  proc = g_subprocess_newv ((const char * const *) argv->pdata,
                            G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE,
                            &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (proc, NULL, NULL, &out, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (proc));
  *exit_status = g_subprocess_get_exit_status (proc);
  return out;
}

/* Sends a raw request line, so paths reach the server exactly as written. */
static guint
raw_get_status (Fixture    *f,
                const char *path)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) conn = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GUri) uri = g_uri_parse (f->base, G_URI_FLAGS_NONE, &error);
  g_autofree char *request = NULL;
  char buf[64] = { 0 };
  gsize n = 0;
  guint status = 0;

  g_assert_no_error (error);
  conn = g_socket_client_connect_to_host (client, "127.0.0.1", g_uri_get_port (uri), NULL, &error);
  g_assert_no_error (error);

  request = g_strdup_printf ("GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
                             path);
  g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (conn)),
                             request, strlen (request), NULL, NULL, &error);
  g_assert_no_error (error);
  g_input_stream_read_all (g_io_stream_get_input_stream (G_IO_STREAM (conn)),
                           buf, sizeof buf - 1, &n, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (buf, "HTTP/1.1 "));
  status = atoi (buf + strlen ("HTTP/1.1 "));
  return status;
}

/* Static files */

static void
test_static_etag (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(SoupMessage) cond = NULL;
  g_autoptr(SoupMessage) other = NULL;
  g_autoptr(SoupMessage) since = NULL;
  g_autoptr(SoupMessage) both = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GBytes) cond_body = NULL;
  g_autoptr(GBytes) other_body = NULL;
  g_autoptr(GBytes) since_body = NULL;
  g_autoptr(GBytes) both_body = NULL;
  g_autofree char *file = NULL;
  g_autofree char *file_sha = NULL;
  g_autofree char *expected_etag = NULL;
  g_autofree char *etag = NULL;
  g_autofree char *last_modified = NULL;
  SoupMessageHeaders *headers;
  gsize length;

  start_server (f, NULL);

  file = read_file (f->root, "v1/index.json", &length);
  file_sha = sha256_hex (file, length);
  expected_etag = g_strdup_printf ("\"%s\"", file_sha);

  msg = new_message (f, "GET", "v1/index.json");
  body = send (f, msg);
  headers = soup_message_get_response_headers (msg);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  g_assert_cmpmem (g_bytes_get_data (body, NULL), g_bytes_get_size (body), file, length);
  g_assert_cmpstr (soup_message_headers_get_content_type (headers, NULL), ==, "application/json");
  g_assert_cmpint (soup_message_headers_get_content_length (headers), ==, length);
  etag = g_strdup (soup_message_headers_get_one (headers, "ETag"));
  g_assert_cmpstr (etag, ==, expected_etag);
  last_modified = g_strdup (soup_message_headers_get_one (headers, "Last-Modified"));
  g_assert_nonnull (last_modified);

  /* If-None-Match with the ETag: 304 without a body. */
  cond = new_message (f, "GET", "v1/index.json");
  soup_message_headers_replace (soup_message_get_request_headers (cond), "If-None-Match", etag);
  cond_body = send (f, cond);
  g_assert_cmpuint (soup_message_get_status (cond), ==, 304);
  g_assert_cmpuint (g_bytes_get_size (cond_body), ==, 0);
  g_assert_cmpstr (soup_message_headers_get_one (soup_message_get_response_headers (cond), "ETag"),
                   ==, etag);

  /* Another ETag: the full file. */
  other = new_message (f, "GET", "v1/index.json");
  soup_message_headers_replace (soup_message_get_request_headers (other), "If-None-Match",
                                "\"0000\"");
  other_body = send (f, other);
  g_assert_cmpuint (soup_message_get_status (other), ==, 200);
  g_assert_cmpuint (g_bytes_get_size (other_body), ==, length);

  /* If-Modified-Since counts only without If-None-Match. */
  since = new_message (f, "GET", "v1/index.json");
  soup_message_headers_replace (soup_message_get_request_headers (since), "If-Modified-Since",
                                last_modified);
  since_body = send (f, since);
  g_assert_cmpuint (soup_message_get_status (since), ==, 304);

  both = new_message (f, "GET", "v1/index.json");
  soup_message_headers_replace (soup_message_get_request_headers (both), "If-Modified-Since",
                                last_modified);
  soup_message_headers_replace (soup_message_get_request_headers (both), "If-None-Match",
                                "\"0000\"");
  both_body = send (f, both);
  g_assert_cmpuint (soup_message_get_status (both), ==, 200);
}

static void
test_static_head (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(SoupMessage) head = NULL;
  g_autoptr(SoupMessage) get = NULL;
  g_autoptr(GBytes) head_body = NULL;
  g_autoptr(GBytes) get_body = NULL;
  g_autofree char *file = NULL;
  gsize length;
  SoupMessageHeaders *headers;

  start_server (f, NULL);
  file = read_file (f->root, "v1/documents/ar-ncs-2019.pdf", &length);

  head = new_message (f, "HEAD", "v1/documents/ar-ncs-2019.pdf");
  head_body = send (f, head);
  headers = soup_message_get_response_headers (head);
  g_assert_cmpuint (soup_message_get_status (head), ==, 200);
  g_assert_cmpuint (g_bytes_get_size (head_body), ==, 0);
  g_assert_cmpint (soup_message_headers_get_content_length (headers), ==, length);
  g_assert_cmpstr (soup_message_headers_get_content_type (headers, NULL), ==, "application/pdf");

  get = new_message (f, "GET", "v1/documents/ar-ncs-2019.pdf");
  get_body = send (f, get);
  g_assert_cmpuint (g_bytes_get_size (get_body), ==, length);
  g_assert_cmpstr (soup_message_headers_get_one (soup_message_get_response_headers (get), "ETag"),
                   ==, soup_message_headers_get_one (headers, "ETag"));
}

static void
test_static_traversal (Fixture       *f,
                       gconstpointer  data)
{
  start_server (f, NULL);

  /* A symbolic link out of the root, directories, hidden and missing files. */
  g_assert_cmpuint (get_status (f, "GET", "v1/leak.json"), ==, 404);
  g_assert_cmpuint (get_status (f, "GET", "v1/alias.json"), ==, 200);
  g_assert_cmpuint (get_status (f, "GET", "v1/countries"), ==, 404);
  g_assert_cmpuint (get_status (f, "GET", "v1/countries/"), ==, 404);
  g_assert_cmpuint (get_status (f, "GET", ""), ==, 404);
  g_assert_cmpuint (get_status (f, "GET", "v1/.hidden.json"), ==, 404);
  g_assert_cmpuint (get_status (f, "GET", "v1/missing.json"), ==, 404);
  g_assert_cmpuint (get_status (f, "POST", "v1/index.json"), ==, 405);

  /* Paths sent exactly as written, without client-side normalisation. */
  g_assert_cmpuint (raw_get_status (f, "/v1/index.json"), ==, 200);
  g_assert_cmpuint (raw_get_status (f, "/../secret.txt"), ==, 404);
  g_assert_cmpuint (raw_get_status (f, "/v1/../../secret.txt"), ==, 404);
  g_assert_cmpuint (raw_get_status (f, "/v1/%2e%2e/%2e%2e/secret.txt"), ==, 404);
  g_assert_cmpuint (raw_get_status (f, "/v1/countries/%2E%2E/%2E%2E/%2E%2E/secret.txt"), ==, 404);
  g_assert_cmpuint (raw_get_status (f, "/v1/%2e%2e%2f%2e%2e%2fsecret.txt") / 100, ==, 4);
  g_assert_cmpuint (raw_get_status (f, "/v1/countries/AR.json%00.pdf") / 100, ==, 4);
}

/* Registrations */

static void
test_registration_created (Fixture       *f,
                           gconstpointer  data)
{
  g_autofree char *json = registration_json ("open-event", "Ana Pérez", TRUE);
  const char *reordered =
    "{ \"note\": \"\", \"language\": \"es\", \"government\": true,"
    "  \"email\": \"ana.perez@mrecic.gob.ar\", \"institution\": \"Cancillería\","
    "  \"position\": \"Director\", \"name\": \"Ana Pérez\", \"country\": \"AR\","
    "  \"event\": \"open-event\" }";
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(SoupMessage) replay = NULL;
  g_autoptr(SoupMessage) status_msg = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GBytes) replay_body = NULL;
  g_autoptr(GBytes) status_body = NULL;
  g_autoptr(JsonObject) answer = NULL;
  g_autoptr(JsonObject) status = NULL;
  g_autoptr(GUri) location = NULL;
  g_autofree char *expected_location = NULL;
  g_autoptr(GError) error = NULL;
  const char *id;

  start_server (f, NULL);

  msg = new_registration (f, "6f9619ff-8b86-d011-b42d-00cf4fc964ff", json);
  body = send (f, msg);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 201);
  answer = parse_object (body);
  id = json_object_get_string_member (answer, "id");
  g_assert_nonnull (id);
  g_assert_cmpstr (json_object_get_string_member (answer, "status"), ==, "received");
  g_assert_cmpuint (json_object_get_size (answer), ==, 2);

  /* Location resolves against the request URL to the status resource. */
  expected_location = g_strconcat ("registrations/", id, NULL);
  g_assert_cmpstr (soup_message_headers_get_one (soup_message_get_response_headers (msg),
                                                 "Location"), ==, expected_location);
  location = g_uri_parse_relative (soup_message_get_uri (msg), expected_location,
                                   SOUP_HTTP_URI_FLAGS, &error);
  g_assert_no_error (error);
  status_msg = soup_message_new_from_uri ("GET", location);
  status_body = send (f, status_msg);
  g_assert_cmpuint (soup_message_get_status (status_msg), ==, 200);
  status = parse_object (status_body);
  g_assert_cmpstr (json_object_get_string_member (status, "id"), ==, id);
  g_assert_cmpstr (json_object_get_string_member (status, "event"), ==, "open-event");
  g_assert_cmpstr (json_object_get_string_member (status, "status"), ==, "received");

  /* The same key with equal JSON (other member order and spacing): a replay. */
  replay = new_registration (f, "\"6f9619ff-8b86-d011-b42d-00cf4fc964ff\"", reordered);
  replay_body = send (f, replay);
  g_assert_cmpuint (soup_message_get_status (replay), ==, 200);
  g_assert_true (g_bytes_equal (replay_body, body));
  g_assert_cmpstr (soup_message_headers_get_one (soup_message_get_response_headers (replay),
                                                 "Location"), ==, expected_location);
}

static void
test_registration_bad_request (Fixture       *f,
                               gconstpointer  data)
{
  g_autofree char *json = registration_json ("open-event", "Ana", TRUE);

  start_server (f, NULL);

  g_assert_cmpuint (post_registration (f, NULL, json, NULL), ==, 400);
  g_assert_cmpuint (post_registration (f, "", json, NULL), ==, 400);
  g_assert_cmpuint (post_registration (f, "k-bad", "{\"event\": ", NULL), ==, 400);
  g_assert_cmpuint (post_registration (f, "k-bad", "[1, 2]", NULL), ==, 400);
  g_assert_cmpuint (post_registration (f, "k-bad", "\"text\"", NULL), ==, 400);
  g_assert_cmpuint (post_registration (f, "k-bad", "", NULL), ==, 400);

  /* A 400 does not remember the key. */
  g_assert_cmpuint (post_registration (f, "k-bad", json, NULL), ==, 201);
}

static void
test_registration_key_reused (Fixture       *f,
                              gconstpointer  data)
{
  g_autofree char *json = registration_json ("open-event", "Ana", TRUE);
  g_autofree char *other = registration_json ("open-event", "Bruno", TRUE);
  g_autofree char *unknown = registration_json ("no-such-event", "Ana", TRUE);
  g_autoptr(JsonObject) answer = NULL;
  g_autoptr(JsonObject) answer2 = NULL;

  start_server (f, NULL);

  g_assert_cmpuint (post_registration (f, "k1", json, NULL), ==, 201);
  g_assert_cmpuint (post_registration (f, "k1", other, &answer), ==, 422);
  g_assert_cmpstr (json_object_get_string_member (answer, "error"), ==, "idempotency-key-reused");

  /* A reused key wins over an unknown event. */
  g_assert_cmpuint (post_registration (f, "k1", unknown, &answer2), ==, 422);
  g_assert_cmpstr (json_object_get_string_member (answer2, "error"), ==, "idempotency-key-reused");
}

static void
test_registration_fields (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(JsonObject) answer = NULL;
  g_autoptr(JsonObject) gov = NULL;
  g_autoptr(JsonObject) officials = NULL;
  g_autoptr(JsonObject) type_errors = NULL;
  g_autofree char *fixed = registration_json ("open-event", "Ana", FALSE);
  g_autofree char *not_gov = registration_json ("gov-event", "Ana", FALSE);
  JsonObject *errors;

  start_server (f, NULL);

  g_assert_cmpuint (post_registration (f, "k-fields",
                                       "{\"event\": \"open-event\", \"country\": \"ZZ\","
                                       " \"name\": \"  \", \"institution\": \"MRE\","
                                       " \"email\": \"not an email\"}", &answer), ==, 422);
  errors = json_object_get_object_member (answer, "errors");
  g_assert_nonnull (errors);
  g_assert_true (json_object_has_member (errors, "country"));
  g_assert_true (json_object_has_member (errors, "name"));
  g_assert_true (json_object_has_member (errors, "position"));
  g_assert_true (json_object_has_member (errors, "email"));
  g_assert_false (json_object_has_member (errors, "institution"));
  g_assert_false (json_object_has_member (errors, "event"));
  g_assert_false (json_object_has_member (errors, "government"));
  g_assert_cmpstr (json_object_get_string_member (errors, "email"), !=, "");

  /* government must be true for government and public-officials events. */
  g_assert_cmpuint (post_registration (f, "k-gov", not_gov, &gov), ==, 422);
  errors = json_object_get_object_member (gov, "errors");
  g_assert_cmpuint (json_object_get_size (errors), ==, 1);
  g_assert_true (json_object_has_member (errors, "government"));

  g_assert_cmpuint (post_registration (f, "k-officials",
                                       "{\"event\": \"officials-event\", \"country\": \"ar\","
                                       " \"name\": \"Ana\", \"position\": \"Consejera\","
                                       " \"institution\": \"Misión\", \"email\": \"a@b.org\"}",
                                       &officials), ==, 422);
  errors = json_object_get_object_member (officials, "errors");
  g_assert_cmpuint (json_object_get_size (errors), ==, 2);
  g_assert_true (json_object_has_member (errors, "government"));
  g_assert_true (json_object_has_member (errors, "country"));

  /* Wrong types name their field; unknown fields are ignored. */
  g_assert_cmpuint (post_registration (f, "k-types",
                                       "{\"event\": \"open-event\", \"country\": \"AR\","
                                       " \"name\": 7, \"position\": \"P\", \"institution\": \"I\","
                                       " \"email\": \"a@b.org\", \"government\": \"yes\","
                                       " \"future-field\": [1]}", &type_errors), ==, 422);
  errors = json_object_get_object_member (type_errors, "errors");
  g_assert_cmpuint (json_object_get_size (errors), ==, 2);
  g_assert_true (json_object_has_member (errors, "name"));
  g_assert_true (json_object_has_member (errors, "government"));

  /* A key is remembered only once stored: after a 422 it can still be used. */
  g_assert_cmpuint (post_registration (f, "k-fields", fixed, NULL), ==, 201);
}

static void
test_registration_unknown_event (Fixture       *f,
                                 gconstpointer  data)
{
  g_autofree char *json = registration_json ("no-such-event", "Ana", TRUE);
  g_autoptr(JsonObject) answer = NULL;

  start_server (f, NULL);

  g_assert_cmpuint (post_registration (f, "k-404", json, NULL), ==, 404);
  /* 404 wins over invalid fields. */
  g_assert_cmpuint (post_registration (f, "k-404b", "{\"event\": \"no-such-event\"}", &answer),
                    ==, 404);
  g_assert_false (json_object_has_member (answer, "errors"));

  /* events.json is re-read when it changes. */
  write_file (f->root, "v1/events.json",
              "{\"events\": [{\"id\": \"no-such-event\", \"eligibility\": \"open\","
              " \"registration\": {}}]}", -1);
  g_assert_cmpuint (post_registration (f, "k-404", json, NULL), ==, 201);
}

static void
test_registration_closed (Fixture       *f,
                          gconstpointer  data)
{
  g_autofree char *past = registration_json ("past-event", "Ana", TRUE);
  g_autofree char *no_reg = registration_json ("no-reg-event", "Ana", TRUE);
  g_autofree char *full1 = registration_json ("full-event", "Ana", TRUE);
  g_autofree char *full2 = registration_json ("full-event", "Bruno", TRUE);
  g_autofree char *full3 = registration_json ("full-event", "Carla", TRUE);
  g_autoptr(JsonObject) first = NULL;
  g_autofree char *out = NULL;
  int exit_status;

  start_server (f, NULL);

  /* --now is one second past past-event's deadline. */
  g_assert_cmpuint (post_registration (f, "k-past", past, NULL), ==, 410);
  g_assert_cmpuint (post_registration (f, "k-noreg", no_reg, NULL), ==, 410);
  /* 410 wins over invalid fields. */
  g_assert_cmpuint (post_registration (f, "k-past2", "{\"event\": \"past-event\"}", NULL), ==, 410);

  g_assert_cmpuint (post_registration (f, "k-full1", full1, &first), ==, 201);
  g_assert_cmpuint (post_registration (f, "k-full2", full2, NULL), ==, 410);
  /* A replay of a stored registration is still answered when full. */
  g_assert_cmpuint (post_registration (f, "k-full1", full1, NULL), ==, 200);

  /* Declined registrations do not count against the capacity. */
  out = run_admin (f, &exit_status, "set-status",
                   json_object_get_string_member (first, "id"), "declined", NULL);
  g_assert_cmpint (exit_status, ==, 0);
  g_assert_cmpuint (post_registration (f, "k-full3", full3, NULL), ==, 201);
}

typedef struct
{
  SoupMessage *msg;
  GBytes      *body;
  gboolean     done;
} AsyncSend;

static void
send_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  AsyncSend *send_data = user_data;
  g_autoptr(GError) error = NULL;

  send_data->body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  g_assert_no_error (error);
  send_data->done = TRUE;
}

static gboolean
set_flag_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

static void
test_registration_concurrent (Fixture       *f,
                              gconstpointer  data)
{
  g_autofree char *json = registration_json ("open-event", "Ana", TRUE);
  AsyncSend first = { 0 };
  AsyncSend second = { 0 };
  g_autoptr(JsonObject) created = NULL;
  g_autoptr(JsonObject) replayed = NULL;
  g_autoptr(JsonObject) conflict = NULL;
  gboolean waited = FALSE;

  /* slow-registrations holds each POST for 1.5 s before answering. */
  start_server (f, "slow-registrations");

  first.msg = new_registration (f, "k-same", json);
  soup_session_send_and_read_async (f->session, first.msg, G_PRIORITY_DEFAULT, NULL,
                                    send_done_cb, &first);
  g_timeout_add (400, set_flag_cb, &waited);
  while (!waited)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (first.done);

  second.msg = new_registration (f, "k-same", json);
  soup_session_send_and_read_async (f->session, second.msg, G_PRIORITY_DEFAULT, NULL,
                                    send_done_cb, &second);
  while (!second.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (soup_message_get_status (second.msg), ==, 409);
  conflict = parse_object (second.body);
  g_assert_true (json_object_has_member (conflict, "error"));
  g_assert_false (first.done);

  while (!first.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (soup_message_get_status (first.msg), ==, 201);
  created = parse_object (first.body);

  /* Once stored, the retry gets the stored answer. */
  g_assert_cmpuint (post_registration (f, "k-same", json, &replayed), ==, 200);
  g_assert_cmpstr (json_object_get_string_member (replayed, "id"), ==,
                   json_object_get_string_member (created, "id"));

  g_clear_object (&first.msg);
  g_clear_object (&second.msg);
  g_clear_pointer (&first.body, g_bytes_unref);
  g_clear_pointer (&second.body, g_bytes_unref);
}

static void
test_registration_status (Fixture       *f,
                          gconstpointer  data)
{
  g_autofree char *json = registration_json ("gov-event", "Ana Pérez", TRUE);
  g_autoptr(JsonObject) created = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonObject) status = NULL;
  g_autofree char *path = NULL;
  g_autofree char *out = NULL;
  g_autofree char *list = NULL;
  g_autofree char *bad = NULL;
  g_autofree char *missing = NULL;
  g_auto(GStrv) lines = NULL;
  g_auto(GStrv) columns = NULL;
  const char *id;
  int exit_status;

  start_server (f, NULL);

  g_assert_cmpuint (get_status (f, "GET", "v1/registrations/no-such-id"), ==, 404);
  g_assert_cmpuint (get_status (f, "GET", "v1/registrations"), ==, 405);

  g_assert_cmpuint (post_registration (f, "k-status", json, &created), ==, 201);
  id = json_object_get_string_member (created, "id");

  out = run_admin (f, &exit_status, "set-status", id, "confirmed", NULL);
  g_assert_cmpint (exit_status, ==, 0);

  path = g_strconcat ("v1/registrations/", id, NULL);
  msg = new_message (f, "GET", path);
  body = send (f, msg);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  status = parse_object (body);
  g_assert_cmpstr (json_object_get_string_member (status, "status"), ==, "confirmed");
  g_assert_cmpstr (json_object_get_string_member (status, "event"), ==, "gov-event");

  list = run_admin (f, &exit_status, "list", NULL);
  g_assert_cmpint (exit_status, ==, 0);
  lines = g_strsplit (g_strchomp (list), "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 1);
  columns = g_strsplit (lines[0], "\t", -1);
  g_assert_cmpuint (g_strv_length (columns), ==, 7);
  g_assert_cmpstr (columns[0], ==, id);
  g_assert_cmpstr (columns[1], ==, "gov-event");
  g_assert_cmpstr (columns[2], ==, "AR");
  g_assert_cmpstr (columns[3], ==, "Ana Pérez");
  g_assert_cmpstr (columns[4], ==, "ana.perez@mrecic.gob.ar");
  g_assert_cmpstr (columns[5], ==, "confirmed");
  g_assert_true (g_str_has_prefix (columns[6], "2026-06-01T00:00:00"));

  bad = run_admin (f, &exit_status, "set-status", id, "approved", NULL);
  g_assert_cmpint (exit_status, ==, 2);
  missing = run_admin (f, &exit_status, "set-status", "no-such-id", "confirmed", NULL);
  g_assert_cmpint (exit_status, ==, 1);
}

/* Faults */

static void
test_fault_5xx (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *json = registration_json ("open-event", "Ana", TRUE);

  start_server (f, "5xx");

  g_assert_cmpuint (get_status (f, "GET", "v1/index.json"), ==, 503);
  g_assert_cmpuint (get_status (f, "GET", "v1/index.json"), ==, 503);
  g_assert_cmpuint (post_registration (f, "k-5xx", json, NULL), ==, 503);
}

static void
test_fault_flaky (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *json = registration_json ("open-event", "Ana", TRUE);

  start_server (f, "flaky");

  g_assert_cmpuint (get_status (f, "GET", "v1/index.json"), ==, 503);
  g_assert_cmpuint (get_status (f, "GET", "v1/index.json"), ==, 200);
  g_assert_cmpuint (get_status (f, "GET", "v1/index.json"), ==, 503);
  g_assert_cmpuint (get_status (f, "GET", "v1/index.json"), ==, 200);
  /* A registration retried with its key goes through on the second try. */
  g_assert_cmpuint (post_registration (f, "k-flaky", json, NULL), ==, 503);
  g_assert_cmpuint (post_registration (f, "k-flaky", json, NULL), ==, 201);
}

static void
test_fault_redirect_file (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) body = NULL;

  start_server (f, "redirect-file");

  msg = new_message (f, "GET", "v1/countries/AR.json");
  soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
  body = send (f, msg);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 302);
  g_assert_cmpstr (soup_message_headers_get_one (soup_message_get_response_headers (msg),
                                                 "Location"), ==, "file:///etc/passwd");
  g_assert_cmpuint (get_status (f, "GET", "v1/index.json"), ==, 200);
}

static void
test_fault_content (Fixture       *f,
                    gconstpointer  data)
{
  const char *fault = data;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autofree char *body_sha = NULL;
  g_autofree char *etag = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  gsize length;
  const char *data_ptr;

  start_server (f, fault);

  msg = new_message (f, "GET", "v1/countries/AR.json");
  body = send (f, msg);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  data_ptr = g_bytes_get_data (body, &length);
  body_sha = sha256_hex (data_ptr, length);

  /* Whatever is sent, its ETag is the digest of what was sent. */
  etag = g_strdup_printf ("\"%s\"", body_sha);
  g_assert_cmpstr (soup_message_headers_get_one (soup_message_get_response_headers (msg), "ETag"),
                   ==, etag);
  g_assert_cmpstr (body_sha, !=, f->country_sha);

  if (g_str_equal (fault, "bad-sha256") || g_str_equal (fault, "dotdot-href"))
    {
      g_autoptr(GError) error = NULL;

      json_parser_load_from_data (parser, data_ptr, length, &error);
      g_assert_no_error (error);
    }
  else
    g_assert_false (json_parser_load_from_data (parser, data_ptr, length, NULL));

  if (g_str_equal (fault, "dotdot-href"))
    {
      g_autoptr(SoupMessage) index = new_message (f, "GET", "v1/index.json");
      g_autoptr(GBytes) index_body = send (f, index);
      g_autofree char *text = g_strndup (g_bytes_get_data (index_body, NULL),
                                         g_bytes_get_size (index_body));
      g_autofree char *country = g_strndup (data_ptr, length);

      g_assert_nonnull (strstr (text, "\"../../../../etc/passwd\""));
      g_assert_null (strstr (text, "countries/AR.json"));
      g_assert_nonnull (strstr (country, "\"../../x.pdf\""));
    }
}

static void
test_fault_huge_body (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *buf = g_malloc (64 * 1024);
  gsize total = 0;
  gssize n;

  start_server (f, "huge-body");

  msg = new_message (f, "GET", "v1/countries/AR.json");
  stream = soup_session_send (f->session, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  /* No Content-Length: only a cap on what is read can stop it. */
  g_assert_cmpint (soup_message_headers_get_content_length (soup_message_get_response_headers (msg)),
                   ==, 0);
  while ((n = g_input_stream_read (stream, buf, 64 * 1024, NULL, &error)) > 0)
    total += n;
  g_assert_no_error (error);
  g_assert_cmpuint (total, >, 16 * 1024 * 1024);
}

static void
test_fault_close_mid_body (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;

  start_server (f, "close-mid-body");

  msg = new_message (f, "GET", "v1/documents/ar-ncs-2019.pdf");
  body = soup_session_send_and_read (f->session, msg, NULL, &error);
  g_assert_nonnull (error);
  g_assert_null (body);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
}

static void
test_refuse_remote (void)
{
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;

  proc = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE,
                           &error, CBM_SERVE_PATH, "--root", ".", "--address", "192.0.2.1",
                           "--port", "0", NULL);
  g_assert_no_error (error);
  g_subprocess_wait (proc, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (proc));
  g_assert_cmpint (g_subprocess_get_exit_status (proc), ==, 2);
}

#define ADD_TEST(path, func, data) \
  g_test_add (path, Fixture, data, fixture_setup, func, fixture_teardown)

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  ADD_TEST ("/server/static/etag", test_static_etag, NULL);
  ADD_TEST ("/server/static/head", test_static_head, NULL);
  ADD_TEST ("/server/static/traversal", test_static_traversal, NULL);
  ADD_TEST ("/server/registrations/created", test_registration_created, NULL);
  ADD_TEST ("/server/registrations/bad-request", test_registration_bad_request, NULL);
  ADD_TEST ("/server/registrations/key-reused", test_registration_key_reused, NULL);
  ADD_TEST ("/server/registrations/fields", test_registration_fields, NULL);
  ADD_TEST ("/server/registrations/unknown-event", test_registration_unknown_event, NULL);
  ADD_TEST ("/server/registrations/closed", test_registration_closed, NULL);
  ADD_TEST ("/server/registrations/concurrent", test_registration_concurrent, NULL);
  ADD_TEST ("/server/registrations/status", test_registration_status, NULL);
  ADD_TEST ("/server/faults/5xx", test_fault_5xx, NULL);
  ADD_TEST ("/server/faults/flaky", test_fault_flaky, NULL);
  ADD_TEST ("/server/faults/redirect-file", test_fault_redirect_file, NULL);
  ADD_TEST ("/server/faults/bad-sha256", test_fault_content, "bad-sha256");
  ADD_TEST ("/server/faults/malformed-json", test_fault_content, "malformed-json");
  ADD_TEST ("/server/faults/dotdot-href", test_fault_content, "dotdot-href");
  ADD_TEST ("/server/faults/huge-body", test_fault_huge_body, NULL);
  ADD_TEST ("/server/faults/close-mid-body", test_fault_close_mid_body, NULL);
  g_test_add_func ("/server/cli/refuse-remote", test_refuse_remote);

  return g_test_run ();
}
