/* cbm-registration-store.h
 *
 * Copyright 2026 The CBM Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define CBM_TYPE_REGISTRATION_STORE (cbm_registration_store_get_type ())

G_DECLARE_FINAL_TYPE (CbmRegistrationStore, cbm_registration_store, CBM, REGISTRATION_STORE, GObject)

/* Columns of each row returned by cbm_registration_store_list(). */
enum
{
  CBM_REGISTRATION_COLUMN_ID,
  CBM_REGISTRATION_COLUMN_EVENT,
  CBM_REGISTRATION_COLUMN_COUNTRY,
  CBM_REGISTRATION_COLUMN_NAME,
  CBM_REGISTRATION_COLUMN_EMAIL,
  CBM_REGISTRATION_COLUMN_STATUS,
  CBM_REGISTRATION_COLUMN_CREATED,
  CBM_REGISTRATION_N_COLUMNS
};

CbmRegistrationStore *cbm_registration_store_open         (const char            *path,
                                                           GError               **error) G_GNUC_WARN_UNUSED_RESULT;
gboolean              cbm_registration_store_find_key     (CbmRegistrationStore  *self,
                                                           const char            *key,
                                                           char                 **id,
                                                           char                 **canonical_body,
                                                           gboolean              *found,
                                                           GError               **error);
gboolean              cbm_registration_store_count_active (CbmRegistrationStore  *self,
                                                           const char            *event,
                                                           gint64                *count,
                                                           GError               **error);
char                 *cbm_registration_store_insert       (CbmRegistrationStore  *self,
                                                           const char            *key,
                                                           const char            *canonical_body,
                                                           JsonObject            *body,
                                                           GDateTime             *created,
                                                           GError               **error) G_GNUC_WARN_UNUSED_RESULT;
gboolean              cbm_registration_store_get          (CbmRegistrationStore  *self,
                                                           const char            *id,
                                                           char                 **event,
                                                           char                 **status,
                                                           gboolean              *found,
                                                           GError               **error);
GPtrArray            *cbm_registration_store_list         (CbmRegistrationStore  *self,
                                                           GError               **error) G_GNUC_WARN_UNUSED_RESULT;
gboolean              cbm_registration_store_set_status   (CbmRegistrationStore  *self,
                                                           const char            *id,
                                                           const char            *status,
                                                           GError               **error);
gboolean              cbm_registration_status_is_valid    (const char            *status);

G_END_DECLS
