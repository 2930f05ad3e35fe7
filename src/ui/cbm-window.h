/* cbm-window.h
 *
 * Copyright 2026 The CBM Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cbm-application.h"
#include "cbm-sync-controller.h"

G_BEGIN_DECLS

#define CBM_TYPE_WINDOW (cbm_window_get_type ())

G_DECLARE_FINAL_TYPE (CbmWindow, cbm_window, CBM, WINDOW, AdwApplicationWindow)

CbmWindow *cbm_window_new        (CbmApplication    *application,
                                  CbmStore          *store,
                                  CbmSyncController *sync,
                                  GSettings         *settings);
void       cbm_window_show_error (CbmWindow         *self,
                                  const char        *headline,
                                  const char        *detail);
void       cbm_window_show_toast (CbmWindow         *self,
                                  const char        *text);

G_END_DECLS
