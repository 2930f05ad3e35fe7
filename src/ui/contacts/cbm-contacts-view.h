/* cbm-contacts-view.h
 *
 * Copyright 2026 The CBM Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cbm-core.h"

G_BEGIN_DECLS

#define CBM_TYPE_CONTACTS_VIEW (cbm_contacts_view_get_type ())

G_DECLARE_FINAL_TYPE (CbmContactsView, cbm_contacts_view, CBM, CONTACTS_VIEW, AdwBin)

void        cbm_contacts_view_set_store      (CbmContactsView *self,
                                              CbmStore        *store);
void        cbm_contacts_view_focus_search   (CbmContactsView *self);
void        cbm_contacts_view_set_search     (CbmContactsView *self,
                                              const char      *text);
GListModel *cbm_contacts_view_get_model      (CbmContactsView *self);
gboolean    cbm_contacts_view_select_contact (CbmContactsView *self,
                                              const char      *id);

GtkFilter  *cbm_contacts_filter_new          (CbmContactQuery *query,
                                              GHashTable      *country_keys) G_GNUC_WARN_UNUSED_RESULT;
GHashTable *cbm_contacts_country_keys_new    (GListModel      *countries) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
