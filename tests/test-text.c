/* test-text.c
 *
 * Copyright 2026 The CBM Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "cbm-core.h"

static void
assert_fold (const char *text,
             const char *expected)
{
  g_autofree char *folded = cbm_text_fold (text);

  g_assert_cmpstr (folded, ==, expected);
}

static void
test_fold (void)
{
  assert_fold ("Perú", "peru");
  assert_fold ("PERU", "peru");
  assert_fold ("Brésil", "bresil");
  assert_fold ("SÃO", "sao");
  assert_fold ("São Tomé", "sao tome");
  assert_fold ("Saint-Kitts", "saint-kitts");
  assert_fold ("ñ", "n");
  assert_fold ("Ñandú", "nandu");
  assert_fold ("Côte d’Ivoire", "cote d’ivoire");
  assert_fold ("Straße", "strasse");
  /* Compatibility decomposition turns the ligature into its letters. */
  assert_fold ("ﬁscal", "fiscal");
  /* Already decomposed input folds the same as precomposed input. */
  assert_fold ("Peru\xcc\x81", "peru");
  assert_fold ("", "");
  assert_fold (NULL, "");
  /* Not UTF-8: nothing sensible to match against, but no crash and no garbage. */
  assert_fold ("Per\xc3\x28", "");
}

static void
test_matches (void)
{
  g_autofree char *haystack = cbm_text_fold ("República Dominicana DO");

  g_assert_true (cbm_text_matches (haystack, "dominicana"));
  g_assert_true (cbm_text_matches (haystack, "rep dom"));
  g_assert_true (cbm_text_matches (haystack, "  dom \t rep  "));
  g_assert_true (cbm_text_matches (haystack, "blica"));
  g_assert_false (cbm_text_matches (haystack, "rep haiti"));
  g_assert_false (cbm_text_matches (haystack, "república"));
  g_assert_true (cbm_text_matches (haystack, ""));
  g_assert_true (cbm_text_matches (haystack, NULL));
  g_assert_true (cbm_text_matches (NULL, ""));
  g_assert_false (cbm_text_matches (NULL, "peru"));
  g_assert_false (cbm_text_matches ("", "peru"));
}

static void
test_pick (void)
{
  g_autoptr(GVariant) full = g_variant_ref_sink (cbm_text_map_new ("es", "Perú", "en", "Peru",
                                                                   "fr", "", "pt", "Peru (pt)",
                                                                   NULL));
  g_autoptr(GVariant) no_english = g_variant_ref_sink (cbm_text_map_new ("fr", "", "pt", "Peru (pt)",
                                                                         NULL));
  g_autoptr(GVariant) empty_values = g_variant_ref_sink (cbm_text_map_new ("es", "", "en", "", NULL));
  g_autoptr(GVariant) empty_map = g_variant_ref_sink (g_variant_new_array (G_VARIANT_TYPE ("{ss}"), NULL, 0));
  g_autoptr(GVariant) wrong_type = g_variant_ref_sink (g_variant_new_string ("Peru"));
  const char *picked = "unset";

  /* The user's language first. */
  g_assert_cmpstr (cbm_text_pick (full, "es", &picked), ==, "Perú");
  g_assert_cmpstr (picked, ==, "es");
  g_assert_cmpstr (cbm_text_pick (full, "pt", &picked), ==, "Peru (pt)");
  g_assert_cmpstr (picked, ==, "pt");

  /* Then English: an empty value counts as absent. */
  g_assert_cmpstr (cbm_text_pick (full, "fr", &picked), ==, "Peru");
  g_assert_cmpstr (picked, ==, "en");
  g_assert_cmpstr (cbm_text_pick (full, "de", &picked), ==, "Peru");
  g_assert_cmpstr (picked, ==, "en");
  g_assert_cmpstr (cbm_text_pick (full, NULL, &picked), ==, "Peru");
  g_assert_cmpstr (picked, ==, "en");

  /* Then any non-empty one. */
  g_assert_cmpstr (cbm_text_pick (no_english, "es", &picked), ==, "Peru (pt)");
  g_assert_cmpstr (picked, ==, "pt");
  g_assert_cmpstr (cbm_text_pick (no_english, "fr", NULL), ==, "Peru (pt)");

  /* Nothing to pick. */
  g_assert_null (cbm_text_pick (empty_values, "es", &picked));
  g_assert_null (picked);
  picked = "unset";
  g_assert_null (cbm_text_pick (empty_map, "es", &picked));
  g_assert_null (picked);
  picked = "unset";
  g_assert_null (cbm_text_pick (NULL, "es", &picked));
  g_assert_null (picked);
  g_assert_null (cbm_text_pick (wrong_type, "es", NULL));
}

static void
test_map_new (void)
{
  g_autoptr(GVariant) map = g_variant_ref_sink (cbm_text_map_new ("es", "Chile", "en", NULL, NULL));
  const char *value;

  g_assert_true (g_variant_is_of_type (map, G_VARIANT_TYPE ("a{ss}")));
  g_assert_cmpuint (g_variant_n_children (map), ==, 2);
  g_assert_true (g_variant_lookup (map, "es", "&s", &value));
  g_assert_cmpstr (value, ==, "Chile");
  /* A NULL text is stored as an empty one, which cbm_text_pick() skips. */
  g_assert_true (g_variant_lookup (map, "en", "&s", &value));
  g_assert_cmpstr (value, ==, "");
  g_assert_cmpstr (cbm_text_pick (map, "en", NULL), ==, "Chile");
}

static void
assert_user_language (const char *language_env,
                      const char *expected)
{
  /* g_get_language_names() caches its answer per value of the environment, so changing
   * LANGUAGE between calls is seen by the next call on this thread. */
  g_setenv ("LANGUAGE", language_env, TRUE);
  g_assert_cmpstr (cbm_text_user_language (), ==, expected);
}

static void
test_user_language (void)
{
  g_autofree char *saved = g_strdup (g_getenv ("LANGUAGE"));

  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  assert_user_language ("es", "es");
  assert_user_language ("fr:en", "fr");
  assert_user_language ("pt_BR", "pt");
  assert_user_language ("pt_BR.UTF-8@euro", "pt");
  assert_user_language ("de:es_MX:en", "es");
  assert_user_language ("en_GB", "en");
  /* Only whole language codes count: Estonian is not Spanish, Esperanto not "es". */
  assert_user_language ("et", "en");
  assert_user_language ("esperanto:eo:et_EE", "en");
  assert_user_language ("de", "en");

  /* Without LANGUAGE, LC_ALL decides; C gives the fallback. */
  g_unsetenv ("LANGUAGE");
  g_setenv ("LC_ALL", "fr_CA.UTF-8", TRUE);
  g_assert_cmpstr (cbm_text_user_language (), ==, "fr");
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  g_assert_cmpstr (cbm_text_user_language (), ==, "en");

  if (saved != NULL)
    g_setenv ("LANGUAGE", saved, TRUE);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/text/fold", test_fold);
  g_test_add_func ("/core/text/matches", test_matches);
  g_test_add_func ("/core/text/pick", test_pick);
  g_test_add_func ("/core/text/map-new", test_map_new);
  g_test_add_func ("/core/text/user-language", test_user_language);

  return g_test_run ();
}
