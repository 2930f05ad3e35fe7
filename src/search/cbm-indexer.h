/* cbm-indexer.h
 *
 * Copyright 2026 The CBM Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "cbm-core.h"
#include "cbm-search-result.h"

G_BEGIN_DECLS

#define CBM_INDEXER_ERROR (cbm_indexer_error_quark ())

typedef enum {
  CBM_INDEXER_ERROR_OPEN,
  CBM_INDEXER_ERROR_SQL,
  CBM_INDEXER_ERROR_CLOSED,
} CbmIndexerError;

/* The defaults: a page's text within 10 s, a whole document within 2 minutes. */
#define CBM_INDEXER_DEFAULT_PAGE_TIMEOUT     10000
#define CBM_INDEXER_DEFAULT_DOCUMENT_BUDGET  120000
/* Pages past this one are not indexed; also the width of a document's rowid range. */
#define CBM_INDEXER_MAX_PAGES                100000

/* Each member is %NULL for "any". */
typedef struct
{
  const char *country;   /* ISO code */
  const char *kind;      /* as in the feed: "law", "strategy" … */
  const char *language;
} CbmSearchFilters;

#define CBM_TYPE_INDEXER (cbm_indexer_get_type ())

G_DECLARE_FINAL_TYPE (CbmIndexer, cbm_indexer, CBM, INDEXER, GObject)

GQuark      cbm_indexer_error_quark          (void);

CbmIndexer *cbm_indexer_new                  (CbmStore             *store,
                                              const char           *path) G_GNUC_WARN_UNUSED_RESULT;
CbmStore   *cbm_indexer_get_store            (CbmIndexer           *self);
const char *cbm_indexer_get_path             (CbmIndexer           *self);

guint       cbm_indexer_get_indexed          (CbmIndexer           *self);
guint       cbm_indexer_get_total            (CbmIndexer           *self);
gboolean    cbm_indexer_get_busy             (CbmIndexer           *self);
guint       cbm_indexer_get_n_extracted      (CbmIndexer           *self);
guint       cbm_indexer_get_n_failed         (CbmIndexer           *self);
guint64     cbm_indexer_get_n_extracted_pages (CbmIndexer          *self);
void        cbm_indexer_set_page_timeout     (CbmIndexer           *self,
                                              guint                 timeout_ms);
void        cbm_indexer_set_document_budget  (CbmIndexer           *self,
                                              guint                 budget_ms);

void        cbm_indexer_open_async           (CbmIndexer           *self,
                                              GCancellable         *cancellable,
                                              GAsyncReadyCallback   callback,
                                              gpointer              user_data);
gboolean    cbm_indexer_open_finish          (CbmIndexer           *self,
                                              GAsyncResult         *result,
                                              GError              **error);

void        cbm_indexer_start                (CbmIndexer           *self);
void        cbm_indexer_stop                 (CbmIndexer           *self);

void        cbm_indexer_update_async         (CbmIndexer           *self,
                                              GCancellable         *cancellable,
                                              GAsyncReadyCallback   callback,
                                              gpointer              user_data);
gboolean    cbm_indexer_update_finish        (CbmIndexer           *self,
                                              GAsyncResult         *result,
                                              GError              **error);

void        cbm_indexer_query_async          (CbmIndexer             *self,
                                              const char             *text,
                                              const CbmSearchFilters *filters,
                                              guint                   limit,
                                              GCancellable           *cancellable,
                                              GAsyncReadyCallback     callback,
                                              gpointer                user_data);
GPtrArray  *cbm_indexer_query_finish         (CbmIndexer           *self,
                                              GAsyncResult         *result,
                                              guint                *n_pages,
                                              guint                *n_documents,
                                              GError              **error) G_GNUC_WARN_UNUSED_RESULT;

void        cbm_indexer_add_text_async       (CbmIndexer           *self,
                                              CbmDocument          *document,
                                              GPtrArray            *pages,
                                              GCancellable         *cancellable,
                                              GAsyncReadyCallback   callback,
                                              gpointer              user_data);
gboolean    cbm_indexer_add_text_finish      (CbmIndexer           *self,
                                              GAsyncResult         *result,
                                              GError              **error);

G_END_DECLS
