/* test-viewer-view.c
 *
 * Copyright 2026 The CBM Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The viewer widget and the document page under a display (xvfb): first page painted, a
 * damaged file ending in the error state, find. */

#include "config.h"

#define G_SETTINGS_ENABLE_BACKEND
#include <epoxy/gl.h>
#include <gio/gsettingsbackend.h>
#include <glib/gstdio.h>
#include <math.h>
#include <unistd.h>

#include "cbm-document-page.h"
#include "cbm-renderer.h"

#define WAIT_SECONDS 30

static char *
sample_path (const char *name)
{
  const char *root = g_getenv ("CBM_SAMPLE_REPOSITORY");

  if (root == NULL)
    return NULL;
  return g_build_filename (root, "v1", "documents", name, NULL);
}

static gboolean
timed_out_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Iterates the main loop until *@flag is set, failing after WAIT_SECONDS. */
static void
wait_for (const gboolean *flag)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (WAIT_SECONDS, timed_out_cb, &timed_out);

  while (!*flag && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (id);
  g_assert_false (timed_out);
}

static void
set_flag_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
}

static void
page_rendered_cb (CbmPdfView *view,
                  int         page,
                  gboolean   *first_page)
{
  if (page == 0)
    *first_page = TRUE;
}

static void
loaded_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (cbm_pdf_model_load_finish (CBM_PDF_MODEL (object), result, &error));
  g_assert_no_error (error);
  *(gboolean *) user_data = TRUE;
}

/* An 800 × 600 window scrolling a view of @model, not yet shown. */
static GtkWidget *
new_view_window (CbmPdfModel  *model,
                 GtkWidget   **view)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *scrolled = gtk_scrolled_window_new ();

  *view = cbm_pdf_view_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 800, 600);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), *view);
  gtk_window_set_child (GTK_WINDOW (window), scrolled);
  cbm_pdf_view_set_model (CBM_PDF_VIEW (*view), model);
  return window;
}

static void
test_first_page_painted (void)
{
  g_autofree char *path = sample_path ("ag-law-2010.pdf");
  g_autoptr(CbmPdfHelper) helper = cbm_pdf_helper_new ();
  g_autoptr(CbmPdfModel) model = cbm_pdf_model_new (helper);
  GtkWidget *view;
  GtkWidget *window = new_view_window (model, &view);
  gboolean loaded = FALSE, first_page = FALSE, painted = FALSE;
  GtkAdjustment *vadjustment;
  GdkTexture *texture;
  double scale = 0;
  int scale_factor;

  g_assert_nonnull (path);
  g_signal_connect (view, "page-rendered", G_CALLBACK (page_rendered_cb), &first_page);
  gtk_window_present (GTK_WINDOW (window));

  cbm_pdf_model_load_async (model, path, NULL, NULL, loaded_cb, &loaded);
  wait_for (&loaded);
  wait_for (&first_page);

  /* The next frame paints it. */
  g_signal_connect_swapped (gtk_widget_get_frame_clock (window), "after-paint", G_CALLBACK (set_flag_cb), &painted);
  gtk_widget_queue_draw (view);
  wait_for (&painted);

  /* Fit width in an 800-pixel window, rendered at the device scale. */
  texture = cbm_pdf_page_cache_lookup (cbm_pdf_view_get_cache (CBM_PDF_VIEW (view)), 0, &scale);
  g_assert_nonnull (texture);
  scale_factor = gtk_widget_get_scale_factor (view);
  g_assert_cmpfloat_with_epsilon (scale, cbm_pdf_model_get_scale (model) * scale_factor, 0.02);
  g_assert_cmpint (gdk_texture_get_width (texture), >, 600);
  g_assert_cmpint (gdk_texture_get_width (texture), <, 800 * scale_factor);
  g_assert_null (cbm_pdf_view_get_page_error (CBM_PDF_VIEW (view), 0));

  /* Scrolling to the end makes the last page current. */
  vadjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (view));
  g_assert_cmpfloat (gtk_adjustment_get_upper (vadjustment), >, 5 * 600);
  gtk_adjustment_set_value (vadjustment, gtk_adjustment_get_upper (vadjustment));
  g_assert_cmpint (cbm_pdf_model_get_page (model), ==, 4);

  /* Going to a page scrolls to it. */
  cbm_pdf_model_set_page (model, 2);
  g_assert_cmpint (cbm_pdf_model_get_page (model), ==, 2);

  gtk_window_destroy (GTK_WINDOW (window));
}

typedef struct
{
  CbmPdfView *view;
  gboolean    had_page;
} InfoCheck;

/* Runs right after the view's own handler of the same notification. */
static void
info_changed_cb (CbmPdfModel *model,
                 GParamSpec  *pspec,
                 InfoCheck   *check)
{
  int scale_factor = gtk_widget_get_scale_factor (GTK_WIDGET (check->view));
  double scale = 0;

  check->had_page = cbm_pdf_page_cache_lookup (cbm_pdf_view_get_cache (check->view), 0, &scale) != NULL
                    && fabs (scale - cbm_pdf_model_get_render_scale (model, 0, scale_factor)) < 0.01 * scale;
}

/* A view already on screen gets the first page with the document, at the scale it lays the page
 * out at: no render job after the load, and no frame without the page. */
static void
test_first_page_with_document (void)
{
  g_autofree char *path = sample_path ("ag-law-2010.pdf");
  g_autoptr(CbmPdfHelper) helper = cbm_pdf_helper_new ();
  g_autoptr(CbmPdfModel) model = cbm_pdf_model_new (helper);
  GtkWidget *view;
  GtkWidget *window = new_view_window (model, &view);
  InfoCheck check = { CBM_PDF_VIEW (view), FALSE };
  gboolean loaded = FALSE, painted = FALSE;

  g_assert_nonnull (path);
  gtk_window_present (GTK_WINDOW (window));
  g_signal_connect_swapped (gtk_widget_get_frame_clock (window), "after-paint", G_CALLBACK (set_flag_cb), &painted);
  wait_for (&painted);
  g_assert_cmpint (gtk_widget_get_width (view), >, 0);

  g_signal_connect (model, "notify::info", G_CALLBACK (info_changed_cb), &check);
  cbm_pdf_model_load_async (model, path, NULL, NULL, loaded_cb, &loaded);
  wait_for (&loaded);
  g_assert_true (check.had_page);
  g_assert_null (cbm_pdf_view_get_page_error (CBM_PDF_VIEW (view), 0));

  gtk_window_destroy (GTK_WINDOW (window));
}

static CbmDocument *
new_document (const char *path)
{
  CbmDocument *document = cbm_document_new ();

  document->id = g_strdup ("test-document");
  document->country = g_strdup ("AG");
  document->title = g_strdup ("Test document");
  document->local_path = g_strdup (path);
  return document;
}

static void
wait_for_state (CbmDocumentPage *page)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (WAIT_SECONDS, timed_out_cb, &timed_out);

  while (g_str_equal (cbm_document_page_get_state (page), "loading") && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (id);
  g_assert_false (timed_out);
}

typedef struct
{
  CbmPdfView *view;
  int         page;
  gboolean    had_page;
} ResumeCheck;

/* Runs right after the view's own handler of the same notification. */
static void
resume_info_changed_cb (CbmPdfModel *model,
                        GParamSpec  *pspec,
                        ResumeCheck *check)
{
  double scale;

  check->had_page = cbm_pdf_page_cache_lookup (cbm_pdf_view_get_cache (check->view), check->page,
                                               &scale) != NULL;
}

/* As the window does for the first document of a session: the page is opened while it has never
 * been shown. The page the user comes back to is rendered along with the document all the same. */
static void
test_resume_page_with_document (void)
{
  g_autofree char *path = sample_path ("ag-law-2010.pdf");
  g_autoptr(CbmDocument) document = new_document (path);
  g_autoptr(GSettingsBackend) backend = g_memory_settings_backend_new ();
  g_autoptr(GSettings) settings = g_settings_new_with_backend ("io.github.cbmdesk.CbmDesk", backend);
  GVariantBuilder builder;
  GtkWidget *window = gtk_window_new ();
  GtkWidget *stack = gtk_stack_new ();
  CbmDocumentPage *page = g_object_new (CBM_TYPE_DOCUMENT_PAGE, NULL);
  ResumeCheck check = { cbm_document_page_get_view (page), 3, FALSE };

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a{s(ud)}"));
  g_variant_builder_add (&builder, "{s(ud)}", document->id, (guint32) check.page, -1.0);
  g_settings_set_value (settings, "document-positions", g_variant_builder_end (&builder));

  gtk_window_set_default_size (GTK_WINDOW (window), 900, 700);
  gtk_stack_add_named (GTK_STACK (stack), gtk_label_new ("main"), "main");
  gtk_stack_add_named (GTK_STACK (stack), GTK_WIDGET (page), "document");
  gtk_stack_set_visible_child_name (GTK_STACK (stack), "main");
  gtk_window_set_child (GTK_WINDOW (window), stack);
  gtk_window_present (GTK_WINDOW (window));
  while (gtk_widget_get_width (stack) == 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (page)), ==, 0);

  g_signal_connect (cbm_document_page_get_model (page), "notify::info",
                    G_CALLBACK (resume_info_changed_cb), &check);
  cbm_document_page_open (page, document, NULL, settings);
  gtk_stack_set_visible_child_name (GTK_STACK (stack), "document");
  wait_for_state (page);
  g_assert_cmpstr (cbm_document_page_get_state (page), ==, "document");
  g_assert_true (check.had_page);
  g_assert_cmpint (cbm_pdf_model_get_page (cbm_document_page_get_model (page)), ==, check.page);

  g_signal_handlers_disconnect_by_data (cbm_document_page_get_model (page), &check);
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_damaged_document (void)
{
  g_autofree char *path = sample_path ("ag-law-2010.pdf");
  g_autofree char *contents = NULL;
  g_autofree char *damaged = NULL;
  g_autoptr(CbmDocument) document = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *window = gtk_window_new ();
  CbmDocumentPage *page = g_object_new (CBM_TYPE_DOCUMENT_PAGE, NULL);
  gsize length;
  int fd;

  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  fd = g_file_open_tmp ("cbm-damaged-XXXXXX.pdf", &damaged, &error);
  g_assert_no_error (error);
  close (fd);
  g_file_set_contents (damaged, contents, length / 3, &error);
  g_assert_no_error (error);

  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (page));
  gtk_window_present (GTK_WINDOW (window));
  document = new_document (damaged);
  cbm_document_page_open (page, document, "Antigua and Barbuda", NULL);
  wait_for_state (page);
  g_assert_cmpstr (cbm_document_page_get_state (page), ==, "error");

  gtk_window_destroy (GTK_WINDOW (window));
  g_unlink (damaged);
}

static void
test_find (void)
{
  g_autofree char *path = sample_path ("ag-law-2010.pdf");
  g_autoptr(CbmDocument) document = new_document (path);
  GtkWidget *window = gtk_window_new ();
  CbmDocumentPage *page = g_object_new (CBM_TYPE_DOCUMENT_PAGE, NULL);
  GListModel *matches;
  gboolean timed_out = FALSE;
  guint id;

  gtk_window_set_default_size (GTK_WINDOW (window), 900, 700);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (page));
  gtk_window_present (GTK_WINDOW (window));
  cbm_document_page_open (page, document, "Antigua and Barbuda", NULL);
  wait_for_state (page);
  g_assert_cmpstr (cbm_document_page_get_state (page), ==, "document");
  g_assert_cmpint (cbm_pdf_model_get_n_pages (cbm_document_page_get_model (page)), ==, 5);

  /* "incident response" first appears on the second page; accents and case are ignored. */
  cbm_document_page_find (page, "INCIDENT RESPONSE");
  matches = cbm_document_page_get_matches (page);
  id = g_timeout_add_seconds (WAIT_SECONDS, timed_out_cb, &timed_out);
  while (g_list_model_get_n_items (matches) == 0 && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (id);
  g_assert_false (timed_out);

  g_assert_cmpuint (g_list_model_get_n_items (matches), >=, 5);
  g_assert_cmpint (cbm_document_page_get_match (page, 0)->page, ==, 1);
  for (guint i = 0; i < g_list_model_get_n_items (matches); i++)
    {
      CbmPdfMatch *match = cbm_document_page_get_match (page, i);

      g_assert_cmpint (match->page, >=, 1);
      g_assert_nonnull (strstr (match->context, "incident"));
    }

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_password (void)
{
  const char *shared = g_getenv ("CBM_SHARED_DIR");
  g_autofree char *path = shared != NULL ? g_build_filename (shared, "corpus", "pdf", "issue6010_1.pdf", NULL) : NULL;
  g_autoptr(CbmDocument) document = NULL;
  GtkWidget *window;
  CbmDocumentPage *page;

  if (path == NULL || !g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_test_skip ("The corpus (CBM_SHARED_DIR) is not available");
      return;
    }

  window = gtk_window_new ();
  page = g_object_new (CBM_TYPE_DOCUMENT_PAGE, NULL);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (page));
  gtk_window_present (GTK_WINDOW (window));
  document = new_document (path);

  /* Protected: the page asks; a wrong password asks again; the right one ("abc") opens it. */
  cbm_document_page_open (page, document, NULL, NULL);
  wait_for_state (page);
  g_assert_cmpstr (cbm_document_page_get_state (page), ==, "password");

  cbm_document_page_unlock (page, "wrong");
  g_assert_cmpstr (cbm_document_page_get_state (page), ==, "loading");
  wait_for_state (page);
  g_assert_cmpstr (cbm_document_page_get_state (page), ==, "password");

  cbm_document_page_unlock (page, "abc");
  wait_for_state (page);
  g_assert_cmpstr (cbm_document_page_get_state (page), ==, "document");
  g_assert_cmpint (cbm_pdf_model_get_n_pages (cbm_document_page_get_model (page)), >, 0);

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_renderer_is_software_gl (void)
{
  g_assert_true (cbm_renderer_is_software_gl ("llvmpipe (LLVM 15.0.6, 256 bits)"));
  g_assert_true (cbm_renderer_is_software_gl ("softpipe"));
  g_assert_true (cbm_renderer_is_software_gl ("Mesa X11 Software Rasterizer"));
  /* Hardware drivers built with LLVM name it too. */
  g_assert_false (cbm_renderer_is_software_gl ("AMD Radeon RX 6600 (navi23, LLVM 15.0.6, DRM 3.49)"));
  g_assert_false (cbm_renderer_is_software_gl ("Mesa Intel(R) UHD Graphics 620 (KBL GT2)"));
  g_assert_false (cbm_renderer_is_software_gl (NULL));
}

/* What the display's OpenGL calls itself, or NULL without OpenGL. */
static char *
dup_gl_renderer (void)
{
  g_autoptr(GdkGLContext) context = gdk_display_create_gl_context (gdk_display_get_default (), NULL);
  char *name;

  if (context == NULL || !gdk_gl_context_realize (context, NULL))
    return NULL;
  gdk_gl_context_make_current (context);
  name = g_strdup ((const char *) glGetString (GL_RENDERER));
  gdk_gl_context_clear_current ();
  return name;
}

static const char *
window_renderer (void)
{
  GtkWidget *window = gtk_window_new ();
  const char *name;

  gtk_widget_realize (window);
  name = G_OBJECT_TYPE_NAME (gtk_native_get_renderer (GTK_NATIVE (window)));
  gtk_window_destroy (GTK_WINDOW (window));
  return name;
}

static void
test_renderer_gpu_device (void)
{
  g_autofree char *dev = g_dir_make_tmp ("cbm-dev-XXXXXX", NULL);
  g_autofree char *dri = g_build_filename (dev, "dri", NULL);
  g_autofree char *by_path = g_build_filename (dri, "by-path", NULL);
  g_autofree char *render = g_build_filename (dri, "renderD128", NULL);
  g_autofree char *card = g_build_filename (dri, "card0", NULL);
  g_autofree char *nvidia = g_build_filename (dev, "nvidiactl", NULL);
  g_autofree char *wsl = g_build_filename (dev, "dxg", NULL);

  g_assert_false (cbm_renderer_has_gpu_device (dev));
  g_assert_cmpint (g_mkdir_with_parents (by_path, 0700), ==, 0);
  g_assert_false (cbm_renderer_has_gpu_device (dev));
  /* A display alone, such as simpledrm's. */
  g_assert_true (g_file_set_contents (card, "", 0, NULL));
  g_assert_false (cbm_renderer_has_gpu_device (dev));
  g_assert_true (g_file_set_contents (render, "", 0, NULL));
  g_assert_true (cbm_renderer_has_gpu_device (dev));
  g_assert_cmpint (g_remove (render), ==, 0);
  g_assert_true (g_file_set_contents (nvidia, "", 0, NULL));
  g_assert_true (cbm_renderer_has_gpu_device (dev));
  g_assert_cmpint (g_remove (nvidia), ==, 0);
  g_assert_true (g_file_set_contents (wsl, "", 0, NULL));
  g_assert_true (cbm_renderer_has_gpu_device (dev));

  g_remove (wsl);
  g_remove (card);
  g_rmdir (by_path);
  g_rmdir (dri);
  g_rmdir (dev);
}

/* Runs the current test again in a process that chooses its renderer as main() does, with
 * GSK_RENDERER and GDK_DEBUG as given (NULL: unset), and asserts that it passed. */
static void
run_renderer_subprocess (const char *gsk_renderer,
                         const char *gdk_debug)
{
  const char *names[] = { "GSK_RENDERER", "GDK_DEBUG" };
  const char *values[] = { gsk_renderer, gdk_debug };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (values[i] != NULL)
      g_setenv (names[i], values[i], TRUE);
    else
      g_unsetenv (names[i]);
  g_unsetenv ("GDK_DISABLE");
  g_setenv ("CBM_TEST_CHOOSE_RENDERER", "1", TRUE);
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDOUT | G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_unsetenv ("CBM_TEST_CHOOSE_RENDERER");
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    g_unsetenv (names[i]);
  g_test_trap_assert_passed ();
}

/* In a process of its own, which makes the choice before GTK opens the display, as main()
 * does: the choice is the environment's, and GTK reads it per display and per window. */
static void
test_renderer_choose (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *gl_renderer = NULL;

      if (!cbm_renderer_has_gpu_device ("/dev"))
        {
          /* Software OpenGL at best: cairo, and no OpenGL driver loaded at all; GDK's own
           * variables are as they were, for the apps this one launches. */
          g_assert_cmpstr (g_getenv ("GSK_RENDERER"), ==, "cairo");
          g_assert_cmpstr (g_getenv ("GDK_DEBUG"), ==, "nograbs");
          g_assert_null (g_getenv ("GDK_DISABLE"));
          g_assert_false (gdk_display_prepare_gl (gdk_display_get_default (), &error));
          g_test_message ("OpenGL: %s", error->message);
          g_assert_cmpstr (window_renderer (), ==, "GskCairoRenderer");
          return;
        }

      gl_renderer = dup_gl_renderer ();
      g_test_message ("OpenGL: %s", gl_renderer ? gl_renderer : "none");
      if (cbm_renderer_is_software_gl (gl_renderer))
        {
          g_assert_cmpstr (g_getenv ("GSK_RENDERER"), ==, "cairo");
          g_assert_cmpstr (window_renderer (), ==, "GskCairoRenderer");
        }
      else
        g_assert_null (g_getenv ("GSK_RENDERER"));
      return;
    }

  /* A GDK_DEBUG of the user's own, kept. */
  run_renderer_subprocess (NULL, "nograbs");
}

/* GSK_RENDERER=cairo inherited from a parent, such as this app launching another instance:
 * without a GPU, OpenGL is still kept out. */
static void
test_renderer_choose_cairo_set (void)
{
  if (g_test_subprocess ())
    {
      g_assert_cmpstr (g_getenv ("GSK_RENDERER"), ==, "cairo");
      if (!cbm_renderer_has_gpu_device ("/dev"))
        g_assert_false (gdk_display_prepare_gl (gdk_display_get_default (), NULL));
      g_assert_cmpstr (window_renderer (), ==, "GskCairoRenderer");
      return;
    }

  run_renderer_subprocess ("cairo", NULL);
}

/* A renderer the user asked for is theirs. */
static void
test_renderer_choose_user_set (void)
{
  if (g_test_subprocess ())
    {
      g_assert_cmpstr (g_getenv ("GSK_RENDERER"), ==, "gl");
      g_assert_cmpstr (window_renderer (), ==, "GskGLRenderer");
      return;
    }

  run_renderer_subprocess ("gl", NULL);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *path = NULL;

  /* The renderer tests' subprocesses start as the app does: the choice before GTK starts. */
  if (g_getenv ("CBM_TEST_CHOOSE_RENDERER") != NULL)
    {
      g_test_init (&argc, &argv, NULL);
      cbm_renderer_choose ();
      gtk_init ();
    }
  else
    gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  path = sample_path ("ag-law-2010.pdf");
  if (path == NULL || !g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_print ("1..0 # SKIP CBM_SAMPLE_REPOSITORY is not built\n");
      return 77;
    }

  g_test_add_func ("/viewer/view/first-page-painted", test_first_page_painted);
  g_test_add_func ("/viewer/view/first-page-with-document", test_first_page_with_document);
  g_test_add_func ("/viewer/page/resume-page-with-document", test_resume_page_with_document);
  g_test_add_func ("/viewer/page/damaged", test_damaged_document);
  g_test_add_func ("/viewer/page/find", test_find);
  g_test_add_func ("/viewer/page/password", test_password);
  g_test_add_func ("/viewer/renderer/is-software-gl", test_renderer_is_software_gl);
  g_test_add_func ("/viewer/renderer/gpu-device", test_renderer_gpu_device);
  g_test_add_func ("/viewer/renderer/choose", test_renderer_choose);
  g_test_add_func ("/viewer/renderer/choose-cairo-set", test_renderer_choose_cairo_set);
  g_test_add_func ("/viewer/renderer/choose-user-set", test_renderer_choose_user_set);

  return g_test_run ();
}
