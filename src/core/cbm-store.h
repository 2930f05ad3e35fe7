/* cbm-store.h
 *
 * Copyright 2026 The CBM Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "cbm-country.h"
#include "cbm-event.h"

G_BEGIN_DECLS

#define CBM_STORE_ERROR (cbm_store_error_quark ())

typedef enum {
  CBM_STORE_ERROR_OPEN,
  CBM_STORE_ERROR_SQL,
  CBM_STORE_ERROR_DISK_FULL,
  CBM_STORE_ERROR_CLOSED,
} CbmStoreError;

/* What one applied file changed, for the "3 documents updated in Chile" toast. */
typedef struct
{
  char  *country;   /* NULL for events */
  guint  documents_added;
  guint  documents_changed;
  guint  documents_removed;
  guint  contacts_changed;
  guint  events_changed;
} CbmStoreChanges;

/* The conditional-GET state of one URL. */
typedef struct
{
  char *url;
  char *etag;
  char *last_modified;
  char *sha256;
} CbmSyncState;

#define CBM_TYPE_STORE (cbm_store_get_type ())

G_DECLARE_FINAL_TYPE (CbmStore, cbm_store, CBM, STORE, GObject)

GQuark            cbm_store_error_quark            (void);

CbmStore         *cbm_store_new                    (const char          *path);
const char       *cbm_store_get_path               (CbmStore            *self);
const char       *cbm_store_get_files_dir          (CbmStore            *self);
const char       *cbm_store_get_temp_dir           (CbmStore            *self);
char             *cbm_store_dup_file_path          (CbmStore            *self,
                                                    const char          *sha256) G_GNUC_WARN_UNUSED_RESULT;

void              cbm_store_open_async             (CbmStore            *self,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
gboolean          cbm_store_open_finish            (CbmStore            *self,
                                                    GAsyncResult        *result,
                                                    GError             **error);

void              cbm_store_hold_updates           (CbmStore            *self);
void              cbm_store_release_updates        (CbmStore            *self);

GListModel       *cbm_store_get_countries          (CbmStore            *self);
GListModel       *cbm_store_get_contacts           (CbmStore            *self);
GListModel       *cbm_store_get_events             (CbmStore            *self);
CbmCountry       *cbm_store_lookup_country         (CbmStore            *self,
                                                    const char          *code);
const char       *cbm_store_get_meta               (CbmStore            *self,
                                                    const char          *key);
const CbmSyncState *cbm_store_lookup_sync_state    (CbmStore            *self,
                                                    const char          *url);

void              cbm_store_apply_country_async    (CbmStore            *self,
                                                    CbmCountry          *country,
                                                    const CbmSyncState  *state,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
CbmStoreChanges  *cbm_store_apply_country_finish   (CbmStore            *self,
                                                    GAsyncResult        *result,
                                                    GError             **error);
void              cbm_store_apply_events_async     (CbmStore            *self,
                                                    GPtrArray           *events,
                                                    const CbmSyncState  *state,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
CbmStoreChanges  *cbm_store_apply_events_finish    (CbmStore            *self,
                                                    GAsyncResult        *result,
                                                    GError             **error);
void              cbm_store_finish_sync_async      (CbmStore            *self,
                                                    const char * const  *country_codes,
                                                    const char * const  *confirmed,
                                                    GHashTable          *meta,
                                                    GPtrArray           *states,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
gboolean          cbm_store_finish_sync_finish     (CbmStore            *self,
                                                    GAsyncResult        *result,
                                                    GError             **error);

CbmSyncState     *cbm_sync_state_new               (const char          *url,
                                                    const char          *etag,
                                                    const char          *last_modified,
                                                    const char          *sha256);
CbmSyncState     *cbm_sync_state_copy              (const CbmSyncState  *state);
void              cbm_sync_state_free              (CbmSyncState        *state);
void              cbm_store_changes_free           (CbmStoreChanges     *changes);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CbmSyncState, cbm_sync_state_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CbmStoreChanges, cbm_store_changes_free)

G_END_DECLS
