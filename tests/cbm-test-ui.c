/* cbm-test-ui.c
 *
 * Copyright 2026 The CBM Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "cbm-test-ui.h"

/* The first widget of @type under @root, depth first. */
GtkWidget *
cbm_test_find_widget (GtkWidget *root,
                      GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type))
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = cbm_test_find_widget (child, type);
      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
timeout_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Runs the main loop for @ms milliseconds. */
void
cbm_test_spin (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, timeout_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

/* Runs the main loop until @done returns TRUE for @data; fails after a minute. */
void
cbm_test_wait_until (gboolean (*done) (gpointer),
                     gpointer   data)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (60, timeout_cb, &timed_out);

  while (!done (data) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (id);
  g_assert_false (timed_out);
}

typedef struct
{
  GListModel *model;
  guint       n;
} ItemsWait;

static gboolean
has_n_items (gpointer data)
{
  ItemsWait *wait = data;

  return g_list_model_get_n_items (wait->model) == wait->n;
}

/* Runs the main loop until @model holds @n items; fails after a minute. */
void
cbm_test_wait_for_items (GListModel *model,
                         guint       n)
{
  ItemsWait wait = { model, n };

  cbm_test_wait_until (has_n_items, &wait);
}
