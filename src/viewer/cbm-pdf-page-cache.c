/* cbm-pdf-page-cache.c
 *
 * Copyright 2026 The CBM Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cbm-pdf-page-cache.h"

/* Rendered pages as textures, one per page (the newest render wins), within a memory cap: the
 * pages farthest from the one being read go first. */
struct _CbmPdfPageCache
{
  GObject     parent_instance;

  GHashTable *entries;  /* page → Entry */
  gsize       size;
  gsize       limit;
};

G_DEFINE_FINAL_TYPE (CbmPdfPageCache, cbm_pdf_page_cache, G_TYPE_OBJECT)

typedef struct
{
  GdkTexture *texture;
  double      scale;
  gsize       bytes;
} Entry;

static void
entry_free (Entry *entry)
{
  g_clear_object (&entry->texture);
  g_free (entry);
}

static gsize
texture_bytes (GdkTexture *texture)
{
  return (gsize) gdk_texture_get_width (texture) * gdk_texture_get_height (texture) * 4;
}

static void
cbm_pdf_page_cache_finalize (GObject *object)
{
  CbmPdfPageCache *self = CBM_PDF_PAGE_CACHE (object);

  g_clear_pointer (&self->entries, g_hash_table_unref);

  G_OBJECT_CLASS (cbm_pdf_page_cache_parent_class)->finalize (object);
}

static void
cbm_pdf_page_cache_class_init (CbmPdfPageCacheClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cbm_pdf_page_cache_finalize;
}

static void
cbm_pdf_page_cache_init (CbmPdfPageCache *self)
{
  self->entries = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) entry_free);
  self->limit = CBM_PDF_PAGE_CACHE_DEFAULT_LIMIT;
}

CbmPdfPageCache *
cbm_pdf_page_cache_new (gsize limit)
{
  CbmPdfPageCache *self = g_object_new (CBM_TYPE_PDF_PAGE_CACHE, NULL);

  self->limit = limit;
  return self;
}

gsize
cbm_pdf_page_cache_get_limit (CbmPdfPageCache *self)
{
  g_return_val_if_fail (CBM_IS_PDF_PAGE_CACHE (self), 0);
  return self->limit;
}

gsize
cbm_pdf_page_cache_get_size (CbmPdfPageCache *self)
{
  g_return_val_if_fail (CBM_IS_PDF_PAGE_CACHE (self), 0);
  return self->size;
}

guint
cbm_pdf_page_cache_get_n_pages (CbmPdfPageCache *self)
{
  g_return_val_if_fail (CBM_IS_PDF_PAGE_CACHE (self), 0);
  return g_hash_table_size (self->entries);
}

/**
 * cbm_pdf_page_cache_insert:
 * @scale: the scale @texture was rendered at, device pixels included
 * @center_page: the page being read, kept when the cache is trimmed
 *
 * Adds or replaces the texture of @page, then trims the cache to its limit.
 */
void
cbm_pdf_page_cache_insert (CbmPdfPageCache *self,
                           int              page,
                           double           scale,
                           GdkTexture      *texture,
                           int              center_page)
{
  Entry *entry;

  g_return_if_fail (CBM_IS_PDF_PAGE_CACHE (self));
  g_return_if_fail (GDK_IS_TEXTURE (texture));

  entry = g_hash_table_lookup (self->entries, GINT_TO_POINTER (page));
  if (entry != NULL)
    {
      self->size -= entry->bytes;
      g_hash_table_remove (self->entries, GINT_TO_POINTER (page));
    }

  entry = g_new0 (Entry, 1);
  entry->texture = g_object_ref (texture);
  entry->scale = scale;
  entry->bytes = texture_bytes (texture);
  self->size += entry->bytes;
  g_hash_table_insert (self->entries, GINT_TO_POINTER (page), entry);

  cbm_pdf_page_cache_trim (self, center_page);
}

/**
 * cbm_pdf_page_cache_lookup:
 * @scale: (out) (optional): the scale the texture was rendered at
 *
 * Returns: (nullable) (transfer none): the texture of @page at whatever scale it has
 */
GdkTexture *
cbm_pdf_page_cache_lookup (CbmPdfPageCache *self,
                           int              page,
                           double          *scale)
{
  Entry *entry;

  g_return_val_if_fail (CBM_IS_PDF_PAGE_CACHE (self), NULL);

  entry = g_hash_table_lookup (self->entries, GINT_TO_POINTER (page));
  if (entry == NULL)
    return NULL;
  if (scale != NULL)
    *scale = entry->scale;
  return entry->texture;
}

/* Drops the pages farthest from @center_page until the cache fits its limit; the center page
 * itself is kept even when it alone is over the limit, since it is on screen. */
void
cbm_pdf_page_cache_trim (CbmPdfPageCache *self,
                         int              center_page)
{
  g_return_if_fail (CBM_IS_PDF_PAGE_CACHE (self));

  while (self->size > self->limit && g_hash_table_size (self->entries) > 1)
    {
      GHashTableIter iter;
      gpointer key, value;
      int farthest = center_page;
      int distance = -1;
      Entry *entry;

      g_hash_table_iter_init (&iter, self->entries);
      while (g_hash_table_iter_next (&iter, &key, &value))
        {
          int page = GPOINTER_TO_INT (key);
          int d = ABS (page - center_page);

          if (d > distance)
            {
              distance = d;
              farthest = page;
            }
        }

      if (farthest == center_page)
        break;
      entry = g_hash_table_lookup (self->entries, GINT_TO_POINTER (farthest));
      self->size -= entry->bytes;
      g_hash_table_remove (self->entries, GINT_TO_POINTER (farthest));
    }
}

/* Drops every page outside [@first_page, @last_page]: pages far from the screen are cheaper to
 * render again than to keep, and the GPU holds a copy of each texture drawn. */
void
cbm_pdf_page_cache_retain (CbmPdfPageCache *self,
                           int              first_page,
                           int              last_page)
{
  GHashTableIter iter;
  gpointer key, value;

  g_return_if_fail (CBM_IS_PDF_PAGE_CACHE (self));

  g_hash_table_iter_init (&iter, self->entries);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      int page = GPOINTER_TO_INT (key);

      if (page < first_page || page > last_page)
        {
          self->size -= ((Entry *) value)->bytes;
          g_hash_table_iter_remove (&iter);
        }
    }
}

void
cbm_pdf_page_cache_clear (CbmPdfPageCache *self)
{
  g_return_if_fail (CBM_IS_PDF_PAGE_CACHE (self));

  g_hash_table_remove_all (self->entries);
  self->size = 0;
}
