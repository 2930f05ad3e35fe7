/* test-search-corpus.c
 *
 * Copyright 2026 The CBM Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Indexes every file of the shared PDF corpus (real-world, broken and hostile files) with a
 * short per-page deadline: the indexer must neither crash nor hang, must record what it
 * could not read and go on, and queries must still work afterwards. */

#include "config.h"

#include "cbm-search-fixture.h"
#include "cbm-test-files.h"

#define PAGE_TIMEOUT_MS     2000
#define DOCUMENT_BUDGET_MS  6000

static void
test_corpus (void)
{
  const char *shared = g_getenv ("CBM_SHARED_DIR");
  g_autofree char *folder = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *store_path = NULL;
  g_autofree char *index_path = NULL;
  g_autoptr(CbmStore) store = NULL;
  g_autoptr(CbmIndexer) indexer = NULL;
  g_autoptr(GPtrArray) results = NULL;
  gint64 start;
  double seconds;

  if (shared == NULL)
    {
      /* A missing corpus must not pass as a clean run. */
      g_test_fail_printf ("CBM_SHARED_DIR is not set");
      return;
    }
  folder = g_build_filename (shared, "corpus", "pdf", NULL);
  if (!g_file_test (folder, G_FILE_TEST_IS_DIR))
    {
      g_test_fail_printf ("No PDF corpus at %s", folder);
      return;
    }

  dir = g_dir_make_tmp ("test-search-corpus-XXXXXX", NULL);
  store_path = g_build_filename (dir, "cbm-desk.db", NULL);
  index_path = g_build_filename (dir, "search.db", NULL);
  store = fixture_open_store (store_path);
  fixture_add_folder (store, "ZZ", folder);

  indexer = fixture_open_indexer (store, index_path);
  cbm_indexer_set_page_timeout (indexer, PAGE_TIMEOUT_MS);
  cbm_indexer_set_document_budget (indexer, DOCUMENT_BUDGET_MS);

  start = g_get_monotonic_time ();
  fixture_update (indexer);
  seconds = (g_get_monotonic_time () - start) / 1e6;

  g_test_message ("corpus: %u documents (%u could not be read), %" G_GUINT64_FORMAT " pages in %.1f s",
                  cbm_indexer_get_total (indexer), cbm_indexer_get_n_failed (indexer),
                  cbm_indexer_get_n_extracted_pages (indexer), seconds);
  g_printerr ("corpus: %u documents (%u could not be read), %" G_GUINT64_FORMAT " pages in %.1f s\n",
              cbm_indexer_get_total (indexer), cbm_indexer_get_n_failed (indexer),
              cbm_indexer_get_n_extracted_pages (indexer), seconds);

  g_assert_cmpuint (cbm_indexer_get_total (indexer), >=, 400);
  g_assert_cmpuint (cbm_indexer_get_indexed (indexer), ==, cbm_indexer_get_total (indexer));
  g_assert_cmpuint (cbm_indexer_get_n_extracted (indexer), ==, cbm_indexer_get_total (indexer));
  g_assert_cmpuint (cbm_indexer_get_n_failed (indexer), <, cbm_indexer_get_total (indexer));

  results = fixture_query (indexer, "the", NULL, 20, NULL, NULL);
  g_assert_cmpuint (results->len, >, 0);

  g_clear_object (&indexer);
  g_clear_object (&store);
  cbm_test_remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/search/corpus", test_corpus);
  return g_test_run ();
}
