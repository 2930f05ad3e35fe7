/* cbm-ics.h
 *
 * Copyright 2026 The CBM Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "cbm-event.h"

G_BEGIN_DECLS

#define CBM_ICS_UID_DOMAIN "cbmdesk.example.org"

char *cbm_ics_from_event  (CbmEvent   *event,
                           const char *language,
                           GDateTime  *now) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
