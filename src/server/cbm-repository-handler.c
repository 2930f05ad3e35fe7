/* cbm-repository-handler.c
 *
 * Copyright 2026 The CBM Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "cbm-repository-handler.h"

/* Serves the repository folder as static files with strong ETags and
 * conditional GETs, and shows the content faults of cbm-serve. */
struct _CbmRepositoryHandler
{
  GObject         parent_instance;

  char           *root;          /* canonical absolute path, no trailing slash */
  CbmServeFaults  faults;
  GHashTable     *etags;         /* canonical path → EtagEntry */
  char           *huge_etag;
};

G_DEFINE_FINAL_TYPE (CbmRepositoryHandler, cbm_repository_handler, G_TYPE_OBJECT)

#define STREAM_CHUNK_BYTES   (64 * 1024)
#define SLOW_CHUNK_BYTES     1024
#define SLOW_CHUNK_DELAY_MS  200
#define MAX_READ_BYTES       (4 * 1024 * 1024)

static const char huge_prefix[] = "{\"code\":\"XX\",\"padding\":\"";
static const char huge_suffix[] = "\"}\n";

typedef enum
{
  FILE_KIND_OTHER,
  FILE_KIND_INDEX,
  FILE_KIND_COUNTRY,
  FILE_KIND_DOCUMENT,
} FileKind;

typedef struct
{
  gint64  mtime_usec;
  gint64  size;
  char   *etag;
} EtagEntry;

/* Feeds a response body chunk by chunk: slowly (slow), cut short
 * (close-mid-body) or generated on the fly (huge-body). */
typedef struct
{
  SoupServerMessage *msg;        /* owns this struct */
  GBytes            *bytes;      /* NULL: generate the huge body */
  gsize              total;
  gsize              offset;
  gsize              limit;      /* stop after this many bytes */
  gsize              chunk_size;
  guint              delay_ms;
  gboolean           close_at_limit;
  gboolean           finished;
  guint              source_id;
} Streamer;

static void
etag_entry_free (EtagEntry *entry)
{
  g_free (entry->etag);
  g_free (entry);
}

static char *
etag_for_data (const guint8 *data,
               gsize         length)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);

  g_checksum_update (checksum, data, length);
  return g_strdup_printf ("\"%s\"", g_checksum_get_string (checksum));
}

static void
fill_huge (guint8 *buf,
           gsize   offset,
           gsize   length)
{
  gsize prefix_len = sizeof huge_prefix - 1;
  gsize suffix_start = CBM_REPOSITORY_HUGE_BODY_BYTES - (sizeof huge_suffix - 1);

  for (gsize i = 0; i < length; i++)
    {
      gsize pos = offset + i;

      if (pos < prefix_len)
        buf[i] = huge_prefix[pos];
      else if (pos >= suffix_start)
        buf[i] = huge_suffix[pos - suffix_start];
      else
        buf[i] = 'x';
    }
}

static const char *
get_huge_etag (CbmRepositoryHandler *self)
{
  if (self->huge_etag == NULL)
    {
      g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
      g_autofree guint8 *buf = g_malloc (STREAM_CHUNK_BYTES);

      for (gsize offset = 0; offset < CBM_REPOSITORY_HUGE_BODY_BYTES; offset += STREAM_CHUNK_BYTES)
        {
          gsize n = MIN (STREAM_CHUNK_BYTES, CBM_REPOSITORY_HUGE_BODY_BYTES - offset);

          fill_huge (buf, offset, n);
          g_checksum_update (checksum, buf, n);
        }
      self->huge_etag = g_strdup_printf ("\"%s\"", g_checksum_get_string (checksum));
    }

  return self->huge_etag;
}

static void
streamer_free (Streamer *streamer)
{
  g_clear_handle_id (&streamer->source_id, g_source_remove);
  g_clear_pointer (&streamer->bytes, g_bytes_unref);
  g_free (streamer);
}

static gboolean
close_connection_cb (gpointer user_data)
{
  Streamer *streamer = user_data;
  g_autoptr(GIOStream) stream = NULL;

  streamer->source_id = 0;
  if (streamer->finished)
    return G_SOURCE_REMOVE;

  /* Taking the connection from libsoup and closing it leaves the client with
   * fewer bytes than the Content-Length it was promised. */
  streamer->finished = TRUE;
  stream = soup_server_message_steal_connection (streamer->msg);
  if (stream != NULL)
    g_io_stream_close (stream, NULL, NULL);

  return G_SOURCE_REMOVE;
}

static gboolean
append_chunk_cb (gpointer user_data)
{
  Streamer *streamer = user_data;
  SoupMessageBody *body = soup_server_message_get_response_body (streamer->msg);
  gsize n = MIN (streamer->chunk_size, streamer->limit - streamer->offset);

  streamer->source_id = 0;
  if (streamer->finished)
    return G_SOURCE_REMOVE;

  if (streamer->bytes != NULL)
    {
      g_autoptr(GBytes) chunk = g_bytes_new_from_bytes (streamer->bytes, streamer->offset, n);

      soup_message_body_append_bytes (body, chunk);
    }
  else
    {
      guint8 *buf = g_malloc (n);

      fill_huge (buf, streamer->offset, n);
      soup_message_body_append (body, SOUP_MEMORY_TAKE, buf, n);
    }
  streamer->offset += n;

  soup_server_message_unpause (streamer->msg);
  return G_SOURCE_REMOVE;
}

static void
next_chunk_cb (SoupServerMessage *msg,
               Streamer          *streamer)
{
  if (streamer->finished || streamer->source_id != 0)
    return;

  if (streamer->offset >= streamer->limit)
    {
      if (streamer->close_at_limit)
        {
          streamer->source_id = g_idle_add (close_connection_cb, streamer);
        }
      else
        {
          soup_message_body_complete (soup_server_message_get_response_body (msg));
          soup_server_message_unpause (msg);
        }
      return;
    }

  if (streamer->delay_ms > 0)
    streamer->source_id = g_timeout_add (streamer->delay_ms, append_chunk_cb, streamer);
  else
    append_chunk_cb (streamer);
}

static void
message_finished_cb (SoupServerMessage *msg,
                     Streamer          *streamer)
{
  streamer->finished = TRUE;
  g_clear_handle_id (&streamer->source_id, g_source_remove);
}

static void
stream_body (SoupServerMessage *msg,
             GBytes            *bytes,
             gsize              total,
             gsize              limit,
             gsize              chunk_size,
             guint              delay_ms,
             gboolean           close_at_limit)
{
  Streamer *streamer = g_new0 (Streamer, 1);
  SoupMessageBody *body = soup_server_message_get_response_body (msg);

  streamer->msg = msg;
  streamer->bytes = bytes != NULL ? g_bytes_ref (bytes) : NULL;
  streamer->total = total;
  streamer->limit = limit;
  streamer->chunk_size = chunk_size;
  streamer->delay_ms = delay_ms;
  streamer->close_at_limit = close_at_limit;

  /* Chunks are dropped once written, so a huge body never sits in memory. */
  soup_message_body_set_accumulate (body, FALSE);
  g_object_set_data_full (G_OBJECT (msg), "cbm-streamer", streamer,
                          (GDestroyNotify) streamer_free);
  g_signal_connect (msg, "wrote-headers", G_CALLBACK (next_chunk_cb), streamer);
  g_signal_connect (msg, "wrote-chunk", G_CALLBACK (next_chunk_cb), streamer);
  g_signal_connect (msg, "finished", G_CALLBACK (message_finished_cb), streamer);
}

static FileKind
classify (const char *relative)
{
  if (g_str_equal (relative, "v1/index.json"))
    return FILE_KIND_INDEX;
  if (g_str_has_prefix (relative, "v1/countries/") && g_str_has_suffix (relative, ".json") &&
      strchr (relative + strlen ("v1/countries/"), '/') == NULL)
    return FILE_KIND_COUNTRY;
  if (g_str_has_prefix (relative, "v1/documents/") && g_str_has_suffix (relative, ".pdf"))
    return FILE_KIND_DOCUMENT;
  return FILE_KIND_OTHER;
}

static const char *
content_type_for (const char *relative)
{
  if (g_str_has_suffix (relative, ".json"))
    return "application/json";
  if (g_str_has_suffix (relative, ".pdf"))
    return "application/pdf";
  if (g_str_has_suffix (relative, ".txt"))
    return "text/plain; charset=utf-8";
  return "application/octet-stream";
}

/* Maps the request path (percent-encoded, absolute) to a regular file
 * inside the root, or returns NULL. Every segment is checked, and the
 * resolved path must still be inside the root, so neither ".." nor a
 * symbolic link can reach outside it. */
static char *
resolve_path (CbmRepositoryHandler  *self,
              const char            *path,
              char                 **relative_out,
              struct stat           *st)
{
  g_autofree char *decoded = NULL;
  g_autofree char *joined = NULL;
  g_autofree char *relative = NULL;
  g_auto(GStrv) segments = NULL;
  char resolved[PATH_MAX];

  if (path == NULL || path[0] != '/')
    return NULL;

  /* An encoded slash (%2F) or NUL makes g_uri_unescape_string() fail. */
  decoded = g_uri_unescape_string (path + 1, "/");
  if (decoded == NULL || *decoded == '\0' || !g_utf8_validate (decoded, -1, NULL))
    return NULL;

  segments = g_strsplit (decoded, "/", -1);
  for (guint i = 0; segments[i] != NULL; i++)
    {
      /* Empty, ".", ".." and hidden names are never part of a repository. */
      if (segments[i][0] == '\0' || segments[i][0] == '.' || strchr (segments[i], '\\') != NULL)
        return NULL;
    }

  relative = g_strjoinv ("/", segments);
  joined = g_build_filename (self->root, relative, NULL);
  if (realpath (joined, resolved) == NULL)
    return NULL;

  if (!g_str_has_prefix (resolved, self->root) || resolved[strlen (self->root)] != '/')
    return NULL;

  if (stat (resolved, st) != 0 || !S_ISREG (st->st_mode))
    return NULL;

  *relative_out = g_steal_pointer (&relative);
  return g_strdup (resolved);
}

static const char *
get_cached_etag (CbmRepositoryHandler *self,
                 const char           *filename,
                 struct stat          *st,
                 GBytes               *bytes)
{
  gint64 mtime_usec = (gint64) st->st_mtim.tv_sec * G_USEC_PER_SEC + st->st_mtim.tv_nsec / 1000;
  EtagEntry *entry = g_hash_table_lookup (self->etags, filename);

  if (entry == NULL || entry->mtime_usec != mtime_usec || entry->size != (gint64) st->st_size)
    {
      gsize length;
      const guint8 *data = g_bytes_get_data (bytes, &length);

      entry = g_new0 (EtagEntry, 1);
      entry->mtime_usec = mtime_usec;
      entry->size = st->st_size;
      entry->etag = etag_for_data (data, length);
      g_hash_table_replace (self->etags, g_strdup (filename), entry);
    }

  return entry->etag;
}

static void
set_href (JsonObject *object,
          const char *href)
{
  if (object != NULL && json_object_has_member (object, "href"))
    json_object_set_string_member (object, "href", href);
}

/* dotdot-href: hrefs that try to climb out of the client's data folder. */
static GBytes *
rewrite_hrefs (GBytes   *bytes,
               FileKind  kind)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  gsize length;
  const char *data = g_bytes_get_data (bytes, &length);
  JsonNode *root;
  JsonObject *object;
  JsonNode *member;
  char *text;

  if (!json_parser_load_from_data (parser, data, length, NULL) ||
      (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return g_bytes_ref (bytes);

  object = json_node_get_object (root);
  if (kind == FILE_KIND_INDEX)
    {
      member = json_object_get_member (object, "countries");
      if (member != NULL && JSON_NODE_HOLDS_ARRAY (member))
        {
          JsonArray *array = json_node_get_array (member);

          for (guint i = 0; i < json_array_get_length (array); i++)
            if (JSON_NODE_HOLDS_OBJECT (json_array_get_element (array, i)))
              set_href (json_array_get_object_element (array, i), "../../../../etc/passwd");
        }
      member = json_object_get_member (object, "events");
      if (member != NULL && JSON_NODE_HOLDS_OBJECT (member))
        set_href (json_node_get_object (member), "../../../../etc/passwd");
    }
  else
    {
      member = json_object_get_member (object, "documents");
      if (member != NULL && JSON_NODE_HOLDS_ARRAY (member))
        {
          JsonArray *array = json_node_get_array (member);

          for (guint i = 0; i < json_array_get_length (array); i++)
            if (JSON_NODE_HOLDS_OBJECT (json_array_get_element (array, i)))
              set_href (json_array_get_object_element (array, i), "../../x.pdf");
        }
    }

  text = json_to_string (root, TRUE);
  return g_bytes_new_take (text, strlen (text));
}

/* Returns the content after the faults that alter it, or NULL when no fault
 * applies to this file. */
static GBytes *
alter_content (CbmRepositoryHandler *self,
               GBytes               *bytes,
               FileKind              kind)
{
  g_autoptr(GBytes) altered = NULL;

  if ((self->faults & CBM_SERVE_FAULT_DOTDOT_HREF) &&
      (kind == FILE_KIND_INDEX || kind == FILE_KIND_COUNTRY))
    altered = rewrite_hrefs (bytes, kind);

  if ((self->faults & CBM_SERVE_FAULT_MALFORMED_JSON) && kind == FILE_KIND_COUNTRY)
    {
      GBytes *source = altered != NULL ? altered : bytes;
      gsize length = g_bytes_get_size (source);

      /* Half an object never parses. */
      altered = g_bytes_new_from_bytes (source, 0, length / 2);
      if (source != bytes)
        g_bytes_unref (source);
    }

  if ((self->faults & CBM_SERVE_FAULT_BAD_SHA256) &&
      (kind == FILE_KIND_COUNTRY || kind == FILE_KIND_DOCUMENT))
    {
      GBytes *source = altered != NULL ? altered : bytes;
      g_autoptr(GByteArray) array = g_byte_array_sized_new (g_bytes_get_size (source) + 1);

      /* A trailing newline keeps JSON and PDF readable while changing the
       * digest, so only the sha256 check can catch it. */
      g_byte_array_append (array, g_bytes_get_data (source, NULL), g_bytes_get_size (source));
      g_byte_array_append (array, (const guint8 *) "\n", 1);
      altered = g_byte_array_free_to_bytes (g_steal_pointer (&array));
      if (source != bytes)
        g_bytes_unref (source);
    }

  return g_steal_pointer (&altered);
}

static gboolean
etag_matches (const char *if_none_match,
              const char *etag)
{
  g_auto(GStrv) tags = g_strsplit (if_none_match, ",", -1);

  for (guint i = 0; tags[i] != NULL; i++)
    {
      const char *tag = g_strstrip (tags[i]);

      /* If-None-Match uses the weak comparison. */
      if (g_str_has_prefix (tag, "W/"))
        tag += 2;
      if (g_str_equal (tag, "*") || g_str_equal (tag, etag))
        return TRUE;
    }

  return FALSE;
}

static gboolean
not_modified (SoupServerMessage *msg,
              const char        *etag,
              time_t             mtime)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *if_none_match = soup_message_headers_get_list (headers, "If-None-Match");
  const char *if_modified_since;

  if (if_none_match != NULL)
    return etag_matches (if_none_match, etag);

  if_modified_since = soup_message_headers_get_one (headers, "If-Modified-Since");
  if (if_modified_since != NULL)
    {
      g_autoptr(GDateTime) since = soup_date_time_new_from_http_string (if_modified_since);

      return since != NULL && (gint64) mtime <= g_date_time_to_unix (since);
    }

  return FALSE;
}

static void
respond_status (SoupServerMessage *msg,
                guint              status)
{
  const char *phrase = soup_status_get_phrase (status);
  g_autofree char *text = g_strdup_printf ("%u %s\n", status, phrase);
  gsize length = strlen (text);

  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "text/plain; charset=utf-8", SOUP_MEMORY_TAKE,
                                    g_steal_pointer (&text), length);
}

static void
cbm_repository_handler_finalize (GObject *object)
{
  CbmRepositoryHandler *self = (CbmRepositoryHandler *) object;

  g_clear_pointer (&self->root, g_free);
  g_clear_pointer (&self->etags, g_hash_table_unref);
  g_clear_pointer (&self->huge_etag, g_free);

  G_OBJECT_CLASS (cbm_repository_handler_parent_class)->finalize (object);
}

static void
cbm_repository_handler_class_init (CbmRepositoryHandlerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cbm_repository_handler_finalize;
}

static void
cbm_repository_handler_init (CbmRepositoryHandler *self)
{
  self->etags = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                       (GDestroyNotify) etag_entry_free);
}

CbmRepositoryHandler *
cbm_repository_handler_new (const char      *root,
                            CbmServeFaults   faults,
                            GError         **error)
{
  g_autoptr(CbmRepositoryHandler) self = g_object_new (CBM_TYPE_REPOSITORY_HANDLER, NULL);
  char resolved[PATH_MAX];
  struct stat st;

  g_return_val_if_fail (root != NULL, NULL);

  if (realpath (root, resolved) == NULL || stat (resolved, &st) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Cannot open the repository folder “%s”: %s"), root,
                   g_strerror (saved_errno));
      return NULL;
    }

  if (!S_ISDIR (st.st_mode))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_DIRECTORY,
                   _("“%s” is not a folder"), root);
      return NULL;
    }

  self->root = g_strdup (resolved);
  self->faults = faults;

  return g_steal_pointer (&self);
}

const char *
cbm_repository_handler_get_root (CbmRepositoryHandler *self)
{
  g_return_val_if_fail (CBM_IS_REPOSITORY_HANDLER (self), NULL);

  return self->root;
}

/* Small files are read: unmapping a mapping after each response flushed the TLB of every
 * core. Big ones are mapped; repository files are replaced by rename when republished, so a
 * mapping stays valid for the life of the response. */
static GBytes *
read_file (const char   *filename,
           struct stat  *st,
           GError      **error)
{
  g_autoptr(GMappedFile) mapped = NULL;
  char *contents;
  gsize length;

  if (st->st_size == 0)
    return g_bytes_new (NULL, 0);
  if (st->st_size > MAX_READ_BYTES)
    {
      mapped = g_mapped_file_new (filename, FALSE, error);
      return mapped != NULL ? g_mapped_file_get_bytes (mapped) : NULL;
    }
  if (!g_file_get_contents (filename, &contents, &length, error))
    return NULL;
  return g_bytes_new_take (contents, length);
}

void
cbm_repository_handler_handle (CbmRepositoryHandler *self,
                               SoupServerMessage    *msg,
                               const char           *path)
{
  const char *method = soup_server_message_get_method (msg);
  SoupMessageHeaders *response_headers = soup_server_message_get_response_headers (msg);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GBytes) altered = NULL;
  g_autoptr(GDateTime) mtime = NULL;
  g_autofree char *filename = NULL;
  g_autofree char *relative = NULL;
  g_autofree char *last_modified = NULL;
  g_autofree char *altered_etag = NULL;
  const char *etag;
  gboolean huge;
  gboolean head;
  FileKind kind;
  struct stat st;
  gsize size;

  g_return_if_fail (CBM_IS_REPOSITORY_HANDLER (self));

  if (method != SOUP_METHOD_GET && method != SOUP_METHOD_HEAD)
    {
      soup_message_headers_replace (response_headers, "Allow", "GET, HEAD");
      respond_status (msg, SOUP_STATUS_METHOD_NOT_ALLOWED);
      return;
    }
  head = method == SOUP_METHOD_HEAD;

  filename = resolve_path (self, path, &relative, &st);
  if (filename == NULL)
    {
      respond_status (msg, SOUP_STATUS_NOT_FOUND);
      return;
    }

  kind = classify (relative);

  if ((self->faults & CBM_SERVE_FAULT_REDIRECT_FILE) && kind == FILE_KIND_COUNTRY)
    {
      soup_message_headers_replace (response_headers, "Location", "file:///etc/passwd");
      respond_status (msg, SOUP_STATUS_FOUND);
      return;
    }

  huge = (self->faults & CBM_SERVE_FAULT_HUGE_BODY) && kind == FILE_KIND_COUNTRY;
  if (huge)
    {
      etag = get_huge_etag (self);
      size = CBM_REPOSITORY_HUGE_BODY_BYTES;
    }
  else
    {
      bytes = read_file (filename, &st, &error);
      if (bytes == NULL)
        {
          g_printerr ("cbm-serve: %s\n", error->message);
          respond_status (msg, SOUP_STATUS_NOT_FOUND);
          return;
        }

      altered = alter_content (self, bytes, kind);
      if (altered != NULL)
        {
          gsize length;
          const guint8 *data = g_bytes_get_data (altered, &length);

          altered_etag = etag_for_data (data, length);
          etag = altered_etag;
          g_bytes_unref (bytes);
          bytes = g_bytes_ref (altered);
        }
      else
        etag = get_cached_etag (self, filename, &st, bytes);
      size = g_bytes_get_size (bytes);
    }

  mtime = g_date_time_new_from_unix_utc (st.st_mtim.tv_sec);
  last_modified = soup_date_time_to_string (mtime, SOUP_DATE_HTTP);
  soup_message_headers_replace (response_headers, "ETag", etag);
  soup_message_headers_replace (response_headers, "Last-Modified", last_modified);
  soup_message_headers_replace (response_headers, "Cache-Control", "no-cache");

  if (not_modified (msg, etag, st.st_mtim.tv_sec))
    {
      soup_server_message_set_status (msg, SOUP_STATUS_NOT_MODIFIED, NULL);
      return;
    }

  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_message_headers_set_content_type (response_headers, content_type_for (relative), NULL);

  if (huge)
    {
      /* Chunked, so a client cannot refuse it from Content-Length alone and
       * has to cap what it reads. */
      soup_message_headers_set_encoding (response_headers, SOUP_ENCODING_CHUNKED);
      if (!head)
        stream_body (msg, NULL, size, size, STREAM_CHUNK_BYTES,
                     (self->faults & CBM_SERVE_FAULT_SLOW) ? SLOW_CHUNK_DELAY_MS : 0, FALSE);
      return;
    }

  soup_message_headers_set_content_length (response_headers, size);
  if (head || size == 0)
    return;

  if (self->faults & CBM_SERVE_FAULT_CLOSE_MID_BODY)
    {
      gboolean slow = (self->faults & CBM_SERVE_FAULT_SLOW) != 0;

      stream_body (msg, bytes, size, size / 2, slow ? SLOW_CHUNK_BYTES : STREAM_CHUNK_BYTES,
                   slow ? SLOW_CHUNK_DELAY_MS : 0, TRUE);
    }
  else if (self->faults & CBM_SERVE_FAULT_SLOW)
    stream_body (msg, bytes, size, size, SLOW_CHUNK_BYTES, SLOW_CHUNK_DELAY_MS, FALSE);
  else
    soup_message_body_append_bytes (soup_server_message_get_response_body (msg), bytes);
}
