/* cbm-contact-query.h
 *
 * Copyright 2026 The CBM Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "cbm-contact.h"

G_BEGIN_DECLS

/* What the contact book shows: a typed search and the filters beside it. Kept out of the UI
 * so tests and benchmarks run the same match without a display. */
typedef struct _CbmContactQuery CbmContactQuery;

/* Any category. */
#define CBM_CONTACT_QUERY_ANY_CATEGORY (-1)

CbmContactQuery *cbm_contact_query_new           (void);
void             cbm_contact_query_free          (CbmContactQuery *self);
gboolean         cbm_contact_query_set_text      (CbmContactQuery *self,
                                                  const char      *text);
const char      *cbm_contact_query_get_text      (CbmContactQuery *self);
void             cbm_contact_query_set_category  (CbmContactQuery *self,
                                                  int              category);
void             cbm_contact_query_set_country   (CbmContactQuery *self,
                                                  const char      *code);
void             cbm_contact_query_set_stale_only (CbmContactQuery *self,
                                                   gboolean         stale_only);
void             cbm_contact_query_set_now       (CbmContactQuery *self,
                                                  GDateTime       *now);
gboolean         cbm_contact_query_is_filtering  (CbmContactQuery *self);
gboolean         cbm_contact_query_matches       (CbmContactQuery *self,
                                                  CbmContact      *contact,
                                                  const char      *country_key);

GDateTime       *cbm_contact_stale_reference     (GDateTime       *now) G_GNUC_WARN_UNUSED_RESULT;

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CbmContactQuery, cbm_contact_query_free)

G_END_DECLS
