/* cbm-date.h
 *
 * Copyright 2026 The CBM Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

GDateTime *cbm_date_parse            (const char *date) G_GNUC_WARN_UNUSED_RESULT;
GDateTime *cbm_date_time_parse       (const char *timestamp) G_GNUC_WARN_UNUSED_RESULT;
gboolean   cbm_date_is_valid         (const char *date);
gboolean   cbm_date_time_is_valid    (const char *timestamp);
char      *cbm_date_format           (GDateTime  *date) G_GNUC_WARN_UNUSED_RESULT;
char      *cbm_date_format_string    (const char *date_or_timestamp) G_GNUC_WARN_UNUSED_RESULT;
char      *cbm_date_time_format      (GDateTime  *date_time) G_GNUC_WARN_UNUSED_RESULT;
char      *cbm_date_time_now_string  (void) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
