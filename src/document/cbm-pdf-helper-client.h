/* cbm-pdf-helper-client.h
 *
 * Copyright 2026 The CBM Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "cbm-pdf-error.h"
#include "cbm-pdf-types.h"

G_BEGIN_DECLS

#define CBM_TYPE_PDF_HELPER (cbm_pdf_helper_get_type ())

G_DECLARE_FINAL_TYPE (CbmPdfHelper, cbm_pdf_helper, CBM, PDF_HELPER, GObject)

/**
 * CbmPdfScaleFunc:
 * @info: the document just opened
 * @page: the page about to be rendered, within the document
 * @user_data: the data given with the function
 *
 * Chooses the scale of a page render from the document's info.
 *
 * Returns: pixels per point
 */
typedef double (*CbmPdfScaleFunc) (const CbmPdfInfo *info,
                                   int               page,
                                   gpointer          user_data);

#define CBM_PDF_HELPER_DEFAULT_TIMEOUT       15000
#define CBM_PDF_HELPER_DEFAULT_MEMORY_LIMIT  (G_GUINT64_CONSTANT (3) << 29)  /* 1.5 GiB */

CbmPdfHelper *cbm_pdf_helper_new                     (void) G_GNUC_WARN_UNUSED_RESULT;
guint         cbm_pdf_helper_get_timeout             (CbmPdfHelper         *self);
void          cbm_pdf_helper_set_timeout             (CbmPdfHelper         *self,
                                                      guint                 timeout_ms);
guint64       cbm_pdf_helper_get_memory_limit        (CbmPdfHelper         *self);
void          cbm_pdf_helper_set_memory_limit        (CbmPdfHelper         *self,
                                                      guint64               bytes);

void          cbm_pdf_helper_open_async              (CbmPdfHelper         *self,
                                                      const char           *path,
                                                      const char           *password,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
CbmPdfInfo   *cbm_pdf_helper_open_finish             (CbmPdfHelper         *self,
                                                      GAsyncResult         *result,
                                                      GError              **error) G_GNUC_WARN_UNUSED_RESULT;
void          cbm_pdf_helper_open_and_render_async   (CbmPdfHelper         *self,
                                                      const char           *path,
                                                      const char           *password,
                                                      int                   page,
                                                      CbmPdfScaleFunc       scale_func,
                                                      gpointer              scale_data,
                                                      GDestroyNotify        scale_data_free,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
CbmPdfInfo   *cbm_pdf_helper_open_and_render_finish  (CbmPdfHelper         *self,
                                                      GAsyncResult         *result,
                                                      int                  *page,
                                                      CbmPdfImage         **image,
                                                      GError              **render_error,
                                                      GError              **error) G_GNUC_WARN_UNUSED_RESULT;
void          cbm_pdf_helper_render_page_async       (CbmPdfHelper         *self,
                                                      int                   page,
                                                      double                scale,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
CbmPdfImage  *cbm_pdf_helper_render_page_finish      (CbmPdfHelper         *self,
                                                      GAsyncResult         *result,
                                                      GError              **error) G_GNUC_WARN_UNUSED_RESULT;
void          cbm_pdf_helper_get_text_async          (CbmPdfHelper         *self,
                                                      int                   page,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
char         *cbm_pdf_helper_get_text_finish         (CbmPdfHelper         *self,
                                                      GAsyncResult         *result,
                                                      GError              **error) G_GNUC_WARN_UNUSED_RESULT;
void          cbm_pdf_helper_get_selected_text_async (CbmPdfHelper         *self,
                                                      int                   page,
                                                      const CbmPdfRect     *area,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
char         *cbm_pdf_helper_get_selected_text_finish (CbmPdfHelper        *self,
                                                      GAsyncResult         *result,
                                                      GError              **error) G_GNUC_WARN_UNUSED_RESULT;
void          cbm_pdf_helper_find_async              (CbmPdfHelper         *self,
                                                      int                   page,
                                                      const char           *text,
                                                      CbmPdfFindFlags       flags,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
GPtrArray    *cbm_pdf_helper_find_finish             (CbmPdfHelper         *self,
                                                      GAsyncResult         *result,
                                                      GError              **error) G_GNUC_WARN_UNUSED_RESULT;
void          cbm_pdf_helper_get_outline_async       (CbmPdfHelper         *self,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
GPtrArray    *cbm_pdf_helper_get_outline_finish      (CbmPdfHelper         *self,
                                                      GAsyncResult         *result,
                                                      GError              **error) G_GNUC_WARN_UNUSED_RESULT;
void          cbm_pdf_helper_get_links_async         (CbmPdfHelper         *self,
                                                      int                   page,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
GPtrArray    *cbm_pdf_helper_get_links_finish        (CbmPdfHelper         *self,
                                                      GAsyncResult         *result,
                                                      GError              **error) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
