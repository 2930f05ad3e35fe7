/* cbm-sync-client.h
 *
 * Copyright 2026 The CBM Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "cbm-core.h"
#include "cbm-fetcher.h"

G_BEGIN_DECLS

/* The default cap on one PDF: 200 MiB. */
#define CBM_SYNC_DEFAULT_MAX_DOCUMENT_SIZE ((guint64) 200 * 1024 * 1024)

/* What a finished sync did. */
typedef struct
{
  GPtrArray *changes;            /* CbmStoreChanges, one per applied file */
  GPtrArray *problems;           /* GError, one per file that could not be used; the sync went on */
  guint      n_requests;         /* requests sent, retries and redirects included */
  guint      n_not_modified;     /* of which answered 304 (or an unchanged local file) */
  guint64    n_downloaded_bytes;
} CbmSyncReport;

#define CBM_TYPE_SYNC_CLIENT (cbm_sync_client_get_type ())

G_DECLARE_FINAL_TYPE (CbmSyncClient, cbm_sync_client, CBM, SYNC_CLIENT, GObject)

CbmSyncClient *cbm_sync_client_new         (CbmStore            *store);
CbmStore      *cbm_sync_client_get_store   (CbmSyncClient       *self);
gboolean       cbm_sync_client_get_busy    (CbmSyncClient       *self);

void           cbm_sync_client_sync_async  (CbmSyncClient       *self,
                                            const char          *index_url,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
CbmSyncReport *cbm_sync_client_sync_finish (CbmSyncClient       *self,
                                            GAsyncResult        *result,
                                            GError             **error);

void           cbm_sync_report_free        (CbmSyncReport       *report);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CbmSyncReport, cbm_sync_report_free)

G_END_DECLS
