/* cbm-pdf-model.h
 *
 * Copyright 2026 The CBM Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "cbm-pdf.h"

G_BEGIN_DECLS

typedef enum
{
  CBM_PDF_SIZING_FIT_WIDTH,
  CBM_PDF_SIZING_FIT_PAGE,
  CBM_PDF_SIZING_FREE,
} CbmPdfSizingMode;

#define CBM_PDF_MIN_SCALE 0.1
#define CBM_PDF_MAX_SCALE 8.0

/* The margin around and between pages, in logical pixels. */
#define CBM_PDF_PAGE_SPACING 12

#define CBM_TYPE_PDF_SIZING_MODE (cbm_pdf_sizing_mode_get_type ())
#define CBM_TYPE_PDF_MODEL (cbm_pdf_model_get_type ())

GType cbm_pdf_sizing_mode_get_type (void) G_GNUC_CONST;

G_DECLARE_FINAL_TYPE (CbmPdfModel, cbm_pdf_model, CBM, PDF_MODEL, GObject)

CbmPdfModel      *cbm_pdf_model_new               (CbmPdfHelper        *helper) G_GNUC_WARN_UNUSED_RESULT;
CbmPdfHelper     *cbm_pdf_model_get_helper        (CbmPdfModel         *self);
CbmPdfInfo       *cbm_pdf_model_get_info          (CbmPdfModel         *self);
int               cbm_pdf_model_get_n_pages       (CbmPdfModel         *self);
void              cbm_pdf_model_get_page_size     (CbmPdfModel         *self,
                                                   int                  page,
                                                   double              *width,
                                                   double              *height);
void              cbm_pdf_model_get_max_page_size (CbmPdfModel         *self,
                                                   double              *width,
                                                   double              *height);
double            cbm_pdf_model_get_render_scale  (CbmPdfModel         *self,
                                                   int                  page,
                                                   int                  scale_factor);
void              cbm_pdf_model_set_viewport      (CbmPdfModel         *self,
                                                   int                  width,
                                                   int                  height,
                                                   int                  scale_factor);
CbmPdfImage      *cbm_pdf_model_take_first_render (CbmPdfModel         *self,
                                                   int                 *page,
                                                   GError             **error) G_GNUC_WARN_UNUSED_RESULT;
int               cbm_pdf_model_get_page          (CbmPdfModel         *self);
void              cbm_pdf_model_set_page          (CbmPdfModel         *self,
                                                   int                  page);
double            cbm_pdf_model_get_scale         (CbmPdfModel         *self);
void              cbm_pdf_model_set_scale         (CbmPdfModel         *self,
                                                   double               scale);
CbmPdfSizingMode  cbm_pdf_model_get_sizing_mode   (CbmPdfModel         *self);
void              cbm_pdf_model_set_sizing_mode   (CbmPdfModel         *self,
                                                   CbmPdfSizingMode     mode);
gboolean          cbm_pdf_model_get_night_mode    (CbmPdfModel         *self);
void              cbm_pdf_model_set_night_mode    (CbmPdfModel         *self,
                                                   gboolean             night_mode);
void              cbm_pdf_model_zoom_in           (CbmPdfModel         *self);
void              cbm_pdf_model_zoom_out          (CbmPdfModel         *self);

void              cbm_pdf_model_load_async        (CbmPdfModel         *self,
                                                   const char          *path,
                                                   const char          *password,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
gboolean          cbm_pdf_model_load_finish       (CbmPdfModel         *self,
                                                   GAsyncResult        *result,
                                                   GError             **error);

double            cbm_pdf_model_compute_scale     (CbmPdfSizingMode     mode,
                                                   double               page_width,
                                                   double               page_height,
                                                   double               view_width,
                                                   double               view_height,
                                                   double               current_scale);

G_END_DECLS
