/* cbm-note-verbale-dialog.c
 *
 * Copyright 2026 The CBM Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "cbm-country.h"
#include "cbm-note-verbale.h"
#include "cbm-mail.h"
#include "cbm-note-verbale-dialog.h"
#include "cbm-text.h"

/* Where the e-mail draft goes: the CICTE Secretariat's address (a placeholder until the
 * Secretariat publishes one for these notes). */
#define CICTE_ADDRESS "cicte@oas.example.org"

typedef enum {
  ENTRY_NAME,
  ENTRY_POSITION,
  ENTRY_INSTITUTION,
  ENTRY_EMAIL,
  ENTRY_REPLACED,
  ENTRY_SENDER,
  ENTRY_CITY,
  ENTRY_DATE,
  N_ENTRIES
} Entry;

/* The core field each entry fills, as in cbm_note_verbale_validate()'s errors. */
static const char * const entry_fields[N_ENTRIES] = {
  CBM_NOTE_VERBALE_FIELD_NAME,
  CBM_NOTE_VERBALE_FIELD_POSITION,
  CBM_NOTE_VERBALE_FIELD_INSTITUTION,
  CBM_NOTE_VERBALE_FIELD_EMAIL,
  CBM_NOTE_VERBALE_FIELD_REPLACED,
  CBM_NOTE_VERBALE_FIELD_SENDER,
  CBM_NOTE_VERBALE_FIELD_CITY,
  CBM_NOTE_VERBALE_FIELD_DATE,
};

struct _CbmNoteVerbaleDialog
{
  AdwWindow             parent_instance;

  CbmStore             *store;
  CbmContact           *contact;        /* pre-filled from, or NULL */
  CbmNoteVerbaleAction  last_action;
  CbmNoteVerbale       *note;
  GPtrArray            *country_codes;  /* country dropdown position → code */
  GHashTable           *error_labels;   /* core field name → GtkLabel */
  GHashTable           *touched;        /* core field names the user has edited */
  char                 *auto_sender;    /* the sender we filled in, to follow country and language */
  GtkFileChooserNative *chooser;
  gboolean              show_all_errors;
  gboolean              filling;

  AdwToastOverlay      *toast_overlay;
  GtkGrid              *form_grid;
  GtkTextView          *preview;
  GtkDropDown          *action_dropdown;
  GtkDropDown          *language_dropdown;
  GtkDropDown          *country_dropdown;
  GtkDropDown          *category_dropdown;
  GtkEntry             *entries[N_ENTRIES];
  GtkWidget            *replaced_widgets[3];
  int                   next_row;
};

G_DEFINE_FINAL_TYPE (CbmNoteVerbaleDialog, cbm_note_verbale_dialog, ADW_TYPE_WINDOW)

static const char *
get_language (CbmNoteVerbaleDialog *self)
{
  guint selected = gtk_drop_down_get_selected (self->language_dropdown);

  if (selected >= g_strv_length ((char **) cbm_note_verbale_languages))
    selected = 0;
  return cbm_note_verbale_languages[selected];
}

static void
set_text (char       **field,
          const char  *text)
{
  g_free (*field);
  *field = g_strdup (text);
}

/* Reads the form into self->note. */
static void
collect (CbmNoteVerbaleDialog *self)
{
  CbmNoteVerbale *note = self->note;
  const char *language = get_language (self);
  guint country = gtk_drop_down_get_selected (self->country_dropdown);
  const char *date_text;
  int year, month, day;
  char extra;

  note->action = (CbmNoteVerbaleAction) gtk_drop_down_get_selected (self->action_dropdown);
  note->category = gtk_drop_down_get_selected (self->category_dropdown) == 1
                     ? CBM_CONTACT_CATEGORY_FOREIGN_AFFAIRS : CBM_CONTACT_CATEGORY_POLITICAL;

  g_clear_pointer (&note->country_code, g_free);
  g_clear_pointer (&note->country_name, g_free);
  if (country != GTK_INVALID_LIST_POSITION && country < self->country_codes->len)
    {
      const char *code = g_ptr_array_index (self->country_codes, country);
      CbmCountry *record = cbm_store_lookup_country (self->store, code);

      note->country_code = g_strdup (code);
      /* The note names the country in its own language, not the UI's. */
      note->country_name = g_strdup (record != NULL ? cbm_country_get_name (record, language) : code);
    }

  set_text (&note->name, gtk_editable_get_text (GTK_EDITABLE (self->entries[ENTRY_NAME])));
  set_text (&note->position, gtk_editable_get_text (GTK_EDITABLE (self->entries[ENTRY_POSITION])));
  set_text (&note->institution, gtk_editable_get_text (GTK_EDITABLE (self->entries[ENTRY_INSTITUTION])));
  set_text (&note->email, gtk_editable_get_text (GTK_EDITABLE (self->entries[ENTRY_EMAIL])));
  set_text (&note->replaced, gtk_editable_get_text (GTK_EDITABLE (self->entries[ENTRY_REPLACED])));
  set_text (&note->sender, gtk_editable_get_text (GTK_EDITABLE (self->entries[ENTRY_SENDER])));
  set_text (&note->city, gtk_editable_get_text (GTK_EDITABLE (self->entries[ENTRY_CITY])));

  g_clear_pointer (&note->date, g_date_time_unref);
  date_text = gtk_editable_get_text (GTK_EDITABLE (self->entries[ENTRY_DATE]));
  if (sscanf (date_text, "%d-%d-%d%c", &year, &month, &day, &extra) == 3 &&
      g_date_valid_dmy (day, month, year))
    note->date = g_date_time_new_local (year, month, day, 12, 0, 0);
}

/* The default sender follows the country and language until the user types their own. */
static void
update_sender (CbmNoteVerbaleDialog *self)
{
  GtkEditable *entry = GTK_EDITABLE (self->entries[ENTRY_SENDER]);
  const char *current = gtk_editable_get_text (entry);
  g_autofree char *sender = NULL;

  if (current[0] != '\0' && g_strcmp0 (current, self->auto_sender) != 0)
    return;
  if (self->note->country_name == NULL)
    return;
  sender = cbm_note_verbale_default_sender (get_language (self), self->note->country_name, NULL);
  if (sender == NULL)
    return;
  g_free (self->auto_sender);
  self->auto_sender = g_strdup (sender);
  self->filling = TRUE;
  gtk_editable_set_text (entry, sender);
  self->filling = FALSE;
  set_text (&self->note->sender, sender);
}

static void
show_errors (CbmNoteVerbaleDialog *self,
             GHashTable           *errors)
{
  GHashTableIter iter;
  gpointer field, label;
  const char *date_text = gtk_editable_get_text (GTK_EDITABLE (self->entries[ENTRY_DATE]));

  g_hash_table_iter_init (&iter, self->error_labels);
  while (g_hash_table_iter_next (&iter, &field, &label))
    {
      const char *message = g_hash_table_lookup (errors, field);
      gboolean shown;

      /* A date typed in another shape is not "missing". */
      if (message != NULL && g_str_equal (field, CBM_NOTE_VERBALE_FIELD_DATE) && date_text[0] != '\0')
        message = _("Enter the date as YYYY-MM-DD.");
      shown = message != NULL && (self->show_all_errors || g_hash_table_contains (self->touched, field));
      gtk_label_set_text (label, shown ? message : "");
      gtk_widget_set_visible (label, shown);
    }

  for (guint i = 0; i < N_ENTRIES; i++)
    {
      gboolean bad = g_hash_table_contains (errors, entry_fields[i]) &&
                     (self->show_all_errors || g_hash_table_contains (self->touched, entry_fields[i]));
      if (bad)
        gtk_widget_add_css_class (GTK_WIDGET (self->entries[i]), "error");
      else
        gtk_widget_remove_css_class (GTK_WIDGET (self->entries[i]), "error");
      gtk_accessible_update_state (GTK_ACCESSIBLE (self->entries[i]),
                                   GTK_ACCESSIBLE_STATE_INVALID,
                                   bad ? GTK_ACCESSIBLE_INVALID_TRUE : GTK_ACCESSIBLE_INVALID_FALSE,
                                   -1);
    }
}

static void
update (CbmNoteVerbaleDialog *self)
{
  g_autoptr(GHashTable) errors = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  gboolean replace;

  if (self->filling)
    return;

  collect (self);
  update_sender (self);

  replace = self->note->action == CBM_NOTE_VERBALE_REPLACE;
  for (guint i = 0; i < G_N_ELEMENTS (self->replaced_widgets); i++)
    gtk_widget_set_visible (self->replaced_widgets[i], replace);

  cbm_note_verbale_validate (self->note, &errors);
  show_errors (self, errors);

  text = cbm_note_verbale_render (self->note, get_language (self), &error);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->preview),
                            text != NULL ? text : error->message, -1);
}

static void
entry_changed_cb (GtkEditable          *editable,
                  CbmNoteVerbaleDialog *self)
{
  if (self->filling)
    return;
  g_hash_table_add (self->touched, g_object_get_data (G_OBJECT (editable), "cbm-field"));
  update (self);
}

/* Replacing a pre-filled contact: it becomes the person replaced, and the fields it filled
 * are cleared for the successor. */
static void
action_changed (CbmNoteVerbaleDialog *self)
{
  CbmNoteVerbaleAction action = (CbmNoteVerbaleAction) gtk_drop_down_get_selected (self->action_dropdown);
  const char *name = gtk_editable_get_text (GTK_EDITABLE (self->entries[ENTRY_NAME]));
  Entry cleared[] = { ENTRY_NAME, ENTRY_POSITION, ENTRY_INSTITUTION, ENTRY_EMAIL };

  if (action == self->last_action)
    return;
  self->last_action = action;
  if (action != CBM_NOTE_VERBALE_REPLACE || self->contact == NULL ||
      g_strcmp0 (name, self->contact->name) != 0)
    return;

  self->filling = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->entries[ENTRY_REPLACED]), self->contact->name);
  for (guint i = 0; i < G_N_ELEMENTS (cleared); i++)
    gtk_editable_set_text (GTK_EDITABLE (self->entries[cleared[i]]), "");
  self->filling = FALSE;
  gtk_widget_grab_focus (GTK_WIDGET (self->entries[ENTRY_NAME]));
}

static void
dropdown_changed_cb (CbmNoteVerbaleDialog *self)
{
  if (self->filling)
    return;
  action_changed (self);
  if (gtk_drop_down_get_selected (self->country_dropdown) != GTK_INVALID_LIST_POSITION)
    g_hash_table_add (self->touched, (gpointer) CBM_NOTE_VERBALE_FIELD_COUNTRY);
  update (self);
}

/* Whether the note can leave the form; if not, every problem is shown. */
static gboolean
check_complete (CbmNoteVerbaleDialog *self)
{
  update (self);
  if (cbm_note_verbale_validate (self->note, NULL))
    return TRUE;
  self->show_all_errors = TRUE;
  update (self);
  adw_toast_overlay_add_toast (self->toast_overlay,
                               adw_toast_new (_("Complete the highlighted fields first")));
  return FALSE;
}

static char *
full_text (CbmNoteVerbaleDialog *self)
{
  g_autofree char *title = cbm_note_verbale_render_title (get_language (self), NULL);
  g_autofree char *text = cbm_note_verbale_render (self->note, get_language (self), NULL);

  if (title == NULL || text == NULL)
    return NULL;
  return g_strconcat (title, "\n\n", text, "\n", NULL);
}

static void
copy_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  CbmNoteVerbaleDialog *self = CBM_NOTE_VERBALE_DIALOG (widget);
  g_autofree char *text = NULL;

  if (!check_complete (self) || (text = full_text (self)) == NULL)
    return;
  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), text);
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (_("Note copied")));
}

static void
save_response_cb (GtkNativeDialog      *dialog,
                  int                   response,
                  CbmNoteVerbaleDialog *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;
      g_autofree char *name = file != NULL ? g_file_get_basename (file) : NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *text = NULL;

      if (path == NULL)
        text = g_strdup (_("Choose a local folder for the PDF"));
      /* A one-page PDF: quick enough to write here. */
      else if (!cbm_note_verbale_write_pdf (self->note, get_language (self), path, &error))
        text = g_strdup_printf (_("Could not save “%s”: %s"), name, error->message);
      else
        text = g_strdup_printf (_("Saved “%s”"), name);
      adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (text));
    }
  g_clear_object (&self->chooser);
}

static void
save_pdf_activated (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  CbmNoteVerbaleDialog *self = CBM_NOTE_VERBALE_DIALOG (widget);
  g_autofree char *name = NULL;
  GtkFileFilter *filter;

  if (!check_complete (self) || self->chooser != NULL)
    return;

  self->chooser = gtk_file_chooser_native_new (_("Save Note Verbale"), GTK_WINDOW (self),
                                               GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));
  /* Translators: the file name of a saved note; %s is a country code. */
  name = g_strdup_printf (_("note-verbale-%s.pdf"), self->note->country_code);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser), name);
  filter = gtk_file_filter_new ();
  gtk_file_filter_set_name (filter, _("PDF documents"));
  gtk_file_filter_add_mime_type (filter, "application/pdf");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), filter);
  g_object_unref (filter);
  g_signal_connect (self->chooser, "response", G_CALLBACK (save_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
write_email_activated (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  CbmNoteVerbaleDialog *self = CBM_NOTE_VERBALE_DIALOG (widget);
  g_autofree char *text = NULL;
  g_autofree char *subject = NULL;
  g_autofree char *subject_escaped = NULL;
  g_autofree char *body_escaped = NULL;
  g_autofree char *uri = NULL;

  if (!check_complete (self) || (text = full_text (self)) == NULL)
    return;
  subject = cbm_note_verbale_render_subject (self->note, get_language (self), NULL);
  if (subject == NULL)
    return;

  /* RFC 6068: everything but unreserved characters percent-encoded, line breaks as CRLF. */
  {
    g_autoptr(GString) crlf = g_string_new (text);
    g_string_replace (crlf, "\n", "\r\n", 0);
    body_escaped = g_uri_escape_string (crlf->str, NULL, FALSE);
  }
  subject_escaped = g_uri_escape_string (subject, NULL, FALSE);
  uri = g_strdup_printf ("mailto:%s?subject=%s&body=%s", CICTE_ADDRESS, subject_escaped, body_escaped);
  cbm_mail_open (GTK_WINDOW (self), uri, self->toast_overlay);
}

/* One labelled row of the form, with its message line below. */
static void
add_row (CbmNoteVerbaleDialog *self,
         const char           *label_text,
         GtkWidget            *widget,
         const char           *field,
         GtkWidget           **row_widgets)
{
  GtkWidget *label = gtk_label_new_with_mnemonic (label_text);
  GtkWidget *message = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 1);
  gtk_label_set_mnemonic_widget (GTK_LABEL (label), widget);
  gtk_widget_set_hexpand (widget, TRUE);
  gtk_grid_attach (self->form_grid, label, 0, self->next_row, 1, 1);
  gtk_grid_attach (self->form_grid, widget, 1, self->next_row, 1, 1);

  gtk_label_set_xalign (GTK_LABEL (message), 0);
  gtk_label_set_wrap (GTK_LABEL (message), TRUE);
  gtk_widget_add_css_class (message, "caption");
  gtk_widget_add_css_class (message, "error");
  gtk_widget_set_visible (message, FALSE);
  gtk_grid_attach (self->form_grid, message, 1, self->next_row + 1, 1, 1);
  self->next_row += 2;

  gtk_accessible_update_relation (GTK_ACCESSIBLE (widget),
                                  GTK_ACCESSIBLE_RELATION_LABELLED_BY, label, NULL,
                                  GTK_ACCESSIBLE_RELATION_DESCRIBED_BY, message, NULL,
                                  -1);
  if (field != NULL)
    g_hash_table_insert (self->error_labels, (gpointer) field, message);
  if (row_widgets != NULL)
    {
      row_widgets[0] = label;
      row_widgets[1] = widget;
      row_widgets[2] = message;
    }
}

static GtkDropDown *
add_dropdown (CbmNoteVerbaleDialog *self,
              const char           *label,
              const char * const   *items,
              const char           *field)
{
  GtkDropDown *dropdown = GTK_DROP_DOWN (gtk_drop_down_new_from_strings (items));

  add_row (self, label, GTK_WIDGET (dropdown), field, NULL);
  g_signal_connect_swapped (dropdown, "notify::selected", G_CALLBACK (dropdown_changed_cb), self);
  return dropdown;
}

static GtkEntry *
add_entry (CbmNoteVerbaleDialog *self,
           Entry                 which,
           const char           *label,
           GtkWidget           **row_widgets)
{
  GtkEntry *entry = GTK_ENTRY (gtk_entry_new ());

  g_object_set_data (G_OBJECT (entry), "cbm-field", (gpointer) entry_fields[which]);
  add_row (self, label, GTK_WIDGET (entry), entry_fields[which], row_widgets);
  g_signal_connect (entry, "changed", G_CALLBACK (entry_changed_cb), self);
  self->entries[which] = entry;
  return entry;
}

static void
build_form (CbmNoteVerbaleDialog *self)
{
  const char *actions[] = { _("Nominate a point of contact"), _("Replace a point of contact"),
                            _("Remove a point of contact"), NULL };
  /* Each language named in itself: the note's language is chosen apart from the UI's. */
  const char *languages[] = { "Español", "English", "Français", "Português", NULL };
  const char *categories[] = { _("Political"), _("Foreign affairs"), NULL };
  const char *none[] = { NULL };

  self->action_dropdown = add_dropdown (self, _("_Request"), actions, NULL);
  self->language_dropdown = add_dropdown (self, _("Note _language"), languages, NULL);
  self->country_dropdown = add_dropdown (self, _("C_ountry"), none, CBM_NOTE_VERBALE_FIELD_COUNTRY);
  add_entry (self, ENTRY_NAME, _("Full _name"), NULL);
  add_entry (self, ENTRY_POSITION, _("Official _position"), NULL);
  add_entry (self, ENTRY_INSTITUTION, _("_Institution"), NULL);
  add_entry (self, ENTRY_EMAIL, _("_E-mail"), NULL);
  gtk_entry_set_input_purpose (self->entries[ENTRY_EMAIL], GTK_INPUT_PURPOSE_EMAIL);
  self->category_dropdown = add_dropdown (self, _("Ca_tegory"), categories, CBM_NOTE_VERBALE_FIELD_CATEGORY);
  add_entry (self, ENTRY_REPLACED, _("_Replaces"), self->replaced_widgets);
  gtk_entry_set_placeholder_text (self->entries[ENTRY_REPLACED], _("Name of the person replaced"));
  add_entry (self, ENTRY_SENDER, _("_Sent by"), NULL);
  add_entry (self, ENTRY_CITY, _("Ci_ty"), NULL);
  add_entry (self, ENTRY_DATE, _("_Date"), NULL);
  gtk_entry_set_placeholder_text (self->entries[ENTRY_DATE], _("YYYY-MM-DD"));
}

static void
cbm_note_verbale_dialog_dispose (GObject *object)
{
  CbmNoteVerbaleDialog *self = CBM_NOTE_VERBALE_DIALOG (object);

  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  gtk_widget_dispose_template (GTK_WIDGET (self), CBM_TYPE_NOTE_VERBALE_DIALOG);
  G_OBJECT_CLASS (cbm_note_verbale_dialog_parent_class)->dispose (object);
}

static void
cbm_note_verbale_dialog_finalize (GObject *object)
{
  CbmNoteVerbaleDialog *self = CBM_NOTE_VERBALE_DIALOG (object);

  g_clear_object (&self->store);
  g_clear_object (&self->contact);
  g_clear_pointer (&self->note, cbm_note_verbale_free);
  g_clear_pointer (&self->country_codes, g_ptr_array_unref);
  g_clear_pointer (&self->error_labels, g_hash_table_unref);
  g_clear_pointer (&self->touched, g_hash_table_unref);
  g_clear_pointer (&self->auto_sender, g_free);
  G_OBJECT_CLASS (cbm_note_verbale_dialog_parent_class)->finalize (object);
}

static void
cbm_note_verbale_dialog_class_init (CbmNoteVerbaleDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cbm_note_verbale_dialog_dispose;
  object_class->finalize = cbm_note_verbale_dialog_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE "/ui/contacts/cbm-note-verbale-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, CbmNoteVerbaleDialog, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, CbmNoteVerbaleDialog, form_grid);
  gtk_widget_class_bind_template_child (widget_class, CbmNoteVerbaleDialog, preview);

  gtk_widget_class_install_action (widget_class, "note.copy", NULL, copy_activated);
  gtk_widget_class_install_action (widget_class, "note.save-pdf", NULL, save_pdf_activated);
  gtk_widget_class_install_action (widget_class, "note.write-email", NULL, write_email_activated);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
cbm_note_verbale_dialog_init (CbmNoteVerbaleDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->note = cbm_note_verbale_new ();
  self->country_codes = g_ptr_array_new_with_free_func (g_free);
  self->error_labels = g_hash_table_new (g_str_hash, g_str_equal);
  self->touched = g_hash_table_new (g_str_hash, g_str_equal);
  self->filling = TRUE;
  build_form (self);
  self->filling = FALSE;
}

static void
fill_countries (CbmNoteVerbaleDialog *self,
                const char           *selected_code)
{
  GListModel *countries = cbm_store_get_countries (self->store);
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  g_autoptr(GtkExpression) expression = NULL;
  const char *ui_language = cbm_text_user_language ();
  guint selected = GTK_INVALID_LIST_POSITION;

  for (guint i = 0; i < g_list_model_get_n_items (countries); i++)
    {
      g_autoptr(CbmCountry) country = g_list_model_get_item (countries, i);

      if (g_strcmp0 (country->code, selected_code) == 0)
        selected = self->country_codes->len;
      g_ptr_array_add (self->country_codes, g_strdup (country->code));
      gtk_string_list_append (names, cbm_country_get_name (country, ui_language));
    }
  gtk_drop_down_set_model (self->country_dropdown, G_LIST_MODEL (names));
  expression = gtk_property_expression_new (GTK_TYPE_STRING_OBJECT, NULL, "string");
  gtk_drop_down_set_expression (self->country_dropdown, expression);
  gtk_drop_down_set_enable_search (self->country_dropdown, TRUE);
  gtk_drop_down_set_selected (self->country_dropdown, selected);
}

/**
 * cbm_note_verbale_dialog_new:
 * @parent: the window the dialog is modal for
 * @store: where the countries come from
 * @contact: (nullable): the contact to pre-fill from, or %NULL for a nomination from scratch
 *
 * With a contact the request defaults to removing it; switching to "replace" keeps it as the
 * person replaced and clears the fields for the successor.
 */
CbmNoteVerbaleDialog *
cbm_note_verbale_dialog_new (GtkWindow  *parent,
                             CbmStore   *store,
                             CbmContact *contact)
{
  CbmNoteVerbaleDialog *self;
  const char *ui_language = cbm_text_user_language ();
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *today = g_date_time_format (now, "%Y-%m-%d");

  g_return_val_if_fail (CBM_IS_STORE (store), NULL);

  self = g_object_new (CBM_TYPE_NOTE_VERBALE_DIALOG, "transient-for", parent, NULL);
  self->store = g_object_ref (store);

  self->filling = TRUE;
  /* The note starts in the UI's language when it has a template. */
  for (guint i = 0; cbm_note_verbale_languages[i] != NULL; i++)
    if (g_strcmp0 (cbm_note_verbale_languages[i], ui_language) == 0)
      gtk_drop_down_set_selected (self->language_dropdown, i);
  fill_countries (self, contact != NULL ? contact->country : NULL);
  gtk_editable_set_text (GTK_EDITABLE (self->entries[ENTRY_CITY]), C_("place name", "Washington, D.C."));
  gtk_editable_set_text (GTK_EDITABLE (self->entries[ENTRY_DATE]), today);
  if (contact != NULL)
    {
      self->contact = g_object_ref (contact);
      gtk_drop_down_set_selected (self->action_dropdown, CBM_NOTE_VERBALE_REMOVE);
      self->last_action = CBM_NOTE_VERBALE_REMOVE;
      gtk_editable_set_text (GTK_EDITABLE (self->entries[ENTRY_NAME]), contact->name ? contact->name : "");
      gtk_editable_set_text (GTK_EDITABLE (self->entries[ENTRY_POSITION]), contact->position ? contact->position : "");
      gtk_editable_set_text (GTK_EDITABLE (self->entries[ENTRY_INSTITUTION]),
                             contact->institution ? contact->institution : "");
      gtk_editable_set_text (GTK_EDITABLE (self->entries[ENTRY_EMAIL]), contact->email ? contact->email : "");
      gtk_drop_down_set_selected (self->category_dropdown,
                                  contact->category == CBM_CONTACT_CATEGORY_FOREIGN_AFFAIRS ? 1 : 0);
    }
  self->filling = FALSE;
  update (self);
  return self;
}

/* The note's language, as a code of cbm_note_verbale_languages. */
void
cbm_note_verbale_dialog_set_language (CbmNoteVerbaleDialog *self,
                                      const char           *language)
{
  g_return_if_fail (CBM_IS_NOTE_VERBALE_DIALOG (self));

  for (guint i = 0; cbm_note_verbale_languages[i] != NULL; i++)
    if (g_strcmp0 (cbm_note_verbale_languages[i], language) == 0)
      gtk_drop_down_set_selected (self->language_dropdown, i);
}

void
cbm_note_verbale_dialog_set_action (CbmNoteVerbaleDialog *self,
                                    CbmNoteVerbaleAction  action)
{
  g_return_if_fail (CBM_IS_NOTE_VERBALE_DIALOG (self));
  gtk_drop_down_set_selected (self->action_dropdown, action);
}

/**
 * cbm_note_verbale_dialog_dup_preview:
 *
 * Returns: (transfer full): the text the preview shows
 */
char *
cbm_note_verbale_dialog_dup_preview (CbmNoteVerbaleDialog *self)
{
  GtkTextBuffer *buffer;
  GtkTextIter start, end;

  g_return_val_if_fail (CBM_IS_NOTE_VERBALE_DIALOG (self), NULL);
  buffer = gtk_text_view_get_buffer (self->preview);
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

/**
 * cbm_note_verbale_dialog_get_message:
 * @field: a CBM_NOTE_VERBALE_FIELD_* name
 *
 * Returns: (nullable): the message shown under that field, or %NULL when none is shown
 */
const char *
cbm_note_verbale_dialog_get_message (CbmNoteVerbaleDialog *self,
                                     const char           *field)
{
  GtkWidget *label;

  g_return_val_if_fail (CBM_IS_NOTE_VERBALE_DIALOG (self), NULL);
  label = g_hash_table_lookup (self->error_labels, field);
  if (label == NULL || !gtk_widget_get_visible (label))
    return NULL;
  return gtk_label_get_text (GTK_LABEL (label));
}

/**
 * cbm_note_verbale_dialog_get_entry:
 * @field: a CBM_NOTE_VERBALE_FIELD_* name typed in an entry
 *
 * Returns: (transfer none) (nullable): the entry for that field
 */
GtkEditable *
cbm_note_verbale_dialog_get_entry (CbmNoteVerbaleDialog *self,
                                   const char           *field)
{
  g_return_val_if_fail (CBM_IS_NOTE_VERBALE_DIALOG (self), NULL);

  for (guint i = 0; i < N_ENTRIES; i++)
    if (g_strcmp0 (entry_fields[i], field) == 0)
      return GTK_EDITABLE (self->entries[i]);
  return NULL;
}
