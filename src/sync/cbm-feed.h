/* cbm-feed.h
 *
 * Copyright 2026 The CBM Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "cbm-core.h"

G_BEGIN_DECLS

#define CBM_FEED_ERROR (cbm_feed_error_quark ())

typedef enum {
  CBM_FEED_ERROR_TOO_LARGE,
  CBM_FEED_ERROR_NOT_UTF8,
  CBM_FEED_ERROR_SYNTAX,
  CBM_FEED_ERROR_TOO_DEEP,
  CBM_FEED_ERROR_INVALID,
  CBM_FEED_ERROR_UNSUPPORTED,
} CbmFeedError;

/* The largest JSON file a client accepts, and the deepest nesting (json-glib 1.6 recurses
 * without a limit and overflows the stack on deep input). */
#define CBM_FEED_MAX_BYTES (8 * 1024 * 1024)
#define CBM_FEED_MAX_DEPTH 64

/* A file the index points at. */
typedef struct
{
  char *code;     /* for countries; NULL for events */
  char *href;
  char *sha256;
  char *updated;
} CbmFeedEntry;

typedef struct
{
  gint64     format;
  char      *publisher;
  char      *generated;
  GPtrArray *countries;     /* CbmFeedEntry */
  CbmFeedEntry *events;     /* or NULL */
  char      *registrations; /* href, or NULL when the repository takes none */
} CbmFeedIndex;

GQuark        cbm_feed_error_quark  (void);

gboolean      cbm_feed_is_valid_id     (const char  *id);
gboolean      cbm_feed_is_valid_code   (const char  *code);
gboolean      cbm_feed_is_valid_sha256 (const char  *sha256);

CbmFeedIndex *cbm_feed_parse_index     (const char  *file_name,
                                        GBytes      *bytes,
                                        GError     **error);
CbmCountry   *cbm_feed_parse_country   (const char  *file_name,
                                        GBytes      *bytes,
                                        GError     **error);
GPtrArray    *cbm_feed_parse_events    (const char  *file_name,
                                        GBytes      *bytes,
                                        GError     **error);

void          cbm_feed_index_free      (CbmFeedIndex *index);
void          cbm_feed_entry_free      (CbmFeedEntry *entry);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CbmFeedIndex, cbm_feed_index_free)

G_END_DECLS
