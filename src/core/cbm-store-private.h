/* cbm-store-private.h
 *
 * Copyright 2026 The CBM Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <sqlite3.h>

#include "cbm-store.h"

G_BEGIN_DECLS

#define CBM_STORE_SCHEMA_VERSION 2

gboolean cbm_store_schema_migrate (sqlite3  *db,
                                   GError  **error);
gboolean cbm_store_exec           (sqlite3     *db,
                                   const char  *sql,
                                   GError     **error);
sqlite3_stmt *cbm_store_prepare    (sqlite3       *db,
                                   const char    *sql,
                                   GError       **error);
gboolean cbm_store_finish_rows    (sqlite3       *db,
                                   sqlite3_stmt  *stmt,
                                   int            rc,
                                   GError       **error);
gboolean cbm_store_step_done      (sqlite3       *db,
                                   sqlite3_stmt  *stmt,
                                   GError       **error);
void     cbm_store_bind_text      (sqlite3_stmt  *stmt,
                                   int            index,
                                   const char    *text);
char    *cbm_store_column_dup     (sqlite3_stmt  *stmt,
                                   int            column);
void     cbm_store_set_error      (sqlite3     *db,
                                   int          rc,
                                   GError     **error);

/* Work run on the store's worker thread with its connection (see cbm-store-outbox.c). The
 * result goes to the task as a pointer freed with @result_free; %NULL without error means TRUE. */
typedef gpointer (*CbmStoreWorkFunc) (CbmStore  *self,
                                      sqlite3   *db,
                                      gpointer   data,
                                      GError   **error);

void        cbm_store_run_work                 (CbmStore         *self,
                                                GTask            *task,
                                                CbmStoreWorkFunc  func,
                                                gpointer          data,
                                                GDestroyNotify    data_free,
                                                GDestroyNotify    result_free);
GListStore *cbm_store_get_registration_store   (CbmStore         *self);
gboolean    cbm_store_take_registrations_load  (CbmStore         *self);

G_END_DECLS
