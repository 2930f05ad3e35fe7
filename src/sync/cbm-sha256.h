/* cbm-sha256.h
 *
 * Copyright 2026 The CBM Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A running sha256, as GChecksum, on GnuTLS: it uses the processor's SHA instructions and
 * hashes about four times as fast, and a sync hashes every byte it fetches. */
typedef struct _CbmSha256 CbmSha256;

CbmSha256  *cbm_sha256_new        (void);
void        cbm_sha256_update     (CbmSha256    *self,
                                   const guchar *data,
                                   gsize         length);
const char *cbm_sha256_get_string (CbmSha256    *self);
void        cbm_sha256_free       (CbmSha256    *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CbmSha256, cbm_sha256_free)

G_END_DECLS
