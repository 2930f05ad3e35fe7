/* cbm-country-page.h
 *
 * Copyright 2026 The CBM Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cbm-core.h"

G_BEGIN_DECLS

#define CBM_TYPE_COUNTRY_PAGE (cbm_country_page_get_type ())

G_DECLARE_FINAL_TYPE (CbmCountryPage, cbm_country_page, CBM, COUNTRY_PAGE, AdwBin)

void        cbm_country_page_set_country (CbmCountryPage *self,
                                          CbmCountry     *country);
CbmCountry *cbm_country_page_get_country (CbmCountryPage *self);

G_END_DECLS
