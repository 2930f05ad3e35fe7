/* test-ui-document-page.c
 *
 * Copyright 2026 The CBM Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The document page's actions under a display (xvfb): print (exported to a PDF), Save a Copy,
 * Open With…, the confirmation before following a link, and copying selected text.
 * The test installs a recorder as the default app for PDFs and web links, in a private data
 * folder, so every launch is written to a log and nothing real opens.
 */

#include "config.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>

#include "cbm-document-page.h"
#include "cbm-test-files.h"
#include "cbm-test-ui.h"

#define SAMPLE_ID "ag-law-2010"
#define LINK_URI "https://example.org/cbm-link-test"

static char *tmp_dir;
static char *launch_log;

typedef struct
{
  GtkWidget       *window;
  CbmDocumentPage *page;
  CbmDocument     *document;
  gboolean         rendered;
  gulong           rendered_id;
} PageFixture;

static char *
sample_path (void)
{
  g_assert_nonnull (g_getenv ("CBM_SAMPLE_REPOSITORY"));
  return g_build_filename (g_getenv ("CBM_SAMPLE_REPOSITORY"), "v1", "documents", SAMPLE_ID ".pdf", NULL);
}

static gboolean
is_set (gpointer data)
{
  return *(gpointer *) data != NULL;
}

static void
store_result_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static gboolean
tick_cb (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

/* Like cbm_test_wait_until(), for what another process or thread writes to a file: nothing
 * wakes the main loop then, so a timer does. */
static void
wait_for_file (gboolean (*done) (gpointer),
               gpointer   data)
{
  guint tick = g_timeout_add (20, tick_cb, NULL);

  cbm_test_wait_until (done, data);
  g_source_remove (tick);
}

static gboolean
page_is_loaded (gpointer data)
{
  return !g_str_equal (cbm_document_page_get_state (data), "loading");
}

static void
page_rendered_cb (CbmPdfView *view,
                  int         page,
                  gboolean   *rendered)
{
  *rendered = TRUE;
}

static gboolean
flag_is_set (gpointer data)
{
  return *(gboolean *) data;
}

/* Opens document @id (the file @path) in a document page in its own window. */
static void
page_fixture_load (PageFixture *fixture,
                   const char  *id,
                   const char  *path)
{
  fixture->window = gtk_window_new ();
  fixture->page = g_object_new (CBM_TYPE_DOCUMENT_PAGE, NULL);
  fixture->document = cbm_document_new ();
  fixture->document->id = g_strdup (id);
  fixture->document->country = g_strdup ("AG");
  fixture->document->title = g_strdup ("Test document");
  fixture->document->local_path = g_strdup (path);

  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 900, 700);
  gtk_window_set_child (GTK_WINDOW (fixture->window), GTK_WIDGET (fixture->page));
  gtk_window_present (GTK_WINDOW (fixture->window));
  fixture->rendered_id = g_signal_connect (cbm_document_page_get_view (fixture->page), "page-rendered",
                                           G_CALLBACK (page_rendered_cb), &fixture->rendered);
  cbm_document_page_open (fixture->page, fixture->document, "Antigua and Barbuda", NULL);
  cbm_test_wait_until (page_is_loaded, fixture->page);
}

/* Opens document @id and waits until it is shown, laid out and with a page rendered. */
static void
page_fixture_open (PageFixture *fixture,
                   const char  *id,
                   const char  *path)
{
  page_fixture_load (fixture, id, path);
  g_assert_cmpstr (cbm_document_page_get_state (fixture->page), ==, "document");
  cbm_test_wait_until (flag_is_set, &fixture->rendered);
}

static void
page_fixture_close (PageFixture *fixture)
{
  /* Renders still on their way keep the view alive after its window: it must not report to
   * this fixture once the test has returned. */
  g_signal_handler_disconnect (cbm_document_page_get_view (fixture->page), fixture->rendered_id);
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  g_clear_object (&fixture->document);
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* The first shown toplevel of @type. */
static GtkWindow *
find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return window;
    }
  return NULL;
}

static gboolean
message_dialog_shown (gpointer data)
{
  return find_toplevel (ADW_TYPE_MESSAGE_DIALOG) != NULL;
}

static gboolean
message_dialog_gone (gpointer data)
{
  return find_toplevel (ADW_TYPE_MESSAGE_DIALOG) == NULL;
}

static GtkWidget *
find_button (GtkWidget  *root,
             const char *label)
{
  if (GTK_IS_BUTTON (root) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (root)), label) == 0)
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_button (child, label);
      if (found != NULL)
        return found;
    }
  return NULL;
}

/* Clicks the button labelled @label under @root, as the user would. */
static void
click_button (GtkWidget  *root,
              const char *label)
{
  GtkWidget *button = find_button (root, label);

  g_assert_nonnull (button);
  g_signal_emit_by_name (button, "clicked");
}

/* What the recorder app was started with, one "app uri" line per launch. */
static char *
read_launches (void)
{
  char *contents = NULL;

  if (!g_file_get_contents (launch_log, &contents, NULL, NULL))
    return g_strdup ("");
  return contents;
}

static gboolean
launched (gpointer data)
{
  g_autofree char *launches = read_launches ();

  return g_str_equal (launches, data);
}

/* Whether the PDF reader, and only it, was started with the file @data (as a path or a URI). */
static gboolean
launched_reader_with (gpointer data)
{
  g_autofree char *launches = read_launches ();
  g_autofree char *uri = g_file_get_uri (data);
  g_autofree char *with_path = g_strdup_printf ("pdf-reader %s\n", g_file_peek_path (data));
  g_autofree char *with_uri = g_strdup_printf ("pdf-reader %s\n", uri);

  return g_str_equal (launches, with_path) || g_str_equal (launches, with_uri);
}

static void
assert_nothing_launched (void)
{
  g_autofree char *launches = NULL;

  /* Time for a launch that should not have happened to reach the log. */
  cbm_test_spin (300);
  launches = read_launches ();
  g_assert_cmpstr (launches, ==, "");
}

static void
clear_launches (void)
{
  g_unlink (launch_log);
}

/* Writes a script and .desktop files into XDG_DATA_HOME and makes them the default apps. */
static void
install_recorder (const char *data_home,
                  const char *config_home)
{
  static const char * const apps[][2] = {
    { "pdf-reader", "application/pdf;" },
    { "browser", "x-scheme-handler/http;x-scheme-handler/https;x-scheme-handler/mailto;"
                 "x-scheme-handler/javascript;x-scheme-handler/smb;text/plain;" },
  };
  g_autofree char *applications = g_build_filename (data_home, "applications", NULL);
  g_autofree char *script = g_build_filename (tmp_dir, "record.sh", NULL);
  g_autofree char *script_text = g_strdup_printf ("#!/bin/sh\nprintf '%%s %%s\\n' \"$1\" \"$2\" >> '%s'\n",
                                                  launch_log);
  g_autoptr(GString) defaults = g_string_new ("[Default Applications]\n");
  g_autofree char *mimeapps = g_build_filename (config_home, "mimeapps.list", NULL);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (applications, 0700), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (config_home, 0700), ==, 0);
  g_file_set_contents (script, script_text, -1, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (apps); i++)
    {
      g_autofree char *name = g_strdup_printf ("cbm-test-%s.desktop", apps[i][0]);
      g_autofree char *path = g_build_filename (applications, name, NULL);
      g_autofree char *entry = g_strdup_printf ("[Desktop Entry]\nType=Application\nName=%s\n"
                                                "Exec=/bin/sh %s %s %%u\nMimeType=%s\n",
                                                apps[i][0], script, apps[i][0], apps[i][1]);
      g_auto(GStrv) types = g_strsplit (apps[i][1], ";", -1);

      g_file_set_contents (path, entry, -1, &error);
      g_assert_no_error (error);
      for (guint j = 0; types[j] != NULL && *types[j] != '\0'; j++)
        g_string_append_printf (defaults, "%s=%s\n", types[j], name);
    }

  g_file_set_contents (mimeapps, defaults->str, -1, &error);
  g_assert_no_error (error);
}

/* Print */

static double
ink_fraction (CbmPdfImage *image)
{
  const guint8 *pixels = g_bytes_get_data (image->pixels, NULL);
  guint dark = 0;

  for (int y = 0; y < image->height; y++)
    for (int x = 0; x < image->width; x++)
      {
        guint32 pixel = *(const guint32 *) (pixels + y * image->stride + x * 4);

        /* Opaque ARGB32: a pixel with any channel well below white. */
        if (((pixel >> 16) & 0xff) < 160 || ((pixel >> 8) & 0xff) < 160 || (pixel & 0xff) < 160)
          dark++;
      }
  return (double) dark / (image->width * image->height);
}

static void
test_print (void)
{
  g_autofree char *path = sample_path ();
  g_autofree char *output = g_build_filename (tmp_dir, "printed.pdf", NULL);
  g_autoptr(GtkPrintOperation) operation = NULL;
  g_autoptr(CbmPdfHelper) helper = cbm_pdf_helper_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(CbmPdfInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *first_checksum = NULL;
  PageFixture fixture = { 0 };

  page_fixture_open (&fixture, SAMPLE_ID, path);
  operation = cbm_document_page_create_print_operation (fixture.page);
  g_assert_nonnull (operation);

  /* The dialog's Print button runs the same operation; exporting needs no printer. */
  gtk_print_operation_set_export_filename (operation, output);
  g_assert_cmpint (gtk_print_operation_run (operation, GTK_PRINT_OPERATION_ACTION_EXPORT,
                                            GTK_WINDOW (fixture.window), &error),
                   ==, GTK_PRINT_OPERATION_RESULT_APPLY);
  g_assert_no_error (error);

  /* Every page is there, each with its own printed content. */
  cbm_pdf_helper_open_async (helper, output, NULL, NULL, store_result_cb, &result);
  cbm_test_wait_until (is_set, &result);
  info = cbm_pdf_helper_open_finish (helper, result, &error);
  g_assert_no_error (error);
  g_assert_cmpint (info->n_pages, ==, 5);

  for (int page = 0; page < info->n_pages; page++)
    {
      g_autoptr(CbmPdfImage) image = NULL;
      g_autofree char *checksum = NULL;

      g_clear_object (&result);
      cbm_pdf_helper_render_page_async (helper, page, 0.5, NULL, store_result_cb, &result);
      cbm_test_wait_until (is_set, &result);
      image = cbm_pdf_helper_render_page_finish (helper, result, &error);
      g_assert_no_error (error);
      g_assert_cmpfloat (ink_fraction (image), >, 0.01);

      checksum = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, image->pixels);
      if (page == 0)
        first_checksum = g_steal_pointer (&checksum);
      else
        g_assert_cmpstr (checksum, !=, first_checksum);
    }

  page_fixture_close (&fixture);
}

/* Save a Copy */

static gboolean
save_copy (CbmDocumentPage  *page,
           const char       *destination,
           GError          **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (destination);
  g_autoptr(GAsyncResult) result = NULL;

  cbm_document_page_save_copy_async (page, file, NULL, store_result_cb, &result);
  cbm_test_wait_until (is_set, &result);
  return cbm_document_page_save_copy_finish (page, result, error);
}

static gboolean
same_contents (const char *a,
               const char *b)
{
  g_autofree char *contents_a = NULL, *contents_b = NULL;
  gsize length_a, length_b;

  return g_file_get_contents (a, &contents_a, &length_a, NULL)
         && g_file_get_contents (b, &contents_b, &length_b, NULL)
         && length_a == length_b && memcmp (contents_a, contents_b, length_a) == 0;
}

/* Writes past @limit bytes fail with EFBIG, as writes to a full disk fail with ENOSPC.
 * Returns the limit it replaced. */
static rlim_t
limit_file_size (rlim_t limit)
{
  struct rlimit rlimit;
  rlim_t old;

  g_assert_cmpint (getrlimit (RLIMIT_FSIZE, &rlimit), ==, 0);
  old = rlimit.rlim_cur;
  rlimit.rlim_cur = limit;
  g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &rlimit), ==, 0);
  return old;
}

static void
test_save_copy (void)
{
  g_autofree char *path = sample_path ();
  g_autofree char *folder = g_build_filename (tmp_dir, "copies", NULL);
  g_autofree char *copy = g_build_filename (folder, "copy.pdf", NULL);
  g_autofree char *not_a_folder = g_build_filename (folder, "copy.pdf", "copy.pdf", NULL);
  g_autofree char *truncated = g_build_filename (folder, "truncated.pdf", NULL);
  g_autoptr(GError) error = NULL;
  PageFixture fixture = { 0 };
  rlim_t old_limit;

  g_assert_cmpint (g_mkdir_with_parents (folder, 0700), ==, 0);
  page_fixture_open (&fixture, SAMPLE_ID, path);

  /* A byte-for-byte copy, which replaces an older file of the same name. */
  g_file_set_contents (copy, "old", -1, &error);
  g_assert_no_error (error);
  g_assert_true (save_copy (fixture.page, copy, &error));
  g_assert_no_error (error);
  g_assert_true (same_contents (copy, path));

  /* A destination that cannot be written is an error the caller can show, not a crash. As
   * root a read-only folder would still be writable, so the folder is a file here. */
  g_assert_false (save_copy (fixture.page, not_a_folder, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_DIRECTORY);
  g_assert_nonnull (strstr (error->message, not_a_folder));
  g_clear_error (&error);

  /* A write failing halfway, as on a full disk. */
  old_limit = limit_file_size (16 * 1024);
  g_assert_false (save_copy (fixture.page, truncated, &error));
  limit_file_size (old_limit);
  g_assert_nonnull (error);
  g_assert_cmpstr (error->message, !=, "");
  g_clear_error (&error);

  /* The page still works afterwards. */
  g_assert_cmpstr (cbm_document_page_get_state (fixture.page), ==, "document");
  page_fixture_close (&fixture);
}

static gboolean
file_chooser_shown (gpointer data)
{
  return find_toplevel (GTK_TYPE_FILE_CHOOSER_DIALOG) != NULL;
}

static gboolean
copied (gpointer data)
{
  const char * const *paths = data;

  return same_contents (paths[0], paths[1]);
}

static gboolean
chooser_has_file (gpointer data)
{
  GtkFileChooser *chooser = GTK_FILE_CHOOSER (find_toplevel (GTK_TYPE_FILE_CHOOSER_DIALOG));
  g_autoptr(GFile) file = gtk_file_chooser_get_file (chooser);

  return file != NULL && g_file_equal (file, data);
}

/* Activates Save a Copy, checks the chooser's suggestion and saves to @destination. */
static void
choose_copy_destination (CbmDocumentPage *page,
                         const char      *destination)
{
  g_autoptr(GFile) file = g_file_new_for_path (destination);
  g_autofree char *suggested = NULL;
  GtkWindow *chooser;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "document.save-copy", NULL));
  cbm_test_wait_until (file_chooser_shown, NULL);
  chooser = find_toplevel (GTK_TYPE_FILE_CHOOSER_DIALOG);
  g_assert_cmpint (gtk_file_chooser_get_action (GTK_FILE_CHOOSER (chooser)), ==,
                   GTK_FILE_CHOOSER_ACTION_SAVE);
  suggested = gtk_file_chooser_get_current_name (GTK_FILE_CHOOSER (chooser));
  g_assert_cmpstr (suggested, ==, SAMPLE_ID ".pdf");

  /* Typed as a full path, as a user may: the chooser takes it without loading a folder. */
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), destination);
  cbm_test_wait_until (chooser_has_file, file);
  /* The Save button, not gtk_dialog_response(): the chooser checks the name before it
   * answers. */
  click_button (GTK_WIDGET (chooser), "_Save");
}

static void
test_save_copy_action (void)
{
  g_autofree char *path = sample_path ();
  g_autofree char *folder = g_build_filename (tmp_dir, "chosen", NULL);
  g_autofree char *copy = g_build_filename (folder, "chosen.pdf", NULL);
  g_autofree char *truncated = g_build_filename (folder, "truncated.pdf", NULL);
  const char *paths[] = { copy, path };
  AdwMessageDialog *dialog;
  PageFixture fixture = { 0 };
  rlim_t old_limit;

  g_assert_cmpint (g_mkdir_with_parents (folder, 0700), ==, 0);
  page_fixture_open (&fixture, SAMPLE_ID, path);

  choose_copy_destination (fixture.page, copy);
  wait_for_file (copied, paths);
  g_assert_null (find_toplevel (ADW_TYPE_MESSAGE_DIALOG));

  /* When the copy fails, the user is told why. */
  old_limit = limit_file_size (16 * 1024);
  choose_copy_destination (fixture.page, truncated);
  cbm_test_wait_until (message_dialog_shown, NULL);
  limit_file_size (old_limit);
  dialog = ADW_MESSAGE_DIALOG (find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Could Not Save a Copy");
  g_assert_cmpstr (adw_message_dialog_get_body (dialog), !=, "");
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (dialog)) == GTK_WINDOW (fixture.window));
  click_button (GTK_WIDGET (dialog), "_Close");
  cbm_test_wait_until (message_dialog_gone, NULL);

  page_fixture_close (&fixture);
}

/* Open With… */

static gboolean
app_chooser_shown (gpointer data)
{
  return find_toplevel (GTK_TYPE_APP_CHOOSER_DIALOG) != NULL;
}

static gboolean
app_chooser_gone (gpointer data)
{
  return find_toplevel (GTK_TYPE_APP_CHOOSER_DIALOG) == NULL;
}

/* Waits for the app chooser over @window, checks that it offers the PDF reader first, and
 * answers @response. */
static void
answer_app_chooser (GtkWindow *window,
                    int        response)
{
  GtkWindow *chooser;
  g_autoptr(GAppInfo) app = NULL;

  cbm_test_wait_until (app_chooser_shown, NULL);
  chooser = find_toplevel (GTK_TYPE_APP_CHOOSER_DIALOG);
  g_assert_true (gtk_window_get_transient_for (chooser) == window);
  g_assert_true (gtk_window_get_modal (chooser));
  app = gtk_app_chooser_get_app_info (GTK_APP_CHOOSER (chooser));
  g_assert_nonnull (app);
  g_assert_cmpstr (g_app_info_get_id (app), ==, "cbm-test-pdf-reader.desktop");
  assert_nothing_launched ();

  gtk_dialog_response (GTK_DIALOG (chooser), response);
  cbm_test_wait_until (app_chooser_gone, NULL);
}

static void
test_open_with (void)
{
  g_autofree char *path = sample_path ();
  g_autoptr(GFile) file = g_file_new_for_path (path);
  PageFixture fixture = { 0 };

  clear_launches ();
  page_fixture_open (&fixture, SAMPLE_ID, path);

  /* The user picks the app, the default one for application/pdf first; it gets the file. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture.page), "document.open-with", NULL));
  answer_app_chooser (GTK_WINDOW (fixture.window), GTK_RESPONSE_OK);
  wait_for_file (launched_reader_with, file);

  page_fixture_close (&fixture);
}

static void
test_open_with_cancelled (void)
{
  g_autofree char *path = sample_path ();
  PageFixture fixture = { 0 };

  clear_launches ();
  page_fixture_open (&fixture, SAMPLE_ID, path);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture.page), "document.open-with", NULL));
  answer_app_chooser (GTK_WINDOW (fixture.window), GTK_RESPONSE_CANCEL);
  assert_nothing_launched ();

  page_fixture_close (&fixture);
}

/* The chooser asks about this page's document: when the page goes (a sync replaced it), the
 * chooser goes with it rather than stay over the window with buttons that do nothing. */
static void
test_open_with_page_gone (void)
{
  g_autofree char *path = sample_path ();
  PageFixture fixture = { 0 };

  clear_launches ();
  page_fixture_open (&fixture, SAMPLE_ID, path);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture.page), "document.open-with", NULL));
  cbm_test_wait_until (app_chooser_shown, NULL);

  g_signal_handler_disconnect (cbm_document_page_get_view (fixture.page), fixture.rendered_id);
  gtk_window_set_child (GTK_WINDOW (fixture.window), NULL);
  cbm_test_wait_until (app_chooser_gone, NULL);
  assert_nothing_launched ();

  gtk_window_destroy (GTK_WINDOW (fixture.window));
  g_clear_object (&fixture.document);
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* A file the viewer cannot show is offered to another app from the error page. */
static void
test_open_with_from_error (void)
{
  g_autofree char *path = sample_path ();
  g_autofree char *damaged = g_build_filename (tmp_dir, "damaged.pdf", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (damaged);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  PageFixture fixture = { 0 };
  gsize length;

  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  g_file_set_contents (damaged, contents, length / 3, &error);
  g_assert_no_error (error);

  clear_launches ();
  page_fixture_load (&fixture, "damaged", damaged);
  g_assert_cmpstr (cbm_document_page_get_state (fixture.page), ==, "error");
  click_button (GTK_WIDGET (fixture.page), "Open With…");
  answer_app_chooser (GTK_WINDOW (fixture.window), GTK_RESPONSE_OK);
  wait_for_file (launched_reader_with, file);

  page_fixture_close (&fixture);
}

/* Links */

/* A page per link, each link covering its whole page: actions that must never run, then
 * an allowed web link on the last page. */
static const char * const link_actions[] = {
  "<< /S /Launch /F (/bin/sh) >>",
  "<< /S /JavaScript /JS (app.alert\\(1\\)) >>",
  "<< /S /URI /URI (file:///etc/passwd) >>",
  "<< /S /URI /URI (javascript:alert\\(1\\)) >>",
  "<< /S /URI /URI (" LINK_URI ") >>",
};

static void
write_link_pdf (const char *path)
{
  guint n = G_N_ELEMENTS (link_actions);
  guint n_objects = 3 + 3 * n;
  g_autoptr(GString) pdf = g_string_new ("%PDF-1.4\n");
  g_autoptr(GString) kids = g_string_new (NULL);
  g_autofree gsize *offsets = g_new0 (gsize, n_objects + 1);
  g_autoptr(GError) error = NULL;
  gsize xref;

  for (guint i = 0; i < n; i++)
    g_string_append_printf (kids, "%u 0 R ", 4 + 3 * i);

  offsets[1] = pdf->len;
  g_string_append (pdf, "1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n");
  offsets[2] = pdf->len;
  g_string_append_printf (pdf, "2 0 obj << /Type /Pages /Kids [%s] /Count %u >> endobj\n", kids->str, n);
  offsets[3] = pdf->len;
  g_string_append (pdf, "3 0 obj << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> endobj\n");

  for (guint i = 0; i < n; i++)
    {
      guint page = 4 + 3 * i;
      g_autofree char *text = g_strdup_printf ("BT /F1 24 Tf 72 700 Td (Link %u) Tj ET", i + 1);

      offsets[page] = pdf->len;
      g_string_append_printf (pdf, "%u 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
                              "/Resources << /Font << /F1 3 0 R >> >> /Contents %u 0 R "
                              "/Annots [%u 0 R] >> endobj\n", page, page + 1, page + 2);
      offsets[page + 1] = pdf->len;
      g_string_append_printf (pdf, "%u 0 obj << /Length %" G_GSIZE_FORMAT " >> stream\n%s\nendstream endobj\n",
                              page + 1, strlen (text), text);
      offsets[page + 2] = pdf->len;
      g_string_append_printf (pdf, "%u 0 obj << /Type /Annot /Subtype /Link /Rect [0 0 612 792] "
                              "/Border [0 0 0] /A %s >> endobj\n", page + 2, link_actions[i]);
    }

  xref = pdf->len;
  g_string_append_printf (pdf, "xref\n0 %u\n0000000000 65535 f \n", n_objects + 1);
  for (guint i = 1; i <= n_objects; i++)
    g_string_append_printf (pdf, "%010" G_GSIZE_FORMAT " 00000 n \n", offsets[i]);
  g_string_append_printf (pdf, "trailer << /Size %u /Root 1 0 R >>\nstartxref\n%" G_GSIZE_FORMAT "\n%%%%EOF\n",
                          n_objects + 1, xref);

  g_file_set_contents (path, pdf->str, pdf->len, &error);
  g_assert_no_error (error);
}

static GtkGesture *
find_drag_gesture (GtkWidget *widget)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_GESTURE_DRAG (controller))
        return GTK_GESTURE (controller);
    }
  return NULL;
}

/* GTK 4 cannot synthesise pointer events, so a click or a drag is played on the view's drag
 * gesture: its signals are what a real pointer would emit. */
static void
drag (GtkWidget *view,
      double     x,
      double     y,
      double     dx,
      double     dy)
{
  GtkGesture *gesture = find_drag_gesture (view);

  g_assert_nonnull (gesture);
  g_signal_emit_by_name (gesture, "drag-begin", x, y);
  if (dx != 0 || dy != 0)
    g_signal_emit_by_name (gesture, "drag-update", dx, dy);
  g_signal_emit_by_name (gesture, "drag-end", dx, dy);
}

static void
click_page (PageFixture *fixture,
            int          page)
{
  GtkWidget *view = GTK_WIDGET (cbm_document_page_get_view (fixture->page));

  cbm_pdf_model_set_page (cbm_document_page_get_model (fixture->page), page);
  /* Pages are taller than the view at fit width: its middle is on @page. */
  drag (view, gtk_widget_get_width (view) / 2.0, gtk_widget_get_height (view) / 2.0, 0, 0);
}

static void
link_activated_cb (CbmPdfView *view,
                   const char *uri,
                   GPtrArray  *uris)
{
  g_ptr_array_add (uris, g_strdup (uri));
}

static void
test_link_click (void)
{
  g_autofree char *path = g_build_filename (tmp_dir, "links.pdf", NULL);
  g_autoptr(GPtrArray) uris = g_ptr_array_new_with_free_func (g_free);
  int last = G_N_ELEMENTS (link_actions) - 1;
  AdwMessageDialog *dialog;
  PageFixture fixture = { 0 };

  clear_launches ();
  write_link_pdf (path);
  page_fixture_open (&fixture, "links", path);
  g_assert_cmpint (cbm_pdf_model_get_n_pages (cbm_document_page_get_model (fixture.page)), ==, last + 1);
  g_signal_connect (cbm_document_page_get_view (fixture.page), "link-activated",
                    G_CALLBACK (link_activated_cb), uris);

  /* Launch, JavaScript, file: and javascript: links do nothing. The helper answers in order,
   * so once the web link's dialog is up every earlier click has been handled. */
  for (int page = 0; page <= last; page++)
    click_page (&fixture, page);
  cbm_test_wait_until (message_dialog_shown, NULL);
  /* The view let through the web link only; the page's own check is tested below. */
  g_assert_cmpuint (uris->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (uris, 0), ==, LINK_URI);

  dialog = ADW_MESSAGE_DIALOG (find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Open Link?");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), LINK_URI));
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (dialog)) == GTK_WINDOW (fixture.window));

  /* Nothing opens before the user agrees, nor after Cancel (which leaves no other dialog). */
  click_button (GTK_WIDGET (dialog), "_Cancel");
  cbm_test_wait_until (message_dialog_gone, NULL);
  assert_nothing_launched ();

  click_page (&fixture, last);
  cbm_test_wait_until (message_dialog_shown, NULL);
  click_button (GTK_WIDGET (find_toplevel (ADW_TYPE_MESSAGE_DIALOG)), "_Open Link");
  cbm_test_wait_until (message_dialog_gone, NULL);
  wait_for_file (launched, "browser " LINK_URI "\n");

  g_signal_handlers_disconnect_by_data (cbm_document_page_get_view (fixture.page), uris);
  page_fixture_close (&fixture);
}

static void
test_link_filter (void)
{
  static const struct {
    const char *uri;
    gboolean    allowed;
  } links[] = {
    { "https://example.org/", TRUE },
    { "http://example.org/a?b=c", TRUE },
    { "HTTPS://EXAMPLE.ORG/", TRUE },
    { "mailto:cbm@example.org", TRUE },
    { "javascript:alert(1)", FALSE },
    { "JavaScript:alert(1)", FALSE },
    { "file:///etc/passwd", FALSE },
    { "smb://server/share", FALSE },
    { "data:text/html,<script>alert(1)</script>", FALSE },
    { "ftp://example.org/", FALSE },
    { "https:", FALSE },
    { "https://example.org/\nfile:///etc/passwd", FALSE },
    { "", FALSE },
  };
  g_autofree char *path = sample_path ();
  PageFixture fixture = { 0 };

  clear_launches ();
  page_fixture_open (&fixture, SAMPLE_ID, path);

  /* The page asks about allowed links only, whatever reaches it (an outline entry, a view). */
  for (guint i = 0; i < G_N_ELEMENTS (links); i++)
    {
      GtkWindow *dialog;

      g_test_message ("%s", links[i].uri);
      g_assert_cmpint (cbm_pdf_uri_is_allowed (links[i].uri), ==, links[i].allowed);
      g_signal_emit_by_name (cbm_document_page_get_view (fixture.page), "link-activated", links[i].uri);
      dialog = find_toplevel (ADW_TYPE_MESSAGE_DIALOG);

      if (!links[i].allowed)
        {
          g_assert_null (dialog);
          continue;
        }

      g_assert_nonnull (dialog);
      g_assert_nonnull (strstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog)), links[i].uri));
      click_button (GTK_WIDGET (dialog), "_Cancel");
      cbm_test_wait_until (message_dialog_gone, NULL);
    }

  assert_nothing_launched ();
  page_fixture_close (&fixture);
}

/* Copy */

static GtkShortcutAction *
find_shortcut_action (GtkWidget       *widget,
                      guint            keyval,
                      GdkModifierType  modifiers)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);
  g_autoptr(GtkShortcutTrigger) wanted = gtk_keyval_trigger_new (keyval, modifiers);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;
      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);

          if (gtk_shortcut_trigger_equal (gtk_shortcut_get_trigger (shortcut), wanted))
            return gtk_shortcut_get_action (shortcut);
        }
    }
  return NULL;
}

/* Presses Ctrl+C on the view: runs what its key binding is bound to. */
static void
press_ctrl_c (GtkWidget *view)
{
  GtkShortcutAction *action = find_shortcut_action (view, GDK_KEY_c, GDK_CONTROL_MASK);

  g_assert_nonnull (action);
  gtk_shortcut_action_activate (action, GTK_SHORTCUT_ACTION_EXCLUSIVE, view, NULL);
}

static char *
read_clipboard (GtkWidget *widget)
{
  GdkClipboard *clipboard = gtk_widget_get_clipboard (widget);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  char *text;

  gdk_clipboard_read_text_async (clipboard, NULL, store_result_cb, &result);
  cbm_test_wait_until (is_set, &result);
  text = gdk_clipboard_read_text_finish (clipboard, result, &error);
  g_assert_no_error (error);
  return text;
}

static gboolean
has_selected_text (gpointer data)
{
  return cbm_pdf_view_get_selected_text (data) != NULL;
}

/* Fit page has taken effect: the whole first page is in view. */
static gboolean
page_fits (gpointer data)
{
  CbmDocumentPage *page = data;
  CbmPdfModel *model = cbm_document_page_get_model (page);

  return cbm_pdf_model_get_info (model)->page_sizes[0].height * cbm_pdf_model_get_scale (model)
         <= gtk_widget_get_height (GTK_WIDGET (cbm_document_page_get_view (page)));
}

static void
test_copy (void)
{
  g_autofree char *path = sample_path ();
  g_autofree char *text = NULL;
  PageFixture fixture = { 0 };
  GtkWidget *view;
  int width, height;

  page_fixture_open (&fixture, SAMPLE_ID, path);
  view = GTK_WIDGET (cbm_document_page_get_view (fixture.page));
  cbm_pdf_model_set_sizing_mode (cbm_document_page_get_model (fixture.page), CBM_PDF_SIZING_FIT_PAGE);
  cbm_test_wait_until (page_fits, fixture.page);
  width = gtk_widget_get_width (view);
  height = gtk_widget_get_height (view);

  /* A drag over the whole first page (the cover) selects its text; Ctrl+C copies it. */
  drag (view, 1, 1, width - 2, height - 2);
  cbm_test_wait_until (has_selected_text, view);
  press_ctrl_c (view);
  text = read_clipboard (view);
  g_assert_cmpstr (text, ==, cbm_pdf_view_get_selected_text (CBM_PDF_VIEW (view)));
  g_assert_nonnull (strstr (text, "Cybercrime Act, 2010"));
  g_assert_nonnull (strstr (text, "Page 1 of 5"));
  /* …and only from that page. */
  g_assert_null (strstr (text, "Page 2 of 5"));
  g_clear_pointer (&text, g_free);

  /* A click (in the margin, away from the cover's links) clears the selection: Ctrl+C then
   * leaves the clipboard alone. */
  gdk_clipboard_set_text (gtk_widget_get_clipboard (view), "elsewhere");
  drag (view, 1, 1, 0, 0);
  press_ctrl_c (view);
  text = read_clipboard (view);
  g_assert_cmpstr (text, ==, "elsewhere");

  page_fixture_close (&fixture);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *data_home = NULL;
  g_autofree char *config_home = NULL;
  g_autofree char *sample = NULL;
  int status;

  tmp_dir = g_dir_make_tmp ("cbm-ui-document-XXXXXX", NULL);
  launch_log = g_build_filename (tmp_dir, "launched.txt", NULL);
  data_home = g_build_filename (tmp_dir, "data", NULL);
  config_home = g_build_filename (tmp_dir, "config", NULL);
  install_recorder (data_home, config_home);
  /* Before GTK starts, so GIO reads only the recorder's defaults. */
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);
  g_setenv ("XDG_CONFIG_HOME", config_home, TRUE);
  g_setenv ("LANGUAGE", "en", TRUE);
  /* A failed write past RLIMIT_FSIZE must fail, not kill the test. */
  signal (SIGXFSZ, SIG_IGN);

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  sample = sample_path ();
  g_assert_true (g_file_test (sample, G_FILE_TEST_EXISTS));

  g_test_add_func ("/ui/document-page/print", test_print);
  g_test_add_func ("/ui/document-page/save-copy", test_save_copy);
  g_test_add_func ("/ui/document-page/save-copy-action", test_save_copy_action);
  g_test_add_func ("/ui/document-page/open-with", test_open_with);
  g_test_add_func ("/ui/document-page/open-with-cancelled", test_open_with_cancelled);
  g_test_add_func ("/ui/document-page/open-with-page-gone", test_open_with_page_gone);
  g_test_add_func ("/ui/document-page/open-with-from-error", test_open_with_from_error);
  g_test_add_func ("/ui/document-page/link-click", test_link_click);
  g_test_add_func ("/ui/document-page/link-filter", test_link_filter);
  g_test_add_func ("/ui/document-page/copy", test_copy);

  status = g_test_run ();
  cbm_test_remove_tree (tmp_dir);
  g_free (launch_log);
  g_free (tmp_dir);
  return status;
}
