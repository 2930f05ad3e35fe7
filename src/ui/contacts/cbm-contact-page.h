/* cbm-contact-page.h
 *
 * Copyright 2026 The CBM Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cbm-core.h"

G_BEGIN_DECLS

#define CBM_TYPE_CONTACT_PAGE (cbm_contact_page_get_type ())

G_DECLARE_FINAL_TYPE (CbmContactPage, cbm_contact_page, CBM, CONTACT_PAGE, AdwBin)

void        cbm_contact_page_set_contact     (CbmContactPage *self,
                                              CbmContact     *contact,
                                              const char     *country_name,
                                              GDateTime      *today);
CbmContact *cbm_contact_page_get_contact     (CbmContactPage *self);
const char *cbm_contact_page_get_stale_text  (CbmContactPage *self);

G_END_DECLS
