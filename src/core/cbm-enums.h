/* cbm-enums.h
 *
 * Copyright 2026 The CBM Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The feed's enumerations. An unknown value read from a feed is kept as the OTHER/UNKNOWN
 * member, as the protocol asks, so a record is never dropped for it. */

typedef enum {
  CBM_DOCUMENT_KIND_STRATEGY,
  CBM_DOCUMENT_KIND_LAW,
  CBM_DOCUMENT_KIND_POLICY,
  CBM_DOCUMENT_KIND_WHITE_PAPER,
  CBM_DOCUMENT_KIND_OTHER,
  CBM_N_DOCUMENT_KINDS
} CbmDocumentKind;

typedef enum {
  CBM_DOCUMENT_STATUS_ADOPTED,
  CBM_DOCUMENT_STATUS_DRAFT,
  CBM_DOCUMENT_STATUS_OTHER,
  CBM_N_DOCUMENT_STATUSES
} CbmDocumentStatus;

typedef enum {
  CBM_CONTACT_CATEGORY_POLITICAL,
  CBM_CONTACT_CATEGORY_FOREIGN_AFFAIRS,
  CBM_CONTACT_CATEGORY_OTHER,
  CBM_N_CONTACT_CATEGORIES
} CbmContactCategory;

typedef enum {
  CBM_MEASURE_STATUS_YES,
  CBM_MEASURE_STATUS_PARTIAL,
  CBM_MEASURE_STATUS_NO,
  CBM_MEASURE_STATUS_UNKNOWN,
  CBM_N_MEASURE_STATUSES
} CbmMeasureStatus;

typedef enum {
  CBM_MODALITY_ONLINE,
  CBM_MODALITY_IN_PERSON,
  CBM_MODALITY_HYBRID,
  CBM_MODALITY_OTHER,
  CBM_N_MODALITIES
} CbmModality;

typedef enum {
  CBM_ELIGIBILITY_GOVERNMENT,
  CBM_ELIGIBILITY_PUBLIC_OFFICIALS,
  CBM_ELIGIBILITY_OPEN,
  CBM_ELIGIBILITY_OTHER,
  CBM_N_ELIGIBILITIES
} CbmEligibility;

/* The six agreed confidence-building measures are numbered 1 to 6. */
#define CBM_N_MEASURES 6

CbmDocumentKind    cbm_document_kind_from_string      (const char        *value);
const char        *cbm_document_kind_to_string        (CbmDocumentKind    kind);
const char        *cbm_document_kind_get_label        (CbmDocumentKind    kind);

CbmDocumentStatus  cbm_document_status_from_string    (const char        *value);
const char        *cbm_document_status_to_string      (CbmDocumentStatus  status);
const char        *cbm_document_status_get_label      (CbmDocumentStatus  status);

CbmContactCategory cbm_contact_category_from_string   (const char        *value);
const char        *cbm_contact_category_to_string     (CbmContactCategory category);
const char        *cbm_contact_category_get_label     (CbmContactCategory category);

CbmMeasureStatus   cbm_measure_status_from_string     (const char        *value);
const char        *cbm_measure_status_to_string       (CbmMeasureStatus   status);
const char        *cbm_measure_status_get_label       (CbmMeasureStatus   status);

CbmModality        cbm_modality_from_string           (const char        *value);
const char        *cbm_modality_to_string             (CbmModality        modality);
const char        *cbm_modality_get_label             (CbmModality        modality);

CbmEligibility     cbm_eligibility_from_string        (const char        *value);
const char        *cbm_eligibility_to_string          (CbmEligibility     eligibility);
const char        *cbm_eligibility_get_label          (CbmEligibility     eligibility);

const char        *cbm_measure_get_title              (guint              number);
const char        *cbm_measure_get_description        (guint              number);

G_END_DECLS
