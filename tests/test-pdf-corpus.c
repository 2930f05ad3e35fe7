/* test-pdf-corpus.c
 *
 * Copyright 2026 The CBM Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Opens every file of the shared PDF corpus (real-world, broken and hostile files) through
 * CbmPdfHelper: open, render the first and a middle page, extract the first page's text.
 * Whatever poppler does with a file, this process must neither crash nor hang, and every
 * file must finish within its deadlines. */

#include "config.h"

#include <string.h>

#include "cbm-pdf.h"

#define JOB_TIMEOUT_MS 5000
#define N_JOBS         4
#define RENDER_SCALE   1.25

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
          GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  cbm_pdf_helper_open_async (helper, path, NULL, NULL, store_result_cb, &result);
  return cbm_pdf_helper_open_finish (helper, await_result (&result), error);
}

static CbmPdfImage *
render (CbmPdfHelper  *helper,
        int            page,
        GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  cbm_pdf_helper_render_page_async (helper, page, RENDER_SCALE, NULL, store_result_cb, &result);
  return cbm_pdf_helper_render_page_finish (helper, await_result (&result), error);
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

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(char * const *) a, *(char * const *) b);
}

static const char *
error_kind (const GError *error)
{
  static const char * const names[] = {
    [CBM_PDF_ERROR_FAILED] = "failed",
    [CBM_PDF_ERROR_UNREADABLE] = "unreadable",
    [CBM_PDF_ERROR_NOT_PDF] = "not-pdf",
    [CBM_PDF_ERROR_DAMAGED] = "damaged",
    [CBM_PDF_ERROR_NEEDS_PASSWORD] = "needs-password",
    [CBM_PDF_ERROR_BAD_PASSWORD] = "bad-password",
    [CBM_PDF_ERROR_TIMEOUT] = "timeout",
    [CBM_PDF_ERROR_TOO_LARGE] = "too-large",
    [CBM_PDF_ERROR_CRASHED] = "crashed",
    [CBM_PDF_ERROR_INVALID_PAGE] = "invalid-page",
    [CBM_PDF_ERROR_NO_DOCUMENT] = "no-document",
  };

  if (error->domain == CBM_PDF_ERROR && error->code > 0 && error->code < (int) G_N_ELEMENTS (names))
    return names[error->code];
  return "other";
}

/* Runs the jobs on one file; returns NULL when all succeeded, else the first error. */
static GError *
check_file (CbmPdfHelper *helper,
            const char   *path,
            GString      *report)
{
  g_autoptr(CbmPdfInfo) info = NULL;
  g_autoptr(CbmPdfImage) first = NULL;
  g_autoptr(CbmPdfImage) middle = NULL;
  g_autofree char *text = NULL;
  GError *error = NULL;

  info = open_doc (helper, path, &error);
  if (info == NULL)
    return error;
  g_assert_cmpint (info->n_pages, >, 0);

  first = render (helper, 0, &error);
  if (first == NULL)
    return error;
  g_assert_cmpint (first->width, >, 0);
  g_assert_cmpuint (g_bytes_get_size (first->pixels), >=, (gsize) first->stride * first->height);

  if (info->n_pages > 1)
    {
      middle = render (helper, info->n_pages / 2, &error);
      if (middle == NULL)
        return error;
    }

  text = get_text (helper, 0, &error);
  if (text == NULL)
    return error;
  g_assert_true (g_utf8_validate (text, -1, NULL));

  g_string_append_printf (report, "%d pages, %dx%d, %zu bytes of text", info->n_pages,
                          first->width, first->height, strlen (text));
  return NULL;
}

static void
test_corpus (void)
{
  const char *shared = g_getenv ("CBM_SHARED_DIR");
  g_autofree char *dir_path = NULL;
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(CbmPdfHelper) helper = NULL;
  g_autoptr(GHashTable) errors = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GList) kinds = NULL;
  guint rendered = 0;
  gint64 start = g_get_monotonic_time ();
  gint64 slowest = 0;
  const char *name;

  dir_path = g_build_filename (shared != NULL ? shared : "", "corpus", "pdf", NULL);
  if (shared == NULL || !g_file_test (dir_path, G_FILE_TEST_IS_DIR))
    {
      /* A missing corpus must not pass as a clean run. */
      g_test_fail_printf ("No PDF corpus at %s: set CBM_SHARED_DIR", dir_path);
      return;
    }

  dir = g_dir_open (dir_path, 0, NULL);
  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);
  g_assert_cmpuint (names->len, >, 0);

  helper = cbm_pdf_helper_new ();
  cbm_pdf_helper_set_timeout (helper, JOB_TIMEOUT_MS);

  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *path = g_build_filename (dir_path, names->pdata[i], NULL);
      g_autoptr(GString) report = g_string_new (NULL);
      g_autoptr(GError) error = NULL;
      gint64 file_start = g_get_monotonic_time ();
      gint64 elapsed;

      error = check_file (helper, path, report);
      elapsed = g_get_monotonic_time () - file_start;
      slowest = MAX (slowest, elapsed);

      if (error == NULL)
        {
          rendered++;
          g_test_message ("%s: rendered (%s) in %" G_GINT64_FORMAT " ms",
                          (char *) names->pdata[i], report->str, elapsed / 1000);
        }
      else
        {
          const char *kind = error_kind (error);

          g_hash_table_insert (errors, (gpointer) kind,
                               GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (errors, kind)) + 1));
          g_test_message ("%s: %s [%s] in %" G_GINT64_FORMAT " ms", (char *) names->pdata[i],
                          error->message, kind, elapsed / 1000);
        }

      /* Each job may restart the helper and reopen the document before its own deadline. */
      g_assert_cmpint (elapsed, <, (gint64) N_JOBS * 2 * JOB_TIMEOUT_MS * 1000 + 2 * G_USEC_PER_SEC);
    }

  g_test_message ("Summary: %u files, %u rendered, %u errors in %.1f s (slowest file %.1f s)",
                  names->len, rendered, names->len - rendered,
                  (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC,
                  slowest / (double) G_USEC_PER_SEC);
  kinds = g_hash_table_get_keys (errors);
  kinds = g_list_sort (kinds, (GCompareFunc) g_strcmp0);
  for (GList *l = kinds; l != NULL; l = l->next)
    g_test_message ("  %s: %u", (char *) l->data,
                    GPOINTER_TO_UINT (g_hash_table_lookup (errors, l->data)));
  if (!g_hash_table_contains (errors, "timeout"))
    g_test_message ("  timeout: 0");

  /* Most of the corpus is valid: a broken client would fail on everything. */
  g_assert_cmpuint (rendered, >, names->len / 2);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/document/corpus", test_corpus);

  return g_test_run ();
}
