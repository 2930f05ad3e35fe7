/* cbm-contact-row.c
 *
 * Copyright 2026 The CBM Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "cbm-contact-row.h"

struct _CbmContactRow
{
  GtkWidget  parent_instance;

  GtkLabel  *name_label;
  GtkLabel  *where_label;
  GtkLabel  *country_label;
  GtkLabel  *category_label;
  GtkLabel  *stale_label;
};

G_DEFINE_FINAL_TYPE (CbmContactRow, cbm_contact_row, GTK_TYPE_WIDGET)

static void
cbm_contact_row_dispose (GObject *object)
{
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (object), CBM_TYPE_CONTACT_ROW);
  /* The template's unnamed boxes are children too. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (cbm_contact_row_parent_class)->dispose (object);
}

static void
cbm_contact_row_class_init (CbmContactRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cbm_contact_row_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/ui/contacts/cbm-contact-row.ui");
  gtk_widget_class_bind_template_child (widget_class, CbmContactRow, name_label);
  gtk_widget_class_bind_template_child (widget_class, CbmContactRow, where_label);
  gtk_widget_class_bind_template_child (widget_class, CbmContactRow, country_label);
  gtk_widget_class_bind_template_child (widget_class, CbmContactRow, category_label);
  gtk_widget_class_bind_template_child (widget_class, CbmContactRow, stale_label);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_LABEL);
}

static void
cbm_contact_row_init (CbmContactRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

CbmContactRow *
cbm_contact_row_new (void)
{
  return g_object_new (CBM_TYPE_CONTACT_ROW, NULL);
}

/**
 * cbm_contact_row_set_contact:
 * @country_name: the name of the contact's country in the user's language
 * @today: the reference of the twelve-month rule, from cbm_contact_stale_reference()
 */
void
cbm_contact_row_set_contact (CbmContactRow *self,
                             CbmContact    *contact,
                             const char    *country_name,
                             GDateTime     *today)
{
  g_autoptr(GString) where = g_string_new (NULL);
  g_autoptr(GString) accessible = g_string_new (NULL);
  const char *category = cbm_contact_category_get_label (contact->category);
  gboolean stale = cbm_contact_is_stale (contact, today);

  g_return_if_fail (CBM_IS_CONTACT_ROW (self));

  if (contact->position != NULL)
    g_string_append (where, contact->position);
  if (contact->institution != NULL)
    g_string_append_printf (where, "%s%s", where->len ? " · " : "", contact->institution);

  gtk_label_set_label (self->name_label, contact->name);
  gtk_label_set_label (self->where_label, where->str);
  gtk_widget_set_visible (GTK_WIDGET (self->where_label), where->len > 0);
  gtk_label_set_label (self->country_label, country_name);
  gtk_label_set_label (self->category_label, category);
  gtk_widget_set_visible (GTK_WIDGET (self->stale_label), stale);
  if (stale)
    {
      g_autofree char *date = cbm_date_format_string (contact->verified);
      g_autofree char *tooltip = date ? g_strdup_printf (_("Last verified %s"), date)
                                      : g_strdup (_("Never verified"));
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->stale_label), tooltip);
    }

  /* List rows reach screen readers and tests through this label (pitfalls.md). */
  g_string_append_printf (accessible, "%s, %s, %s", contact->name ? contact->name : "", country_name, category);
  if (where->len > 0)
    g_string_append_printf (accessible, ", %s", where->str);
  if (stale)
    g_string_append_printf (accessible, ", %s", _("possibly out of date"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, accessible->str, -1);
}
