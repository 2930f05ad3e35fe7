/* cbm-sha256.c
 *
 * Copyright 2026 The CBM Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gnutls/crypto.h>

#include "cbm-sha256.h"

#define DIGEST_SIZE 32

struct _CbmSha256
{
  gnutls_hash_hd_t  hash;  /* NULL once finished */
  char             *hex;
};

CbmSha256 *
cbm_sha256_new (void)
{
  CbmSha256 *self = g_new0 (CbmSha256, 1);
  int rc = gnutls_hash_init (&self->hash, GNUTLS_DIG_SHA256);

  /* It fails only when out of memory, as g_malloc() would. */
  if (rc < 0)
    g_error ("sha256 unavailable: %s", gnutls_strerror (rc));
  return self;
}

void
cbm_sha256_update (CbmSha256    *self,
                   const guchar *data,
                   gsize         length)
{
  g_return_if_fail (self->hex == NULL);

  gnutls_hash (self->hash, data, length);
}

/* The digest in lower-case hex. Like GChecksum's, it ends the hashing: no update may follow. */
const char *
cbm_sha256_get_string (CbmSha256 *self)
{
  if (self->hex == NULL)
    {
      guchar digest[DIGEST_SIZE];

      gnutls_hash_deinit (self->hash, digest);
      self->hash = NULL;
      self->hex = g_malloc (2 * DIGEST_SIZE + 1);
      for (guint i = 0; i < DIGEST_SIZE; i++)
        {
          self->hex[2 * i] = "0123456789abcdef"[digest[i] >> 4];
          self->hex[2 * i + 1] = "0123456789abcdef"[digest[i] & 0xf];
        }
      self->hex[2 * DIGEST_SIZE] = '\0';
    }
  return self->hex;
}

void
cbm_sha256_free (CbmSha256 *self)
{
  if (self == NULL)
    return;
  if (self->hash != NULL)
    gnutls_hash_deinit (self->hash, NULL);
  g_free (self->hex);
  g_free (self);
}
