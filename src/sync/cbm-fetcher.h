/* cbm-fetcher.h
 *
 * Copyright 2026 The CBM Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "cbm-core.h"

G_BEGIN_DECLS

#define CBM_SYNC_ERROR (cbm_sync_error_quark ())

typedef enum {
  CBM_SYNC_ERROR_REFUSED,     /* a URL the rules do not allow */
  CBM_SYNC_ERROR_UNREACHABLE, /* network, DNS, TLS, timeout, connection closed */
  CBM_SYNC_ERROR_SERVER,      /* 5xx */
  CBM_SYNC_ERROR_HTTP,        /* another unexpected status */
  CBM_SYNC_ERROR_TOO_LARGE,
  CBM_SYNC_ERROR_CHECKSUM,
  CBM_SYNC_ERROR_INVALID,     /* a feed file that cannot be used */
  CBM_SYNC_ERROR_BUSY,
} CbmSyncError;

typedef enum {
  CBM_FETCH_FLAGS_NONE       = 0,
  CBM_FETCH_FLAGS_ALLOW_FILE = 1 << 0, /* file:// only when the index itself is file:// */
} CbmFetchFlags;

/* Where a body fetched to a file goes: it is streamed to a new file in @temp_dir, then renamed
 * to @path once its sha256 is @sha256; otherwise it is removed and the fetch fails with
 * CBM_SYNC_ERROR_CHECKSUM. */
typedef struct
{
  const char *temp_dir;
  const char *path;
  const char *sha256;
} CbmFetchTarget;

/* What one fetch brought. */
typedef struct
{
  char     *url;           /* after redirects */
  gboolean  not_modified;
  GBytes   *bytes;         /* when fetched to memory */
  char     *path;          /* when fetched to a file: the target's path, now in place */
  char     *sha256;        /* of the body, computed while reading */
  char     *etag;
  char     *last_modified;
  guint64   size;
} CbmFetchResult;

#define CBM_TYPE_FETCHER (cbm_fetcher_get_type ())

G_DECLARE_FINAL_TYPE (CbmFetcher, cbm_fetcher, CBM, FETCHER, GObject)

GQuark          cbm_sync_error_quark     (void);

gboolean        cbm_fetcher_check_url    (const char           *url,
                                          CbmFetchFlags         flags,
                                          GError              **error);

CbmFetcher     *cbm_fetcher_new          (void);
guint           cbm_fetcher_get_n_requests (CbmFetcher         *self);
void            cbm_fetcher_fetch_async  (CbmFetcher           *self,
                                          const char           *url,
                                          CbmFetchFlags         flags,
                                          const CbmSyncState   *state,
                                          guint64               max_bytes,
                                          const CbmFetchTarget *target,
                                          GCancellable         *cancellable,
                                          GAsyncReadyCallback   callback,
                                          gpointer              user_data);
CbmFetchResult *cbm_fetcher_fetch_finish (CbmFetcher           *self,
                                          GAsyncResult         *result,
                                          GError              **error);

void            cbm_fetch_result_free    (CbmFetchResult       *result);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CbmFetchResult, cbm_fetch_result_free)

G_END_DECLS
