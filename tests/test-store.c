/* test-store.c
 *
 * Copyright 2026 The CBM Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <errno.h>
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cbm-feed.h"
#include "cbm-test-files.h"

#define SHA_1 "1111111111111111111111111111111111111111111111111111111111111111"
#define SHA_2 "2222222222222222222222222222222222222222222222222222222222222222"
#define SHA_3 "3333333333333333333333333333333333333333333333333333333333333333"
#define SHA_4 "4444444444444444444444444444444444444444444444444444444444444444"
#define SHA_CL "cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc"

/* Argentina with three documents, two contacts and three measures. */
static const char argentina_v1[] =
  "{\"code\": \"AR\", \"names\": {\"es\": \"Argentina\", \"fr\": \"Argentine\"},"
  " \"updated\": \"2026-10-01T09:00:00Z\","
  " \"documents\": ["
  "  {\"id\": \"ar-ncs-2019\", \"kind\": \"strategy\", \"status\": \"adopted\", \"title\": \"Estrategia\","
  "   \"language\": \"es\", \"date\": \"2019-05-28\", \"summary\": {\"en\": \"The strategy.\"},"
  "   \"href\": \"../documents/ar-ncs-2019.pdf\", \"sha256\": \"" SHA_1 "\", \"bytes\": 482113},"
  "  {\"id\": \"ar-law-1\", \"kind\": \"law\", \"status\": \"draft\", \"title\": \"Ley\","
  "   \"href\": \"../documents/ar-law-1.pdf\", \"sha256\": \"" SHA_2 "\", \"bytes\": 1000},"
  "  {\"id\": \"ar-wp-1\", \"kind\": \"treaty\", \"status\": \"adopted\", \"title\": \"Libro blanco\","
  "   \"href\": \"../documents/ar-wp-1.pdf\", \"sha256\": \"" SHA_3 "\", \"bytes\": 2000}],"
  " \"contacts\": ["
  "  {\"id\": \"ar-pol-1\", \"category\": \"political\", \"name\": \"Ana Pérez\","
  "   \"email\": \"ana@example.org\", \"languages\": [\"es\", \"en\"], \"verified\": \"2026-09-01\"},"
  "  {\"id\": \"ar-mfa-1\", \"category\": \"foreign-affairs\", \"name\": \"Juan Gómez\"}],"
  " \"cbms\": {\"1\": {\"status\": \"yes\", \"evidence\": [\"ar-ncs-2019\"], \"updated\": \"2026-10-01\"},"
  "            \"2\": {\"status\": \"yes\"}, \"3\": {\"status\": \"partial\"}}}";

/* The same, with the law's title changed, the white paper gone and a policy added. */
static const char argentina_v2[] =
  "{\"code\": \"AR\", \"names\": {\"es\": \"Argentina\", \"fr\": \"Argentine\"},"
  " \"updated\": \"2026-11-01T09:00:00Z\","
  " \"documents\": ["
  "  {\"id\": \"ar-ncs-2019\", \"kind\": \"strategy\", \"status\": \"adopted\", \"title\": \"Estrategia\","
  "   \"language\": \"es\", \"date\": \"2019-05-28\", \"summary\": {\"en\": \"The strategy.\"},"
  "   \"href\": \"../documents/ar-ncs-2019.pdf\", \"sha256\": \"" SHA_1 "\", \"bytes\": 482113},"
  "  {\"id\": \"ar-law-1\", \"kind\": \"law\", \"status\": \"adopted\", \"title\": \"Ley 27.411\","
  "   \"href\": \"../documents/ar-law-1.pdf\", \"sha256\": \"" SHA_2 "\", \"bytes\": 1000},"
  "  {\"id\": \"ar-pol-2026\", \"kind\": \"policy\", \"status\": \"adopted\", \"title\": \"Política\","
  "   \"href\": \"../documents/ar-pol-2026.pdf\", \"sha256\": \"" SHA_4 "\", \"bytes\": 3000}],"
  " \"contacts\": ["
  "  {\"id\": \"ar-pol-1\", \"category\": \"political\", \"name\": \"Ana Pérez\"}],"
  " \"cbms\": {\"1\": {\"status\": \"yes\", \"evidence\": [\"ar-ncs-2019\"]}}}";

static const char chile[] =
  "{\"code\": \"CL\", \"names\": {\"es\": \"Chile\"},"
  " \"documents\": ["
  "  {\"id\": \"cl-pncs-2017\", \"kind\": \"policy\", \"status\": \"adopted\", \"title\": \"Política\","
  "   \"href\": \"../documents/cl.pdf\", \"sha256\": \"" SHA_CL "\", \"bytes\": 10}],"
  " \"contacts\": ["
  "  {\"id\": \"cl-pol-1\", \"category\": \"political\", \"name\": \"Rosa Soto\"}]}";

static const char brazil[] =
  "{\"code\": \"BR\", \"names\": {\"pt\": \"Brasil\", \"fr\": \"Brésil\"}}";

static const char events_json[] =
  "{\"events\": ["
  "  {\"id\": \"oas-course-2026\", \"title\": {\"es\": \"Curso\"},"
  "   \"starts\": \"2026-03-01T09:00:00Z\", \"modality\": \"in-person\","
  "   \"venue\": \"Washington, D.C.\", \"eligibility\": \"open\"},"
  "  {\"id\": \"unidir-crisis-2022\", \"title\": {\"en\": \"Crisis management\"},"
  "   \"description\": {\"en\": \"A tabletop exercise.\"}, \"organizer\": \"UNIDIR and OAS\","
  "   \"starts\": \"2022-02-15T10:00:00-05:00\", \"ends\": \"2022-02-16T00:00:00-05:00\","
  "   \"timezone\": \"America/New_York\", \"modality\": \"online\", \"venue\": null,"
  "   \"eligibility\": \"government\","
  "   \"registration\": {\"deadline\": \"2022-02-14T23:59:59-05:00\", \"capacity\": 60}}]}";

/* Helpers. */

static char *
make_temp_dir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("cbm-store-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

static void
got_result_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  GAsyncResult **out = user_data;

  g_assert_null (*out);
  *out = g_object_ref (result);
}

static GAsyncResult *
wait_for (GAsyncResult **result)
{
  while (*result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *result;
}

static gboolean
open_store (CbmStore  *store,
            GError   **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  cbm_store_open_async (store, NULL, got_result_cb, &result);
  return cbm_store_open_finish (store, wait_for (&result), error);
}

static CbmStore *
new_open_store (const char *path)
{
  g_autoptr(GError) error = NULL;
  CbmStore *store = cbm_store_new (path);

  open_store (store, &error);
  g_assert_no_error (error);
  return store;
}

/* Parses a country file as the sync client does, recording the file's digest. */
static CbmCountry *
country_from_json (const char *json)
{
  g_autoptr(GBytes) bytes = g_bytes_new (json, strlen (json));
  g_autoptr(GError) error = NULL;
  CbmCountry *country = cbm_feed_parse_country ("test.json", bytes, &error);

  g_assert_no_error (error);
  g_assert_nonnull (country);
  country->sha256 = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) json, strlen (json));
  return country;
}

static CbmStoreChanges *
apply_country (CbmStore            *store,
               CbmCountry          *country,
               const CbmSyncState  *state,
               GError             **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  cbm_store_apply_country_async (store, country, state, NULL, got_result_cb, &result);
  return cbm_store_apply_country_finish (store, wait_for (&result), error);
}

static CbmStoreChanges *
apply_json (CbmStore   *store,
            const char *json)
{
  g_autoptr(CbmCountry) country = country_from_json (json);
  g_autoptr(GError) error = NULL;
  CbmStoreChanges *changes = apply_country (store, country, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (changes);
  return changes;
}

static CbmStoreChanges *
apply_events (CbmStore            *store,
              const char          *json,
              const CbmSyncState  *state,
              GError             **error)
{
  g_autoptr(GBytes) bytes = g_bytes_new (json, strlen (json));
  g_autoptr(GPtrArray) events = cbm_feed_parse_events ("events.json", bytes, error);
  g_autoptr(GAsyncResult) result = NULL;

  g_assert_nonnull (events);
  cbm_store_apply_events_async (store, events, state, NULL, got_result_cb, &result);
  return cbm_store_apply_events_finish (store, wait_for (&result), error);
}

static gboolean
finish_sync (CbmStore            *store,
             const char * const  *codes,
             GHashTable          *meta,
             GPtrArray           *states,
             GError             **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  cbm_store_finish_sync_async (store, codes, NULL, meta, states, NULL, got_result_cb, &result);
  return cbm_store_finish_sync_finish (store, wait_for (&result), error);
}

static gpointer
model_item (GListModel *model,
            guint       position)
{
  gpointer item = g_list_model_get_item (model, position);

  /* The model keeps it alive; tests compare identities. */
  g_object_unref (item);
  return item;
}

static guint
file_mode (const char *path)
{
  GStatBuf buf;

  g_assert_cmpint (g_stat (path, &buf), ==, 0);
  return buf.st_mode & 0777;
}

static void
write_file (const char *dir,
            const char *name)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, "%PDF-1.4\n", -1, &error);
  g_assert_no_error (error);
}

static gboolean
file_exists_in (const char *dir,
                const char *name)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);

  return g_file_test (path, G_FILE_TEST_EXISTS);
}

static void
count_cb (gpointer  instance,
          gpointer  user_data)
{
  (*(guint *) user_data)++;
}

static void
items_changed_cb (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  gpointer    user_data)
{
  (*(guint *) user_data)++;
}

static void
assert_argentina_v1 (CbmStore *store)
{
  CbmCountry *country = cbm_store_lookup_country (store, "AR");
  g_autoptr(CbmDocument) strategy = NULL;
  g_autoptr(CbmDocument) other = NULL;
  g_autoptr(CbmContact) contact = NULL;
  CbmMeasure *measure;

  g_assert_nonnull (country);
  g_assert_cmpstr (cbm_country_get_name (country, "fr"), ==, "Argentine");
  g_assert_cmpstr (cbm_country_get_name (country, "en"), ==, "Argentina");
  g_assert_cmpstr (country->updated, ==, "2026-10-01T09:00:00Z");
  g_assert_true (cbm_text_matches (country->search_key, "argentine"));

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (country->documents)), ==, 3);
  strategy = g_list_model_get_item (G_LIST_MODEL (country->documents), 0);
  g_assert_cmpstr (strategy->id, ==, "ar-ncs-2019");
  g_assert_cmpstr (strategy->country, ==, "AR");
  g_assert_cmpint (strategy->kind, ==, CBM_DOCUMENT_KIND_STRATEGY);
  g_assert_cmpint (strategy->status, ==, CBM_DOCUMENT_STATUS_ADOPTED);
  g_assert_cmpstr (strategy->title, ==, "Estrategia");
  g_assert_cmpstr (strategy->language, ==, "es");
  g_assert_cmpstr (strategy->date, ==, "2019-05-28");
  g_assert_cmpstr (cbm_text_pick (strategy->summary, "en", NULL), ==, "The strategy.");
  g_assert_cmpstr (strategy->href, ==, "../documents/ar-ncs-2019.pdf");
  g_assert_cmpstr (strategy->sha256, ==, SHA_1);
  g_assert_cmpuint (strategy->bytes, ==, 482113);
  /* An unknown kind was kept as "other" through the database. */
  other = g_list_model_get_item (G_LIST_MODEL (country->documents), 2);
  g_assert_cmpint (other->kind, ==, CBM_DOCUMENT_KIND_OTHER);

  g_assert_true (cbm_country_has_document_kind (country, CBM_DOCUMENT_KIND_STRATEGY));
  g_assert_true (cbm_country_has_document_kind (country, CBM_DOCUMENT_KIND_LAW));
  g_assert_false (cbm_country_has_document_kind (country, CBM_DOCUMENT_KIND_POLICY));

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (country->contacts)), ==, 2);
  contact = g_list_model_get_item (G_LIST_MODEL (country->contacts), 0);
  g_assert_cmpstr (contact->id, ==, "ar-pol-1");
  g_assert_cmpint (contact->category, ==, CBM_CONTACT_CATEGORY_POLITICAL);
  g_assert_cmpstr (contact->name, ==, "Ana Pérez");
  g_assert_cmpstr (contact->email, ==, "ana@example.org");
  g_assert_cmpuint (g_strv_length (contact->languages), ==, 2);
  g_assert_cmpstr (contact->verified, ==, "2026-09-01");
  g_assert_true (cbm_text_matches (contact->search_key, "perez"));

  measure = cbm_country_get_measure (country, 1);
  g_assert_cmpint (measure->status, ==, CBM_MEASURE_STATUS_YES);
  g_assert_cmpuint (g_strv_length (measure->evidence), ==, 1);
  g_assert_cmpstr (measure->evidence[0], ==, "ar-ncs-2019");
  g_assert_cmpstr (measure->updated, ==, "2026-10-01");
  g_assert_cmpint (cbm_country_get_measure_status (country, 3), ==, CBM_MEASURE_STATUS_PARTIAL);
  g_assert_cmpint (cbm_country_get_measure_status (country, 6), ==, CBM_MEASURE_STATUS_UNKNOWN);
  g_assert_cmpuint (cbm_country_get_coverage (country), ==, 2);
}

/* Tests. */

static void
test_open (void)
{
  g_autofree char *tmp = make_temp_dir ();
  g_autofree char *data = g_build_filename (tmp, "data", NULL);
  g_autofree char *path = g_build_filename (data, "cbm-desk.db", NULL);
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autoptr(CbmStore) store = new_open_store (path);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpstr (cbm_store_get_path (store), ==, path);
  g_assert_true (g_str_has_prefix (cbm_store_get_files_dir (store), data));
  g_assert_true (g_str_has_prefix (cbm_store_get_temp_dir (store), data));

  /* Contact data is personal: only the user may read it. */
  g_assert_cmpuint (file_mode (data), ==, 0700);
  g_assert_cmpuint (file_mode (cbm_store_get_files_dir (store)), ==, 0700);
  g_assert_cmpuint (file_mode (cbm_store_get_temp_dir (store)), ==, 0700);
  g_assert_cmpuint (file_mode (path), ==, 0600);
  if (g_file_test (wal, G_FILE_TEST_EXISTS))
    g_assert_cmpuint (file_mode (wal), ==, 0600);

  g_assert_cmpuint (g_list_model_get_n_items (cbm_store_get_countries (store)), ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (cbm_store_get_events (store)), ==, 0);
  g_assert_null (cbm_store_get_meta (store, "registrations"));

  /* Digests name files; anything else does not. */
  {
    g_autofree char *file = cbm_store_dup_file_path (store, SHA_1);
    g_autofree char *expected = g_build_filename (cbm_store_get_files_dir (store), SHA_1 ".pdf", NULL);

    g_assert_cmpstr (file, ==, expected);
    g_assert_null (cbm_store_dup_file_path (store, "../../etc/passwd"));
    g_assert_null (cbm_store_dup_file_path (store, SHA_1 "1"));
    g_assert_null (cbm_store_dup_file_path (store, "ABCDEF" "1111111111111111111111111111111111111111111111111111111111"));
    g_assert_null (cbm_store_dup_file_path (store, NULL));
  }

  /* Closing the store closes the database. */
  g_clear_object (&store);
  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA user_version", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 2);
  sqlite3_finalize (stmt);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT count(*) FROM sqlite_master WHERE type = 'table'",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  /* Version 2 added the registration outbox and the form drafts. */
  g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 9);
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  /* Opening an existing store again does not migrate twice. */
  store = new_open_store (path);
  g_clear_object (&store);

  cbm_test_remove_tree (tmp);
}

static void
test_apply_country (void)
{
  g_autofree char *tmp = make_temp_dir ();
  g_autofree char *path = g_build_filename (tmp, "cbm-desk.db", NULL);
  g_autoptr(CbmStore) store = new_open_store (path);
  g_autoptr(CbmCountry) parsed = country_from_json (argentina_v1);
  g_autoptr(CbmSyncState) state = cbm_sync_state_new ("https://example.org/v1/countries/AR.json",
                                                      "\"etag-1\"", NULL, parsed->sha256);
  g_autoptr(CbmStoreChanges) changes = NULL;
  g_autoptr(GError) error = NULL;
  const CbmSyncState *saved;
  CbmCountry *country;
  guint changed = 0;
  guint items_changed = 0;

  g_signal_connect (store, "changed", G_CALLBACK (count_cb), &changed);
  g_signal_connect (cbm_store_get_countries (store), "items-changed", G_CALLBACK (items_changed_cb), &items_changed);

  changes = apply_country (store, parsed, state, &error);
  g_assert_no_error (error);
  g_assert_nonnull (changes);
  g_assert_cmpstr (changes->country, ==, "AR");
  g_assert_cmpuint (changes->documents_added, ==, 3);
  g_assert_cmpuint (changes->documents_changed, ==, 0);
  g_assert_cmpuint (changes->documents_removed, ==, 0);

  g_assert_cmpuint (changed, ==, 1);
  g_assert_cmpuint (items_changed, ==, 1);

  g_assert_cmpuint (g_list_model_get_n_items (cbm_store_get_countries (store)), ==, 1);
  country = model_item (cbm_store_get_countries (store), 0);
  g_assert_true (country == cbm_store_lookup_country (store, "AR"));
  /* The model holds what the database holds, not the object handed in. */
  g_assert_true (country != parsed);
  g_assert_cmpstr (country->sha256, ==, parsed->sha256);
  g_assert_null (cbm_store_lookup_country (store, "CL"));
  assert_argentina_v1 (store);

  g_assert_cmpuint (g_list_model_get_n_items (cbm_store_get_contacts (store)), ==, 2);

  saved = cbm_store_lookup_sync_state (store, "https://example.org/v1/countries/AR.json");
  g_assert_nonnull (saved);
  g_assert_cmpstr (saved->etag, ==, "\"etag-1\"");
  g_assert_null (saved->last_modified);
  g_assert_cmpstr (saved->sha256, ==, parsed->sha256);
  g_assert_null (cbm_store_lookup_sync_state (store, "https://example.org/v1/index.json"));

  /* A downloaded PDF shows as the document's local file after the next write. */
  write_file (cbm_store_get_files_dir (store), SHA_1 ".pdf");
  g_clear_pointer (&changes, cbm_store_changes_free);
  changes = apply_country (store, parsed, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (changes->documents_added, ==, 0);
  g_assert_cmpuint (changes->documents_changed, ==, 0);
  g_assert_cmpuint (changes->documents_removed, ==, 0);
  g_assert_cmpuint (changed, ==, 2);
  {
    CbmCountry *again = cbm_store_lookup_country (store, "AR");
    CbmDocument *document = cbm_country_find_document (again, "ar-ncs-2019");
    g_autofree char *expected = cbm_store_dup_file_path (store, SHA_1);

    /* The fingerprint counts local files, so the row was replaced. */
    g_assert_true (again != country);
    g_assert_cmpstr (document->local_path, ==, expected);
    g_assert_null (cbm_country_find_document (again, "ar-law-1")->local_path);
  }

  g_clear_object (&store);
  cbm_test_remove_tree (tmp);
}

static void
test_changes (void)
{
  g_autofree char *tmp = make_temp_dir ();
  g_autofree char *path = g_build_filename (tmp, "cbm-desk.db", NULL);
  g_autoptr(CbmStore) store = new_open_store (path);
  g_autoptr(CbmStoreChanges) first = apply_json (store, argentina_v1);
  g_autoptr(CbmStoreChanges) second = NULL;
  g_autoptr(CbmStoreChanges) third = NULL;
  CbmCountry *before = cbm_store_lookup_country (store, "AR");
  CbmCountry *after;
  g_autoptr(CbmDocument) law = NULL;

  g_object_ref (before);
  second = apply_json (store, argentina_v2);
  g_assert_cmpuint (second->documents_added, ==, 1);
  g_assert_cmpuint (second->documents_changed, ==, 1);
  g_assert_cmpuint (second->documents_removed, ==, 1);

  after = cbm_store_lookup_country (store, "AR");
  g_assert_true (after != before);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (after->documents)), ==, 3);
  g_assert_null (cbm_country_find_document (after, "ar-wp-1"));
  g_assert_nonnull (cbm_country_find_document (after, "ar-pol-2026"));
  law = g_list_model_get_item (G_LIST_MODEL (after->documents), 1);
  g_assert_cmpstr (law->title, ==, "Ley 27.411");
  g_assert_cmpint (law->status, ==, CBM_DOCUMENT_STATUS_ADOPTED);
  /* The old contact and measures went with the old copy. */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (after->contacts)), ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (cbm_store_get_contacts (store)), ==, 1);
  g_assert_cmpint (cbm_country_get_measure_status (after, 2), ==, CBM_MEASURE_STATUS_UNKNOWN);
  g_assert_cmpuint (cbm_country_get_coverage (after), ==, 1);
  g_assert_null (cbm_country_get_measure (after, 1)->updated);
  /* The old object still holds the old data: readers never see it change under them. */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (before->documents)), ==, 3);
  g_assert_nonnull (cbm_country_find_document (before, "ar-wp-1"));
  g_object_unref (before);

  /* Applying the same file again changes nothing. */
  third = apply_json (store, argentina_v2);
  g_assert_cmpuint (third->documents_added, ==, 0);
  g_assert_cmpuint (third->documents_changed, ==, 0);
  g_assert_cmpuint (third->documents_removed, ==, 0);
  g_assert_true (cbm_store_lookup_country (store, "AR") == after);

  g_clear_object (&store);
  cbm_test_remove_tree (tmp);
}

static void
test_identity (void)
{
  g_autofree char *tmp = make_temp_dir ();
  g_autofree char *path = g_build_filename (tmp, "cbm-desk.db", NULL);
  g_autoptr(CbmStore) store = new_open_store (path);
  g_autoptr(CbmStoreChanges) changes = NULL;
  GListModel *countries = cbm_store_get_countries (store);
  CbmCountry *argentina, *chile_row, *brazil_row;
  CbmContact *contact;
  guint changed = 0;

  g_signal_connect (store, "changed", G_CALLBACK (count_cb), &changed);
  g_clear_pointer (&changes, cbm_store_changes_free);
  changes = apply_json (store, argentina_v1);
  g_clear_pointer (&changes, cbm_store_changes_free);
  changes = apply_json (store, chile);
  g_assert_cmpuint (changed, ==, 2);
  argentina = cbm_store_lookup_country (store, "AR");
  chile_row = cbm_store_lookup_country (store, "CL");
  contact = model_item (cbm_store_get_contacts (store), 2);
  g_assert_cmpstr (contact->id, ==, "cl-pol-1");

  /* Brazil sorts between them: neither Argentina nor Chile changed, so both keep their
   * objects (and the UI its selection). */
  g_clear_pointer (&changes, cbm_store_changes_free);
  changes = apply_json (store, brazil);
  g_assert_cmpuint (changed, ==, 3);
  g_assert_cmpuint (g_list_model_get_n_items (countries), ==, 3);
  g_assert_true (model_item (countries, 0) == argentina);
  brazil_row = model_item (countries, 1);
  g_assert_cmpstr (brazil_row->code, ==, "BR");
  g_assert_true (model_item (countries, 2) == chile_row);
  g_assert_true (cbm_store_lookup_country (store, "CL") == chile_row);
  g_assert_true (model_item (cbm_store_get_contacts (store), 2) == contact);

  /* A changed Chile is a new object; the others stay. */
  g_clear_pointer (&changes, cbm_store_changes_free);
  changes = apply_json (store, argentina_v1);
  g_assert_true (cbm_store_lookup_country (store, "AR") == argentina);
  g_clear_pointer (&changes, cbm_store_changes_free);
  {
    g_autoptr(CbmCountry) renamed = country_from_json (chile);

    g_clear_pointer (&renamed->names, g_variant_unref);
    renamed->names = g_variant_ref_sink (cbm_text_map_new ("es", "República de Chile", NULL));
    g_free (renamed->sha256);
    renamed->sha256 = g_strdup (SHA_4);
    changes = apply_country (store, renamed, NULL, NULL);
    g_assert_nonnull (changes);
  }
  g_assert_true (cbm_store_lookup_country (store, "AR") == argentina);
  g_assert_true (cbm_store_lookup_country (store, "BR") == brazil_row);
  g_assert_true (cbm_store_lookup_country (store, "CL") != chile_row);
  g_assert_cmpstr (cbm_country_get_name (cbm_store_lookup_country (store, "CL"), "es"), ==,
                   "República de Chile");

  g_clear_object (&store);
  cbm_test_remove_tree (tmp);
}

static void
record_thread_cb (gpointer  instance,
                  GThread **thread)
{
  *thread = g_thread_self ();
}

/* A job that finishes while no thread is iterating the main context still completes, and
 * changes the models, on the main thread only. */
static void
test_main_thread (void)
{
  g_autofree char *tmp = make_temp_dir ();
  g_autofree char *path = g_build_filename (tmp, "cbm-desk.db", NULL);
  g_autoptr(CbmStore) store = new_open_store (path);
  g_autoptr(CbmCountry) country = country_from_json (argentina_v1);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(CbmStoreChanges) changes = NULL;
  g_autoptr(GError) error = NULL;
  GThread *changed_on = NULL;

  g_signal_connect (store, "changed", G_CALLBACK (record_thread_cb), &changed_on);
  cbm_store_apply_country_async (store, country, NULL, NULL, got_result_cb, &result);
  /* The job runs and ends meanwhile; nobody holds the main context. */
  g_usleep (G_USEC_PER_SEC / 5);
  g_assert_null (result);
  g_assert_null (changed_on);

  changes = cbm_store_apply_country_finish (store, wait_for (&result), &error);
  g_assert_no_error (error);
  g_assert_nonnull (changes);
  g_assert_true (changed_on == g_thread_self ());

  g_clear_object (&store);
  cbm_test_remove_tree (tmp);
}

static gboolean
flag_timeout_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Iterates until @store has a country @code, or fails after five seconds. */
static void
wait_for_country (CbmStore   *store,
                  const char *code)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (5, flag_timeout_cb, &timed_out);

  while (cbm_store_lookup_country (store, code) == NULL && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (timed_out);
  g_source_remove (id);
}

/* While updates are held, writes still reach the models: in the interval with no other job to
 * carry them, at once when released, and the end of a sync before its caller hears of it. */
static void
test_hold_updates (void)
{
  g_autofree char *tmp = make_temp_dir ();
  g_autofree char *path = g_build_filename (tmp, "cbm-desk.db", NULL);
  g_autoptr(CbmStore) store = new_open_store (path);
  g_autoptr(CbmCountry) argentina = country_from_json (argentina_v1);
  g_autoptr(CbmCountry) chile_country = country_from_json (chile);
  g_autoptr(GAsyncResult) first = NULL;
  g_autoptr(GAsyncResult) second = NULL;
  g_autoptr(CbmStoreChanges) changes = NULL;
  g_autoptr(GError) error = NULL;
  const char *listed[] = { "CL", "BR", NULL };
  gint64 start;
  guint changed = 0;

  g_signal_connect (store, "changed", G_CALLBACK (count_cb), &changed);
  cbm_store_hold_updates (store);

  /* Two writes in a burst, then nothing: the timer brings them in, in one go. */
  start = g_get_monotonic_time ();
  cbm_store_apply_country_async (store, argentina, NULL, NULL, got_result_cb, &first);
  cbm_store_apply_country_async (store, chile_country, NULL, NULL, got_result_cb, &second);
  changes = cbm_store_apply_country_finish (store, wait_for (&first), &error);
  g_assert_no_error (error);
  g_clear_pointer (&changes, cbm_store_changes_free);
  changes = cbm_store_apply_country_finish (store, wait_for (&second), &error);
  g_assert_no_error (error);
  g_clear_pointer (&changes, cbm_store_changes_free);
  /* Within the interval, neither write was read back (a slow machine may pass it). */
  if (g_get_monotonic_time () - start < G_USEC_PER_SEC / 5)
    g_assert_cmpuint (changed, ==, 0);
  wait_for_country (store, "CL");
  g_assert_nonnull (cbm_store_lookup_country (store, "AR"));
  g_test_message ("held writes in the models after %.0f ms",
                  (g_get_monotonic_time () - start) / 1000.0);

  /* A write while held, then the release. */
  changes = apply_json (store, brazil);
  g_clear_pointer (&changes, cbm_store_changes_free);
  cbm_store_release_updates (store);
  wait_for_country (store, "BR");

  /* Held again: the end of a sync is in the models when it returns. Argentina goes. */
  cbm_store_hold_updates (store);
  g_assert_true (finish_sync (store, listed, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_null (cbm_store_lookup_country (store, "AR"));
  g_assert_nonnull (cbm_store_lookup_country (store, "CL"));
  cbm_store_release_updates (store);

  g_clear_object (&store);
  cbm_test_remove_tree (tmp);
}

static void
test_events (void)
{
  g_autofree char *tmp = make_temp_dir ();
  g_autofree char *path = g_build_filename (tmp, "cbm-desk.db", NULL);
  g_autoptr(CbmStore) store = new_open_store (path);
  g_autoptr(CbmSyncState) state = cbm_sync_state_new ("https://example.org/v1/events.json", NULL,
                                                      "Wed, 21 Oct 2026 07:28:00 GMT", SHA_1);
  g_autoptr(CbmStoreChanges) changes = NULL;
  g_autoptr(GError) error = NULL;
  GListModel *events = cbm_store_get_events (store);
  CbmEvent *event;
  guint changed = 0;

  g_signal_connect (store, "changed", G_CALLBACK (count_cb), &changed);
  changes = apply_events (store, events_json, state, &error);
  g_assert_no_error (error);
  g_assert_null (changes->country);
  g_assert_cmpuint (changes->events_changed, ==, 2);
  g_assert_cmpuint (changed, ==, 1);

  /* By start. */
  g_assert_cmpuint (g_list_model_get_n_items (events), ==, 2);
  event = model_item (events, 0);
  g_assert_cmpstr (event->id, ==, "unidir-crisis-2022");
  g_assert_cmpstr (cbm_text_pick (event->title, "es", NULL), ==, "Crisis management");
  g_assert_cmpstr (cbm_text_pick (event->description, "en", NULL), ==, "A tabletop exercise.");
  g_assert_null (event->audience);
  g_assert_cmpstr (event->organizer, ==, "UNIDIR and OAS");
  g_assert_cmpstr (event->starts, ==, "2022-02-15T10:00:00-05:00");
  g_assert_cmpstr (event->ends, ==, "2022-02-16T00:00:00-05:00");
  g_assert_cmpstr (event->timezone, ==, "America/New_York");
  g_assert_cmpint (event->modality, ==, CBM_MODALITY_ONLINE);
  g_assert_null (event->venue);
  g_assert_cmpint (event->eligibility, ==, CBM_ELIGIBILITY_GOVERNMENT);
  g_assert_true (event->has_registration);
  g_assert_cmpstr (event->deadline, ==, "2022-02-14T23:59:59-05:00");
  g_assert_cmpint (event->capacity, ==, 60);

  event = model_item (events, 1);
  g_assert_cmpstr (event->id, ==, "oas-course-2026");
  g_assert_cmpint (event->modality, ==, CBM_MODALITY_IN_PERSON);
  g_assert_cmpstr (event->venue, ==, "Washington, D.C.");
  g_assert_cmpint (event->eligibility, ==, CBM_ELIGIBILITY_OPEN);
  g_assert_false (event->has_registration);
  g_assert_null (event->deadline);

  g_assert_cmpstr (cbm_store_lookup_sync_state (store, "https://example.org/v1/events.json")->last_modified,
                   ==, "Wed, 21 Oct 2026 07:28:00 GMT");

  /* The events file replaces all events. */
  g_clear_pointer (&changes, cbm_store_changes_free);
  changes = apply_events (store, "{\"events\": [{\"id\": \"only\", \"title\": {\"en\": \"Only\"},"
                                 " \"starts\": \"2027-01-01T00:00:00Z\", \"modality\": \"hybrid\"}]}",
                          NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (events), ==, 1);
  event = model_item (events, 0);
  g_assert_cmpstr (event->id, ==, "only");
  g_assert_cmpint (event->modality, ==, CBM_MODALITY_HYBRID);
  g_assert_cmpint (event->eligibility, ==, CBM_ELIGIBILITY_OTHER);
  /* A state not given is left as it was. */
  g_assert_nonnull (cbm_store_lookup_sync_state (store, "https://example.org/v1/events.json"));

  g_clear_object (&store);
  cbm_test_remove_tree (tmp);
}

static void
test_finish_sync (void)
{
  g_autofree char *tmp = make_temp_dir ();
  g_autofree char *path = g_build_filename (tmp, "cbm-desk.db", NULL);
  g_autoptr(CbmStore) store = new_open_store (path);
  g_autoptr(CbmStoreChanges) changes = NULL;
  g_autoptr(GHashTable) meta = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) states = g_ptr_array_new_with_free_func ((GDestroyNotify) cbm_sync_state_free);
  g_autoptr(GError) error = NULL;
  const char *listed[] = { "AR", "UY", NULL };
  const char *files_dir = cbm_store_get_files_dir (store);
  const char *temp_dir = cbm_store_get_temp_dir (store);
  g_autoptr(GDir) dir = NULL;
  const CbmSyncState *state;
  CbmCountry *argentina;
  guint changed = 0;

  changes = apply_json (store, argentina_v1);
  g_clear_pointer (&changes, cbm_store_changes_free);
  changes = apply_json (store, chile);
  g_assert_null (cbm_store_lookup_country (store, "AR")->synced_at);

  write_file (files_dir, SHA_1 ".pdf");  /* Argentina's strategy */
  write_file (files_dir, SHA_CL ".pdf"); /* Chile's only document */
  write_file (files_dir, "stray.pdf");
  write_file (files_dir, SHA_4 ".pdf"); /* referenced by nothing */
  write_file (temp_dir, SHA_2 ".pdf.part");
  write_file (temp_dir, "download-XYZ");

  g_hash_table_insert (meta, "registrations", "https://example.org/v1/registrations");
  g_hash_table_insert (meta, "publisher", "Technical Secretariat");
  g_ptr_array_add (states, cbm_sync_state_new ("https://example.org/v1/index.json", "\"idx\"",
                                               NULL, NULL));

  g_signal_connect (store, "changed", G_CALLBACK (count_cb), &changed);
  g_assert_true (finish_sync (store, listed, meta, states, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (changed, ==, 1);

  /* Chile is no longer listed: it goes with its contacts and its PDF. */
  g_assert_cmpuint (g_list_model_get_n_items (cbm_store_get_countries (store)), ==, 1);
  g_assert_null (cbm_store_lookup_country (store, "CL"));
  g_assert_cmpuint (g_list_model_get_n_items (cbm_store_get_contacts (store)), ==, 2);
  argentina = cbm_store_lookup_country (store, "AR");
  g_assert_nonnull (argentina);
  g_assert_nonnull (argentina->synced_at);
  g_assert_true (cbm_date_time_is_valid (argentina->synced_at));
  g_assert_nonnull (cbm_country_find_document (argentina, "ar-ncs-2019")->local_path);

  g_assert_true (file_exists_in (files_dir, SHA_1 ".pdf"));
  g_assert_false (file_exists_in (files_dir, SHA_CL ".pdf"));
  g_assert_false (file_exists_in (files_dir, "stray.pdf"));
  g_assert_false (file_exists_in (files_dir, SHA_4 ".pdf"));
  dir = g_dir_open (temp_dir, 0, &error);
  g_assert_no_error (error);
  g_assert_null (g_dir_read_name (dir));
  g_assert_true (g_file_test (temp_dir, G_FILE_TEST_IS_DIR));

  g_assert_cmpstr (cbm_store_get_meta (store, "registrations"), ==, "https://example.org/v1/registrations");
  g_assert_cmpstr (cbm_store_get_meta (store, "publisher"), ==, "Technical Secretariat");
  state = cbm_store_lookup_sync_state (store, "https://example.org/v1/index.json");
  g_assert_nonnull (state);
  g_assert_cmpstr (state->etag, ==, "\"idx\"");

  /* States are replaced per URL. */
  g_ptr_array_set_size (states, 0);
  g_ptr_array_add (states, cbm_sync_state_new ("https://example.org/v1/index.json", "\"idx-2\"",
                                               NULL, NULL));
  g_assert_true (finish_sync (store, listed, NULL, states, &error));
  g_assert_cmpstr (cbm_store_lookup_sync_state (store, "https://example.org/v1/index.json")->etag, ==, "\"idx-2\"");
  g_assert_cmpstr (cbm_store_get_meta (store, "publisher"), ==, "Technical Secretariat");

  /* An empty index empties the store. */
  {
    const char *none[] = { NULL };

    g_assert_true (finish_sync (store, none, NULL, NULL, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (g_list_model_get_n_items (cbm_store_get_countries (store)), ==, 0);
    g_assert_cmpuint (g_list_model_get_n_items (cbm_store_get_contacts (store)), ==, 0);
    g_assert_false (file_exists_in (files_dir, SHA_1 ".pdf"));
  }

  g_clear_object (&store);
  cbm_test_remove_tree (tmp);
}

static void
test_reopen (void)
{
  g_autofree char *tmp = make_temp_dir ();
  g_autofree char *path = g_build_filename (tmp, "cbm-desk.db", NULL);
  g_autoptr(CbmStore) store = new_open_store (path);
  g_autoptr(CbmStoreChanges) changes = NULL;
  g_autoptr(GHashTable) meta = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) states = g_ptr_array_new_with_free_func ((GDestroyNotify) cbm_sync_state_free);
  g_autoptr(GError) error = NULL;
  const char *listed[] = { "AR", "CL", NULL };
  g_autofree char *synced_at = NULL;
  CbmEvent *event;

  changes = apply_json (store, argentina_v1);
  g_clear_pointer (&changes, cbm_store_changes_free);
  changes = apply_json (store, chile);
  g_clear_pointer (&changes, cbm_store_changes_free);
  changes = apply_events (store, events_json, NULL, &error);
  g_assert_no_error (error);
  g_hash_table_insert (meta, "registrations", "https://example.org/v1/registrations");
  g_ptr_array_add (states, cbm_sync_state_new ("https://example.org/v1/index.json", "\"idx\"",
                                               "Wed, 21 Oct 2026 07:28:00 GMT", SHA_2));
  g_assert_true (finish_sync (store, listed, meta, states, &error));
  synced_at = g_strdup (cbm_store_lookup_country (store, "AR")->synced_at);
  g_clear_object (&store);

  store = new_open_store (path);
  g_assert_cmpuint (g_list_model_get_n_items (cbm_store_get_countries (store)), ==, 2);
  assert_argentina_v1 (store);
  g_assert_cmpstr (cbm_store_lookup_country (store, "AR")->synced_at, ==, synced_at);
  g_assert_cmpstr (cbm_country_get_name (cbm_store_lookup_country (store, "CL"), "en"), ==, "Chile");
  g_assert_cmpuint (g_list_model_get_n_items (cbm_store_get_contacts (store)), ==, 3);
  g_assert_cmpuint (g_list_model_get_n_items (cbm_store_get_events (store)), ==, 2);
  event = model_item (cbm_store_get_events (store), 0);
  g_assert_cmpstr (event->id, ==, "unidir-crisis-2022");
  g_assert_cmpint (event->capacity, ==, 60);
  g_assert_cmpstr (cbm_store_get_meta (store, "registrations"), ==, "https://example.org/v1/registrations");
  g_assert_cmpstr (cbm_store_lookup_sync_state (store, "https://example.org/v1/index.json")->sha256, ==, SHA_2);
  g_assert_cmpstr (cbm_store_lookup_sync_state (store, "https://example.org/v1/index.json")->last_modified,
                   ==, "Wed, 21 Oct 2026 07:28:00 GMT");

  g_clear_object (&store);
  cbm_test_remove_tree (tmp);
}

static int
user_version (const char *path)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  int version;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA user_version", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  version = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return version;
}

static void
assert_store_unusable (CbmStore *store)
{
  g_autoptr(CbmCountry) country = country_from_json (chile);
  g_autoptr(GError) error = NULL;
  g_autoptr(CbmStoreChanges) changes = apply_country (store, country, NULL, &error);

  g_assert_null (changes);
  g_assert_error (error, CBM_STORE_ERROR, CBM_STORE_ERROR_CLOSED);
  g_assert_cmpuint (g_list_model_get_n_items (cbm_store_get_countries (store)), ==, 0);
}

static void
test_newer_version (void)
{
  g_autofree char *tmp = make_temp_dir ();
  g_autofree char *path = g_build_filename (tmp, "cbm-desk.db", NULL);
  g_autofree char *garbage = g_build_filename (tmp, "garbage.db", NULL);
  g_autoptr(CbmStore) store = NULL;
  g_autoptr(GError) error = NULL;
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "CREATE TABLE future (x); PRAGMA user_version = 99;", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  store = cbm_store_new (path);
  g_assert_false (open_store (store, &error));
  g_assert_error (error, CBM_STORE_ERROR, CBM_STORE_ERROR_OPEN);
  g_assert_nonnull (strstr (error->message, "newer version"));
  assert_store_unusable (store);
  g_clear_object (&store);
  /* The newer data was left alone. */
  g_assert_cmpint (user_version (path), ==, 99);

  /* A file that is not a database at all. */
  g_clear_error (&error);
  g_assert_true (g_file_set_contents (garbage, "This is not an SQLite database, not even close.\n"
                                      "It only has to be long enough for sqlite to read a header.\n"
                                      "................................................................",
                                      -1, NULL));
  store = cbm_store_new (garbage);
  g_assert_false (open_store (store, &error));
  g_assert_nonnull (error);
  g_assert_true (error->domain == CBM_STORE_ERROR);
  assert_store_unusable (store);
  g_clear_object (&store);

  cbm_test_remove_tree (tmp);
}

static gboolean
mount_tmpfs (const char   *target,
             unsigned long flags,
             const char   *options)
{
  if (mount ("tmpfs", target, "tmpfs", flags, options) != 0)
    {
      g_test_message ("mount: %s", g_strerror (errno));
      return FALSE;
    }
  return TRUE;
}

static void
test_not_writable (void)
{
  g_autofree char *tmp = make_temp_dir ();
  g_autofree char *blocker = g_build_filename (tmp, "not-a-folder", NULL);
  g_autofree char *under_file = g_build_filename (blocker, "data", "cbm-desk.db", NULL);
  g_autofree char *locked = g_build_filename (tmp, "locked", NULL);
  g_autofree char *under_locked = g_build_filename (locked, "data", "cbm-desk.db", NULL);
  g_autofree char *read_only = g_build_filename (tmp, "read-only", NULL);
  g_autofree char *under_read_only = g_build_filename (read_only, "cbm-desk.db", NULL);
  g_autoptr(CbmStore) store = NULL;
  g_autoptr(GError) error = NULL;

  /* A file where a folder should be. */
  g_assert_true (g_file_set_contents (blocker, "", 0, NULL));
  store = cbm_store_new (under_file);
  g_assert_false (open_store (store, &error));
  g_assert_nonnull (error);
  g_test_message ("under a file: %s", error->message);
  assert_store_unusable (store);
  g_clear_object (&store);
  g_clear_error (&error);

  /* A folder without write permission; root ignores permissions, so this needs a user. */
  g_assert_cmpint (g_mkdir (locked, 0500), ==, 0);
  if (geteuid () != 0)
    {
      store = cbm_store_new (under_locked);
      g_assert_false (open_store (store, &error));
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED);
      assert_store_unusable (store);
      g_clear_object (&store);
      g_clear_error (&error);
    }

  /* A read-only file system, where mounting is allowed: first with an existing store. */
  g_assert_cmpint (g_mkdir (read_only, 0700), ==, 0);
  if (mount_tmpfs (read_only, 0, "size=4m,mode=0700"))
    {
      g_autoptr(CbmStoreChanges) changes = NULL;

      store = new_open_store (under_read_only);
      changes = apply_json (store, argentina_v1);
      g_clear_object (&store);
      g_assert_cmpint (mount ("tmpfs", read_only, "tmpfs", MS_REMOUNT | MS_RDONLY, "size=4m"), ==, 0);

      store = cbm_store_new (under_read_only);
      if (open_store (store, &error))
        {
          g_autoptr(CbmCountry) country = country_from_json (chile);

          /* Opened read-only: the data is there, writes fail cleanly. */
          g_assert_nonnull (cbm_store_lookup_country (store, "AR"));
          g_clear_pointer (&changes, cbm_store_changes_free);
          changes = apply_country (store, country, NULL, &error);
          g_assert_null (changes);
        }
      g_assert_nonnull (error);
      g_assert_true (error->domain == CBM_STORE_ERROR);
      g_test_message ("read-only: %s", error->message);
      g_clear_object (&store);
      g_clear_error (&error);
      g_assert_cmpint (umount (read_only), ==, 0);

      /* An empty read-only file system: the folders cannot even be made. */
      g_assert_true (mount_tmpfs (read_only, MS_RDONLY, "size=1m"));
      store = cbm_store_new (under_read_only);
      g_assert_false (open_store (store, &error));
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_READ_ONLY);
      assert_store_unusable (store);
      g_clear_object (&store);
      g_assert_cmpint (umount (read_only), ==, 0);
    }

  cbm_test_remove_tree (tmp);
}

static char *
big_country_json (void)
{
  GString *json = g_string_new ("{\"code\": \"BR\", \"names\": {\"pt\": \"Brasil\"}, \"documents\": [");
  g_autofree char *title = g_strnfill (8000, 'x');

  for (guint i = 0; i < 500; i++)
    g_string_append_printf (json, "%s{\"id\": \"br-%u\", \"kind\": \"law\", \"status\": \"adopted\","
                            " \"title\": \"%s %u\", \"href\": \"br-%u.pdf\", \"sha256\": \"" SHA_4 "\","
                            " \"bytes\": 1}", i ? "," : "", i, title, i, i);
  g_string_append (json, "]}");
  return g_string_free (json, FALSE);
}

static void
test_disk_full (void)
{
  g_autofree char *tmp = make_temp_dir ();
  g_autofree char *mnt = g_build_filename (tmp, "small", NULL);
  g_autofree char *path = g_build_filename (mnt, "cbm-desk.db", NULL);
  g_autofree char *big_json = big_country_json ();
  g_autoptr(CbmStore) store = NULL;
  g_autoptr(CbmCountry) big = NULL;
  g_autoptr(CbmStoreChanges) changes = NULL;
  g_autoptr(GError) error = NULL;
  guint changed = 0;

  g_assert_cmpint (g_mkdir (mnt, 0700), ==, 0);
  if (!mount_tmpfs (mnt, 0, "size=1m,mode=0700"))
    {
      g_test_skip ("cannot mount a small tmpfs here");
      cbm_test_remove_tree (tmp);
      return;
    }

  store = new_open_store (path);
  changes = apply_json (store, argentina_v1);
  g_clear_pointer (&changes, cbm_store_changes_free);

  /* About 4 MB of titles do not fit in 1 MB. */
  big = country_from_json (big_json);
  g_signal_connect (store, "changed", G_CALLBACK (count_cb), &changed);
  changes = apply_country (store, big, NULL, &error);
  g_assert_null (changes);
  g_assert_error (error, CBM_STORE_ERROR, CBM_STORE_ERROR_DISK_FULL);
  g_test_message ("disk full: %s", error->message);
  g_clear_error (&error);

  /* The store never holds half a country, and what it held is intact. */
  g_assert_null (cbm_store_lookup_country (store, "BR"));
  g_assert_cmpuint (g_list_model_get_n_items (cbm_store_get_countries (store)), ==, 1);
  assert_argentina_v1 (store);

  /* Still usable for a write that fits. */
  changes = apply_json (store, chile);
  g_assert_nonnull (cbm_store_lookup_country (store, "CL"));
  g_clear_object (&store);

  store = new_open_store (path);
  g_assert_cmpuint (g_list_model_get_n_items (cbm_store_get_countries (store)), ==, 2);
  g_assert_null (cbm_store_lookup_country (store, "BR"));
  assert_argentina_v1 (store);
  g_clear_object (&store);

  if (umount (mnt) != 0)
    umount2 (mnt, MNT_DETACH);
  cbm_test_remove_tree (tmp);
}

static void
test_lifecycle (void)
{
  g_autofree char *tmp = make_temp_dir ();
  g_autofree char *path = g_build_filename (tmp, "cbm-desk.db", NULL);
  g_autoptr(GAsyncResult) opened = NULL;
  g_autoptr(GAsyncResult) applied = NULL;
  g_autoptr(CbmCountry) country = country_from_json (chile);
  g_autoptr(GError) error = NULL;
  g_autoptr(CbmStoreChanges) changes = NULL;
  CbmStore *store = cbm_store_new (path);
  GWeakRef weak;

  /* Jobs queue up in order, and the pending tasks keep the store alive. */
  g_weak_ref_init (&weak, store);
  cbm_store_open_async (store, NULL, got_result_cb, &opened);
  cbm_store_apply_country_async (store, country, NULL, NULL, got_result_cb, &applied);
  g_object_unref (store);

  wait_for (&applied);
  g_assert_nonnull (opened);
  store = g_weak_ref_get (&weak);
  g_assert_nonnull (store);
  g_assert_true (cbm_store_open_finish (store, opened, &error));
  g_assert_no_error (error);
  changes = cbm_store_apply_country_finish (store, applied, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (changes->documents_added, ==, 1);
  g_object_unref (store);
  g_clear_object (&opened);
  g_clear_object (&applied);

  /* Once the results are let go, nothing holds the store. */
  store = g_weak_ref_get (&weak);
  g_assert_null (store);
  g_weak_ref_clear (&weak);

  /* A cancelled job reports so. */
  {
    g_autoptr(GCancellable) cancellable = g_cancellable_new ();
    g_autoptr(CbmStore) other = new_open_store (path);
    g_autoptr(GAsyncResult) result = NULL;

    g_cancellable_cancel (cancellable);
    cbm_store_apply_country_async (other, country, NULL, cancellable, got_result_cb, &result);
    g_assert_null (cbm_store_apply_country_finish (other, wait_for (&result), &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  }

  cbm_test_remove_tree (tmp);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/store/open", test_open);
  g_test_add_func ("/core/store/apply-country", test_apply_country);
  g_test_add_func ("/core/store/changes", test_changes);
  g_test_add_func ("/core/store/identity", test_identity);
  g_test_add_func ("/core/store/main-thread", test_main_thread);
  g_test_add_func ("/core/store/hold-updates", test_hold_updates);
  g_test_add_func ("/core/store/events", test_events);
  g_test_add_func ("/core/store/finish-sync", test_finish_sync);
  g_test_add_func ("/core/store/reopen", test_reopen);
  g_test_add_func ("/core/store/newer-version", test_newer_version);
  g_test_add_func ("/core/store/not-writable", test_not_writable);
  g_test_add_func ("/core/store/disk-full", test_disk_full);
  g_test_add_func ("/core/store/lifecycle", test_lifecycle);

  return g_test_run ();
}
