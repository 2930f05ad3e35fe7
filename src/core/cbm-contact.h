/* cbm-contact.h
 *
 * Copyright 2026 The CBM Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "cbm-enums.h"

G_BEGIN_DECLS

#define CBM_TYPE_CONTACT (cbm_contact_get_type ())

G_DECLARE_FINAL_TYPE (CbmContact, cbm_contact, CBM, CONTACT, GObject)

/* A point of contact; a record like CbmDocument. */
struct _CbmContact
{
  GObject             parent_instance;

  char               *id;
  char               *country;
  CbmContactCategory  category;
  char               *name;
  char               *position;
  char               *institution;
  char               *email;
  char               *phone;
  char              **languages;
  char               *verified;   /* YYYY-MM-DD, or NULL */
  char               *search_key; /* folded name, institution, position and e-mail */
};

CbmContact *cbm_contact_new        (void);
void        cbm_contact_update_key (CbmContact *self);
gboolean    cbm_contact_is_stale   (CbmContact *self,
                                    GDateTime  *now);

G_END_DECLS
