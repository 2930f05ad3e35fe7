/* cbm-measure.c
 *
 * Copyright 2026 The CBM Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cbm-measure.h"

G_DEFINE_FINAL_TYPE (CbmMeasure, cbm_measure, G_TYPE_OBJECT)

static void
cbm_measure_finalize (GObject *object)
{
  CbmMeasure *self = (CbmMeasure *)object;

  g_clear_pointer (&self->country, g_free);
  g_clear_pointer (&self->evidence, g_strfreev);
  g_clear_pointer (&self->updated, g_free);

  G_OBJECT_CLASS (cbm_measure_parent_class)->finalize (object);
}

static void
cbm_measure_class_init (CbmMeasureClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cbm_measure_finalize;
}

static void
cbm_measure_init (CbmMeasure *self)
{
  self->status = CBM_MEASURE_STATUS_UNKNOWN;
}

CbmMeasure *
cbm_measure_new (const char *country,
                 guint       number)
{
  CbmMeasure *self = g_object_new (CBM_TYPE_MEASURE, NULL);

  self->country = g_strdup (country);
  self->number = number;
  self->evidence = g_new0 (char *, 1);
  return self;
}
