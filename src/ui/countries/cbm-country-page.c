/* cbm-country-page.c
 *
 * Copyright 2026 The CBM Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "cbm-country-page.h"

struct _CbmCountryPage
{
  AdwBin                parent_instance;

  CbmCountry           *country;
  const char           *language;
  GPtrArray            *measure_rows;

  GtkLabel             *title_label;
  GtkLabel             *names_label;
  GtkLabel             *as_of_label;
  AdwPreferencesGroup  *measures_group;
  AdwPreferencesGroup  *documents_group;
  GtkStack             *documents_stack;
  GtkListBox           *documents_list;
  AdwPreferencesGroup  *contacts_group;
  GtkStack             *contacts_stack;
  GtkListBox           *contacts_list;
};

G_DEFINE_FINAL_TYPE (CbmCountryPage, cbm_country_page, ADW_TYPE_BIN)

static GtkWidget *
new_label (const char *text,
           const char *css_class)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  if (css_class != NULL)
    gtk_widget_add_css_class (label, css_class);
  return label;
}

static GtkWidget *
new_pill (const char *text,
          const char *css_class)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_widget_set_valign (label, GTK_ALIGN_START);
  gtk_widget_add_css_class (label, "pill-label");
  gtk_widget_add_css_class (label, css_class);
  return label;
}

static void
open_document (CbmCountryPage *self,
               CbmDocument    *document)
{
  /* The window shows it in its document page, or why it cannot. */
  gtk_widget_activate_action (GTK_WIDGET (self), "win.open-document", "(ss)",
                              document->id, document->country);
}

static void
document_activated_cb (CbmCountryPage *self,
                       GtkListBoxRow  *row)
{
  CbmDocument *document = g_object_get_data (G_OBJECT (row), "document");

  if (document != NULL)
    open_document (self, document);
}

static void
evidence_activated_cb (AdwActionRow *row,
                       gpointer      user_data)
{
  CbmCountryPage *self = user_data;
  CbmDocument *document = g_object_get_data (G_OBJECT (row), "document");

  open_document (self, document);
}

/* "Strategy · 28 May 2019 · Spanish" */
static char *
describe_document (CbmDocument *document)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);

  g_ptr_array_add (parts, g_strdup (cbm_document_kind_get_label (document->kind)));
  if (document->date != NULL)
    g_ptr_array_add (parts, cbm_date_format_string (document->date));
  if (document->language != NULL)
    g_ptr_array_add (parts, g_strdup (cbm_text_get_language_name (document->language)));
  g_ptr_array_add (parts, NULL);
  return g_strjoinv (" · ", (char **) parts->pdata);
}

static GtkWidget *
create_document_row (gpointer item,
                     gpointer user_data)
{
  CbmCountryPage *self = user_data;
  CbmDocument *document = item;
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  GtkWidget *top = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *title = new_label (document->title, "heading");
  g_autofree char *meta = describe_document (document);
  const char *picked = NULL;
  const char *summary = cbm_text_pick (document->summary, self->language, &picked);
  g_autofree char *accessible = NULL;

  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_widget_set_margin_top (box, 10);
  gtk_widget_set_margin_bottom (box, 10);

  gtk_widget_set_hexpand (title, TRUE);
  gtk_box_append (GTK_BOX (top), title);
  gtk_box_append (GTK_BOX (top),
                  new_pill (cbm_document_status_get_label (document->status),
                            document->status == CBM_DOCUMENT_STATUS_ADOPTED ? "success" : "warning"));
  gtk_box_append (GTK_BOX (box), top);
  gtk_box_append (GTK_BOX (box), new_label (meta, "dim-label"));
  if (document->issuer != NULL)
    gtk_box_append (GTK_BOX (box), new_label (document->issuer, "dim-label"));

  if (summary != NULL)
    {
      gtk_box_append (GTK_BOX (box), new_label (summary, NULL));
      if (g_strcmp0 (picked, self->language) != 0)
        {
          /* Translators: shown under a text that is not in the user's language, as in
           * "Summary in English". */
          g_autofree char *note = g_strdup_printf (_("Summary in %s"), cbm_text_get_language_name (picked));
          gtk_box_append (GTK_BOX (box), new_label (note, "caption"));
          gtk_widget_add_css_class (gtk_widget_get_last_child (box), "dim-label");
        }
    }

  if (document->local_path == NULL)
    gtk_box_append (GTK_BOX (box), new_label (_("Not downloaded yet: it will be fetched at the next synchronisation."), "caption"));

  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), document->local_path != NULL);
  g_object_set_data_full (G_OBJECT (row), "document", g_object_ref (document), g_object_unref);
  accessible = g_strdup_printf ("%s, %s, %s", document->title, meta,
                                cbm_document_status_get_label (document->status));
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, accessible, -1);
  return row;
}

static GtkWidget *
create_contact_row (gpointer item,
                    gpointer user_data)
{
  CbmContact *contact = item;
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  GtkWidget *top = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *name = new_label (contact->name, "heading");
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) today = cbm_contact_stale_reference (now);
  g_autoptr(GString) where = g_string_new (NULL);
  g_autoptr(GString) reach = g_string_new (NULL);

  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_widget_set_margin_top (box, 10);
  gtk_widget_set_margin_bottom (box, 10);

  gtk_widget_set_hexpand (name, TRUE);
  gtk_label_set_selectable (GTK_LABEL (name), TRUE);
  gtk_box_append (GTK_BOX (top), name);
  gtk_box_append (GTK_BOX (top), new_pill (cbm_contact_category_get_label (contact->category), "accent"));
  gtk_box_append (GTK_BOX (box), top);

  if (contact->position != NULL)
    g_string_append (where, contact->position);
  if (contact->institution != NULL)
    g_string_append_printf (where, "%s%s", where->len ? " · " : "", contact->institution);
  if (where->len > 0)
    gtk_box_append (GTK_BOX (box), new_label (where->str, "dim-label"));

  if (contact->email != NULL)
    g_string_append (reach, contact->email);
  if (contact->phone != NULL)
    g_string_append_printf (reach, "%s%s", reach->len ? " · " : "", contact->phone);
  if (reach->len > 0)
    {
      GtkWidget *label = new_label (reach->str, NULL);
      gtk_label_set_selectable (GTK_LABEL (label), TRUE);
      gtk_box_append (GTK_BOX (box), label);
    }

  if (contact->languages != NULL && contact->languages[0] != NULL)
    {
      g_autoptr(GPtrArray) names = g_ptr_array_new ();
      g_autofree char *joined = NULL;
      g_autofree char *text = NULL;

      for (guint i = 0; contact->languages[i] != NULL; i++)
        g_ptr_array_add (names, (gpointer) cbm_text_get_language_name (contact->languages[i]));
      g_ptr_array_add (names, NULL);
      joined = g_strjoinv (", ", (char **) names->pdata);
      /* Translators: the languages a point of contact speaks. */
      text = g_strdup_printf (_("Speaks %s"), joined);
      gtk_box_append (GTK_BOX (box), new_label (text, "caption"));
    }

  if (cbm_contact_is_stale (contact, today))
    {
      g_autofree char *date = cbm_date_format_string (contact->verified);
      g_autofree char *text = date ? g_strdup_printf (_("Possibly out of date: last verified %s"), date)
                                   : g_strdup (_("Possibly out of date: never verified"));
      GtkWidget *badge = new_pill (text, "warning");

      gtk_widget_set_halign (badge, GTK_ALIGN_START);
      gtk_box_append (GTK_BOX (box), badge);
    }
  else
    {
      g_autofree char *date = cbm_date_format_string (contact->verified);
      g_autofree char *text = g_strdup_printf (_("Verified %s"), date);
      gtk_box_append (GTK_BOX (box), new_label (text, "caption"));
      gtk_widget_add_css_class (gtk_widget_get_last_child (box), "dim-label");
    }

  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, contact->name, -1);
  return row;
}

static const char *
measure_icon (CbmMeasureStatus status,
              const char     **css_class)
{
  switch (status)
    {
    case CBM_MEASURE_STATUS_YES:
      *css_class = "success";
      return "emblem-ok-symbolic";
    case CBM_MEASURE_STATUS_PARTIAL:
      *css_class = "warning";
      return "dialog-warning-symbolic";
    case CBM_MEASURE_STATUS_NO:
      *css_class = "error";
      return "action-unavailable-symbolic";
    case CBM_MEASURE_STATUS_UNKNOWN:
    case CBM_N_MEASURE_STATUSES:
    default:
      *css_class = "dim-label";
      return "dialog-question-symbolic";
    }
}

static void
rebuild_measures (CbmCountryPage *self)
{
  for (guint i = 0; i < self->measure_rows->len; i++)
    adw_preferences_group_remove (self->measures_group, g_ptr_array_index (self->measure_rows, i));
  g_ptr_array_set_size (self->measure_rows, 0);

  for (guint number = 1; number <= CBM_N_MEASURES; number++)
    {
      CbmMeasure *measure = cbm_country_get_measure (self->country, number);
      const char *css_class = NULL;
      const char *icon_name = measure_icon (measure->status, &css_class);
      g_autofree char *title = g_strdup_printf (_("CBM %u: %s"), number, cbm_measure_get_title (number));
      g_autofree char *subtitle = NULL;
      GtkWidget *icon = gtk_image_new_from_icon_name (icon_name);
      GtkWidget *row;
      guint n_evidence = measure->evidence ? g_strv_length (measure->evidence) : 0;

      if (measure->updated != NULL)
        {
          g_autofree char *date = cbm_date_format_string (measure->updated);
          /* Translators: a measure's status and when it was last reported, as in
           * "Implemented · reported 1 October 2026". */
          subtitle = g_strdup_printf (_("%s · reported %s"), cbm_measure_status_get_label (measure->status), date);
        }
      else
        subtitle = g_strdup (cbm_measure_status_get_label (measure->status));

      gtk_widget_add_css_class (icon, css_class);
      gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      cbm_measure_status_get_label (measure->status), -1);

      if (n_evidence > 0)
        {
          row = adw_expander_row_new ();
          adw_expander_row_add_prefix (ADW_EXPANDER_ROW (row), icon);
          for (guint i = 0; i < n_evidence; i++)
            {
              CbmDocument *document = cbm_country_find_document (self->country, measure->evidence[i]);
              GtkWidget *child = adw_action_row_new ();

              adw_preferences_row_set_title (ADW_PREFERENCES_ROW (child),
                                             document ? document->title : measure->evidence[i]);
              adw_action_row_set_subtitle (ADW_ACTION_ROW (child),
                                           document ? cbm_document_kind_get_label (document->kind)
                                                    : _("This document is not in the repository."));
              if (document != NULL && document->local_path != NULL)
                {
                  adw_action_row_add_suffix (ADW_ACTION_ROW (child), gtk_image_new_from_icon_name ("document-open-symbolic"));
                  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (child), TRUE);
                  g_object_set_data_full (G_OBJECT (child), "document", g_object_ref (document), g_object_unref);
                  g_signal_connect_object (child, "activated", G_CALLBACK (evidence_activated_cb), self, 0);
                }
              adw_expander_row_add_row (ADW_EXPANDER_ROW (row), child);
            }
          {
            g_autofree char *with_count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                                        "%s · %u evidence document",
                                                                        "%s · %u evidence documents",
                                                                        n_evidence),
                                                           subtitle, n_evidence);
            adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (row), with_count);
          }
        }
      else
        {
          row = adw_action_row_new ();
          adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
          adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
        }

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      gtk_widget_set_tooltip_text (row, cbm_measure_get_description (number));
      adw_preferences_group_add (self->measures_group, row);
      g_ptr_array_add (self->measure_rows, row);
    }
}

static void
update_header (CbmCountryPage *self)
{
  const char *name = cbm_country_get_name (self->country, self->language);
  g_autoptr(GPtrArray) others = g_ptr_array_new ();
  g_autofree char *joined = NULL;
  g_autofree char *as_of = NULL;

  gtk_label_set_label (self->title_label, name);

  for (guint i = 0; i < CBM_N_LANGUAGES; i++)
    {
      const char *other = NULL;
      const char *value = cbm_text_pick (self->country->names, cbm_languages[i], &other);
      gboolean seen = g_strcmp0 (value, name) == 0;

      for (guint j = 0; j < others->len && !seen; j++)
        seen = g_strcmp0 (g_ptr_array_index (others, j), value) == 0;
      if (value != NULL && !seen && g_strcmp0 (other, cbm_languages[i]) == 0)
        g_ptr_array_add (others, (gpointer) value);
    }
  g_ptr_array_add (others, NULL);
  joined = g_strjoinv (" · ", (char **) others->pdata);
  gtk_label_set_label (self->names_label, joined);
  gtk_widget_set_visible (GTK_WIDGET (self->names_label), *joined != '\0');

  if (self->country->synced_at != NULL)
    {
      g_autofree char *date = cbm_date_format_string (self->country->synced_at);
      /* Translators: when the repository last confirmed this country's data. */
      as_of = g_strdup_printf (_("Data as of %s"), date);
    }
  else
    as_of = g_strdup (_("Data from the bundled sample repository"));
  gtk_label_set_label (self->as_of_label, as_of);
}

static void
cbm_country_page_dispose (GObject *object)
{
  CbmCountryPage *self = CBM_COUNTRY_PAGE (object);

  /* AdwBin keeps its own pointer to its child: let it drop the child first. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), CBM_TYPE_COUNTRY_PAGE);
  g_clear_object (&self->country);
  g_clear_pointer (&self->measure_rows, g_ptr_array_unref);

  G_OBJECT_CLASS (cbm_country_page_parent_class)->dispose (object);
}

static void
cbm_country_page_class_init (CbmCountryPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cbm_country_page_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/ui/countries/cbm-country-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CbmCountryPage, title_label);
  gtk_widget_class_bind_template_child (widget_class, CbmCountryPage, names_label);
  gtk_widget_class_bind_template_child (widget_class, CbmCountryPage, as_of_label);
  gtk_widget_class_bind_template_child (widget_class, CbmCountryPage, measures_group);
  gtk_widget_class_bind_template_child (widget_class, CbmCountryPage, documents_group);
  gtk_widget_class_bind_template_child (widget_class, CbmCountryPage, documents_stack);
  gtk_widget_class_bind_template_child (widget_class, CbmCountryPage, documents_list);
  gtk_widget_class_bind_template_child (widget_class, CbmCountryPage, contacts_group);
  gtk_widget_class_bind_template_child (widget_class, CbmCountryPage, contacts_stack);
  gtk_widget_class_bind_template_child (widget_class, CbmCountryPage, contacts_list);
  gtk_widget_class_bind_template_callback (widget_class, document_activated_cb);
}

static void
cbm_country_page_init (CbmCountryPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->language = cbm_text_user_language ();
  self->measure_rows = g_ptr_array_new ();
}

void
cbm_country_page_set_country (CbmCountryPage *self,
                              CbmCountry     *country)
{
  guint n_documents, n_contacts;

  g_return_if_fail (CBM_IS_COUNTRY_PAGE (self));
  g_return_if_fail (CBM_IS_COUNTRY (country));

  /* The same country again: only its "data as of" can have moved. */
  if (self->country == country)
    {
      update_header (self);
      return;
    }
  g_set_object (&self->country, country);

  update_header (self);
  rebuild_measures (self);

  gtk_list_box_bind_model (self->documents_list, G_LIST_MODEL (country->documents),
                           create_document_row, self, NULL);
  gtk_list_box_bind_model (self->contacts_list, G_LIST_MODEL (country->contacts),
                           create_contact_row, self, NULL);

  n_documents = g_list_model_get_n_items (G_LIST_MODEL (country->documents));
  n_contacts = g_list_model_get_n_items (G_LIST_MODEL (country->contacts));
  gtk_stack_set_visible_child_name (self->documents_stack, n_documents > 0 ? "list" : "empty");
  gtk_stack_set_visible_child_name (self->contacts_stack, n_contacts > 0 ? "list" : "empty");

  /* The bin's child is not bound in the template: AdwBin unparents it itself on dispose. */
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (adw_bin_get_child (ADW_BIN (self)))), 0);
}

/**
 * cbm_country_page_get_country:
 *
 * Returns: (transfer none) (nullable): the country shown
 */
CbmCountry *
cbm_country_page_get_country (CbmCountryPage *self)
{
  g_return_val_if_fail (CBM_IS_COUNTRY_PAGE (self), NULL);
  return self->country;
}
