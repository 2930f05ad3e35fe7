/* cbm-event.h
 *
 * Copyright 2026 The CBM Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "cbm-enums.h"

G_BEGIN_DECLS

#define CBM_TYPE_EVENT (cbm_event_get_type ())

G_DECLARE_FINAL_TYPE (CbmEvent, cbm_event, CBM, EVENT, GObject)

/* A workshop, course or webinar; a record like CbmDocument. */
struct _CbmEvent
{
  GObject         parent_instance;

  char           *id;
  GVariant       *title;        /* a{ss} */
  GVariant       *description;  /* a{ss}, or NULL */
  GVariant       *audience;     /* a{ss}, or NULL */
  char           *organizer;
  char           *starts;       /* RFC 3339 */
  char           *ends;         /* RFC 3339, or NULL */
  char           *timezone;     /* IANA zone, or NULL */
  CbmModality     modality;
  char           *venue;        /* or NULL */
  CbmEligibility  eligibility;
  gboolean        has_registration;
  char           *deadline;     /* RFC 3339, or NULL */
  gint64          capacity;     /* 0 when not limited */
};

CbmEvent *cbm_event_new (void);

G_END_DECLS
