/* test-ui-languages.c
 *
 * Copyright 2026 The CBM Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Starts the application in one language (--lang=es|en|fr|pt; one process per language,
 * since GTK cannot be initialised twice with different locales) on a fresh data folder, and
 * checks that known widgets carry the text of that language: the view switcher, the search
 * entry, a country row and a date on the country page. The expected texts come from the
 * built catalogs and the repository data at run time, never from this file.
 */

#include "config.h"

#include "cbm-test-ui.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <gtk/gtk.h>
#include <locale.h>

#include "cbm-application.h"
#include "cbm-countries-view.h"
#include "cbm-country-page.h"
#include "cbm-country-row.h"
#include "cbm-text.h"

static const char *test_lang;

/* Whether some GtkLabel under @root shows exactly @text (or contains it, if @part). */
static gboolean
has_label (GtkWidget  *root,
           const char *text,
           gboolean    part)
{
  if (GTK_IS_LABEL (root))
    {
      const char *label = gtk_label_get_text (GTK_LABEL (root));

      if (part ? strstr (label, text) != NULL : g_strcmp0 (label, text) == 0)
        return TRUE;
    }

  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (has_label (child, text, part))
      return TRUE;
  return FALSE;
}

/* A translation from the built catalog. When @differs, it must differ from the English
 * source for es/fr/pt, so a missing or unbound catalog fails here (French writes
 * "Contacts" as English does, so not every word can be held to that). */
static const char *
expect_translation (const char *context,
                    const char *msgid,
                    gboolean    differs)
{
  const char *text = context != NULL ? g_dpgettext2 (GETTEXT_PACKAGE, context, msgid)
                                     : g_dgettext (GETTEXT_PACKAGE, msgid);

  g_test_message ("%s: \"%s\" → \"%s\"", test_lang, msgid, text);
  if (differs && g_strcmp0 (test_lang, "en") != 0)
    g_assert_cmpstr (text, !=, msgid);
  return text;
}

static CbmCountry *
find_country (GListModel *model,
              const char *code)
{
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(CbmCountry) country = g_list_model_get_item (model, i);

      if (g_strcmp0 (country->code, code) == 0)
        return g_steal_pointer (&country);
    }
  return NULL;
}

/* @date in the C locale with the English source format, to compare against. */
static char *
format_english_date (GDateTime *date)
{
  locale_t c_locale = newlocale (LC_ALL_MASK, "C", (locale_t) 0);
  locale_t old = uselocale (c_locale);
  char *text = g_date_time_format (date, "%-d %B %Y");

  uselocale (old);
  freelocale (c_locale);
  return text;
}

static void
test_language (void)
{
  g_autoptr(CbmApplication) app = cbm_application_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(CbmCountry) brazil = NULL;
  GtkWindow *window;
  GtkWidget *view;
  GtkWidget *switcher;
  GtkWidget *entry;
  GtkWidget *row;
  GListModel *model;
  AdwViewStack *stack;
  const char *countries;
  const char *local_name = NULL;
  const char *english_name = NULL;

  g_assert_cmpstr (cbm_text_user_language (), ==, test_lang);

  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  g_application_activate (G_APPLICATION (app));

  window = gtk_application_get_active_window (GTK_APPLICATION (app));
  g_assert_nonnull (window);
  view = cbm_test_find_widget (GTK_WIDGET (window), CBM_TYPE_COUNTRIES_VIEW);
  g_assert_nonnull (view);
  model = cbm_countries_view_get_model (CBM_COUNTRIES_VIEW (view));
  cbm_test_wait_for_items (model, 35);
  cbm_test_spin (200);

  /* The view switcher: the stack page's title and the switcher's button. */
  countries = expect_translation (NULL, "Countries", TRUE);
  switcher = cbm_test_find_widget (GTK_WIDGET (window), ADW_TYPE_VIEW_SWITCHER_TITLE);
  g_assert_nonnull (switcher);
  stack = adw_view_switcher_title_get_stack (ADW_VIEW_SWITCHER_TITLE (switcher));
  g_assert_nonnull (stack);
  g_assert_cmpstr (adw_view_stack_page_get_title (adw_view_stack_get_page (stack, adw_view_stack_get_child_by_name (stack, "countries"))),
                   ==, countries);
  switcher = cbm_test_find_widget (switcher, ADW_TYPE_VIEW_SWITCHER);
  g_assert_nonnull (switcher);
  g_assert_true (has_label (switcher, countries, FALSE));
  g_assert_true (has_label (switcher, expect_translation (NULL, "Contacts", FALSE), FALSE));
  g_assert_true (has_label (switcher, expect_translation (NULL, "Workshops", TRUE), FALSE));

  /* The search entry's placeholder. */
  entry = cbm_test_find_widget (view, GTK_TYPE_SEARCH_ENTRY);
  g_assert_nonnull (entry);
  {
    g_autofree char *placeholder = NULL;

    g_object_get (entry, "placeholder-text", &placeholder, NULL);
    g_assert_cmpstr (placeholder, ==, expect_translation (NULL, "Search countries", TRUE));
  }

  /* Brazil's row shows its name in this language, as the repository writes it. */
  brazil = find_country (model, "BR");
  g_assert_nonnull (brazil);
  g_assert_true (g_variant_lookup (brazil->names, test_lang, "&s", &local_name));
  g_assert_true (g_variant_lookup (brazil->names, "en", "&s", &english_name));
  if (g_strcmp0 (test_lang, "en") != 0)
    g_assert_cmpstr (local_name, !=, english_name);
  gtk_editable_set_text (GTK_EDITABLE (entry), local_name);
  cbm_test_spin (500);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 1);
  row = cbm_test_find_widget (view, CBM_TYPE_COUNTRY_ROW);
  g_assert_nonnull (row);
  g_assert_true (has_label (row, local_name, FALSE));

  /* The country page writes a document's date in this language. */
  g_assert_true (cbm_countries_view_select_country (CBM_COUNTRIES_VIEW (view), "BR"));
  cbm_test_spin (300);
  {
    GtkWidget *page = cbm_test_find_widget (view, CBM_TYPE_COUNTRY_PAGE);
    CbmCountry *shown;
    g_autoptr(CbmDocument) document = NULL;
    g_autoptr(GDateTime) date = NULL;
    g_autofree char *expected = NULL;
    g_autofree char *english = NULL;
    g_autofree char *iso = NULL;

    g_assert_nonnull (page);
    shown = cbm_country_page_get_country (CBM_COUNTRY_PAGE (page));
    g_assert_nonnull (shown);
    g_assert_cmpstr (shown->code, ==, "BR");
    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (shown->documents)), >, 0);
    document = g_list_model_get_item (G_LIST_MODEL (shown->documents), 0);
    g_assert_nonnull (document->date);
    iso = g_strconcat (document->date, "T12:00:00Z", NULL);
    date = g_date_time_new_from_iso8601 (iso, NULL);
    g_assert_nonnull (date);
    expected = g_date_time_format (date, expect_translation ("long date", "%-d %B %Y", FALSE));
    english = format_english_date (date);
    g_test_message ("%s: %s → %s", test_lang, english, expected);
    if (g_strcmp0 (test_lang, "en") != 0)
      g_assert_cmpstr (expected, !=, english);
    else
      g_assert_cmpstr (expected, ==, english);
    g_assert_true (has_label (page, expected, TRUE));
  }

  gtk_window_destroy (window);
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

int
main (int   argc,
      char *argv[])
{
  static const struct { const char *lang; const char *locale; } locales[] = {
    { "en", "en_US.UTF-8" },
    { "es", "es_ES.UTF-8" },
    { "fr", "fr_FR.UTF-8" },
    { "pt", "pt_BR.UTF-8" },
  };
  g_autofree char *home = g_dir_make_tmp ("cbm-ui-XXXXXX", NULL);
  g_autofree char *path = NULL;
  const char *locale = NULL;
  int j = 1;

  /* --lang=xx is ours; everything else goes to GTest. */
  for (int i = 1; i < argc; i++)
    {
      if (g_str_has_prefix (argv[i], "--lang="))
        test_lang = argv[i] + strlen ("--lang=");
      else
        argv[j++] = argv[i];
    }
  argc = j;
  argv[argc] = NULL;
  for (guint i = 0; i < G_N_ELEMENTS (locales); i++)
    if (g_strcmp0 (test_lang, locales[i].lang) == 0)
      locale = locales[i].locale;
  if (locale == NULL)
    g_error ("usage: test-ui-languages --lang=en|es|fr|pt");

  /* Before GTK sets the locale: LANGUAGE alone is ignored under the C locale. */
  g_setenv ("XDG_DATA_HOME", home, TRUE);
  g_setenv ("LANGUAGE", test_lang, TRUE);
  g_setenv ("LC_ALL", locale, TRUE);
  gtk_test_init (&argc, &argv, NULL);
  /* gtk_test_init () pins the locale to en_US for reproducible tests; this test wants the
   * user's locale, as main.c sets it. */
  if (setlocale (LC_ALL, "") == NULL || g_strcmp0 (setlocale (LC_TIME, NULL), locale) != 0)
    g_error ("locale %s is not available (generate it with locale-gen)", locale);

  /* As main.c does. */
  g_assert_nonnull (g_getenv ("CBM_LOCALEDIR"));
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("CBM_LOCALEDIR"));
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  path = g_strdup_printf ("/ui/languages/%s", test_lang);
  g_test_add_func (path, test_language);
  return g_test_run ();
}
