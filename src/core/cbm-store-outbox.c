/* cbm-store-outbox.c
 *
 * Copyright 2026 The CBM Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cbm-date.h"
#include "cbm-store-outbox.h"
#include "cbm-store-private.h"

/* The registration outbox: what the user submitted waits here, durably, until the server has
 * answered it. Every write runs on the store's worker thread and returns a fresh list of the
 * registrations, which the main context splices into the long-lived model before the caller
 * hears back, so the UI never shows a state older than what it was told. */

typedef struct
{
  GPtrArray      *list;       /* CbmRegistration, or NULL when the model is unchanged */
  gpointer        value;
  GDestroyNotify  value_free;
  gboolean        is_pointer;
} Outcome;

typedef struct
{
  gint64           local_id;
  char            *event_id;
  GVariant        *fields;
  CbmRegistration *registration;
  gboolean         recover;
} OutboxData;

static void
outcome_free (Outcome *outcome)
{
  g_clear_pointer (&outcome->list, g_ptr_array_unref);
  if (outcome->value_free != NULL)
    g_clear_pointer (&outcome->value, outcome->value_free);
  g_free (outcome);
}

static void
outbox_data_free (OutboxData *data)
{
  g_clear_pointer (&data->event_id, g_free);
  g_clear_pointer (&data->fields, g_variant_unref);
  g_clear_object (&data->registration);
  g_free (data);
}

/* SQL helpers (worker thread). */

#define SELECT_REGISTRATIONS \
  "SELECT id, idempotency_key, event, country, name, position, institution, email, government," \
  " language, note, status, server_id, server_url, failure, field_errors, attempts, next_attempt," \
  " created, updated FROM registrations"

static CbmRegistration *
read_row (sqlite3_stmt *stmt)
{
  CbmRegistration *r = cbm_registration_new ();
  const char *errors = (const char *) sqlite3_column_text (stmt, 15);

  r->local_id = sqlite3_column_int64 (stmt, 0);
  r->idempotency_key = cbm_store_column_dup (stmt, 1);
  r->event = cbm_store_column_dup (stmt, 2);
  r->country = cbm_store_column_dup (stmt, 3);
  r->name = cbm_store_column_dup (stmt, 4);
  r->position = cbm_store_column_dup (stmt, 5);
  r->institution = cbm_store_column_dup (stmt, 6);
  r->email = cbm_store_column_dup (stmt, 7);
  r->government = sqlite3_column_int (stmt, 8) != 0;
  r->language = cbm_store_column_dup (stmt, 9);
  r->note = cbm_store_column_dup (stmt, 10);
  r->status = cbm_registration_status_from_string ((const char *) sqlite3_column_text (stmt, 11));
  r->server_id = cbm_store_column_dup (stmt, 12);
  r->server_url = cbm_store_column_dup (stmt, 13);
  r->failure = cbm_store_column_dup (stmt, 14);
  if (errors != NULL)
    {
      GVariant *value = g_variant_parse (G_VARIANT_TYPE ("a{ss}"), errors, NULL, NULL, NULL);
      r->field_errors = value != NULL ? g_variant_ref_sink (value) : NULL;
    }
  r->attempts = sqlite3_column_int (stmt, 16);
  r->next_attempt = sqlite3_column_int64 (stmt, 17);
  r->created = cbm_store_column_dup (stmt, 18);
  r->updated = cbm_store_column_dup (stmt, 19);
  return r;
}

static GPtrArray *
read_registrations (sqlite3     *db,
                    const char  *where,
                    gint64       local_id,
                    GError     **error)
{
  g_autofree char *sql = g_strconcat (SELECT_REGISTRATIONS, where, " ORDER BY id DESC", NULL);
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func (g_object_unref);
  sqlite3_stmt *stmt = cbm_store_prepare (db, sql, error);
  int rc;

  if (stmt == NULL)
    return NULL;
  if (local_id != 0)
    sqlite3_bind_int64 (stmt, 1, local_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (list, read_row (stmt));
  if (!cbm_store_finish_rows (db, stmt, rc, error))
    return NULL;
  return g_steal_pointer (&list);
}

static Outcome *
outcome_with_list (sqlite3  *db,
                   GError  **error)
{
  g_autoptr(GPtrArray) list = read_registrations (db, "", 0, error);
  Outcome *outcome;

  if (list == NULL)
    return NULL;
  outcome = g_new0 (Outcome, 1);
  outcome->list = g_steal_pointer (&list);
  return outcome;
}

/* Runs @sql statements around a durable write: with synchronous=FULL the WAL is synced at
 * COMMIT, so the row is on disk before the user is told it is saved (pitfalls.md). */
static gboolean
begin_durable (sqlite3  *db,
               GError  **error)
{
  if (!cbm_store_exec (db, "PRAGMA synchronous = FULL;", error))
    return FALSE;
  if (!cbm_store_exec (db, "BEGIN IMMEDIATE;", error))
    {
      cbm_store_exec (db, "PRAGMA synchronous = NORMAL;", NULL);
      return FALSE;
    }
  return TRUE;
}

static gboolean
end_durable (sqlite3  *db,
             gboolean  ok,
             GError  **error)
{
  if (ok)
    ok = cbm_store_exec (db, "COMMIT;", error);
  if (!ok)
    cbm_store_exec (db, "ROLLBACK;", NULL);
  cbm_store_exec (db, "PRAGMA synchronous = NORMAL;", NULL);
  return ok;
}

/* Work (worker thread). */

static gpointer
reload_work (CbmStore  *self,
             sqlite3   *db,
             gpointer   user_data,
             GError   **error)
{
  OutboxData *data = user_data;

  /* A registration left "sending" by a crash goes back to the queue; resending it is safe, as
   * it keeps its Idempotency-Key. */
  if (data->recover &&
      !cbm_store_exec (db, "UPDATE registrations SET status = 'queued' WHERE status = 'sending';", error))
    return NULL;
  return outcome_with_list (db, error);
}

static gpointer
retry_now_work (CbmStore  *self,
                sqlite3   *db,
                gpointer   user_data,
                GError   **error)
{
  /* One statement, so a registration claimed meanwhile ("sending") is left alone. */
  if (!cbm_store_exec (db, "UPDATE registrations SET next_attempt = 0 WHERE status = 'queued';", error))
    return NULL;
  return outcome_with_list (db, error);
}

static gpointer
save_draft_work (CbmStore  *self,
                 sqlite3   *db,
                 gpointer   user_data,
                 GError   **error)
{
  OutboxData *data = user_data;
  g_autofree char *text = g_variant_print (data->fields, FALSE);
  g_autofree char *now = cbm_date_time_now_string ();
  sqlite3_stmt *stmt;
  Outcome *outcome;

  stmt = cbm_store_prepare (db, "INSERT OR REPLACE INTO registration_drafts (event, fields, updated)"
                                " VALUES (?1, ?2, ?3)", error);
  if (stmt == NULL)
    return NULL;
  cbm_store_bind_text (stmt, 1, data->event_id);
  cbm_store_bind_text (stmt, 2, text);
  cbm_store_bind_text (stmt, 3, now);
  if (!cbm_store_step_done (db, stmt, error))
    return NULL;

  outcome = g_new0 (Outcome, 1);
  return outcome;
}

static gpointer
load_draft_work (CbmStore  *self,
                 sqlite3   *db,
                 gpointer   user_data,
                 GError   **error)
{
  OutboxData *data = user_data;
  Outcome *outcome;
  sqlite3_stmt *stmt;
  int rc;

  stmt = cbm_store_prepare (db, "SELECT fields FROM registration_drafts WHERE event = ?1", error);
  if (stmt == NULL)
    return NULL;
  cbm_store_bind_text (stmt, 1, data->event_id);

  outcome = g_new0 (Outcome, 1);
  outcome->is_pointer = TRUE;
  outcome->value_free = (GDestroyNotify) g_variant_unref;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      GVariant *fields = g_variant_parse (G_VARIANT_TYPE ("a{ss}"),
                                          (const char *) sqlite3_column_text (stmt, 0),
                                          NULL, NULL, NULL);
      outcome->value = fields != NULL ? g_variant_ref_sink (fields) : NULL;
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      cbm_store_set_error (db, rc, error);
      outcome_free (outcome);
      return NULL;
    }
  return outcome;
}

static gpointer
submit_work (CbmStore  *self,
             sqlite3   *db,
             gpointer   user_data,
             GError   **error)
{
  OutboxData *data = user_data;
  CbmRegistration *r = data->registration;
  g_autofree char *key = g_uuid_string_random ();
  g_autofree char *now = cbm_date_time_now_string ();
  g_autoptr(GPtrArray) stored = NULL;
  sqlite3_stmt *stmt;
  gboolean ok;
  Outcome *outcome;

  if (!begin_durable (db, error))
    return NULL;

  /* The draft goes in the same transaction: after a crash there is either a draft or a
   * queued registration, never both and never neither. */
  stmt = cbm_store_prepare (db, "INSERT INTO registrations (idempotency_key, event, country, name, position,"
                                " institution, email, government, language, note, status, attempts,"
                                " next_attempt, created, updated)"
                                " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, 'queued', 0, 0, ?11, ?11)",
                  error);
  ok = stmt != NULL;
  if (ok)
    {
      cbm_store_bind_text (stmt, 1, key);
      cbm_store_bind_text (stmt, 2, r->event);
      cbm_store_bind_text (stmt, 3, r->country);
      cbm_store_bind_text (stmt, 4, r->name);
      cbm_store_bind_text (stmt, 5, r->position);
      cbm_store_bind_text (stmt, 6, r->institution);
      cbm_store_bind_text (stmt, 7, r->email);
      sqlite3_bind_int (stmt, 8, r->government ? 1 : 0);
      cbm_store_bind_text (stmt, 9, r->language);
      cbm_store_bind_text (stmt, 10, r->note);
      cbm_store_bind_text (stmt, 11, now);
      ok = cbm_store_step_done (db, stmt, error);
    }
  if (ok)
    {
      stmt = cbm_store_prepare (db, "DELETE FROM registration_drafts WHERE event = ?1", error);
      ok = stmt != NULL;
      if (ok)
        {
          cbm_store_bind_text (stmt, 1, r->event);
          ok = cbm_store_step_done (db, stmt, error);
        }
    }

  if (ok)
    {
      stored = read_registrations (db, " WHERE id = ?1", sqlite3_last_insert_rowid (db), error);
      ok = stored != NULL && stored->len == 1;
    }
  if (!end_durable (db, ok, error))
    return NULL;

  outcome = outcome_with_list (db, error);
  if (outcome == NULL)
    return NULL;
  outcome->is_pointer = TRUE;
  outcome->value = g_object_ref (g_ptr_array_index (stored, 0));
  outcome->value_free = g_object_unref;
  return outcome;
}

static gpointer
claim_work (CbmStore  *self,
            sqlite3   *db,
            gpointer   user_data,
            GError   **error)
{
  OutboxData *data = user_data;
  g_autofree char *now = cbm_date_time_now_string ();
  g_autoptr(GPtrArray) claimed = NULL;
  sqlite3_stmt *stmt;
  Outcome *outcome;

  stmt = cbm_store_prepare (db, "UPDATE registrations SET status = 'sending', attempts = attempts + 1,"
                                " updated = ?2 WHERE id = ?1 AND status = 'queued'", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, data->local_id);
  cbm_store_bind_text (stmt, 2, now);
  if (!cbm_store_step_done (db, stmt, error))
    return NULL;

  if (sqlite3_changes (db) == 1)
    {
      claimed = read_registrations (db, " WHERE id = ?1", data->local_id, error);
      if (claimed == NULL)
        return NULL;
    }

  outcome = outcome_with_list (db, error);
  if (outcome == NULL)
    return NULL;
  outcome->is_pointer = TRUE;
  outcome->value_free = g_object_unref;
  if (claimed != NULL && claimed->len == 1)
    outcome->value = g_object_ref (g_ptr_array_index (claimed, 0));
  return outcome;
}

static gpointer
update_work (CbmStore  *self,
             sqlite3   *db,
             gpointer   user_data,
             GError   **error)
{
  OutboxData *data = user_data;
  CbmRegistration *r = data->registration;
  g_autofree char *now = cbm_date_time_now_string ();
  g_autofree char *errors = r->field_errors ? g_variant_print (r->field_errors, FALSE) : NULL;
  sqlite3_stmt *stmt;

  stmt = cbm_store_prepare (db, "UPDATE registrations SET status = ?2, server_id = ?3, server_url = ?4,"
                                " failure = ?5, field_errors = ?6, attempts = ?7, next_attempt = ?8,"
                                " updated = ?9 WHERE id = ?1", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, r->local_id);
  cbm_store_bind_text (stmt, 2, cbm_registration_status_to_string (r->status));
  cbm_store_bind_text (stmt, 3, r->server_id);
  cbm_store_bind_text (stmt, 4, r->server_url);
  cbm_store_bind_text (stmt, 5, r->failure);
  cbm_store_bind_text (stmt, 6, errors);
  sqlite3_bind_int (stmt, 7, r->attempts);
  sqlite3_bind_int64 (stmt, 8, r->next_attempt);
  cbm_store_bind_text (stmt, 9, now);
  if (!cbm_store_step_done (db, stmt, error))
    return NULL;
  return outcome_with_list (db, error);
}

static gpointer
withdraw_work (CbmStore  *self,
               sqlite3   *db,
               gpointer   user_data,
               GError   **error)
{
  OutboxData *data = user_data;
  sqlite3_stmt *stmt;
  gboolean ok;
  int changes = 0;

  if (!begin_durable (db, error))
    return NULL;
  /* Only what the server never stored can go: a queued registration, or a failed one. */
  stmt = cbm_store_prepare (db, "DELETE FROM registrations WHERE id = ?1"
                                " AND status IN ('queued', 'failed', 'failed-validation')", error);
  ok = stmt != NULL;
  if (ok)
    {
      sqlite3_bind_int64 (stmt, 1, data->local_id);
      ok = cbm_store_step_done (db, stmt, error);
      changes = sqlite3_changes (db);
    }
  if (!end_durable (db, ok, error))
    return NULL;

  if (changes == 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_BUSY,
                           _("This registration is being sent or was already received, so it can no longer be withdrawn."));
      return NULL;
    }
  return outcome_with_list (db, error);
}

/* Main context. */

static void
splice_registrations (CbmStore  *self,
                      GPtrArray *list)
{
  GListStore *store = cbm_store_get_registration_store (self);

  g_list_store_splice (store, 0, g_list_model_get_n_items (G_LIST_MODEL (store)),
                       list->pdata, list->len);
}

static void
work_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  CbmStore *self = CBM_STORE (source);
  g_autoptr(GTask) outer = user_data;
  g_autoptr(GError) error = NULL;
  Outcome *outcome = g_task_propagate_pointer (G_TASK (result), &error);

  if (outcome == NULL)
    {
      g_task_return_error (outer, g_steal_pointer (&error));
      return;
    }

  if (outcome->list != NULL)
    splice_registrations (self, outcome->list);

  if (outcome->is_pointer)
    {
      gpointer value = g_steal_pointer (&outcome->value);
      g_task_return_pointer (outer, value, outcome->value_free);
    }
  else
    g_task_return_boolean (outer, TRUE);
  outcome_free (outcome);
}

static void
run_outbox (CbmStore            *self,
            gpointer             source_tag,
            CbmStoreWorkFunc     func,
            OutboxData          *data,
            GCancellable        *cancellable,
            GAsyncReadyCallback  callback,
            gpointer             user_data)
{
  GTask *outer = g_task_new (self, cancellable, callback, user_data);
  GTask *inner = g_task_new (self, cancellable, work_done_cb, outer);

  g_task_set_source_tag (outer, source_tag);
  g_task_set_source_tag (inner, source_tag);
  cbm_store_run_work (self, inner, func, data, (GDestroyNotify) outbox_data_free,
                      (GDestroyNotify) outcome_free);
}

static void
initial_load_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!cbm_store_reload_registrations_finish (CBM_STORE (source), result, &error))
    g_debug ("Registrations not loaded: %s", error->message);
}

/* Public API. */

/**
 * cbm_store_get_registrations:
 *
 * The first call loads the outbox.
 *
 * Returns: (transfer none): the registrations, as #CbmRegistration, newest first
 */
GListModel *
cbm_store_get_registrations (CbmStore *self)
{
  g_return_val_if_fail (CBM_IS_STORE (self), NULL);

  if (cbm_store_take_registrations_load (self))
    {
      OutboxData *data = g_new0 (OutboxData, 1);

      /* Only a read: the sender's start does the recovery (cbm_store_reload_registrations_async). */
      run_outbox (self, cbm_store_reload_registrations_async, reload_work, data, NULL,
                  initial_load_cb, NULL);
    }
  return G_LIST_MODEL (cbm_store_get_registration_store (self));
}

/**
 * cbm_store_find_registration:
 *
 * Returns: (transfer none) (nullable): the registration with that local id
 */
CbmRegistration *
cbm_store_find_registration (CbmStore *self,
                             gint64    local_id)
{
  GListModel *model = G_LIST_MODEL (cbm_store_get_registration_store (self));
  guint n = g_list_model_get_n_items (model);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CbmRegistration) r = g_list_model_get_item (model, i);
      if (r->local_id == local_id)
        return r; /* the model keeps it alive */
    }
  return NULL;
}

/* Whether an active registration (not failed or declined) exists for the event. */
gboolean
cbm_store_is_registered (CbmStore   *self,
                         const char *event_id)
{
  GListModel *model = G_LIST_MODEL (cbm_store_get_registration_store (self));
  guint n = g_list_model_get_n_items (model);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CbmRegistration) r = g_list_model_get_item (model, i);
      if (g_strcmp0 (r->event, event_id) == 0 && cbm_registration_is_active (r))
        return TRUE;
    }
  return FALSE;
}

/**
 * cbm_store_reload_registrations_async:
 *
 * Reads the outbox again and puts back in the queue what a crash or a quit left being sent
 * (resending is safe: it keeps its Idempotency-Key). For the sender's start, when nothing is
 * on the wire.
 */
void
cbm_store_reload_registrations_async (CbmStore            *self,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  OutboxData *data = g_new0 (OutboxData, 1);

  g_return_if_fail (CBM_IS_STORE (self));
  cbm_store_take_registrations_load (self);
  data->recover = TRUE;
  run_outbox (self, cbm_store_reload_registrations_async, reload_work, data, cancellable,
              callback, user_data);
}

gboolean
cbm_store_reload_registrations_finish (CbmStore      *self,
                                       GAsyncResult  *result,
                                       GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * cbm_store_retry_registrations_now_async:
 *
 * Makes every queued registration due now, whatever its backoff (the network came back).
 */
void
cbm_store_retry_registrations_now_async (CbmStore            *self,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  g_return_if_fail (CBM_IS_STORE (self));
  run_outbox (self, cbm_store_retry_registrations_now_async, retry_now_work,
              g_new0 (OutboxData, 1), cancellable, callback, user_data);
}

gboolean
cbm_store_retry_registrations_now_finish (CbmStore      *self,
                                          GAsyncResult  *result,
                                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * cbm_store_save_draft_async:
 * @event_id: the event the form is for
 * @fields: an `a{ss}` map, see cbm_registration_to_fields()
 *
 * Keeps the form as typed, one draft per event.
 */
void
cbm_store_save_draft_async (CbmStore            *self,
                            const char          *event_id,
                            GVariant            *fields,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  OutboxData *data = g_new0 (OutboxData, 1);

  g_return_if_fail (CBM_IS_STORE (self));
  g_return_if_fail (event_id != NULL);
  g_return_if_fail (g_variant_is_of_type (fields, G_VARIANT_TYPE ("a{ss}")));

  data->event_id = g_strdup (event_id);
  data->fields = g_variant_ref_sink (fields);
  run_outbox (self, cbm_store_save_draft_async, save_draft_work, data, cancellable,
              callback, user_data);
}

gboolean
cbm_store_save_draft_finish (CbmStore      *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

void
cbm_store_load_draft_async (CbmStore            *self,
                            const char          *event_id,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  OutboxData *data = g_new0 (OutboxData, 1);

  g_return_if_fail (CBM_IS_STORE (self));
  data->event_id = g_strdup (event_id);
  run_outbox (self, cbm_store_load_draft_async, load_draft_work, data, cancellable,
              callback, user_data);
}

/**
 * cbm_store_load_draft_finish:
 *
 * Returns: (transfer full) (nullable): the draft's `a{ss}` fields, or %NULL if there is none
 */
GVariant *
cbm_store_load_draft_finish (CbmStore      *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * cbm_store_submit_registration_async:
 * @registration: the fields as submitted
 *
 * Puts a registration into the outbox with a new Idempotency-Key and status "queued", and
 * removes the event's draft, in one transaction that is on disk (synchronous=FULL) before the
 * callback runs.
 */
void
cbm_store_submit_registration_async (CbmStore            *self,
                                     CbmRegistration     *registration,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  OutboxData *data = g_new0 (OutboxData, 1);

  g_return_if_fail (CBM_IS_STORE (self));
  g_return_if_fail (CBM_IS_REGISTRATION (registration));

  data->registration = cbm_registration_copy (registration);
  run_outbox (self, cbm_store_submit_registration_async, submit_work, data, cancellable,
              callback, user_data);
}

/**
 * cbm_store_submit_registration_finish:
 *
 * Returns: (transfer full): the stored registration, with its local id and key
 */
CbmRegistration *
cbm_store_submit_registration_finish (CbmStore      *self,
                                      GAsyncResult  *result,
                                      GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * cbm_store_claim_registration_async:
 *
 * Marks a queued registration as being sent and counts the attempt, so that it can no longer
 * be withdrawn while it is on the wire.
 */
void
cbm_store_claim_registration_async (CbmStore            *self,
                                    gint64               local_id,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  OutboxData *data = g_new0 (OutboxData, 1);

  g_return_if_fail (CBM_IS_STORE (self));
  data->local_id = local_id;
  run_outbox (self, cbm_store_claim_registration_async, claim_work, data, cancellable,
              callback, user_data);
}

/**
 * cbm_store_claim_registration_finish:
 *
 * Returns: (transfer full) (nullable): the claimed registration, or %NULL if it was not
 *   queued any more (withdrawn meanwhile)
 */
CbmRegistration *
cbm_store_claim_registration_finish (CbmStore      *self,
                                     GAsyncResult  *result,
                                     GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * cbm_store_update_registration_async:
 * @registration: a registration from the store, with the fields the sender owns changed
 *
 * Writes status, server id and URL, failure, field errors, attempts and next attempt.
 */
void
cbm_store_update_registration_async (CbmStore            *self,
                                     CbmRegistration     *registration,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  OutboxData *data = g_new0 (OutboxData, 1);

  g_return_if_fail (CBM_IS_STORE (self));
  g_return_if_fail (CBM_IS_REGISTRATION (registration));

  data->registration = cbm_registration_copy (registration);
  run_outbox (self, cbm_store_update_registration_async, update_work, data, cancellable,
              callback, user_data);
}

gboolean
cbm_store_update_registration_finish (CbmStore      *self,
                                      GAsyncResult  *result,
                                      GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * cbm_store_withdraw_registration_async:
 *
 * Removes a registration the server never stored (queued or failed). One that is being sent
 * or was received fails with %G_IO_ERROR_BUSY.
 */
void
cbm_store_withdraw_registration_async (CbmStore            *self,
                                       gint64               local_id,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  OutboxData *data = g_new0 (OutboxData, 1);

  g_return_if_fail (CBM_IS_STORE (self));
  data->local_id = local_id;
  run_outbox (self, cbm_store_withdraw_registration_async, withdraw_work, data, cancellable,
              callback, user_data);
}

gboolean
cbm_store_withdraw_registration_finish (CbmStore      *self,
                                        GAsyncResult  *result,
                                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
