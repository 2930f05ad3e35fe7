/* cbm-pdf-error.c
 *
 * Copyright 2026 The CBM Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "cbm-pdf-error.h"

G_DEFINE_QUARK (cbm-pdf-error-quark, cbm_pdf_error)

/**
 * cbm_pdf_error_message:
 * @code: a #CbmPdfError
 *
 * Returns: (transfer none): a translated sentence for the user
 */
const char *
cbm_pdf_error_message (CbmPdfError code)
{
  switch (code)
    {
    case CBM_PDF_ERROR_UNREADABLE:
      return _("The document could not be read.");
    case CBM_PDF_ERROR_NOT_PDF:
      return _("The file is not a PDF document.");
    case CBM_PDF_ERROR_DAMAGED:
      return _("The document is damaged and cannot be shown.");
    case CBM_PDF_ERROR_NEEDS_PASSWORD:
      return _("The document is protected by a password.");
    case CBM_PDF_ERROR_BAD_PASSWORD:
      return _("The password is not correct.");
    case CBM_PDF_ERROR_TIMEOUT:
      return _("Rendering this page took too long and was stopped.");
    case CBM_PDF_ERROR_TOO_LARGE:
      return _("The document is too large to be shown.");
    case CBM_PDF_ERROR_CRASHED:
      return _("The document made the viewer fail and cannot be shown.");
    case CBM_PDF_ERROR_INVALID_PAGE:
      return _("This page does not exist or cannot be shown.");
    case CBM_PDF_ERROR_NO_DOCUMENT:
      return _("No document is open.");
    case CBM_PDF_ERROR_FAILED:
    default:
      return _("The document cannot be shown.");
    }
}

/**
 * cbm_pdf_error_new:
 * @code: a #CbmPdfError
 *
 * Returns: (transfer full): a #GError in %CBM_PDF_ERROR with the message for @code
 */
GError *
cbm_pdf_error_new (CbmPdfError code)
{
  if (code < CBM_PDF_ERROR_FAILED || code > CBM_PDF_ERROR_LAST)
    code = CBM_PDF_ERROR_FAILED;

  return g_error_new_literal (CBM_PDF_ERROR, code, cbm_pdf_error_message (code));
}
