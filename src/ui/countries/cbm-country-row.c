/* cbm-country-row.c
 *
 * Copyright 2026 The CBM Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "cbm-country-row.h"

struct _CbmCountryRow
{
  GtkWidget  parent_instance;

  GtkLabel  *code_label;
  GtkLabel  *name_label;
  GtkLabel  *counts_label;
  GtkLabel  *coverage_label;
};

G_DEFINE_FINAL_TYPE (CbmCountryRow, cbm_country_row, GTK_TYPE_WIDGET)

static void
cbm_country_row_dispose (GObject *object)
{
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (object), CBM_TYPE_COUNTRY_ROW);
  /* The template's unnamed box is a child too. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (cbm_country_row_parent_class)->dispose (object);
}

static void
cbm_country_row_class_init (CbmCountryRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cbm_country_row_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/ui/countries/cbm-country-row.ui");
  gtk_widget_class_bind_template_child (widget_class, CbmCountryRow, code_label);
  gtk_widget_class_bind_template_child (widget_class, CbmCountryRow, name_label);
  gtk_widget_class_bind_template_child (widget_class, CbmCountryRow, counts_label);
  gtk_widget_class_bind_template_child (widget_class, CbmCountryRow, coverage_label);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_LABEL);
}

static void
cbm_country_row_init (CbmCountryRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

CbmCountryRow *
cbm_country_row_new (void)
{
  return g_object_new (CBM_TYPE_COUNTRY_ROW, NULL);
}

void
cbm_country_row_set_country (CbmCountryRow *self,
                             CbmCountry    *country)
{
  guint documents = g_list_model_get_n_items (G_LIST_MODEL (country->documents));
  guint contacts = g_list_model_get_n_items (G_LIST_MODEL (country->contacts));
  guint coverage = cbm_country_get_coverage (country);
  const char *name = cbm_country_get_name (country, cbm_text_user_language ());
  g_autofree char *documents_text = NULL;
  g_autofree char *counts = NULL;
  g_autofree char *coverage_text = NULL;
  g_autofree char *coverage_long = NULL;
  g_autofree char *accessible = NULL;

  g_return_if_fail (CBM_IS_COUNTRY_ROW (self));

  documents_text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u document", "%u documents", documents), documents);
  /* Translators: "3 documents · 2 contacts". */
  counts = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s · %u contact", "%s · %u contacts", contacts),
                            documents_text, contacts);
  /* Translators: how many of the six measures a country implements, as in "4/6". */
  coverage_text = g_strdup_printf (_("%u/%u"), coverage, CBM_N_MEASURES);
  coverage_long = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u of %u measures implemented",
                                                "%u of %u measures implemented", coverage),
                                   coverage, CBM_N_MEASURES);

  gtk_label_set_label (self->code_label, country->code);
  gtk_label_set_label (self->name_label, name);
  gtk_label_set_label (self->counts_label, counts);
  gtk_label_set_label (self->coverage_label, coverage_text);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->coverage_label), coverage_long);

  gtk_widget_remove_css_class (GTK_WIDGET (self->coverage_label), "success");
  gtk_widget_remove_css_class (GTK_WIDGET (self->coverage_label), "warning");
  gtk_widget_add_css_class (GTK_WIDGET (self->coverage_label), coverage >= 5 ? "success" : "warning");

  /* List rows reach screen readers and tests through this label (pitfalls.md). */
  accessible = g_strdup_printf ("%s, %s, %s", name, counts, coverage_long);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, accessible, -1);
}
