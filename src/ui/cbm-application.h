/* cbm-application.h
 *
 * Copyright 2026 The CBM Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cbm-core.h"
#include "cbm-search.h"

G_BEGIN_DECLS

#define CBM_TYPE_APPLICATION (cbm_application_get_type ())

G_DECLARE_FINAL_TYPE (CbmApplication, cbm_application, CBM, APPLICATION, AdwApplication)

CbmApplication *cbm_application_new         (void);
CbmIndexer     *cbm_application_get_indexer (CbmApplication *self);

G_END_DECLS
