/* cbm-countries-view.h
 *
 * Copyright 2026 The CBM Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cbm-core.h"

G_BEGIN_DECLS

#define CBM_TYPE_COUNTRIES_VIEW (cbm_countries_view_get_type ())

G_DECLARE_FINAL_TYPE (CbmCountriesView, cbm_countries_view, CBM, COUNTRIES_VIEW, AdwBin)

void        cbm_countries_view_set_store      (CbmCountriesView *self,
                                               CbmStore         *store,
                                               GSettings        *settings);
void        cbm_countries_view_focus_search   (CbmCountriesView *self);
void        cbm_countries_view_set_search     (CbmCountriesView *self,
                                               const char       *text);
GListModel *cbm_countries_view_get_model      (CbmCountriesView *self);
gboolean    cbm_countries_view_select_country (CbmCountriesView *self,
                                               const char       *code);

G_END_DECLS
