/* test-ui-workshops.c
 *
 * Copyright 2026 The CBM Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cbm-test-ui.h"

#include <gtk/gtk.h>

#include "cbm-application.h"
#include "cbm-registration-form.h"
#include "cbm-workshops-view.h"

/* The Workshops page over the bundled sample repository: filters and search, the registration
 * form's rules and draft, and a submission landing in "My registrations". */

static void
collect (GtkWidget *root,
         GType      type,
         GPtrArray *found)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type))
    g_ptr_array_add (found, root);
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect (child, type, found);
}

static GtkWidget *
nth_widget (GtkWidget *root,
            GType      type,
            guint      n)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new ();

  collect (root, type, found);
  g_assert_cmpuint (found->len, >, n);
  return g_ptr_array_index (found, n);
}

static GtkWidget *
find_button (GtkWidget  *root,
             const char *label,
             guint       n)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new ();
  guint seen = 0;

  collect (root, GTK_TYPE_BUTTON, found);
  for (guint i = 0; i < found->len; i++)
    if (g_strcmp0 (gtk_button_get_label (g_ptr_array_index (found, i)), label) == 0 && seen++ == n)
      return g_ptr_array_index (found, i);
  return NULL;
}

/* The list of @item_type (the drop-downs hold list views too). */
static GListModel *
list_model (GtkWidget *view,
            GType      item_type)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new ();

  collect (view, GTK_TYPE_LIST_VIEW, found);
  for (guint i = 0; i < found->len; i++)
    {
      GListModel *model = G_LIST_MODEL (gtk_list_view_get_model (g_ptr_array_index (found, i)));
      GListModel *inner = model;

      /* GTK 4.8's wrappers report G_TYPE_OBJECT: look at the store underneath. */
      if (GTK_IS_NO_SELECTION (inner))
        inner = gtk_no_selection_get_model (GTK_NO_SELECTION (inner));
      if (GTK_IS_FILTER_LIST_MODEL (inner))
        inner = gtk_filter_list_model_get_model (GTK_FILTER_LIST_MODEL (inner));
      if (inner != NULL && g_list_model_get_item_type (inner) == item_type)
        return model;
    }
  g_assert_not_reached ();
  return NULL;
}

static CbmRegistrationForm *
find_form (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWidget) window = g_list_model_get_item (toplevels, i);
      if (CBM_IS_REGISTRATION_FORM (window))
        return CBM_REGISTRATION_FORM (window);
    }
  return NULL;
}

static void
set_entry (GtkWidget  *form,
           guint       n,
           const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (nth_widget (form, GTK_TYPE_ENTRY, n)), text);
}

/* The labels of the form's visible error messages. */
static guint
count_errors (GtkWidget *form)
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();
  guint n = 0;

  collect (form, GTK_TYPE_LABEL, labels);
  for (guint i = 0; i < labels->len; i++)
    if (gtk_widget_has_css_class (g_ptr_array_index (labels, i), "error") &&
        gtk_widget_get_visible (g_ptr_array_index (labels, i)))
      n++;
  return n;
}

static void
test_workshops (void)
{
  g_autoptr(CbmApplication) app = cbm_application_new ();
  g_autoptr(GError) error = NULL;
  GtkWindow *window;
  GtkWidget *view, *search, *show, *button;
  GListModel *events, *registrations;
  CbmRegistrationForm *form;
  guint upcoming;

  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_application_activate (G_APPLICATION (app));
  window = gtk_application_get_active_window (GTK_APPLICATION (app));
  view = nth_widget (GTK_WIDGET (window), CBM_TYPE_WORKSHOPS_VIEW, 0);
  adw_view_stack_set_visible_child_name (ADW_VIEW_STACK (gtk_widget_get_ancestor (view, ADW_TYPE_VIEW_STACK)),
                                         "workshops");
  events = list_model (view, CBM_TYPE_EVENT);
  registrations = list_model (view, CBM_TYPE_REGISTRATION);
  search = nth_widget (view, GTK_TYPE_SEARCH_ENTRY, 0);
  show = nth_widget (view, GTK_TYPE_DROP_DOWN, 0);

  /* The sample has nine events; the 2022 workshop is the only past one. */
  upcoming = 8;
  cbm_test_wait_for_items (events, upcoming);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (show), 1);
  cbm_test_wait_for_items (events, 1);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (show), 2);
  cbm_test_wait_for_items (events, 0);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (show), 0);
  cbm_test_wait_for_items (events, upcoming);

  /* Search folds accents and looks at titles, organizers and venues. */
  gtk_editable_set_text (GTK_EDITABLE (search), "BRIEFING");
  cbm_test_spin (400);
  g_assert_cmpuint (g_list_model_get_n_items (events), ==, 1);
  gtk_editable_set_text (GTK_EDITABLE (search), "mexico");
  cbm_test_spin (400);
  g_assert_cmpuint (g_list_model_get_n_items (events), ==, 1);
  gtk_editable_set_text (GTK_EDITABLE (search), "");
  cbm_test_spin (400);
  g_assert_cmpuint (g_list_model_get_n_items (events), ==, upcoming);

  /* The first upcoming event is the webinar for public officials. */
  g_assert_cmpuint (g_list_model_get_n_items (registrations), ==, 0);
  button = find_button (view, "_Register…", 0);
  g_assert_nonnull (button);
  g_signal_emit_by_name (button, "clicked");
  form = find_form ();
  g_assert_nonnull (form);
  cbm_test_spin (300);

  /* Submitting an empty form shows every rule. */
  gtk_widget_activate_action (GTK_WIDGET (form), "registration.submit", NULL);
  cbm_test_spin (100);
  g_assert_true (find_form () == form);
  g_assert_cmpuint (count_errors (GTK_WIDGET (form)), ==, 6);

  gtk_drop_down_set_selected (GTK_DROP_DOWN (nth_widget (GTK_WIDGET (form), GTK_TYPE_DROP_DOWN, 0)), 1);
  set_entry (GTK_WIDGET (form), 0, "Ana Pérez");
  set_entry (GTK_WIDGET (form), 1, "Director");
  set_entry (GTK_WIDGET (form), 2, "Cancillería");
  set_entry (GTK_WIDGET (form), 3, "ana@");
  g_assert_cmpuint (count_errors (GTK_WIDGET (form)), ==, 2);   /* e-mail, confirmation */
  set_entry (GTK_WIDGET (form), 3, "ana@mre.gob.ar");
  gtk_check_button_set_active (GTK_CHECK_BUTTON (nth_widget (GTK_WIDGET (form), GTK_TYPE_CHECK_BUTTON, 0)), TRUE);
  g_assert_cmpuint (count_errors (GTK_WIDGET (form)), ==, 0);

  gtk_widget_activate_action (GTK_WIDGET (form), "registration.submit", NULL);
  cbm_test_wait_for_items (registrations, 1);
  cbm_test_spin (200);
  g_assert_null (find_form ());
  {
    g_autoptr(CbmRegistration) r = g_list_model_get_item (registrations, 0);

    g_assert_cmpstr (r->event, ==, "oas-cyber-diplomacy-webinar-2026-12");
    g_assert_cmpstr (r->country, ==, "AR");
    g_assert_cmpstr (r->name, ==, "Ana Pérez");
    g_assert_true (r->government);
    /* No registrations address: it waits in the outbox. */
    g_assert_cmpint (r->status, ==, CBM_REGISTRATION_QUEUED);
    g_assert_true (g_uuid_string_is_valid (r->idempotency_key));
  }

  /* Registered: the filter shows it, and its Register button is gone. */
  gtk_drop_down_set_selected (GTK_DROP_DOWN (show), 2);
  cbm_test_wait_for_items (events, 1);
  g_assert_false (gtk_widget_get_visible (find_button (view, "_Register…", 0)));
  gtk_drop_down_set_selected (GTK_DROP_DOWN (show), 0);
  cbm_test_wait_for_items (events, upcoming);
  cbm_test_spin (200);

  /* The next form starts from the profile of the last submission, and keeps a draft. */
  button = find_button (view, "_Register…", 1);
  g_assert_nonnull (button);
  g_signal_emit_by_name (button, "clicked");
  form = find_form ();
  g_assert_nonnull (form);
  cbm_test_spin (300);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (nth_widget (GTK_WIDGET (form), GTK_TYPE_ENTRY, 0))),
                   ==, "Ana Pérez");
  set_entry (GTK_WIDGET (form), 1, "Minister Counsellor");
  gtk_window_close (GTK_WINDOW (form));
  cbm_test_spin (300);
  g_assert_null (find_form ());
  g_signal_emit_by_name (button, "clicked");
  form = find_form ();
  cbm_test_spin (300);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (nth_widget (GTK_WIDGET (form), GTK_TYPE_ENTRY, 1))),
                   ==, "Minister Counsellor");
  gtk_window_destroy (GTK_WINDOW (form));

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
  g_test_add_func ("/ui/workshops/register", test_workshops);
  return g_test_run ();
}
