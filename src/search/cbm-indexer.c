/* cbm-indexer.c
 *
 * Copyright 2026 The CBM Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>

#include "cbm-db-worker.h"
#include "cbm-indexer.h"
#include "cbm-pdf.h"
#include "cbm-search-query.h"

/* The index lives in its own sqlite file, a cache that can always be rebuilt, with one
 * connection owned by a CbmDbWorker, as the store's is. The main thread
 * drives extraction: it walks the store's documents, asks a CbmPdfHelper of its own for each
 * page's text (poppler stays in the killable helper process) and hands each finished document
 * to the worker, which writes its pages and its "indexed" mark in one transaction. A document
 * whose transaction never committed is simply not in the index, so a killed indexer resumes
 * by redoing it.
 *
 * A document's pages get the rowids num << 20 | page, num being its row in `documents`, so
 * dropping a document is a rowid range delete, not a scan of the FTS table. */

#define SCHEMA_VERSION   1
#define ROWID_SHIFT      20
#define MAX_PAGE_TEXT    (256 * 1024)
#define DEBOUNCE_MS      1000
#define RANK_MAX         5000

G_STATIC_ASSERT ((1 << ROWID_SHIFT) >= CBM_INDEXER_MAX_PAGES);

typedef CbmDbJob Job;

/* What the index needs of one document; plain strings so the worker can own a copy. */
typedef struct
{
  char *id;
  char *country;
  char *sha256;
  char *path;      /* NULL when the PDF is not on disk */
  char *kind;
  char *language;
} DocInfo;

typedef struct
{
  DocInfo   *doc;
  GPtrArray *pages;   /* char *, one per page */
  gboolean   failed;
  char      *error;
} CommitData;

typedef struct
{
  char     *match;
  char     *country;
  char     *kind;
  char     *language;
  guint     limit;
} QueryData;

typedef struct
{
  GPtrArray *results;
  guint      n_pages;
  guint      n_documents;
} QueryResult;

typedef struct
{
  GPtrArray *todo;       /* DocInfo to extract */
  guint      n_total;
} PlanResult;

/* One pass over the store's documents (main thread). */
typedef struct
{
  CbmIndexer   *self;
  GCancellable *cancellable;
  CbmPdfHelper *helper;
  GPtrArray    *todo;
  guint         next;
  DocInfo      *doc;
  GPtrArray    *pages;
  int           n_pages;
  gint64        started;
  char         *error;
} Run;

struct _CbmIndexer
{
  GObject       parent_instance;

  CbmStore     *store;
  char         *path;

  CbmDbWorker  *worker;
  sqlite3      *db;            /* owned by the worker thread */

  gboolean      opened;
  gboolean      started;
  gulong        changed_id;
  guint         debounce_id;
  Run          *run;
  gboolean      dirty;         /* the store changed during the run */
  GPtrArray    *waiters;       /* GTask of cbm_indexer_update_async () */

  guint         indexed;
  guint         total;
  guint         n_extracted;
  guint         n_failed;
  guint64       n_extracted_pages;
  guint         page_timeout;
  guint         document_budget;
};

G_DEFINE_FINAL_TYPE (CbmIndexer, cbm_indexer, G_TYPE_OBJECT)

G_DEFINE_QUARK (cbm-indexer-error-quark, cbm_indexer_error)

enum {
  PROP_0,
  PROP_INDEXED,
  PROP_TOTAL,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void run_next (Run *run);

static void
doc_info_free (DocInfo *doc)
{
  if (doc == NULL)
    return;
  g_free (doc->id);
  g_free (doc->country);
  g_free (doc->sha256);
  g_free (doc->path);
  g_free (doc->kind);
  g_free (doc->language);
  g_free (doc);
}

static DocInfo *
doc_info_new (CbmDocument *document)
{
  DocInfo *doc = g_new0 (DocInfo, 1);

  doc->id = g_strdup (document->id);
  doc->country = g_strdup (document->country);
  doc->sha256 = g_strdup (document->sha256);
  doc->path = g_strdup (document->local_path);
  doc->kind = g_strdup (cbm_document_kind_to_string (document->kind));
  doc->language = g_strdup (document->language);
  return doc;
}

static void
commit_data_free (CommitData *data)
{
  g_clear_pointer (&data->doc, doc_info_free);
  g_clear_pointer (&data->pages, g_ptr_array_unref);
  g_free (data->error);
  g_free (data);
}

static void
query_data_free (QueryData *data)
{
  g_free (data->match);
  g_free (data->country);
  g_free (data->kind);
  g_free (data->language);
  g_free (data);
}

static void
query_result_free (QueryResult *result)
{
  g_clear_pointer (&result->results, g_ptr_array_unref);
  g_free (result);
}

static void
plan_result_free (PlanResult *result)
{
  g_clear_pointer (&result->todo, g_ptr_array_unref);
  g_free (result);
}

/* sqlite helpers (worker thread). */

static void
set_sql_error (sqlite3  *db,
               int       rc,
               GError  **error)
{
  g_set_error (error, CBM_INDEXER_ERROR, CBM_INDEXER_ERROR_SQL,
               _("The search index could not be used: %s"),
               db != NULL ? sqlite3_errmsg (db) : sqlite3_errstr (rc));
}

static gboolean
exec (sqlite3     *db,
      const char  *sql,
      GError     **error)
{
  int rc = sqlite3_exec (db, sql, NULL, NULL, NULL);

  if (rc != SQLITE_OK)
    {
      set_sql_error (db, rc, error);
      return FALSE;
    }
  return TRUE;
}

static sqlite3_stmt *
prepare (sqlite3     *db,
         const char  *sql,
         GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc = sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL);

  if (rc != SQLITE_OK)
    {
      set_sql_error (db, rc, error);
      return NULL;
    }
  return stmt;
}

static void
bind_text (sqlite3_stmt *stmt,
           int           index,
           const char   *text)
{
  if (text != NULL)
    sqlite3_bind_text (stmt, index, text, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, index);
}

static char *
column_dup (sqlite3_stmt *stmt,
            int           column)
{
  const unsigned char *text = sqlite3_column_text (stmt, column);

  return text != NULL ? g_strdup ((const char *) text) : NULL;
}

static gboolean
step_done (sqlite3       *db,
           sqlite3_stmt  *stmt,
           GError       **error)
{
  int rc = sqlite3_step (stmt);

  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      set_sql_error (db, rc, error);
      return FALSE;
    }
  return TRUE;
}

/* The worker's hooks. */

static void open_job (gpointer  owner,
                      Job      *job);

static GError *
closed_error (void)
{
  return g_error_new_literal (CBM_INDEXER_ERROR, CBM_INDEXER_ERROR_CLOSED, _("The search index is not open."));
}

static const CbmDbWorkerHooks worker_hooks = {
  .opener = open_job,
  .closed_error = closed_error,
};

static void
push_job (CbmIndexer     *self,
          GTask          *task,
          CbmDbJobFunc    func,
          gpointer        data,
          GDestroyNotify  data_free)
{
  cbm_db_worker_push (self->worker, cbm_db_job_new (task, func, data, data_free));
}

/* Jobs (worker thread). */

static gboolean
create_schema (sqlite3  *db,
               GError  **error)
{
  sqlite3_stmt *stmt = prepare (db, "PRAGMA user_version", error);
  int version;

  if (stmt == NULL)
    return FALSE;
  sqlite3_step (stmt);
  version = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);

  if (version == SCHEMA_VERSION)
    return TRUE;

  /* The index is a cache of the store: a file from another version is rebuilt, not migrated. */
  return exec (db,
               "BEGIN;"
               "DROP TABLE IF EXISTS pages;"
               "DROP TABLE IF EXISTS documents;"
               "CREATE TABLE documents ("
               "  num INTEGER PRIMARY KEY,"
               "  id TEXT NOT NULL UNIQUE,"
               "  sha256 TEXT NOT NULL,"
               "  status TEXT NOT NULL CHECK (status IN ('indexed', 'failed')),"
               "  error TEXT,"
               "  n_pages INTEGER NOT NULL DEFAULT 0,"
               "  country TEXT,"
               "  kind TEXT,"
               "  language TEXT);"
               "CREATE VIRTUAL TABLE pages USING fts5 ("
               "  text, document UNINDEXED, country UNINDEXED, page UNINDEXED,"
               "  language UNINDEXED, kind UNINDEXED,"
               "  tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3');"
               "PRAGMA user_version = 1;"
               "COMMIT;",
               error);
}

static void
open_job (gpointer  owner,
          Job      *job)
{
  CbmIndexer *self = owner;
  g_autofree char *dir = g_path_get_dirname (self->path);
  int rc;

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int errsv = errno;
      g_set_error (&job->error, G_IO_ERROR, g_io_error_from_errno (errsv),
                   _("Could not create the folder “%s”: %s"), dir, g_strerror (errsv));
      return;
    }

  rc = sqlite3_open_v2 (self->path, &self->db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
  if (rc != SQLITE_OK)
    {
      g_set_error (&job->error, CBM_INDEXER_ERROR, CBM_INDEXER_ERROR_OPEN,
                   _("The search index in “%s” could not be opened: %s"), self->path,
                   self->db ? sqlite3_errmsg (self->db) : sqlite3_errstr (rc));
      g_clear_pointer (&self->db, sqlite3_close_v2);
      return;
    }

  /* The index holds the documents' text: only the user may read it. */
  g_chmod (self->path, 0600);
  sqlite3_busy_timeout (self->db, 5000);

  if (!exec (self->db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;", &job->error) ||
      !create_schema (self->db, &job->error))
    {
      g_clear_pointer (&self->db, sqlite3_close_v2);
      return;
    }

  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *journal = g_strconcat (self->path, i == 0 ? "-wal" : "-shm", NULL);
      g_chmod (journal, 0600);
    }
}

static gboolean
delete_document (sqlite3      *db,
                 sqlite3_int64 num,
                 GError      **error)
{
  sqlite3_stmt *stmt;
  gboolean ok;

  stmt = prepare (db, "DELETE FROM pages WHERE rowid >= ?1 AND rowid < ?2", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, num << ROWID_SHIFT);
  sqlite3_bind_int64 (stmt, 2, (num + 1) << ROWID_SHIFT);
  ok = step_done (db, stmt, error);
  sqlite3_finalize (stmt);
  if (!ok)
    return FALSE;

  stmt = prepare (db, "DELETE FROM documents WHERE num = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, num);
  ok = step_done (db, stmt, error);
  sqlite3_finalize (stmt);
  return ok;
}

/* Drops what the store no longer has (or has with other content) and lists what to extract. */
static gboolean
plan_body (CbmIndexer  *self,
           GPtrArray   *wanted,
           PlanResult  *plan,
           GError     **error)
{
  g_autoptr(GHashTable) by_id = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) kept = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  sqlite3_stmt *stmt;
  int rc;

  for (guint i = 0; i < wanted->len; i++)
    {
      DocInfo *doc = g_ptr_array_index (wanted, i);
      g_hash_table_insert (by_id, doc->id, doc);
    }

  stmt = prepare (self->db, "SELECT num, id, sha256 FROM documents", error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      sqlite3_int64 num = sqlite3_column_int64 (stmt, 0);
      const char *id = (const char *) sqlite3_column_text (stmt, 1);
      const char *sha256 = (const char *) sqlite3_column_text (stmt, 2);
      DocInfo *doc = g_hash_table_lookup (by_id, id);

      if (doc != NULL && g_strcmp0 (doc->sha256, sha256) == 0)
        {
          g_hash_table_add (kept, g_strdup (id));
          continue;
        }
      if (!delete_document (self->db, num, error))
        {
          sqlite3_finalize (stmt);
          return FALSE;
        }
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      set_sql_error (self->db, rc, error);
      return FALSE;
    }

  for (guint i = 0; i < wanted->len; i++)
    {
      DocInfo *doc = g_ptr_array_index (wanted, i);

      if (g_hash_table_contains (kept, doc->id))
        plan->n_total++;
      else if (doc->path != NULL)
        {
          plan->n_total++;
          g_ptr_array_add (plan->todo, g_steal_pointer (&wanted->pdata[i]));
        }
    }
  return TRUE;
}

static void
plan_job (gpointer  owner,
          Job      *job)
{
  CbmIndexer *self = owner;
  PlanResult *plan = g_new0 (PlanResult, 1);

  plan->todo = g_ptr_array_new_with_free_func ((GDestroyNotify) doc_info_free);

  if (!exec (self->db, "BEGIN IMMEDIATE", &job->error))
    {
      plan_result_free (plan);
      return;
    }
  if (!plan_body (self, job->data, plan, &job->error))
    {
      exec (self->db, "ROLLBACK", NULL);
      plan_result_free (plan);
      return;
    }
  if (!exec (self->db, "COMMIT", &job->error))
    {
      exec (self->db, "ROLLBACK", NULL);
      plan_result_free (plan);
      return;
    }

  job->result = plan;
  job->result_free = (GDestroyNotify) plan_result_free;
}

static gboolean
commit_body (CbmIndexer  *self,
             CommitData  *data,
             GError     **error)
{
  DocInfo *doc = data->doc;
  sqlite3_stmt *stmt;
  sqlite3_int64 num;
  gboolean ok;
  int rc;

  stmt = prepare (self->db, "SELECT num FROM documents WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, doc->id);
  rc = sqlite3_step (stmt);
  num = rc == SQLITE_ROW ? sqlite3_column_int64 (stmt, 0) : -1;
  sqlite3_finalize (stmt);
  if (num >= 0 && !delete_document (self->db, num, error))
    return FALSE;

  stmt = prepare (self->db,
                  "INSERT INTO documents (id, sha256, status, error, n_pages, country, kind, language)"
                  " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                  error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, doc->id);
  bind_text (stmt, 2, doc->sha256 != NULL ? doc->sha256 : "");
  bind_text (stmt, 3, data->failed ? "failed" : "indexed");
  bind_text (stmt, 4, data->error);
  sqlite3_bind_int (stmt, 5, data->pages != NULL ? (int) data->pages->len : 0);
  bind_text (stmt, 6, doc->country);
  bind_text (stmt, 7, doc->kind);
  bind_text (stmt, 8, doc->language);
  ok = step_done (self->db, stmt, error);
  sqlite3_finalize (stmt);
  if (!ok)
    return FALSE;
  num = sqlite3_last_insert_rowid (self->db);

  if (data->failed || data->pages == NULL)
    return TRUE;

  stmt = prepare (self->db,
                  "INSERT INTO pages (rowid, text, document, country, page, language, kind)"
                  " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                  error);
  if (stmt == NULL)
    return FALSE;
  for (guint i = 0; i < data->pages->len && i < CBM_INDEXER_MAX_PAGES; i++)
    {
      const char *text = g_ptr_array_index (data->pages, i);

      if (text == NULL || *text == '\0')
        continue;
      sqlite3_bind_int64 (stmt, 1, (num << ROWID_SHIFT) | i);
      bind_text (stmt, 2, text);
      bind_text (stmt, 3, doc->id);
      bind_text (stmt, 4, doc->country);
      sqlite3_bind_int (stmt, 5, (int) i);
      bind_text (stmt, 6, doc->language);
      bind_text (stmt, 7, doc->kind);
      if (!step_done (self->db, stmt, error))
        {
          sqlite3_finalize (stmt);
          return FALSE;
        }
    }
  sqlite3_finalize (stmt);
  return TRUE;
}

/* A document's pages and its "indexed" mark go in together, or not at all. */
static void
commit_job (gpointer  owner,
            Job      *job)
{
  CbmIndexer *self = owner;
  if (!exec (self->db, "BEGIN IMMEDIATE", &job->error))
    return;
  if (!commit_body (self, job->data, &job->error) ||
      !exec (self->db, "COMMIT", &job->error))
    exec (self->db, "ROLLBACK", NULL);
}

static gboolean
bind_filters (sqlite3_stmt *stmt,
              QueryData    *data)
{
  return sqlite3_bind_text (stmt, 1, data->match, -1, SQLITE_TRANSIENT) == SQLITE_OK &&
         (bind_text (stmt, 2, data->country), TRUE) &&
         (bind_text (stmt, 3, data->kind), TRUE) &&
         (bind_text (stmt, 4, data->language), TRUE);
}

/* Filters go through `documents` and the rowid, never through the FTS table's own columns:
 * reading those means reading each matching row's content, which costs 10 ms per thousand
 * rows. */
#define FILTER_SQL \
  " WHERE pages MATCH ?1 AND ((?2 IS NULL AND ?3 IS NULL AND ?4 IS NULL)" \
  " OR (rowid >> " G_STRINGIFY (ROWID_SHIFT) ") IN (SELECT num FROM documents" \
  " WHERE (?2 IS NULL OR country = ?2) AND (?3 IS NULL OR kind = ?3) AND (?4 IS NULL OR language = ?4)))"

static void
query_job (gpointer  owner,
           Job      *job)
{
  CbmIndexer *self = owner;
  QueryData *data = job->data;
  g_autoptr(GPtrArray) results = g_ptr_array_new_with_free_func (g_object_unref);
  QueryResult *result;
  sqlite3_stmt *stmt;
  guint n_pages = 0, n_documents = 0;
  sqlite3_int64 last_rowid = G_MAXINT64;
  int rc;

  stmt = prepare (self->db,
                  "SELECT count(*), count(DISTINCT rowid >> " G_STRINGIFY (ROWID_SHIFT) ") FROM pages" FILTER_SQL,
                  &job->error);
  if (stmt == NULL)
    return;
  bind_filters (stmt, data);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      n_pages = sqlite3_column_int (stmt, 0);
      n_documents = sqlite3_column_int (stmt, 1);
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_ROW)
    {
      set_sql_error (self->db, rc, &job->error);
      return;
    }

  /* bm25 costs a few microseconds a row: a word on nearly every page (a "de", a "the") would
   * take hundreds of milliseconds to rank. Past RANK_MAX matches, only the first RANK_MAX
   * (in index order) are ranked; such a word has next to no weight in bm25 anyway. */
  if (n_pages > RANK_MAX)
    {
      stmt = prepare (self->db, "SELECT rowid FROM pages" FILTER_SQL " ORDER BY rowid LIMIT 1 OFFSET ?5",
                      &job->error);
      if (stmt == NULL)
        return;
      bind_filters (stmt, data);
      sqlite3_bind_int (stmt, 5, RANK_MAX - 1);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        last_rowid = sqlite3_column_int64 (stmt, 0);
      sqlite3_finalize (stmt);
    }

  /* ORDER BY bm25() rather than rank: FTS5 sorts by rank before sqlite applies the filters,
   * ranking every match; bm25() is only computed for the rows that pass them. */
  stmt = prepare (self->db,
                  "SELECT document, country, page,"
                  " snippet(pages, 0, '" CBM_SEARCH_MARK_START "', '" CBM_SEARCH_MARK_END "', '…', 16),"
                  " bm25(pages) AS score FROM pages" FILTER_SQL " AND rowid <= ?6 ORDER BY score LIMIT ?5",
                  &job->error);
  if (stmt == NULL)
    return;
  bind_filters (stmt, data);
  sqlite3_bind_int (stmt, 5, (int) MIN (data->limit, G_MAXINT));
  sqlite3_bind_int64 (stmt, 6, last_rowid);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      CbmSearchResult *hit = cbm_search_result_new ();

      hit->document_id = column_dup (stmt, 0);
      hit->country = column_dup (stmt, 1);
      hit->page = sqlite3_column_int (stmt, 2);
      hit->snippet = column_dup (stmt, 3);
      hit->rank = sqlite3_column_double (stmt, 4);
      g_ptr_array_add (results, hit);
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      set_sql_error (self->db, rc, &job->error);
      return;
    }

  result = g_new0 (QueryResult, 1);
  result->results = g_steal_pointer (&results);
  result->n_pages = n_pages;
  result->n_documents = n_documents;
  job->result = result;
  job->result_free = (GDestroyNotify) query_result_free;
}

/* Properties. */

static void
set_progress (CbmIndexer *self,
              guint       indexed,
              guint       total)
{
  g_object_freeze_notify (G_OBJECT (self));
  if (self->indexed != indexed)
    {
      self->indexed = indexed;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_INDEXED]);
    }
  if (self->total != total)
    {
      self->total = total;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOTAL]);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

/* Text from a PDF: valid UTF-8, NFC (so decomposed accents fold like composed ones), no
 * control characters (the snippet markers are control characters), bounded. */
static char *
clean_text (const char *text)
{
  g_autofree char *valid = NULL;
  char *normal;

  if (text == NULL)
    return g_strdup ("");

  valid = g_utf8_make_valid (text, MIN (strlen (text), MAX_PAGE_TEXT));
  for (char *p = valid; *p != '\0'; p++)
    if ((guchar) *p < 0x20 || *p == 0x7f)
      *p = ' ';
  normal = g_utf8_normalize (valid, -1, G_NORMALIZE_NFC);
  return normal != NULL ? normal : g_steal_pointer (&valid);
}

/* A run (main thread). */

static void
run_free (Run *run)
{
  g_clear_object (&run->cancellable);
  g_clear_object (&run->helper);
  g_clear_pointer (&run->todo, g_ptr_array_unref);
  g_clear_pointer (&run->pages, g_ptr_array_unref);
  g_clear_pointer (&run->error, g_free);
  g_clear_object (&run->self);
  g_free (run);
}

static void start_run (CbmIndexer *self,
                       gboolean    notify);

static void
finish_run (Run    *run,
            GError *error)
{
  CbmIndexer *self = run->self;
  g_autoptr(GPtrArray) waiters = NULL;
  gboolean cancelled = g_cancellable_is_cancelled (run->cancellable);

  if (error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_warning ("Indexing stopped: %s", error->message);

  g_object_ref (self);
  if (self->run == run)
    self->run = NULL;
  run_free (run);

  if (self->dirty && !cancelled)
    {
      self->dirty = FALSE;
      start_run (self, FALSE);
      g_object_unref (self);
      return;
    }

  waiters = g_steal_pointer (&self->waiters);
  self->waiters = g_ptr_array_new_with_free_func (g_object_unref);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);

  for (guint i = 0; i < waiters->len; i++)
    {
      GTask *task = g_ptr_array_index (waiters, i);

      if (error != NULL)
        g_task_return_error (task, g_error_copy (error));
      else if (cancelled)
        g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "Indexing was stopped");
      else
        g_task_return_boolean (task, TRUE);
    }
  g_object_unref (self);
}

static void
committed_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  Run *run = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      finish_run (run, error);
      return;
    }

  set_progress (run->self, run->self->indexed + 1, run->self->total);
  run_next (run);
}

static void
commit_document (Run *run)
{
  CbmIndexer *self = run->self;
  CommitData *data = g_new0 (CommitData, 1);
  GTask *task;

  data->doc = g_steal_pointer (&run->doc);
  data->pages = g_steal_pointer (&run->pages);
  data->error = g_steal_pointer (&run->error);
  data->failed = data->error != NULL;

  self->n_extracted++;
  if (data->failed)
    {
      self->n_failed++;
      g_debug ("Could not index %s: %s", data->doc->id, data->error);
    }
  else
    self->n_extracted_pages += data->pages->len;

  task = g_task_new (self, run->cancellable, committed_cb, run);
  g_task_set_source_tag (task, commit_document);
  push_job (self, task, commit_job, data, (GDestroyNotify) commit_data_free);
}

static void extract_page (Run *run);

static void
got_text_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  Run *run = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = cbm_pdf_helper_get_text_finish (CBM_PDF_HELPER (object), result, &error);
  gint64 elapsed_ms = (g_get_monotonic_time () - run->started) / 1000;

  if (g_cancellable_is_cancelled (run->cancellable))
    {
      g_autoptr(GError) cancelled = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "Cancelled");
      finish_run (run, cancelled);
      return;
    }

  /* A page that fails (a timeout, a crash of the helper) stays empty; the rest of the
   * document is still worth having, unless the document as a whole ran over its budget. */
  if (error != NULL)
    g_debug ("Page %d of %s: %s", run->pages->len, run->doc->id, error->message);
  g_ptr_array_add (run->pages, error == NULL ? clean_text (text) : g_strdup (""));

  if (elapsed_ms > run->self->document_budget && (int) run->pages->len < run->n_pages)
    {
      run->error = g_strdup (_("Reading the text of this document took too long."));
      commit_document (run);
      return;
    }

  extract_page (run);
}

static void
extract_page (Run *run)
{
  if ((int) run->pages->len >= run->n_pages)
    {
      commit_document (run);
      return;
    }

  cbm_pdf_helper_get_text_async (run->helper, (int) run->pages->len, run->cancellable,
                                 got_text_cb, run);
}

static void
opened_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Run *run = user_data;
  g_autoptr(GError) error = NULL;
  CbmPdfInfo *info = cbm_pdf_helper_open_finish (CBM_PDF_HELPER (object), result, &error);

  if (g_cancellable_is_cancelled (run->cancellable))
    {
      g_autoptr(GError) cancelled = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "Cancelled");
      g_clear_pointer (&info, cbm_pdf_info_unref);
      finish_run (run, cancelled);
      return;
    }

  if (info == NULL)
    {
      run->error = g_strdup (error->message);
      commit_document (run);
      return;
    }

  run->n_pages = CLAMP (info->n_pages, 0, CBM_INDEXER_MAX_PAGES);
  cbm_pdf_info_unref (info);
  extract_page (run);
}

static void
run_next (Run *run)
{
  if (g_cancellable_is_cancelled (run->cancellable))
    {
      g_autoptr(GError) error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "Cancelled");
      finish_run (run, error);
      return;
    }

  if (run->next >= run->todo->len)
    {
      finish_run (run, NULL);
      return;
    }

  run->doc = g_steal_pointer (&run->todo->pdata[run->next]);
  run->next++;
  run->pages = g_ptr_array_new_with_free_func (g_free);
  run->n_pages = 0;
  run->started = g_get_monotonic_time ();

  if (run->helper == NULL)
    run->helper = cbm_pdf_helper_new ();
  cbm_pdf_helper_set_timeout (run->helper, run->self->page_timeout);
  cbm_pdf_helper_open_async (run->helper, run->doc->path, NULL, run->cancellable, opened_cb, run);
}

static void
planned_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  Run *run = user_data;
  g_autoptr(GError) error = NULL;
  PlanResult *plan = g_task_propagate_pointer (G_TASK (result), &error);

  if (plan == NULL)
    {
      finish_run (run, error);
      return;
    }

  run->todo = g_steal_pointer (&plan->todo);
  set_progress (run->self, plan->n_total - run->todo->len, plan->n_total);
  plan_result_free (plan);
  run_next (run);
}

static void
start_run (CbmIndexer *self,
           gboolean    notify)
{
  g_autoptr(GPtrArray) wanted = g_ptr_array_new_with_free_func ((GDestroyNotify) doc_info_free);
  GListModel *countries = cbm_store_get_countries (self->store);
  GTask *task;
  Run *run;

  g_return_if_fail (self->run == NULL);

  for (guint i = 0; i < g_list_model_get_n_items (countries); i++)
    {
      g_autoptr(CbmCountry) country = g_list_model_get_item (countries, i);

      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (country->documents)); j++)
        {
          g_autoptr(CbmDocument) document = g_list_model_get_item (G_LIST_MODEL (country->documents), j);

          if (document->id != NULL)
            g_ptr_array_add (wanted, doc_info_new (document));
        }
    }

  run = g_new0 (Run, 1);
  run->self = g_object_ref (self);
  run->cancellable = g_cancellable_new ();
  self->run = run;
  if (notify)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);

  task = g_task_new (self, run->cancellable, planned_cb, run);
  g_task_set_source_tag (task, start_run);
  push_job (self, task, plan_job, g_steal_pointer (&wanted), (GDestroyNotify) g_ptr_array_unref);
}

static void
request_run (CbmIndexer *self)
{
  if (!self->opened)
    return;
  if (self->run != NULL)
    self->dirty = TRUE;
  else
    start_run (self, TRUE);
}

static gboolean
debounce_cb (gpointer user_data)
{
  CbmIndexer *self = user_data;

  self->debounce_id = 0;
  request_run (self);
  return G_SOURCE_REMOVE;
}

static void
store_changed_cb (CbmIndexer *self)
{
  /* A sync writes one country at a time: wait for a quiet second before indexing. */
  g_clear_handle_id (&self->debounce_id, g_source_remove);
  self->debounce_id = g_timeout_add (DEBOUNCE_MS, debounce_cb, self);
}

/* GObject. */

static void
cbm_indexer_dispose (GObject *object)
{
  CbmIndexer *self = CBM_INDEXER (object);

  cbm_indexer_stop (self);
  g_clear_signal_handler (&self->changed_id, self->store);

  G_OBJECT_CLASS (cbm_indexer_parent_class)->dispose (object);
}

static void
cbm_indexer_finalize (GObject *object)
{
  CbmIndexer *self = CBM_INDEXER (object);

  g_clear_pointer (&self->worker, cbm_db_worker_free);
  g_clear_pointer (&self->waiters, g_ptr_array_unref);
  g_clear_object (&self->store);
  g_clear_pointer (&self->path, g_free);

  G_OBJECT_CLASS (cbm_indexer_parent_class)->finalize (object);
}

static void
cbm_indexer_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  CbmIndexer *self = CBM_INDEXER (object);

  switch (prop_id)
    {
    case PROP_INDEXED:
      g_value_set_uint (value, self->indexed);
      break;
    case PROP_TOTAL:
      g_value_set_uint (value, self->total);
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, cbm_indexer_get_busy (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cbm_indexer_class_init (CbmIndexerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cbm_indexer_dispose;
  object_class->finalize = cbm_indexer_finalize;
  object_class->get_property = cbm_indexer_get_property;

  /**
   * CbmIndexer:indexed:
   *
   * How many documents of #CbmIndexer:total are done (indexed or failed).
   */
  properties[PROP_INDEXED] =
    g_param_spec_uint ("indexed", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TOTAL] =
    g_param_spec_uint ("total", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cbm_indexer_init (CbmIndexer *self)
{
  self->waiters = g_ptr_array_new_with_free_func (g_object_unref);
  self->page_timeout = CBM_INDEXER_DEFAULT_PAGE_TIMEOUT;
  self->document_budget = CBM_INDEXER_DEFAULT_DOCUMENT_BUDGET;
}

/* Public API. */

/**
 * cbm_indexer_new:
 * @store: the store whose documents to index
 * @path: the index's database file, e.g. `search.db` beside the store's
 *
 * Nothing touches the disk until cbm_indexer_open_async().
 */
CbmIndexer *
cbm_indexer_new (CbmStore   *store,
                 const char *path)
{
  CbmIndexer *self;

  g_return_val_if_fail (CBM_IS_STORE (store), NULL);
  g_return_val_if_fail (path != NULL, NULL);

  self = g_object_new (CBM_TYPE_INDEXER, NULL);
  self->store = g_object_ref (store);
  self->path = g_strdup (path);
  self->worker = cbm_db_worker_new ("cbm-indexer", &worker_hooks, self, &self->db);
  return self;
}

CbmStore *
cbm_indexer_get_store (CbmIndexer *self)
{
  g_return_val_if_fail (CBM_IS_INDEXER (self), NULL);
  return self->store;
}

const char *
cbm_indexer_get_path (CbmIndexer *self)
{
  g_return_val_if_fail (CBM_IS_INDEXER (self), NULL);
  return self->path;
}

guint
cbm_indexer_get_indexed (CbmIndexer *self)
{
  g_return_val_if_fail (CBM_IS_INDEXER (self), 0);
  return self->indexed;
}

guint
cbm_indexer_get_total (CbmIndexer *self)
{
  g_return_val_if_fail (CBM_IS_INDEXER (self), 0);
  return self->total;
}

gboolean
cbm_indexer_get_busy (CbmIndexer *self)
{
  g_return_val_if_fail (CBM_IS_INDEXER (self), FALSE);
  return self->run != NULL;
}

/* Documents whose text was extracted (or failed to be) since the indexer was created. */
guint
cbm_indexer_get_n_extracted (CbmIndexer *self)
{
  g_return_val_if_fail (CBM_IS_INDEXER (self), 0);
  return self->n_extracted;
}

guint
cbm_indexer_get_n_failed (CbmIndexer *self)
{
  g_return_val_if_fail (CBM_IS_INDEXER (self), 0);
  return self->n_failed;
}

guint64
cbm_indexer_get_n_extracted_pages (CbmIndexer *self)
{
  g_return_val_if_fail (CBM_IS_INDEXER (self), 0);
  return self->n_extracted_pages;
}

/**
 * cbm_indexer_set_page_timeout:
 * @timeout_ms: how long the helper may take over one page before it is killed
 */
void
cbm_indexer_set_page_timeout (CbmIndexer *self,
                              guint       timeout_ms)
{
  g_return_if_fail (CBM_IS_INDEXER (self));
  self->page_timeout = MAX (timeout_ms, 1);
}

/**
 * cbm_indexer_set_document_budget:
 * @budget_ms: after this long on one document, its remaining pages are given up and the
 *   document is recorded as failed
 */
void
cbm_indexer_set_document_budget (CbmIndexer *self,
                                 guint       budget_ms)
{
  g_return_if_fail (CBM_IS_INDEXER (self));
  self->document_budget = budget_ms;
}

static void
opened_job_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CbmIndexer *self = CBM_INDEXER (object);
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  self->opened = TRUE;
  g_task_return_boolean (task, TRUE);
}

void
cbm_indexer_open_async (CbmIndexer          *self,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  GTask *task, *inner;

  g_return_if_fail (CBM_IS_INDEXER (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cbm_indexer_open_async);
  inner = g_task_new (self, cancellable, opened_job_cb, task);
  push_job (self, inner, open_job, NULL, NULL);
}

gboolean
cbm_indexer_open_finish (CbmIndexer    *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * cbm_indexer_start:
 *
 * Indexes what is new now, and again a second after each change of the store. Call it once
 * the store and the indexer are open.
 */
void
cbm_indexer_start (CbmIndexer *self)
{
  g_return_if_fail (CBM_IS_INDEXER (self));

  if (self->started)
    return;
  self->started = TRUE;
  self->changed_id = g_signal_connect_swapped (self->store, "changed",
                                               G_CALLBACK (store_changed_cb), self);
  request_run (self);
}

/**
 * cbm_indexer_stop:
 *
 * Stops following the store and cancels the run in progress; documents already committed stay
 * indexed.
 */
void
cbm_indexer_stop (CbmIndexer *self)
{
  g_return_if_fail (CBM_IS_INDEXER (self));

  g_clear_handle_id (&self->debounce_id, g_source_remove);
  g_clear_signal_handler (&self->changed_id, self->store);
  self->started = FALSE;
  self->dirty = FALSE;
  if (self->run != NULL)
    g_cancellable_cancel (self->run->cancellable);
}

/**
 * cbm_indexer_update_async:
 *
 * Indexes what is new in the store now; completes when the index has caught up.
 */
void
cbm_indexer_update_async (CbmIndexer          *self,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (CBM_IS_INDEXER (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cbm_indexer_update_async);

  if (!self->opened)
    {
      g_task_return_new_error (task, CBM_INDEXER_ERROR, CBM_INDEXER_ERROR_CLOSED,
                               _("The search index is not open."));
      g_object_unref (task);
      return;
    }

  g_ptr_array_add (self->waiters, task);
  g_clear_handle_id (&self->debounce_id, g_source_remove);
  request_run (self);
}

gboolean
cbm_indexer_update_finish (CbmIndexer    *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * cbm_indexer_query_async:
 * @text: what the user typed; any text is accepted (see cbm_search_query_to_match())
 * @filters: (nullable): restricts the results
 * @limit: the most results to return, best first
 *
 * Runs on the indexer's thread. Text with nothing to search for gives no results.
 */
void
cbm_indexer_query_async (CbmIndexer             *self,
                         const char             *text,
                         const CbmSearchFilters *filters,
                         guint                   limit,
                         GCancellable           *cancellable,
                         GAsyncReadyCallback     callback,
                         gpointer                user_data)
{
  g_autofree char *match = NULL;
  QueryData *data;
  GTask *task;

  g_return_if_fail (CBM_IS_INDEXER (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cbm_indexer_query_async);

  match = cbm_search_query_to_match (text);
  if (match == NULL)
    {
      QueryResult *empty = g_new0 (QueryResult, 1);

      empty->results = g_ptr_array_new_with_free_func (g_object_unref);
      g_task_return_pointer (task, empty, (GDestroyNotify) query_result_free);
      g_object_unref (task);
      return;
    }

  data = g_new0 (QueryData, 1);
  data->match = g_steal_pointer (&match);
  data->limit = limit;
  if (filters != NULL)
    {
      data->country = g_strdup (filters->country);
      data->kind = g_strdup (filters->kind);
      data->language = g_strdup (filters->language);
    }
  push_job (self, task, query_job, data, (GDestroyNotify) query_data_free);
}

/**
 * cbm_indexer_query_finish:
 * @n_pages: (out) (optional): how many pages match in all, past the limit too
 * @n_documents: (out) (optional): in how many documents
 *
 * Returns: (transfer container): #CbmSearchResult, best first
 */
GPtrArray *
cbm_indexer_query_finish (CbmIndexer    *self,
                          GAsyncResult  *result,
                          guint         *n_pages,
                          guint         *n_documents,
                          GError       **error)
{
  QueryResult *query;
  GPtrArray *results;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  query = g_task_propagate_pointer (G_TASK (result), error);
  if (query == NULL)
    return NULL;

  if (n_pages != NULL)
    *n_pages = query->n_pages;
  if (n_documents != NULL)
    *n_documents = query->n_documents;
  results = g_steal_pointer (&query->results);
  query_result_free (query);
  return results;
}

/**
 * cbm_indexer_add_text_async:
 * @document: the document the text belongs to (its id, country, kind, language and sha256)
 * @pages: (element-type utf8): one text per page
 *
 * Indexes text that did not come from a PDF, replacing the document's pages if it had any.
 * Benchmarks use it to fill the index with generated pages.
 */
void
cbm_indexer_add_text_async (CbmIndexer          *self,
                            CbmDocument         *document,
                            GPtrArray           *pages,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  CommitData *data;
  GTask *task;

  g_return_if_fail (CBM_IS_INDEXER (self));
  g_return_if_fail (CBM_IS_DOCUMENT (document));
  g_return_if_fail (pages != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cbm_indexer_add_text_async);

  data = g_new0 (CommitData, 1);
  data->doc = doc_info_new (document);
  data->pages = g_ptr_array_new_full (pages->len, g_free);
  for (guint i = 0; i < pages->len; i++)
    g_ptr_array_add (data->pages, clean_text (g_ptr_array_index (pages, i)));
  push_job (self, task, commit_job, data, (GDestroyNotify) commit_data_free);
}

gboolean
cbm_indexer_add_text_finish (CbmIndexer    *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
