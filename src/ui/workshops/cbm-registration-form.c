/* cbm-registration-form.c
 *
 * Copyright 2026 The CBM Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "cbm-registration-form.h"

/* The registration form. What is typed is saved as a draft (debounced) so a crash loses
 * nothing; the rules are cbm_registration_validate()'s, shown per field as the user types
 * (a required field only once it was touched, or after a submit attempt); Submit puts the
 * registration in the durable outbox and only then says it is saved. */

#define DRAFT_DELAY_MS 400

struct _CbmRegistrationForm
{
  AdwWindow        parent_instance;

  CbmStore        *store;
  GSettings       *settings;
  CbmEvent        *event;
  gint64           correction_id;
  GPtrArray       *country_codes;
  GHashTable      *touched;
  GVariant        *server_errors;    /* a{ss} from the server, until the field changes */
  guint            draft_id;
  gboolean         loading;
  gboolean         show_all;
  gboolean         submitting;

  GtkLabel        *event_title;
  GtkLabel        *event_details;
  GtkLabel        *event_error;
  GtkWidget       *submit_button;
  GtkDropDown     *country_field;
  GtkLabel        *country_error;
  GtkEntry        *name_field;
  GtkLabel        *name_error;
  GtkEntry        *position_field;
  GtkLabel        *position_error;
  GtkEntry        *institution_field;
  GtkLabel        *institution_error;
  GtkEntry        *email_field;
  GtkLabel        *email_error;
  GtkCheckButton  *government_field;
  GtkLabel        *government_error;
  GtkDropDown     *language_field;
  GtkLabel        *language_error;
  GtkEntry        *note_field;
  GtkLabel        *note_error;
};

G_DEFINE_FINAL_TYPE (CbmRegistrationForm, cbm_registration_form, ADW_TYPE_WINDOW)

enum {
  SUBMITTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Helpers. */

static const char *
entry_text (GtkEntry *entry)
{
  return gtk_editable_get_text (GTK_EDITABLE (entry));
}

static CbmRegistration *
read_fields (CbmRegistrationForm *self)
{
  CbmRegistration *r = cbm_registration_new ();
  guint country = gtk_drop_down_get_selected (self->country_field);
  guint language = gtk_drop_down_get_selected (self->language_field);
  char *trimmed;

  r->event = g_strdup (self->event->id);
  if (country != GTK_INVALID_LIST_POSITION && country < self->country_codes->len)
    r->country = g_strdup (g_ptr_array_index (self->country_codes, country));
#define TAKE(field, entry) trimmed = g_strdup (entry_text (entry)); r->field = g_strstrip (trimmed)
  TAKE (name, self->name_field);
  TAKE (position, self->position_field);
  TAKE (institution, self->institution_field);
  TAKE (email, self->email_field);
  TAKE (note, self->note_field);
#undef TAKE
  r->government = gtk_check_button_get_active (self->government_field);
  if (language != GTK_INVALID_LIST_POSITION && language < CBM_N_LANGUAGES)
    r->language = g_strdup (cbm_languages[language]);
  return r;
}

static void
select_code (GtkDropDown *dropdown,
             GPtrArray   *codes,
             const char  *code)
{
  for (guint i = 0; code != NULL && i < codes->len; i++)
    if (g_str_equal (g_ptr_array_index (codes, i), code))
      {
        gtk_drop_down_set_selected (dropdown, i);
        return;
      }
}

static void
select_language (CbmRegistrationForm *self,
                 const char          *code)
{
  for (guint i = 0; code != NULL && i < CBM_N_LANGUAGES; i++)
    if (g_str_equal (cbm_languages[i], code))
      gtk_drop_down_set_selected (self->language_field, i);
}

static void
apply_fields (CbmRegistrationForm *self,
              CbmRegistration     *r)
{
  self->loading = TRUE;
  select_code (self->country_field, self->country_codes, r->country);
  if (r->name != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->name_field), r->name);
  if (r->position != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->position_field), r->position);
  if (r->institution != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->institution_field), r->institution);
  if (r->email != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->email_field), r->email);
  if (r->note != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->note_field), r->note);
  gtk_check_button_set_active (self->government_field, r->government);
  if (r->language != NULL && *r->language != '\0')
    select_language (self, r->language);
  self->loading = FALSE;
}

static void
show_error (GtkLabel   *label,
            GtkWidget  *field,
            const char *message)
{
  gtk_label_set_text (label, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (label), message != NULL);
  if (message != NULL)
    {
      gtk_widget_add_css_class (field, "error");
      gtk_accessible_update_property (GTK_ACCESSIBLE (field), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                      message, -1);
      gtk_accessible_update_state (GTK_ACCESSIBLE (field), GTK_ACCESSIBLE_STATE_INVALID,
                                   GTK_ACCESSIBLE_INVALID_TRUE, -1);
    }
  else
    {
      gtk_widget_remove_css_class (field, "error");
      gtk_accessible_reset_property (GTK_ACCESSIBLE (field), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
      gtk_accessible_reset_state (GTK_ACCESSIBLE (field), GTK_ACCESSIBLE_STATE_INVALID);
    }
}

/* Shows the rules' messages; returns whether the registration can be submitted. */
static gboolean
validate (CbmRegistrationForm *self)
{
  g_autoptr(CbmRegistration) r = read_fields (self);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GHashTable) errors = NULL;
  gboolean registered = cbm_store_is_registered (self->store, self->event->id);
  struct {
    const char *name;
    GtkLabel   *label;
    GtkWidget  *field;
  } fields[] = {
    { CBM_REGISTRATION_FIELD_COUNTRY, self->country_error, GTK_WIDGET (self->country_field) },
    { CBM_REGISTRATION_FIELD_NAME, self->name_error, GTK_WIDGET (self->name_field) },
    { CBM_REGISTRATION_FIELD_POSITION, self->position_error, GTK_WIDGET (self->position_field) },
    { CBM_REGISTRATION_FIELD_INSTITUTION, self->institution_error, GTK_WIDGET (self->institution_field) },
    { CBM_REGISTRATION_FIELD_EMAIL, self->email_error, GTK_WIDGET (self->email_field) },
    { CBM_REGISTRATION_FIELD_GOVERNMENT, self->government_error, GTK_WIDGET (self->government_field) },
    { CBM_REGISTRATION_FIELD_LANGUAGE, self->language_error, GTK_WIDGET (self->language_field) },
    { CBM_REGISTRATION_FIELD_NOTE, self->note_error, GTK_WIDGET (self->note_field) },
  };
  const char *event_message;

  /* A correction replaces its failed registration, which does not count as registered. */
  errors = cbm_registration_validate (r, self->event, now, registered);

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      const char *message = g_hash_table_lookup (errors, fields[i].name);
      const char *server = NULL;

      if (self->server_errors != NULL)
        g_variant_lookup (self->server_errors, fields[i].name, "&s", &server);
      if (message == NULL && server != NULL)
        message = server;
      if (!self->show_all && !g_hash_table_contains (self->touched, fields[i].name) && server == NULL)
        message = NULL;
      show_error (fields[i].label, fields[i].field, message);
    }

  event_message = g_hash_table_lookup (errors, CBM_REGISTRATION_FIELD_EVENT);
  gtk_label_set_text (self->event_error, event_message ? event_message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->event_error), event_message != NULL);
  /* Submit stays available for the other fields, so it can show what is missing; only a
   * closed or duplicate registration cannot be submitted at all. */
  gtk_widget_set_sensitive (self->submit_button, event_message == NULL && !self->submitting);

  return g_hash_table_size (errors) == 0;
}

static void
draft_saved_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!cbm_store_save_draft_finish (CBM_STORE (source), result, &error))
    g_warning ("Could not save the registration draft: %s", error->message);
}

static void
save_draft (CbmRegistrationForm *self)
{
  g_autoptr(CbmRegistration) r = read_fields (self);

  g_clear_handle_id (&self->draft_id, g_source_remove);
  cbm_store_save_draft_async (self->store, self->event->id, cbm_registration_to_fields (r), NULL,
                              draft_saved_cb, NULL);
}

static gboolean
draft_timeout_cb (gpointer user_data)
{
  CbmRegistrationForm *self = user_data;

  self->draft_id = 0;
  save_draft (self);
  return G_SOURCE_REMOVE;
}

static const char *
field_name_of (CbmRegistrationForm *self,
               GtkWidget           *widget)
{
  if (widget == GTK_WIDGET (self->country_field))
    return CBM_REGISTRATION_FIELD_COUNTRY;
  if (widget == GTK_WIDGET (self->name_field))
    return CBM_REGISTRATION_FIELD_NAME;
  if (widget == GTK_WIDGET (self->position_field))
    return CBM_REGISTRATION_FIELD_POSITION;
  if (widget == GTK_WIDGET (self->institution_field))
    return CBM_REGISTRATION_FIELD_INSTITUTION;
  if (widget == GTK_WIDGET (self->email_field))
    return CBM_REGISTRATION_FIELD_EMAIL;
  if (widget == GTK_WIDGET (self->government_field))
    return CBM_REGISTRATION_FIELD_GOVERNMENT;
  if (widget == GTK_WIDGET (self->language_field))
    return CBM_REGISTRATION_FIELD_LANGUAGE;
  return CBM_REGISTRATION_FIELD_NOTE;
}

/* Callbacks. */

static void
field_changed_cb (CbmRegistrationForm *self,
                  GParamSpec          *pspec,
                  GtkWidget           *widget)
{
  /* "changed" and "toggled" have no pspec argument: the widget arrives first. */
  GtkWidget *field = GTK_IS_WIDGET (pspec) ? GTK_WIDGET (pspec) : widget;
  const char *name;

  if (self->loading || field == NULL)
    return;

  name = field_name_of (self, field);
  g_hash_table_add (self->touched, (gpointer) name);
  /* The server's message for a field goes once the user changes that field. */
  if (self->server_errors != NULL && g_variant_lookup (self->server_errors, name, "&s", NULL))
    {
      GVariantBuilder builder;
      GVariantIter iter;
      const char *key, *value;

      g_variant_builder_init (&builder, G_VARIANT_TYPE ("a{ss}"));
      g_variant_iter_init (&iter, self->server_errors);
      while (g_variant_iter_next (&iter, "{&s&s}", &key, &value))
        if (!g_str_equal (key, name))
          g_variant_builder_add (&builder, "{ss}", key, value);
      g_clear_pointer (&self->server_errors, g_variant_unref);
      self->server_errors = g_variant_ref_sink (g_variant_builder_end (&builder));
    }

  validate (self);
  g_clear_handle_id (&self->draft_id, g_source_remove);
  self->draft_id = g_timeout_add (DRAFT_DELAY_MS, draft_timeout_cb, self);
}

static void
draft_loaded_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(CbmRegistrationForm) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) fields = cbm_store_load_draft_finish (CBM_STORE (source), result, &error);

  if (error != NULL)
    g_warning ("Could not read the registration draft: %s", error->message);
  if (fields != NULL && self->correction_id == 0)
    {
      g_autoptr(CbmRegistration) draft = cbm_registration_new ();

      cbm_registration_set_fields (draft, fields);
      apply_fields (self, draft);
      /* A draft is the user's own typing: show what it still lacks. */
      self->show_all = TRUE;
    }
  validate (self);
}

static void
withdrawn_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!cbm_store_withdraw_registration_finish (CBM_STORE (source), result, &error))
    g_debug ("The corrected registration stays: %s", error->message);
}

static void
submitted_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(CbmRegistrationForm) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(CbmRegistration) stored = cbm_store_submit_registration_finish (CBM_STORE (source), result, &error);

  self->submitting = FALSE;
  if (stored == NULL)
    {
      gtk_label_set_text (self->event_error, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->event_error), TRUE);
      gtk_widget_set_sensitive (self->submit_button, TRUE);
      return;
    }

  /* The corrected registration replaces the one the server refused. */
  if (self->correction_id != 0)
    cbm_store_withdraw_registration_async (self->store, self->correction_id, NULL, withdrawn_cb, NULL);

  /* The next form starts from this one. */
  g_settings_delay (self->settings);
  g_settings_set_string (self->settings, "profile-name", stored->name);
  g_settings_set_string (self->settings, "profile-position", stored->position);
  g_settings_set_string (self->settings, "profile-institution", stored->institution);
  g_settings_set_string (self->settings, "profile-email", stored->email);
  g_settings_set_string (self->settings, "profile-country", stored->country);
  g_settings_set_string (self->settings, "profile-language", stored->language ? stored->language : "");
  g_settings_apply (self->settings);

  g_signal_emit (self, signals[SUBMITTED], 0, stored);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
submit_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  CbmRegistrationForm *self = CBM_REGISTRATION_FORM (widget);
  g_autoptr(CbmRegistration) r = NULL;

  if (self->submitting)
    return;
  self->show_all = TRUE;
  if (!validate (self))
    return;

  /* Typing stops mattering: the submit removes the draft in its own transaction. */
  g_clear_handle_id (&self->draft_id, g_source_remove);
  r = read_fields (self);
  self->submitting = TRUE;
  gtk_widget_set_sensitive (self->submit_button, FALSE);
  cbm_store_submit_registration_async (self->store, r, NULL, submitted_cb, g_object_ref (self));
}

static gboolean
cbm_registration_form_close_request (GtkWindow *window)
{
  CbmRegistrationForm *self = CBM_REGISTRATION_FORM (window);

  /* Whatever was typed since the last save is kept. */
  if (self->draft_id != 0)
    save_draft (self);
  return GTK_WINDOW_CLASS (cbm_registration_form_parent_class)->close_request (window);
}

static void
cbm_registration_form_dispose (GObject *object)
{
  CbmRegistrationForm *self = CBM_REGISTRATION_FORM (object);

  g_clear_handle_id (&self->draft_id, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), CBM_TYPE_REGISTRATION_FORM);

  G_OBJECT_CLASS (cbm_registration_form_parent_class)->dispose (object);
}

static void
cbm_registration_form_finalize (GObject *object)
{
  CbmRegistrationForm *self = CBM_REGISTRATION_FORM (object);

  g_clear_object (&self->store);
  g_clear_object (&self->settings);
  g_clear_object (&self->event);
  g_clear_pointer (&self->country_codes, g_ptr_array_unref);
  g_clear_pointer (&self->touched, g_hash_table_unref);
  g_clear_pointer (&self->server_errors, g_variant_unref);

  G_OBJECT_CLASS (cbm_registration_form_parent_class)->finalize (object);
}

static void
cbm_registration_form_class_init (CbmRegistrationFormClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = cbm_registration_form_dispose;
  object_class->finalize = cbm_registration_form_finalize;
  window_class->close_request = cbm_registration_form_close_request;

  /**
   * CbmRegistrationForm::submitted:
   * @registration: the registration, now in the outbox
   */
  signals[SUBMITTED] = g_signal_new ("submitted", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                     0, NULL, NULL, NULL, G_TYPE_NONE, 1, CBM_TYPE_REGISTRATION);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/cbmdesk/CbmDesk/ui/workshops/cbm-registration-form.ui");
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, CbmRegistrationForm, name)
  BIND (event_title);
  BIND (event_details);
  BIND (event_error);
  BIND (submit_button);
  BIND (country_field);
  BIND (country_error);
  BIND (name_field);
  BIND (name_error);
  BIND (position_field);
  BIND (position_error);
  BIND (institution_field);
  BIND (institution_error);
  BIND (email_field);
  BIND (email_error);
  BIND (government_field);
  BIND (government_error);
  BIND (language_field);
  BIND (language_error);
  BIND (note_field);
  BIND (note_error);
#undef BIND
  gtk_widget_class_bind_template_callback (widget_class, field_changed_cb);
  gtk_widget_class_install_action (widget_class, "registration.submit", NULL, submit_activated);
}

static void
cbm_registration_form_init (CbmRegistrationForm *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->country_codes = g_ptr_array_new_with_free_func (g_free);
  self->touched = g_hash_table_new (g_str_hash, g_str_equal);
}

/**
 * cbm_registration_form_new:
 * @correction: (nullable): a registration the server refused for its fields, to correct
 */
CbmRegistrationForm *
cbm_registration_form_new (GtkWindow       *parent,
                           CbmStore        *store,
                           GSettings       *settings,
                           CbmEvent        *event,
                           CbmRegistration *correction)
{
  CbmRegistrationForm *self = g_object_new (CBM_TYPE_REGISTRATION_FORM,
                                            "transient-for", parent, NULL);
  g_autoptr(GtkStringList) countries = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) languages = gtk_string_list_new (NULL);
  g_autoptr(CbmRegistration) profile = cbm_registration_new ();
  GListModel *model = cbm_store_get_countries (store);
  const char *language = cbm_text_user_language ();
  g_autofree char *details = NULL;
  const char *title;

  self->store = g_object_ref (store);
  self->settings = g_object_ref (settings);
  self->event = g_object_ref (event);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(CbmCountry) country = g_list_model_get_item (model, i);
      gtk_string_list_append (countries, cbm_country_get_name (country, language));
      g_ptr_array_add (self->country_codes, g_strdup (country->code));
    }
  for (guint i = 0; i < CBM_N_LANGUAGES; i++)
    gtk_string_list_append (languages, cbm_text_get_language_name (cbm_languages[i]));

  self->loading = TRUE;
  gtk_drop_down_set_model (self->country_field, G_LIST_MODEL (countries));
  gtk_drop_down_set_selected (self->country_field, GTK_INVALID_LIST_POSITION);
  gtk_drop_down_set_model (self->language_field, G_LIST_MODEL (languages));
  select_language (self, language);
  self->loading = FALSE;

  title = cbm_text_pick (event->title, language, NULL);
  gtk_label_set_text (self->event_title, title ? title : event->id);
  {
    g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
    g_autofree char *deadline = cbm_event_format_deadline (event, now);
    details = g_strdup_printf ("%s\n%s", cbm_event_get_eligibility_text (event),
                               deadline ? deadline : "");
  }
  gtk_label_set_text (self->event_details, details);

  /* Government or public officials: the confirmation is part of the form only then. */
  gtk_widget_set_visible (GTK_WIDGET (self->government_field), cbm_event_requires_government (event));
  gtk_check_button_set_label (self->government_field,
                              event->eligibility == CBM_ELIGIBILITY_PUBLIC_OFFICIALS
                              ? _("I confirm that I am a _public official")
                              : _("I confirm that I am a _government representative"));

  /* The profile kept from the last submission, then the draft on top of it. */
  profile->country = g_settings_get_string (settings, "profile-country");
  profile->name = g_settings_get_string (settings, "profile-name");
  profile->position = g_settings_get_string (settings, "profile-position");
  profile->institution = g_settings_get_string (settings, "profile-institution");
  profile->email = g_settings_get_string (settings, "profile-email");
  profile->language = g_settings_get_string (settings, "profile-language");
  apply_fields (self, profile);

  if (correction != NULL)
    {
      self->correction_id = correction->local_id;
      apply_fields (self, correction);
      if (correction->field_errors != NULL)
        self->server_errors = g_variant_ref (correction->field_errors);
      self->show_all = TRUE;
    }

  validate (self);
  cbm_store_load_draft_async (store, event->id, NULL, draft_loaded_cb, g_object_ref (self));
  return self;
}
