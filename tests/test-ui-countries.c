/* test-ui-countries.c
 *
 * Copyright 2026 The CBM Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Starts the application on a fresh data folder (first start imports the bundled sample
 * repository), types searches into the country browser and checks the list through the
 * widget tree.
 */

#include "config.h"

#include "cbm-test-ui.h"

#include <glib/gstdio.h>
#include <gtk/gtk.h>

#include "cbm-application.h"
#include "cbm-countries-view.h"
#include "cbm-country-page.h"

/* Runs the main loop until the country list holds @n items, or fails after 60 s. */
/* Types like a user: the entry reports the change after its delay. */
static void
type_search (GtkWidget  *view,
             const char *text)
{
  GtkWidget *entry = cbm_test_find_widget (view, GTK_TYPE_SEARCH_ENTRY);

  g_assert_nonnull (entry);
  gtk_editable_set_text (GTK_EDITABLE (entry), text);
  cbm_test_spin (400);
}

static char *
dup_name_at (GListModel *model,
             guint       position)
{
  g_autoptr(CbmCountry) country = g_list_model_get_item (model, position);

  return g_strdup (cbm_country_get_name (country, "en"));
}

/* The stack that switches between the country list, its empty state and loading. */
static GtkStack *
find_list_stack (GtkWidget *root)
{
  if (GTK_IS_STACK (root) && gtk_stack_get_child_by_name (GTK_STACK (root), "loading") != NULL)
    return GTK_STACK (root);

  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkStack *found = find_list_stack (child);
      if (found != NULL)
        return found;
    }
  return NULL;
}

static const char *
visible_list_page (GtkWidget *view)
{
  GtkStack *stack = find_list_stack (view);

  g_assert_nonnull (stack);
  return gtk_stack_get_visible_child_name (stack);
}

static void
test_search (void)
{
  g_autoptr(CbmApplication) app = cbm_application_new ();
  g_autoptr(GError) error = NULL;
  GtkWindow *window;
  GtkWidget *view;
  GListModel *model;
  g_autofree char *first = NULL;

  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  g_application_activate (G_APPLICATION (app));

  window = gtk_application_get_active_window (GTK_APPLICATION (app));
  g_assert_nonnull (window);
  view = cbm_test_find_widget (GTK_WIDGET (window), CBM_TYPE_COUNTRIES_VIEW);
  g_assert_nonnull (view);
  model = cbm_countries_view_get_model (CBM_COUNTRIES_VIEW (view));

  /* First start: the bundled sample repository is imported; all 35 member states appear,
   * sorted by name. */
  cbm_test_wait_for_items (model, 35);
  g_assert_cmpstr (visible_list_page (view), ==, "list");
  first = dup_name_at (model, 0);
  g_assert_cmpstr (first, ==, "Antigua and Barbuda");

  /* Accents and case are ignored, in every language. */
  type_search (view, "peru");
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 1);
  g_clear_pointer (&first, g_free);
  first = dup_name_at (model, 0);
  g_assert_cmpstr (first, ==, "Peru");

  type_search (view, "BRESIL");
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 1);
  g_clear_pointer (&first, g_free);
  first = dup_name_at (model, 0);
  g_assert_cmpstr (first, ==, "Brazil");

  type_search (view, "Pérou");
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 1);

  type_search (view, "saint");
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 3);

  /* Nothing found: the empty state replaces the list. */
  type_search (view, "atlantis");
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 0);
  g_assert_cmpstr (visible_list_page (view), ==, "empty");

  /* Selecting a country shows its page. */
  type_search (view, "chile");
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 1);
  g_assert_true (cbm_countries_view_select_country (CBM_COUNTRIES_VIEW (view), "CL"));
  {
    CbmCountryPage *page = CBM_COUNTRY_PAGE (cbm_test_find_widget (view, CBM_TYPE_COUNTRY_PAGE));
    CbmCountry *shown = cbm_country_page_get_country (page);

    g_assert_nonnull (shown);
    g_assert_cmpstr (shown->code, ==, "CL");
    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (shown->documents)), >=, 3);
  }

  type_search (view, "");
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 35);

  gtk_window_destroy (window);
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *home = g_dir_make_tmp ("cbm-ui-XXXXXX", NULL);

  g_setenv ("XDG_DATA_HOME", home, TRUE);
  g_setenv ("LANGUAGE", "en", TRUE);
  gtk_test_init (&argc, &argv, NULL);
  g_test_add_func ("/ui/countries/search", test_search);
  return g_test_run ();
}
