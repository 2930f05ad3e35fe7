/* cbm-search-query.c
 *
 * Copyright 2026 The CBM Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "cbm-search-query.h"

/* The user's text never reaches FTS5 as syntax. It is cut into words the way the unicode61
 * tokenizer cuts text (letters, digits and marks; everything else separates), and every word
 * or phrase goes out double-quoted, so `AND`, `NEAR(`, `-`, `:` or `^` are only words or
 * separators and an unbalanced quote just ends at the end of the text. */

static gboolean
is_word_char (gunichar c)
{
  return g_unichar_isalnum (c) || g_unichar_ismark (c) ||
         g_unichar_type (c) == G_UNICODE_PRIVATE_USE;
}

static gboolean
is_quote (gunichar c)
{
  return c == '"' || c == 0x201C || c == 0x201D || c == 0x201E || c == 0xAB || c == 0xBB;
}

typedef struct
{
  GString *match;
  guint    n_terms;
} Builder;

static void
emit (Builder   *builder,
      GPtrArray *words,
      gboolean   prefix)
{
  if (words->len == 0 || builder->n_terms >= CBM_SEARCH_QUERY_MAX_TERMS)
    {
      g_ptr_array_set_size (words, 0);
      return;
    }

  if (builder->match->len > 0)
    g_string_append_c (builder->match, ' ');
  g_string_append_c (builder->match, '"');
  for (guint i = 0; i < words->len; i++)
    {
      if (i > 0)
        g_string_append_c (builder->match, ' ');
      g_string_append (builder->match, g_ptr_array_index (words, i));
    }
  g_string_append_c (builder->match, '"');
  if (prefix)
    g_string_append (builder->match, " *");

  builder->n_terms++;
  g_ptr_array_set_size (words, 0);
}

/**
 * cbm_search_query_to_match:
 * @text: (nullable): what the user typed, in any encoding
 *
 * Words match anywhere on a page (all of them), "quoted words" match as a phrase and a word
 * followed by `*` matches as a prefix.
 *
 * Returns: (nullable): an FTS5 MATCH expression, or %NULL when @text has nothing to search for
 */
char *
cbm_search_query_to_match (const char *text)
{
  g_autofree char *valid = NULL;
  g_autofree char *normal = NULL;
  g_autoptr(GPtrArray) words = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) match = g_string_new (NULL);
  Builder builder = { match, 0 };
  gboolean in_quote = FALSE;
  const char *p;

  if (text == NULL)
    return NULL;

  valid = g_utf8_make_valid (text, -1);
  if (g_utf8_strlen (valid, -1) > CBM_SEARCH_QUERY_MAX_CHARS)
    *g_utf8_offset_to_pointer (valid, CBM_SEARCH_QUERY_MAX_CHARS) = '\0';
  normal = g_utf8_normalize (valid, -1, G_NORMALIZE_NFC);
  if (normal == NULL)
    return NULL;

  p = normal;
  while (*p != '\0')
    {
      gunichar c = g_utf8_get_char (p);

      if (is_word_char (c))
        {
          const char *start = p;

          while (*p != '\0' && is_word_char (g_utf8_get_char (p)))
            p = g_utf8_next_char (p);
          g_ptr_array_add (words, g_strndup (start, p - start));

          if (!in_quote)
            {
              gboolean prefix = *p == '*';

              emit (&builder, words, prefix);
              if (prefix)
                p++;
            }
          continue;
        }

      if (is_quote (c))
        {
          if (in_quote)
            emit (&builder, words, FALSE);
          in_quote = !in_quote;
        }
      p = g_utf8_next_char (p);
    }

  /* An unbalanced quote runs to the end of the text. */
  emit (&builder, words, FALSE);

  if (match->len == 0)
    return NULL;
  return g_string_free (g_steal_pointer (&match), FALSE);
}
