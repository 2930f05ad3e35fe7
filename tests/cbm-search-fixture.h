/* cbm-search-fixture.h
 *
 * Copyright 2026 The CBM Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cbm-search.h"
#include "cbm-sync.h"

G_BEGIN_DECLS

/* Shared by tests/test-search*.c and bench/bench-search.c. */

GAsyncResult *fixture_wait          (GAsyncResult **slot);
void          fixture_store_result  (GObject       *object,
                                     GAsyncResult  *result,
                                     gpointer       user_data);
CbmStore     *fixture_open_store    (const char    *path);
void          fixture_sync          (CbmStore      *store,
                                     const char    *index_url);
void          fixture_add_folder    (CbmStore      *store,
                                     const char    *code,
                                     const char    *folder);
CbmIndexer   *fixture_open_indexer  (CbmStore      *store,
                                     const char    *path);
void          fixture_update        (CbmIndexer    *indexer);
GPtrArray    *fixture_query         (CbmIndexer    *indexer,
                                     const char    *text,
                                     const CbmSearchFilters *filters,
                                     guint          limit,
                                     guint         *n_pages,
                                     guint         *n_documents);

G_END_DECLS
