/* cbm-contact-query.c
 *
 * Copyright 2026 The CBM Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "cbm-contact-query.h"
#include "cbm-text.h"

struct _CbmContactQuery
{
  char      *text;        /* folded */
  char     **words;       /* of text, without empty ones */
  int        category;
  char      *country;
  gboolean   stale_only;
  GDateTime *today;
};

CbmContactQuery *
cbm_contact_query_new (void)
{
  CbmContactQuery *self = g_new0 (CbmContactQuery, 1);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  self->text = g_strdup ("");
  self->words = g_new0 (char *, 1);
  self->category = CBM_CONTACT_QUERY_ANY_CATEGORY;
  self->today = cbm_contact_stale_reference (now);
  return self;
}

void
cbm_contact_query_free (CbmContactQuery *self)
{
  if (self == NULL)
    return;
  g_free (self->text);
  g_strfreev (self->words);
  g_free (self->country);
  g_date_time_unref (self->today);
  g_free (self);
}

/**
 * cbm_contact_query_set_text:
 * @text: (nullable): what the user typed
 *
 * Returns: whether the folded text changed
 */
gboolean
cbm_contact_query_set_text (CbmContactQuery *self,
                            const char      *text)
{
  g_autofree char *folded = cbm_text_fold (text);
  g_auto(GStrv) parts = NULL;
  GPtrArray *words;

  if (g_str_equal (folded, self->text))
    return FALSE;

  /* Split once per keystroke, not once per contact. */
  parts = g_strsplit_set (folded, " \t\n", -1);
  words = g_ptr_array_new ();
  for (guint i = 0; parts[i] != NULL; i++)
    if (*parts[i] != '\0')
      g_ptr_array_add (words, g_strdup (parts[i]));
  g_ptr_array_add (words, NULL);

  g_strfreev (self->words);
  self->words = (char **) g_ptr_array_free (words, FALSE);
  g_free (self->text);
  self->text = g_steal_pointer (&folded);
  return TRUE;
}

/* Returns: the text, folded */
const char *
cbm_contact_query_get_text (CbmContactQuery *self)
{
  return self->text;
}

/* @category: a #CbmContactCategory or %CBM_CONTACT_QUERY_ANY_CATEGORY */
void
cbm_contact_query_set_category (CbmContactQuery *self,
                                int              category)
{
  self->category = category;
}

/* @code: (nullable): a country code, or %NULL for every country */
void
cbm_contact_query_set_country (CbmContactQuery *self,
                               const char      *code)
{
  g_free (self->country);
  self->country = code != NULL && *code != '\0' ? g_strdup (code) : NULL;
}

void
cbm_contact_query_set_stale_only (CbmContactQuery *self,
                                  gboolean         stale_only)
{
  self->stale_only = !!stale_only;
}

/* The day the twelve-month rule is measured from; tests set it. */
void
cbm_contact_query_set_now (CbmContactQuery *self,
                           GDateTime       *now)
{
  g_date_time_unref (self->today);
  self->today = cbm_contact_stale_reference (now);
}

/* Whether anything besides the text narrows the list. */
gboolean
cbm_contact_query_is_filtering (CbmContactQuery *self)
{
  return self->category != CBM_CONTACT_QUERY_ANY_CATEGORY || self->country != NULL ||
         self->stale_only;
}

/**
 * cbm_contact_query_matches:
 * @contact: a contact
 * @country_key: (nullable): the folded names of the contact's country, in every language
 *
 * Every word typed must occur in the contact's name, institution, position or e-mail, or in
 * its country's names; and the contact must pass every filter.
 */
gboolean
cbm_contact_query_matches (CbmContactQuery *self,
                           CbmContact      *contact,
                           const char      *country_key)
{
  if (self->category != CBM_CONTACT_QUERY_ANY_CATEGORY && (int) contact->category != self->category)
    return FALSE;
  if (self->country != NULL && g_strcmp0 (contact->country, self->country) != 0)
    return FALSE;

  for (guint i = 0; self->words[i] != NULL; i++)
    if ((contact->search_key == NULL || strstr (contact->search_key, self->words[i]) == NULL) &&
        (country_key == NULL || strstr (country_key, self->words[i]) == NULL))
      return FALSE;

  /* Last: the date parse is the dearest test. */
  if (self->stale_only && !cbm_contact_is_stale (contact, self->today))
    return FALSE;
  return TRUE;
}

/**
 * cbm_contact_stale_reference:
 * @now: the current time
 *
 * Verification dates are days, so the twelve-month rule compares days: this gives midnight UTC
 * of @now's calendar day, to pass to cbm_contact_is_stale(). A contact verified on 10 May 2025
 * is then current through 10 May 2026 and possibly out of date from 11 May 2026.
 *
 * Returns: the reference time
 */
GDateTime *
cbm_contact_stale_reference (GDateTime *now)
{
  return g_date_time_new_utc (g_date_time_get_year (now), g_date_time_get_month (now),
                              g_date_time_get_day_of_month (now), 0, 0, 0);
}
