/* bench-contacts.c
 *
 * Copyright 2026 The CBM Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Time per keystroke of the contact book's search: the sample's contacts replicated 10× and
 * 100×, filtered by the view's own GtkFilter in a non-incremental GtkFilterListModel over a
 * scripted typed query. Prints the median and maximum against the 16 ms frame budget. Needs no
 * display.
 */

#include <gtk/gtk.h>

#include "cbm-contacts-view.h"
#include "cbm-core.h"
#include "cbm-feed.h"

#define TARGET_MS 16.0
#define RUNS 30

static const char * const typed[] = {
  "m", "ma", "mar", "mari", "maria", "maria ", "maria g",
  "maria", "mar", "m", "",
  "c", "ca", "can", "cana", "canad", "canada",
  "e", "es", "est", "esta", "estad", "estado", "estados",
};

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

static void
load_sample (GListStore *countries,
             GPtrArray  *contacts)
{
  const char *root = g_getenv ("CBM_SAMPLE_REPOSITORY");
  g_autofree char *dir_path = NULL;
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  if (root == NULL)
    g_error ("Set CBM_SAMPLE_REPOSITORY to the generated sample repository");
  dir_path = g_build_filename (root, "v1", "countries", NULL);
  dir = g_dir_open (dir_path, 0, &error);
  if (dir == NULL)
    g_error ("%s", error->message);
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

      if (!g_file_get_contents (path, &data, &len, &error))
        g_error ("%s", error->message);
      bytes = g_bytes_new_take (g_steal_pointer (&data), len);
      country = cbm_feed_parse_country (names->pdata[i], bytes, &error);
      if (country == NULL)
        g_error ("%s: %s", (char *) names->pdata[i], error->message);
      g_list_store_append (countries, country);
      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (country->contacts)); j++)
        g_ptr_array_add (contacts, g_list_model_get_item (G_LIST_MODEL (country->contacts), j));
    }
}

/* A copy of @model with a new id, as another nomination of the same kind of person. */
static CbmContact *
replicate (CbmContact *model,
           guint       copy)
{
  CbmContact *contact = cbm_contact_new ();

  contact->id = g_strdup_printf ("%s-%u", model->id, copy);
  contact->country = g_strdup (model->country);
  contact->category = model->category;
  contact->name = g_strdup (model->name);
  contact->position = g_strdup (model->position);
  contact->institution = g_strdup (model->institution);
  contact->email = g_strdup (model->email);
  contact->phone = g_strdup (model->phone);
  contact->languages = g_strdupv (model->languages);
  contact->verified = g_strdup (model->verified);
  cbm_contact_update_key (contact);
  return contact;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

/* Types the script RUNS times; @narrowing tells the filter how the text changed, as the view
 * does; otherwise every keystroke refilters everything. */
static void
run (GPtrArray  *sample,
     GListModel *countries,
     guint       factor,
     gboolean    narrowing,
     double     *median,
     double     *max)
{
  g_autoptr(GListStore) contacts = g_list_store_new (CBM_TYPE_CONTACT);
  g_autoptr(GHashTable) keys = cbm_contacts_country_keys_new (countries);
  g_autoptr(CbmContactQuery) query = cbm_contact_query_new ();
  g_autoptr(GtkFilter) filter = cbm_contacts_filter_new (query, keys);
  g_autoptr(GtkFilterListModel) filtered = NULL;
  g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GPtrArray) all = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint copy = 0; copy < factor; copy++)
    for (guint i = 0; i < sample->len; i++)
      g_ptr_array_add (all, replicate (sample->pdata[i], copy));
  g_list_store_splice (contacts, 0, 0, all->pdata, all->len);

  filtered = gtk_filter_list_model_new (g_object_ref (G_LIST_MODEL (contacts)), g_object_ref (filter));
  gtk_filter_list_model_set_incremental (filtered, FALSE);

  for (guint r = 0; r < RUNS; r++)
    {
      g_autofree char *before = g_strdup ("");

      cbm_contact_query_set_text (query, "");
      gtk_filter_changed (filter, GTK_FILTER_CHANGE_DIFFERENT);

      for (guint k = 0; k < G_N_ELEMENTS (typed); k++)
        {
          gint64 start = g_get_monotonic_time ();
          GtkFilterChange change = GTK_FILTER_CHANGE_DIFFERENT;
          const char *after;
          double ms;

          if (cbm_contact_query_set_text (query, typed[k]))
            {
              after = cbm_contact_query_get_text (query);
              if (narrowing && g_str_has_prefix (after, before))
                change = GTK_FILTER_CHANGE_MORE_STRICT;
              else if (narrowing && g_str_has_prefix (before, after))
                change = GTK_FILTER_CHANGE_LESS_STRICT;
              gtk_filter_changed (filter, change);
            }
          /* The list view asks for the count first. */
          (void) g_list_model_get_n_items (G_LIST_MODEL (filtered));
          ms = (g_get_monotonic_time () - start) / 1000.0;
          g_array_append_val (times, ms);

          g_free (before);
          before = g_strdup (cbm_contact_query_get_text (query));
        }
    }

  g_array_sort (times, compare_doubles);
  *median = g_array_index (times, double, times->len / 2);
  *max = g_array_index (times, double, times->len - 1);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GListStore) countries = g_list_store_new (CBM_TYPE_COUNTRY);
  g_autoptr(GPtrArray) sample = g_ptr_array_new_with_free_func (g_object_unref);
  const guint factors[] = { 10, 100 };
  gboolean ok = TRUE;

  load_sample (countries, sample);
  g_print ("bench-contacts: %u sample contacts; script of %u keystrokes (\"m\" ... \"maria g\", back, "
           "\"canada\", \"estados\"), %u runs\n", sample->len, (guint) G_N_ELEMENTS (typed), RUNS);

  for (guint i = 0; i < G_N_ELEMENTS (factors); i++)
    {
      double ui_median, ui_max, full_median, full_max;

      run (sample, G_LIST_MODEL (countries), factors[i], TRUE, &ui_median, &ui_max);
      run (sample, G_LIST_MODEL (countries), factors[i], FALSE, &full_median, &full_max);
      g_print ("  %3ux (%5u contacts): per keystroke median %.3f ms, max %.3f ms (as the view "
               "filters); full refilter median %.3f ms, max %.3f ms; target < %.0f ms%s\n",
               factors[i], factors[i] * sample->len, ui_median, ui_max, full_median, full_max,
               TARGET_MS, factors[i] == 10 ? (ui_max < TARGET_MS ? ": met" : ": MISSED") : "");
      if (factors[i] == 10 && ui_max >= TARGET_MS)
        ok = FALSE;
    }

  return ok ? 0 : 1;
}
