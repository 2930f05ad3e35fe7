/* cbm-document.h
 *
 * Copyright 2026 The CBM Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "cbm-enums.h"

G_BEGIN_DECLS

#define CBM_TYPE_DOCUMENT (cbm_document_get_type ())

G_DECLARE_FINAL_TYPE (CbmDocument, cbm_document, CBM, DOCUMENT, GObject)

/* A record: the fields are filled once by the feed reader or the store, then only read. They
 * are public so the many readers need no accessor per field. */
struct _CbmDocument
{
  GObject            parent_instance;

  char              *id;
  char              *country;
  CbmDocumentKind    kind;
  CbmDocumentStatus  status;
  char              *title;
  char              *language;
  char              *issuer;
  char              *date;      /* YYYY-MM-DD */
  GVariant          *summary;   /* a{ss} language map, or NULL */
  char              *href;      /* as in the feed, resolved against its country file */
  char              *sha256;
  guint64            bytes;
  char              *local_path; /* the verified PDF in the data folder, or NULL */
};

CbmDocument *cbm_document_new (void);

G_END_DECLS
