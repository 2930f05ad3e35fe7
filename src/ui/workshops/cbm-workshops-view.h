/* cbm-workshops-view.h
 *
 * Copyright 2026 The CBM Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cbm-core.h"

G_BEGIN_DECLS

#define CBM_TYPE_WORKSHOPS_VIEW (cbm_workshops_view_get_type ())

G_DECLARE_FINAL_TYPE (CbmWorkshopsView, cbm_workshops_view, CBM, WORKSHOPS_VIEW, AdwBin)

void cbm_workshops_view_set_store (CbmWorkshopsView *self,
                                   CbmStore         *store,
                                   GSettings        *settings);

G_END_DECLS
