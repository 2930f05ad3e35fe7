/* cbm-store-outbox.h
 *
 * Copyright 2026 The CBM Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "cbm-registration.h"
#include "cbm-store.h"

G_BEGIN_DECLS

GListModel      *cbm_store_get_registrations             (CbmStore            *self);
CbmRegistration *cbm_store_find_registration             (CbmStore            *self,
                                                          gint64               local_id);
gboolean         cbm_store_is_registered                 (CbmStore            *self,
                                                          const char          *event_id);

void             cbm_store_reload_registrations_async    (CbmStore            *self,
                                                          GCancellable        *cancellable,
                                                          GAsyncReadyCallback  callback,
                                                          gpointer             user_data);
gboolean         cbm_store_reload_registrations_finish   (CbmStore            *self,
                                                          GAsyncResult        *result,
                                                          GError             **error);

void             cbm_store_retry_registrations_now_async  (CbmStore            *self,
                                                          GCancellable        *cancellable,
                                                          GAsyncReadyCallback  callback,
                                                          gpointer             user_data);
gboolean         cbm_store_retry_registrations_now_finish (CbmStore           *self,
                                                          GAsyncResult        *result,
                                                          GError             **error);

void             cbm_store_save_draft_async              (CbmStore            *self,
                                                          const char          *event_id,
                                                          GVariant            *fields,
                                                          GCancellable        *cancellable,
                                                          GAsyncReadyCallback  callback,
                                                          gpointer             user_data);
gboolean         cbm_store_save_draft_finish             (CbmStore            *self,
                                                          GAsyncResult        *result,
                                                          GError             **error);
void             cbm_store_load_draft_async              (CbmStore            *self,
                                                          const char          *event_id,
                                                          GCancellable        *cancellable,
                                                          GAsyncReadyCallback  callback,
                                                          gpointer             user_data);
GVariant        *cbm_store_load_draft_finish             (CbmStore            *self,
                                                          GAsyncResult        *result,
                                                          GError             **error);

void             cbm_store_submit_registration_async     (CbmStore            *self,
                                                          CbmRegistration     *registration,
                                                          GCancellable        *cancellable,
                                                          GAsyncReadyCallback  callback,
                                                          gpointer             user_data);
CbmRegistration *cbm_store_submit_registration_finish    (CbmStore            *self,
                                                          GAsyncResult        *result,
                                                          GError             **error);

void             cbm_store_claim_registration_async      (CbmStore            *self,
                                                          gint64               local_id,
                                                          GCancellable        *cancellable,
                                                          GAsyncReadyCallback  callback,
                                                          gpointer             user_data);
CbmRegistration *cbm_store_claim_registration_finish     (CbmStore            *self,
                                                          GAsyncResult        *result,
                                                          GError             **error);

void             cbm_store_update_registration_async     (CbmStore            *self,
                                                          CbmRegistration     *registration,
                                                          GCancellable        *cancellable,
                                                          GAsyncReadyCallback  callback,
                                                          gpointer             user_data);
gboolean         cbm_store_update_registration_finish    (CbmStore            *self,
                                                          GAsyncResult        *result,
                                                          GError             **error);

void             cbm_store_withdraw_registration_async   (CbmStore            *self,
                                                          gint64               local_id,
                                                          GCancellable        *cancellable,
                                                          GAsyncReadyCallback  callback,
                                                          gpointer             user_data);
gboolean         cbm_store_withdraw_registration_finish  (CbmStore            *self,
                                                          GAsyncResult        *result,
                                                          GError             **error);

G_END_DECLS
