/* cbm-mail.h
 *
 * Copyright 2026 The CBM Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

void cbm_mail_open (GtkWindow       *parent,
                    const char      *mailto_uri,
                    AdwToastOverlay *toasts);

G_END_DECLS
