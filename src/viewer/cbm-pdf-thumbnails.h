/* cbm-pdf-thumbnails.h
 *
 * Copyright 2026 The CBM Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "cbm-pdf-page-cache.h"
#include "cbm-pdf-thumbnail-item.h"
#include "cbm-pdf-view.h"

G_BEGIN_DECLS

#define CBM_PDF_THUMBNAILS_CACHE_LIMIT ((gsize) 16 << 20)  /* 16 MiB */

#define CBM_TYPE_PDF_THUMBNAILS (cbm_pdf_thumbnails_get_type ())

G_DECLARE_FINAL_TYPE (CbmPdfThumbnails, cbm_pdf_thumbnails, CBM, PDF_THUMBNAILS, GtkWidget)

GtkWidget         *cbm_pdf_thumbnails_new       (void);
CbmPdfView        *cbm_pdf_thumbnails_get_view  (CbmPdfThumbnails *self);
void               cbm_pdf_thumbnails_set_view  (CbmPdfThumbnails *self,
                                                 CbmPdfView       *view);
GtkSelectionModel *cbm_pdf_thumbnails_get_pages (CbmPdfThumbnails *self);
CbmPdfPageCache   *cbm_pdf_thumbnails_get_cache (CbmPdfThumbnails *self);

G_END_DECLS
