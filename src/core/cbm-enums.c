/* cbm-enums.c
 *
 * Copyright 2026 The CBM Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cbm-enums.h"

/* Each table lists the feed's spelling, in enum order, ending with the catch-all. */
static const char * const document_kinds[] = { "strategy", "law", "policy", "white-paper", "other" };
static const char * const document_statuses[] = { "adopted", "draft", "other" };
static const char * const contact_categories[] = { "political", "foreign-affairs", "other" };
static const char * const measure_statuses[] = { "yes", "partial", "no", "unknown" };
static const char * const modalities[] = { "online", "in-person", "hybrid", "other" };
static const char * const eligibilities[] = { "government", "public-officials", "open", "other" };

static guint
lookup (const char * const *names,
        guint               n_names,
        const char         *value)
{
  for (guint i = 0; value != NULL && i < n_names; i++)
    if (g_str_equal (names[i], value))
      return i;
  return n_names - 1;
}

#define DEFINE_ENUM_STRINGS(Type, prefix, table)                  \
  Type                                                            \
  prefix##_from_string (const char *value)                        \
  {                                                               \
    return (Type) lookup (table, G_N_ELEMENTS (table), value);    \
  }                                                               \
                                                                  \
  const char *                                                    \
  prefix##_to_string (Type value)                                 \
  {                                                               \
    g_return_val_if_fail ((guint) value < G_N_ELEMENTS (table),   \
                          table[G_N_ELEMENTS (table) - 1]);       \
    return table[value];                                          \
  }

DEFINE_ENUM_STRINGS (CbmDocumentKind, cbm_document_kind, document_kinds)
DEFINE_ENUM_STRINGS (CbmDocumentStatus, cbm_document_status, document_statuses)
DEFINE_ENUM_STRINGS (CbmContactCategory, cbm_contact_category, contact_categories)
DEFINE_ENUM_STRINGS (CbmMeasureStatus, cbm_measure_status, measure_statuses)
DEFINE_ENUM_STRINGS (CbmModality, cbm_modality, modalities)
DEFINE_ENUM_STRINGS (CbmEligibility, cbm_eligibility, eligibilities)

const char *
cbm_document_kind_get_label (CbmDocumentKind kind)
{
  switch (kind)
    {
    case CBM_DOCUMENT_KIND_STRATEGY:
      return _("Strategy");
    case CBM_DOCUMENT_KIND_LAW:
      return _("Law");
    case CBM_DOCUMENT_KIND_POLICY:
      return _("Policy");
    case CBM_DOCUMENT_KIND_WHITE_PAPER:
      return _("White paper");
    case CBM_DOCUMENT_KIND_OTHER:
    case CBM_N_DOCUMENT_KINDS:
    default:
      return C_("document kind", "Other");
    }
}

const char *
cbm_document_status_get_label (CbmDocumentStatus status)
{
  switch (status)
    {
    case CBM_DOCUMENT_STATUS_ADOPTED:
      return C_("document status", "Adopted");
    case CBM_DOCUMENT_STATUS_DRAFT:
      return C_("document status", "Draft");
    case CBM_DOCUMENT_STATUS_OTHER:
    case CBM_N_DOCUMENT_STATUSES:
    default:
      return C_("document status", "Unknown status");
    }
}

const char *
cbm_contact_category_get_label (CbmContactCategory category)
{
  switch (category)
    {
    case CBM_CONTACT_CATEGORY_POLITICAL:
      return _("Political level");
    case CBM_CONTACT_CATEGORY_FOREIGN_AFFAIRS:
      return _("Foreign affairs");
    case CBM_CONTACT_CATEGORY_OTHER:
    case CBM_N_CONTACT_CATEGORIES:
    default:
      return C_("contact category", "Other");
    }
}

const char *
cbm_measure_status_get_label (CbmMeasureStatus status)
{
  switch (status)
    {
    case CBM_MEASURE_STATUS_YES:
      /* Translators: a confidence-building measure is implemented. */
      return C_("measure status", "Implemented");
    case CBM_MEASURE_STATUS_PARTIAL:
      return C_("measure status", "Partially implemented");
    case CBM_MEASURE_STATUS_NO:
      return C_("measure status", "Not implemented");
    case CBM_MEASURE_STATUS_UNKNOWN:
    case CBM_N_MEASURE_STATUSES:
    default:
      return C_("measure status", "No information");
    }
}

const char *
cbm_modality_get_label (CbmModality modality)
{
  switch (modality)
    {
    case CBM_MODALITY_ONLINE:
      return _("Online");
    case CBM_MODALITY_IN_PERSON:
      return _("In person");
    case CBM_MODALITY_HYBRID:
      return _("Hybrid");
    case CBM_MODALITY_OTHER:
    case CBM_N_MODALITIES:
    default:
      return C_("modality", "Other");
    }
}

const char *
cbm_eligibility_get_label (CbmEligibility eligibility)
{
  switch (eligibility)
    {
    case CBM_ELIGIBILITY_GOVERNMENT:
      return _("Government representatives only");
    case CBM_ELIGIBILITY_PUBLIC_OFFICIALS:
      return _("Public officials only");
    case CBM_ELIGIBILITY_OPEN:
      return _("Open to everyone");
    case CBM_ELIGIBILITY_OTHER:
    case CBM_N_ELIGIBILITIES:
    default:
      return _("Eligibility not stated");
    }
}

const char *
cbm_measure_get_title (guint number)
{
  switch (number)
    {
    case 1:
      return _("National policies and laws published");
    case 2:
      return _("Political-level point of contact");
    case 3:
      return _("Point of contact in the Ministry of Foreign Affairs");
    case 4:
      return _("Capacity building");
    case 5:
      return _("Cyber topics in diplomats’ training");
    case 6:
      return _("Cooperation and exchange of best practices");
    default:
      g_return_val_if_reached (NULL);
    }
}

const char *
cbm_measure_get_description (guint number)
{
  switch (number)
    {
    case 1:
      return _("Provide information on national cybersecurity policies, strategies, white papers, legal frameworks and other relevant documents.");
    case 2:
      return _("Designate a national point of contact at the political level to discuss the implications of hemispheric cyber threats.");
    case 3:
      return _("Designate points of contact in the Ministries of Foreign Affairs to facilitate cooperation and dialogue on cybersecurity.");
    case 4:
      return _("Develop and strengthen capacity through seminars, workshops and training programs.");
    case 5:
      return _("Include cyber topics in the training of diplomats and officials.");
    case 6:
      return _("Foster cooperation and the exchange of best practices in cyber diplomacy, cybersecurity and cyberspace.");
    default:
      g_return_val_if_reached (NULL);
    }
}
