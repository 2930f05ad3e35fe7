/* test-ui-contacts.c
 *
 * Copyright 2026 The CBM Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Starts the application on a fresh data folder, searches the contact book, opens a contact
 * and asks for its country page through the contacts.show-country action.
 */

#include "config.h"

#include "cbm-test-ui.h"

#include <gtk/gtk.h>
#include <string.h>

#include "cbm-application.h"
#include "cbm-contact-page.h"
#include "cbm-contacts-view.h"
#include "cbm-countries-view.h"
#include "cbm-country-page.h"

static void
test_contacts (void)
{
  g_autoptr(CbmApplication) app = cbm_application_new ();
  g_autoptr(GError) error = NULL;
  GtkWindow *window;
  GtkWidget *view;
  GtkWidget *countries;
  CbmContactPage *page;
  GListModel *model;

  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  g_application_activate (G_APPLICATION (app));

  window = gtk_application_get_active_window (GTK_APPLICATION (app));
  g_assert_nonnull (window);
  view = cbm_test_find_widget (GTK_WIDGET (window), CBM_TYPE_CONTACTS_VIEW);
  g_assert_nonnull (view);
  countries = cbm_test_find_widget (GTK_WIDGET (window), CBM_TYPE_COUNTRIES_VIEW);
  model = cbm_contacts_view_get_model (CBM_CONTACTS_VIEW (view));

  /* First start imports the sample: 62 points of contact. */
  cbm_test_wait_for_items (model, 62);

  /* A country's name in another language finds its contacts. */
  cbm_contacts_view_set_search (CBM_CONTACTS_VIEW (view), "Pérou");
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 1);
  cbm_contacts_view_set_search (CBM_CONTACTS_VIEW (view), "bresil");
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 3);

  g_assert_true (cbm_contacts_view_select_contact (CBM_CONTACTS_VIEW (view), "br-mfa-1"));
  page = CBM_CONTACT_PAGE (cbm_test_find_widget (view, CBM_TYPE_CONTACT_PAGE));
  g_assert_cmpstr (cbm_contact_page_get_contact (page)->id, ==, "br-mfa-1");
  /* Verified on 25 September 2024: the badge says so, with the date. */
  g_assert_nonnull (cbm_contact_page_get_stale_text (page));
  g_assert_nonnull (strstr (cbm_contact_page_get_stale_text (page), "2024"));

  /* Copying the address puts it on the clipboard. */
  g_assert_true (gtk_widget_activate_action (view, "contacts.copy-email", NULL));

  /* "Show country" switches to the country page, even when the country list hides it. */
  cbm_countries_view_set_search (CBM_COUNTRIES_VIEW (countries), "chile");
  g_assert_true (gtk_widget_activate_action (view, "contacts.show-country", NULL));
  {
    CbmCountryPage *country_page = CBM_COUNTRY_PAGE (cbm_test_find_widget (countries, CBM_TYPE_COUNTRY_PAGE));
    CbmCountry *shown = cbm_country_page_get_country (country_page);
    GtkWidget *stack = gtk_widget_get_ancestor (countries, ADW_TYPE_VIEW_STACK);

    g_assert_nonnull (shown);
    g_assert_cmpstr (shown->code, ==, "BR");
    g_assert_cmpstr (adw_view_stack_get_visible_child_name (ADW_VIEW_STACK (stack)), ==, "countries");
  }

  cbm_contacts_view_set_search (CBM_CONTACTS_VIEW (view), "");
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 62);

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
  g_test_add_func ("/ui/contacts/search-and-show-country", test_contacts);
  return g_test_run ();
}
