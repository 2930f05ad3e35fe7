/* cbm-document-page.h
 *
 * Copyright 2026 The CBM Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cbm-core.h"
#include "cbm-viewer.h"

G_BEGIN_DECLS

#define CBM_TYPE_DOCUMENT_PAGE (cbm_document_page_get_type ())

G_DECLARE_FINAL_TYPE (CbmDocumentPage, cbm_document_page, CBM, DOCUMENT_PAGE, AdwBin)

void         cbm_document_page_open      (CbmDocumentPage *self,
                                          CbmDocument     *document,
                                          const char      *country_name,
                                          GSettings       *settings);
void         cbm_document_page_close     (CbmDocumentPage *self);
void         cbm_document_page_unlock    (CbmDocumentPage *self,
                                          const char      *password);
CbmDocument *cbm_document_page_get_document (CbmDocumentPage *self);
CbmPdfModel *cbm_document_page_get_model (CbmDocumentPage *self);
CbmPdfView  *cbm_document_page_get_view  (CbmDocumentPage *self);
const char  *cbm_document_page_get_state (CbmDocumentPage *self);
void         cbm_document_page_find      (CbmDocumentPage *self,
                                          const char      *text);
GListModel  *cbm_document_page_get_matches (CbmDocumentPage *self);
CbmPdfMatch *cbm_document_page_get_match (CbmDocumentPage *self,
                                          guint            index);
GtkPrintOperation *cbm_document_page_create_print_operation (CbmDocumentPage *self) G_GNUC_WARN_UNUSED_RESULT;
void         cbm_document_page_save_copy_async (CbmDocumentPage     *self,
                                                GFile               *destination,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
gboolean     cbm_document_page_save_copy_finish (CbmDocumentPage  *self,
                                                 GAsyncResult     *result,
                                                 GError          **error);

G_END_DECLS
