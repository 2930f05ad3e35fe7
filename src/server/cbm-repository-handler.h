/* cbm-repository-handler.h
 *
 * Copyright 2026 The CBM Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

#include "cbm-serve-faults.h"

G_BEGIN_DECLS

#define CBM_TYPE_REPOSITORY_HANDLER (cbm_repository_handler_get_type ())

G_DECLARE_FINAL_TYPE (CbmRepositoryHandler, cbm_repository_handler, CBM, REPOSITORY_HANDLER, GObject)

/* Size of the body served by the huge-body fault: past a client's 16 MiB cap. */
#define CBM_REPOSITORY_HUGE_BODY_BYTES ((gsize) 17 * 1024 * 1024)

CbmRepositoryHandler *cbm_repository_handler_new    (const char           *root,
                                                     CbmServeFaults        faults,
                                                     GError              **error) G_GNUC_WARN_UNUSED_RESULT;
const char           *cbm_repository_handler_get_root (CbmRepositoryHandler *self);
void                  cbm_repository_handler_handle (CbmRepositoryHandler *self,
                                                     SoupServerMessage    *msg,
                                                     const char           *path);

G_END_DECLS
