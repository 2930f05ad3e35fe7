/* cbm-store-private.h
 *
 * Copyright 2026 The CBM Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <sqlite3.h>

#include "cbm-store.h"

G_BEGIN_DECLS

#define CBM_STORE_SCHEMA_VERSION 1

gboolean cbm_store_schema_migrate (sqlite3  *db,
                                   GError  **error);
gboolean cbm_store_exec           (sqlite3     *db,
                                   const char  *sql,
                                   GError     **error);
void     cbm_store_set_error      (sqlite3     *db,
                                   int          rc,
                                   GError     **error);

G_END_DECLS
