/* cbm-sync-client.c
 *
 * Copyright 2026 The CBM Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "cbm-feed.h"
#include "cbm-sync-client.h"

/* Brings the store up to date with a repository (feed-protocol.md). The index is fetched with
 * a conditional GET; when it is unchanged, nothing else is asked. Otherwise only the files whose
 * sha256 in the index differs from the stored one are fetched, checked against that sha256,
 * parsed on a worker thread, and their missing PDFs streamed to temporary files, verified and
 * renamed to files/<sha256>.pdf before the country is applied in one store transaction. A file
 * that cannot be used is reported and its old data kept; only an unusable index fails the sync.
 *
 * Everything but parsing runs on the caller's main context; a few fetches run at once. */

#define MAX_PARALLEL_FETCHES 4

struct _CbmSyncClient
{
  GObject     parent_instance;

  CbmStore   *store;
  CbmFetcher *fetcher;
  GTask      *current;

  guint       files_done;
  guint       files_total;
  guint64     bytes_done;
  guint64     bytes_total;
  guint64     max_document_size;
  guint64     max_json_size;
};

G_DEFINE_FINAL_TYPE (CbmSyncClient, cbm_sync_client, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STORE,
  PROP_BUSY,
  PROP_FILES_DONE,
  PROP_FILES_TOTAL,
  PROP_BYTES_DONE,
  PROP_BYTES_TOTAL,
  PROP_MAX_DOCUMENT_SIZE,
  PROP_MAX_JSON_SIZE,
  PROP_TIMEOUT,
  PROP_USER_AGENT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

typedef struct _SyncData SyncData;
typedef struct _FileJob FileJob;

typedef void (*FetchDone) (SyncData       *sync,
                           CbmFetchResult *result,
                           GError         *error,
                           gpointer        user_data);

/* A fetch waiting for one of the parallel slots. */
typedef struct
{
  SyncData     *sync;
  char         *url;
  CbmSyncState *state;
  guint64       max_bytes;
  char         *sha256;         /* a PDF, fetched into the store's files; NULL: to memory */
  FetchDone     done;
  gpointer      user_data;
} Fetch;

struct _SyncData
{
  GTask         *task;          /* not owned: it owns us */
  CbmSyncClient *self;
  char          *index_url;
  char          *base;          /* the folder of index.json: nothing is fetched outside it */
  CbmFetchFlags  flags;
  CbmSyncReport *report;
  guint          requests_at_start;
  CbmFeedIndex  *index;
  CbmFetchResult *index_result;
  char          *registrations_url;
  GQueue         waiting;       /* Fetch */
  guint          active_fetches;
  guint          outstanding;   /* jobs not finished yet */
  gboolean       incomplete;    /* something failed: ask for the index again next time */
  GHashTable    *failed;        /* codes of countries whose file could not be used */
};

typedef enum {
  FILE_COUNTRY,
  FILE_EVENTS,
} FileKind;

/* A country or events file to fetch, parse and apply. */
struct _FileJob
{
  SyncData     *sync;
  FileKind      kind;
  char         *code;
  char         *url;
  char         *name;           /* for messages: the path inside the repository */
  char         *expected_sha256;
  CbmSyncState *state;          /* the new validators, saved with the data */
  CbmCountry   *country;
  GPtrArray    *events;
  guint         pending_documents;
};

/* One PDF to download, for a country being applied (owner) or already stored. */
typedef struct
{
  SyncData    *sync;
  FileJob     *owner;
  CbmDocument *document;
  char        *country_name;
  char        *url;
  char        *name;
  char        *temp_path;
} DocumentJob;

/* The worker thread's share of a file. */
typedef struct
{
  FileKind    kind;
  char       *name;
  char       *url;
  char       *base;
  char       *code;
  GBytes     *bytes;
  CbmStore   *store;
} ParseData;

typedef struct
{
  CbmCountry *country;
  GPtrArray  *events;
  GPtrArray  *missing;   /* CbmDocument whose PDF is not stored yet */
  GPtrArray  *problems;  /* GError: documents whose href cannot be used */
} ParseResult;

static void fetch_slot_freed (SyncData *sync);

/* Helpers. */

static void
set_uint_prop (CbmSyncClient *self,
               guint         *field,
               guint          value,
               guint          prop)
{
  if (*field != value)
    {
      *field = value;
      g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
    }
}

static void
set_uint64_prop (CbmSyncClient *self,
                 guint64       *field,
                 guint64        value,
                 guint          prop)
{
  if (*field != value)
    {
      *field = value;
      g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
    }
}

static void
add_problem (SyncData *sync,
             GError   *problem)
{
  g_debug ("Sync problem: %s", problem->message);
  sync->incomplete = TRUE;
  g_ptr_array_add (sync->report->problems, problem);
}

static const char *
relative_name (SyncData   *sync,
               const char *url)
{
  return g_str_has_prefix (url, sync->base) ? url + strlen (sync->base) : url;
}

/* Resolves an href against the file it appears in, and refuses what leads outside the
 * repository or breaks the URL rules. Names from the feed never become paths: this URL is
 * only ever fetched, and what it brings is stored under its sha256. */
static char *
resolve_href (const char     *base,
              const char     *file_url,
              const char     *href,
              CbmFetchFlags   flags,
              GError        **error)
{
  g_autofree char *url = g_uri_resolve_relative (file_url, href, G_URI_FLAGS_ENCODED, NULL);
  g_autofree char *path = NULL;
  g_autofree char *unescaped = NULL;

  if (url == NULL || !g_str_has_prefix (url, base))
    goto refused;

  /* Percent-encoded dot segments (%2e%2e) survive resolution but not a server's or GIO's
   * decoding: refuse them too. */
  path = g_strdup (url + strlen (base));
  unescaped = g_uri_unescape_string (path, NULL);
  if (unescaped == NULL)
    goto refused;
  {
    g_auto(GStrv) segments = g_strsplit_set (unescaped, "/\\?#", -1);

    for (guint i = 0; segments[i] != NULL; i++)
      if (g_str_equal (segments[i], "..") || g_str_equal (segments[i], "."))
        goto refused;
  }

  if (!cbm_fetcher_check_url (url, flags, error))
    return NULL;
  return g_steal_pointer (&url);

refused:
  g_set_error (error, CBM_SYNC_ERROR, CBM_SYNC_ERROR_REFUSED,
               _("the link “%s” leads outside the repository"), href);
  return NULL;
}

static char *
dup_country_name (CbmSyncClient *self,
                  const char    *code,
                  CbmCountry    *fresh)
{
  CbmCountry *stored = cbm_store_lookup_country (self->store, code);
  CbmCountry *country = fresh != NULL ? fresh : stored;

  if (country != NULL)
    return g_strdup (cbm_country_get_name (country, cbm_text_user_language ()));
  return g_strdup (code);
}

static void
fetch_free (Fetch *fetch)
{
  g_free (fetch->url);
  g_clear_pointer (&fetch->state, cbm_sync_state_free);
  g_free (fetch->sha256);
  g_free (fetch);
}

static void
file_job_free (FileJob *job)
{
  g_free (job->code);
  g_free (job->url);
  g_free (job->name);
  g_free (job->expected_sha256);
  g_clear_pointer (&job->state, cbm_sync_state_free);
  g_clear_object (&job->country);
  g_clear_pointer (&job->events, g_ptr_array_unref);
  g_free (job);
}

static void
document_job_free (DocumentJob *job)
{
  g_clear_object (&job->document);
  g_free (job->country_name);
  g_free (job->url);
  g_free (job->name);
  g_free (job->temp_path);
  g_free (job);
}

static void
parse_data_free (ParseData *data)
{
  g_free (data->name);
  g_free (data->url);
  g_free (data->base);
  g_free (data->code);
  g_clear_pointer (&data->bytes, g_bytes_unref);
  g_clear_object (&data->store);
  g_free (data);
}

static void
parse_result_free (ParseResult *result)
{
  g_clear_object (&result->country);
  g_clear_pointer (&result->events, g_ptr_array_unref);
  g_clear_pointer (&result->missing, g_ptr_array_unref);
  g_clear_pointer (&result->problems, g_ptr_array_unref);
  g_free (result);
}

static void
sync_data_free (SyncData *sync)
{
  g_free (sync->index_url);
  g_free (sync->base);
  g_clear_pointer (&sync->report, cbm_sync_report_free);
  g_clear_pointer (&sync->index, cbm_feed_index_free);
  g_clear_pointer (&sync->index_result, cbm_fetch_result_free);
  g_free (sync->registrations_url);
  g_queue_clear_full (&sync->waiting, (GDestroyNotify) fetch_free);
  g_clear_pointer (&sync->failed, g_hash_table_unref);
  g_free (sync);
}

/* Fetching with a few slots. */

static void
fetch_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  Fetch *fetch = user_data;
  SyncData *sync = fetch->sync;
  CbmSyncClient *self = sync->self;
  GError *error = NULL;
  CbmFetchResult *fetched = cbm_fetcher_fetch_finish (CBM_FETCHER (object), result, &error);

  sync->active_fetches--;
  set_uint_prop (self, &self->files_done, self->files_done + 1, PROP_FILES_DONE);
  if (fetched != NULL && fetched->not_modified)
    sync->report->n_not_modified++;

  fetch->done (sync, fetched, error, fetch->user_data);
  fetch_free (fetch);
  fetch_slot_freed (sync);
}

static void
fetch_slot_freed (SyncData *sync)
{
  while (sync->active_fetches < MAX_PARALLEL_FETCHES && !g_queue_is_empty (&sync->waiting))
    {
      Fetch *fetch = g_queue_pop_head (&sync->waiting);
      CbmStore *store = sync->self->store;
      g_autofree char *path = fetch->sha256 ? cbm_store_dup_file_path (store, fetch->sha256) : NULL;
      CbmFetchTarget target = { cbm_store_get_temp_dir (store), path, fetch->sha256 };

      sync->active_fetches++;
      cbm_fetcher_fetch_async (sync->self->fetcher, fetch->url, sync->flags, fetch->state,
                               fetch->max_bytes, fetch->sha256 ? &target : NULL,
                               g_task_get_cancellable (sync->task), fetch_cb, fetch);
    }
}

static void
queue_fetch (SyncData           *sync,
             const char         *url,
             const CbmSyncState *state,
             guint64             max_bytes,
             const char         *sha256,
             FetchDone           done,
             gpointer            user_data)
{
  Fetch *fetch = g_new0 (Fetch, 1);
  CbmSyncClient *self = sync->self;

  fetch->sync = sync;
  fetch->url = g_strdup (url);
  fetch->state = state != NULL ? cbm_sync_state_copy (state) : NULL;
  fetch->max_bytes = max_bytes;
  fetch->sha256 = g_strdup (sha256);
  fetch->done = done;
  fetch->user_data = user_data;
  g_queue_push_tail (&sync->waiting, fetch);
  set_uint_prop (self, &self->files_total, self->files_total + 1, PROP_FILES_TOTAL);
  fetch_slot_freed (sync);
}

/* The end. */

/* Before the sync's task returns, whichever way it ends. */
static void
end_sync (SyncData *sync)
{
  CbmSyncClient *self = sync->self;

  self->current = NULL;
  cbm_store_release_updates (self->store);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static void
finish_sync_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  GTask *task = user_data;
  SyncData *sync = g_task_get_task_data (task);
  GError *error = NULL;

  end_sync (sync);
  if (!cbm_store_finish_sync_finish (CBM_STORE (object), result, &error))
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, g_steal_pointer (&sync->report), (GDestroyNotify) cbm_sync_report_free);
  g_object_unref (task);
}

static void
finish_sync (SyncData *sync)
{
  CbmSyncClient *self = sync->self;
  GCancellable *cancellable = g_task_get_cancellable (sync->task);
  g_autoptr(GHashTable) meta = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  g_autoptr(GPtrArray) states = g_ptr_array_new_with_free_func ((GDestroyNotify) cbm_sync_state_free);
  g_autoptr(GPtrArray) codes = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) confirmed = g_ptr_array_new_with_free_func (g_free);

  sync->report->n_requests = cbm_fetcher_get_n_requests (self->fetcher) - sync->requests_at_start;

  if (g_cancellable_is_cancelled (cancellable))
    {
      GTask *task = sync->task;

      end_sync (sync);
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("The sync was cancelled."));
      g_object_unref (task);
      return;
    }

  g_hash_table_insert (meta, (gpointer) "last-sync", cbm_date_time_now_string ());

  if (sync->index != NULL)
    {
      for (guint i = 0; i < sync->index->countries->len; i++)
        g_ptr_array_add (codes, g_strdup (((CbmFeedEntry *) g_ptr_array_index (sync->index->countries, i))->code));
      g_ptr_array_add (codes, NULL);
      g_hash_table_insert (meta, (gpointer) "index-countries", g_strjoinv (",", (char **) codes->pdata));
      g_hash_table_insert (meta, (gpointer) "repository-url", g_strdup (sync->index_url));
      g_hash_table_insert (meta, (gpointer) "registrations-url",
                           g_strdup (sync->registrations_url ? sync->registrations_url : ""));

      /* The index's validators are kept only when everything it lists was taken in: otherwise
       * the next sync must not stop at a 304, so the failed files are tried again. */
      g_ptr_array_add (states,
                       cbm_sync_state_new (sync->index_url,
                                           sync->incomplete ? NULL : sync->index_result->etag,
                                           sync->incomplete ? NULL : sync->index_result->last_modified,
                                           sync->index_result->sha256));
    }
  else
    {
      /* The index was not modified: the countries it listed are those of last time. */
      const char *listed = cbm_store_get_meta (self->store, "index-countries");
      g_auto(GStrv) split = g_strsplit (listed ? listed : "", ",", -1);

      for (guint i = 0; split[i] != NULL; i++)
        if (*split[i] != '\0')
          g_ptr_array_add (codes, g_strdup (split[i]));
      g_ptr_array_add (codes, NULL);
    }

  /* A country whose file failed is still listed, but its data was not confirmed now. */
  for (guint i = 0; i + 1 < codes->len; i++)
    if (!g_hash_table_contains (sync->failed, g_ptr_array_index (codes, i)))
      g_ptr_array_add (confirmed, g_strdup (g_ptr_array_index (codes, i)));
  g_ptr_array_add (confirmed, NULL);

  cbm_store_finish_sync_async (self->store, (const char * const *) codes->pdata,
                               (const char * const *) confirmed->pdata, meta, states,
                               cancellable, finish_sync_cb, sync->task);
}

static void
job_done (SyncData *sync)
{
  g_assert (sync->outstanding > 0);
  if (--sync->outstanding == 0)
    finish_sync (sync);
}

/* Applying. */

static void
apply_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  FileJob *job = user_data;
  SyncData *sync = job->sync;
  GError *error = NULL;
  CbmStoreChanges *changes;

  if (job->kind == FILE_COUNTRY)
    changes = cbm_store_apply_country_finish (CBM_STORE (object), result, &error);
  else
    changes = cbm_store_apply_events_finish (CBM_STORE (object), result, &error);

  if (changes != NULL)
    g_ptr_array_add (sync->report->changes, changes);
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_autofree char *what = job->kind == FILE_COUNTRY
                              ? dup_country_name (sync->self, job->code, job->country) : NULL;

      if (job->kind == FILE_COUNTRY)
        add_problem (sync, g_error_new (CBM_SYNC_ERROR, CBM_SYNC_ERROR_INVALID,
                                        _("The data for %s could not be saved: %s. The previous data is kept."),
                                        what, error->message));
      else
        add_problem (sync, g_error_new (CBM_SYNC_ERROR, CBM_SYNC_ERROR_INVALID,
                                        _("The list of workshops could not be saved: %s. The previous data is kept."),
                                        error->message));
    }
  g_clear_error (&error);

  file_job_free (job);
  job_done (sync);
}

static void
apply_file (FileJob *job)
{
  SyncData *sync = job->sync;
  CbmSyncClient *self = sync->self;
  GCancellable *cancellable = g_task_get_cancellable (sync->task);

  /* A cancelled sync applies nothing more: the store keeps the old copy whole. */
  if (g_cancellable_is_cancelled (cancellable))
    {
      file_job_free (job);
      job_done (sync);
      return;
    }

  if (job->kind == FILE_COUNTRY)
    {
      g_free (job->country->sha256);
      job->country->sha256 = g_strdup (job->expected_sha256);
      g_free (job->country->synced_at);
      job->country->synced_at = cbm_date_time_now_string ();
      cbm_store_apply_country_async (self->store, job->country, job->state, cancellable, apply_cb, job);
    }
  else
    cbm_store_apply_events_async (self->store, job->events, job->state, cancellable, apply_cb, job);
}

/* Documents. */

static void
document_finished (DocumentJob *job)
{
  SyncData *sync = job->sync;
  FileJob *owner = job->owner;

  document_job_free (job);
  if (owner != NULL && --owner->pending_documents == 0)
    apply_file (owner);
  job_done (sync);
}

static void
document_problem (DocumentJob *job,
                  const char  *detail)
{
  add_problem (job->sync, g_error_new (CBM_SYNC_ERROR, CBM_SYNC_ERROR_INVALID,
                                       _("The document “%s” of %s could not be downloaded: %s: %s. "
                                         "It will be tried again at the next sync."),
                                       job->document->title, job->country_name, job->name, detail));
}

static void
document_fetched (SyncData       *sync,
                  CbmFetchResult *result,
                  GError         *error,
                  gpointer        user_data)
{
  DocumentJob *job = user_data;
  g_autoptr(CbmFetchResult) fetched = result;

  /* The fetcher verified the checksum and renamed the file into the content-addressed
   * folder, so a PDF is either there whole or not at all. */
  if (fetched == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        document_problem (job, error->message);
      g_error_free (error);
    }
  document_finished (job);
}

static void
queue_document (SyncData    *sync,
                FileJob     *owner,
                CbmDocument *document,
                const char  *country_url,
                const char  *country_name)
{
  CbmSyncClient *self = sync->self;
  DocumentJob *job = g_new0 (DocumentJob, 1);
  GError *error = NULL;

  job->sync = sync;
  job->owner = owner;
  job->document = g_object_ref (document);
  job->country_name = g_strdup (country_name);
  job->name = g_strdup (document->href);
  sync->outstanding++;
  if (owner != NULL)
    owner->pending_documents++;

  job->url = resolve_href (sync->base, country_url, document->href, sync->flags, &error);
  if (job->url == NULL)
    {
      document_problem (job, error->message);
      g_error_free (error);
      document_finished (job);
      return;
    }
  g_free (job->name);
  job->name = g_strdup (relative_name (sync, job->url));

  if (document->bytes > self->max_document_size)
    {
      g_autofree char *limit = g_format_size_full (self->max_document_size, G_FORMAT_SIZE_IEC_UNITS);
      g_autofree char *detail = g_strdup_printf (_("the file is larger than the limit of %s"), limit);

      document_problem (job, detail);
      document_finished (job);
      return;
    }

  set_uint64_prop (self, &self->bytes_total, self->bytes_total + document->bytes, PROP_BYTES_TOTAL);
  /* The feed's size is a cap too: a download that grows past it is stopped. */
  queue_fetch (sync, job->url, NULL, document->bytes, document->sha256, document_fetched, job);
}

/* Country and events files. */

static void
file_problem (FileJob    *job,
              const char *detail)
{
  SyncData *sync = job->sync;

  if (job->kind == FILE_COUNTRY)
    {
      g_autofree char *what = dup_country_name (sync->self, job->code, NULL);

      g_hash_table_add (sync->failed, g_strdup (job->code));
      add_problem (sync, g_error_new (CBM_SYNC_ERROR, CBM_SYNC_ERROR_INVALID,
                                      _("The file for %s could not be used: %s. The previous data is kept."),
                                      what, detail));
    }
  else
    add_problem (sync, g_error_new (CBM_SYNC_ERROR, CBM_SYNC_ERROR_INVALID,
                                    _("The list of workshops could not be used: %s. The previous data is kept."),
                                    detail));
}

static void
parse_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  ParseData *data = task_data;
  ParseResult *result = g_new0 (ParseResult, 1);
  GError *error = NULL;

  if (data->kind == FILE_EVENTS)
    {
      result->events = cbm_feed_parse_events (data->name, data->bytes, &error);
      if (result->events == NULL)
        {
          parse_result_free (result);
          g_task_return_error (task, error);
          return;
        }
      g_task_return_pointer (task, result, (GDestroyNotify) parse_result_free);
      return;
    }

  result->country = cbm_feed_parse_country (data->name, data->bytes, &error);
  if (result->country == NULL)
    {
      parse_result_free (result);
      g_task_return_error (task, error);
      return;
    }
  if (!g_str_equal (result->country->code, data->code))
    {
      g_task_return_new_error (task, CBM_SYNC_ERROR, CBM_SYNC_ERROR_INVALID,
                               _("%s: the file is for the country %s, not %s"),
                               data->name, result->country->code, data->code);
      parse_result_free (result);
      return;
    }

  result->missing = g_ptr_array_new_with_free_func (g_object_unref);
  result->problems = g_ptr_array_new_with_free_func ((GDestroyNotify) g_error_free);
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (result->country->documents)); i++)
    {
      g_autoptr(CbmDocument) document = g_list_model_get_item (G_LIST_MODEL (result->country->documents), i);
      g_autofree char *url = resolve_href (data->base, data->url, document->href, CBM_FETCH_FLAGS_ALLOW_FILE, NULL);
      g_autofree char *path = cbm_store_dup_file_path (data->store, document->sha256);

      /* Stored resolved, as the store expects; a link that leads outside the repository is
       * kept as written and refused again when a download is attempted. */
      if (url != NULL)
        {
          g_free (document->href);
          document->href = g_steal_pointer (&url);
        }
      if (path == NULL || !g_file_test (path, G_FILE_TEST_IS_REGULAR))
        g_ptr_array_add (result->missing, g_object_ref (document));
    }

  g_task_return_pointer (task, result, (GDestroyNotify) parse_result_free);
}

static void
parse_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  FileJob *job = user_data;
  SyncData *sync = job->sync;
  GError *error = NULL;
  ParseResult *parsed = g_task_propagate_pointer (G_TASK (result), &error);
  g_autofree char *country_name = NULL;

  if (parsed == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        file_problem (job, error->message);
      g_error_free (error);
      file_job_free (job);
      job_done (sync);
      return;
    }

  if (job->kind == FILE_EVENTS)
    {
      job->events = g_steal_pointer (&parsed->events);
      parse_result_free (parsed);
      apply_file (job);
      return;
    }

  job->country = g_steal_pointer (&parsed->country);
  country_name = dup_country_name (sync->self, job->code, job->country);

  /* The country waits for its new PDFs, so the store never lists a document of a country
   * that is applied while its file could still come. A PDF that fails is reported, and the
   * country is applied all the same: its metadata is right, the document shows as not
   * downloaded, and the next sync tries it again. */
  job->pending_documents = 1;
  for (guint i = 0; i < parsed->missing->len; i++)
    queue_document (sync, job, g_ptr_array_index (parsed->missing, i), job->url, country_name);
  parse_result_free (parsed);

  if (--job->pending_documents == 0)
    apply_file (job);
}

static void
file_fetched (SyncData       *sync,
              CbmFetchResult *result,
              GError         *error,
              gpointer        user_data)
{
  FileJob *job = user_data;
  CbmSyncClient *self = sync->self;
  g_autoptr(CbmFetchResult) fetched = result;
  g_autoptr(GTask) task = NULL;
  ParseData *data;

  if (fetched == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_autofree char *detail = g_strdup_printf ("%s: %s", job->name, error->message);
          file_problem (job, detail);
        }
      g_error_free (error);
      file_job_free (job);
      job_done (sync);
      return;
    }

  if (fetched->not_modified)
    {
      /* The index says the file changed, the server says it did not (its validators and the
       * stored data disagree): ask once more, without validators. */
      g_clear_pointer (&job->state, cbm_sync_state_free);
      job->state = cbm_sync_state_new (job->url, NULL, NULL, NULL);
      queue_fetch (sync, job->url, NULL, self->max_json_size, NULL, file_fetched, job);
      return;
    }

  set_uint64_prop (self, &self->bytes_total, self->bytes_total + fetched->size, PROP_BYTES_TOTAL);

  /* Checked before parsing: a file that is not the one the index describes is not used. */
  if (g_strcmp0 (fetched->sha256, job->expected_sha256) != 0)
    {
      g_autofree char *detail = g_strdup_printf (_("%s: the file does not match its checksum in the "
                                                   "index (it may have been damaged or changed "
                                                   "during the download)"), job->name);
      file_problem (job, detail);
      file_job_free (job);
      job_done (sync);
      return;
    }

  g_clear_pointer (&job->state, cbm_sync_state_free);
  job->state = cbm_sync_state_new (job->url, fetched->etag, fetched->last_modified, fetched->sha256);

  data = g_new0 (ParseData, 1);
  data->kind = job->kind;
  data->name = g_strdup (job->name);
  data->url = g_strdup (fetched->url);
  data->base = g_strdup (sync->base);
  data->code = g_strdup (job->code);
  data->bytes = g_steal_pointer (&fetched->bytes);
  data->store = g_object_ref (self->store);

  /* json-glib parses on the calling thread: keep it off the main one. */
  task = g_task_new (self, g_task_get_cancellable (sync->task), parse_cb, job);
  g_task_set_source_tag (task, file_fetched);
  g_task_set_task_data (task, data, (GDestroyNotify) parse_data_free);
  g_task_run_in_thread (task, parse_thread);
}

static void
queue_file (SyncData     *sync,
            FileKind      kind,
            CbmFeedEntry *entry)
{
  CbmSyncClient *self = sync->self;
  FileJob *job = g_new0 (FileJob, 1);
  GError *error = NULL;

  job->sync = sync;
  job->kind = kind;
  job->code = g_strdup (entry->code);
  job->expected_sha256 = g_strdup (entry->sha256);
  job->name = g_strdup (entry->href);
  sync->outstanding++;

  job->url = resolve_href (sync->base, sync->index_url, entry->href, sync->flags, &error);
  if (job->url == NULL)
    {
      file_problem (job, error->message);
      g_error_free (error);
      file_job_free (job);
      job_done (sync);
      return;
    }
  g_free (job->name);
  job->name = g_strdup (relative_name (sync, job->url));

  queue_fetch (sync, job->url, cbm_store_lookup_sync_state (self->store, job->url),
               self->max_json_size, NULL, file_fetched, job);
}

/* The documents of a country that did not change, whose PDFs are missing (a download that
 * failed or was interrupted last time). */
static void
queue_missing_documents (SyncData     *sync,
                         CbmCountry   *country,
                         CbmFeedEntry *entry)
{
  g_autofree char *country_url = resolve_href (sync->base, sync->index_url, entry->href, sync->flags, NULL);
  g_autofree char *name = NULL;
  guint n = g_list_model_get_n_items (G_LIST_MODEL (country->documents));

  if (country_url == NULL)
    return;
  name = dup_country_name (sync->self, country->code, NULL);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CbmDocument) document = g_list_model_get_item (G_LIST_MODEL (country->documents), i);

      if (document->local_path == NULL)
        queue_document (sync, NULL, document, country_url, name);
    }
}

static gboolean
events_unchanged (SyncData   *sync,
                  const char *href)
{
  g_autofree char *url = resolve_href (sync->base, sync->index_url, href, sync->flags, NULL);
  const CbmSyncState *state = url ? cbm_store_lookup_sync_state (sync->self->store, url) : NULL;

  return state != NULL && g_strcmp0 (state->sha256, sync->index->events->sha256) == 0;
}

static void
plan (SyncData *sync)
{
  CbmSyncClient *self = sync->self;
  CbmFeedIndex *index = sync->index;

  /* Holds the sync open until everything is queued. */
  sync->outstanding = 1;

  if (index->registrations != NULL)
    {
      GError *error = NULL;

      sync->registrations_url = resolve_href (sync->base, sync->index_url, index->registrations,
                                              CBM_FETCH_FLAGS_NONE, &error);
      /* A folder repository (the bundled sample) takes no registrations: no need to say so. */
      if (sync->registrations_url == NULL && !(sync->flags & CBM_FETCH_FLAGS_ALLOW_FILE))
        add_problem (sync, g_error_new (CBM_SYNC_ERROR, CBM_SYNC_ERROR_REFUSED,
                                        _("The registration address of the repository cannot be "
                                          "used: %s. Online registration is not available."),
                                        error->message));
      g_clear_error (&error);
    }

  for (guint i = 0; i < index->countries->len; i++)
    {
      CbmFeedEntry *entry = g_ptr_array_index (index->countries, i);
      CbmCountry *stored = cbm_store_lookup_country (self->store, entry->code);

      if (stored != NULL && g_strcmp0 (stored->sha256, entry->sha256) == 0)
        queue_missing_documents (sync, stored, entry);
      else
        queue_file (sync, FILE_COUNTRY, entry);
    }

  if (index->events != NULL && !events_unchanged (sync, index->events->href))
    queue_file (sync, FILE_EVENTS, index->events);

  job_done (sync);
}

/* The index. */

static GError *
index_error (SyncData     *sync,
             const GError *error)
{
  if (error->domain == CBM_FEED_ERROR)
    return g_error_new (CBM_SYNC_ERROR, CBM_SYNC_ERROR_INVALID,
                        _("The repository’s index could not be read: %s."), error->message);
  if (error->domain != CBM_SYNC_ERROR)
    return g_error_new (CBM_SYNC_ERROR, CBM_SYNC_ERROR_UNREACHABLE,
                        (sync->flags & CBM_FETCH_FLAGS_ALLOW_FILE)
                        ? _("The repository folder could not be read: %s.")
                        : _("The repository server could not be reached. Check the network "
                            "connection. (%s)"), error->message);

  switch ((CbmSyncError) error->code)
    {
    case CBM_SYNC_ERROR_UNREACHABLE:
      return g_error_new (CBM_SYNC_ERROR, error->code,
                          _("The repository server could not be reached. Check the network "
                            "connection. (%s)"), error->message);
    case CBM_SYNC_ERROR_SERVER:
      return g_error_new (CBM_SYNC_ERROR, error->code,
                          _("The repository server is not working at the moment: %s. Try again "
                            "later."), error->message);
    case CBM_SYNC_ERROR_REFUSED:
      return g_error_new (CBM_SYNC_ERROR, error->code,
                          _("The repository cannot be used: %s."), error->message);
    case CBM_SYNC_ERROR_HTTP:
    case CBM_SYNC_ERROR_TOO_LARGE:
    case CBM_SYNC_ERROR_CHECKSUM:
    case CBM_SYNC_ERROR_INVALID:
    case CBM_SYNC_ERROR_BUSY:
    default:
      return g_error_new (CBM_SYNC_ERROR, error->code,
                          _("The repository’s index could not be fetched: %s."), error->message);
    }
}

static void
fail_sync (SyncData *sync,
           GError   *error)
{
  GTask *task = sync->task;

  end_sync (sync);
  g_task_return_error (task, error);
  g_object_unref (task);
}

static void
index_parse_thread (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  GError *error = NULL;
  CbmFeedIndex *index = cbm_feed_parse_index ("index.json", task_data, &error);

  if (index == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, index, (GDestroyNotify) cbm_feed_index_free);
}

static void
index_parsed_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  SyncData *sync = user_data;
  GError *error = NULL;

  sync->index = g_task_propagate_pointer (G_TASK (result), &error);
  if (sync->index == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        fail_sync (sync, error);
      else
        {
          fail_sync (sync, index_error (sync, error));
          g_error_free (error);
        }
      return;
    }
  plan (sync);
}

static void
index_fetched (SyncData       *sync,
               CbmFetchResult *result,
               GError         *error,
               gpointer        user_data)
{
  CbmSyncClient *self = sync->self;
  g_autoptr(GTask) task = NULL;

  if (result == NULL)
    {
      sync->report->n_requests = cbm_fetcher_get_n_requests (self->fetcher) - sync->requests_at_start;
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        fail_sync (sync, error);
      else
        {
          fail_sync (sync, index_error (sync, error));
          g_error_free (error);
        }
      return;
    }

  if (result->not_modified)
    {
      cbm_fetch_result_free (result);
      if (cbm_store_get_meta (self->store, "index-countries") == NULL)
        {
          /* Validators without the list they go with (an older store): fetch it whole. */
          queue_fetch (sync, sync->index_url, NULL, self->max_json_size, NULL, index_fetched, NULL);
          return;
        }
      sync->outstanding = 1;
      job_done (sync);
      return;
    }

  sync->index_result = result;
  set_uint64_prop (self, &self->bytes_total, self->bytes_total + result->size, PROP_BYTES_TOTAL);

  task = g_task_new (self, g_task_get_cancellable (sync->task), index_parsed_cb, sync);
  g_task_set_source_tag (task, index_fetched);
  g_task_set_task_data (task, g_bytes_ref (result->bytes), (GDestroyNotify) g_bytes_unref);
  g_task_run_in_thread (task, index_parse_thread);
}

static void
received_cb (CbmSyncClient *self,
             guint64        n_bytes,
             CbmFetcher    *fetcher)
{
  SyncData *sync;

  if (self->current == NULL)
    return;
  sync = g_task_get_task_data (self->current);
  sync->report->n_downloaded_bytes += n_bytes;
  set_uint64_prop (self, &self->bytes_done, self->bytes_done + n_bytes, PROP_BYTES_DONE);
}

/* GObject. */

static void
cbm_sync_client_dispose (GObject *object)
{
  CbmSyncClient *self = (CbmSyncClient *)object;

  if (self->fetcher != NULL)
    g_signal_handlers_disconnect_by_data (self->fetcher, self);
  g_clear_object (&self->fetcher);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (cbm_sync_client_parent_class)->dispose (object);
}

static void
cbm_sync_client_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  CbmSyncClient *self = CBM_SYNC_CLIENT (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, self->current != NULL);
      break;
    case PROP_FILES_DONE:
      g_value_set_uint (value, self->files_done);
      break;
    case PROP_FILES_TOTAL:
      g_value_set_uint (value, self->files_total);
      break;
    case PROP_BYTES_DONE:
      g_value_set_uint64 (value, self->bytes_done);
      break;
    case PROP_BYTES_TOTAL:
      g_value_set_uint64 (value, self->bytes_total);
      break;
    case PROP_MAX_DOCUMENT_SIZE:
      g_value_set_uint64 (value, self->max_document_size);
      break;
    case PROP_MAX_JSON_SIZE:
      g_value_set_uint64 (value, self->max_json_size);
      break;
    case PROP_TIMEOUT:
    case PROP_USER_AGENT:
      g_object_get_property (G_OBJECT (self->fetcher), pspec->name, value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cbm_sync_client_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  CbmSyncClient *self = CBM_SYNC_CLIENT (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    case PROP_MAX_DOCUMENT_SIZE:
      set_uint64_prop (self, &self->max_document_size, g_value_get_uint64 (value), prop_id);
      break;
    case PROP_MAX_JSON_SIZE:
      set_uint64_prop (self, &self->max_json_size, g_value_get_uint64 (value), prop_id);
      break;
    case PROP_TIMEOUT:
    case PROP_USER_AGENT:
      g_object_set_property (G_OBJECT (self->fetcher), pspec->name, value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fetcher_notify_cb (CbmSyncClient *self,
                   GParamSpec    *pspec,
                   CbmFetcher    *fetcher)
{
  if (g_str_equal (pspec->name, "timeout"))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TIMEOUT]);
  else if (g_str_equal (pspec->name, "user-agent"))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_USER_AGENT]);
}

static void
cbm_sync_client_class_init (CbmSyncClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
  const GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = cbm_sync_client_dispose;
  object_class->get_property = cbm_sync_client_get_property;
  object_class->set_property = cbm_sync_client_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, CBM_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BUSY] = g_param_spec_boolean ("busy", NULL, NULL, FALSE, ro);
  properties[PROP_FILES_DONE] = g_param_spec_uint ("files-done", NULL, NULL, 0, G_MAXUINT, 0, ro);
  properties[PROP_FILES_TOTAL] = g_param_spec_uint ("files-total", NULL, NULL, 0, G_MAXUINT, 0, ro);
  properties[PROP_BYTES_DONE] = g_param_spec_uint64 ("bytes-done", NULL, NULL, 0, G_MAXUINT64, 0, ro);
  properties[PROP_BYTES_TOTAL] = g_param_spec_uint64 ("bytes-total", NULL, NULL, 0, G_MAXUINT64, 0, ro);
  properties[PROP_MAX_DOCUMENT_SIZE] =
    g_param_spec_uint64 ("max-document-size", NULL, NULL, 0, G_MAXUINT64,
                         CBM_SYNC_DEFAULT_MAX_DOCUMENT_SIZE, rw);
  properties[PROP_MAX_JSON_SIZE] =
    g_param_spec_uint64 ("max-json-size", NULL, NULL, 0, G_MAXUINT64, CBM_FEED_MAX_BYTES, rw);
  properties[PROP_TIMEOUT] =
    g_param_spec_uint ("timeout", NULL, NULL, 0, G_MAXUINT, 30, rw);
  properties[PROP_USER_AGENT] =
    g_param_spec_string ("user-agent", NULL, NULL, "CBM-Desk/" PACKAGE_VERSION, rw);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cbm_sync_client_init (CbmSyncClient *self)
{
  self->max_document_size = CBM_SYNC_DEFAULT_MAX_DOCUMENT_SIZE;
  self->max_json_size = CBM_FEED_MAX_BYTES;
  self->fetcher = cbm_fetcher_new ();
  g_signal_connect_object (self->fetcher, "received", G_CALLBACK (received_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->fetcher, "notify", G_CALLBACK (fetcher_notify_cb), self,
                           G_CONNECT_SWAPPED);
}

/* Public API. */

/**
 * cbm_sync_client_new:
 * @store: the store to keep up to date; it must be open
 */
CbmSyncClient *
cbm_sync_client_new (CbmStore *store)
{
  g_return_val_if_fail (CBM_IS_STORE (store), NULL);
  return g_object_new (CBM_TYPE_SYNC_CLIENT, "store", store, NULL);
}

CbmStore *
cbm_sync_client_get_store (CbmSyncClient *self)
{
  g_return_val_if_fail (CBM_IS_SYNC_CLIENT (self), NULL);
  return self->store;
}

gboolean
cbm_sync_client_get_busy (CbmSyncClient *self)
{
  g_return_val_if_fail (CBM_IS_SYNC_CLIENT (self), FALSE);
  return self->current != NULL;
}

/**
 * cbm_sync_client_sync_async:
 * @index_url: the repository's `index.json`: https, http on loopback, or file://
 * @cancellable: (nullable): stops the sync; the store keeps whole files only
 *
 * Brings the store up to date with the repository. One sync at a time per client.
 */
void
cbm_sync_client_sync_async (CbmSyncClient       *self,
                            const char          *index_url,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  GTask *task;
  SyncData *sync;
  GError *error = NULL;
  g_autoptr(GUri) uri = NULL;

  g_return_if_fail (CBM_IS_SYNC_CLIENT (self));
  g_return_if_fail (index_url != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cbm_sync_client_sync_async);

  if (self->current != NULL)
    {
      g_task_return_new_error (task, CBM_SYNC_ERROR, CBM_SYNC_ERROR_BUSY,
                               _("A sync is already running."));
      g_object_unref (task);
      return;
    }

  sync = g_new0 (SyncData, 1);
  sync->task = task;
  sync->self = self;
  sync->index_url = g_strdup (index_url);
  sync->report = g_new0 (CbmSyncReport, 1);
  sync->failed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  sync->report->changes = g_ptr_array_new_with_free_func ((GDestroyNotify) cbm_store_changes_free);
  sync->report->problems = g_ptr_array_new_with_free_func ((GDestroyNotify) g_error_free);
  sync->requests_at_start = cbm_fetcher_get_n_requests (self->fetcher);
  g_queue_init (&sync->waiting);
  g_task_set_task_data (task, sync, (GDestroyNotify) sync_data_free);

  uri = g_uri_parse (index_url, G_URI_FLAGS_ENCODED, NULL);
  if (uri != NULL && g_ascii_strcasecmp (g_uri_get_scheme (uri), "file") == 0)
    sync->flags = CBM_FETCH_FLAGS_ALLOW_FILE;
  sync->base = g_uri_resolve_relative (index_url, ".", G_URI_FLAGS_ENCODED, NULL);

  if (!cbm_fetcher_check_url (index_url, sync->flags, &error) || sync->base == NULL)
    {
      GError *wrapped;

      if (error == NULL)
        g_set_error (&error, CBM_SYNC_ERROR, CBM_SYNC_ERROR_REFUSED,
                     _("“%s” is not a valid address"), index_url);
      wrapped = index_error (sync, error);
      g_error_free (error);
      g_task_return_error (task, wrapped);
      g_object_unref (task);
      return;
    }

  self->current = task;
  /* The countries come in a burst; the models take them in together. */
  cbm_store_hold_updates (self->store);
  set_uint_prop (self, &self->files_done, 0, PROP_FILES_DONE);
  set_uint_prop (self, &self->files_total, 0, PROP_FILES_TOTAL);
  set_uint64_prop (self, &self->bytes_done, 0, PROP_BYTES_DONE);
  set_uint64_prop (self, &self->bytes_total, 0, PROP_BYTES_TOTAL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);

  queue_fetch (sync, index_url, cbm_store_lookup_sync_state (self->store, index_url),
               self->max_json_size, NULL, index_fetched, NULL);
}

/**
 * cbm_sync_client_sync_finish:
 *
 * Returns: (transfer full): what the sync did, with the problems that did not stop it, or
 *   %NULL when the index itself could not be fetched or read (or the sync was cancelled)
 */
CbmSyncReport *
cbm_sync_client_sync_finish (CbmSyncClient  *self,
                             GAsyncResult   *result,
                             GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
cbm_sync_report_free (CbmSyncReport *report)
{
  if (report == NULL)
    return;
  g_clear_pointer (&report->changes, g_ptr_array_unref);
  g_clear_pointer (&report->problems, g_ptr_array_unref);
  g_free (report);
}
