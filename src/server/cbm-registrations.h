/* cbm-registrations.h
 *
 * Copyright 2026 The CBM Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

#include "cbm-event-catalog.h"
#include "cbm-registration-store.h"
#include "cbm-serve-faults.h"

G_BEGIN_DECLS

#define CBM_TYPE_REGISTRATIONS (cbm_registrations_get_type ())

G_DECLARE_FINAL_TYPE (CbmRegistrations, cbm_registrations, CBM, REGISTRATIONS, GObject)

/* The path prefix this endpoint answers, relative to the server root. */
#define CBM_REGISTRATIONS_PATH "/v1/registrations"

CbmRegistrations *cbm_registrations_new     (CbmRegistrationStore *store,
                                             CbmEventCatalog      *catalog,
                                             CbmServeFaults        faults,
                                             GDateTime            *now) G_GNUC_WARN_UNUSED_RESULT;
gboolean          cbm_registrations_handles (const char           *path);
void              cbm_registrations_handle  (CbmRegistrations     *self,
                                             SoupServerMessage    *msg,
                                             const char           *path);
char             *cbm_canonical_json        (JsonNode             *node) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
