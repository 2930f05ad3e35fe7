/* cbm-pdf-error.h
 *
 * Copyright 2026 The CBM Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define CBM_PDF_ERROR (cbm_pdf_error_quark ())

/* The numeric values travel in the helper protocol: append only. */
typedef enum
{
  CBM_PDF_ERROR_FAILED = 1,
  CBM_PDF_ERROR_UNREADABLE,
  CBM_PDF_ERROR_NOT_PDF,
  CBM_PDF_ERROR_DAMAGED,
  CBM_PDF_ERROR_NEEDS_PASSWORD,
  CBM_PDF_ERROR_BAD_PASSWORD,
  CBM_PDF_ERROR_TIMEOUT,
  CBM_PDF_ERROR_TOO_LARGE,
  CBM_PDF_ERROR_CRASHED,
  CBM_PDF_ERROR_INVALID_PAGE,
  CBM_PDF_ERROR_NO_DOCUMENT,
} CbmPdfError;

#define CBM_PDF_ERROR_LAST CBM_PDF_ERROR_NO_DOCUMENT

GQuark      cbm_pdf_error_quark   (void);
const char *cbm_pdf_error_message (CbmPdfError code);
GError     *cbm_pdf_error_new     (CbmPdfError code) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
