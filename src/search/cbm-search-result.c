/* cbm-search-result.c
 *
 * Copyright 2026 The CBM Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "cbm-search-result.h"

G_DEFINE_FINAL_TYPE (CbmSearchResult, cbm_search_result, G_TYPE_OBJECT)

static void
cbm_search_result_finalize (GObject *object)
{
  CbmSearchResult *self = CBM_SEARCH_RESULT (object);

  g_clear_pointer (&self->document_id, g_free);
  g_clear_pointer (&self->country, g_free);
  g_clear_pointer (&self->snippet, g_free);

  G_OBJECT_CLASS (cbm_search_result_parent_class)->finalize (object);
}

static void
cbm_search_result_class_init (CbmSearchResultClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cbm_search_result_finalize;
}

static void
cbm_search_result_init (CbmSearchResult *self)
{
}

CbmSearchResult *
cbm_search_result_new (void)
{
  return g_object_new (CBM_TYPE_SEARCH_RESULT, NULL);
}

static void
append_escaped (GString    *markup,
                const char *text,
                gssize      length)
{
  g_autofree char *escaped = g_markup_escape_text (text, length);

  g_string_append (markup, escaped);
}

/**
 * cbm_search_snippet_to_markup:
 * @snippet: a snippet with match markers
 *
 * Everything but the markers is escaped, so text from a PDF can never inject markup.
 *
 * Returns: Pango markup with the matches in bold
 */
char *
cbm_search_snippet_to_markup (const char *snippet)
{
  GString *markup = g_string_new (NULL);
  const char *p = snippet != NULL ? snippet : "";
  gboolean open = FALSE;

  while (*p != '\0')
    {
      gsize span = strcspn (p, CBM_SEARCH_MARK_START CBM_SEARCH_MARK_END);

      append_escaped (markup, p, span);
      p += span;
      if (*p == CBM_SEARCH_MARK_START[0] && !open)
        {
          g_string_append (markup, "<b>");
          open = TRUE;
        }
      else if (*p == CBM_SEARCH_MARK_END[0] && open)
        {
          g_string_append (markup, "</b>");
          open = FALSE;
        }
      if (*p != '\0')
        p++;
    }
  if (open)
    g_string_append (markup, "</b>");

  return g_string_free (markup, FALSE);
}
