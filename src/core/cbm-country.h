/* cbm-country.h
 *
 * Copyright 2026 The CBM Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "cbm-contact.h"
#include "cbm-document.h"
#include "cbm-enums.h"
#include "cbm-measure.h"

G_BEGIN_DECLS

#define CBM_TYPE_COUNTRY (cbm_country_get_type ())

G_DECLARE_FINAL_TYPE (CbmCountry, cbm_country, CBM, COUNTRY, GObject)

/* A member state with everything the repository says of it. A record like CbmDocument: the
 * feed reader fills it from a country file, the store from its tables. */
struct _CbmCountry
{
  GObject     parent_instance;

  char       *code;        /* ISO 3166-1 alpha-2 */
  GVariant   *names;       /* a{ss} */
  char       *updated;     /* RFC 3339, as the feed says */
  char       *synced_at;   /* RFC 3339: when the repository last confirmed it ("data as of") */
  char       *sha256;      /* of the country file this came from */
  char       *search_key;  /* folded names in every language, and the code */
  GListStore *documents;   /* CbmDocument */
  GListStore *contacts;    /* CbmContact */
  CbmMeasure *measures[CBM_N_MEASURES];
};

CbmCountry       *cbm_country_new                (const char      *code);
const char       *cbm_country_get_name           (CbmCountry      *self,
                                                  const char      *language);
void              cbm_country_update_key         (CbmCountry      *self);
CbmMeasure       *cbm_country_get_measure        (CbmCountry      *self,
                                                  guint            number);
CbmMeasureStatus  cbm_country_get_measure_status (CbmCountry      *self,
                                                  guint            number);
guint             cbm_country_get_coverage       (CbmCountry      *self);
gboolean          cbm_country_has_document_kind  (CbmCountry      *self,
                                                  CbmDocumentKind  kind);
CbmDocument      *cbm_country_find_document      (CbmCountry      *self,
                                                  const char      *id);

G_END_DECLS
