/* cbm-vcard.h
 *
 * Copyright 2026 The CBM Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "cbm-contact.h"

G_BEGIN_DECLS

/* Returns the name of the country with ISO code @code, or %NULL if unknown. */
typedef const char *(*CbmVCardCountryNameFunc) (const char *code,
                                                gpointer    user_data);

char *cbm_vcard_from_contact     (CbmContact              *contact,
                                  const char              *country_name) G_GNUC_WARN_UNUSED_RESULT;
char *cbm_vcard_from_contacts    (GListModel              *contacts,
                                  CbmVCardCountryNameFunc  country_name_func,
                                  gpointer                 user_data) G_GNUC_WARN_UNUSED_RESULT;

char *cbm_vcard_unfold           (const char              *text) G_GNUC_WARN_UNUSED_RESULT;
char *cbm_vcard_uid_for_id       (const char              *id) G_GNUC_WARN_UNUSED_RESULT;
char *cbm_vcard_tel_uri          (const char              *phone) G_GNUC_WARN_UNUSED_RESULT;
void  cbm_vcard_split_name       (const char              *name,
                                  const char              *language,
                                  char                   **family,
                                  char                   **given,
                                  char                   **additional);

G_END_DECLS
