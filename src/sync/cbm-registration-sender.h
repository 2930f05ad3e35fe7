/* cbm-registration-sender.h
 *
 * Copyright 2026 The CBM Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "cbm-core.h"

G_BEGIN_DECLS

#define CBM_TYPE_REGISTRATION_SENDER (cbm_registration_sender_get_type ())

G_DECLARE_FINAL_TYPE (CbmRegistrationSender, cbm_registration_sender, CBM, REGISTRATION_SENDER, GObject)

CbmRegistrationSender *cbm_registration_sender_new              (CbmStore              *store);
void                   cbm_registration_sender_set_retry_delays (CbmRegistrationSender *self,
                                                                 guint                  base_ms,
                                                                 guint                  max_ms);
void                   cbm_registration_sender_set_timeout      (CbmRegistrationSender *self,
                                                                 guint                  seconds);
void                   cbm_registration_sender_start            (CbmRegistrationSender *self);
void                   cbm_registration_sender_wake             (CbmRegistrationSender *self);
void                   cbm_registration_sender_refresh          (CbmRegistrationSender *self);
char                  *cbm_registration_sender_dup_url          (CbmRegistrationSender *self) G_GNUC_WARN_UNUSED_RESULT;
guint                  cbm_registration_sender_get_n_requests   (CbmRegistrationSender *self);

G_END_DECLS
