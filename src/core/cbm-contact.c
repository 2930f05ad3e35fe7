/* cbm-contact.c
 *
 * Copyright 2026 The CBM Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cbm-contact.h"
#include "cbm-date.h"
#include "cbm-text.h"

G_DEFINE_FINAL_TYPE (CbmContact, cbm_contact, G_TYPE_OBJECT)

static void
cbm_contact_finalize (GObject *object)
{
  CbmContact *self = (CbmContact *)object;

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->country, g_free);
  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->position, g_free);
  g_clear_pointer (&self->institution, g_free);
  g_clear_pointer (&self->email, g_free);
  g_clear_pointer (&self->phone, g_free);
  g_clear_pointer (&self->languages, g_strfreev);
  g_clear_pointer (&self->verified, g_free);
  g_clear_pointer (&self->search_key, g_free);

  G_OBJECT_CLASS (cbm_contact_parent_class)->finalize (object);
}

static void
cbm_contact_class_init (CbmContactClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cbm_contact_finalize;
}

static void
cbm_contact_init (CbmContact *self)
{
  self->category = CBM_CONTACT_CATEGORY_OTHER;
}

CbmContact *
cbm_contact_new (void)
{
  return g_object_new (CBM_TYPE_CONTACT, NULL);
}

void
cbm_contact_update_key (CbmContact *self)
{
  g_autofree char *joined = NULL;

  g_return_if_fail (CBM_IS_CONTACT (self));

  joined = g_strjoin (" ", self->name ? self->name : "",
                      self->institution ? self->institution : "",
                      self->position ? self->position : "",
                      self->email ? self->email : "", NULL);
  g_free (self->search_key);
  self->search_key = cbm_text_fold (joined);
}

/**
 * cbm_contact_is_stale:
 * @self: a contact
 * @now: the current time
 *
 * A contact whose verification is more than twelve months old, or unknown, may be out of date.
 */
gboolean
cbm_contact_is_stale (CbmContact *self,
                      GDateTime  *now)
{
  g_autoptr(GDateTime) verified = NULL;
  g_autoptr(GDateTime) limit = NULL;

  g_return_val_if_fail (CBM_IS_CONTACT (self), FALSE);

  verified = cbm_date_parse (self->verified);
  if (verified == NULL)
    return TRUE;

  limit = g_date_time_add_months (now, -12);
  return g_date_time_compare (verified, limit) < 0;
}
