/* cbm-registration.h
 *
 * Copyright 2026 The CBM Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "cbm-event.h"

G_BEGIN_DECLS

typedef enum {
  CBM_REGISTRATION_DRAFT,
  CBM_REGISTRATION_QUEUED,
  CBM_REGISTRATION_SENDING,
  CBM_REGISTRATION_RECEIVED,
  CBM_REGISTRATION_CONFIRMED,
  CBM_REGISTRATION_WAITLISTED,
  CBM_REGISTRATION_DECLINED,
  CBM_REGISTRATION_FAILED,
  CBM_REGISTRATION_FAILED_VALIDATION,
  CBM_N_REGISTRATION_STATUSES
} CbmRegistrationStatus;

#define CBM_TYPE_REGISTRATION (cbm_registration_get_type ())

G_DECLARE_FINAL_TYPE (CbmRegistration, cbm_registration, CBM, REGISTRATION, GObject)

/* One registration of the outbox, or the fields of a form being filled in. A record: the
 * store makes a fresh object for each change. */
struct _CbmRegistration
{
  GObject                parent_instance;

  gint64                 local_id;        /* 0 until stored */
  char                  *idempotency_key; /* a UUID, made once per registration */
  char                  *event;
  char                  *country;
  char                  *name;
  char                  *position;
  char                  *institution;
  char                  *email;
  gboolean               government;
  char                  *language;
  char                  *note;

  CbmRegistrationStatus  status;
  char                  *server_id;
  char                  *server_url;      /* where to GET its status */
  char                  *failure;         /* why it failed, for the user */
  GVariant              *field_errors;    /* a{ss}: the server's per-field messages, or NULL */
  guint                  attempts;
  gint64                 next_attempt;    /* unix seconds; 0 = now */
  char                  *created;         /* RFC 3339 */
  char                  *updated;         /* RFC 3339 */
};

CbmRegistration       *cbm_registration_new                 (void);
CbmRegistration       *cbm_registration_copy                (CbmRegistration      *self) G_GNUC_WARN_UNUSED_RESULT;
GVariant              *cbm_registration_to_fields           (CbmRegistration      *self);
void                   cbm_registration_set_fields          (CbmRegistration      *self,
                                                             GVariant             *fields);
gboolean               cbm_registration_is_active           (CbmRegistration      *self);
gboolean               cbm_registration_is_pending          (CbmRegistration      *self);

CbmRegistrationStatus  cbm_registration_status_from_string  (const char           *value);
const char            *cbm_registration_status_to_string    (CbmRegistrationStatus status);
const char            *cbm_registration_status_get_label    (CbmRegistrationStatus status);

/* Field names, as in the protocol's JSON body. */
#define CBM_REGISTRATION_FIELD_EVENT       "event"
#define CBM_REGISTRATION_FIELD_COUNTRY     "country"
#define CBM_REGISTRATION_FIELD_NAME        "name"
#define CBM_REGISTRATION_FIELD_POSITION    "position"
#define CBM_REGISTRATION_FIELD_INSTITUTION "institution"
#define CBM_REGISTRATION_FIELD_EMAIL       "email"
#define CBM_REGISTRATION_FIELD_GOVERNMENT  "government"
#define CBM_REGISTRATION_FIELD_LANGUAGE    "language"
#define CBM_REGISTRATION_FIELD_NOTE        "note"

gboolean               cbm_registration_email_is_valid      (const char           *email);
gboolean               cbm_registration_field_is_blank      (const char           *text);
void                   cbm_registration_require_field       (GHashTable           *errors,
                                                             const char           *field,
                                                             const char           *value);
gboolean               cbm_event_takes_registrations        (CbmEvent             *event,
                                                             GDateTime            *now);
gboolean               cbm_event_requires_government        (CbmEvent             *event);
GHashTable            *cbm_registration_validate            (CbmRegistration      *self,
                                                             CbmEvent             *event,
                                                             GDateTime            *now,
                                                             gboolean              already_registered) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
