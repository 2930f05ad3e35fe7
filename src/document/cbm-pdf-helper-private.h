/* cbm-pdf-helper-private.h
 *
 * Copyright 2026 The CBM Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cbm-pdf-helper-client.h"

G_BEGIN_DECLS

/* For tests only. */
int      _cbm_pdf_helper_get_pid      (CbmPdfHelper         *self);
void     _cbm_pdf_helper_sleep_async  (CbmPdfHelper         *self,
                                       guint                 milliseconds,
                                       GCancellable         *cancellable,
                                       GAsyncReadyCallback   callback,
                                       gpointer              user_data);
gboolean _cbm_pdf_helper_sleep_finish (CbmPdfHelper         *self,
                                       GAsyncResult         *result,
                                       GError              **error);

G_END_DECLS
