/* test-pdf-helper.c
 *
 * Copyright 2026 The CBM Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <cairo-pdf.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>

#include "cbm-pdf-helper-private.h"
#include "cbm-pdf.h"

static char *tmp_dir;
static char *sample_pdf;

/* Three pages of text, an outline, metadata and links, some of which must be filtered. */
static void
write_sample_pdf (const char *path)
{
  cairo_surface_t *surface = cairo_pdf_surface_create (path, 595, 842);
  cairo_t *cr = cairo_create (surface);
  int policies;

  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE, "CBM test document");
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_AUTHOR, "OAS working group");
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_SUBJECT, "Confidence building");
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_KEYWORDS, "cyber, cbm");
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, "test-pdf-helper");
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATE_DATE,
                                  "2024-03-05T10:20:30Z");

  cairo_pdf_surface_add_outline (surface, CAIRO_PDF_OUTLINE_ROOT, "Introduction", "page=1", 0);
  policies = cairo_pdf_surface_add_outline (surface, CAIRO_PDF_OUTLINE_ROOT, "Policies",
                                            "page=2", CAIRO_PDF_OUTLINE_FLAG_OPEN);
  cairo_pdf_surface_add_outline (surface, policies, "National policy", "page=2", 0);
  cairo_pdf_surface_add_outline (surface, CAIRO_PDF_OUTLINE_ROOT, "Contacts", "page=3", 0);

  cairo_select_font_face (cr, "Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_source_rgb (cr, 0, 0, 0);

  /* Page 1 */
  cairo_set_font_size (cr, 24);
  cairo_move_to (cr, 72, 100);
  cairo_show_text (cr, "Cyber confidence building measures");
  cairo_set_font_size (cr, 12);

  cairo_tag_begin (cr, CAIRO_TAG_LINK, "uri='https://example.org/cbm'");
  cairo_move_to (cr, 72, 200);
  cairo_show_text (cr, "Web link");
  cairo_tag_end (cr, CAIRO_TAG_LINK);

  cairo_tag_begin (cr, CAIRO_TAG_LINK, "uri='mailto:cbm@example.org'");
  cairo_move_to (cr, 72, 230);
  cairo_show_text (cr, "Mail link");
  cairo_tag_end (cr, CAIRO_TAG_LINK);

  cairo_tag_begin (cr, CAIRO_TAG_LINK, "uri='file:///etc/passwd'");
  cairo_move_to (cr, 72, 260);
  cairo_show_text (cr, "File link");
  cairo_tag_end (cr, CAIRO_TAG_LINK);

  cairo_tag_begin (cr, CAIRO_TAG_LINK, "uri='javascript:alert(1)'");
  cairo_move_to (cr, 72, 290);
  cairo_show_text (cr, "Script link");
  cairo_tag_end (cr, CAIRO_TAG_LINK);

  cairo_tag_begin (cr, CAIRO_TAG_LINK, "file='other.pdf'");
  cairo_move_to (cr, 72, 320);
  cairo_show_text (cr, "Remote link");
  cairo_tag_end (cr, CAIRO_TAG_LINK);

  cairo_tag_begin (cr, CAIRO_TAG_LINK, "uri='smb://server/share'");
  cairo_move_to (cr, 72, 335);
  cairo_show_text (cr, "Share link");
  cairo_tag_end (cr, CAIRO_TAG_LINK);

  /* cairo 1.16 drops links to pages not written yet; a named destination works. */
  cairo_tag_begin (cr, CAIRO_TAG_LINK, "dest='contacts'");
  cairo_move_to (cr, 72, 350);
  cairo_show_text (cr, "Go to contacts");
  cairo_tag_end (cr, CAIRO_TAG_LINK);
  cairo_show_page (cr);

  /* Page 2, landscape */
  cairo_pdf_surface_set_size (surface, 842, 595);
  cairo_set_font_size (cr, 18);
  cairo_move_to (cr, 72, 100);
  cairo_show_text (cr, "Política nacional de ciberseguridad");
  cairo_show_page (cr);

  /* Page 3 */
  cairo_pdf_surface_set_size (surface, 595, 842);
  cairo_tag_begin (cr, CAIRO_TAG_DEST, "name='contacts'");
  cairo_move_to (cr, 72, 100);
  cairo_show_text (cr, "Points of contact");
  cairo_tag_end (cr, CAIRO_TAG_DEST);
  cairo_move_to (cr, 72, 400);
  cairo_show_text (cr, "More points of contact here");
  cairo_show_page (cr);

  g_assert_cmpint (cairo_status (cr), ==, CAIRO_STATUS_SUCCESS);
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  g_assert_cmpint (cairo_surface_status (surface), ==, CAIRO_STATUS_SUCCESS);
  cairo_surface_destroy (surface);
}

/* Synchronous wrappers: each runs the default main context until its job completes. */

static void
store_result_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static GAsyncResult *
await_result (GAsyncResult **result)
{
  while (*result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *result;
}

static CbmPdfInfo *
open_doc (CbmPdfHelper  *helper,
          const char    *path,
          const char    *password,
          GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  cbm_pdf_helper_open_async (helper, path, password, NULL, store_result_cb, &result);
  return cbm_pdf_helper_open_finish (helper, await_result (&result), error);
}

static CbmPdfImage *
render (CbmPdfHelper  *helper,
        int            page,
        double         scale,
        GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  cbm_pdf_helper_render_page_async (helper, page, scale, NULL, store_result_cb, &result);
  return cbm_pdf_helper_render_page_finish (helper, await_result (&result), error);
}

/* Runs on the helper's worker thread, with the document just opened. */
static double
fixed_scale_cb (const CbmPdfInfo *info,
                int               page,
                gpointer          user_data)
{
  g_assert_cmpint (page, >=, 0);
  g_assert_cmpint (page, <, info->n_pages);
  return *(double *) user_data;
}

static CbmPdfInfo *
open_and_render (CbmPdfHelper  *helper,
                 const char    *path,
                 int            page,
                 double         scale,
                 int           *rendered_page,
                 CbmPdfImage  **image,
                 GError       **render_error,
                 GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  cbm_pdf_helper_open_and_render_async (helper, path, NULL, page, fixed_scale_cb,
                                        g_memdup2 (&scale, sizeof scale), g_free, NULL,
                                        store_result_cb, &result);
  return cbm_pdf_helper_open_and_render_finish (helper, await_result (&result), rendered_page,
                                                image, render_error, error);
}

static char *
get_text (CbmPdfHelper  *helper,
          int            page,
          GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  cbm_pdf_helper_get_text_async (helper, page, NULL, store_result_cb, &result);
  return cbm_pdf_helper_get_text_finish (helper, await_result (&result), error);
}

static GPtrArray *
find (CbmPdfHelper     *helper,
      int               page,
      const char       *text,
      CbmPdfFindFlags   flags,
      GError          **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  cbm_pdf_helper_find_async (helper, page, text, flags, NULL, store_result_cb, &result);
  return cbm_pdf_helper_find_finish (helper, await_result (&result), error);
}

static gboolean
sleep_in_helper (CbmPdfHelper  *helper,
                 guint          ms,
                 GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  _cbm_pdf_helper_sleep_async (helper, ms, NULL, store_result_cb, &result);
  return _cbm_pdf_helper_sleep_finish (helper, await_result (&result), error);
}

static CbmPdfHelper *
open_sample (void)
{
  g_autoptr(CbmPdfHelper) helper = cbm_pdf_helper_new ();
  g_autoptr(CbmPdfInfo) info = NULL;
  g_autoptr(GError) error = NULL;

  cbm_pdf_helper_set_timeout (helper, 10000);
  info = open_doc (helper, sample_pdf, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (info);
  return g_steal_pointer (&helper);
}

static void
test_uri_filter (void)
{
  g_assert_true (cbm_pdf_uri_is_allowed ("https://example.org/a?b=c"));
  g_assert_true (cbm_pdf_uri_is_allowed ("HTTP://example.org"));
  g_assert_true (cbm_pdf_uri_is_allowed ("mailto:someone@example.org"));
  g_assert_false (cbm_pdf_uri_is_allowed (NULL));
  g_assert_false (cbm_pdf_uri_is_allowed (""));
  g_assert_false (cbm_pdf_uri_is_allowed ("https:"));
  g_assert_false (cbm_pdf_uri_is_allowed ("file:///etc/passwd"));
  g_assert_false (cbm_pdf_uri_is_allowed ("javascript:alert(1)"));
  g_assert_false (cbm_pdf_uri_is_allowed ("smb://server/share"));
  g_assert_false (cbm_pdf_uri_is_allowed ("/etc/passwd"));
  g_assert_false (cbm_pdf_uri_is_allowed ("https://exa mple.org"));
  g_assert_false (cbm_pdf_uri_is_allowed ("https://example.org/\nx"));
}

static void
test_open (void)
{
  g_autoptr(CbmPdfHelper) helper = cbm_pdf_helper_new ();
  g_autoptr(CbmPdfInfo) info = NULL;
  g_autoptr(GError) error = NULL;

  info = open_doc (helper, sample_pdf, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (info->n_pages, ==, 3);
  g_assert_cmpfloat_with_epsilon (info->page_sizes[0].width, 595, 0.01);
  g_assert_cmpfloat_with_epsilon (info->page_sizes[0].height, 842, 0.01);
  g_assert_cmpfloat_with_epsilon (info->page_sizes[1].width, 842, 0.01);
  g_assert_cmpfloat_with_epsilon (info->page_sizes[1].height, 595, 0.01);
  g_assert_cmpstr (info->title, ==, "CBM test document");
  g_assert_cmpstr (info->author, ==, "OAS working group");
  g_assert_cmpstr (info->subject, ==, "Confidence building");
  g_assert_cmpstr (info->keywords, ==, "cyber, cbm");
  g_assert_cmpstr (info->creator, ==, "test-pdf-helper");
  g_assert_nonnull (info->producer);
  g_assert_nonnull (strstr (info->producer, "cairo"));
  g_assert_true (g_str_has_prefix (info->pdf_version, "PDF-1."));
  g_assert_nonnull (info->creation_date);
  g_assert_cmpint (g_date_time_get_year (info->creation_date), ==, 2024);
  g_assert_cmpint (g_date_time_get_month (info->creation_date), ==, 3);
  g_assert_cmpint (g_date_time_get_day_of_month (info->creation_date), ==, 5);
  g_assert_true (info->has_outline);
  g_assert_cmpint (_cbm_pdf_helper_get_pid (helper), >, 0);
}

static const char *
find_limit (char      **lines,
            const char *name)
{
  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], name))
      return lines[i] + strlen (name);
  return NULL;
}

static void
test_limits (void)
{
  g_autoptr(CbmPdfHelper) helper = cbm_pdf_helper_new ();
  g_autoptr(CbmPdfInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *limits_path = NULL;
  g_autofree char *limits = NULL;
  g_auto(GStrv) lines = NULL;
  g_auto(GStrv) core = NULL;
  g_autofree char *core_line = NULL;

  cbm_pdf_helper_set_memory_limit (helper, G_GUINT64_CONSTANT (1) << 30);
  info = open_doc (helper, sample_pdf, NULL, &error);
  g_assert_no_error (error);

  limits_path = g_strdup_printf ("/proc/%d/limits", _cbm_pdf_helper_get_pid (helper));
  g_assert_true (g_file_get_contents (limits_path, &limits, NULL, NULL));
  lines = g_strsplit (limits, "\n", -1);

  core_line = g_strstrip (g_strdup (find_limit (lines, "Max core file size")));
  core = g_strsplit (core_line, " ", -1);
  g_assert_cmpstr (core[0], ==, "0");

#if defined(__SANITIZE_ADDRESS__)
  g_test_message ("AddressSanitizer build: the helper runs without a memory limit");
#else
  g_assert_nonnull (strstr (find_limit (lines, "Max address space"), " 1073741824 "));
#endif
}

static void
test_text (void)
{
  g_autoptr(CbmPdfHelper) helper = open_sample ();
  g_autoptr(GError) error = NULL;
  g_autofree char *page1 = NULL;
  g_autofree char *page2 = NULL;
  g_autofree char *missing = NULL;

  page1 = get_text (helper, 0, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (page1, "Cyber confidence building measures"));
  g_assert_nonnull (strstr (page1, "Go to contacts"));

  page2 = get_text (helper, 1, &error);
  g_assert_no_error (error);
  g_assert_true (g_utf8_validate (page2, -1, NULL));
  g_assert_nonnull (strstr (page2, "Política nacional de ciberseguridad"));

  missing = get_text (helper, 3, &error);
  g_assert_error (error, CBM_PDF_ERROR, CBM_PDF_ERROR_INVALID_PAGE);
  g_assert_null (missing);
}

static void
test_selected_text (void)
{
  g_autoptr(CbmPdfHelper) helper = open_sample ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  CbmPdfRect area = { 60, 70, 540, 110 };

  cbm_pdf_helper_get_selected_text_async (helper, 0, &area, NULL, store_result_cb, &result);
  text = cbm_pdf_helper_get_selected_text_finish (helper, await_result (&result), &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (text, "Cyber confidence"));
  g_assert_null (strstr (text, "Web link"));
}

static void
test_find (void)
{
  g_autoptr(CbmPdfHelper) helper = open_sample ();
  g_autoptr(GPtrArray) matches = NULL;
  g_autoptr(GError) error = NULL;
  CbmPdfMatch *match;
  g_autofree char *matched = NULL;

  /* Whole document, case ignored by default. */
  matches = find (helper, -1, "POINTS OF CONTACT", CBM_PDF_FIND_DEFAULT, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (matches->len, ==, 2);
  match = g_ptr_array_index (matches, 0);
  g_assert_cmpint (match->page, ==, 2);
  g_assert_nonnull (strstr (match->context, "Points of contact"));
  matched = g_strndup (match->context + match->match_offset, match->match_length);
  g_assert_cmpstr (matched, ==, "Points of contact");
  /* Top-left origin: the first line is drawn at y = 100, the second at y = 400. */
  g_assert_cmpfloat (match->area.y1, <, 100);
  g_assert_cmpfloat (match->area.y2, >, 85);
  g_assert_cmpfloat (match->area.x1, >=, 71);
  g_assert_cmpfloat (match->area.x2, >, match->area.x1);
  match = g_ptr_array_index (matches, 1);
  g_assert_cmpfloat (match->area.y1, >, 380);
  g_assert_cmpfloat (match->area.y2, <, 410);
  g_assert_nonnull (strstr (match->context, "More points of contact here"));
  g_clear_pointer (&matches, g_ptr_array_unref);

  matches = find (helper, 0, "cyber", CBM_PDF_FIND_CASE_SENSITIVE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (matches->len, ==, 0);
  g_clear_pointer (&matches, g_ptr_array_unref);

  matches = find (helper, 0, "Cyber", CBM_PDF_FIND_CASE_SENSITIVE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (matches->len, ==, 1);
  g_clear_pointer (&matches, g_ptr_array_unref);

  /* Accent folding on request only. */
  matches = find (helper, -1, "politica", CBM_PDF_FIND_DEFAULT, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (matches->len, ==, 0);
  g_clear_pointer (&matches, g_ptr_array_unref);

  matches = find (helper, -1, "politica", CBM_PDF_FIND_IGNORE_ACCENTS, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (matches->len, ==, 1);
  match = g_ptr_array_index (matches, 0);
  g_assert_cmpint (match->page, ==, 1);
  g_assert_nonnull (strstr (match->context, "Política"));
  g_clear_pointer (&matches, g_ptr_array_unref);

  matches = find (helper, 7, "cyber", CBM_PDF_FIND_DEFAULT, &error);
  g_assert_error (error, CBM_PDF_ERROR, CBM_PDF_ERROR_INVALID_PAGE);
  g_assert_null (matches);
}

static guint
count_dark_pixels (CbmPdfImage *image,
                   int          x1,
                   int          y1,
                   int          x2,
                   int          y2)
{
  const guint8 *data = g_bytes_get_data (image->pixels, NULL);
  guint dark = 0;

  for (int y = y1; y < y2; y++)
    for (int x = x1; x < x2; x++)
      {
        guint32 pixel = *(const guint32 *) (data + y * image->stride + x * 4);

        if ((pixel & 0xff) < 128 && ((pixel >> 8) & 0xff) < 128)
          dark++;
      }

  return dark;
}

static void
test_render (void)
{
  g_autoptr(CbmPdfHelper) helper = open_sample ();
  g_autoptr(CbmPdfImage) image = NULL;
  g_autoptr(GError) error = NULL;
  cairo_surface_t *surface;

  image = render (helper, 0, 1.0, &error);
  g_assert_no_error (error);
  g_assert_cmpint (image->width, ==, 595);
  g_assert_cmpint (image->height, ==, 842);
  g_assert_cmpint (image->stride, >=, 595 * 4);
  /* The title is drawn at (72, 100) with 24 pt type; the lower page is empty. */
  g_assert_cmpuint (count_dark_pixels (image, 72, 80, 400, 105), >, 500);
  g_assert_cmpuint (count_dark_pixels (image, 0, 500, 595, 842), ==, 0);
  g_assert_cmphex (*(const guint32 *) g_bytes_get_data (image->pixels, NULL), ==, 0xffffffff);

  surface = cbm_pdf_image_create_surface (image);
  g_assert_cmpint (cairo_surface_status (surface), ==, CAIRO_STATUS_SUCCESS);
  g_assert_cmpint (cairo_image_surface_get_width (surface), ==, 595);
  g_clear_pointer (&image, cbm_pdf_image_unref);
  /* The surface keeps the pixels alive, and they may be drawn on. */
  {
    cairo_t *cr = cairo_create (surface);

    cairo_set_source_rgb (cr, 1, 0, 0);
    cairo_paint (cr);
    cairo_destroy (cr);
  }
  cairo_surface_destroy (surface);

  image = render (helper, 1, 2.0, &error);
  g_assert_no_error (error);
  g_assert_cmpint (image->width, ==, 1684);
  g_assert_cmpint (image->height, ==, 1190);
  g_clear_pointer (&image, cbm_pdf_image_unref);

  image = render (helper, 0, 1000.0, &error);
  g_assert_error (error, CBM_PDF_ERROR, CBM_PDF_ERROR_TOO_LARGE);
  g_assert_null (image);
  g_clear_error (&error);

  image = render (helper, -1, 1.0, &error);
  g_assert_error (error, CBM_PDF_ERROR, CBM_PDF_ERROR_INVALID_PAGE);
  g_assert_null (image);
}

static void
test_open_and_render (void)
{
  g_autoptr(CbmPdfHelper) helper = cbm_pdf_helper_new ();
  g_autoptr(CbmPdfInfo) info = NULL;
  g_autoptr(CbmPdfImage) image = NULL;
  g_autoptr(CbmPdfImage) again = NULL;
  g_autoptr(GError) render_error = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *truncated = g_build_filename (tmp_dir, "truncated.pdf", NULL);
  g_autofree char *contents = NULL;
  g_autofree char *text = NULL;
  gsize length;
  int page = -1;

  /* The render comes with the document: the page asked for, within the document, the same
   * pixels a render job gives. */
  info = open_and_render (helper, sample_pdf, 10, 0.5, &page, &image, &render_error, &error);
  g_assert_no_error (error);
  g_assert_no_error (render_error);
  g_assert_cmpint (info->n_pages, ==, 3);
  g_assert_cmpint (page, ==, 2);
  g_assert_nonnull (image);
  g_assert_cmpint (image->width, ==, 298);
  again = render (helper, 2, 0.5, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (image->pixels, again->pixels));
  g_clear_pointer (&info, cbm_pdf_info_unref);
  g_clear_pointer (&image, cbm_pdf_image_unref);

  /* A render that fails leaves the document open. */
  info = open_and_render (helper, sample_pdf, 0, 1000, &page, &image, &render_error, &error);
  g_assert_no_error (error);
  g_assert_nonnull (info);
  g_assert_null (image);
  g_assert_error (render_error, CBM_PDF_ERROR, CBM_PDF_ERROR_TOO_LARGE);
  g_clear_pointer (&info, cbm_pdf_info_unref);
  text = get_text (helper, 0, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (text, "Cyber"));

  /* A document that does not open is not rendered. */
  g_assert_true (g_file_get_contents (sample_pdf, &contents, &length, NULL));
  g_assert_true (g_file_set_contents (truncated, contents, length / 2, NULL));
  info = open_and_render (helper, truncated, 0, 0.5, &page, &image, NULL, &error);
  g_assert_error (error, CBM_PDF_ERROR, CBM_PDF_ERROR_DAMAGED);
  g_assert_null (info);
  g_assert_null (image);
}

static char *
checksum (CbmPdfImage *image)
{
  return g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, image->pixels);
}

/* Past the buffers the helper keeps track of (a long thumbnail strip held at once), renders
 * still come back whole and the helper neither crashes nor restarts; under AddressSanitizer
 * this also catches a buffer read after the helper let it go. */
static void
test_many_held_renders (void)
{
  g_autoptr(CbmPdfHelper) helper = open_sample ();
  g_autoptr(GPtrArray) held = g_ptr_array_new_with_free_func ((GDestroyNotify) cbm_pdf_image_unref);
  g_autoptr(GError) error = NULL;
  char *sums[2] = { NULL, NULL };
  int pid;

  for (int page = 0; page < 2; page++)
    {
      g_autoptr(CbmPdfImage) image = render (helper, page, 0.25, &error);

      g_assert_no_error (error);
      sums[page] = checksum (image);
    }
  pid = _cbm_pdf_helper_get_pid (helper);

  for (int i = 0; i < 80; i++)
    {
      CbmPdfImage *image = render (helper, i % 2, 0.25, &error);

      g_assert_no_error (error);
      g_ptr_array_add (held, image);
    }
  for (guint i = 0; i < held->len; i++)
    {
      g_autofree char *sum = checksum (g_ptr_array_index (held, i));

      g_assert_cmpstr (sum, ==, sums[i % 2]);
    }
  g_ptr_array_set_size (held, 0);

  for (int i = 0; i < 4; i++)
    {
      g_autoptr(CbmPdfImage) image = render (helper, i % 2, 0.25, &error);
      g_autofree char *sum = NULL;

      g_assert_no_error (error);
      sum = checksum (image);
      g_assert_cmpstr (sum, ==, sums[i % 2]);
    }
  g_assert_cmpint (_cbm_pdf_helper_get_pid (helper), ==, pid);
  g_free (sums[0]);
  g_free (sums[1]);
}

/* The helper renders into its buffers again once the client has let them go, never while the
 * client holds them, and a restarted helper never gets the buffers of the one before. */
static void
test_render_buffers (void)
{
  g_autoptr(CbmPdfHelper) helper = open_sample ();
  g_autoptr(CbmPdfImage) first = NULL;
  g_autoptr(CbmPdfImage) second = NULL;
  g_autoptr(CbmPdfImage) third = NULL;
  g_autoptr(GError) error = NULL;
  CbmPdfImage *held[2] = { NULL, NULL };
  int held_page[2] = { 0, 0 };
  char *sums[3];

  for (int page = 0; page < 3; page++)
    {
      g_autoptr(CbmPdfImage) image = render (helper, page, 0.5, &error);

      g_assert_no_error (error);
      sums[page] = checksum (image);
    }
  g_assert_cmpstr (sums[1], !=, sums[2]);

  for (int i = 0; i < 12; i++)
    {
      CbmPdfImage *image = render (helper, i % 3, 0.5, &error);
      g_autofree char *sum = NULL;

      g_assert_no_error (error);
      sum = checksum (image);
      g_assert_cmpstr (sum, ==, sums[i % 3]);
      for (int j = 0; j < 2; j++)
        if (held[j] != NULL)
          {
            g_autofree char *held_sum = checksum (held[j]);

            g_assert_cmpstr (held_sum, ==, sums[held_page[j]]);
          }
      g_clear_pointer (&held[i % 2], cbm_pdf_image_unref);
      held[i % 2] = image;
      held_page[i % 2] = i % 3;
    }
  g_clear_pointer (&held[0], cbm_pdf_image_unref);
  g_clear_pointer (&held[1], cbm_pdf_image_unref);
  g_clear_object (&helper);

  /* A new helper numbers its buffers from the start again. */
  helper = open_sample ();
  first = render (helper, 0, 0.5, &error);
  g_assert_no_error (error);
  kill (_cbm_pdf_helper_get_pid (helper), SIGKILL);
  g_usleep (200 * 1000);
  second = render (helper, 1, 0.5, &error);
  g_assert_no_error (error);
  g_clear_pointer (&first, cbm_pdf_image_unref);
  third = render (helper, 2, 0.5, &error);
  g_assert_no_error (error);
  {
    g_autofree char *second_sum = checksum (second);
    g_autofree char *third_sum = checksum (third);

    g_assert_cmpstr (second_sum, ==, sums[1]);
    g_assert_cmpstr (third_sum, ==, sums[2]);
  }

  for (int page = 0; page < 3; page++)
    g_free (sums[page]);
}

static void
test_outline (void)
{
  g_autoptr(CbmPdfHelper) helper = open_sample ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;
  CbmPdfOutlineItem *item;

  cbm_pdf_helper_get_outline_async (helper, NULL, store_result_cb, &result);
  items = cbm_pdf_helper_get_outline_finish (helper, await_result (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (items->len, ==, 3);

  item = g_ptr_array_index (items, 0);
  g_assert_cmpstr (item->title, ==, "Introduction");
  g_assert_cmpint (item->page, ==, 0);
  g_assert_cmpuint (item->children->len, ==, 0);

  item = g_ptr_array_index (items, 1);
  g_assert_cmpstr (item->title, ==, "Policies");
  g_assert_cmpint (item->page, ==, 1);
  g_assert_cmpuint (item->children->len, ==, 1);
  g_assert_cmpstr (((CbmPdfOutlineItem *) g_ptr_array_index (item->children, 0))->title, ==,
                   "National policy");

  item = g_ptr_array_index (items, 2);
  g_assert_cmpstr (item->title, ==, "Contacts");
  g_assert_cmpint (item->page, ==, 2);
}

static void
test_links (void)
{
  g_autoptr(CbmPdfHelper) helper = open_sample ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) links = NULL;
  g_autoptr(GError) error = NULL;
  gboolean web = FALSE, mail = FALSE, jump = FALSE;

  cbm_pdf_helper_get_links_async (helper, 0, NULL, store_result_cb, &result);
  links = cbm_pdf_helper_get_links_finish (helper, await_result (&result), &error);
  g_assert_no_error (error);

  /* file:, javascript:, smb: and the remote GoTo are dropped. */
  g_assert_cmpuint (links->len, ==, 3);
  for (guint i = 0; i < links->len; i++)
    {
      CbmPdfLink *link = g_ptr_array_index (links, i);

      g_assert_cmpfloat (link->area.x1, >=, 70);
      g_assert_cmpfloat (link->area.y1, >, 180);
      g_assert_cmpfloat (link->area.y2, <, 360);

      if (link->kind == CBM_PDF_LINK_URI && g_strcmp0 (link->uri, "https://example.org/cbm") == 0)
        {
          web = TRUE;
          g_assert_cmpfloat (link->area.y2, <, 210);
        }
      else if (link->kind == CBM_PDF_LINK_URI
               && g_strcmp0 (link->uri, "mailto:cbm@example.org") == 0)
        mail = TRUE;
      else if (link->kind == CBM_PDF_LINK_GOTO && link->page == 2)
        jump = TRUE;
      else
        g_assert_not_reached ();
    }

  g_assert_true (web && mail && jump);
}

static void
test_errors (void)
{
  g_autoptr(CbmPdfHelper) helper = cbm_pdf_helper_new ();
  g_autoptr(CbmPdfInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text_file = g_build_filename (tmp_dir, "notes.pdf", NULL);
  g_autofree char *truncated = g_build_filename (tmp_dir, "truncated.pdf", NULL);
  g_autofree char *missing = g_build_filename (tmp_dir, "missing.pdf", NULL);
  g_autofree char *contents = NULL;
  g_autofree char *text = NULL;
  gsize length;

  text = get_text (helper, 0, &error);
  g_assert_error (error, CBM_PDF_ERROR, CBM_PDF_ERROR_NO_DOCUMENT);
  g_clear_error (&error);

  info = open_doc (helper, missing, NULL, &error);
  g_assert_error (error, CBM_PDF_ERROR, CBM_PDF_ERROR_UNREADABLE);
  g_assert_null (info);
  g_clear_error (&error);

  g_assert_true (g_file_set_contents (text_file, "Just some notes, not a PDF.\n", -1, NULL));
  info = open_doc (helper, text_file, NULL, &error);
  g_assert_error (error, CBM_PDF_ERROR, CBM_PDF_ERROR_NOT_PDF);
  g_clear_error (&error);

  g_assert_true (g_file_get_contents (sample_pdf, &contents, &length, NULL));
  g_assert_true (g_file_set_contents (truncated, contents, length / 2, NULL));
  info = open_doc (helper, truncated, NULL, &error);
  g_assert_error (error, CBM_PDF_ERROR, CBM_PDF_ERROR_DAMAGED);
  g_assert_cmpstr (error->message, ==, "The document is damaged and cannot be shown.");
  g_clear_error (&error);

  /* A failed open leaves no document behind. */
  text = get_text (helper, 0, &error);
  g_assert_error (error, CBM_PDF_ERROR, CBM_PDF_ERROR_NO_DOCUMENT);
  g_clear_error (&error);

  /* The helper survived all of that and still works. */
  info = open_doc (helper, sample_pdf, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (info->n_pages, ==, 3);
}

static void
test_password (void)
{
  g_autofree char *path = NULL;
  g_autoptr(CbmPdfHelper) helper = NULL;
  g_autoptr(CbmPdfInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  const char *shared = g_getenv ("CBM_SHARED_DIR");

  /* cairo cannot encrypt; the corpus has a file with the user password "abc". */
  path = g_build_filename (shared != NULL ? shared : "", "corpus", "pdf", "issue6010_1.pdf", NULL);
  if (shared == NULL || !g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_test_skip ("No encrypted PDF in the corpus");
      return;
    }

  helper = cbm_pdf_helper_new ();
  info = open_doc (helper, path, NULL, &error);
  g_assert_error (error, CBM_PDF_ERROR, CBM_PDF_ERROR_NEEDS_PASSWORD);
  g_clear_error (&error);

  info = open_doc (helper, path, "wrong", &error);
  g_assert_error (error, CBM_PDF_ERROR, CBM_PDF_ERROR_BAD_PASSWORD);
  g_clear_error (&error);

  info = open_doc (helper, path, "abc", &error);
  g_assert_no_error (error);
  g_assert_cmpint (info->n_pages, >, 0);
}

static void
test_timeout (void)
{
  g_autoptr(CbmPdfHelper) helper = open_sample ();
  g_autoptr(CbmPdfImage) image = NULL;
  g_autoptr(GError) error = NULL;
  int pid = _cbm_pdf_helper_get_pid (helper);
  gint64 start;

  cbm_pdf_helper_set_timeout (helper, 300);
  start = g_get_monotonic_time ();
  g_assert_false (sleep_in_helper (helper, 20000, &error));
  g_assert_error (error, CBM_PDF_ERROR, CBM_PDF_ERROR_TIMEOUT);
  g_assert_cmpstr (error->message, ==, "Reading this document took too long and was stopped.");
  g_assert_cmpint (g_get_monotonic_time () - start, <, 3 * G_USEC_PER_SEC);
  g_assert_cmpint (_cbm_pdf_helper_get_pid (helper), ==, 0);
  g_clear_error (&error);

  /* The next job starts a new helper and reopens the document without being asked. */
  cbm_pdf_helper_set_timeout (helper, 10000);
  image = render (helper, 2, 0.5, &error);
  g_assert_no_error (error);
  g_assert_cmpint (image->width, ==, 298);
  g_assert_cmpint (_cbm_pdf_helper_get_pid (helper), >, 0);
  g_assert_cmpint (_cbm_pdf_helper_get_pid (helper), !=, pid);
}

static gboolean
kill_helper_cb (gpointer user_data)
{
  kill (GPOINTER_TO_INT (user_data), SIGKILL);
  return G_SOURCE_REMOVE;
}

static void
test_crash (void)
{
  g_autoptr(CbmPdfHelper) helper = open_sample ();
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  int pid = _cbm_pdf_helper_get_pid (helper);
  int second_pid;

  /* Killed during a job: that job fails... */
  g_timeout_add (200, kill_helper_cb, GINT_TO_POINTER (pid));
  g_assert_false (sleep_in_helper (helper, 5000, &error));
  g_assert_error (error, CBM_PDF_ERROR, CBM_PDF_ERROR_CRASHED);
  g_clear_error (&error);

  /* ...and the next one works in a new helper, with the document reopened. */
  text = get_text (helper, 2, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (text, "Points of contact"));
  g_clear_pointer (&text, g_free);
  second_pid = _cbm_pdf_helper_get_pid (helper);
  g_assert_cmpint (second_pid, !=, pid);

  /* Killed while idle: the next job does not even notice. */
  kill (second_pid, SIGKILL);
  g_usleep (200 * 1000);
  text = get_text (helper, 0, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (text, "Cyber"));
  g_assert_cmpint (_cbm_pdf_helper_get_pid (helper), !=, second_pid);
}

typedef struct
{
  GPtrArray *order;
  guint      pending;
} QueueState;

static void
queued_text_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  QueueState *state = user_data;
  g_autoptr(GError) error = NULL;
  char *text = cbm_pdf_helper_get_text_finish (CBM_PDF_HELPER (object), result, &error);

  if (text == NULL)
    g_ptr_array_add (state->order, g_strdup (error->domain == G_IO_ERROR ? "cancelled" : "error"));
  else
    g_ptr_array_add (state->order, text);
  state->pending--;
}

static void
test_queue (void)
{
  g_autoptr(CbmPdfHelper) helper = open_sample ();
  g_autoptr(GPtrArray) order = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  QueueState state = { order, 4 };

  /* Jobs queued together run one at a time, in order; a cancelled one never runs. */
  cbm_pdf_helper_get_text_async (helper, 2, NULL, queued_text_cb, &state);
  cbm_pdf_helper_get_text_async (helper, 0, cancellable, queued_text_cb, &state);
  cbm_pdf_helper_get_text_async (helper, 1, NULL, queued_text_cb, &state);
  cbm_pdf_helper_get_text_async (helper, 9, NULL, queued_text_cb, &state);
  g_cancellable_cancel (cancellable);

  while (state.pending > 0)
    g_main_context_iteration (NULL, TRUE);

  g_assert_cmpuint (order->len, ==, 4);
  g_assert_nonnull (strstr (g_ptr_array_index (order, 0), "Points of contact"));
  g_assert_cmpstr (g_ptr_array_index (order, 1), ==, "cancelled");
  g_assert_nonnull (strstr (g_ptr_array_index (order, 2), "Política"));
  g_assert_cmpstr (g_ptr_array_index (order, 3), ==, "error");
}

int
main (int    argc,
      char **argv)
{
  int ret;

  g_test_init (&argc, &argv, NULL);
  g_setenv ("CBM_PDF_HELPER_TEST_COMMANDS", "1", TRUE);

  tmp_dir = g_dir_make_tmp ("test-pdf-helper-XXXXXX", NULL);
  g_assert_nonnull (tmp_dir);
  sample_pdf = g_build_filename (tmp_dir, "sample.pdf", NULL);
  write_sample_pdf (sample_pdf);

  g_test_add_func ("/document/uri-filter", test_uri_filter);
  g_test_add_func ("/document/helper/open", test_open);
  g_test_add_func ("/document/helper/limits", test_limits);
  g_test_add_func ("/document/helper/text", test_text);
  g_test_add_func ("/document/helper/selected-text", test_selected_text);
  g_test_add_func ("/document/helper/find", test_find);
  g_test_add_func ("/document/helper/render", test_render);
  g_test_add_func ("/document/helper/open-and-render", test_open_and_render);
  g_test_add_func ("/document/helper/render-buffers", test_render_buffers);
  g_test_add_func ("/document/helper/many-held-renders", test_many_held_renders);
  g_test_add_func ("/document/helper/outline", test_outline);
  g_test_add_func ("/document/helper/links", test_links);
  g_test_add_func ("/document/helper/errors", test_errors);
  g_test_add_func ("/document/helper/password", test_password);
  g_test_add_func ("/document/helper/timeout", test_timeout);
  g_test_add_func ("/document/helper/crash", test_crash);
  g_test_add_func ("/document/helper/queue", test_queue);

  ret = g_test_run ();

  for (const char * const *name = (const char * const[]) { "sample.pdf", "notes.pdf", "truncated.pdf", NULL };
       *name != NULL; name++)
    {
      g_autofree char *path = g_build_filename (tmp_dir, *name, NULL);
      g_remove (path);
    }
  g_rmdir (tmp_dir);
  g_free (sample_pdf);
  g_free (tmp_dir);

  return ret;
}
