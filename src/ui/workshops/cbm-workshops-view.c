/* cbm-workshops-view.c
 *
 * Copyright 2026 The CBM Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "cbm-registration-form.h"
#include "cbm-workshops-view.h"

/* Workshops, courses and webinars from the repository, each in its own time zone and the
 * user's, with "Register…" and "Add to Calendar…"; beside them, the user's registrations
 * with their status in the outbox or on the server. */

enum {
  SHOW_UPCOMING,
  SHOW_PAST,
  SHOW_REGISTERED,
};

struct _CbmWorkshopsView
{
  AdwBin              parent_instance;

  CbmStore           *store;
  GSettings          *settings;
  GtkCustomFilter    *filter;
  GtkFilterListModel *events;
  char               *query;       /* folded */
  GtkFileChooserNative *chooser;
  GHashTable         *bound_events;  /* GtkListItem showing an event */

  AdwToastOverlay    *toast_overlay;
  GtkSearchEntry     *search_entry;
  GtkDropDown        *show_dropdown;
  GtkStack           *events_stack;
  GtkListView        *events_list;
  GtkLabel           *no_registrations_label;
  GtkStack           *registrations_stack;
  GtkListView        *registrations_list;
};

G_DEFINE_FINAL_TYPE (CbmWorkshopsView, cbm_workshops_view, ADW_TYPE_BIN)

/* Helpers. */

static const char *
event_title (CbmEvent *event)
{
  const char *title = cbm_text_pick (event->title, cbm_text_user_language (), NULL);

  return title != NULL ? title : event->id;
}

static CbmEvent *
find_event (CbmWorkshopsView *self,
            const char       *id)
{
  GListModel *events = cbm_store_get_events (self->store);
  guint n = g_list_model_get_n_items (events);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CbmEvent) event = g_list_model_get_item (events, i);
      if (g_strcmp0 (event->id, id) == 0)
        return event; /* the model keeps it alive */
    }
  return NULL;
}

static void
toast (CbmWorkshopsView *self,
       const char       *text)
{
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (text));
}

static gboolean
filter_event (gpointer item,
              gpointer user_data)
{
  CbmWorkshopsView *self = user_data;
  CbmEvent *event = item;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  guint show = gtk_drop_down_get_selected (self->show_dropdown);

  if (show == SHOW_UPCOMING && cbm_event_is_past (event, now))
    return FALSE;
  if (show == SHOW_PAST && !cbm_event_is_past (event, now))
    return FALSE;
  if (show == SHOW_REGISTERED && !cbm_store_is_registered (self->store, event->id))
    return FALSE;

  if (self->query != NULL && *self->query != '\0')
    {
      const char *description = cbm_text_pick (event->description, cbm_text_user_language (), NULL);
      g_autofree char *haystack = g_strjoin (" ", event_title (event),
                                             event->organizer ? event->organizer : "",
                                             event->venue ? event->venue : "",
                                             description ? description : "", NULL);
      g_autofree char *folded = cbm_text_fold (haystack);

      if (!cbm_text_matches (folded, self->query))
        return FALSE;
    }
  return TRUE;
}

static void
update_stacks (CbmWorkshopsView *self)
{
  const char *url;

  gtk_stack_set_visible_child_name (self->events_stack,
                                    g_list_model_get_n_items (G_LIST_MODEL (self->events)) > 0
                                    ? "list" : "empty");
  gtk_stack_set_visible_child_name (self->registrations_stack,
                                    g_list_model_get_n_items (cbm_store_get_registrations (self->store)) > 0
                                    ? "list" : "empty");
  url = cbm_store_get_meta (self->store, "registrations-url");
  gtk_widget_set_visible (GTK_WIDGET (self->no_registrations_label), url == NULL || *url == '\0');
}

/* Export to .ics. */

static void
open_calendar_file_cb (AdwToast *toast_,
                       gpointer  user_data)
{
  CbmWorkshopsView *self = user_data;

  gtk_show_uri (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                g_object_get_data (G_OBJECT (toast_), "uri"), GDK_CURRENT_TIME);
}

static void
ics_written_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(CbmWorkshopsView) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_file_replace_contents_finish (G_FILE (source), result, NULL, &error))
    {
      g_autofree char *text = g_strdup_printf (_("The calendar file could not be saved: %s"), error->message);
      toast (self, text);
      return;
    }
  {
    /* "Open" hands the file to the user's calendar through the OpenURI portal when the app
     * runs sandboxed, so the event can be added there. */
    AdwToast *saved = adw_toast_new (_("Calendar file saved."));
    g_autofree char *uri = g_file_get_uri (G_FILE (source));

    adw_toast_set_button_label (saved, _("_Add to Calendar"));
    g_object_set_data_full (G_OBJECT (saved), "uri", g_steal_pointer (&uri), g_free);
    g_signal_connect_object (saved, "button-clicked", G_CALLBACK (open_calendar_file_cb), self, 0);
    adw_toast_overlay_add_toast (self->toast_overlay, saved);
  }
}

static void
chooser_response_cb (CbmWorkshopsView *self,
                     int               response,
                     GtkNativeDialog  *dialog)
{
  CbmEvent *event = g_object_get_data (G_OBJECT (dialog), "cbm-event");
  g_autoptr(GFile) file = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  char *ics = NULL;

  if (response == GTK_RESPONSE_ACCEPT && event != NULL &&
      (file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog))) != NULL &&
      (ics = cbm_ics_from_event (event, cbm_text_user_language (), now)) != NULL)
    {
      /* The contents must outlive the write: the file object keeps them. */
      g_object_set_data_full (G_OBJECT (file), "cbm-contents", ics, g_free);
      g_file_replace_contents_async (file, ics, strlen (ics), NULL, FALSE, G_FILE_CREATE_NONE, NULL,
                                     ics_written_cb, g_object_ref (self));
    }
  g_clear_object (&self->chooser);
}

static void
export_clicked_cb (GtkButton        *button,
                   CbmWorkshopsView *self)
{
  CbmEvent *event = g_object_get_data (G_OBJECT (button), "cbm-event");
  g_autofree char *name = NULL;

  if (event == NULL)
    return;

  g_clear_object (&self->chooser);
  self->chooser = gtk_file_chooser_native_new (_("Save Calendar File"),
                                               GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                               GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));
  name = g_strconcat (event->id, ".ics", NULL);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser), name);
  g_object_set_data_full (G_OBJECT (self->chooser), "cbm-event", g_object_ref (event), g_object_unref);
  g_signal_connect_object (self->chooser, "response", G_CALLBACK (chooser_response_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

/* Registration form. */

static void
form_submitted_cb (CbmWorkshopsView *self,
                   CbmRegistration  *registration)
{
  toast (self, _("Saved; it will be sent when the connection allows"));
  gtk_widget_activate_action (GTK_WIDGET (self), "app.refresh-registrations", NULL);
}

static void
open_form (CbmWorkshopsView *self,
           CbmEvent         *event,
           CbmRegistration  *correction)
{
  CbmRegistrationForm *form = cbm_registration_form_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                                         self->store, self->settings, event, correction);

  g_signal_connect_object (form, "submitted", G_CALLBACK (form_submitted_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (form));
}

static void
register_clicked_cb (GtkButton        *button,
                     CbmWorkshopsView *self)
{
  CbmEvent *event = g_object_get_data (G_OBJECT (button), "cbm-event");

  if (event != NULL)
    open_form (self, event, NULL);
}

/* Event rows. */

static GtkLabel *
add_label (GtkBox     *box,
           const char *style)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  if (style != NULL)
    gtk_widget_add_css_class (label, style);
  gtk_box_append (box, label);
  return GTK_LABEL (label);
}

static void
setup_event_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *item,
                CbmWorkshopsView         *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  GtkWidget *actions = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *deadline = gtk_label_new (NULL);
  GtkWidget *spacer = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  GtkWidget *export = gtk_button_new_with_mnemonic (_("Add to _Calendar…"));
  GtkWidget *reg = gtk_button_new_with_mnemonic (_("_Register…"));

  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_widget_set_margin_top (box, 10);
  gtk_widget_set_margin_bottom (box, 10);
  g_object_set_data (G_OBJECT (item), "title", add_label (GTK_BOX (box), "heading"));
  g_object_set_data (G_OBJECT (item), "meta", add_label (GTK_BOX (box), "dim-label"));
  g_object_set_data (G_OBJECT (item), "when", add_label (GTK_BOX (box), NULL));
  g_object_set_data (G_OBJECT (item), "local", add_label (GTK_BOX (box), NULL));
  g_object_set_data (G_OBJECT (item), "eligibility", add_label (GTK_BOX (box), "dim-label"));

  gtk_widget_add_css_class (deadline, "pill-label");
  gtk_widget_set_valign (deadline, GTK_ALIGN_CENTER);
  gtk_widget_set_hexpand (spacer, TRUE);
  gtk_widget_add_css_class (reg, "suggested-action");
  gtk_box_append (GTK_BOX (actions), deadline);
  gtk_box_append (GTK_BOX (actions), spacer);
  gtk_box_append (GTK_BOX (actions), export);
  gtk_box_append (GTK_BOX (actions), reg);
  gtk_box_append (GTK_BOX (box), actions);
  g_object_set_data (G_OBJECT (item), "deadline", deadline);
  g_object_set_data (G_OBJECT (item), "export", export);
  g_object_set_data (G_OBJECT (item), "register", reg);
  g_signal_connect (export, "clicked", G_CALLBACK (export_clicked_cb), self);
  g_signal_connect (reg, "clicked", G_CALLBACK (register_clicked_cb), self);

  gtk_list_item_set_activatable (item, FALSE);
  gtk_list_item_set_child (item, box);
}

static void
bind_event_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               CbmWorkshopsView         *self)
{
  CbmEvent *event = gtk_list_item_get_item (item);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GTimeZone) zone = cbm_event_dup_time_zone (event);
  g_autoptr(GTimeZone) local = g_time_zone_new_local ();
  g_autofree char *when = cbm_event_format_when (event, zone);
  g_autofree char *local_when = cbm_event_format_when (event, local);
  g_autofree char *deadline = cbm_event_format_deadline (event, now);
  g_autofree char *meta = NULL;
  g_autofree char *when_text = NULL;
  g_autofree char *local_text = NULL;
  GtkWidget *deadline_label = g_object_get_data (G_OBJECT (item), "deadline");
  GtkWidget *reg = g_object_get_data (G_OBJECT (item), "register");
  gboolean registered = cbm_store_is_registered (self->store, event->id);
  gboolean open = cbm_event_takes_registrations (event, now);

  if (event->venue != NULL)
    /* Translators: organizer · modality · venue, as in "OAS/CICTE · In person · Mexico City". */
    meta = g_strdup_printf (_("%s · %s · %s"), event->organizer ? event->organizer : "",
                            cbm_modality_get_label (event->modality), event->venue);
  else
    /* Translators: organizer · modality, as in "OAS/CICTE · Online". */
    meta = g_strdup_printf (_("%s · %s"), event->organizer ? event->organizer : "",
                            cbm_modality_get_label (event->modality));
  /* Translators: when an event happens, in the zone where it happens, as in
   * "In America/New_York: 12 March 2027, 15:00 (EST)". */
  when_text = g_strdup_printf (_("In %s: %s"), event->timezone ? event->timezone : _("the organizer’s time"), when);
  /* Translators: when an event happens, in the user's own time zone. */
  local_text = g_strdup_printf (_("Your time: %s"), local_when);

  gtk_label_set_text (g_object_get_data (G_OBJECT (item), "title"), event_title (event));
  gtk_label_set_text (g_object_get_data (G_OBJECT (item), "meta"), meta);
  gtk_label_set_text (g_object_get_data (G_OBJECT (item), "when"), when_text);
  gtk_label_set_text (g_object_get_data (G_OBJECT (item), "local"), local_text);
  gtk_label_set_text (g_object_get_data (G_OBJECT (item), "eligibility"),
                      cbm_event_get_eligibility_text (event));

  gtk_widget_remove_css_class (deadline_label, "success");
  gtk_widget_remove_css_class (deadline_label, "warning");
  gtk_widget_remove_css_class (deadline_label, "accent");
  if (registered)
    {
      gtk_label_set_text (GTK_LABEL (deadline_label), _("Registered"));
      gtk_widget_add_css_class (deadline_label, "success");
    }
  else
    {
      gtk_label_set_text (GTK_LABEL (deadline_label),
                          deadline ? deadline : _("No registration"));
      gtk_widget_add_css_class (deadline_label, open ? "accent" : "warning");
    }

  gtk_widget_set_visible (reg, open && !registered);
  g_object_set_data_full (G_OBJECT (reg), "cbm-event", g_object_ref (event), g_object_unref);
  g_object_set_data_full (G_OBJECT (g_object_get_data (G_OBJECT (item), "export")), "cbm-event",
                          g_object_ref (event), g_object_unref);
  gtk_accessible_update_property (GTK_ACCESSIBLE (gtk_list_item_get_child (item)),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, event_title (event), -1);
  g_hash_table_add (self->bound_events, item);
}

static void
unbind_event_cb (GtkSignalListItemFactory *factory,
                 GtkListItem              *item,
                 CbmWorkshopsView         *self)
{
  g_hash_table_remove (self->bound_events, item);
}

/* Registration rows. */

static void
withdrawn_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(CbmWorkshopsView) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!cbm_store_withdraw_registration_finish (CBM_STORE (source), result, &error))
    toast (self, error->message);
  else
    toast (self, _("Registration withdrawn"));
}

static void
withdraw_clicked_cb (GtkButton        *button,
                     CbmWorkshopsView *self)
{
  CbmRegistration *r = g_object_get_data (G_OBJECT (button), "cbm-registration");

  if (r != NULL)
    cbm_store_withdraw_registration_async (self->store, r->local_id, NULL, withdrawn_cb,
                                           g_object_ref (self));
}

static void
correct_clicked_cb (GtkButton        *button,
                    CbmWorkshopsView *self)
{
  CbmRegistration *r = g_object_get_data (G_OBJECT (button), "cbm-registration");
  CbmEvent *event = r ? find_event (self, r->event) : NULL;

  if (event != NULL)
    open_form (self, event, r);
  else
    toast (self, _("This event is no longer listed by the repository."));
}

static void
setup_registration_cb (GtkSignalListItemFactory *factory,
                       GtkListItem              *item,
                       CbmWorkshopsView         *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  GtkWidget *actions = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *status = gtk_label_new (NULL);
  GtkWidget *spacer = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  GtkWidget *correct = gtk_button_new_with_mnemonic (_("C_orrect…"));
  GtkWidget *withdraw = gtk_button_new_with_mnemonic (_("_Withdraw"));

  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_widget_set_margin_top (box, 8);
  gtk_widget_set_margin_bottom (box, 8);
  g_object_set_data (G_OBJECT (item), "title", add_label (GTK_BOX (box), "heading"));
  g_object_set_data (G_OBJECT (item), "who", add_label (GTK_BOX (box), "dim-label"));
  g_object_set_data (G_OBJECT (item), "reason", add_label (GTK_BOX (box), NULL));
  gtk_widget_add_css_class (status, "pill-label");
  gtk_widget_set_valign (status, GTK_ALIGN_CENTER);
  gtk_widget_set_hexpand (spacer, TRUE);
  gtk_widget_add_css_class (withdraw, "destructive-action");
  gtk_box_append (GTK_BOX (actions), status);
  gtk_box_append (GTK_BOX (actions), spacer);
  gtk_box_append (GTK_BOX (actions), correct);
  gtk_box_append (GTK_BOX (actions), withdraw);
  gtk_box_append (GTK_BOX (box), actions);
  g_object_set_data (G_OBJECT (item), "status", status);
  g_object_set_data (G_OBJECT (item), "correct", correct);
  g_object_set_data (G_OBJECT (item), "withdraw", withdraw);
  g_signal_connect (correct, "clicked", G_CALLBACK (correct_clicked_cb), self);
  g_signal_connect (withdraw, "clicked", G_CALLBACK (withdraw_clicked_cb), self);
  gtk_list_item_set_activatable (item, FALSE);
  gtk_list_item_set_child (item, box);
}

static void
bind_registration_cb (GtkSignalListItemFactory *factory,
                      GtkListItem              *item,
                      CbmWorkshopsView         *self)
{
  CbmRegistration *r = gtk_list_item_get_item (item);
  CbmEvent *event = find_event (self, r->event);
  GtkWidget *status = g_object_get_data (G_OBJECT (item), "status");
  GtkWidget *correct = g_object_get_data (G_OBJECT (item), "correct");
  GtkWidget *withdraw = g_object_get_data (G_OBJECT (item), "withdraw");
  GtkLabel *reason = g_object_get_data (G_OBJECT (item), "reason");
  const char *title = event ? event_title (event) : r->event;
  g_autofree char *who = g_strdup_printf ("%s · %s", r->name, r->email);
  g_autofree char *accessible = NULL;
  gboolean failed = r->status == CBM_REGISTRATION_FAILED || r->status == CBM_REGISTRATION_FAILED_VALIDATION;
  g_autofree char *reason_text = NULL;

  gtk_label_set_text (g_object_get_data (G_OBJECT (item), "title"), title);
  gtk_label_set_text (g_object_get_data (G_OBJECT (item), "who"), who);
  gtk_label_set_text (GTK_LABEL (status), cbm_registration_status_get_label (r->status));
  gtk_widget_remove_css_class (status, "success");
  gtk_widget_remove_css_class (status, "warning");
  gtk_widget_remove_css_class (status, "accent");
  if (failed || r->status == CBM_REGISTRATION_DECLINED)
    gtk_widget_add_css_class (status, "warning");
  else if (r->status == CBM_REGISTRATION_QUEUED || r->status == CBM_REGISTRATION_SENDING)
    gtk_widget_add_css_class (status, "accent");
  else
    gtk_widget_add_css_class (status, "success");

  /* Why it failed, or why the last attempt did not get through. */
  if (r->failure != NULL && r->status == CBM_REGISTRATION_QUEUED)
    /* Translators: a registration waiting to be sent again, and why the last attempt failed. */
    reason_text = g_strdup_printf (_("Will be sent again. Last attempt: %s"), r->failure);
  else if (r->failure != NULL && failed)
    reason_text = g_strdup (r->failure);
  gtk_label_set_text (reason, reason_text ? reason_text : "");
  gtk_widget_set_visible (GTK_WIDGET (reason), reason_text != NULL);

  gtk_widget_set_visible (correct, r->status == CBM_REGISTRATION_FAILED_VALIDATION);
  gtk_widget_set_visible (withdraw, r->status == CBM_REGISTRATION_QUEUED || failed);
  gtk_button_set_label (GTK_BUTTON (withdraw), failed ? _("_Remove") : _("_Withdraw"));
  g_object_set_data_full (G_OBJECT (correct), "cbm-registration", g_object_ref (r), g_object_unref);
  g_object_set_data_full (G_OBJECT (withdraw), "cbm-registration", g_object_ref (r), g_object_unref);

  /* Translators: a registration for screen readers: event title, then its status. */
  accessible = g_strdup_printf (_("%s, %s"), title, cbm_registration_status_get_label (r->status));
  gtk_accessible_update_property (GTK_ACCESSIBLE (gtk_list_item_get_child (item)),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, accessible, -1);
}

/* Callbacks. */

static void
filters_changed_cb (CbmWorkshopsView *self)
{
  g_free (self->query);
  self->query = cbm_text_fold (gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
  if (self->filter != NULL)
    gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
  if (self->store != NULL)
    update_stacks (self);
}

static void
registrations_changed_cb (CbmWorkshopsView *self)
{
  g_autoptr(GList) items = NULL;

  /* "Registered" and the Register buttons follow the outbox; rows that stay are redrawn. */
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
  items = g_hash_table_get_keys (self->bound_events);
  for (GList *l = items; l != NULL; l = l->next)
    if (gtk_list_item_get_item (l->data) != NULL)
      bind_event_cb (NULL, l->data, self);
  update_stacks (self);
}

/* GObject. */

static void
cbm_workshops_view_dispose (GObject *object)
{
  CbmWorkshopsView *self = CBM_WORKSHOPS_VIEW (object);

  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  /* AdwBin keeps its own pointer to its child: let it drop the child first. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), CBM_TYPE_WORKSHOPS_VIEW);

  G_OBJECT_CLASS (cbm_workshops_view_parent_class)->dispose (object);
}

static void
cbm_workshops_view_finalize (GObject *object)
{
  CbmWorkshopsView *self = CBM_WORKSHOPS_VIEW (object);

  g_clear_object (&self->events);
  g_clear_object (&self->filter);
  g_clear_object (&self->store);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->query, g_free);
  g_clear_pointer (&self->bound_events, g_hash_table_unref);

  G_OBJECT_CLASS (cbm_workshops_view_parent_class)->finalize (object);
}

static void
cbm_workshops_view_class_init (CbmWorkshopsViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cbm_workshops_view_dispose;
  object_class->finalize = cbm_workshops_view_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/cbmdesk/CbmDesk/ui/workshops/cbm-workshops-view.ui");
  gtk_widget_class_bind_template_child (widget_class, CbmWorkshopsView, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, CbmWorkshopsView, search_entry);
  gtk_widget_class_bind_template_child (widget_class, CbmWorkshopsView, show_dropdown);
  gtk_widget_class_bind_template_child (widget_class, CbmWorkshopsView, events_stack);
  gtk_widget_class_bind_template_child (widget_class, CbmWorkshopsView, events_list);
  gtk_widget_class_bind_template_child (widget_class, CbmWorkshopsView, no_registrations_label);
  gtk_widget_class_bind_template_child (widget_class, CbmWorkshopsView, registrations_stack);
  gtk_widget_class_bind_template_child (widget_class, CbmWorkshopsView, registrations_list);
  gtk_widget_class_bind_template_callback (widget_class, filters_changed_cb);
}

static void
cbm_workshops_view_init (CbmWorkshopsView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->bound_events = g_hash_table_new (NULL, NULL);
}

/**
 * cbm_workshops_view_set_store:
 * @settings: the application settings, for the registration profile
 */
void
cbm_workshops_view_set_store (CbmWorkshopsView *self,
                              CbmStore         *store,
                              GSettings        *settings)
{
  GtkListItemFactory *factory;
  GListModel *registrations;
  g_autoptr(GtkNoSelection) events_selection = NULL;
  g_autoptr(GtkNoSelection) registrations_selection = NULL;

  g_return_if_fail (CBM_IS_WORKSHOPS_VIEW (self));
  g_return_if_fail (self->store == NULL);

  self->store = g_object_ref (store);
  self->settings = g_object_ref (settings);
  registrations = cbm_store_get_registrations (store);

  self->filter = gtk_custom_filter_new (filter_event, self, NULL);
  self->events = gtk_filter_list_model_new (g_object_ref (cbm_store_get_events (store)),
                                            GTK_FILTER (g_object_ref (self->filter)));
  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (setup_event_cb), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_event_cb), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_event_cb), self);
  gtk_list_view_set_factory (self->events_list, factory);
  g_object_unref (factory);
  events_selection = gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->events)));
  gtk_list_view_set_model (self->events_list, GTK_SELECTION_MODEL (events_selection));

  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (setup_registration_cb), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_registration_cb), self);
  gtk_list_view_set_factory (self->registrations_list, factory);
  g_object_unref (factory);
  registrations_selection = gtk_no_selection_new (g_object_ref (registrations));
  gtk_list_view_set_model (self->registrations_list, GTK_SELECTION_MODEL (registrations_selection));

  g_signal_connect_object (registrations, "items-changed", G_CALLBACK (registrations_changed_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->events, "items-changed", G_CALLBACK (update_stacks), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (store, "changed", G_CALLBACK (update_stacks), self, G_CONNECT_SWAPPED);
  filters_changed_cb (self);
}
