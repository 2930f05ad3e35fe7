/* cbm-registration-store.c
 *
 * Copyright 2026 The CBM Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <sqlite3.h>

#include "cbm-registration-store.h"

struct _CbmRegistrationStore
{
  GObject  parent_instance;

  sqlite3 *db;
};

G_DEFINE_FINAL_TYPE (CbmRegistrationStore, cbm_registration_store, G_TYPE_OBJECT)

static const char *schema_sql =
  "CREATE TABLE IF NOT EXISTS registrations ("
  "  id TEXT PRIMARY KEY,"
  "  idempotency_key TEXT NOT NULL UNIQUE,"
  "  request TEXT NOT NULL,"
  "  event TEXT NOT NULL,"
  "  country TEXT NOT NULL,"
  "  name TEXT NOT NULL,"
  "  position TEXT NOT NULL,"
  "  institution TEXT NOT NULL,"
  "  email TEXT NOT NULL,"
  "  government INTEGER NOT NULL DEFAULT 0,"
  "  language TEXT,"
  "  note TEXT,"
  "  status TEXT NOT NULL DEFAULT 'received'"
  "    CHECK (status IN ('received', 'confirmed', 'waitlisted', 'declined')),"
  "  created TEXT NOT NULL"
  ");"
  "CREATE INDEX IF NOT EXISTS registrations_event ON registrations (event);";

static gboolean
set_sqlite_error (CbmRegistrationStore  *self,
                  GError               **error,
                  const char            *what)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
               "%s: %s", what, sqlite3_errmsg (self->db));
  return FALSE;
}

static sqlite3_stmt *
prepare (CbmRegistrationStore  *self,
         const char            *sql,
         GError               **error)
{
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      set_sqlite_error (self, error, "prepare");
      return NULL;
    }

  return stmt;
}

static char *
dup_column (sqlite3_stmt *stmt,
            int           column)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, column));
}

static const char *
get_string_member (JsonObject *body,
                   const char *name)
{
  JsonNode *node = json_object_get_member (body, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (node);
}

static void
cbm_registration_store_finalize (GObject *object)
{
  CbmRegistrationStore *self = (CbmRegistrationStore *) object;

  g_clear_pointer (&self->db, sqlite3_close);

  G_OBJECT_CLASS (cbm_registration_store_parent_class)->finalize (object);
}

static void
cbm_registration_store_class_init (CbmRegistrationStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cbm_registration_store_finalize;
}

static void
cbm_registration_store_init (CbmRegistrationStore *self)
{
}

gboolean
cbm_registration_status_is_valid (const char *status)
{
  return status != NULL &&
         (g_str_equal (status, "received") || g_str_equal (status, "confirmed") ||
          g_str_equal (status, "waitlisted") || g_str_equal (status, "declined"));
}

/* Opens (and creates) the database at @path; ":memory:" gives a private
 * in-memory database. Registrations are what people rely on, so commits use
 * WAL with synchronous=FULL. */
CbmRegistrationStore *
cbm_registration_store_open (const char  *path,
                             GError     **error)
{
  g_autoptr(CbmRegistrationStore) self = g_object_new (CBM_TYPE_REGISTRATION_STORE, NULL);
  char *errmsg = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  if (sqlite3_open_v2 (path, &self->db,
                       SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                       NULL) != SQLITE_OK)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   _("Cannot open database “%s”: %s"), path,
                   self->db != NULL ? sqlite3_errmsg (self->db) : "out of memory");
      return NULL;
    }

  sqlite3_busy_timeout (self->db, 5000);

  if (sqlite3_exec (self->db,
                    "PRAGMA journal_mode=WAL;"
                    "PRAGMA synchronous=FULL;",
                    NULL, NULL, &errmsg) != SQLITE_OK ||
      sqlite3_exec (self->db, schema_sql, NULL, NULL, &errmsg) != SQLITE_OK)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   _("Cannot prepare database “%s”: %s"), path, errmsg);
      sqlite3_free (errmsg);
      return NULL;
    }

  return g_steal_pointer (&self);
}

gboolean
cbm_registration_store_find_key (CbmRegistrationStore  *self,
                                 const char            *key,
                                 char                 **id,
                                 char                 **canonical_body,
                                 gboolean              *found,
                                 GError               **error)
{
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (CBM_IS_REGISTRATION_STORE (self), FALSE);

  stmt = prepare (self, "SELECT id, request FROM registrations WHERE idempotency_key = ?", error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      *found = TRUE;
      if (id != NULL)
        *id = dup_column (stmt, 0);
      if (canonical_body != NULL)
        *canonical_body = dup_column (stmt, 1);
    }
  else if (rc == SQLITE_DONE)
    {
      *found = FALSE;
    }
  else
    {
      set_sqlite_error (self, error, "find key");
      sqlite3_finalize (stmt);
      return FALSE;
    }

  sqlite3_finalize (stmt);
  return TRUE;
}

gboolean
cbm_registration_store_count_active (CbmRegistrationStore  *self,
                                     const char            *event,
                                     gint64                *count,
                                     GError               **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (CBM_IS_REGISTRATION_STORE (self), FALSE);

  stmt = prepare (self,
                  "SELECT count(*) FROM registrations WHERE event = ? "
                  "AND status IN ('received', 'confirmed', 'waitlisted')",
                  error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, event, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      set_sqlite_error (self, error, "count");
      sqlite3_finalize (stmt);
      return FALSE;
    }

  *count = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return TRUE;
}

/* Stores a validated registration under its idempotency key and returns its
 * new id. */
char *
cbm_registration_store_insert (CbmRegistrationStore  *self,
                               const char            *key,
                               const char            *canonical_body,
                               JsonObject            *body,
                               GDateTime             *created,
                               GError               **error)
{
  static const char *text_fields[] = {
    "event", "country", "name", "position", "institution", "email", "language", "note",
  };
  g_autofree char *id = NULL;
  g_autofree char *created_str = NULL;
  sqlite3_stmt *stmt;
  JsonNode *government;

  g_return_val_if_fail (CBM_IS_REGISTRATION_STORE (self), NULL);

  stmt = prepare (self,
                  "INSERT INTO registrations (id, idempotency_key, request, event, country, "
                  "name, position, institution, email, language, note, government, created) "
                  "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                  error);
  if (stmt == NULL)
    return NULL;

  id = g_uuid_string_random ();
  created_str = g_date_time_format_iso8601 (created);
  government = json_object_get_member (body, "government");

  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, key, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, canonical_body, -1, SQLITE_TRANSIENT);
  for (guint i = 0; i < G_N_ELEMENTS (text_fields); i++)
    sqlite3_bind_text (stmt, 4 + i, get_string_member (body, text_fields[i]), -1,
                       SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 12,
                    government != NULL && JSON_NODE_HOLDS_VALUE (government) &&
                    json_node_get_value_type (government) == G_TYPE_BOOLEAN &&
                    json_node_get_boolean (government));
  sqlite3_bind_text (stmt, 13, created_str, -1, SQLITE_TRANSIENT);

  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      set_sqlite_error (self, error, "insert");
      sqlite3_finalize (stmt);
      return NULL;
    }

  sqlite3_finalize (stmt);
  return g_steal_pointer (&id);
}

gboolean
cbm_registration_store_get (CbmRegistrationStore  *self,
                            const char            *id,
                            char                 **event,
                            char                 **status,
                            gboolean              *found,
                            GError               **error)
{
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (CBM_IS_REGISTRATION_STORE (self), FALSE);

  stmt = prepare (self, "SELECT event, status FROM registrations WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      *found = TRUE;
      *event = dup_column (stmt, 0);
      *status = dup_column (stmt, 1);
    }
  else if (rc == SQLITE_DONE)
    {
      *found = FALSE;
    }
  else
    {
      set_sqlite_error (self, error, "get");
      sqlite3_finalize (stmt);
      return FALSE;
    }

  sqlite3_finalize (stmt);
  return TRUE;
}

/* Returns every registration, oldest first, as a GStrv per row with the
 * CBM_REGISTRATION_COLUMN_* columns. */
GPtrArray *
cbm_registration_store_list (CbmRegistrationStore  *self,
                             GError               **error)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (CBM_IS_REGISTRATION_STORE (self), NULL);

  stmt = prepare (self,
                  "SELECT id, event, country, name, email, status, created "
                  "FROM registrations ORDER BY created, rowid",
                  error);
  if (stmt == NULL)
    return NULL;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      char **row = g_new0 (char *, CBM_REGISTRATION_N_COLUMNS + 1);

      for (int i = 0; i < CBM_REGISTRATION_N_COLUMNS; i++)
        row[i] = dup_column (stmt, i);
      g_ptr_array_add (rows, row);
    }

  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (self, error, "list");
      sqlite3_finalize (stmt);
      return NULL;
    }

  sqlite3_finalize (stmt);
  return g_steal_pointer (&rows);
}

gboolean
cbm_registration_store_set_status (CbmRegistrationStore  *self,
                                   const char            *id,
                                   const char            *status,
                                   GError               **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (CBM_IS_REGISTRATION_STORE (self), FALSE);

  if (!cbm_registration_status_is_valid (status))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("Invalid status “%s” (use received, confirmed, waitlisted or declined)"),
                   status);
      return FALSE;
    }

  stmt = prepare (self, "UPDATE registrations SET status = ? WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, status, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, id, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      set_sqlite_error (self, error, "set status");
      sqlite3_finalize (stmt);
      return FALSE;
    }
  sqlite3_finalize (stmt);

  if (sqlite3_changes (self->db) == 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   _("No registration with id “%s”"), id);
      return FALSE;
    }

  return TRUE;
}
