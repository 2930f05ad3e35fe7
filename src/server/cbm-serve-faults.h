/* cbm-serve-faults.h
 *
 * Copyright 2026 The CBM Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Misbehaviours cbm-serve can be asked to show, so clients can be tested
 * against them. */
typedef enum
{
  CBM_SERVE_FAULT_NONE               = 0,
  CBM_SERVE_FAULT_5XX                = 1 << 0,
  CBM_SERVE_FAULT_FLAKY              = 1 << 1,
  CBM_SERVE_FAULT_CLOSE_MID_BODY     = 1 << 2,
  CBM_SERVE_FAULT_BAD_SHA256         = 1 << 3,
  CBM_SERVE_FAULT_MALFORMED_JSON     = 1 << 4,
  CBM_SERVE_FAULT_SLOW               = 1 << 5,
  CBM_SERVE_FAULT_REDIRECT_FILE      = 1 << 6,
  CBM_SERVE_FAULT_HUGE_BODY          = 1 << 7,
  CBM_SERVE_FAULT_DOTDOT_HREF        = 1 << 8,
  CBM_SERVE_FAULT_SLOW_REGISTRATIONS = 1 << 9,
} CbmServeFaults;

gboolean     cbm_serve_faults_parse     (const char      *spec,
                                         CbmServeFaults  *faults,
                                         GError         **error);
char        *cbm_serve_faults_to_string (CbmServeFaults   faults) G_GNUC_WARN_UNUSED_RESULT;
char        *cbm_serve_faults_list_names (void) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
