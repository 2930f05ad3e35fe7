/* cbm-search-result.h
 *
 * Copyright 2026 The CBM Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* Snippets mark the matched words with these two control characters, which never occur in
 * indexed text (the indexer turns control characters into spaces). */
#define CBM_SEARCH_MARK_START "\x02"
#define CBM_SEARCH_MARK_END   "\x03"

#define CBM_TYPE_SEARCH_RESULT (cbm_search_result_get_type ())

G_DECLARE_FINAL_TYPE (CbmSearchResult, cbm_search_result, CBM, SEARCH_RESULT, GObject)

struct _CbmSearchResult
{
  GObject  parent_instance;

  char    *document_id;
  char    *country;
  int      page;      /* 0-based */
  char    *snippet;   /* matches between CBM_SEARCH_MARK_START and CBM_SEARCH_MARK_END */
  double   rank;      /* bm25: lower is better */
};

CbmSearchResult *cbm_search_result_new            (void) G_GNUC_WARN_UNUSED_RESULT;
char            *cbm_search_snippet_to_markup     (const char *snippet) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
