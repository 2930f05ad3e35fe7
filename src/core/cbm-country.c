/* cbm-country.c
 *
 * Copyright 2026 The CBM Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cbm-country.h"
#include "cbm-text.h"

G_DEFINE_FINAL_TYPE (CbmCountry, cbm_country, G_TYPE_OBJECT)

static void
cbm_country_finalize (GObject *object)
{
  CbmCountry *self = (CbmCountry *)object;

  g_clear_pointer (&self->code, g_free);
  g_clear_pointer (&self->names, g_variant_unref);
  g_clear_pointer (&self->updated, g_free);
  g_clear_pointer (&self->synced_at, g_free);
  g_clear_pointer (&self->sha256, g_free);
  g_clear_pointer (&self->search_key, g_free);
  g_clear_object (&self->documents);
  g_clear_object (&self->contacts);
  for (guint i = 0; i < CBM_N_MEASURES; i++)
    g_clear_object (&self->measures[i]);

  G_OBJECT_CLASS (cbm_country_parent_class)->finalize (object);
}

static void
cbm_country_class_init (CbmCountryClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cbm_country_finalize;
}

static void
cbm_country_init (CbmCountry *self)
{
  self->documents = g_list_store_new (CBM_TYPE_DOCUMENT);
  self->contacts = g_list_store_new (CBM_TYPE_CONTACT);
}

CbmCountry *
cbm_country_new (const char *code)
{
  CbmCountry *self = g_object_new (CBM_TYPE_COUNTRY, NULL);

  self->code = g_strdup (code);
  for (guint i = 0; i < CBM_N_MEASURES; i++)
    self->measures[i] = cbm_measure_new (code, i + 1);
  return self;
}

/**
 * cbm_country_get_name:
 * @self: a country
 * @language: the wanted language
 *
 * Returns: the name in @language, else English, else any; the code if there is no name
 */
const char *
cbm_country_get_name (CbmCountry *self,
                      const char *language)
{
  const char *name;

  g_return_val_if_fail (CBM_IS_COUNTRY (self), NULL);

  name = cbm_text_pick (self->names, language, NULL);
  return name != NULL ? name : self->code;
}

/* Search matches a name in any of the four languages, so every name goes into the key. */
void
cbm_country_update_key (CbmCountry *self)
{
  g_autoptr(GString) all = g_string_new (self->code);
  GVariantIter iter;
  const char *value;

  if (self->names != NULL)
    {
      g_variant_iter_init (&iter, self->names);
      while (g_variant_iter_next (&iter, "{&s&s}", NULL, &value))
        {
          g_string_append_c (all, ' ');
          g_string_append (all, value);
        }
    }

  g_free (self->search_key);
  self->search_key = cbm_text_fold (all->str);
}

CbmMeasure *
cbm_country_get_measure (CbmCountry *self,
                         guint       number)
{
  g_return_val_if_fail (CBM_IS_COUNTRY (self), NULL);
  g_return_val_if_fail (number >= 1 && number <= CBM_N_MEASURES, NULL);

  return self->measures[number - 1];
}

CbmMeasureStatus
cbm_country_get_measure_status (CbmCountry *self,
                                guint       number)
{
  CbmMeasure *measure = cbm_country_get_measure (self, number);

  return measure != NULL ? measure->status : CBM_MEASURE_STATUS_UNKNOWN;
}

/* How many of the six measures the country has fully implemented. */
guint
cbm_country_get_coverage (CbmCountry *self)
{
  guint count = 0;

  for (guint i = 1; i <= CBM_N_MEASURES; i++)
    if (cbm_country_get_measure_status (self, i) == CBM_MEASURE_STATUS_YES)
      count++;
  return count;
}

gboolean
cbm_country_has_document_kind (CbmCountry      *self,
                               CbmDocumentKind  kind)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->documents));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CbmDocument) document = g_list_model_get_item (G_LIST_MODEL (self->documents), i);

      if (document->kind == kind)
        return TRUE;
    }
  return FALSE;
}

CbmDocument *
cbm_country_find_document (CbmCountry *self,
                           const char *id)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->documents));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CbmDocument) document = g_list_model_get_item (G_LIST_MODEL (self->documents), i);

      if (g_strcmp0 (document->id, id) == 0)
        return document;
    }
  return NULL;
}
