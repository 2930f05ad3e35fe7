/* cbm-document.c
 *
 * Copyright 2026 The CBM Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cbm-document.h"

G_DEFINE_FINAL_TYPE (CbmDocument, cbm_document, G_TYPE_OBJECT)

static void
cbm_document_finalize (GObject *object)
{
  CbmDocument *self = (CbmDocument *)object;

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->country, g_free);
  g_clear_pointer (&self->title, g_free);
  g_clear_pointer (&self->language, g_free);
  g_clear_pointer (&self->issuer, g_free);
  g_clear_pointer (&self->date, g_free);
  g_clear_pointer (&self->summary, g_variant_unref);
  g_clear_pointer (&self->href, g_free);
  g_clear_pointer (&self->sha256, g_free);
  g_clear_pointer (&self->local_path, g_free);

  G_OBJECT_CLASS (cbm_document_parent_class)->finalize (object);
}

static void
cbm_document_class_init (CbmDocumentClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cbm_document_finalize;
}

static void
cbm_document_init (CbmDocument *self)
{
  self->kind = CBM_DOCUMENT_KIND_OTHER;
  self->status = CBM_DOCUMENT_STATUS_OTHER;
}

CbmDocument *
cbm_document_new (void)
{
  return g_object_new (CBM_TYPE_DOCUMENT, NULL);
}
