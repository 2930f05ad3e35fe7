/* cbm-search-fixture.c
 *
 * Copyright 2026 The CBM Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <unistd.h>

#include "cbm-search-fixture.h"

void
fixture_store_result (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

GAsyncResult *
fixture_wait (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

CbmStore *
fixture_open_store (const char *path)
{
  CbmStore *store = cbm_store_new (path);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  cbm_store_open_async (store, NULL, fixture_store_result, &result);
  g_assert_true (cbm_store_open_finish (store, fixture_wait (&result), &error));
  g_assert_no_error (error);
  return store;
}

void
fixture_sync (CbmStore   *store,
              const char *index_url)
{
  g_autoptr(CbmSyncClient) client = cbm_sync_client_new (store);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CbmSyncReport) report = NULL;

  cbm_sync_client_sync_async (client, index_url, NULL, fixture_store_result, &result);
  report = cbm_sync_client_sync_finish (client, fixture_wait (&result), &error);
  g_assert_no_error (error);
  g_assert_nonnull (report);
  for (guint i = 0; i < report->problems->len; i++)
    g_printerr ("sync problem: %s\n", ((GError *) g_ptr_array_index (report->problems, i))->message);
  g_assert_cmpuint (report->problems->len, ==, 0);
}

/* Makes every PDF of @folder a document of the country @code: the store keeps PDFs by
 * content, so each gets a symbolic link named after its sha256 in the store's files/. */
void
fixture_add_folder (CbmStore   *store,
                    const char *code,
                    const char *folder)
{
  g_autoptr(CbmCountry) country = cbm_country_new (code);
  g_autoptr(GDir) dir = g_dir_open (folder, 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CbmStoreChanges) changes = NULL;
  const char *name;

  g_assert_nonnull (dir);
  g_assert_cmpint (g_mkdir_with_parents (cbm_store_get_files_dir (store), 0700), ==, 0);
  while ((name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_suffix (name, ".pdf"))
      g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, (GCompareFunc) g_strcmp0);

  country->names = g_variant_ref_sink (cbm_text_map_new ("en", code, NULL));
  country->updated = g_strdup ("2026-01-01T00:00:00Z");
  country->synced_at = g_strdup ("2026-01-01T00:00:00Z");
  country->sha256 = g_compute_checksum_for_string (G_CHECKSUM_SHA256, code, -1);

  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *path = g_build_filename (folder, names->pdata[i], NULL);
      g_autoptr(GMappedFile) file = g_mapped_file_new (path, FALSE, NULL);
      g_autoptr(CbmDocument) document = cbm_document_new ();
      g_autofree char *link = NULL;

      if (file == NULL)
        continue;
      document->id = g_strdup_printf ("%s-%04u", code, i);
      for (char *p = document->id; *p; p++)
        *p = g_ascii_tolower (*p);
      document->country = g_strdup (code);
      document->kind = CBM_DOCUMENT_KIND_OTHER;
      document->status = CBM_DOCUMENT_STATUS_ADOPTED;
      document->title = g_strdup (names->pdata[i]);
      document->language = g_strdup ("en");
      document->href = g_strdup (names->pdata[i]);
      document->bytes = g_mapped_file_get_length (file);
      document->sha256 = g_compute_checksum_for_data (G_CHECKSUM_SHA256,
                                                      (const guchar *) g_mapped_file_get_contents (file),
                                                      g_mapped_file_get_length (file));
      link = cbm_store_dup_file_path (store, document->sha256);
      if (!g_file_test (link, G_FILE_TEST_EXISTS))
        g_assert_cmpint (symlink (path, link), ==, 0);
      g_list_store_append (country->documents, document);
    }

  cbm_store_apply_country_async (store, country, NULL, NULL, fixture_store_result, &result);
  changes = cbm_store_apply_country_finish (store, fixture_wait (&result), &error);
  g_assert_no_error (error);
  g_assert_nonnull (changes);
}

CbmIndexer *
fixture_open_indexer (CbmStore   *store,
                      const char *path)
{
  CbmIndexer *indexer = cbm_indexer_new (store, path);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  cbm_indexer_open_async (indexer, NULL, fixture_store_result, &result);
  g_assert_true (cbm_indexer_open_finish (indexer, fixture_wait (&result), &error));
  g_assert_no_error (error);
  return indexer;
}

void
fixture_update (CbmIndexer *indexer)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  cbm_indexer_update_async (indexer, NULL, fixture_store_result, &result);
  g_assert_true (cbm_indexer_update_finish (indexer, fixture_wait (&result), &error));
  g_assert_no_error (error);
  g_assert_false (cbm_indexer_get_busy (indexer));
}

GPtrArray *
fixture_query (CbmIndexer             *indexer,
               const char             *text,
               const CbmSearchFilters *filters,
               guint                   limit,
               guint                  *n_pages,
               guint                  *n_documents)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *results;

  cbm_indexer_query_async (indexer, text, filters, limit, NULL, fixture_store_result, &result);
  results = cbm_indexer_query_finish (indexer, fixture_wait (&result), n_pages, n_documents, &error);
  g_assert_no_error (error);
  g_assert_nonnull (results);
  return results;
}
