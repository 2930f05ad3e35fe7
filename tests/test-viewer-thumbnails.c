/* test-viewer-thumbnails.c
 *
 * Copyright 2026 The CBM Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The thumbnails sidebar beside a view, under a display (xvfb): one item per page, renders only
 * near the screen and after the view's own, the selection following the page both ways. */

#include "config.h"

#include "cbm-test-ui.h"
#include "cbm-viewer.h"

typedef struct
{
  CbmPdfHelper     *helper;
  CbmPdfModel      *model;
  GtkWidget        *window;
  CbmPdfView       *view;
  CbmPdfThumbnails *thumbnails;
} Fixture;

typedef struct
{
  GListModel *pages;
  guint       page;
} Thumbnail;

static gboolean
has_texture (GListModel *pages,
             guint       page)
{
  g_autoptr(CbmPdfThumbnailItem) item = g_list_model_get_item (pages, page);

  return cbm_pdf_thumbnail_item_get_texture (item) != NULL;
}

static gboolean
thumbnail_rendered (gpointer data)
{
  Thumbnail *thumbnail = data;

  return has_texture (thumbnail->pages, thumbnail->page);
}

static gboolean
document_loaded (gpointer data)
{
  return cbm_pdf_model_get_info (data) != NULL;
}

static void
wait_for_thumbnail (Fixture *fixture,
                    guint    page)
{
  Thumbnail thumbnail = { G_LIST_MODEL (cbm_pdf_thumbnails_get_pages (fixture->thumbnails)), page };

  cbm_test_wait_until (thumbnail_rendered, &thumbnail);
}

/* A window @height pixels high with the thumbnails beside the view, showing sample document
 * @name once loaded. */
static void
fixture_open (Fixture    *fixture,
              const char *name,
              int         height)
{
  g_autofree char *path = g_build_filename (g_getenv ("CBM_SAMPLE_REPOSITORY"),
                                           "v1", "documents", name, NULL);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  GtkWidget *scrolled = gtk_scrolled_window_new ();

  fixture->helper = cbm_pdf_helper_new ();
  fixture->model = cbm_pdf_model_new (fixture->helper);
  fixture->window = gtk_window_new ();
  fixture->view = CBM_PDF_VIEW (cbm_pdf_view_new ());
  fixture->thumbnails = CBM_PDF_THUMBNAILS (cbm_pdf_thumbnails_new ());

  gtk_widget_set_size_request (GTK_WIDGET (fixture->thumbnails), 200, -1);
  gtk_widget_set_hexpand (scrolled, TRUE);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), GTK_WIDGET (fixture->view));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (fixture->thumbnails));
  gtk_box_append (GTK_BOX (box), scrolled);
  gtk_window_set_child (GTK_WINDOW (fixture->window), box);
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 800, height);
  cbm_pdf_view_set_model (fixture->view, fixture->model);
  cbm_pdf_thumbnails_set_view (fixture->thumbnails, fixture->view);
  gtk_window_present (GTK_WINDOW (fixture->window));

  cbm_pdf_model_load_async (fixture->model, path, NULL, NULL, NULL, NULL);
  cbm_test_wait_until (document_loaded, fixture->model);
}

static void
fixture_close (Fixture *fixture)
{
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  g_clear_object (&fixture->model);
  g_clear_object (&fixture->helper);
}

static void
texture_arrived_cb (CbmPdfThumbnailItem *item,
                    GParamSpec          *pspec,
                    CbmPdfView          *view)
{
  /* The view's first page came before any thumbnail. */
  g_assert_nonnull (cbm_pdf_page_cache_lookup (cbm_pdf_view_get_cache (view), 0, NULL));
}

static void
test_lazy_rendering (void)
{
  Fixture fixture;
  GListModel *pages;
  g_autoptr(CbmPdfThumbnailItem) first = NULL;
  GtkWidget *list;
  GtkAdjustment *vadjustment;
  CbmPdfPageCache *cache;
  CbmPdfInfo *info;

  fixture_open (&fixture, "ar-law-2014.pdf", 320);
  pages = G_LIST_MODEL (cbm_pdf_thumbnails_get_pages (fixture.thumbnails));
  info = cbm_pdf_model_get_info (fixture.model);

  /* One item per page, each a placeholder of the page's shape until its render arrives. */
  g_assert_cmpuint (g_list_model_get_n_items (pages), ==, 16);
  first = g_list_model_get_item (pages, 0);
  g_assert_cmpfloat_with_epsilon (gdk_paintable_get_intrinsic_aspect_ratio (GDK_PAINTABLE (first)),
                                  info->page_sizes[0].width / info->page_sizes[0].height, 0.02);
  g_assert_cmpint (gdk_paintable_get_intrinsic_width (GDK_PAINTABLE (first)), <=, 130);

  g_signal_connect_object (first, "notify::texture", G_CALLBACK (texture_arrived_cb), fixture.view, 0);
  wait_for_thumbnail (&fixture, 0);
  g_assert_cmpint (gdk_texture_get_width (cbm_pdf_thumbnail_item_get_texture (first)), <=,
                   130 * gtk_widget_get_scale_factor (fixture.window));

  /* Two thumbnails fit in the window: a few past them are rendered, not the end of the list. */
  wait_for_thumbnail (&fixture, 2);
  cbm_test_spin (500);
  g_assert_false (has_texture (pages, 15));
  cache = cbm_pdf_thumbnails_get_cache (fixture.thumbnails);
  g_assert_cmpuint (cbm_pdf_page_cache_get_n_pages (cache), <=, 6);
  g_assert_cmpuint (cbm_pdf_page_cache_get_size (cache), <=, CBM_PDF_THUMBNAILS_CACHE_LIMIT);

  /* Scrolling the list to its end renders the last page. */
  list = cbm_test_find_widget (GTK_WIDGET (fixture.thumbnails), GTK_TYPE_LIST_VIEW);
  vadjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (list));
  gtk_adjustment_set_value (vadjustment, gtk_adjustment_get_upper (vadjustment));
  wait_for_thumbnail (&fixture, 15);

  fixture_close (&fixture);
}

static void
test_navigation (void)
{
  Fixture fixture;
  GtkSelectionModel *pages;
  GtkWidget *list;
  GtkAdjustment *vadjustment;
  g_autoptr(CbmPdfThumbnailItem) item = NULL;

  fixture_open (&fixture, "ag-law-2010.pdf", 600);
  g_assert_true (cbm_pdf_thumbnails_get_view (fixture.thumbnails) == fixture.view);
  pages = cbm_pdf_thumbnails_get_pages (fixture.thumbnails);
  list = cbm_test_find_widget (GTK_WIDGET (fixture.thumbnails), GTK_TYPE_LIST_VIEW);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (pages)), ==, 5);
  g_assert_true (gtk_selection_model_is_selected (pages, 0));
  wait_for_thumbnail (&fixture, 0);

  /* A click on a thumbnail (the list's select-item action) goes to its page. */
  gtk_widget_activate_action (list, "list.select-item", "(ubb)", 3, FALSE, FALSE);
  g_assert_cmpint (cbm_pdf_model_get_page (fixture.model), ==, 3);

  /* Scrolling the document to its end selects the last thumbnail; going to a page selects its. */
  vadjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (fixture.view));
  gtk_adjustment_set_value (vadjustment, gtk_adjustment_get_upper (vadjustment));
  g_assert_cmpint (cbm_pdf_model_get_page (fixture.model), ==, 4);
  g_assert_true (gtk_selection_model_is_selected (pages, 4));
  g_assert_false (gtk_selection_model_is_selected (pages, 3));
  cbm_pdf_model_set_page (fixture.model, 1);
  g_assert_true (gtk_selection_model_is_selected (pages, 1));

  /* Night mode reaches the thumbnails. */
  item = g_list_model_get_item (G_LIST_MODEL (pages), 0);
  g_assert_false (cbm_pdf_thumbnail_item_get_night_mode (item));
  cbm_pdf_model_set_night_mode (fixture.model, TRUE);
  g_assert_true (cbm_pdf_thumbnail_item_get_night_mode (item));

  fixture_close (&fixture);
}

int
main (int   argc,
      char *argv[])
{
  const char *root;
  g_autofree char *path = NULL;

  gtk_test_init (&argc, &argv, NULL);

  root = g_getenv ("CBM_SAMPLE_REPOSITORY");
  path = root != NULL ? g_build_filename (root, "v1", "documents", "ar-law-2014.pdf", NULL) : NULL;
  if (path == NULL || !g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_print ("1..0 # SKIP CBM_SAMPLE_REPOSITORY is not built\n");
      return 77;
    }

  g_test_add_func ("/viewer/thumbnails/lazy-rendering", test_lazy_rendering);
  g_test_add_func ("/viewer/thumbnails/navigation", test_navigation);

  return g_test_run ();
}
