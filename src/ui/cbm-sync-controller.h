/* cbm-sync-controller.h
 *
 * Copyright 2026 The CBM Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "cbm-core.h"

G_BEGIN_DECLS

#define CBM_TYPE_SYNC_CONTROLLER (cbm_sync_controller_get_type ())

G_DECLARE_FINAL_TYPE (CbmSyncController, cbm_sync_controller, CBM, SYNC_CONTROLLER, GObject)

CbmSyncController *cbm_sync_controller_new             (CbmStore          *store,
                                                        GSettings         *settings,
                                                        const char        *repository);
void               cbm_sync_controller_start           (CbmSyncController *self);
void               cbm_sync_controller_sync            (CbmSyncController *self);
void               cbm_sync_controller_cancel          (CbmSyncController *self);
gboolean           cbm_sync_controller_get_busy        (CbmSyncController *self);
gboolean           cbm_sync_controller_get_offline     (CbmSyncController *self);
gboolean           cbm_sync_controller_get_can_sync    (CbmSyncController *self);
double             cbm_sync_controller_get_fraction    (CbmSyncController *self);
const char        *cbm_sync_controller_get_repository  (CbmSyncController *self);
char              *cbm_sync_controller_dup_sample_url  (void) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
