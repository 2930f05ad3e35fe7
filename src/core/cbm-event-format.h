/* cbm-event-format.h
 *
 * Copyright 2026 The CBM Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "cbm-event.h"

G_BEGIN_DECLS

GTimeZone *cbm_event_dup_time_zone      (CbmEvent   *event) G_GNUC_WARN_UNUSED_RESULT;
GDateTime *cbm_event_dup_start          (CbmEvent   *event,
                                         GTimeZone  *zone) G_GNUC_WARN_UNUSED_RESULT;
GDateTime *cbm_event_dup_end            (CbmEvent   *event,
                                         GTimeZone  *zone) G_GNUC_WARN_UNUSED_RESULT;
char      *cbm_event_format_when        (CbmEvent   *event,
                                         GTimeZone  *zone) G_GNUC_WARN_UNUSED_RESULT;
char      *cbm_event_format_deadline    (CbmEvent   *event,
                                         GDateTime  *now) G_GNUC_WARN_UNUSED_RESULT;
gboolean   cbm_event_is_past            (CbmEvent   *event,
                                         GDateTime  *now);
const char *cbm_event_get_eligibility_text (CbmEvent *event);

G_END_DECLS
