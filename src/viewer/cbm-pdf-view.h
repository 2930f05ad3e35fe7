/* cbm-pdf-view.h
 *
 * Copyright 2026 The CBM Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "cbm-pdf-model.h"
#include "cbm-pdf-page-cache.h"

G_BEGIN_DECLS

#define CBM_TYPE_PDF_VIEW (cbm_pdf_view_get_type ())

G_DECLARE_FINAL_TYPE (CbmPdfView, cbm_pdf_view, CBM, PDF_VIEW, GtkWidget)

GtkWidget       *cbm_pdf_view_new               (void);
CbmPdfModel     *cbm_pdf_view_get_model         (CbmPdfView  *self);
void             cbm_pdf_view_set_model         (CbmPdfView  *self,
                                                 CbmPdfModel *model);
CbmPdfPageCache *cbm_pdf_view_get_cache         (CbmPdfView  *self);
gboolean         cbm_pdf_view_get_rendering     (CbmPdfView  *self);
const char      *cbm_pdf_view_get_page_error    (CbmPdfView  *self,
                                                 int          page);
void             cbm_pdf_view_set_matches       (CbmPdfView  *self,
                                                 GPtrArray   *matches);
void             cbm_pdf_view_set_current_match (CbmPdfView  *self,
                                                 int          index);
const char      *cbm_pdf_view_get_selected_text (CbmPdfView  *self);

G_END_DECLS
