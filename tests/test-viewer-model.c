/* test-viewer-model.c
 *
 * Copyright 2026 The CBM Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The viewer's widget-free parts: sizing maths, the page cache and loading through the helper.
 * No display is needed. */

#include "config.h"

#include <glib/gstdio.h>
#include <unistd.h>

#include "cbm-viewer.h"

static void
test_fit_width (void)
{
  /* A4 portrait (595 × 842 pt) in an 800 × 600 view: the width less the margins decides. */
  double scale = cbm_pdf_model_compute_scale (CBM_PDF_SIZING_FIT_WIDTH, 595, 842, 800, 600, 1.0);

  g_assert_cmpfloat_with_epsilon (scale, (800.0 - 2 * CBM_PDF_PAGE_SPACING) / 595.0, 1e-9);
}

static void
test_fit_page (void)
{
  double scale;

  /* Portrait page, landscape view: the height decides. */
  scale = cbm_pdf_model_compute_scale (CBM_PDF_SIZING_FIT_PAGE, 595, 842, 800, 600, 1.0);
  g_assert_cmpfloat_with_epsilon (scale, (600.0 - 2 * CBM_PDF_PAGE_SPACING) / 842.0, 1e-9);

  /* Landscape page in a tall view: the width decides. */
  scale = cbm_pdf_model_compute_scale (CBM_PDF_SIZING_FIT_PAGE, 842, 595, 500, 1000, 1.0);
  g_assert_cmpfloat_with_epsilon (scale, (500.0 - 2 * CBM_PDF_PAGE_SPACING) / 842.0, 1e-9);
}

static void
test_free_and_clamp (void)
{
  g_assert_cmpfloat (cbm_pdf_model_compute_scale (CBM_PDF_SIZING_FREE, 595, 842, 800, 600, 1.7), ==, 1.7);
  g_assert_cmpfloat (cbm_pdf_model_compute_scale (CBM_PDF_SIZING_FREE, 595, 842, 800, 600, 100), ==,
                     CBM_PDF_MAX_SCALE);
  /* A tiny view or a huge page never gives a scale below the minimum, nor a NaN. */
  g_assert_cmpfloat (cbm_pdf_model_compute_scale (CBM_PDF_SIZING_FIT_WIDTH, 14400, 14400, 10, 10, 1), ==,
                     CBM_PDF_MIN_SCALE);
  g_assert_cmpfloat (cbm_pdf_model_compute_scale (CBM_PDF_SIZING_FIT_PAGE, 0, 0, 800, 600, 1.5), ==, 1.5);
}

static void
test_zoom (void)
{
  g_autoptr(CbmPdfHelper) helper = cbm_pdf_helper_new ();
  g_autoptr(CbmPdfModel) model = cbm_pdf_model_new (helper);

  g_assert_cmpint (cbm_pdf_model_get_sizing_mode (model), ==, CBM_PDF_SIZING_FIT_WIDTH);
  cbm_pdf_model_zoom_in (model);
  g_assert_cmpint (cbm_pdf_model_get_sizing_mode (model), ==, CBM_PDF_SIZING_FREE);
  g_assert_cmpfloat_with_epsilon (cbm_pdf_model_get_scale (model), 1.2, 1e-9);
  cbm_pdf_model_zoom_out (model);
  cbm_pdf_model_zoom_out (model);
  g_assert_cmpfloat_with_epsilon (cbm_pdf_model_get_scale (model), 1.0 / 1.2, 1e-9);
  for (int i = 0; i < 100; i++)
    cbm_pdf_model_zoom_in (model);
  g_assert_cmpfloat (cbm_pdf_model_get_scale (model), ==, CBM_PDF_MAX_SCALE);
}

static GdkTexture *
new_texture (int width,
             int height)
{
  g_autoptr(GBytes) bytes = g_bytes_new_take (g_malloc0 ((gsize) width * height * 4), (gsize) width * height * 4);

  return gdk_memory_texture_new (width, height, GDK_MEMORY_DEFAULT, bytes, width * 4);
}

static void
test_cache_eviction (void)
{
  /* 100 × 100 pixels = 40000 bytes a page; room for five. */
  g_autoptr(CbmPdfPageCache) cache = cbm_pdf_page_cache_new (200000);
  g_autoptr(GdkTexture) big = NULL;
  double scale = 0;

  for (int page = 0; page < 5; page++)
    {
      g_autoptr(GdkTexture) texture = new_texture (100, 100);

      cbm_pdf_page_cache_insert (cache, page, 1.0, texture, 0);
    }
  g_assert_cmpuint (cbm_pdf_page_cache_get_n_pages (cache), ==, 5);
  g_assert_cmpuint (cbm_pdf_page_cache_get_size (cache), ==, 200000);

  /* Reading page 5 now: a sixth page pushes out page 0, the farthest. */
  {
    g_autoptr(GdkTexture) texture = new_texture (100, 100);
    cbm_pdf_page_cache_insert (cache, 5, 1.0, texture, 5);
  }
  g_assert_cmpuint (cbm_pdf_page_cache_get_n_pages (cache), ==, 5);
  g_assert_null (cbm_pdf_page_cache_lookup (cache, 0, NULL));
  g_assert_nonnull (cbm_pdf_page_cache_lookup (cache, 1, NULL));
  g_assert_nonnull (cbm_pdf_page_cache_lookup (cache, 5, NULL));

  /* Reading page 1 again: page 5 is now the farthest. */
  {
    g_autoptr(GdkTexture) texture = new_texture (100, 100);
    cbm_pdf_page_cache_insert (cache, 0, 2.0, texture, 1);
  }
  g_assert_null (cbm_pdf_page_cache_lookup (cache, 5, NULL));
  g_assert_nonnull (cbm_pdf_page_cache_lookup (cache, 0, &scale));
  g_assert_cmpfloat (scale, ==, 2.0);
  g_assert_cmpuint (cbm_pdf_page_cache_get_size (cache), <=, cbm_pdf_page_cache_get_limit (cache));

  /* Replacing a page's render keeps one entry for it. */
  {
    g_autoptr(GdkTexture) texture = new_texture (50, 50);
    cbm_pdf_page_cache_insert (cache, 0, 1.0, texture, 1);
  }
  g_assert_cmpuint (cbm_pdf_page_cache_get_size (cache), ==, 4 * 40000 + 10000);

  /* A page bigger than the whole cap is kept alone while it is the one on screen. */
  big = new_texture (300, 300);
  cbm_pdf_page_cache_insert (cache, 9, 1.0, big, 9);
  g_assert_cmpuint (cbm_pdf_page_cache_get_n_pages (cache), ==, 1);
  g_assert_true (cbm_pdf_page_cache_lookup (cache, 9, NULL) == big);

  /* Only the pages near the screen are kept once it moves away. */
  for (int page = 0; page < 4; page++)
    {
      g_autoptr(GdkTexture) texture = new_texture (10, 10);
      cbm_pdf_page_cache_insert (cache, page, 1.0, texture, 0);
    }
  cbm_pdf_page_cache_retain (cache, 1, 2);
  g_assert_cmpuint (cbm_pdf_page_cache_get_n_pages (cache), ==, 2);
  g_assert_null (cbm_pdf_page_cache_lookup (cache, 0, NULL));
  g_assert_nonnull (cbm_pdf_page_cache_lookup (cache, 1, NULL));
  g_assert_nonnull (cbm_pdf_page_cache_lookup (cache, 2, NULL));
  g_assert_null (cbm_pdf_page_cache_lookup (cache, 3, NULL));
  g_assert_cmpuint (cbm_pdf_page_cache_get_size (cache), ==, 2 * 400);

  cbm_pdf_page_cache_clear (cache);
  g_assert_cmpuint (cbm_pdf_page_cache_get_size (cache), ==, 0);
}

/* A render goes in as strips over its own pixels, top to bottom, that together make the page. */
static void
test_cache_strips (void)
{
  g_autoptr(CbmPdfPageCache) cache = cbm_pdf_page_cache_new (CBM_PDF_PAGE_CACHE_DEFAULT_LIMIT);
  int width = 1000, height = 1300, stride = width * 4;
  g_autoptr(GBytes) pixels = g_bytes_new_take (g_malloc0 ((gsize) stride * height), (gsize) stride * height);
  g_autoptr(CbmPdfImage) image = cbm_pdf_image_new (width, height, stride, pixels);
  GdkTexture **strips;
  GdkTexture *texture;
  guint n_strips;
  int strip_height, rows = 0;
  double scale = 0;

  cbm_pdf_page_cache_insert_image (cache, 3, 1.5, image, 3);
  texture = cbm_pdf_page_cache_lookup (cache, 3, &scale);
  g_assert_nonnull (texture);
  g_assert_cmpfloat (scale, ==, 1.5);
  g_assert_cmpint (gdk_texture_get_width (texture), ==, width);
  g_assert_cmpint (gdk_texture_get_height (texture), ==, height);
  g_assert_cmpuint (cbm_pdf_page_cache_get_size (cache), ==, (gsize) stride * height);

  strips = cbm_pdf_page_cache_get_strips (cache, 3, &n_strips, &strip_height);
  g_assert_cmpuint (n_strips, >, 1);
  for (guint i = 0; i < n_strips; i++)
    {
      g_assert_cmpint (gdk_texture_get_width (strips[i]), ==, width);
      if (i + 1 < n_strips)
        g_assert_cmpint (gdk_texture_get_height (strips[i]), ==, strip_height);
      rows += gdk_texture_get_height (strips[i]);
    }
  g_assert_cmpint (rows, ==, height);

  /* A texture inserted as it is is its own single strip. */
  {
    g_autoptr(GdkTexture) plain = new_texture (100, 100);

    cbm_pdf_page_cache_insert (cache, 4, 1.0, plain, 3);
    strips = cbm_pdf_page_cache_get_strips (cache, 4, &n_strips, &strip_height);
    g_assert_cmpuint (n_strips, ==, 1);
    g_assert_true (strips[0] == plain);
  }

  g_assert_null (cbm_pdf_page_cache_get_strips (cache, 5, &n_strips, &strip_height));
  g_assert_cmpuint (n_strips, ==, 0);
}

typedef struct
{
  gboolean  done;
  gboolean  ok;
  GError   *error;
} LoadResult;

static void
loaded_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  LoadResult *load = user_data;

  load->ok = cbm_pdf_model_load_finish (CBM_PDF_MODEL (object), result, &load->error);
  load->done = TRUE;
}

static char *
sample_path (const char *name)
{
  const char *root = g_getenv ("CBM_SAMPLE_REPOSITORY");

  if (root == NULL)
    return NULL;
  return g_build_filename (root, "v1", "documents", name, NULL);
}

static void
test_load_sample (void)
{
  g_autofree char *path = sample_path ("ag-law-2010.pdf");
  g_autoptr(CbmPdfHelper) helper = NULL;
  g_autoptr(CbmPdfModel) model = NULL;
  LoadResult load = { 0 };

  if (path == NULL || !g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_test_skip ("CBM_SAMPLE_REPOSITORY is not built");
      return;
    }

  helper = cbm_pdf_helper_new ();
  model = cbm_pdf_model_new (helper);
  cbm_pdf_model_set_page (model, 3);
  cbm_pdf_model_load_async (model, path, NULL, NULL, loaded_cb, &load);
  while (!load.done)
    g_main_context_iteration (NULL, TRUE);

  g_assert_no_error (load.error);
  g_assert_true (load.ok);
  g_assert_cmpint (cbm_pdf_model_get_n_pages (model), ==, 5);
  g_assert_cmpint (cbm_pdf_model_get_page (model), ==, 3);
  cbm_pdf_model_set_page (model, 99);
  g_assert_cmpint (cbm_pdf_model_get_page (model), ==, 4);
}

static void
test_load_damaged (void)
{
  g_autofree char *path = sample_path ("ag-law-2010.pdf");
  g_autofree char *contents = NULL;
  g_autofree char *damaged = NULL;
  g_autoptr(CbmPdfHelper) helper = NULL;
  g_autoptr(CbmPdfModel) model = NULL;
  g_autoptr(GError) error = NULL;
  LoadResult load = { 0 };
  gsize length;
  int fd;

  if (path == NULL || !g_file_get_contents (path, &contents, &length, NULL))
    {
      g_test_skip ("CBM_SAMPLE_REPOSITORY is not built");
      return;
    }

  /* Half a file: the trailer is gone, so poppler cannot open it. */
  fd = g_file_open_tmp ("cbm-damaged-XXXXXX.pdf", &damaged, &error);
  g_assert_no_error (error);
  close (fd);
  g_file_set_contents (damaged, contents, length / 2, &error);
  g_assert_no_error (error);

  helper = cbm_pdf_helper_new ();
  model = cbm_pdf_model_new (helper);
  cbm_pdf_model_load_async (model, damaged, NULL, NULL, loaded_cb, &load);
  while (!load.done)
    g_main_context_iteration (NULL, TRUE);

  g_assert_false (load.ok);
  g_assert_error (load.error, CBM_PDF_ERROR, CBM_PDF_ERROR_DAMAGED);
  g_assert_null (cbm_pdf_model_get_info (model));
  g_clear_error (&load.error);
  g_unlink (damaged);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/viewer/model/fit-width", test_fit_width);
  g_test_add_func ("/viewer/model/fit-page", test_fit_page);
  g_test_add_func ("/viewer/model/free-and-clamp", test_free_and_clamp);
  g_test_add_func ("/viewer/model/zoom", test_zoom);
  g_test_add_func ("/viewer/cache/eviction", test_cache_eviction);
  g_test_add_func ("/viewer/cache/strips", test_cache_strips);
  g_test_add_func ("/viewer/model/load-sample", test_load_sample);
  g_test_add_func ("/viewer/model/load-damaged", test_load_damaged);

  return g_test_run ();
}
