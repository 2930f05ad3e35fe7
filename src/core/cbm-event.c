/* cbm-event.c
 *
 * Copyright 2026 The CBM Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cbm-event.h"

G_DEFINE_FINAL_TYPE (CbmEvent, cbm_event, G_TYPE_OBJECT)

static void
cbm_event_finalize (GObject *object)
{
  CbmEvent *self = (CbmEvent *)object;

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->title, g_variant_unref);
  g_clear_pointer (&self->description, g_variant_unref);
  g_clear_pointer (&self->audience, g_variant_unref);
  g_clear_pointer (&self->organizer, g_free);
  g_clear_pointer (&self->starts, g_free);
  g_clear_pointer (&self->ends, g_free);
  g_clear_pointer (&self->timezone, g_free);
  g_clear_pointer (&self->venue, g_free);
  g_clear_pointer (&self->deadline, g_free);

  G_OBJECT_CLASS (cbm_event_parent_class)->finalize (object);
}

static void
cbm_event_class_init (CbmEventClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cbm_event_finalize;
}

static void
cbm_event_init (CbmEvent *self)
{
  self->modality = CBM_MODALITY_OTHER;
  self->eligibility = CBM_ELIGIBILITY_OTHER;
}

CbmEvent *
cbm_event_new (void)
{
  return g_object_new (CBM_TYPE_EVENT, NULL);
}
