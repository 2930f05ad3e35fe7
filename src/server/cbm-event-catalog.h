/* cbm-event-catalog.h
 *
 * Copyright 2026 The CBM Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define CBM_TYPE_EVENT_CATALOG (cbm_event_catalog_get_type ())

G_DECLARE_FINAL_TYPE (CbmEventCatalog, cbm_event_catalog, CBM, EVENT_CATALOG, GObject)

CbmEventCatalog *cbm_event_catalog_new    (const char       *path) G_GNUC_WARN_UNUSED_RESULT;
gboolean         cbm_event_catalog_lookup (CbmEventCatalog  *self,
                                           const char       *id,
                                           JsonObject      **event,
                                           GError          **error);

G_END_DECLS
