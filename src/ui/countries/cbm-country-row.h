/* cbm-country-row.h
 *
 * Copyright 2026 The CBM Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "cbm-core.h"

G_BEGIN_DECLS

#define CBM_TYPE_COUNTRY_ROW (cbm_country_row_get_type ())

G_DECLARE_FINAL_TYPE (CbmCountryRow, cbm_country_row, CBM, COUNTRY_ROW, GtkWidget)

CbmCountryRow *cbm_country_row_new         (void);
void           cbm_country_row_set_country (CbmCountryRow *self,
                                            CbmCountry    *country);

G_END_DECLS
