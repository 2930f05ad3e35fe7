/* cbm-search-query.h
 *
 * Copyright 2026 The CBM Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* What the user typed is cut to this many characters and terms. */
#define CBM_SEARCH_QUERY_MAX_CHARS 1000
#define CBM_SEARCH_QUERY_MAX_TERMS 32

char *cbm_search_query_to_match (const char *text) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
