/* cbm-fetcher.c
 *
 * Copyright 2026 The CBM Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>
#include <string.h>

#include "cbm-fetcher.h"
#include "cbm-sha256.h"

/* Fetches one URL of the repository, over one SoupSession (http/https) or GIO (file://), with
 * the URL rules of feed-protocol.md checked on every hop, a size cap, the sha256 computed while
 * reading, conditional GET, and a few retries for a flaky link. A body goes to memory or is
 * streamed to a new temporary file that is removed again on any failure, and renamed into
 * place once its sha256 is the expected one. */

#define READ_SIZE     (64 * 1024)
/* With the read that may follow, a buffer of exactly 1 MiB. */
#define FLUSH_SIZE    (1024 * 1024 - READ_SIZE)
#define MAX_SPARE_BUFFERS 4
#define MAX_REDIRECTS 5
#define MAX_ATTEMPTS  4
#define MAX_RETRY_WAIT_MS 5000

struct _CbmFetcher
{
  GObject      parent_instance;

  SoupSession *session;
  guint        timeout;
  char        *user_agent;
  guint        n_requests;
  GPtrArray   *spare_buffers;  /* of a file-bound body, kept for the next fetch */
  GThreadPool *writer;
};

G_DEFINE_FINAL_TYPE (CbmFetcher, cbm_fetcher, G_TYPE_OBJECT)

G_DEFINE_QUARK (cbm-sync-error-quark, cbm_sync_error)

enum {
  PROP_0,
  PROP_TIMEOUT,
  PROP_USER_AGENT,
  N_PROPS
};

enum {
  SIGNAL_RECEIVED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

typedef struct
{
  CbmFetcher     *fetcher;
  char           *url;
  CbmFetchFlags   flags;
  CbmSyncState   *state;
  guint64         max_bytes;
  char           *temp_dir;     /* a body to a file: see CbmFetchTarget */
  char           *target_path;
  char           *target_sha256;
  guint           redirects;
  guint           attempt;

  SoupMessage    *msg;
  GInputStream   *in;
  GFile          *temp_file;
  GOutputStream  *out;
  CbmSha256      *checksum;   /* of a file-bound body: updated by the flushes */
  GByteArray     *buffer;     /* the body, or its part not flushed to the file yet */
  gboolean        at_end;
  guint64         size;
  guint64         expected_size;  /* from Content-Length, when there is one */
  gsize           read_size;      /* of the read under way */
  char           *etag;
  char           *last_modified;

  GSource        *wait_source;
  GSource        *wait_cancel_source;
} FetchData;

static void start_attempt (GTask *task);

/* Buffers of FLUSH_SIZE are reused rather than allocated for each PDF: freeing them one after
 * the other made malloc hand memory back to the system, with a TLB flush on every core. */
static GByteArray *
take_buffer (CbmFetcher *self)
{
  if (self->spare_buffers->len > 0)
    return g_ptr_array_steal_index_fast (self->spare_buffers, self->spare_buffers->len - 1);
  return g_byte_array_sized_new (FLUSH_SIZE + READ_SIZE);
}

static void
give_back_buffer (CbmFetcher *self,
                  GByteArray *buffer)
{
  if (self->spare_buffers->len >= MAX_SPARE_BUFFERS)
    {
      g_byte_array_unref (buffer);
      return;
    }
  g_byte_array_set_size (buffer, 0);
  g_ptr_array_add (self->spare_buffers, buffer);
}

static void
discard_temp_file (FetchData *data)
{
  g_clear_object (&data->out);
  if (data->temp_file != NULL)
    {
      /* Not with the fetch's cancellable: a cancelled fetch must still clean up. */
      g_file_delete_async (data->temp_file, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
      g_clear_object (&data->temp_file);
    }
}

static void
reset_attempt (FetchData *data)
{
  discard_temp_file (data);
  g_clear_object (&data->msg);
  g_clear_object (&data->in);
  g_clear_pointer (&data->checksum, cbm_sha256_free);
  if (data->buffer != NULL && data->temp_dir != NULL)
    give_back_buffer (data->fetcher, g_steal_pointer (&data->buffer));
  g_clear_pointer (&data->buffer, g_byte_array_unref);
  g_clear_pointer (&data->etag, g_free);
  g_clear_pointer (&data->last_modified, g_free);
  data->size = 0;
  data->expected_size = 0;
}

static void
clear_wait (FetchData *data)
{
  if (data->wait_source != NULL)
    {
      g_source_destroy (data->wait_source);
      g_clear_pointer (&data->wait_source, g_source_unref);
    }
  if (data->wait_cancel_source != NULL)
    {
      g_source_destroy (data->wait_cancel_source);
      g_clear_pointer (&data->wait_cancel_source, g_source_unref);
    }
}

static void
fetch_data_free (FetchData *data)
{
  clear_wait (data);
  reset_attempt (data);
  g_free (data->url);
  g_clear_pointer (&data->state, cbm_sync_state_free);
  g_free (data->temp_dir);
  g_free (data->target_path);
  g_free (data->target_sha256);
  g_clear_object (&data->fetcher);
  g_free (data);
}

void
cbm_fetch_result_free (CbmFetchResult *result)
{
  if (result == NULL)
    return;
  g_free (result->url);
  g_clear_pointer (&result->bytes, g_bytes_unref);
  g_free (result->path);
  g_free (result->sha256);
  g_free (result->etag);
  g_free (result->last_modified);
  g_free (result);
}

static gboolean
is_loopback_host (const char *host)
{
  g_autoptr(GInetAddress) address = NULL;

  if (host == NULL)
    return FALSE;
  if (g_ascii_strcasecmp (host, "localhost") == 0)
    return TRUE;
  address = g_inet_address_new_from_string (host);
  return address != NULL && g_inet_address_get_is_loopback (address);
}

/**
 * cbm_fetcher_check_url:
 * @url: an absolute URL
 * @flags: whether file:// is allowed
 *
 * The rule of feed-protocol.md: https anywhere, http only to a loopback address, file:// only
 * for a repository that is itself a folder; nothing else.
 */
gboolean
cbm_fetcher_check_url (const char     *url,
                       CbmFetchFlags   flags,
                       GError        **error)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_ENCODED, NULL);
  const char *scheme;

  if (uri != NULL)
    {
      scheme = g_uri_get_scheme (uri);
      if (g_ascii_strcasecmp (scheme, "https") == 0 &&
          g_uri_get_host (uri) != NULL && *g_uri_get_host (uri) != '\0')
        return TRUE;
      if (g_ascii_strcasecmp (scheme, "http") == 0 && is_loopback_host (g_uri_get_host (uri)))
        return TRUE;
      if (g_ascii_strcasecmp (scheme, "file") == 0 && (flags & CBM_FETCH_FLAGS_ALLOW_FILE) != 0)
        return TRUE;
    }

  g_set_error (error, CBM_SYNC_ERROR, CBM_SYNC_ERROR_REFUSED,
               _("the address “%s” is not allowed: only secure (https) addresses, or http on "
                 "this computer, can be used"), url);
  return FALSE;
}

static gboolean
is_transient (const GError *error)
{
  /* A cancelled fetch stops; a refused URL, a cap or a checksum never gets better by asking
   * again. Everything else (resets, timeouts, a connection cut mid-body) is worth a retry. */
  return !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) &&
         error->domain != CBM_SYNC_ERROR;
}

static void
fail (GTask  *task,
      GError *error)
{
  FetchData *data = g_task_get_task_data (task);

  reset_attempt (data);
  g_task_return_error (task, error);
  g_object_unref (task);
}

static gboolean
retry_cb (gpointer user_data)
{
  GTask *task = user_data;
  FetchData *data = g_task_get_task_data (task);

  clear_wait (data);
  if (g_task_return_error_if_cancelled (task))
    {
      g_object_unref (task);
      return G_SOURCE_REMOVE;
    }
  start_attempt (task);
  return G_SOURCE_REMOVE;
}

static gboolean
retry_cancelled_cb (GCancellable *cancellable,
                    gpointer      user_data)
{
  return retry_cb (user_data);
}

/* Takes the error; retries after a pause when it is transient and attempts remain. */
static void
fail_or_retry (GTask  *task,
               GError *error,
               guint   wait_ms)
{
  FetchData *data = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);

  /* A local file that cannot be read will not be readable a moment later either. */
  if ((!is_transient (error) && !g_error_matches (error, CBM_SYNC_ERROR, CBM_SYNC_ERROR_SERVER)) ||
      data->msg == NULL)
    {
      fail (task, error);
      return;
    }
  if (data->attempt >= MAX_ATTEMPTS)
    {
      if (error->domain != CBM_SYNC_ERROR)
        {
          GError *wrapped = g_error_new (CBM_SYNC_ERROR, CBM_SYNC_ERROR_UNREACHABLE, "%s",
                                         error->message);
          g_error_free (error);
          error = wrapped;
        }
      fail (task, error);
      return;
    }

  data->attempt++;
  g_debug ("Retrying %s after %u ms: %s", data->url, wait_ms, error->message);
  g_error_free (error);
  reset_attempt (data);

  /* The pause ends early when the fetch is cancelled, so a cancel is prompt. */
  data->wait_source = g_timeout_source_new (wait_ms);
  g_source_set_callback (data->wait_source, retry_cb, task, NULL);
  g_source_attach (data->wait_source, g_task_get_context (task));
  if (cancellable != NULL)
    {
      data->wait_cancel_source = g_cancellable_source_new (cancellable);
      g_source_set_callback (data->wait_cancel_source, G_SOURCE_FUNC (retry_cancelled_cb), task, NULL);
      g_source_attach (data->wait_cancel_source, g_task_get_context (task));
    }
}

static guint
backoff_ms (FetchData *data)
{
  return MIN (250u << MIN (data->attempt, 4u), (guint) MAX_RETRY_WAIT_MS);
}

static void
complete (GTask    *task,
          gboolean  not_modified)
{
  FetchData *data = g_task_get_task_data (task);
  CbmFetchResult *result = g_new0 (CbmFetchResult, 1);

  result->url = g_strdup (data->url);
  result->not_modified = not_modified;
  result->etag = g_steal_pointer (&data->etag);
  result->last_modified = g_steal_pointer (&data->last_modified);
  result->size = data->size;
  if (!not_modified)
    {
      result->sha256 = g_strdup (cbm_sha256_get_string (data->checksum));
      if (data->temp_dir != NULL)
        result->path = g_strdup (data->target_path);
      else
        result->bytes = g_byte_array_free_to_bytes (g_steal_pointer (&data->buffer));
    }

  reset_attempt (data);
  g_task_return_pointer (task, result, (GDestroyNotify) cbm_fetch_result_free);
  g_object_unref (task);
}

/* Reading the body. Reads go straight into the fetch's buffer. A body bound for a file is
 * written, and its checksum computed, on the fetcher's writer thread once a whole FLUSH_SIZE
 * has arrived or the body has ended: a small PDF costs one trip there, and a big one a few.
 * One writer, not the thread pool: threads creating and renaming files in the same folders
 * at once spent much of their time spinning on the folders' locks. */

static void read_next (GTask *task);

static void
flush_thread (GTask        *flush,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  FetchData *data = task_data;
  GError *error = NULL;

  cbm_sha256_update (data->checksum, data->buffer->data, data->buffer->len);
  if (data->out == NULL)
    {
      GFileOutputStream *out = g_file_create (data->temp_file, G_FILE_CREATE_PRIVATE, cancellable, &error);

      if (out == NULL)
        {
          g_task_return_error (flush, error);
          return;
        }
      data->out = G_OUTPUT_STREAM (out);
    }
  if (!g_output_stream_write_all (data->out, data->buffer->data, data->buffer->len, NULL,
                                  cancellable, &error) ||
      (data->at_end && !g_output_stream_close (data->out, cancellable, &error)))
    {
      g_task_return_error (flush, error);
      return;
    }

  if (data->at_end)
    {
      g_autoptr(GFile) target = NULL;

      if (g_strcmp0 (cbm_sha256_get_string (data->checksum), data->target_sha256) != 0)
        {
          g_task_return_new_error (flush, CBM_SYNC_ERROR, CBM_SYNC_ERROR_CHECKSUM,
                                   _("the file does not match its checksum (it may have been "
                                     "damaged or changed during the download)"));
          return;
        }
      /* Verified: the rename is atomic, so the target is either there whole or not at all. */
      target = g_file_new_for_path (data->target_path);
      if (!g_file_move (data->temp_file, target, G_FILE_COPY_OVERWRITE, cancellable, NULL, NULL,
                        &error))
        {
          g_task_return_error (flush, error);
          return;
        }
      g_clear_object (&data->temp_file);
    }
  g_task_return_boolean (flush, TRUE);
}

static void
flush_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  GTask *task = user_data;
  FetchData *data = g_task_get_task_data (task);
  GError *error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      /* Nothing was created: do not delete a file of that name. A full disk is no reason to
       * retry. */
      if (data->out == NULL)
        g_clear_object (&data->temp_file);
      fail (task, error);
      return;
    }
  if (data->at_end)
    {
      complete (task, FALSE);
      return;
    }
  g_byte_array_set_size (data->buffer, 0);
  read_next (task);
}

static void
write_func (gpointer task,
            gpointer user_data)
{
  g_autoptr(GTask) flush = task;

  flush_thread (flush, NULL, g_task_get_task_data (flush), g_task_get_cancellable (flush));
}

static void
flush (GTask *task)
{
  FetchData *data = g_task_get_task_data (task);
  GTask *flush = g_task_new (NULL, g_task_get_cancellable (task), flush_cb, task);

  g_task_set_source_tag (flush, flush);
  /* Not the flush's to free: the fetch waits for it, and touches nothing it uses meanwhile. */
  g_task_set_task_data (flush, data, NULL);
  g_thread_pool_push (data->fetcher->writer, flush, NULL);
}

static void
read_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  GTask *task = user_data;
  FetchData *data = g_task_get_task_data (task);
  CbmFetcher *self = g_task_get_source_object (task);
  GError *error = NULL;
  gssize length = g_input_stream_read_finish (G_INPUT_STREAM (object), result, &error);
  guint start = data->buffer->len - data->read_size;

  if (length < 0)
    {
      fail_or_retry (task, error, backoff_ms (data));
      return;
    }
  g_byte_array_set_size (data->buffer, start + length);

  if (length == 0)
    {
      data->at_end = TRUE;
      if (data->temp_dir != NULL)
        flush (task);
      else
        complete (task, FALSE);
      return;
    }

  data->size += length;
  if (data->size > data->max_bytes)
    {
      g_autofree char *limit = g_format_size_full (data->max_bytes, G_FORMAT_SIZE_IEC_UNITS);

      fail (task, g_error_new (CBM_SYNC_ERROR, CBM_SYNC_ERROR_TOO_LARGE,
                               _("the file is larger than the limit of %s"), limit));
      return;
    }
  g_signal_emit (self, signals[SIGNAL_RECEIVED], 0, (guint64) length);

  if (data->temp_dir != NULL)
    {
      if (data->buffer->len >= FLUSH_SIZE)
        flush (task);
      else
        read_next (task);
    }
  else
    {
      cbm_sha256_update (data->checksum, data->buffer->data + start, length);
      read_next (task);
    }
}

static void
read_next (GTask *task)
{
  FetchData *data = g_task_get_task_data (task);
  guint start = data->buffer->len;
  gsize want = READ_SIZE;

  /* A body of known length is read into a buffer of its size, with one byte more to see its
   * end, rather than growing one by chunks. */
  if (data->temp_dir == NULL && data->expected_size > 0 && data->size <= data->expected_size)
    want = MIN (want, data->expected_size - data->size + 1);

  data->read_size = want;
  g_byte_array_set_size (data->buffer, start + want);
  g_input_stream_read_async (data->in, data->buffer->data + start, want, G_PRIORITY_DEFAULT,
                             g_task_get_cancellable (task), read_cb, task);
}

static void
start_body (GTask *task)
{
  FetchData *data = g_task_get_task_data (task);

  data->checksum = cbm_sha256_new ();
  data->size = 0;
  data->at_end = FALSE;

  if (data->temp_dir != NULL)
    {
      /* Random names in the store's own temporary folder: nothing from the feed is used. */
      g_autofree char *uuid = g_uuid_string_random ();
      g_autofree char *name = g_strconcat ("download-", uuid, ".part", NULL);

      data->temp_file = g_file_new_build_filename (data->temp_dir, name, NULL);
      data->buffer = take_buffer (data->fetcher);
    }
  else
    data->buffer = g_byte_array_sized_new (data->expected_size > 0 ? data->expected_size + 1 : READ_SIZE);
  read_next (task);
}

/* file:// */

static void
file_read_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  GTask *task = user_data;
  FetchData *data = g_task_get_task_data (task);
  GError *error = NULL;
  GFileInputStream *in = g_file_read_finish (G_FILE (object), result, &error);

  if (in == NULL)
    {
      fail (task, error);
      return;
    }
  data->in = G_INPUT_STREAM (in);
  start_body (task);
}

static void
file_info_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  GTask *task = user_data;
  FetchData *data = g_task_get_task_data (task);
  GError *error = NULL;
  g_autoptr(GFileInfo) info = g_file_query_info_finish (G_FILE (object), result, &error);

  if (info == NULL)
    {
      fail (task, error);
      return;
    }
  if (g_file_info_get_file_type (info) != G_FILE_TYPE_REGULAR)
    {
      fail (task, g_error_new (CBM_SYNC_ERROR, CBM_SYNC_ERROR_HTTP, _("“%s” is not a file"), data->url));
      return;
    }

  /* GIO's etag of a local file changes with its modification time: the same conditional read
   * as over HTTP. */
  data->etag = g_strdup (g_file_info_get_etag (info));
  if (data->state != NULL && data->etag != NULL && g_strcmp0 (data->state->etag, data->etag) == 0)
    {
      complete (task, TRUE);
      return;
    }
  if ((guint64) g_file_info_get_size (info) > data->max_bytes)
    {
      g_autofree char *limit = g_format_size_full (data->max_bytes, G_FORMAT_SIZE_IEC_UNITS);

      fail (task, g_error_new (CBM_SYNC_ERROR, CBM_SYNC_ERROR_TOO_LARGE,
                               _("the file is larger than the limit of %s"), limit));
      return;
    }
  data->expected_size = g_file_info_get_size (info);
  g_file_read_async (G_FILE (object), G_PRIORITY_DEFAULT, g_task_get_cancellable (task),
                     file_read_cb, task);
}

/* http(s):// */

static guint
retry_after_ms (SoupMessage *msg)
{
  const char *value = soup_message_headers_get_one (soup_message_get_response_headers (msg),
                                                    "Retry-After");
  guint64 seconds;

  if (value != NULL && g_ascii_string_to_unsigned (value, 10, 0, G_MAXUINT, &seconds, NULL))
    return (guint) MIN (seconds * 1000, (guint64) MAX_RETRY_WAIT_MS);
  return 1000;
}

static void
send_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  GTask *task = user_data;
  FetchData *data = g_task_get_task_data (task);
  GError *error = NULL;
  SoupMessageHeaders *headers;
  guint status;
  goffset length;

  data->in = soup_session_send_finish (SOUP_SESSION (object), result, &error);
  if (data->in == NULL)
    {
      fail_or_retry (task, error, backoff_ms (data));
      return;
    }

  status = soup_message_get_status (data->msg);
  headers = soup_message_get_response_headers (data->msg);

  if (SOUP_STATUS_IS_REDIRECTION (status) && status != SOUP_STATUS_NOT_MODIFIED)
    {
      const char *location = soup_message_headers_get_one (headers, "Location");
      g_autofree char *target = NULL;

      if (location == NULL || ++data->redirects > MAX_REDIRECTS)
        {
          fail (task, g_error_new (CBM_SYNC_ERROR, CBM_SYNC_ERROR_HTTP,
                                   _("the server redirected the request too often or without a target")));
          return;
        }
      target = g_uri_resolve_relative (data->url, location, G_URI_FLAGS_ENCODED, &error);
      /* A redirect never leads to a local file, whatever the first URL was. */
      if (target == NULL || !cbm_fetcher_check_url (target, CBM_FETCH_FLAGS_NONE, &error))
        {
          if (target == NULL)
            {
              g_clear_error (&error);
              g_set_error (&error, CBM_SYNC_ERROR, CBM_SYNC_ERROR_REFUSED,
                           _("the server redirected the request to an invalid address"));
            }
          else
            g_prefix_error (&error, _("the server redirected the request: "));
          fail (task, error);
          return;
        }
      g_debug ("Redirected from %s to %s", data->url, target);
      g_free (data->url);
      data->url = g_steal_pointer (&target);
      g_clear_object (&data->msg);
      g_clear_object (&data->in);
      start_attempt (task);
      return;
    }

  data->etag = g_strdup (soup_message_headers_get_one (headers, "ETag"));
  data->last_modified = g_strdup (soup_message_headers_get_one (headers, "Last-Modified"));

  if (status == SOUP_STATUS_NOT_MODIFIED)
    {
      /* A 304 may omit the validators: the stored ones stay valid. */
      if (data->etag == NULL && data->state != NULL)
        data->etag = g_strdup (data->state->etag);
      if (data->last_modified == NULL && data->state != NULL)
        data->last_modified = g_strdup (data->state->last_modified);
      complete (task, TRUE);
      return;
    }

  if (SOUP_STATUS_IS_SERVER_ERROR (status))
    {
      guint wait_ms = retry_after_ms (data->msg);

      fail_or_retry (task, g_error_new (CBM_SYNC_ERROR, CBM_SYNC_ERROR_SERVER,
                                        _("the server answered “%u %s”"), status,
                                        soup_status_get_phrase (status)),
                     wait_ms);
      return;
    }

  if (status != SOUP_STATUS_OK)
    {
      fail (task, g_error_new (CBM_SYNC_ERROR, CBM_SYNC_ERROR_HTTP,
                               _("the server answered “%u %s”"), status,
                               soup_status_get_phrase (status)));
      return;
    }

  length = soup_message_headers_get_content_length (headers);
  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH &&
      (guint64) length > data->max_bytes)
    {
      g_autofree char *limit = g_format_size_full (data->max_bytes, G_FORMAT_SIZE_IEC_UNITS);

      fail (task, g_error_new (CBM_SYNC_ERROR, CBM_SYNC_ERROR_TOO_LARGE,
                               _("the file is larger than the limit of %s"), limit));
      return;
    }
  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH)
    data->expected_size = length;

  start_body (task);
}

static void
start_attempt (GTask *task)
{
  CbmFetcher *self = g_task_get_source_object (task);
  FetchData *data = g_task_get_task_data (task);
  g_autoptr(GUri) uri = NULL;
  GError *error = NULL;

  self->n_requests++;

  if (g_str_has_prefix (data->url, "file:") || g_str_has_prefix (data->url, "FILE:"))
    {
      g_autoptr(GFile) file = g_file_new_for_uri (data->url);

      g_file_query_info_async (file,
                               G_FILE_ATTRIBUTE_STANDARD_TYPE ","
                               G_FILE_ATTRIBUTE_STANDARD_SIZE ","
                               G_FILE_ATTRIBUTE_ETAG_VALUE,
                               G_FILE_QUERY_INFO_NONE, G_PRIORITY_DEFAULT,
                               g_task_get_cancellable (task), file_info_cb, task);
      return;
    }

  uri = g_uri_parse (data->url, SOUP_HTTP_URI_FLAGS, &error);
  if (uri == NULL)
    {
      fail (task, error);
      return;
    }
  data->msg = soup_message_new_from_uri (SOUP_METHOD_GET, uri);
  /* Redirects are followed by hand, so each hop is checked against the URL rules. */
  soup_message_add_flags (data->msg, SOUP_MESSAGE_NO_REDIRECT);
  if (data->state != NULL)
    {
      SoupMessageHeaders *headers = soup_message_get_request_headers (data->msg);

      if (data->state->etag != NULL)
        soup_message_headers_replace (headers, "If-None-Match", data->state->etag);
      if (data->state->last_modified != NULL)
        soup_message_headers_replace (headers, "If-Modified-Since", data->state->last_modified);
    }

  soup_session_send_async (self->session, data->msg, G_PRIORITY_DEFAULT,
                           g_task_get_cancellable (task), send_cb, task);
}

/* GObject. */

static void
cbm_fetcher_finalize (GObject *object)
{
  CbmFetcher *self = (CbmFetcher *)object;

  g_clear_object (&self->session);
  g_clear_pointer (&self->user_agent, g_free);
  g_clear_pointer (&self->spare_buffers, g_ptr_array_unref);
  g_thread_pool_free (self->writer, FALSE, TRUE);

  G_OBJECT_CLASS (cbm_fetcher_parent_class)->finalize (object);
}

static void
cbm_fetcher_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  CbmFetcher *self = CBM_FETCHER (object);

  switch (prop_id)
    {
    case PROP_TIMEOUT:
      g_value_set_uint (value, self->timeout);
      break;
    case PROP_USER_AGENT:
      g_value_set_string (value, self->user_agent);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cbm_fetcher_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  CbmFetcher *self = CBM_FETCHER (object);

  switch (prop_id)
    {
    case PROP_TIMEOUT:
      if (self->timeout != g_value_get_uint (value))
        {
          self->timeout = g_value_get_uint (value);
          soup_session_set_timeout (self->session, self->timeout);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    case PROP_USER_AGENT:
      if (g_strcmp0 (self->user_agent, g_value_get_string (value)) != 0)
        {
          g_free (self->user_agent);
          self->user_agent = g_value_dup_string (value);
          soup_session_set_user_agent (self->session, self->user_agent);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cbm_fetcher_class_init (CbmFetcherClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cbm_fetcher_finalize;
  object_class->get_property = cbm_fetcher_get_property;
  object_class->set_property = cbm_fetcher_set_property;

  properties[PROP_TIMEOUT] =
    g_param_spec_uint ("timeout", NULL, NULL, 0, G_MAXUINT, 30,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_USER_AGENT] =
    g_param_spec_string ("user-agent", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * CbmFetcher::received:
   * @n_bytes: how many body bytes just arrived
   */
  signals[SIGNAL_RECEIVED] = g_signal_new ("received", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                           0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT64);
}

static void
cbm_fetcher_init (CbmFetcher *self)
{
  self->timeout = 30;
  self->spare_buffers = g_ptr_array_new_with_free_func ((GDestroyNotify) g_byte_array_unref);
  self->writer = g_thread_pool_new (write_func, NULL, 1, FALSE, NULL);
  self->user_agent = g_strdup ("CBM-Desk/" PACKAGE_VERSION);
  /* The default proxy resolver of a SoupSession is the system's. A few connections per host
   * are polite to a small server; the idle timeout drops connections a sync left open. */
  self->session = soup_session_new_with_options ("timeout", self->timeout,
                                                 "idle-timeout", 60,
                                                 "max-conns", 16,
                                                 "max-conns-per-host", 4,
                                                 "user-agent", self->user_agent,
                                                 NULL);
}

/* Public API. */

CbmFetcher *
cbm_fetcher_new (void)
{
  return g_object_new (CBM_TYPE_FETCHER, NULL);
}

/* How many requests (HTTP or file reads, retries and redirects included) were sent so far. */
guint
cbm_fetcher_get_n_requests (CbmFetcher *self)
{
  g_return_val_if_fail (CBM_IS_FETCHER (self), 0);
  return self->n_requests;
}

/**
 * cbm_fetcher_fetch_async:
 * @url: what to fetch; checked with cbm_fetcher_check_url()
 * @state: (nullable): the stored validators, for a conditional request
 * @max_bytes: the body is refused past this size
 * @target: (nullable): stream the body to this file instead of memory
 */
void
cbm_fetcher_fetch_async (CbmFetcher          *self,
                         const char          *url,
                         CbmFetchFlags        flags,
                         const CbmSyncState  *state,
                         guint64              max_bytes,
                         const CbmFetchTarget *target,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  GTask *task;
  FetchData *data;
  GError *error = NULL;

  g_return_if_fail (CBM_IS_FETCHER (self));
  g_return_if_fail (url != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cbm_fetcher_fetch_async);

  if (!cbm_fetcher_check_url (url, flags, &error))
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }

  data = g_new0 (FetchData, 1);
  data->fetcher = g_object_ref (self);
  data->url = g_strdup (url);
  data->flags = flags;
  data->state = state != NULL ? cbm_sync_state_copy (state) : NULL;
  data->max_bytes = max_bytes;
  if (target != NULL)
    {
      data->temp_dir = g_strdup (target->temp_dir);
      data->target_path = g_strdup (target->path);
      data->target_sha256 = g_strdup (target->sha256);
    }
  data->attempt = 1;
  g_task_set_task_data (task, data, (GDestroyNotify) fetch_data_free);

  start_attempt (task);
}

CbmFetchResult *
cbm_fetcher_fetch_finish (CbmFetcher    *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
