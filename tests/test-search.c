/* test-search.c
 *
 * Copyright 2026 The CBM Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The full-text index over the sample repository: a copy of it is imported into a temporary
 * store through CbmSyncClient (file://), indexed through the PDF helper, and queried. Expected
 * hits are computed independently from the indexed page text (folded, cut into words), so the
 * assertions hold for whatever the generated sample says. */

#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <signal.h>
#include <sqlite3.h>
#include <string.h>
#include <unistd.h>

#include "cbm-search-fixture.h"
#include "cbm-test-files.h"

#define KILL_AFTER 10

typedef struct
{
  char       *dir;        /* temporary folder */
  char       *repo;       /* copy of the sample repository */
  char       *index_url;
  CbmStore   *store;
  CbmIndexer *indexer;
} Fixture;

static Fixture fixture;

static void
ensure_fixture (void)
{
  const char *sample = g_getenv ("CBM_SAMPLE_REPOSITORY");
  const char *shared_dir = g_getenv ("CBM_TEST_SEARCH_DIR");
  g_autofree char *store_path = NULL;
  g_autofree char *index_path = NULL;
  g_autofree char *index_json = NULL;

  if (fixture.store != NULL)
    return;

  g_assert_nonnull (sample);
  if (shared_dir != NULL)
    fixture.dir = g_strdup (shared_dir);
  else
    {
      g_autofree char *command = NULL;
      int status;

      fixture.dir = g_dir_make_tmp ("test-search-XXXXXX", NULL);
      g_assert_nonnull (fixture.dir);
      command = g_strdup_printf ("cp -r '%s/v1' '%s/repo'", sample, fixture.dir);
      g_assert_true (g_spawn_command_line_sync (command, NULL, NULL, &status, NULL));
      g_assert_cmpint (status, ==, 0);
    }

  fixture.repo = g_build_filename (fixture.dir, "repo", NULL);
  index_json = g_build_filename (fixture.repo, "index.json", NULL);
  fixture.index_url = g_filename_to_uri (index_json, NULL, NULL);
  store_path = g_build_filename (fixture.dir, "data", "cbm-desk.db", NULL);
  index_path = g_build_filename (fixture.dir, "data", "search.db", NULL);

  fixture.store = fixture_open_store (store_path);
  if (shared_dir == NULL)
    fixture_sync (fixture.store, fixture.index_url);
  fixture.indexer = fixture_open_indexer (fixture.store, index_path);
  if (shared_dir == NULL)
    fixture_update (fixture.indexer);
}

/* The independent matcher: folded text cut into words at every non-alphanumeric character,
 * padded with spaces, so " word " and " two words " are whole-word substring tests. */
static char *
normalize_words (const char *text)
{
  g_autofree char *folded = cbm_text_fold (text);
  GString *out = g_string_new (" ");
  gboolean space = TRUE;

  for (const char *p = folded; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isalnum (c))
        {
          g_string_append_unichar (out, c);
          space = FALSE;
        }
      else if (!space)
        {
          g_string_append_c (out, ' ');
          space = TRUE;
        }
    }
  if (!space)
    g_string_append_c (out, ' ');
  return g_string_free (out, FALSE);
}

/* "document:page" of every indexed page whose words contain @needle (already padded). */
static GHashTable *
expected_pages (const char *needle)
{
  GHashTable *pages = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *path = g_build_filename (fixture.dir, "data", "search.db", NULL);
  g_autofree char *folded_needle = normalize_words (needle);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gboolean prefix = g_str_has_suffix (needle, "*");

  /* A prefix needle keeps its leading space only. */
  if (prefix)
    folded_needle[strlen (folded_needle) - 1] = '\0';

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT document, page, text FROM pages", -1, &stmt, NULL),
                   ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_autofree char *words = normalize_words ((const char *) sqlite3_column_text (stmt, 2));

      if (strstr (words, folded_needle) != NULL)
        g_hash_table_add (pages, g_strdup_printf ("%s:%d", sqlite3_column_text (stmt, 0),
                                                  sqlite3_column_int (stmt, 1)));
    }
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return pages;
}

static GHashTable *
result_pages (GPtrArray *results)
{
  GHashTable *pages = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < results->len; i++)
    {
      CbmSearchResult *hit = g_ptr_array_index (results, i);
      g_hash_table_add (pages, g_strdup_printf ("%s:%d", hit->document_id, hit->page));
    }
  return pages;
}

static void
assert_same_pages (GHashTable *expected,
                   GHashTable *actual)
{
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, expected);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (!g_hash_table_contains (actual, key))
      g_error ("missing hit %s", (char *) key);
  g_hash_table_iter_init (&iter, actual);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (!g_hash_table_contains (expected, key))
      g_error ("unexpected hit %s", (char *) key);
}

/* Queries @query and checks it finds exactly the pages where @needle occurs, each snippet
 * with a marked match, and returns how many documents matched. */
static guint
assert_query (const char *query,
              const char *needle,
              const char *language)
{
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GHashTable) expected = expected_pages (needle);
  g_autoptr(GHashTable) actual = NULL;
  guint n_pages = 0, n_documents = 0;
  gboolean seen_language = FALSE;

  results = fixture_query (fixture.indexer, query, NULL, 100000, &n_pages, &n_documents);
  actual = result_pages (results);
  g_test_message ("%s: %u pages in %u documents", query, n_pages, n_documents);

  g_assert_cmpuint (g_hash_table_size (expected), >, 0);
  assert_same_pages (expected, actual);
  g_assert_cmpuint (n_pages, ==, results->len);

  for (guint i = 0; i < results->len; i++)
    {
      CbmSearchResult *hit = g_ptr_array_index (results, i);
      CbmCountry *country = cbm_store_lookup_country (fixture.store, hit->country);
      CbmDocument *document = country ? cbm_country_find_document (country, hit->document_id) : NULL;

      g_assert_nonnull (document);
      g_assert_nonnull (strstr (hit->snippet, CBM_SEARCH_MARK_START));
      if (i > 0)
        g_assert_cmpfloat (hit->rank, >=, ((CbmSearchResult *) results->pdata[i - 1])->rank);
      if (g_strcmp0 (document->language, language) == 0)
        seen_language = TRUE;
    }
  g_assert_true (seen_language);
  return n_documents;
}

static void
test_parser (void)
{
  static const struct {
    const char *text;
    const char *match;
  } cases[] = {
    { "incident response", "\"incident\" \"response\"" },
    { "\"respuesta a incidentes\"", "\"respuesta a incidentes\"" },
    { "ciberseg*", "\"ciberseg\" *" },
    { "Réponse", "\"Réponse\"" },
    { "AND", "\"AND\"" },
    { "a OR b", "\"a\" \"OR\" \"b\"" },
    { "NEAR(a b)", "\"NEAR\" \"a\" \"b\"" },
    { "a:b", "\"a\" \"b\"" },
    { "-x ^y", "\"x\" \"y\"" },
    { "\"unbalanced phrase", "\"unbalanced phrase\"" },
    { "\"", NULL },
    { "*", NULL },
    { "-", NULL },
    { "   ", NULL },
    { "", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *match = cbm_search_query_to_match (cases[i].text);
      g_assert_cmpstr (match, ==, cases[i].match);
    }
  g_assert_null (cbm_search_query_to_match (NULL));
}

static void
test_markup (void)
{
  g_autofree char *markup = cbm_search_snippet_to_markup ("a <i>&" CBM_SEARCH_MARK_START "b" CBM_SEARCH_MARK_END
                                                          " " CBM_SEARCH_MARK_START "c");

  g_assert_cmpstr (markup, ==, "a &lt;i&gt;&amp;<b>b</b> <b>c</b>");
}

static void
test_languages (void)
{
  ensure_fixture ();

  g_assert_cmpuint (cbm_indexer_get_indexed (fixture.indexer), ==, cbm_indexer_get_total (fixture.indexer));
  g_assert_cmpuint (cbm_indexer_get_total (fixture.indexer), >=, 100);
  g_assert_cmpuint (cbm_indexer_get_n_failed (fixture.indexer), ==, 0);

  assert_query ("\"incident response\"", "incident response", "en");
  assert_query ("\"respuesta a incidentes\"", "respuesta a incidentes", "es");
  assert_query ("\"réponse aux incidents\"", "réponse aux incidents", "fr");
  assert_query ("\"resposta a incidentes\"", "resposta a incidentes", "pt");
}

static void
test_accents (void)
{
  g_autoptr(GPtrArray) accented = NULL;
  g_autoptr(GPtrArray) plain = NULL;
  g_autoptr(GHashTable) a = NULL;
  g_autoptr(GHashTable) b = NULL;

  ensure_fixture ();

  /* Unaccented finds the French; and upper case too. */
  assert_query ("reponse aux incidents", "réponse aux incidents", "fr");
  assert_query ("\"REPONSE AUX INCIDENTS\"", "reponse aux incidents", "fr");

  accented = fixture_query (fixture.indexer, "ciberseguridad", NULL, 100000, NULL, NULL);
  plain = fixture_query (fixture.indexer, "CIBERSEGURIDÁD", NULL, 100000, NULL, NULL);
  a = result_pages (accented);
  b = result_pages (plain);
  g_assert_cmpuint (g_hash_table_size (a), >, 0);
  assert_same_pages (a, b);
}

static void
test_phrase_and_prefix (void)
{
  g_autoptr(GPtrArray) words = NULL;
  g_autoptr(GPtrArray) phrase = NULL;
  g_autoptr(GHashTable) word_pages = NULL;
  g_autoptr(GHashTable) phrase_pages = NULL;
  GHashTableIter iter;
  gpointer key;

  ensure_fixture ();

  /* A phrase finds a subset of the pages that have all its words. */
  words = fixture_query (fixture.indexer, "respuesta incidentes", NULL, 100000, NULL, NULL);
  phrase = fixture_query (fixture.indexer, "\"respuesta a incidentes\"", NULL, 100000, NULL, NULL);
  word_pages = result_pages (words);
  phrase_pages = result_pages (phrase);
  g_assert_cmpuint (g_hash_table_size (phrase_pages), >, 0);
  g_assert_cmpuint (g_hash_table_size (word_pages), >=, g_hash_table_size (phrase_pages));
  g_hash_table_iter_init (&iter, phrase_pages);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_assert_true (g_hash_table_contains (word_pages, key));

  assert_query ("ciberseg*", "ciberseg*", "es");
}

static void
test_filters (void)
{
  CbmSearchFilters filters = { .language = "fr" };
  g_autoptr(GPtrArray) results = NULL;
  guint n_all = 0, n_fr = 0;

  ensure_fixture ();

  g_clear_pointer (&results, g_ptr_array_unref);
  results = fixture_query (fixture.indexer, "incidents", NULL, 5, &n_all, NULL);
  g_assert_cmpuint (results->len, ==, 5);
  g_assert_cmpuint (n_all, >, 5);

  g_clear_pointer (&results, g_ptr_array_unref);
  results = fixture_query (fixture.indexer, "incidents", &filters, 100000, &n_fr, NULL);
  g_assert_cmpuint (n_fr, >, 0);
  g_assert_cmpuint (n_fr, <, n_all);
  for (guint i = 0; i < results->len; i++)
    {
      CbmSearchResult *hit = results->pdata[i];
      CbmDocument *document = cbm_country_find_document (cbm_store_lookup_country (fixture.store, hit->country),
                                                         hit->document_id);
      g_assert_cmpstr (document->language, ==, "fr");
    }

  filters = (CbmSearchFilters) { .country = "HT", .kind = "strategy" };
  g_clear_pointer (&results, g_ptr_array_unref);
  results = fixture_query (fixture.indexer, "incidents", &filters, 100000, NULL, NULL);
  for (guint i = 0; i < results->len; i++)
    {
      CbmSearchResult *hit = results->pdata[i];
      CbmDocument *document = cbm_country_find_document (cbm_store_lookup_country (fixture.store, hit->country),
                                                         hit->document_id);
      g_assert_cmpstr (hit->country, ==, "HT");
      g_assert_cmpint (document->kind, ==, CBM_DOCUMENT_KIND_STRATEGY);
    }
}

static void
test_hostile_queries (void)
{
  g_autofree char *big = NULL;
  GString *long_text = g_string_new (NULL);
  const char *queries[] = {
    "\"", "\"unbalanced", "AND", "OR", "NOT", "NEAR(", "NEAR(a b, 3)", "*", "-", "a:b",
    "text:incident", "^incident", "(incident", "incident)", "{document}: x", "''", "\\", "%", "_",
    "\xff\xfe incident \xc3", "\xc3\x28", "incident\x01response", NULL, NULL,
  };

  ensure_fixture ();

  while (long_text->len < 10 * 1024)
    g_string_append (long_text, "incident \"response* AND NEAR( -x:y ");
  big = g_string_free (long_text, FALSE);
  queries[G_N_ELEMENTS (queries) - 2] = big;

  for (guint i = 0; queries[i] != NULL; i++)
    {
      g_autoptr(GPtrArray) results = fixture_query (fixture.indexer, queries[i], NULL, 50, NULL, NULL);
      g_test_message ("%.20s: %u results", queries[i], results->len);
    }

  /* Invalid UTF-8 around a real word still finds it. */
  {
    g_autoptr(GPtrArray) results = fixture_query (fixture.indexer, "\xff\xfe incident \xc3", NULL, 50,
                                                  NULL, NULL);
    g_assert_cmpuint (results->len, >, 0);
  }
}

/* Writes @object as the file @path and returns its sha256. */
static char *
write_json (JsonNode   *root,
            const char *path)
{
  g_autofree char *data = json_to_string (root, TRUE);

  g_assert_true (g_file_set_contents (path, data, -1, NULL));
  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, data, -1);
}

static void
test_incremental (void)
{
  g_autofree char *country_path = NULL;
  g_autofree char *index_path = NULL;
  g_autofree char *country_sha = NULL;
  g_autofree char *new_pdf = NULL;
  g_autofree char *new_href = NULL;
  g_autofree char *new_sha = NULL;
  g_autoptr(JsonNode) country_root = NULL;
  g_autoptr(JsonNode) index_root = NULL;
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GMappedFile) pdf = NULL;
  JsonArray *documents, *countries;
  JsonObject *changed;
  g_autofree char *changed_id = NULL;
  g_autofree char *removed_id = NULL;
  guint extracted, total, n_fr_before = 0, n_fr_after = 0;
  gboolean found = FALSE;

  ensure_fixture ();

  g_clear_pointer (&results, g_ptr_array_unref);
  results = fixture_query (fixture.indexer, "\"réponse aux incidents\"", NULL, 100000, NULL, &n_fr_before);

  /* A sync changes one document of Antigua and Barbuda (it now points at a French PDF) and
   * removes another. */
  country_path = g_build_filename (fixture.repo, "countries", "AG.json", NULL);
  {
    g_autofree char *data = NULL;
    g_assert_true (g_file_get_contents (country_path, &data, NULL, NULL));
    country_root = json_from_string (data, NULL);
  }
  g_assert_nonnull (country_root);
  documents = json_object_get_array_member (json_node_get_object (country_root), "documents");
  g_assert_cmpuint (json_array_get_length (documents), >=, 2);

  /* The French PDF that matches best. */
  g_clear_pointer (&results, g_ptr_array_unref);
  results = fixture_query (fixture.indexer, "\"réponse aux incidents\"", NULL, 1, NULL, NULL);
  g_assert_cmpuint (results->len, ==, 1);
  new_href = g_strdup_printf ("../documents/%s.pdf", ((CbmSearchResult *) results->pdata[0])->document_id);
  new_pdf = g_build_filename (fixture.repo, "documents", new_href + strlen ("../documents/"), NULL);
  pdf = g_mapped_file_new (new_pdf, FALSE, NULL);
  g_assert_nonnull (pdf);
  new_sha = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) g_mapped_file_get_contents (pdf),
                                         g_mapped_file_get_length (pdf));

  changed = json_array_get_object_element (documents, 0);
  changed_id = g_strdup (json_object_get_string_member (changed, "id"));
  json_object_set_string_member (changed, "href", new_href);
  json_object_set_string_member (changed, "sha256", new_sha);
  json_object_set_int_member (changed, "bytes", g_mapped_file_get_length (pdf));
  removed_id = g_strdup (json_object_get_string_member (json_array_get_object_element (documents, 1), "id"));
  json_array_remove_element (documents, 1);
  country_sha = write_json (country_root, country_path);

  index_path = g_build_filename (fixture.repo, "index.json", NULL);
  {
    g_autofree char *data = NULL;
    g_assert_true (g_file_get_contents (index_path, &data, NULL, NULL));
    index_root = json_from_string (data, NULL);
  }
  countries = json_object_get_array_member (json_node_get_object (index_root), "countries");
  for (guint i = 0; i < json_array_get_length (countries); i++)
    {
      JsonObject *entry = json_array_get_object_element (countries, i);
      if (g_str_equal (json_object_get_string_member (entry, "code"), "AG"))
        json_object_set_string_member (entry, "sha256", country_sha);
    }
  g_free (write_json (index_root, index_path));

  fixture_sync (fixture.store, fixture.index_url);

  extracted = cbm_indexer_get_n_extracted (fixture.indexer);
  total = cbm_indexer_get_total (fixture.indexer);
  fixture_update (fixture.indexer);

  /* Only the changed document was extracted again; the removed one is gone. */
  g_assert_cmpuint (cbm_indexer_get_n_extracted (fixture.indexer), ==, extracted + 1);
  g_assert_cmpuint (cbm_indexer_get_total (fixture.indexer), ==, total - 1);
  g_assert_cmpuint (cbm_indexer_get_indexed (fixture.indexer), ==, total - 1);

  g_clear_pointer (&results, g_ptr_array_unref);
  results = fixture_query (fixture.indexer, "\"réponse aux incidents\"", NULL, 100000, NULL, &n_fr_after);
  g_assert_cmpuint (n_fr_after, ==, n_fr_before + 1);
  for (guint i = 0; i < results->len; i++)
    if (g_str_equal (((CbmSearchResult *) results->pdata[i])->document_id, changed_id))
      found = TRUE;
  g_assert_true (found);

  {
    g_autofree char *path = g_build_filename (fixture.dir, "data", "search.db", NULL);
    sqlite3 *db = NULL;
    sqlite3_stmt *stmt = NULL;

    g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT (SELECT count(*) FROM pages WHERE document = ?1)"
                                             " + (SELECT count(*) FROM documents WHERE id = ?1)",
                                         -1, &stmt, NULL), ==, SQLITE_OK);
    sqlite3_bind_text (stmt, 1, removed_id, -1, SQLITE_STATIC);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 0);
    sqlite3_finalize (stmt);
    sqlite3_close (db);
  }

  /* Nothing changed: nothing is extracted. */
  extracted = cbm_indexer_get_n_extracted (fixture.indexer);
  fixture_update (fixture.indexer);
  g_assert_cmpuint (cbm_indexer_get_n_extracted (fixture.indexer), ==, extracted);
}

static void
kill_after_cb (CbmIndexer *indexer)
{
  /* A hard kill between two documents' transactions, as a crash or a power cut would do. */
  if (cbm_indexer_get_busy (indexer) && cbm_indexer_get_indexed (indexer) >= KILL_AFTER)
    kill (getpid (), SIGKILL);
}

static void
test_resume (void)
{
  g_autofree char *resume_path = NULL;
  g_autoptr(CbmIndexer) indexer = NULL;
  g_autoptr(GPtrArray) fresh = NULL;
  g_autoptr(GPtrArray) resumed = NULL;
  g_autoptr(GHashTable) a = NULL;
  g_autoptr(GHashTable) b = NULL;
  guint total;

  if (g_test_subprocess ())
    {
      ensure_fixture ();
      resume_path = g_build_filename (fixture.dir, "data", "resume.db", NULL);
      indexer = fixture_open_indexer (fixture.store, resume_path);
      g_signal_connect (indexer, "notify::indexed", G_CALLBACK (kill_after_cb), NULL);
      fixture_update (indexer);
      g_assert_not_reached ();
    }

  ensure_fixture ();
  g_setenv ("CBM_TEST_SEARCH_DIR", fixture.dir, TRUE);
  g_test_trap_subprocess (NULL, 120 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
  g_unsetenv ("CBM_TEST_SEARCH_DIR");
  g_test_trap_assert_failed ();

  resume_path = g_build_filename (fixture.dir, "data", "resume.db", NULL);
  indexer = fixture_open_indexer (fixture.store, resume_path);
  fixture_update (indexer);
  total = cbm_indexer_get_total (indexer);
  g_assert_cmpuint (total, ==, cbm_indexer_get_total (fixture.indexer));
  g_assert_cmpuint (cbm_indexer_get_indexed (indexer), ==, total);
  g_assert_cmpuint (cbm_indexer_get_n_extracted (indexer), ==, total - KILL_AFTER);

  /* The resumed index answers like the one built in one go. */
  fresh = fixture_query (fixture.indexer, "incident*", NULL, 100000, NULL, NULL);
  resumed = fixture_query (indexer, "incident*", NULL, 100000, NULL, NULL);
  a = result_pages (fresh);
  b = result_pages (resumed);
  g_assert_cmpuint (fresh->len, ==, resumed->len);
  assert_same_pages (a, b);
}

static void
test_permissions (void)
{
  g_autofree char *path = NULL;
  GStatBuf st;

  ensure_fixture ();
  path = g_build_filename (fixture.dir, "data", "search.db", NULL);
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
}

/* A word on more pages than the indexer ranks (RANK_MAX, 5000): the count stays exact, the
 * filters still apply, and results still come in rank order. */
static void
test_many_matches (void)
{
  g_autofree char *path = NULL;
  g_autoptr(CbmIndexer) indexer = NULL;
  g_autoptr(GPtrArray) results = NULL;
  CbmSearchFilters filters = { .country = "ZY" };
  guint n_pages = 0, n_documents = 0;

  ensure_fixture ();
  path = g_build_filename (fixture.dir, "data", "many.db", NULL);
  indexer = fixture_open_indexer (fixture.store, path);

  for (guint d = 0; d < 70; d++)
    {
      g_autoptr(CbmDocument) document = cbm_document_new ();
      g_autoptr(GPtrArray) pages = g_ptr_array_new_with_free_func (g_free);
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GError) error = NULL;

      document->id = g_strdup_printf ("many-%02u", d);
      document->country = g_strdup (d % 7 == 0 ? "ZY" : "ZZ");
      document->language = g_strdup ("en");
      document->sha256 = g_strdup_printf ("%064u", d);
      for (guint p = 0; p < 100; p++)
        g_ptr_array_add (pages, g_strdup_printf ("common words on page %u of %u%s", p, d,
                                                 d == 69 && p == 99 ? " common common common" : ""));
      cbm_indexer_add_text_async (indexer, document, pages, NULL, fixture_store_result, &result);
      g_assert_true (cbm_indexer_add_text_finish (indexer, fixture_wait (&result), &error));
      g_assert_no_error (error);
    }

  results = fixture_query (indexer, "common", NULL, 20, &n_pages, &n_documents);
  g_assert_cmpuint (n_pages, ==, 7000);
  g_assert_cmpuint (n_documents, ==, 70);
  g_assert_cmpuint (results->len, ==, 20);
  for (guint i = 1; i < results->len; i++)
    g_assert_cmpfloat (((CbmSearchResult *) results->pdata[i])->rank, >=,
                       ((CbmSearchResult *) results->pdata[i - 1])->rank);

  g_clear_pointer (&results, g_ptr_array_unref);
  results = fixture_query (indexer, "common", &filters, 20, &n_pages, &n_documents);
  g_assert_cmpuint (n_pages, ==, 1000);
  g_assert_cmpuint (n_documents, ==, 10);
  g_assert_cmpuint (results->len, ==, 20);
  for (guint i = 0; i < results->len; i++)
    g_assert_cmpstr (((CbmSearchResult *) results->pdata[i])->country, ==, "ZY");
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/search/parser", test_parser);
  g_test_add_func ("/search/markup", test_markup);
  g_test_add_func ("/search/languages", test_languages);
  g_test_add_func ("/search/accents", test_accents);
  g_test_add_func ("/search/phrase-prefix", test_phrase_and_prefix);
  g_test_add_func ("/search/filters", test_filters);
  g_test_add_func ("/search/hostile-queries", test_hostile_queries);
  g_test_add_func ("/search/permissions", test_permissions);
  g_test_add_func ("/search/many-matches", test_many_matches);
  g_test_add_func ("/search/resume", test_resume);
  g_test_add_func ("/search/incremental", test_incremental);

  status = g_test_run ();

  g_clear_object (&fixture.indexer);
  g_clear_object (&fixture.store);
  if (fixture.dir != NULL && !g_test_subprocess ())
    cbm_test_remove_tree (fixture.dir);
  g_free (fixture.dir);
  g_free (fixture.repo);
  g_free (fixture.index_url);
  return status;
}
