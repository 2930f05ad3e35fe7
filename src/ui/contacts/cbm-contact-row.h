/* cbm-contact-row.h
 *
 * Copyright 2026 The CBM Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "cbm-core.h"

G_BEGIN_DECLS

#define CBM_TYPE_CONTACT_ROW (cbm_contact_row_get_type ())

G_DECLARE_FINAL_TYPE (CbmContactRow, cbm_contact_row, CBM, CONTACT_ROW, GtkWidget)

CbmContactRow *cbm_contact_row_new         (void);
void           cbm_contact_row_set_contact (CbmContactRow *self,
                                            CbmContact    *contact,
                                            const char    *country_name,
                                            GDateTime     *today);

G_END_DECLS
