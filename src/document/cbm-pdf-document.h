/* cbm-pdf-document.h
 *
 * Copyright 2026 The CBM Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "cbm-pdf-error.h"
#include "cbm-pdf-types.h"

G_BEGIN_DECLS

/* Synchronous poppler wrapper. Poppler is neither thread-safe nor cancellable and can be made to
 * crash or spin by hostile files: only the cbm-pdf-helper process uses this type. The app and
 * the indexer use CbmPdfHelper instead. */

#define CBM_TYPE_PDF_DOCUMENT (cbm_pdf_document_get_type ())

G_DECLARE_FINAL_TYPE (CbmPdfDocument, cbm_pdf_document, CBM, PDF_DOCUMENT, GObject)

CbmPdfDocument *cbm_pdf_document_open              (const char        *path,
                                                    const char        *password,
                                                    GError           **error) G_GNUC_WARN_UNUSED_RESULT;
int             cbm_pdf_document_get_n_pages       (CbmPdfDocument    *self);
CbmPdfInfo     *cbm_pdf_document_get_info          (CbmPdfDocument    *self) G_GNUC_WARN_UNUSED_RESULT;
GPtrArray      *cbm_pdf_document_get_outline       (CbmPdfDocument    *self) G_GNUC_WARN_UNUSED_RESULT;
char           *cbm_pdf_document_get_text          (CbmPdfDocument    *self,
                                                    int                page,
                                                    GError           **error) G_GNUC_WARN_UNUSED_RESULT;
char           *cbm_pdf_document_get_selected_text (CbmPdfDocument    *self,
                                                    int                page,
                                                    const CbmPdfRect  *area,
                                                    GError           **error) G_GNUC_WARN_UNUSED_RESULT;
GPtrArray      *cbm_pdf_document_find              (CbmPdfDocument    *self,
                                                    int                page,
                                                    const char        *text,
                                                    CbmPdfFindFlags    flags,
                                                    guint              max_matches,
                                                    GError           **error) G_GNUC_WARN_UNUSED_RESULT;
GPtrArray      *cbm_pdf_document_get_links         (CbmPdfDocument    *self,
                                                    int                page,
                                                    GError           **error) G_GNUC_WARN_UNUSED_RESULT;
gboolean        cbm_pdf_document_get_render_size   (CbmPdfDocument    *self,
                                                    int                page,
                                                    double             scale,
                                                    int               *width,
                                                    int               *height,
                                                    GError           **error);
gboolean        cbm_pdf_document_render_page       (CbmPdfDocument    *self,
                                                    int                page,
                                                    double             scale,
                                                    guchar            *data,
                                                    int                width,
                                                    int                height,
                                                    int                stride,
                                                    GError           **error);

G_END_DECLS
