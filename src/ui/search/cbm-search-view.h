/* cbm-search-view.h
 *
 * Copyright 2026 The CBM Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cbm-core.h"
#include "cbm-search.h"

G_BEGIN_DECLS

#define CBM_TYPE_SEARCH_VIEW (cbm_search_view_get_type ())

G_DECLARE_FINAL_TYPE (CbmSearchView, cbm_search_view, CBM, SEARCH_VIEW, AdwBin)

void        cbm_search_view_set_indexer  (CbmSearchView *self,
                                          CbmIndexer    *indexer);
void        cbm_search_view_focus_search (CbmSearchView *self);
void        cbm_search_view_set_search   (CbmSearchView *self,
                                          const char    *text);
GListModel *cbm_search_view_get_model    (CbmSearchView *self);

G_END_DECLS
