/* cbm-store.c
 *
 * Copyright 2026 The CBM Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>

#include "cbm-date.h"
#include "cbm-db-worker.h"
#include "cbm-registration.h"
#include "cbm-store-private.h"
#include "cbm-text.h"

/* All sqlite work runs on one worker thread that owns the only connection, fed by a queue
 * (pitfalls.md: one writer fed by a queue). After each write the worker reads a fresh snapshot
 * of the repository, and the main context splices it into the long-lived list models, keeping
 * the objects of countries that did not change so the UI keeps its selection. A write that
 * touched one country only (a sync applies them one by one) re-reads that country alone, and
 * while a sync holds updates, the countries it writes are read back together. */

typedef CbmDbJob Job;

typedef struct
{
  GStrv       codes;       /* the countries read, NULL for all of them */
  GPtrArray  *countries;   /* CbmCountry */
  GPtrArray  *events;      /* CbmEvent; NULL when only some countries were read */
  GHashTable *meta;        /* key → value */
  GHashTable *sync_states; /* url → CbmSyncState */
} Snapshot;

/* A job's extra: whether it writes what the models show, and what was read after it. */
typedef struct
{
  gboolean        reload;
  const char     *reload_country;  /* the one country the job writes, when it is one */
  gboolean        read_now;        /* even while updates are held */
  Snapshot       *snapshot;
  gboolean        deferred;        /* writes were left out of the models for now */
} Reload;

struct _CbmStore
{
  GObject       parent_instance;

  char         *path;
  char         *files_dir;
  char         *temp_dir;

  CbmDbWorker  *worker;
  sqlite3      *db;         /* owned by the worker thread */
  /* Worker thread: writes not in the models yet, to all the data or to those countries. */
  gboolean      dirty;
  GHashTable   *dirty_countries;
  gint64        snapshot_time;
  gint          holds;       /* see cbm_store_hold_updates(); read by the worker */
  guint         refresh_id;

  GListStore   *countries;
  GListStore   *contacts;
  GListStore   *events;
  GListStore   *registrations;        /* CbmRegistration, see cbm-store-outbox.c */
  gboolean      registrations_loaded;
  GHashTable   *meta;
  GHashTable   *sync_states;
};

G_DEFINE_FINAL_TYPE (CbmStore, cbm_store, G_TYPE_OBJECT)

G_DEFINE_QUARK (cbm-store-error-quark, cbm_store_error)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];


static void
snapshot_free (Snapshot *snapshot)
{
  g_clear_pointer (&snapshot->codes, g_strfreev);
  g_clear_pointer (&snapshot->countries, g_ptr_array_unref);
  g_clear_pointer (&snapshot->events, g_ptr_array_unref);
  g_clear_pointer (&snapshot->meta, g_hash_table_unref);
  g_clear_pointer (&snapshot->sync_states, g_hash_table_unref);
  g_free (snapshot);
}

static void
reload_free (Reload *reload)
{
  g_clear_pointer (&reload->snapshot, snapshot_free);
  g_free (reload);
}

/* Column helpers. */

static GVariant *
column_variant (sqlite3_stmt       *stmt,
                int                 column,
                const GVariantType *type)
{
  const char *text = (const char *) sqlite3_column_text (stmt, column);
  GVariant *value;

  if (text == NULL)
    return NULL;
  /* g_variant_parse() returns a full, non-floating reference. */
  value = g_variant_parse (type, text, NULL, NULL, NULL);
  return value;
}

static void
bind_variant (sqlite3_stmt *stmt,
              int           index,
              GVariant     *value)
{
  if (value != NULL)
    {
      g_autofree char *text = g_variant_print (value, FALSE);
      sqlite3_bind_text (stmt, index, text, -1, SQLITE_TRANSIENT);
    }
  else
    sqlite3_bind_null (stmt, index);
}

static void
bind_strv (sqlite3_stmt       *stmt,
           int                 index,
           const char * const *strv)
{
  static const char * const empty[] = { NULL };
  g_autoptr(GVariant) value = g_variant_ref_sink (g_variant_new_strv (strv ? strv : empty, -1));

  bind_variant (stmt, index, value);
}

static char **
column_strv (sqlite3_stmt *stmt,
             int           column)
{
  g_autoptr(GVariant) value = column_variant (stmt, column, G_VARIANT_TYPE_STRING_ARRAY);

  return value != NULL ? g_variant_dup_strv (value, NULL) : g_new0 (char *, 1);
}

/* Reading a snapshot (worker thread). */

static char *
file_path_for (CbmStore   *self,
               const char *sha256)
{
  g_autofree char *name = g_strconcat (sha256, ".pdf", NULL);

  return g_build_filename (self->files_dir, name, NULL);
}

/* The readers below take the code of one country, or NULL for all of them. */
static sqlite3_stmt *
prepare_for_country (CbmStore    *self,
                     const char  *sql,
                     const char  *code,
                     GError     **error)
{
  sqlite3_stmt *stmt = cbm_store_prepare (self->db, sql, error);

  if (stmt != NULL && code != NULL)
    sqlite3_bind_text (stmt, 1, code, -1, SQLITE_TRANSIENT);
  return stmt;
}

static gboolean
read_documents (CbmStore    *self,
                const char  *code,
                GHashTable  *by_code,
                GError     **error)
{
  sqlite3_stmt *stmt = prepare_for_country (self,
                                            "SELECT id, country, kind, status, title, language, issuer, date,"
                                            " summary, href, sha256, bytes FROM documents"
                                            " WHERE ?1 IS NULL OR country = ?1 ORDER BY country, ordinal",
                                            code, error);
  int rc;

  if (stmt == NULL)
    return FALSE;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(CbmDocument) document = cbm_document_new ();
      g_autofree char *path = NULL;
      CbmCountry *country;

      document->id = cbm_store_column_dup (stmt, 0);
      document->country = cbm_store_column_dup (stmt, 1);
      document->kind = cbm_document_kind_from_string ((const char *) sqlite3_column_text (stmt, 2));
      document->status = cbm_document_status_from_string ((const char *) sqlite3_column_text (stmt, 3));
      document->title = cbm_store_column_dup (stmt, 4);
      document->language = cbm_store_column_dup (stmt, 5);
      document->issuer = cbm_store_column_dup (stmt, 6);
      document->date = cbm_store_column_dup (stmt, 7);
      document->summary = column_variant (stmt, 8, G_VARIANT_TYPE ("a{ss}"));
      document->href = cbm_store_column_dup (stmt, 9);
      document->sha256 = cbm_store_column_dup (stmt, 10);
      document->bytes = sqlite3_column_int64 (stmt, 11);

      path = file_path_for (self, document->sha256);
      if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
        document->local_path = g_steal_pointer (&path);

      country = g_hash_table_lookup (by_code, document->country);
      if (country != NULL)
        g_list_store_append (country->documents, document);
    }

  return cbm_store_finish_rows (self->db, stmt, rc, error);
}

static gboolean
read_contacts (CbmStore    *self,
               const char  *code,
               GHashTable  *by_code,
               GError     **error)
{
  sqlite3_stmt *stmt = prepare_for_country (self,
                                            "SELECT id, country, category, name, position, institution, email,"
                                            " phone, languages, verified FROM contacts"
                                            " WHERE ?1 IS NULL OR country = ?1 ORDER BY country, ordinal",
                                            code, error);
  int rc;

  if (stmt == NULL)
    return FALSE;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(CbmContact) contact = cbm_contact_new ();
      CbmCountry *country;

      contact->id = cbm_store_column_dup (stmt, 0);
      contact->country = cbm_store_column_dup (stmt, 1);
      contact->category = cbm_contact_category_from_string ((const char *) sqlite3_column_text (stmt, 2));
      contact->name = cbm_store_column_dup (stmt, 3);
      contact->position = cbm_store_column_dup (stmt, 4);
      contact->institution = cbm_store_column_dup (stmt, 5);
      contact->email = cbm_store_column_dup (stmt, 6);
      contact->phone = cbm_store_column_dup (stmt, 7);
      contact->languages = column_strv (stmt, 8);
      contact->verified = cbm_store_column_dup (stmt, 9);
      cbm_contact_update_key (contact);

      country = g_hash_table_lookup (by_code, contact->country);
      if (country != NULL)
        g_list_store_append (country->contacts, contact);
    }

  return cbm_store_finish_rows (self->db, stmt, rc, error);
}

static gboolean
read_measures (CbmStore    *self,
               const char  *code,
               GHashTable  *by_code,
               GError     **error)
{
  sqlite3_stmt *stmt = prepare_for_country (self,
                                            "SELECT country, number, status, evidence, updated FROM measures"
                                            " WHERE ?1 IS NULL OR country = ?1",
                                            code, error);
  int rc;

  if (stmt == NULL)
    return FALSE;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      CbmCountry *country = g_hash_table_lookup (by_code, sqlite3_column_text (stmt, 0));
      int number = sqlite3_column_int (stmt, 1);
      CbmMeasure *measure;

      if (country == NULL || number < 1 || number > CBM_N_MEASURES)
        continue;

      measure = country->measures[number - 1];
      measure->status = cbm_measure_status_from_string ((const char *) sqlite3_column_text (stmt, 2));
      g_strfreev (measure->evidence);
      measure->evidence = column_strv (stmt, 3);
      g_free (measure->updated);
      measure->updated = cbm_store_column_dup (stmt, 4);
    }

  return cbm_store_finish_rows (self->db, stmt, rc, error);
}

/* Starts carry their own offsets, so their text does not sort in time order. */
static int
compare_event_starts (gconstpointer a,
                      gconstpointer b)
{
  CbmEvent *x = *(CbmEvent **) a;
  CbmEvent *y = *(CbmEvent **) b;
  g_autoptr(GDateTime) tx = cbm_date_time_parse (x->starts);
  g_autoptr(GDateTime) ty = cbm_date_time_parse (y->starts);

  if (tx == NULL || ty == NULL)
    return (tx == NULL) - (ty == NULL);
  return g_date_time_compare (tx, ty);
}

static gboolean
read_events (CbmStore   *self,
             GPtrArray  *events,
             GError    **error)
{
  sqlite3_stmt *stmt = cbm_store_prepare (self->db,
                                          "SELECT id, title, description, audience, organizer, starts, ends,"
                                          " timezone, modality, venue, eligibility, has_registration, deadline,"
                                          " capacity FROM events ORDER BY ordinal",
                                error);
  int rc;

  if (stmt == NULL)
    return FALSE;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      CbmEvent *event = cbm_event_new ();

      event->id = cbm_store_column_dup (stmt, 0);
      event->title = column_variant (stmt, 1, G_VARIANT_TYPE ("a{ss}"));
      event->description = column_variant (stmt, 2, G_VARIANT_TYPE ("a{ss}"));
      event->audience = column_variant (stmt, 3, G_VARIANT_TYPE ("a{ss}"));
      event->organizer = cbm_store_column_dup (stmt, 4);
      event->starts = cbm_store_column_dup (stmt, 5);
      event->ends = cbm_store_column_dup (stmt, 6);
      event->timezone = cbm_store_column_dup (stmt, 7);
      event->modality = cbm_modality_from_string ((const char *) sqlite3_column_text (stmt, 8));
      event->venue = cbm_store_column_dup (stmt, 9);
      event->eligibility = cbm_eligibility_from_string ((const char *) sqlite3_column_text (stmt, 10));
      event->has_registration = sqlite3_column_int (stmt, 11) != 0;
      event->deadline = cbm_store_column_dup (stmt, 12);
      event->capacity = sqlite3_column_int64 (stmt, 13);
      g_ptr_array_add (events, event);
    }

  g_ptr_array_sort (events, compare_event_starts);
  return cbm_store_finish_rows (self->db, stmt, rc, error);
}

static gboolean
read_pairs (CbmStore    *self,
            const char  *sql,
            GHashTable  *meta,
            GHashTable  *sync_states,
            GError     **error)
{
  sqlite3_stmt *stmt = cbm_store_prepare (self->db, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      if (meta != NULL)
        g_hash_table_insert (meta, cbm_store_column_dup (stmt, 0), cbm_store_column_dup (stmt, 1));
      else
        {
          CbmSyncState *state = g_new0 (CbmSyncState, 1);

          state->url = cbm_store_column_dup (stmt, 0);
          state->etag = cbm_store_column_dup (stmt, 1);
          state->last_modified = cbm_store_column_dup (stmt, 2);
          state->sha256 = cbm_store_column_dup (stmt, 3);
          g_hash_table_insert (sync_states, state->url, state);
        }
    }

  return cbm_store_finish_rows (self->db, stmt, rc, error);
}

static gboolean
read_countries (CbmStore    *self,
                const char  *code,
                GPtrArray   *countries,
                GError     **error)
{
  g_autoptr(GHashTable) by_code = g_hash_table_new (g_str_hash, g_str_equal);
  sqlite3_stmt *stmt = prepare_for_country (self,
                                            "SELECT code, names, updated, synced_at, sha256 FROM countries"
                                            " WHERE ?1 IS NULL OR code = ?1 ORDER BY code",
                                            code, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      CbmCountry *country = cbm_country_new ((const char *) sqlite3_column_text (stmt, 0));

      country->names = column_variant (stmt, 1, G_VARIANT_TYPE ("a{ss}"));
      country->updated = cbm_store_column_dup (stmt, 2);
      country->synced_at = cbm_store_column_dup (stmt, 3);
      country->sha256 = cbm_store_column_dup (stmt, 4);
      cbm_country_update_key (country);
      g_ptr_array_add (countries, country);
      g_hash_table_insert (by_code, country->code, country);
    }
  if (!cbm_store_finish_rows (self->db, stmt, rc, error))
    return FALSE;

  return read_documents (self, code, by_code, error) &&
         read_contacts (self, code, by_code, error) &&
         read_measures (self, code, by_code, error);
}

/* @codes: (nullable): read these countries only, or everything when NULL */
static Snapshot *
read_snapshot (CbmStore    *self,
               GHashTable  *codes,
               GError     **error)
{
  Snapshot *snapshot = g_new0 (Snapshot, 1);

  snapshot->countries = g_ptr_array_new_with_free_func (g_object_unref);
  snapshot->meta = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  snapshot->sync_states = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                                 (GDestroyNotify) cbm_sync_state_free);

  /* One read transaction, so the snapshot is consistent. */
  if (!cbm_store_exec (self->db, "BEGIN;", error))
    goto failed;

  if (codes == NULL)
    {
      snapshot->events = g_ptr_array_new_with_free_func (g_object_unref);
      if (!read_countries (self, NULL, snapshot->countries, error) ||
          !read_events (self, snapshot->events, error))
        goto rollback;
    }
  else
    {
      g_autoptr(GStrvBuilder) read = g_strv_builder_new ();
      GHashTableIter iter;
      gpointer code;

      g_hash_table_iter_init (&iter, codes);
      while (g_hash_table_iter_next (&iter, &code, NULL))
        {
          g_strv_builder_add (read, code);
          if (!read_countries (self, code, snapshot->countries, error))
            goto rollback;
        }
      snapshot->codes = g_strv_builder_end (read);
    }

  if (!read_pairs (self, "SELECT key, value FROM meta", snapshot->meta, NULL, error) ||
      !read_pairs (self, "SELECT url, etag, last_modified, sha256 FROM sync_state",
                   NULL, snapshot->sync_states, error))
    goto rollback;

  cbm_store_exec (self->db, "COMMIT;", NULL);
  return snapshot;

rollback:
  cbm_store_exec (self->db, "ROLLBACK;", NULL);
failed:
  snapshot_free (snapshot);
  return NULL;
}

/* The fingerprint says whether a country must be replaced in the model on reload. */
static char *
country_fingerprint (CbmCountry *country)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (country->documents));
  guint local = 0;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CbmDocument) document = g_list_model_get_item (G_LIST_MODEL (country->documents), i);
      if (document->local_path != NULL)
        local++;
    }
  return g_strdup_printf ("%s|%s|%u", country->code, country->sha256 ? country->sha256 : "", local);
}

static char *
events_fingerprint (GListModel *events)
{
  g_autoptr(GString) print = g_string_new (NULL);
  guint n = g_list_model_get_n_items (events);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CbmEvent) event = g_list_model_get_item (events, i);
      g_autofree char *title = event->title ? g_variant_print (event->title, FALSE) : NULL;

      g_string_append_printf (print, "%s|%s|%s|%s|%s\n", event->id, event->starts,
                              event->deadline ? event->deadline : "", title ? title : "",
                              event->venue ? event->venue : "");
    }
  return g_string_free (g_steal_pointer (&print), FALSE);
}

static int
compare_country_codes (gconstpointer a,
                       gconstpointer b)
{
  return strcmp ((*(CbmCountry **) a)->code, (*(CbmCountry **) b)->code);
}

/* Main context: splice a snapshot into the models. */
static void
apply_snapshot (CbmStore *self,
                Snapshot *snapshot)
{
  guint n_old = g_list_model_get_n_items (G_LIST_MODEL (self->countries));
  g_autoptr(GPtrArray) merged = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) contacts = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GHashTable) old_by_code = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_object_unref);
  g_autoptr(GPtrArray) candidates = NULL;
  gboolean same;

  /* Old rows are matched by code, not position: a country added or removed before another
   * must not cost the unchanged ones their objects. */
  for (guint i = 0; i < n_old; i++)
    {
      CbmCountry *old = g_list_model_get_item (G_LIST_MODEL (self->countries), i);
      g_hash_table_insert (old_by_code, old->code, old);
    }

  /* A snapshot of some countries leaves the others as they are. */
  if (snapshot->codes == NULL)
    candidates = g_ptr_array_ref (snapshot->countries);
  else
    {
      candidates = g_ptr_array_new_with_free_func (g_object_unref);
      for (guint i = 0; i < snapshot->countries->len; i++)
        g_ptr_array_add (candidates, g_object_ref (g_ptr_array_index (snapshot->countries, i)));
      for (guint i = 0; i < n_old; i++)
        {
          CbmCountry *old = g_list_model_get_item (G_LIST_MODEL (self->countries), i);

          if (g_strv_contains ((const char * const *) snapshot->codes, old->code))
            g_object_unref (old);
          else
            g_ptr_array_add (candidates, old);
        }
      g_ptr_array_sort (candidates, compare_country_codes);
    }
  same = n_old == candidates->len;

  for (guint i = 0; i < candidates->len; i++)
    {
      CbmCountry *fresh = g_ptr_array_index (candidates, i);
      CbmCountry *old = g_hash_table_lookup (old_by_code, fresh->code);
      g_autofree char *old_print = old && old != fresh ? country_fingerprint (old) : NULL;
      g_autofree char *new_print = old && old != fresh ? country_fingerprint (fresh) : NULL;
      CbmCountry *keep = old != NULL && g_strcmp0 (old_print, new_print) == 0 ? old : fresh;
      guint n_contacts;

      /* Each sync confirms every country; that alone must not replace the rows. */
      if (keep == old && g_strcmp0 (old->synced_at, fresh->synced_at) != 0)
        {
          g_free (old->synced_at);
          old->synced_at = g_strdup (fresh->synced_at);
        }

      g_ptr_array_add (merged, g_object_ref (keep));

      n_contacts = g_list_model_get_n_items (G_LIST_MODEL (keep->contacts));
      for (guint j = 0; j < n_contacts; j++)
        g_ptr_array_add (contacts, g_list_model_get_item (G_LIST_MODEL (keep->contacts), j));
    }

  for (guint i = 0; same && i < n_old; i++)
    {
      g_autoptr(CbmCountry) old = g_list_model_get_item (G_LIST_MODEL (self->countries), i);
      same = old == g_ptr_array_index (merged, i);
    }

  if (!same)
    {
      g_list_store_splice (self->countries, 0, n_old, merged->pdata, merged->len);
      g_list_store_splice (self->contacts, 0, g_list_model_get_n_items (G_LIST_MODEL (self->contacts)),
                           contacts->pdata, contacts->len);
    }
  if (snapshot->events != NULL)
  {
    g_autoptr(GListStore) fresh_events = g_list_store_new (CBM_TYPE_EVENT);
    g_autofree char *old_print = events_fingerprint (G_LIST_MODEL (self->events));
    g_autofree char *new_print = NULL;

    g_list_store_splice (fresh_events, 0, 0, snapshot->events->pdata, snapshot->events->len);
    new_print = events_fingerprint (G_LIST_MODEL (fresh_events));
    if (!g_str_equal (old_print, new_print))
      g_list_store_splice (self->events, 0, g_list_model_get_n_items (G_LIST_MODEL (self->events)),
                           snapshot->events->pdata, snapshot->events->len);
  }

  g_clear_pointer (&self->meta, g_hash_table_unref);
  self->meta = g_hash_table_ref (snapshot->meta);
  g_clear_pointer (&self->sync_states, g_hash_table_unref);
  self->sync_states = g_hash_table_ref (snapshot->sync_states);

  g_signal_emit (self, signals[CHANGED], 0);
}

/* The worker's hooks. */

static void open_job (gpointer  owner,
                      Job      *job);

static GError *
closed_error (void)
{
  return g_error_new_literal (CBM_STORE_ERROR, CBM_STORE_ERROR_CLOSED, _("The local data could not be opened."));
}

#define SNAPSHOT_INTERVAL (G_USEC_PER_SEC / 4)

static Reload *
ensure_reload (Job *job)
{
  if (job->extra == NULL)
    {
      job->extra = g_new0 (Reload, 1);
      job->extra_free = (GDestroyNotify) reload_free;
    }
  return job->extra;
}

/* Writes that follow each other closely share one snapshot: it is read when the queue runs
 * dry, or a quarter of a second after the last one at most. While updates are held (a sync
 * under way), running dry is not enough: the quarter of a second decides. */
static void
after_job (gpointer  owner,
           Job      *job,
           gint      n_waiting)
{
  CbmStore *self = owner;
  Reload *reload = job->extra;
  gboolean held = g_atomic_int_get (&self->holds) > 0 && !(reload != NULL && reload->read_now);
  gboolean overdue = g_get_monotonic_time () - self->snapshot_time > SNAPSHOT_INTERVAL;

  if (job->error == NULL && reload != NULL && reload->reload)
    {
      if (reload->reload_country != NULL)
        g_hash_table_add (self->dirty_countries, g_strdup (reload->reload_country));
      else
        self->dirty = TRUE;
    }
  if (!self->dirty && g_hash_table_size (self->dirty_countries) == 0)
    return;

  if ((n_waiting == 0 && !held) || overdue)
    {
      reload = ensure_reload (job);
      reload->snapshot = read_snapshot (self, self->dirty ? NULL : self->dirty_countries,
                                        job->error == NULL ? &job->error : NULL);
      self->snapshot_time = g_get_monotonic_time ();
      self->dirty = FALSE;
      g_hash_table_remove_all (self->dirty_countries);
    }
  else if (n_waiting == 0)
    ensure_reload (job)->deferred = TRUE;
}

static void push_refresh (CbmStore *self);

static gboolean
refresh_cb (gpointer user_data)
{
  CbmStore *self = user_data;

  self->refresh_id = 0;
  push_refresh (self);
  return G_SOURCE_REMOVE;
}

static void
complete_job (gpointer  owner,
              Job      *job)
{
  CbmStore *self = owner;
  Reload *reload = job->extra;

  if (reload == NULL)
    return;
  if (reload->snapshot != NULL)
    apply_snapshot (self, reload->snapshot);
  /* Held writes reach the models within the interval even if no other job comes. */
  if (reload->deferred && self->refresh_id == 0)
    self->refresh_id = g_timeout_add (SNAPSHOT_INTERVAL / 1000, refresh_cb, self);
}

static const CbmDbWorkerHooks worker_hooks = {
  .opener = open_job,
  .closed_error = closed_error,
  .after = after_job,
  .complete = complete_job,
};

/* What a job changes of the models' data. */
typedef enum
{
  WRITES_NOTHING,
  WRITES,
  WRITES_READ_NOW,  /* read back even while updates are held */
} Writes;

static void
push_job (CbmStore       *self,
          GTask          *task,
          CbmDbJobFunc    func,
          gpointer        data,
          GDestroyNotify  data_free,
          Writes          writes,
          const char     *reload_country)
{
  Job *job = cbm_db_job_new (task, func, data, data_free);

  if (writes != WRITES_NOTHING)
    {
      Reload *extra = ensure_reload (job);

      extra->reload = TRUE;
      extra->reload_country = reload_country;
      extra->read_now = writes == WRITES_READ_NOW;
    }
  cbm_db_worker_push (self->worker, job);
}

static void
refresh_job (gpointer  owner,
             Job      *job)
{
}

/* Reads what writes left out of the models, if anything. */
static void
push_refresh (CbmStore *self)
{
  Job *job = cbm_db_job_new (g_task_new (self, NULL, NULL, NULL), refresh_job, NULL, NULL);

  ensure_reload (job)->read_now = TRUE;
  cbm_db_worker_push (self->worker, job);
}

/* Jobs (worker thread). */

static gboolean
ensure_private_dir (const char  *path,
                    GError     **error)
{
  if (g_mkdir_with_parents (path, 0700) != 0)
    {
      int errsv = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errsv),
                   _("Could not create the folder “%s”: %s"), path, g_strerror (errsv));
      return FALSE;
    }
  return TRUE;
}

static void
open_job (gpointer  owner,
          Job      *job)
{
  CbmStore *self = owner;
  g_autofree char *dir = g_path_get_dirname (self->path);
  int rc;

  if (!ensure_private_dir (dir, &job->error) ||
      !ensure_private_dir (self->files_dir, &job->error) ||
      !ensure_private_dir (self->temp_dir, &job->error))
    return;

  rc = sqlite3_open_v2 (self->path, &self->db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
  if (rc != SQLITE_OK)
    {
      g_set_error (&job->error, CBM_STORE_ERROR, CBM_STORE_ERROR_OPEN,
                   _("The local data in “%s” could not be opened: %s"), self->path,
                   self->db ? sqlite3_errmsg (self->db) : sqlite3_errstr (rc));
      g_clear_pointer (&self->db, sqlite3_close_v2);
      return;
    }

  /* Contact data is personal: only the user may read the database and its journals. */
  g_chmod (self->path, 0600);
  sqlite3_busy_timeout (self->db, 5000);

  if (!cbm_store_exec (self->db,
                       "PRAGMA journal_mode = WAL;"
                       "PRAGMA synchronous = NORMAL;"
                       "PRAGMA foreign_keys = ON;",
                       &job->error) ||
      !cbm_store_schema_migrate (self->db, &job->error))
    {
      g_clear_pointer (&self->db, sqlite3_close_v2);
      return;
    }

  for (const char *suffix = "-wal"; suffix != NULL; suffix = g_str_equal (suffix, "-wal") ? "-shm" : NULL)
    {
      g_autofree char *journal = g_strconcat (self->path, suffix, NULL);
      g_chmod (journal, 0600);
    }
}

typedef struct
{
  CbmCountry   *country;
  GPtrArray    *events;
  CbmSyncState *state;
} ApplyData;

static void
apply_data_free (ApplyData *data)
{
  g_clear_object (&data->country);
  g_clear_pointer (&data->events, g_ptr_array_unref);
  g_clear_pointer (&data->state, cbm_sync_state_free);
  g_free (data);
}

static gboolean
save_sync_state (sqlite3             *db,
                 const CbmSyncState  *state,
                 GError             **error)
{
  sqlite3_stmt *stmt;

  if (state == NULL)
    return TRUE;

  stmt = cbm_store_prepare (db, "INSERT OR REPLACE INTO sync_state (url, etag, last_modified, sha256)"
                                " VALUES (?1, ?2, ?3, ?4)", error);
  if (stmt == NULL)
    return FALSE;
  cbm_store_bind_text (stmt, 1, state->url);
  cbm_store_bind_text (stmt, 2, state->etag);
  cbm_store_bind_text (stmt, 3, state->last_modified);
  cbm_store_bind_text (stmt, 4, state->sha256);
  return cbm_store_step_done (db, stmt, error);
}

/* Counts rows that differ between the stored copy of a country and the one about to replace
 * it, by comparing each stored row with the new one's values. */
static guint
count_changed_documents (CbmStore   *self,
                         CbmCountry *country,
                         guint      *added,
                         guint      *removed)
{
  g_autoptr(GHashTable) old = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (country->documents));
  guint changed = 0;
  sqlite3_stmt *stmt;

  *added = 0;
  *removed = 0;

  stmt = cbm_store_prepare (self->db, "SELECT id, sha256 || '|' || title || '|' || status || '|' || kind ||"
                                      " '|' || ifnull(date, '') FROM documents WHERE country = ?1", NULL);
  if (stmt == NULL)
    return 0;
  cbm_store_bind_text (stmt, 1, country->code);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_hash_table_insert (old, cbm_store_column_dup (stmt, 0), cbm_store_column_dup (stmt, 1));
  sqlite3_finalize (stmt);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CbmDocument) document = g_list_model_get_item (G_LIST_MODEL (country->documents), i);
      g_autofree char *print = g_strdup_printf ("%s|%s|%s|%s|%s", document->sha256, document->title,
                                                cbm_document_status_to_string (document->status),
                                                cbm_document_kind_to_string (document->kind),
                                                document->date ? document->date : "");
      const char *before = g_hash_table_lookup (old, document->id);

      if (before == NULL)
        (*added)++;
      else if (!g_str_equal (before, print))
        changed++;
      g_hash_table_remove (old, document->id);
    }

  *removed = g_hash_table_size (old);
  return changed;
}

/* Runs one row of a statement that serves every row of a table: preparing it again for each row
 * took a fifth of the worker's time in a full sync. Finalizes it on failure. */
static gboolean
step_and_reset (sqlite3       *db,
                sqlite3_stmt  *stmt,
                GError       **error)
{
  int rc = sqlite3_step (stmt);

  if (rc != SQLITE_DONE)
    return cbm_store_finish_rows (db, stmt, rc, error);
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  return TRUE;
}

static gboolean
insert_country (sqlite3     *db,
                CbmCountry  *country,
                GError     **error)
{
  sqlite3_stmt *stmt;
  guint n;

  /* Replacing the country row cascades to its documents, contacts and measures. */
  stmt = cbm_store_prepare (db, "DELETE FROM countries WHERE code = ?1", error);
  if (stmt == NULL)
    return FALSE;
  cbm_store_bind_text (stmt, 1, country->code);
  if (!cbm_store_step_done (db, stmt, error))
    return FALSE;

  stmt = cbm_store_prepare (db, "INSERT INTO countries (code, names, updated, synced_at, sha256)"
                                " VALUES (?1, ?2, ?3, ?4, ?5)", error);
  if (stmt == NULL)
    return FALSE;
  cbm_store_bind_text (stmt, 1, country->code);
  bind_variant (stmt, 2, country->names);
  cbm_store_bind_text (stmt, 3, country->updated);
  cbm_store_bind_text (stmt, 4, country->synced_at);
  cbm_store_bind_text (stmt, 5, country->sha256);
  if (!cbm_store_step_done (db, stmt, error))
    return FALSE;

  stmt = cbm_store_prepare (db, "INSERT INTO documents (id, country, ordinal, kind, status, title, language,"
                                " issuer, date, summary, href, sha256, bytes)"
                                " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)", error);
  if (stmt == NULL)
    return FALSE;
  n = g_list_model_get_n_items (G_LIST_MODEL (country->documents));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CbmDocument) d = g_list_model_get_item (G_LIST_MODEL (country->documents), i);

      cbm_store_bind_text (stmt, 1, d->id);
      cbm_store_bind_text (stmt, 2, country->code);
      sqlite3_bind_int (stmt, 3, i);
      cbm_store_bind_text (stmt, 4, cbm_document_kind_to_string (d->kind));
      cbm_store_bind_text (stmt, 5, cbm_document_status_to_string (d->status));
      cbm_store_bind_text (stmt, 6, d->title);
      cbm_store_bind_text (stmt, 7, d->language);
      cbm_store_bind_text (stmt, 8, d->issuer);
      cbm_store_bind_text (stmt, 9, d->date);
      bind_variant (stmt, 10, d->summary);
      cbm_store_bind_text (stmt, 11, d->href);
      cbm_store_bind_text (stmt, 12, d->sha256);
      sqlite3_bind_int64 (stmt, 13, d->bytes);
      if (!step_and_reset (db, stmt, error))
        return FALSE;
    }
  sqlite3_finalize (stmt);

  stmt = cbm_store_prepare (db, "INSERT INTO contacts (id, country, ordinal, category, name, position,"
                                " institution, email, phone, languages, verified)"
                                " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)", error);
  if (stmt == NULL)
    return FALSE;
  n = g_list_model_get_n_items (G_LIST_MODEL (country->contacts));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CbmContact) c = g_list_model_get_item (G_LIST_MODEL (country->contacts), i);

      cbm_store_bind_text (stmt, 1, c->id);
      cbm_store_bind_text (stmt, 2, country->code);
      sqlite3_bind_int (stmt, 3, i);
      cbm_store_bind_text (stmt, 4, cbm_contact_category_to_string (c->category));
      cbm_store_bind_text (stmt, 5, c->name);
      cbm_store_bind_text (stmt, 6, c->position);
      cbm_store_bind_text (stmt, 7, c->institution);
      cbm_store_bind_text (stmt, 8, c->email);
      cbm_store_bind_text (stmt, 9, c->phone);
      bind_strv (stmt, 10, (const char * const *) c->languages);
      cbm_store_bind_text (stmt, 11, c->verified);
      if (!step_and_reset (db, stmt, error))
        return FALSE;
    }
  sqlite3_finalize (stmt);

  stmt = cbm_store_prepare (db, "INSERT INTO measures (country, number, status, evidence, updated)"
                                " VALUES (?1, ?2, ?3, ?4, ?5)", error);
  if (stmt == NULL)
    return FALSE;
  for (guint i = 0; i < CBM_N_MEASURES; i++)
    {
      CbmMeasure *m = country->measures[i];

      cbm_store_bind_text (stmt, 1, country->code);
      sqlite3_bind_int (stmt, 2, i + 1);
      cbm_store_bind_text (stmt, 3, cbm_measure_status_to_string (m->status));
      bind_strv (stmt, 4, (const char * const *) m->evidence);
      cbm_store_bind_text (stmt, 5, m->updated);
      if (!step_and_reset (db, stmt, error))
        return FALSE;
    }
  sqlite3_finalize (stmt);

  return TRUE;
}

static gboolean
run_in_transaction (CbmStore  *self,
                    gboolean (*body) (CbmStore *, Job *, GError **),
                    Job       *job)
{
  if (!cbm_store_exec (self->db, "BEGIN IMMEDIATE;", &job->error))
    return FALSE;

  if (!body (self, job, &job->error) || !cbm_store_exec (self->db, "COMMIT;", &job->error))
    {
      cbm_store_exec (self->db, "ROLLBACK;", NULL);
      return FALSE;
    }
  return TRUE;
}

static gboolean
apply_country_body (CbmStore  *self,
                    Job       *job,
                    GError   **error)
{
  ApplyData *data = job->data;
  CbmStoreChanges *changes = g_new0 (CbmStoreChanges, 1);

  changes->country = g_strdup (data->country->code);
  changes->documents_changed = count_changed_documents (self, data->country,
                                                        &changes->documents_added,
                                                        &changes->documents_removed);
  changes->contacts_changed = g_list_model_get_n_items (G_LIST_MODEL (data->country->contacts));
  job->result = changes;
  job->result_free = (GDestroyNotify) cbm_store_changes_free;

  return insert_country (self->db, data->country, error) &&
         save_sync_state (self->db, data->state, error);
}

static void
apply_country_job (gpointer  owner,
                   Job      *job)
{
  CbmStore *self = owner;
  run_in_transaction (self, apply_country_body, job);
}

static gboolean
apply_events_body (CbmStore  *self,
                   Job       *job,
                   GError   **error)
{
  ApplyData *data = job->data;
  CbmStoreChanges *changes = g_new0 (CbmStoreChanges, 1);

  changes->events_changed = data->events->len;
  job->result = changes;
  job->result_free = (GDestroyNotify) cbm_store_changes_free;

  if (!cbm_store_exec (self->db, "DELETE FROM events;", error))
    return FALSE;

  for (guint i = 0; i < data->events->len; i++)
    {
      CbmEvent *e = g_ptr_array_index (data->events, i);
      sqlite3_stmt *stmt = cbm_store_prepare (self->db,
                                              "INSERT INTO events (id, ordinal, title, description, audience,"
                                              " organizer, starts, ends, timezone, modality, venue, eligibility,"
                                              " has_registration, deadline, capacity) VALUES"
                                              " (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
                                    error);
      if (stmt == NULL)
        return FALSE;
      cbm_store_bind_text (stmt, 1, e->id);
      sqlite3_bind_int (stmt, 2, i);
      bind_variant (stmt, 3, e->title);
      bind_variant (stmt, 4, e->description);
      bind_variant (stmt, 5, e->audience);
      cbm_store_bind_text (stmt, 6, e->organizer);
      cbm_store_bind_text (stmt, 7, e->starts);
      cbm_store_bind_text (stmt, 8, e->ends);
      cbm_store_bind_text (stmt, 9, e->timezone);
      cbm_store_bind_text (stmt, 10, cbm_modality_to_string (e->modality));
      cbm_store_bind_text (stmt, 11, e->venue);
      cbm_store_bind_text (stmt, 12, cbm_eligibility_to_string (e->eligibility));
      sqlite3_bind_int (stmt, 13, e->has_registration);
      cbm_store_bind_text (stmt, 14, e->deadline);
      sqlite3_bind_int64 (stmt, 15, e->capacity);
      if (!cbm_store_step_done (self->db, stmt, error))
        return FALSE;
    }

  return save_sync_state (self->db, data->state, error);
}

static void
apply_events_job (gpointer  owner,
                  Job      *job)
{
  CbmStore *self = owner;
  run_in_transaction (self, apply_events_body, job);
}

typedef struct
{
  char       **codes;
  char       **confirmed;
  GHashTable  *meta;
  GPtrArray   *states;
} FinishData;

static void
finish_data_free (FinishData *data)
{
  g_clear_pointer (&data->codes, g_strfreev);
  g_clear_pointer (&data->confirmed, g_strfreev);
  g_clear_pointer (&data->meta, g_hash_table_unref);
  g_clear_pointer (&data->states, g_ptr_array_unref);
  g_free (data);
}

static gboolean
finish_sync_body (CbmStore  *self,
                  Job       *job,
                  GError   **error)
{
  FinishData *data = job->data;
  g_autofree char *now = cbm_date_time_now_string ();
  g_autoptr(GHashTable) listed = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) gone = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt;
  GHashTableIter iter;
  gpointer key, value;

  for (guint i = 0; data->codes[i] != NULL; i++)
    g_hash_table_add (listed, data->codes[i]);

  for (guint i = 0; data->confirmed[i] != NULL; i++)
    {
      stmt = cbm_store_prepare (self->db, "UPDATE countries SET synced_at = ?1 WHERE code = ?2", error);
      if (stmt == NULL)
        return FALSE;
      cbm_store_bind_text (stmt, 1, now);
      cbm_store_bind_text (stmt, 2, data->confirmed[i]);
      if (!cbm_store_step_done (self->db, stmt, error))
        return FALSE;
    }

  /* A country that the repository no longer lists goes, with all it holds. */
  stmt = cbm_store_prepare (self->db, "SELECT code FROM countries", error);
  if (stmt == NULL)
    return FALSE;
  while (sqlite3_step (stmt) == SQLITE_ROW)
    if (!g_hash_table_contains (listed, sqlite3_column_text (stmt, 0)))
      g_ptr_array_add (gone, cbm_store_column_dup (stmt, 0));
  sqlite3_finalize (stmt);
  for (guint i = 0; i < gone->len; i++)
    {
      stmt = cbm_store_prepare (self->db, "DELETE FROM countries WHERE code = ?1", error);
      if (stmt == NULL)
        return FALSE;
      cbm_store_bind_text (stmt, 1, g_ptr_array_index (gone, i));
      if (!cbm_store_step_done (self->db, stmt, error))
        return FALSE;
    }

  g_hash_table_iter_init (&iter, data->meta);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      stmt = cbm_store_prepare (self->db, "INSERT OR REPLACE INTO meta (key, value) VALUES (?1, ?2)", error);
      if (stmt == NULL)
        return FALSE;
      cbm_store_bind_text (stmt, 1, key);
      cbm_store_bind_text (stmt, 2, value);
      if (!cbm_store_step_done (self->db, stmt, error))
        return FALSE;
    }

  for (guint i = 0; i < data->states->len; i++)
    if (!save_sync_state (self->db, g_ptr_array_index (data->states, i), error))
      return FALSE;

  return TRUE;
}

/* Removes PDFs that no document references any more and leftovers of interrupted downloads.
 * Runs after the transaction, so a file goes only once nothing in the store points at it. */
static void
collect_garbage (CbmStore *self)
{
  g_autoptr(GHashTable) referenced = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  const char *dirs[] = { self->files_dir, self->temp_dir };
  sqlite3_stmt *stmt;

  stmt = cbm_store_prepare (self->db, "SELECT DISTINCT sha256 FROM documents", NULL);
  if (stmt == NULL)
    return;
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_hash_table_add (referenced, g_strconcat ((const char *) sqlite3_column_text (stmt, 0), ".pdf", NULL));
  sqlite3_finalize (stmt);

  for (guint d = 0; d < G_N_ELEMENTS (dirs); d++)
    {
      g_autoptr(GDir) dir = g_dir_open (dirs[d], 0, NULL);
      const char *name;

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *path = NULL;

          if (d == 0 && g_hash_table_contains (referenced, name))
            continue;
          path = g_build_filename (dirs[d], name, NULL);
          if (g_unlink (path) != 0)
            g_debug ("Could not remove %s: %s", path, g_strerror (errno));
        }
    }
}

static void
finish_sync_job (gpointer  owner,
                 Job      *job)
{
  CbmStore *self = owner;
  if (run_in_transaction (self, finish_sync_body, job))
    collect_garbage (self);
}

/* Generic work for the other files of the store (cbm-store-outbox.c). */

typedef struct
{
  CbmStoreWorkFunc func;
  gpointer         data;
  GDestroyNotify   data_free;
  GDestroyNotify   result_free;
} Work;

static void
work_free (Work *work)
{
  if (work->data_free != NULL)
    g_clear_pointer (&work->data, work->data_free);
  g_free (work);
}

static void
work_job (gpointer  owner,
          Job      *job)
{
  CbmStore *self = owner;
  Work *work = job->data;

  job->result = work->func (self, self->db, work->data, &job->error);
  job->result_free = work->result_free;
  if (job->error != NULL && job->result != NULL && job->result_free != NULL)
    g_clear_pointer (&job->result, job->result_free);
}

void
cbm_store_run_work (CbmStore         *self,
                    GTask            *task,
                    CbmStoreWorkFunc  func,
                    gpointer          data,
                    GDestroyNotify    data_free,
                    GDestroyNotify    result_free)
{
  Work *work = g_new0 (Work, 1);

  work->func = func;
  work->data = data;
  work->data_free = data_free;
  work->result_free = result_free;
  push_job (self, task, work_job, work, (GDestroyNotify) work_free, WRITES_NOTHING, NULL);
}

GListStore *
cbm_store_get_registration_store (CbmStore *self)
{
  return self->registrations;
}

/* Returns TRUE once: the first caller loads the registrations. */
gboolean
cbm_store_take_registrations_load (CbmStore *self)
{
  gboolean first = !self->registrations_loaded;

  self->registrations_loaded = TRUE;
  return first;
}

/**
 * cbm_store_hold_updates:
 *
 * Until the matching cbm_store_release_updates(), writes reach the models a quarter of a second
 * apart at most rather than one by one: a sync writes dozens of countries in a burst, and
 * reading each back would cost more than writing it. The end of a sync is read at once.
 */
void
cbm_store_hold_updates (CbmStore *self)
{
  g_return_if_fail (CBM_IS_STORE (self));
  g_atomic_int_inc (&self->holds);
}

void
cbm_store_release_updates (CbmStore *self)
{
  g_return_if_fail (CBM_IS_STORE (self));
  g_return_if_fail (g_atomic_int_get (&self->holds) > 0);

  if (g_atomic_int_dec_and_test (&self->holds))
    push_refresh (self);
}

/* GObject. */

static void
cbm_store_finalize (GObject *object)
{
  CbmStore *self = (CbmStore *)object;

  g_clear_handle_id (&self->refresh_id, g_source_remove);
  g_clear_pointer (&self->worker, cbm_db_worker_free);
  g_clear_pointer (&self->dirty_countries, g_hash_table_unref);
  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->files_dir, g_free);
  g_clear_pointer (&self->temp_dir, g_free);
  g_clear_object (&self->countries);
  g_clear_object (&self->contacts);
  g_clear_object (&self->events);
  g_clear_object (&self->registrations);
  g_clear_pointer (&self->meta, g_hash_table_unref);
  g_clear_pointer (&self->sync_states, g_hash_table_unref);

  G_OBJECT_CLASS (cbm_store_parent_class)->finalize (object);
}

static void
cbm_store_class_init (CbmStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cbm_store_finalize;

  /**
   * CbmStore::changed:
   *
   * Emitted on the main context after the models took in a write.
   */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
cbm_store_init (CbmStore *self)
{
  self->dirty_countries = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->countries = g_list_store_new (CBM_TYPE_COUNTRY);
  self->contacts = g_list_store_new (CBM_TYPE_CONTACT);
  self->events = g_list_store_new (CBM_TYPE_EVENT);
  self->registrations = g_list_store_new (CBM_TYPE_REGISTRATION);
  self->meta = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->sync_states = g_hash_table_new (g_str_hash, g_str_equal);
}

/* Public API. */

/**
 * cbm_store_new:
 * @path: the database file; PDFs go to `files/` and downloads in progress to `tmp/` beside it
 *
 * Creates a store. Nothing touches the disk until cbm_store_open_async().
 */
CbmStore *
cbm_store_new (const char *path)
{
  CbmStore *self;
  g_autofree char *dir = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  self = g_object_new (CBM_TYPE_STORE, NULL);
  self->path = g_strdup (path);
  dir = g_path_get_dirname (path);
  self->files_dir = g_build_filename (dir, "files", NULL);
  self->temp_dir = g_build_filename (dir, "tmp", NULL);
  self->worker = cbm_db_worker_new ("cbm-store", &worker_hooks, self, &self->db);
  return self;
}

const char *
cbm_store_get_path (CbmStore *self)
{
  g_return_val_if_fail (CBM_IS_STORE (self), NULL);
  return self->path;
}

const char *
cbm_store_get_files_dir (CbmStore *self)
{
  g_return_val_if_fail (CBM_IS_STORE (self), NULL);
  return self->files_dir;
}

const char *
cbm_store_get_temp_dir (CbmStore *self)
{
  g_return_val_if_fail (CBM_IS_STORE (self), NULL);
  return self->temp_dir;
}

/**
 * cbm_store_dup_file_path:
 * @self: a store
 * @sha256: a document's digest, 64 lowercase hex digits
 *
 * PDFs are stored by content, so two documents never clash and a name from a feed never
 * becomes a path.
 *
 * Returns: (nullable): where the PDF with that digest lives, or %NULL for a malformed digest
 */
char *
cbm_store_dup_file_path (CbmStore   *self,
                         const char *sha256)
{
  g_return_val_if_fail (CBM_IS_STORE (self), NULL);

  if (sha256 == NULL || strlen (sha256) != 64)
    return NULL;
  for (guint i = 0; i < 64; i++)
    if (!g_ascii_isxdigit (sha256[i]) || g_ascii_isupper (sha256[i]))
      return NULL;
  return file_path_for (self, sha256);
}

void
cbm_store_open_async (CbmStore            *self,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (CBM_IS_STORE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cbm_store_open_async);
  push_job (self, task, open_job, NULL, NULL, WRITES, NULL);
}

gboolean
cbm_store_open_finish (CbmStore      *self,
                       GAsyncResult  *result,
                       GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * cbm_store_get_countries:
 *
 * Returns: (transfer none): the member states, as #CbmCountry, by code
 */
GListModel *
cbm_store_get_countries (CbmStore *self)
{
  g_return_val_if_fail (CBM_IS_STORE (self), NULL);
  return G_LIST_MODEL (self->countries);
}

/**
 * cbm_store_get_contacts:
 *
 * Returns: (transfer none): every point of contact of every country, as #CbmContact
 */
GListModel *
cbm_store_get_contacts (CbmStore *self)
{
  g_return_val_if_fail (CBM_IS_STORE (self), NULL);
  return G_LIST_MODEL (self->contacts);
}

/**
 * cbm_store_get_events:
 *
 * Returns: (transfer none): the events, as #CbmEvent, by start
 */
GListModel *
cbm_store_get_events (CbmStore *self)
{
  g_return_val_if_fail (CBM_IS_STORE (self), NULL);
  return G_LIST_MODEL (self->events);
}

/**
 * cbm_store_lookup_country:
 *
 * Returns: (transfer none) (nullable): the country with that code
 */
CbmCountry *
cbm_store_lookup_country (CbmStore   *self,
                          const char *code)
{
  guint n;

  g_return_val_if_fail (CBM_IS_STORE (self), NULL);

  n = g_list_model_get_n_items (G_LIST_MODEL (self->countries));
  for (guint i = 0; i < n; i++)
    {
      CbmCountry *country = g_list_model_get_item (G_LIST_MODEL (self->countries), i);

      g_object_unref (country); /* the model keeps it alive */
      if (g_strcmp0 (country->code, code) == 0)
        return country;
    }
  return NULL;
}

const char *
cbm_store_get_meta (CbmStore   *self,
                    const char *key)
{
  g_return_val_if_fail (CBM_IS_STORE (self), NULL);
  return g_hash_table_lookup (self->meta, key);
}

const CbmSyncState *
cbm_store_lookup_sync_state (CbmStore   *self,
                             const char *url)
{
  g_return_val_if_fail (CBM_IS_STORE (self), NULL);
  return g_hash_table_lookup (self->sync_states, url);
}

/**
 * cbm_store_apply_country_async:
 * @self: a store
 * @country: a complete country, as read from its file
 * @state: (nullable): the conditional-GET state of that file, saved in the same transaction
 *
 * Replaces everything the store holds of the country in one transaction: the store never
 * holds half a country.
 */
void
cbm_store_apply_country_async (CbmStore            *self,
                               CbmCountry          *country,
                               const CbmSyncState  *state,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  GTask *task;
  ApplyData *data;

  g_return_if_fail (CBM_IS_STORE (self));
  g_return_if_fail (CBM_IS_COUNTRY (country));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cbm_store_apply_country_async);
  data = g_new0 (ApplyData, 1);
  data->country = g_object_ref (country);
  data->state = state ? cbm_sync_state_copy (state) : NULL;
  push_job (self, task, apply_country_job, data, (GDestroyNotify) apply_data_free, WRITES,
            data->country->code);
}

CbmStoreChanges *
cbm_store_apply_country_finish (CbmStore      *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * cbm_store_apply_events_async:
 * @events: (element-type CbmEvent): every event, replacing those stored
 */
void
cbm_store_apply_events_async (CbmStore            *self,
                              GPtrArray           *events,
                              const CbmSyncState  *state,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  GTask *task;
  ApplyData *data;

  g_return_if_fail (CBM_IS_STORE (self));
  g_return_if_fail (events != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cbm_store_apply_events_async);
  data = g_new0 (ApplyData, 1);
  data->events = g_ptr_array_ref (events);
  data->state = state ? cbm_sync_state_copy (state) : NULL;
  push_job (self, task, apply_events_job, data, (GDestroyNotify) apply_data_free, WRITES, NULL);
}

CbmStoreChanges *
cbm_store_apply_events_finish (CbmStore      *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * cbm_store_finish_sync_async:
 * @country_codes: every country the repository's index lists; stored countries not in it are
 *   removed
 * @confirmed: the countries whose data the repository confirmed now ("data as of")
 * @meta: (element-type utf8 utf8): settings of the repository to keep, such as its
 *   registrations URL
 * @states: (element-type CbmSyncState): conditional-GET states to save, such as the index's
 *
 * Ends a successful sync: one transaction, then the removal of PDFs nothing references and of
 * leftover temporary files.
 */
void
cbm_store_finish_sync_async (CbmStore            *self,
                             const char * const  *country_codes,
                             const char * const  *confirmed,
                             GHashTable          *meta,
                             GPtrArray           *states,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  GTask *task;
  FinishData *data;

  g_return_if_fail (CBM_IS_STORE (self));
  g_return_if_fail (country_codes != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cbm_store_finish_sync_async);
  data = g_new0 (FinishData, 1);
  data->codes = g_strdupv ((char **) country_codes);
  data->confirmed = g_strdupv ((char **) (confirmed ? confirmed : country_codes));
  data->meta = meta ? g_hash_table_ref (meta) : g_hash_table_new (g_str_hash, g_str_equal);
  data->states = states ? g_ptr_array_ref (states) : g_ptr_array_new ();
  /* The end of a sync is in the models when its caller hears of it. */
  push_job (self, task, finish_sync_job, data, (GDestroyNotify) finish_data_free, WRITES_READ_NOW, NULL);
}

gboolean
cbm_store_finish_sync_finish (CbmStore      *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

CbmSyncState *
cbm_sync_state_new (const char *url,
                    const char *etag,
                    const char *last_modified,
                    const char *sha256)
{
  CbmSyncState *state = g_new0 (CbmSyncState, 1);

  state->url = g_strdup (url);
  state->etag = g_strdup (etag);
  state->last_modified = g_strdup (last_modified);
  state->sha256 = g_strdup (sha256);
  return state;
}

CbmSyncState *
cbm_sync_state_copy (const CbmSyncState *state)
{
  return cbm_sync_state_new (state->url, state->etag, state->last_modified, state->sha256);
}

void
cbm_sync_state_free (CbmSyncState *state)
{
  if (state == NULL)
    return;
  g_free (state->url);
  g_free (state->etag);
  g_free (state->last_modified);
  g_free (state->sha256);
  g_free (state);
}

void
cbm_store_changes_free (CbmStoreChanges *changes)
{
  if (changes == NULL)
    return;
  g_free (changes->country);
  g_free (changes);
}
