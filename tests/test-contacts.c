/* test-contacts.c
 *
 * Copyright 2026 The CBM Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The contact book's search and filters on the sample repository, through the same GtkFilter
 * the view uses (no display needed), and the twelve-month rule around its boundary.
 */

#include <gtk/gtk.h>

#include "cbm-contacts-view.h"
#include "cbm-core.h"
#include "cbm-feed.h"

typedef struct
{
  GListStore      *countries;
  GListStore      *contacts;
  GHashTable      *country_keys;
  CbmContactQuery *query;
  GtkFilter       *filter;
  GListModel      *filtered;
} Fixture;

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

/* Reads the generated sample repository's country files, as the sync would. */
static void
load_sample (GListStore *countries,
             GListStore *contacts)
{
  const char *root = g_getenv ("CBM_SAMPLE_REPOSITORY");
  g_autofree char *dir_path = NULL;
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  g_assert_nonnull (root);
  dir_path = g_build_filename (root, "v1", "countries", NULL);
  dir = g_dir_open (dir_path, 0, &error);
  g_assert_no_error (error);
  while ((name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_suffix (name, ".json"))
      g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);

  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *path = g_build_filename (dir_path, names->pdata[i], NULL);
      g_autofree char *data = NULL;
      gsize len;
      g_autoptr(GBytes) bytes = NULL;
      g_autoptr(CbmCountry) country = NULL;
      guint n;

      g_assert_true (g_file_get_contents (path, &data, &len, &error));
      g_assert_no_error (error);
      bytes = g_bytes_new_take (g_steal_pointer (&data), len);
      country = cbm_feed_parse_country (names->pdata[i], bytes, &error);
      g_assert_no_error (error);
      g_list_store_append (countries, country);

      n = g_list_model_get_n_items (G_LIST_MODEL (country->contacts));
      for (guint j = 0; j < n; j++)
        {
          g_autoptr(CbmContact) contact = g_list_model_get_item (G_LIST_MODEL (country->contacts), j);
          g_list_store_append (contacts, contact);
        }
    }
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GDateTime) now = g_date_time_new_local (2026, 11, 23, 12, 0, 0);

  f->countries = g_list_store_new (CBM_TYPE_COUNTRY);
  f->contacts = g_list_store_new (CBM_TYPE_CONTACT);
  load_sample (f->countries, f->contacts);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->countries)), ==, 35);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->contacts)), ==, 62);

  f->country_keys = cbm_contacts_country_keys_new (G_LIST_MODEL (f->countries));
  f->query = cbm_contact_query_new ();
  cbm_contact_query_set_now (f->query, now);
  f->filter = cbm_contacts_filter_new (f->query, f->country_keys);
  f->filtered = G_LIST_MODEL (gtk_filter_list_model_new (g_object_ref (G_LIST_MODEL (f->contacts)),
                                                         g_object_ref (f->filter)));
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->filtered);
  g_clear_object (&f->filter);
  g_clear_pointer (&f->query, cbm_contact_query_free);
  g_clear_pointer (&f->country_keys, g_hash_table_unref);
  g_clear_object (&f->contacts);
  g_clear_object (&f->countries);
}

/* The ids shown, comma-separated, in the model's order. */
static char *
shown_ids (Fixture *f)
{
  g_autoptr(GString) ids = g_string_new (NULL);
  guint n;

  gtk_filter_changed (f->filter, GTK_FILTER_CHANGE_DIFFERENT);
  n = g_list_model_get_n_items (f->filtered);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CbmContact) contact = g_list_model_get_item (f->filtered, i);
      g_string_append_printf (ids, "%s%s", i ? "," : "", contact->id);
    }
  return g_string_free (g_steal_pointer (&ids), FALSE);
}

static guint
count_shown (Fixture    *f,
             const char *text)
{
  cbm_contact_query_set_text (f->query, text);
  gtk_filter_changed (f->filter, GTK_FILTER_CHANGE_DIFFERENT);
  return g_list_model_get_n_items (f->filtered);
}

static void
search_for (Fixture    *f,
            const char *text,
            const char *expected_ids)
{
  g_autofree char *ids = NULL;

  cbm_contact_query_set_text (f->query, text);
  ids = shown_ids (f);
  g_assert_cmpstr (ids, ==, expected_ids);
}

static void
test_search (Fixture       *f,
             gconstpointer  data)
{
  g_assert_cmpuint (count_shown (f, ""), ==, 62);

  /* Name, accents and case folded both ways. */
  search_for (f, "martin montoya", "ar-mfa-1");
  search_for (f, "MARTÍN", "ar-mfa-1");
  /* E-mail, institution and position. */
  search_for (f, "mfa-ar.example.org", "ar-mfa-1");
  g_assert_cmpuint (count_shown (f, "ministerio relaciones"), ==, 12);
  g_assert_cmpuint (count_shown (f, "carvajal"), ==, 7);
  /* The country's name in any of the four languages, accents or not. */
  search_for (f, "bresil", "br-pol-1,br-pol-2,br-mfa-1");
  search_for (f, "Brasil", "br-pol-1,br-pol-2,br-mfa-1");
  search_for (f, "brazil", "br-pol-1,br-pol-2,br-mfa-1");
  search_for (f, "Pérou", "pe-mfa-1");
  search_for (f, "estados unidos", "us-pol-1,us-mfa-1");
  search_for (f, "États-Unis", "us-pol-1,us-mfa-1");
  /* Words may match different fields: a name and a country. */
  search_for (f, "carvajal chile", "cl-pol-1,cl-mfa-1");
  /* Spaces around are ignored; nothing matches gibberish. */
  search_for (f, "  maria   ", "ve-pol-1");
  g_assert_cmpuint (count_shown (f, "zzz"), ==, 0);
}

static void
test_filters (Fixture       *f,
              gconstpointer  data)
{
  cbm_contact_query_set_category (f->query, CBM_CONTACT_CATEGORY_POLITICAL);
  g_assert_cmpuint (count_shown (f, ""), ==, 35);
  g_assert_true (cbm_contact_query_is_filtering (f->query));
  cbm_contact_query_set_category (f->query, CBM_CONTACT_CATEGORY_FOREIGN_AFFAIRS);
  g_assert_cmpuint (count_shown (f, ""), ==, 27);
  search_for (f, "carvajal", "ar-mfa-1,cl-mfa-1,do-mfa-1,pa-mfa-1");

  cbm_contact_query_set_category (f->query, CBM_CONTACT_QUERY_ANY_CATEGORY);
  cbm_contact_query_set_country (f->query, "AR");
  search_for (f, "", "ar-pol-1,ar-pol-2,ar-mfa-1");
  search_for (f, "carvajal", "ar-pol-1,ar-mfa-1");

  /* On 23 November 2026: 37 contacts were verified before 23 November 2025 or never. */
  cbm_contact_query_set_stale_only (f->query, TRUE);
  search_for (f, "", "ar-pol-2,ar-mfa-1");
  cbm_contact_query_set_country (f->query, NULL);
  g_assert_cmpuint (count_shown (f, ""), ==, 37);

  cbm_contact_query_set_stale_only (f->query, FALSE);
  cbm_contact_query_set_country (f->query, "");
  g_assert_false (cbm_contact_query_is_filtering (f->query));
  g_assert_cmpuint (count_shown (f, ""), ==, 62);
}

/* The view tells the filter model how the text changed; the result must not depend on it. */
static void
test_incremental (Fixture       *f,
                  gconstpointer  data)
{
  const char *typed[] = { "m", "ma", "mar", "mari", "maria", "maria g", "maria", "mar", "" };
  const guint expected[] = { 62, 19, 4, 1, 1, 1, 1, 4, 62 };
  g_autofree char *before = g_strdup ("");

  for (guint i = 0; i < G_N_ELEMENTS (typed); i++)
    {
      g_assert_true (cbm_contact_query_set_text (f->query, typed[i]));
      if (g_str_has_prefix (typed[i], before))
        gtk_filter_changed (f->filter, GTK_FILTER_CHANGE_MORE_STRICT);
      else
        gtk_filter_changed (f->filter, GTK_FILTER_CHANGE_LESS_STRICT);
      g_assert_cmpuint (g_list_model_get_n_items (f->filtered), ==, expected[i]);
      g_free (before);
      before = g_strdup (cbm_contact_query_get_text (f->query));
    }
  /* The same text again is no change. */
  g_assert_false (cbm_contact_query_set_text (f->query, ""));
}

static gboolean
stale_on (const char *verified,
          GDateTime  *now)
{
  g_autoptr(CbmContact) contact = cbm_contact_new ();
  g_autoptr(GDateTime) reference = cbm_contact_stale_reference (now);
  g_autoptr(CbmContactQuery) query = cbm_contact_query_new ();
  gboolean stale;

  contact->id = g_strdup ("xx-pol-1");
  contact->verified = g_strdup (verified);
  cbm_contact_update_key (contact);
  stale = cbm_contact_is_stale (contact, reference);

  /* The "possibly out of date only" filter agrees. */
  cbm_contact_query_set_now (query, now);
  cbm_contact_query_set_stale_only (query, TRUE);
  g_assert_cmpint (cbm_contact_query_matches (query, contact, NULL), ==, stale);
  return stale;
}

static void
test_stale_boundary (void)
{
  g_autoptr(GDateTime) day_before = g_date_time_new_local (2026, 5, 9, 12, 0, 0);
  g_autoptr(GDateTime) exactly_morning = g_date_time_new_local (2026, 5, 10, 0, 0, 1);
  g_autoptr(GDateTime) exactly_evening = g_date_time_new_local (2026, 5, 10, 23, 59, 59);
  g_autoptr(GDateTime) day_after = g_date_time_new_local (2026, 5, 11, 0, 0, 1);
  g_autoptr(GDateTime) leap_before = g_date_time_new_local (2025, 2, 28, 18, 0, 0);
  g_autoptr(GDateTime) leap_after = g_date_time_new_local (2025, 3, 1, 8, 0, 0);

  /* Verified on 10 May 2025: current until exactly twelve months later, whatever the hour. */
  g_assert_false (stale_on ("2025-05-10", day_before));
  g_assert_false (stale_on ("2025-05-10", exactly_morning));
  g_assert_false (stale_on ("2025-05-10", exactly_evening));
  g_assert_true (stale_on ("2025-05-10", day_after));
  /* A day less or more than twelve months on the same day. */
  g_assert_false (stale_on ("2025-05-11", exactly_evening));
  g_assert_true (stale_on ("2025-05-09", exactly_morning));
  /* Never verified, or an unreadable date: possibly out of date. */
  g_assert_true (stale_on (NULL, day_before));
  g_assert_true (stale_on ("10/05/2025", day_before));
  /* 29 February: twelve months later ends on 28 February. */
  g_assert_false (stale_on ("2024-02-29", leap_before));
  g_assert_true (stale_on ("2024-02-29", leap_after));
  /* A date in the future is not stale. */
  g_assert_false (stale_on ("2027-01-01", day_before));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/contacts/search", Fixture, NULL, fixture_set_up, test_search, fixture_tear_down);
  g_test_add ("/contacts/filters", Fixture, NULL, fixture_set_up, test_filters, fixture_tear_down);
  g_test_add ("/contacts/incremental", Fixture, NULL, fixture_set_up, test_incremental, fixture_tear_down);
  g_test_add_func ("/contacts/stale-boundary", test_stale_boundary);

  return g_test_run ();
}
