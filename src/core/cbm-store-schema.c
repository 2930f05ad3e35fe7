/* cbm-store-schema.c
 *
 * Copyright 2026 The CBM Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cbm-store-private.h"

/* Each migration takes the schema from version N to N + 1; they run in order, each in its own
 * transaction together with the PRAGMA user_version that records it, so a killed upgrade
 * resumes where it stopped. Never edit a released step: add one. Language maps and string
 * lists are stored as GVariant text. */
static const char * const migrations[] = {
  /* 0 → 1 */
  "CREATE TABLE countries ("
  "  code TEXT PRIMARY KEY NOT NULL,"
  "  names TEXT NOT NULL,"
  "  updated TEXT,"
  "  synced_at TEXT,"
  "  sha256 TEXT"
  ");"
  "CREATE TABLE documents ("
  "  id TEXT PRIMARY KEY NOT NULL,"
  "  country TEXT NOT NULL REFERENCES countries (code) ON DELETE CASCADE,"
  "  ordinal INTEGER NOT NULL,"
  "  kind TEXT NOT NULL,"
  "  status TEXT NOT NULL,"
  "  title TEXT NOT NULL,"
  "  language TEXT,"
  "  issuer TEXT,"
  "  date TEXT,"
  "  summary TEXT,"
  "  href TEXT NOT NULL,"
  "  sha256 TEXT NOT NULL,"
  "  bytes INTEGER NOT NULL"
  ");"
  "CREATE INDEX documents_country ON documents (country);"
  "CREATE INDEX documents_sha256 ON documents (sha256);"
  "CREATE TABLE contacts ("
  "  id TEXT PRIMARY KEY NOT NULL,"
  "  country TEXT NOT NULL REFERENCES countries (code) ON DELETE CASCADE,"
  "  ordinal INTEGER NOT NULL,"
  "  category TEXT NOT NULL,"
  "  name TEXT NOT NULL,"
  "  position TEXT,"
  "  institution TEXT,"
  "  email TEXT,"
  "  phone TEXT,"
  "  languages TEXT,"
  "  verified TEXT"
  ");"
  "CREATE INDEX contacts_country ON contacts (country);"
  "CREATE TABLE measures ("
  "  country TEXT NOT NULL REFERENCES countries (code) ON DELETE CASCADE,"
  "  number INTEGER NOT NULL CHECK (number BETWEEN 1 AND 6),"
  "  status TEXT NOT NULL,"
  "  evidence TEXT,"
  "  updated TEXT,"
  "  PRIMARY KEY (country, number)"
  ");"
  "CREATE TABLE events ("
  "  id TEXT PRIMARY KEY NOT NULL,"
  "  ordinal INTEGER NOT NULL,"
  "  title TEXT NOT NULL,"
  "  description TEXT,"
  "  audience TEXT,"
  "  organizer TEXT,"
  "  starts TEXT NOT NULL,"
  "  ends TEXT,"
  "  timezone TEXT,"
  "  modality TEXT NOT NULL,"
  "  venue TEXT,"
  "  eligibility TEXT NOT NULL,"
  "  has_registration INTEGER NOT NULL,"
  "  deadline TEXT,"
  "  capacity INTEGER"
  ");"
  "CREATE TABLE sync_state ("
  "  url TEXT PRIMARY KEY NOT NULL,"
  "  etag TEXT,"
  "  last_modified TEXT,"
  "  sha256 TEXT"
  ");"
  "CREATE TABLE meta ("
  "  key TEXT PRIMARY KEY NOT NULL,"
  "  value TEXT"
  ");",
  /* 1 → 2: the registration outbox and the drafts of the registration form. No foreign key to
   * events: a sync may drop an event, never a registration the user made. */
  "CREATE TABLE registrations ("
  "  id INTEGER PRIMARY KEY,"
  "  idempotency_key TEXT NOT NULL UNIQUE,"
  "  event TEXT NOT NULL,"
  "  country TEXT NOT NULL,"
  "  name TEXT NOT NULL,"
  "  position TEXT NOT NULL,"
  "  institution TEXT NOT NULL,"
  "  email TEXT NOT NULL,"
  "  government INTEGER NOT NULL,"
  "  language TEXT,"
  "  note TEXT,"
  "  status TEXT NOT NULL,"
  "  server_id TEXT,"
  "  server_url TEXT,"
  "  failure TEXT,"
  "  field_errors TEXT,"
  "  attempts INTEGER NOT NULL DEFAULT 0,"
  "  next_attempt INTEGER NOT NULL DEFAULT 0,"
  "  created TEXT NOT NULL,"
  "  updated TEXT NOT NULL"
  ");"
  "CREATE INDEX registrations_event ON registrations (event);"
  "CREATE TABLE registration_drafts ("
  "  event TEXT PRIMARY KEY NOT NULL,"
  "  fields TEXT NOT NULL,"
  "  updated TEXT NOT NULL"
  ");",
};

void
cbm_store_set_error (sqlite3  *db,
                     int       rc,
                     GError  **error)
{
  int primary = rc & 0xff;

  if (primary == SQLITE_FULL || primary == SQLITE_IOERR)
    g_set_error (error, CBM_STORE_ERROR, CBM_STORE_ERROR_DISK_FULL,
                 _("The disk is full or cannot be written to. Free some space and try again."));
  else if (primary == SQLITE_CANTOPEN || primary == SQLITE_READONLY || primary == SQLITE_PERM)
    g_set_error (error, CBM_STORE_ERROR, CBM_STORE_ERROR_OPEN,
                 _("The local data cannot be written: its folder is read-only or not accessible."));
  else
    g_set_error (error, CBM_STORE_ERROR, CBM_STORE_ERROR_SQL,
                 "sqlite: %s (%d)", db ? sqlite3_errmsg (db) : sqlite3_errstr (rc), rc);
}

sqlite3_stmt *
cbm_store_prepare (sqlite3     *db,
                   const char  *sql,
                   GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc = sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL);

  if (rc != SQLITE_OK)
    {
      cbm_store_set_error (db, rc, error);
      return NULL;
    }
  return stmt;
}

/* Finalizes a statement whose last step returned @rc: anything but SQLITE_DONE (all rows read)
 * is an error. */
gboolean
cbm_store_finish_rows (sqlite3       *db,
                       sqlite3_stmt  *stmt,
                       int            rc,
                       GError       **error)
{
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      cbm_store_set_error (db, rc, error);
      return FALSE;
    }
  return TRUE;
}

/* Runs a prepared statement that returns no rows, then finalizes it. */
gboolean
cbm_store_step_done (sqlite3       *db,
                     sqlite3_stmt  *stmt,
                     GError       **error)
{
  return cbm_store_finish_rows (db, stmt, sqlite3_step (stmt), error);
}

void
cbm_store_bind_text (sqlite3_stmt *stmt,
                     int           index,
                     const char   *text)
{
  if (text != NULL)
    sqlite3_bind_text (stmt, index, text, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, index);
}

char *
cbm_store_column_dup (sqlite3_stmt *stmt,
                      int           column)
{
  const unsigned char *text = sqlite3_column_text (stmt, column);

  return text != NULL ? g_strdup ((const char *) text) : NULL;
}

gboolean
cbm_store_exec (sqlite3     *db,
                const char  *sql,
                GError     **error)
{
  int rc = sqlite3_exec (db, sql, NULL, NULL, NULL);

  if (rc != SQLITE_OK)
    {
      cbm_store_set_error (db, rc, error);
      return FALSE;
    }
  return TRUE;
}

static int
get_user_version (sqlite3 *db)
{
  sqlite3_stmt *stmt = NULL;
  int version = -1;

  if (sqlite3_prepare_v2 (db, "PRAGMA user_version", -1, &stmt, NULL) == SQLITE_OK &&
      sqlite3_step (stmt) == SQLITE_ROW)
    version = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  return version;
}

gboolean
cbm_store_schema_migrate (sqlite3  *db,
                          GError  **error)
{
  int version = get_user_version (db);

  if (version < 0)
    {
      cbm_store_set_error (db, sqlite3_errcode (db), error);
      return FALSE;
    }

  if (version > (int) G_N_ELEMENTS (migrations))
    {
      g_set_error (error, CBM_STORE_ERROR, CBM_STORE_ERROR_OPEN,
                   _("The data was written by a newer version of CBM Desk and cannot be read by this one."));
      return FALSE;
    }

  for (guint i = version; i < G_N_ELEMENTS (migrations); i++)
    {
      g_autofree char *bump = g_strdup_printf ("PRAGMA user_version = %u;", i + 1);

      if (!cbm_store_exec (db, "BEGIN IMMEDIATE;", error))
        return FALSE;
      if (!cbm_store_exec (db, migrations[i], error) || !cbm_store_exec (db, bump, error))
        {
          cbm_store_exec (db, "ROLLBACK;", NULL);
          return FALSE;
        }
      if (!cbm_store_exec (db, "COMMIT;", error))
        return FALSE;
    }

  return TRUE;
}
