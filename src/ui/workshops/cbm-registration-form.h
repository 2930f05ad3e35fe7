/* cbm-registration-form.h
 *
 * Copyright 2026 The CBM Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cbm-core.h"

G_BEGIN_DECLS

#define CBM_TYPE_REGISTRATION_FORM (cbm_registration_form_get_type ())

G_DECLARE_FINAL_TYPE (CbmRegistrationForm, cbm_registration_form, CBM, REGISTRATION_FORM, AdwWindow)

CbmRegistrationForm *cbm_registration_form_new (GtkWindow       *parent,
                                                CbmStore        *store,
                                                GSettings       *settings,
                                                CbmEvent        *event,
                                                CbmRegistration *correction);

G_END_DECLS
