/* cbm-measure.h
 *
 * Copyright 2026 The CBM Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "cbm-enums.h"

G_BEGIN_DECLS

#define CBM_TYPE_MEASURE (cbm_measure_get_type ())

G_DECLARE_FINAL_TYPE (CbmMeasure, cbm_measure, CBM, MEASURE, GObject)

/* Where a country stands on one of the six CBMs; a record like CbmDocument. */
struct _CbmMeasure
{
  GObject           parent_instance;

  char             *country;
  guint             number;   /* 1 to 6 */
  CbmMeasureStatus  status;
  char            **evidence; /* document ids */
  char             *updated;  /* YYYY-MM-DD, or NULL */
};

CbmMeasure *cbm_measure_new (const char *country,
                             guint       number);

G_END_DECLS
