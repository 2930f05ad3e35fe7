/* cbm-text.c
 *
 * Copyright 2026 The CBM Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "cbm-text.h"

const char * const cbm_languages[CBM_N_LANGUAGES + 1] = { "es", "en", "fr", "pt", NULL };

/**
 * cbm_text_fold:
 * @text: UTF-8 text
 *
 * Folds @text for accent- and case-insensitive matching: decomposes it, drops the combining
 * marks and case-folds the rest, so "Perú", "PERU" and "peru" all give "peru".
 */
char *
cbm_text_fold (const char *text)
{
  g_autofree char *decomposed = NULL;
  g_autofree char *folded = NULL;
  GString *out;

  if (text == NULL)
    return g_strdup ("");

  decomposed = g_utf8_normalize (text, -1, G_NORMALIZE_NFKD);
  if (decomposed == NULL)
    return g_strdup ("");

  out = g_string_sized_new (strlen (decomposed));
  for (const char *p = decomposed; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      GUnicodeType type = g_unichar_type (c);

      if (type == G_UNICODE_NON_SPACING_MARK ||
          type == G_UNICODE_SPACING_MARK ||
          type == G_UNICODE_ENCLOSING_MARK)
        continue;
      g_string_append_unichar (out, c);
    }

  folded = g_string_free (out, FALSE);
  return g_utf8_casefold (folded, -1);
}

/* Every word of the needle must start a word of the haystack or occur inside it; both are
 * already folded. */
gboolean
cbm_text_matches (const char *folded_haystack,
                  const char *folded_needle)
{
  g_auto(GStrv) words = NULL;

  if (folded_needle == NULL || *folded_needle == '\0')
    return TRUE;
  if (folded_haystack == NULL)
    return FALSE;

  words = g_strsplit_set (folded_needle, " \t\n", -1);
  for (guint i = 0; words[i] != NULL; i++)
    {
      if (*words[i] == '\0')
        continue;
      if (strstr (folded_haystack, words[i]) == NULL)
        return FALSE;
    }
  return TRUE;
}

/**
 * cbm_text_user_language:
 *
 * Returns: the first of the user's languages (LANGUAGE, LC_ALL, LC_MESSAGES, LANG) that the
 *   app has content for, or "en".
 */
const char *
cbm_text_user_language (void)
{
  const char * const *names = g_get_language_names ();

  for (guint i = 0; names[i] != NULL; i++)
    for (guint j = 0; j < CBM_N_LANGUAGES; j++)
      if (g_str_has_prefix (names[i], cbm_languages[j]) &&
          (names[i][2] == '\0' || names[i][2] == '_' || names[i][2] == '.' || names[i][2] == '@'))
        return cbm_languages[j];

  return "en";
}

/**
 * cbm_text_pick:
 * @map: (nullable): a language map, `a{ss}`
 * @language: the wanted language
 * @picked_language: (out) (optional): the language of the returned text
 *
 * Picks the text in @language, then English, then any language, as the feed protocol says.
 *
 * Returns: (nullable): the text, owned by @map
 */
const char *
cbm_text_pick (GVariant   *map,
               const char *language,
               const char **picked_language)
{
  const char *candidates[] = { language, "en" };
  GVariantIter iter;
  const char *key;
  const char *value;

  if (picked_language != NULL)
    *picked_language = NULL;
  if (map == NULL || !g_variant_is_of_type (map, G_VARIANT_TYPE ("a{ss}")))
    return NULL;

  for (guint i = 0; i < G_N_ELEMENTS (candidates); i++)
    {
      g_variant_iter_init (&iter, map);
      while (g_variant_iter_next (&iter, "{&s&s}", &key, &value))
        if (candidates[i] != NULL && g_str_equal (key, candidates[i]) && *value != '\0')
          {
            if (picked_language != NULL)
              *picked_language = key;
            return value;
          }
    }

  g_variant_iter_init (&iter, map);
  while (g_variant_iter_next (&iter, "{&s&s}", &key, &value))
    if (*value != '\0')
      {
        if (picked_language != NULL)
          *picked_language = key;
        return value;
      }

  return NULL;
}

/**
 * cbm_text_map_new:
 * @language: first language code
 * @text: its text
 * @...: more pairs, then %NULL
 *
 * Returns: (transfer floating): a language map
 */
GVariant *
cbm_text_map_new (const char *language,
                  const char *text,
                  ...)
{
  GVariantBuilder builder;
  va_list args;

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a{ss}"));
  va_start (args, text);
  while (language != NULL)
    {
      g_variant_builder_add (&builder, "{ss}", language, text ? text : "");
      language = va_arg (args, const char *);
      if (language != NULL)
        text = va_arg (args, const char *);
    }
  va_end (args);
  return g_variant_builder_end (&builder);
}

/**
 * cbm_text_get_language_name:
 * @code: a language code from the feed
 *
 * Returns: the language's name in the user's language, or @code for one the app does not know
 */
const char *
cbm_text_get_language_name (const char *code)
{
  if (g_strcmp0 (code, "es") == 0)
    return _("Spanish");
  if (g_strcmp0 (code, "en") == 0)
    return _("English");
  if (g_strcmp0 (code, "fr") == 0)
    return _("French");
  if (g_strcmp0 (code, "pt") == 0)
    return _("Portuguese");
  return code;
}

/* Content lines of vCard and iCalendar are at most 75 octets. */
#define MAX_LINE_OCTETS 75

/**
 * cbm_text_append_folded_line:
 * @out: where to write
 * @line: one content line, without its line break
 *
 * Appends @line folded into lines of at most 75 octets, each ended by CRLF; a continuation
 * line starts with a space. A multi-octet UTF-8 character is never split, as vCard
 * (RFC 6350 §3.2) and iCalendar (RFC 5545 §3.1) both require.
 */
void
cbm_text_append_folded_line (GString    *out,
                       const char *line)
{
  gsize len = strlen (line);
  gsize pos = 0;
  gsize limit = MAX_LINE_OCTETS;

  while (len - pos > limit)
    {
      gsize cut = pos + limit;

      while (cut > pos + 1 && ((guchar) line[cut] & 0xc0) == 0x80)
        cut--;
      g_string_append_len (out, line + pos, cut - pos);
      g_string_append (out, "\r\n ");
      pos = cut;
      /* The leading space counts towards the 75 octets. */
      limit = MAX_LINE_OCTETS - 1;
    }
  g_string_append_len (out, line + pos, len - pos);
  g_string_append (out, "\r\n");
}

/**
 * cbm_text_escape_value:
 *
 * @text: (nullable): UTF-8 text
 *
 * Escapes a text value of iCalendar (RFC 5545 §3.3.11) or vCard (RFC 6350 §3.4), which share
 * one rule: backslash, semicolon, comma and newlines are escaped; a tab becomes a space and
 * other control characters, which neither format allows, are dropped. Semicolons are escaped
 * everywhere, as vCard's compound values need and its readers expect.
 *
 * Returns: (transfer full): the escaped text
 */
char *
cbm_text_escape_value (const char *text)
{
  GString *out = g_string_new (NULL);

  for (const char *p = text ? text : ""; *p != '\0'; p++)
    {
      switch (*p)
        {
        case '\\':
          g_string_append (out, "\\\\");
          break;
        case ';':
          g_string_append (out, "\\;");
          break;
        case ',':
          g_string_append (out, "\\,");
          break;
        case '\r':
          if (p[1] == '\n')
            p++;
          g_string_append (out, "\\n");
          break;
        case '\n':
          g_string_append (out, "\\n");
          break;
        default:
          if ((guchar) *p >= 0x20 && *p != 0x7f)
            g_string_append_c (out, *p);
          else if (*p == '\t')
            g_string_append_c (out, ' ');
          break;
        }
    }
  return g_string_free (out, FALSE);
}
