/* cbm-pdf-page-cache.h
 *
 * Copyright 2026 The CBM Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "cbm-pdf.h"

G_BEGIN_DECLS

#define CBM_PDF_PAGE_CACHE_DEFAULT_LIMIT ((gsize) 256 << 20)  /* 256 MiB */

#define CBM_TYPE_PDF_PAGE_CACHE (cbm_pdf_page_cache_get_type ())

G_DECLARE_FINAL_TYPE (CbmPdfPageCache, cbm_pdf_page_cache, CBM, PDF_PAGE_CACHE, GObject)

CbmPdfPageCache  *cbm_pdf_page_cache_new          (gsize             limit) G_GNUC_WARN_UNUSED_RESULT;
gsize             cbm_pdf_page_cache_get_limit    (CbmPdfPageCache  *self);
gsize             cbm_pdf_page_cache_get_size     (CbmPdfPageCache  *self);
guint             cbm_pdf_page_cache_get_n_pages  (CbmPdfPageCache  *self);
void              cbm_pdf_page_cache_insert       (CbmPdfPageCache  *self,
                                                   int               page,
                                                   double            scale,
                                                   GdkTexture       *texture,
                                                   int               center_page);
void              cbm_pdf_page_cache_insert_image (CbmPdfPageCache  *self,
                                                   int               page,
                                                   double            scale,
                                                   CbmPdfImage      *image,
                                                   int               center_page);
GdkTexture       *cbm_pdf_page_cache_lookup       (CbmPdfPageCache  *self,
                                                   int               page,
                                                   double           *scale);
GdkTexture      **cbm_pdf_page_cache_get_strips   (CbmPdfPageCache  *self,
                                                   int               page,
                                                   guint            *n_strips,
                                                   int              *strip_height);
void              cbm_pdf_page_cache_trim         (CbmPdfPageCache  *self,
                                                   int               center_page);
void              cbm_pdf_page_cache_retain       (CbmPdfPageCache  *self,
                                                   int               first_page,
                                                   int               last_page);
void              cbm_pdf_page_cache_clear        (CbmPdfPageCache  *self);

G_END_DECLS
