/* cbm-countries-view.c
 *
 * Copyright 2026 The CBM Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "cbm-countries-view.h"
#include "cbm-country-page.h"
#include "cbm-country-row.h"

struct _CbmCountriesView
{
  AdwBin              parent_instance;

  CbmStore           *store;
  GSettings          *settings;
  GtkFilterListModel *filter_model;
  GtkCustomFilter    *filter;
  GtkSingleSelection *selection;
  char               *query;      /* folded */
  const char         *language;

  GtkSearchEntry     *search_entry;
  GtkMenuButton      *filter_button;
  GtkDropDown        *kind_dropdown;
  GtkDropDown        *measure_dropdown;
  GtkDropDown        *status_dropdown;
  GtkStack           *list_stack;
  GtkListView        *list_view;
  GtkStack           *page_stack;
  CbmCountryPage     *country_page;
};

G_DEFINE_FINAL_TYPE (CbmCountriesView, cbm_countries_view, ADW_TYPE_BIN)

/* The first entry of the kind and measure filters means "any". */
#define ANY 0

static gboolean
filter_country (gpointer item,
                gpointer user_data)
{
  CbmCountriesView *self = user_data;
  CbmCountry *country = item;
  guint kind = gtk_drop_down_get_selected (self->kind_dropdown);
  guint measure = gtk_drop_down_get_selected (self->measure_dropdown);

  if (!cbm_text_matches (country->search_key, self->query))
    return FALSE;
  if (kind != ANY && kind != GTK_INVALID_LIST_POSITION &&
      !cbm_country_has_document_kind (country, kind - 1))
    return FALSE;
  if (measure != ANY && measure != GTK_INVALID_LIST_POSITION &&
      cbm_country_get_measure_status (country, measure) != gtk_drop_down_get_selected (self->status_dropdown))
    return FALSE;
  return TRUE;
}

static int
compare_countries (gconstpointer a,
                   gconstpointer b,
                   gpointer      user_data)
{
  CbmCountriesView *self = user_data;

  return g_utf8_collate (cbm_country_get_name ((CbmCountry *) a, self->language),
                         cbm_country_get_name ((CbmCountry *) b, self->language));
}

static void
update_list_page (CbmCountriesView *self)
{
  guint shown = g_list_model_get_n_items (G_LIST_MODEL (self->filter_model));
  guint total = self->store ? g_list_model_get_n_items (cbm_store_get_countries (self->store)) : 0;

  if (total == 0)
    gtk_stack_set_visible_child_name (self->list_stack, "loading");
  else
    gtk_stack_set_visible_child_name (self->list_stack, shown > 0 ? "list" : "empty");
}

static void
refilter (CbmCountriesView *self)
{
  gboolean filtering = gtk_drop_down_get_selected (self->kind_dropdown) != ANY ||
                       gtk_drop_down_get_selected (self->measure_dropdown) != ANY;

  gtk_widget_set_sensitive (GTK_WIDGET (self->status_dropdown),
                            gtk_drop_down_get_selected (self->measure_dropdown) != ANY);
  if (filtering)
    gtk_widget_add_css_class (GTK_WIDGET (self->filter_button), "accent");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->filter_button), "accent");

  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
  update_list_page (self);
}

static void
show_selected (CbmCountriesView *self)
{
  CbmCountry *country = gtk_single_selection_get_selected_item (self->selection);

  if (country == NULL)
    {
      gtk_stack_set_visible_child_name (self->page_stack, "none");
      return;
    }

  cbm_country_page_set_country (self->country_page, country);
  gtk_stack_set_visible_child_name (self->page_stack, "country");
  if (self->settings != NULL)
    g_settings_set_string (self->settings, "last-country", country->code);
}

static void
selection_changed_cb (CbmCountriesView *self)
{
  show_selected (self);
}

/* The models are refreshed after each sync; keep the country the user was looking at. */
static void
countries_changed_cb (CbmCountriesView *self)
{
  CbmCountry *shown = cbm_country_page_get_country (self->country_page);
  g_autofree char *code = NULL;

  if (shown != NULL)
    code = g_strdup (shown->code);
  else if (self->settings != NULL)
    code = g_settings_get_string (self->settings, "last-country");

  update_list_page (self);
  if (code != NULL && *code != '\0')
    cbm_countries_view_select_country (self, code);
}

static void
search_changed_cb (CbmCountriesView *self)
{
  g_free (self->query);
  self->query = cbm_text_fold (gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
  refilter (self);
}

/* Enter in the search entry opens the first match. */
static void
search_activate_cb (CbmCountriesView *self)
{
  if (g_list_model_get_n_items (G_LIST_MODEL (self->selection)) == 0)
    return;
  gtk_single_selection_set_selected (self->selection, 0);
  gtk_widget_grab_focus (GTK_WIDGET (self->country_page));
}

static void
stop_search_cb (CbmCountriesView *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
}

static void
list_activate_cb (CbmCountriesView *self,
                  guint             position)
{
  gtk_single_selection_set_selected (self->selection, position);
  gtk_widget_grab_focus (GTK_WIDGET (self->country_page));
}

static void
filters_changed_cb (CbmCountriesView *self)
{
  if (self->filter != NULL)
    refilter (self);
}

static void
clear_filters_cb (CbmCountriesView *self)
{
  gtk_drop_down_set_selected (self->kind_dropdown, ANY);
  gtk_drop_down_set_selected (self->measure_dropdown, ANY);
}

static void
setup_row_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              gpointer                  user_data)
{
  gtk_list_item_set_child (item, GTK_WIDGET (cbm_country_row_new ()));
}

static void
bind_row_cb (GtkSignalListItemFactory *factory,
             GtkListItem              *item,
             gpointer                  user_data)
{
  cbm_country_row_set_country (CBM_COUNTRY_ROW (gtk_list_item_get_child (item)),
                               gtk_list_item_get_item (item));
}

static void
fill_dropdowns (CbmCountriesView *self)
{
  g_autoptr(GtkStringList) kinds = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) measures = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) statuses = gtk_string_list_new (NULL);

  gtk_string_list_append (kinds, _("Any kind"));
  for (guint i = 0; i < CBM_N_DOCUMENT_KINDS; i++)
    gtk_string_list_append (kinds, cbm_document_kind_get_label (i));

  gtk_string_list_append (measures, _("Any measure"));
  for (guint i = 1; i <= CBM_N_MEASURES; i++)
    {
      /* Translators: a confidence-building measure: its number and title. */
      g_autofree char *label = g_strdup_printf (_("CBM %u: %s"), i, cbm_measure_get_title (i));
      gtk_string_list_append (measures, label);
    }

  for (guint i = 0; i < CBM_N_MEASURE_STATUSES; i++)
    gtk_string_list_append (statuses, cbm_measure_status_get_label (i));

  gtk_drop_down_set_model (self->kind_dropdown, G_LIST_MODEL (kinds));
  gtk_drop_down_set_model (self->measure_dropdown, G_LIST_MODEL (measures));
  gtk_drop_down_set_model (self->status_dropdown, G_LIST_MODEL (statuses));
}

static void
cbm_countries_view_dispose (GObject *object)
{
  CbmCountriesView *self = CBM_COUNTRIES_VIEW (object);

  /* AdwBin keeps its own pointer to its child: let it drop the child first. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), CBM_TYPE_COUNTRIES_VIEW);
  g_clear_object (&self->filter_model);
  g_clear_object (&self->filter);
  g_clear_object (&self->selection);
  g_clear_object (&self->store);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->query, g_free);

  G_OBJECT_CLASS (cbm_countries_view_parent_class)->dispose (object);
}

static void
cbm_countries_view_class_init (CbmCountriesViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cbm_countries_view_dispose;

  g_type_ensure (CBM_TYPE_COUNTRY_PAGE);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/ui/countries/cbm-countries-view.ui");
  gtk_widget_class_bind_template_child (widget_class, CbmCountriesView, search_entry);
  gtk_widget_class_bind_template_child (widget_class, CbmCountriesView, filter_button);
  gtk_widget_class_bind_template_child (widget_class, CbmCountriesView, kind_dropdown);
  gtk_widget_class_bind_template_child (widget_class, CbmCountriesView, measure_dropdown);
  gtk_widget_class_bind_template_child (widget_class, CbmCountriesView, status_dropdown);
  gtk_widget_class_bind_template_child (widget_class, CbmCountriesView, list_stack);
  gtk_widget_class_bind_template_child (widget_class, CbmCountriesView, list_view);
  gtk_widget_class_bind_template_child (widget_class, CbmCountriesView, page_stack);
  gtk_widget_class_bind_template_child (widget_class, CbmCountriesView, country_page);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, stop_search_cb);
  gtk_widget_class_bind_template_callback (widget_class, list_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, filters_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, clear_filters_cb);
}

static void
cbm_countries_view_init (CbmCountriesView *self)
{
  GtkListItemFactory *factory;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->language = cbm_text_user_language ();
  self->query = g_strdup ("");
  fill_dropdowns (self);

  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (setup_row_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row_cb), NULL);
  gtk_list_view_set_factory (self->list_view, factory);
  g_object_unref (factory);

  gtk_search_entry_set_key_capture_widget (self->search_entry, GTK_WIDGET (self->list_view));
}

/**
 * cbm_countries_view_set_store:
 * @settings: (nullable): where the last country shown is remembered
 */
void
cbm_countries_view_set_store (CbmCountriesView *self,
                              CbmStore         *store,
                              GSettings        *settings)
{
  GtkSortListModel *sorted;
  GtkCustomSorter *sorter;

  g_return_if_fail (CBM_IS_COUNTRIES_VIEW (self));
  g_return_if_fail (self->store == NULL);

  self->store = g_object_ref (store);
  self->settings = settings ? g_object_ref (settings) : NULL;

  self->filter = gtk_custom_filter_new (filter_country, self, NULL);
  self->filter_model = gtk_filter_list_model_new (g_object_ref (cbm_store_get_countries (store)),
                                                  g_object_ref (GTK_FILTER (self->filter)));
  sorter = gtk_custom_sorter_new (compare_countries, self, NULL);
  sorted = gtk_sort_list_model_new (g_object_ref (G_LIST_MODEL (self->filter_model)), GTK_SORTER (sorter));
  self->selection = gtk_single_selection_new (G_LIST_MODEL (sorted));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (self->selection));

  g_signal_connect_object (self->selection, "notify::selected-item", G_CALLBACK (selection_changed_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (store, "changed", G_CALLBACK (countries_changed_cb), self, G_CONNECT_SWAPPED);
  countries_changed_cb (self);
}

void
cbm_countries_view_focus_search (CbmCountriesView *self)
{
  g_return_if_fail (CBM_IS_COUNTRIES_VIEW (self));
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

void
cbm_countries_view_set_search (CbmCountriesView *self,
                               const char       *text)
{
  g_return_if_fail (CBM_IS_COUNTRIES_VIEW (self));
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), text);
  /* The entry reports changes after a delay; a caller that sets the text wants it now. */
  search_changed_cb (self);
}

/**
 * cbm_countries_view_get_model:
 *
 * Returns: (transfer none): the countries shown, filtered and sorted
 */
GListModel *
cbm_countries_view_get_model (CbmCountriesView *self)
{
  g_return_val_if_fail (CBM_IS_COUNTRIES_VIEW (self), NULL);
  return G_LIST_MODEL (self->selection);
}

gboolean
cbm_countries_view_select_country (CbmCountriesView *self,
                                   const char       *code)
{
  guint n;

  g_return_val_if_fail (CBM_IS_COUNTRIES_VIEW (self), FALSE);

  n = g_list_model_get_n_items (G_LIST_MODEL (self->selection));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CbmCountry) country = g_list_model_get_item (G_LIST_MODEL (self->selection), i);

      if (g_strcmp0 (country->code, code) == 0)
        {
          gtk_single_selection_set_selected (self->selection, i);
          /* GTK 4.8 has no gtk_list_view_scroll_to(); its action does the same. */
          gtk_widget_activate_action (GTK_WIDGET (self->list_view), "list.scroll-to-item", "u", i);
          /* The item may be a fresh object with the same position. */
          show_selected (self);
          return TRUE;
        }
    }
  return FALSE;
}
