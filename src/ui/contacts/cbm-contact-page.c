/* cbm-contact-page.c
 *
 * Copyright 2026 The CBM Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "cbm-contact-page.h"

struct _CbmContactPage
{
  AdwBin       parent_instance;

  CbmContact  *contact;

  GtkLabel    *name_label;
  GtkLabel    *position_label;
  GtkLabel    *category_label;
  GtkLabel    *stale_label;
  GtkLabel    *verified_label;
  AdwActionRow *institution_row;
  AdwActionRow *country_row;
  AdwActionRow *email_row;
  AdwActionRow *phone_row;
  AdwActionRow *languages_row;
  AdwActionRow *verified_row;
};

G_DEFINE_FINAL_TYPE (CbmContactPage, cbm_contact_page, ADW_TYPE_BIN)

/* An empty field is shown as such rather than hidden, so a missing phone number is noticed. */
static void
set_row (AdwActionRow *row,
         const char   *value)
{
  gboolean known = value != NULL && *value != '\0';

  adw_action_row_set_subtitle (row, known ? value : _("Not given"));
}

static void
cbm_contact_page_dispose (GObject *object)
{
  CbmContactPage *self = CBM_CONTACT_PAGE (object);

  /* AdwBin keeps its own pointer to its child: let it drop the child first. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), CBM_TYPE_CONTACT_PAGE);
  g_clear_object (&self->contact);

  G_OBJECT_CLASS (cbm_contact_page_parent_class)->dispose (object);
}

static void
cbm_contact_page_class_init (CbmContactPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cbm_contact_page_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/ui/contacts/cbm-contact-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CbmContactPage, name_label);
  gtk_widget_class_bind_template_child (widget_class, CbmContactPage, position_label);
  gtk_widget_class_bind_template_child (widget_class, CbmContactPage, category_label);
  gtk_widget_class_bind_template_child (widget_class, CbmContactPage, stale_label);
  gtk_widget_class_bind_template_child (widget_class, CbmContactPage, verified_label);
  gtk_widget_class_bind_template_child (widget_class, CbmContactPage, institution_row);
  gtk_widget_class_bind_template_child (widget_class, CbmContactPage, country_row);
  gtk_widget_class_bind_template_child (widget_class, CbmContactPage, email_row);
  gtk_widget_class_bind_template_child (widget_class, CbmContactPage, phone_row);
  gtk_widget_class_bind_template_child (widget_class, CbmContactPage, languages_row);
  gtk_widget_class_bind_template_child (widget_class, CbmContactPage, verified_row);
}

static void
cbm_contact_page_init (CbmContactPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * cbm_contact_page_set_contact:
 * @country_name: the name of the contact's country in the user's language
 * @today: the reference of the twelve-month rule, from cbm_contact_stale_reference()
 */
void
cbm_contact_page_set_contact (CbmContactPage *self,
                              CbmContact     *contact,
                              const char     *country_name,
                              GDateTime      *today)
{
  g_autofree char *date = NULL;
  g_autofree char *languages = NULL;
  gboolean stale;

  g_return_if_fail (CBM_IS_CONTACT_PAGE (self));
  g_return_if_fail (CBM_IS_CONTACT (contact));

  g_set_object (&self->contact, contact);
  stale = cbm_contact_is_stale (contact, today);
  date = cbm_date_format_string (contact->verified);

  gtk_label_set_label (self->name_label, contact->name);
  gtk_label_set_label (self->position_label, contact->position ? contact->position : "");
  gtk_widget_set_visible (GTK_WIDGET (self->position_label), contact->position != NULL);
  gtk_label_set_label (self->category_label, cbm_contact_category_get_label (contact->category));

  /* The badge carries the date, so the reader knows how old the information is. */
  gtk_widget_set_visible (GTK_WIDGET (self->stale_label), stale);
  gtk_widget_set_visible (GTK_WIDGET (self->verified_label), !stale);
  if (stale)
    {
      g_autofree char *text = date ? g_strdup_printf (_("Possibly out of date: last verified %s"), date)
                                   : g_strdup (_("Possibly out of date: never verified"));
      gtk_label_set_label (self->stale_label, text);
    }
  else
    {
      g_autofree char *text = g_strdup_printf (_("Verified %s"), date);
      gtk_label_set_label (self->verified_label, text);
    }

  set_row (self->institution_row, contact->institution);
  set_row (self->country_row, country_name);
  set_row (self->email_row, contact->email);
  set_row (self->phone_row, contact->phone);

  if (contact->languages != NULL && contact->languages[0] != NULL)
    {
      g_autoptr(GPtrArray) names = g_ptr_array_new ();

      for (guint i = 0; contact->languages[i] != NULL; i++)
        g_ptr_array_add (names, (gpointer) cbm_text_get_language_name (contact->languages[i]));
      g_ptr_array_add (names, NULL);
      languages = g_strjoinv (", ", (char **) names->pdata);
    }
  set_row (self->languages_row, languages);
  adw_action_row_set_subtitle (self->verified_row, date ? date : _("Never"));
}

/**
 * cbm_contact_page_get_contact:
 *
 * Returns: (transfer none) (nullable): the contact shown
 */
CbmContact *
cbm_contact_page_get_contact (CbmContactPage *self)
{
  g_return_val_if_fail (CBM_IS_CONTACT_PAGE (self), NULL);
  return self->contact;
}

/* Returns: (nullable): the text of the out-of-date badge, if it is shown */
const char *
cbm_contact_page_get_stale_text (CbmContactPage *self)
{
  g_return_val_if_fail (CBM_IS_CONTACT_PAGE (self), NULL);
  if (!gtk_widget_get_visible (GTK_WIDGET (self->stale_label)))
    return NULL;
  return gtk_label_get_label (self->stale_label);
}
