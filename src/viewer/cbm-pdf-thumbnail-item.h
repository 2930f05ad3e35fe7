/* cbm-pdf-thumbnail-item.h
 *
 * Copyright 2026 The CBM Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define CBM_TYPE_PDF_THUMBNAIL_ITEM (cbm_pdf_thumbnail_item_get_type ())

G_DECLARE_FINAL_TYPE (CbmPdfThumbnailItem, cbm_pdf_thumbnail_item, CBM, PDF_THUMBNAIL_ITEM, GObject)

CbmPdfThumbnailItem *cbm_pdf_thumbnail_item_new            (int                  page,
                                                             int                  width,
                                                             int                  height) G_GNUC_WARN_UNUSED_RESULT;
int                  cbm_pdf_thumbnail_item_get_page       (CbmPdfThumbnailItem *self);
GdkTexture          *cbm_pdf_thumbnail_item_get_texture    (CbmPdfThumbnailItem *self);
void                 cbm_pdf_thumbnail_item_set_texture    (CbmPdfThumbnailItem *self,
                                                             GdkTexture          *texture);
gboolean             cbm_pdf_thumbnail_item_get_night_mode (CbmPdfThumbnailItem *self);
void                 cbm_pdf_thumbnail_item_set_night_mode (CbmPdfThumbnailItem *self,
                                                             gboolean             night_mode);

G_END_DECLS
