/* cbm-registration.c
 *
 * Copyright 2026 The CBM Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "cbm-date.h"
#include "cbm-registration.h"

G_DEFINE_FINAL_TYPE (CbmRegistration, cbm_registration, G_TYPE_OBJECT)

static const char * const status_names[CBM_N_REGISTRATION_STATUSES] = {
  "draft", "queued", "sending", "received", "confirmed", "waitlisted", "declined", "failed",
  "failed-validation",
};

static void
cbm_registration_finalize (GObject *object)
{
  CbmRegistration *self = (CbmRegistration *)object;

  g_clear_pointer (&self->idempotency_key, g_free);
  g_clear_pointer (&self->event, g_free);
  g_clear_pointer (&self->country, g_free);
  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->position, g_free);
  g_clear_pointer (&self->institution, g_free);
  g_clear_pointer (&self->email, g_free);
  g_clear_pointer (&self->language, g_free);
  g_clear_pointer (&self->note, g_free);
  g_clear_pointer (&self->server_id, g_free);
  g_clear_pointer (&self->server_url, g_free);
  g_clear_pointer (&self->failure, g_free);
  g_clear_pointer (&self->field_errors, g_variant_unref);
  g_clear_pointer (&self->created, g_free);
  g_clear_pointer (&self->updated, g_free);

  G_OBJECT_CLASS (cbm_registration_parent_class)->finalize (object);
}

static void
cbm_registration_class_init (CbmRegistrationClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cbm_registration_finalize;
}

static void
cbm_registration_init (CbmRegistration *self)
{
  self->status = CBM_REGISTRATION_DRAFT;
}

CbmRegistration *
cbm_registration_new (void)
{
  return g_object_new (CBM_TYPE_REGISTRATION, NULL);
}

CbmRegistration *
cbm_registration_copy (CbmRegistration *self)
{
  CbmRegistration *copy = cbm_registration_new ();

  copy->local_id = self->local_id;
  copy->idempotency_key = g_strdup (self->idempotency_key);
  copy->event = g_strdup (self->event);
  copy->country = g_strdup (self->country);
  copy->name = g_strdup (self->name);
  copy->position = g_strdup (self->position);
  copy->institution = g_strdup (self->institution);
  copy->email = g_strdup (self->email);
  copy->government = self->government;
  copy->language = g_strdup (self->language);
  copy->note = g_strdup (self->note);
  copy->status = self->status;
  copy->server_id = g_strdup (self->server_id);
  copy->server_url = g_strdup (self->server_url);
  copy->failure = g_strdup (self->failure);
  copy->field_errors = self->field_errors ? g_variant_ref (self->field_errors) : NULL;
  copy->attempts = self->attempts;
  copy->next_attempt = self->next_attempt;
  copy->created = g_strdup (self->created);
  copy->updated = g_strdup (self->updated);
  return copy;
}

static void
add_field (GVariantBuilder *builder,
           const char      *key,
           const char      *value)
{
  g_variant_builder_add (builder, "{ss}", key, value != NULL ? value : "");
}

/**
 * cbm_registration_to_fields:
 *
 * Returns: (transfer floating): the form fields as an `a{ss}` map, as kept for a draft
 */
GVariant *
cbm_registration_to_fields (CbmRegistration *self)
{
  GVariantBuilder builder;

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a{ss}"));
  add_field (&builder, CBM_REGISTRATION_FIELD_EVENT, self->event);
  add_field (&builder, CBM_REGISTRATION_FIELD_COUNTRY, self->country);
  add_field (&builder, CBM_REGISTRATION_FIELD_NAME, self->name);
  add_field (&builder, CBM_REGISTRATION_FIELD_POSITION, self->position);
  add_field (&builder, CBM_REGISTRATION_FIELD_INSTITUTION, self->institution);
  add_field (&builder, CBM_REGISTRATION_FIELD_EMAIL, self->email);
  add_field (&builder, CBM_REGISTRATION_FIELD_GOVERNMENT, self->government ? "true" : "false");
  add_field (&builder, CBM_REGISTRATION_FIELD_LANGUAGE, self->language);
  add_field (&builder, CBM_REGISTRATION_FIELD_NOTE, self->note);
  return g_variant_builder_end (&builder);
}

static void
take_field (GVariant    *fields,
            const char  *key,
            char       **out)
{
  const char *value = NULL;

  if (g_variant_lookup (fields, key, "&s", &value))
    {
      g_free (*out);
      *out = g_strdup (value);
    }
}

/* Reads back what cbm_registration_to_fields() wrote; absent keys are left alone. */
void
cbm_registration_set_fields (CbmRegistration *self,
                             GVariant        *fields)
{
  const char *government = NULL;

  g_return_if_fail (g_variant_is_of_type (fields, G_VARIANT_TYPE ("a{ss}")));

  take_field (fields, CBM_REGISTRATION_FIELD_EVENT, &self->event);
  take_field (fields, CBM_REGISTRATION_FIELD_COUNTRY, &self->country);
  take_field (fields, CBM_REGISTRATION_FIELD_NAME, &self->name);
  take_field (fields, CBM_REGISTRATION_FIELD_POSITION, &self->position);
  take_field (fields, CBM_REGISTRATION_FIELD_INSTITUTION, &self->institution);
  take_field (fields, CBM_REGISTRATION_FIELD_EMAIL, &self->email);
  take_field (fields, CBM_REGISTRATION_FIELD_LANGUAGE, &self->language);
  take_field (fields, CBM_REGISTRATION_FIELD_NOTE, &self->note);
  if (g_variant_lookup (fields, CBM_REGISTRATION_FIELD_GOVERNMENT, "&s", &government))
    self->government = g_str_equal (government, "true");
}

/* Whether the registration counts as "registered for this event": anything but a failure. */
gboolean
cbm_registration_is_active (CbmRegistration *self)
{
  return self->status != CBM_REGISTRATION_FAILED &&
         self->status != CBM_REGISTRATION_FAILED_VALIDATION &&
         self->status != CBM_REGISTRATION_DECLINED &&
         self->status != CBM_REGISTRATION_DRAFT;
}

/* Whether the sender still has to deliver it. */
gboolean
cbm_registration_is_pending (CbmRegistration *self)
{
  return self->status == CBM_REGISTRATION_QUEUED || self->status == CBM_REGISTRATION_SENDING;
}

CbmRegistrationStatus
cbm_registration_status_from_string (const char *value)
{
  for (guint i = 0; i < CBM_N_REGISTRATION_STATUSES; i++)
    if (g_strcmp0 (value, status_names[i]) == 0)
      return i;
  return CBM_REGISTRATION_FAILED;
}

const char *
cbm_registration_status_to_string (CbmRegistrationStatus status)
{
  g_return_val_if_fail (status < CBM_N_REGISTRATION_STATUSES, "failed");
  return status_names[status];
}

const char *
cbm_registration_status_get_label (CbmRegistrationStatus status)
{
  switch (status)
    {
    case CBM_REGISTRATION_DRAFT:
      return C_("registration status", "Draft");
    case CBM_REGISTRATION_QUEUED:
      return C_("registration status", "Waiting to be sent");
    case CBM_REGISTRATION_SENDING:
      return C_("registration status", "Sending");
    case CBM_REGISTRATION_RECEIVED:
      return C_("registration status", "Received");
    case CBM_REGISTRATION_CONFIRMED:
      return C_("registration status", "Confirmed");
    case CBM_REGISTRATION_WAITLISTED:
      return C_("registration status", "On the waiting list");
    case CBM_REGISTRATION_DECLINED:
      return C_("registration status", "Declined");
    case CBM_REGISTRATION_FAILED:
      return C_("registration status", "Failed");
    case CBM_REGISTRATION_FAILED_VALIDATION:
      return C_("registration status", "Needs corrections");
    case CBM_N_REGISTRATION_STATUSES:
    default:
      return C_("registration status", "Unknown");
    }
}

/* A deliberately plain check: one "@", a non-empty local part, a dotted domain without spaces.
 * The server has the last word. */
gboolean
cbm_registration_email_is_valid (const char *email)
{
  const char *at, *dot;

  if (email == NULL || !g_utf8_validate (email, -1, NULL))
    return FALSE;
  for (const char *p = email; *p != '\0'; p++)
    if (g_ascii_isspace (*p) || *p == ',' || *p == ';' || *p == '<' || *p == '>')
      return FALSE;

  at = strchr (email, '@');
  if (at == NULL || at == email || strchr (at + 1, '@') != NULL)
    return FALSE;
  dot = strrchr (at + 1, '.');
  return dot != NULL && dot > at + 1 && dot[1] != '\0' && strstr (at, "..") == NULL;
}

/* Whether the event still takes registrations at @now: it has a registration, and its
 * deadline (when it has one) has not passed. */
gboolean
cbm_event_takes_registrations (CbmEvent  *event,
                               GDateTime *now)
{
  g_autoptr(GDateTime) deadline = NULL;

  if (event == NULL || !event->has_registration)
    return FALSE;
  if (event->deadline == NULL)
    return TRUE;
  deadline = cbm_date_time_parse (event->deadline);
  return deadline == NULL || g_date_time_compare (now, deadline) <= 0;
}

gboolean
cbm_event_requires_government (CbmEvent *event)
{
  return event != NULL && (event->eligibility == CBM_ELIGIBILITY_GOVERNMENT ||
                           event->eligibility == CBM_ELIGIBILITY_PUBLIC_OFFICIALS);
}

/* Whether a form's field is empty or only spaces. */
gboolean
cbm_registration_field_is_blank (const char *text)
{
  if (text == NULL)
    return TRUE;
  for (; *text != '\0'; text++)
    if (!g_ascii_isspace (*text))
      return FALSE;
  return TRUE;
}

/* Adds "This field is required." for @field to @errors when @value is blank. */
void
cbm_registration_require_field (GHashTable *errors,
                                const char *field,
                                const char *value)
{
  if (cbm_registration_field_is_blank (value))
    g_hash_table_insert (errors, (gpointer) field, g_strdup (_("This field is required.")));
}

/**
 * cbm_registration_validate:
 * @self: the fields as typed
 * @event: (nullable): the event they are for, or %NULL if it is not in the store
 * @now: the time to judge the deadline against
 * @already_registered: whether an active registration for this event exists
 *
 * The form's rules, without GTK, so the same rules are tested and shown as the user types.
 * They follow the protocol's server-side rules, plus the deadline and duplicates.
 *
 * Returns: (transfer full) (element-type utf8 utf8): field name → translated message; empty
 *   when the registration can be submitted
 */
GHashTable *
cbm_registration_validate (CbmRegistration *self,
                           CbmEvent        *event,
                           GDateTime       *now,
                           gboolean         already_registered)
{
  GHashTable *errors = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);

  g_return_val_if_fail (CBM_IS_REGISTRATION (self), errors);

  if (event == NULL)
    g_hash_table_insert (errors, CBM_REGISTRATION_FIELD_EVENT,
                         g_strdup (_("This event is no longer listed by the repository.")));
  else if (!event->has_registration)
    g_hash_table_insert (errors, CBM_REGISTRATION_FIELD_EVENT,
                         g_strdup (_("This event does not take registrations.")));
  else if (!cbm_event_takes_registrations (event, now))
    g_hash_table_insert (errors, CBM_REGISTRATION_FIELD_EVENT,
                         g_strdup (_("The registration deadline has passed.")));
  else if (already_registered)
    g_hash_table_insert (errors, CBM_REGISTRATION_FIELD_EVENT,
                         g_strdup (_("You are already registered for this event.")));

  if (cbm_registration_field_is_blank (self->country))
    g_hash_table_insert (errors, CBM_REGISTRATION_FIELD_COUNTRY,
                         g_strdup (_("Choose a member state.")));
  else if (strlen (self->country) != 2 || !g_ascii_isupper (self->country[0]) ||
           !g_ascii_isupper (self->country[1]))
    g_hash_table_insert (errors, CBM_REGISTRATION_FIELD_COUNTRY,
                         g_strdup (_("Choose a member state from the list.")));

  cbm_registration_require_field (errors, CBM_REGISTRATION_FIELD_NAME, self->name);
  cbm_registration_require_field (errors, CBM_REGISTRATION_FIELD_POSITION, self->position);
  cbm_registration_require_field (errors, CBM_REGISTRATION_FIELD_INSTITUTION, self->institution);

  if (cbm_registration_field_is_blank (self->email))
    cbm_registration_require_field (errors, CBM_REGISTRATION_FIELD_EMAIL, self->email);
  else if (!cbm_registration_email_is_valid (self->email))
    g_hash_table_insert (errors, CBM_REGISTRATION_FIELD_EMAIL,
                         g_strdup (_("This is not a valid e-mail address, such as name@example.org.")));

  if (cbm_event_requires_government (event) && !self->government)
    g_hash_table_insert (errors, CBM_REGISTRATION_FIELD_GOVERNMENT,
                         g_strdup (event->eligibility == CBM_ELIGIBILITY_GOVERNMENT
                                   ? _("This event is limited to government representatives: confirm that you are one.")
                                   : _("This event is limited to public officials: confirm that you are one.")));

  return errors;
}
