/* cbm-text.h
 *
 * Copyright 2026 The CBM Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The four languages of the catalogs and of the repository's content. */
#define CBM_N_LANGUAGES 4
extern const char * const cbm_languages[CBM_N_LANGUAGES + 1];

char       *cbm_text_fold          (const char *text) G_GNUC_WARN_UNUSED_RESULT;
gboolean    cbm_text_matches       (const char *folded_haystack,
                                    const char *folded_needle);
const char *cbm_text_user_language (void);
const char *cbm_text_pick          (GVariant   *map,
                                    const char *language,
                                    const char **picked_language);
const char *cbm_text_get_language_name (const char *code);
char       *cbm_text_escape_value       (const char *text) G_GNUC_WARN_UNUSED_RESULT;
void        cbm_text_append_folded_line (GString    *out,
                                         const char *line);
GVariant   *cbm_text_map_new       (const char *language,
                                    const char *text,
                                    ...) G_GNUC_NULL_TERMINATED;

G_END_DECLS
