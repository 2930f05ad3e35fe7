/* cbm-pdf-page-cache.c
 *
 * Copyright 2026 The CBM Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cbm-pdf-page-cache.h"

/* Rendered pages as textures, one per page (the newest render wins), within a memory cap: the
 * pages farthest from the one being read go first.
 *
 * A page is drawn as horizontal strips of about STRIP_BYTES, each a texture over its rows of
 * the same pixels: a renderer uploads a texture whole the first time it draws it, so only the
 * strips on screen are uploaded, spread over the frames that scroll them into view instead of
 * stalling one. */
struct _CbmPdfPageCache
{
  GObject     parent_instance;

  GHashTable *entries;  /* page → Entry */
  gsize       size;
  gsize       limit;
};

G_DEFINE_FINAL_TYPE (CbmPdfPageCache, cbm_pdf_page_cache, G_TYPE_OBJECT)

/* Chosen with bench-viewer under software GL: smaller strips upload fewer rows that are just
 * off screen and spread the uploads more evenly over frames; much smaller ones only add nodes. */
#define STRIP_BYTES ((gsize) 256 << 10)

typedef struct
{
  GdkTexture  *texture;
  GdkTexture **strips;
  guint        n_strips;
  int          strip_height;
  double       scale;
  gsize        bytes;
} Entry;

static void
entry_free (Entry *entry)
{
  g_clear_object (&entry->texture);
  for (guint i = 0; i < entry->n_strips; i++)
    g_object_unref (entry->strips[i]);
  g_free (entry->strips);
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

static void
add_entry (CbmPdfPageCache *self,
           int              page,
           Entry           *entry,
           int              center_page)
{
  Entry *old = g_hash_table_lookup (self->entries, GINT_TO_POINTER (page));

  if (old != NULL)
    {
      self->size -= old->bytes;
      g_hash_table_remove (self->entries, GINT_TO_POINTER (page));
    }

  entry->bytes = texture_bytes (entry->texture);
  self->size += entry->bytes;
  g_hash_table_insert (self->entries, GINT_TO_POINTER (page), entry);

  cbm_pdf_page_cache_trim (self, center_page);
}

/**
 * cbm_pdf_page_cache_insert:
 * @scale: the scale @texture was rendered at, device pixels included
 * @center_page: the page being read, kept when the cache is trimmed
 *
 * Adds or replaces the texture of @page, drawn as one strip, then trims the cache to its limit.
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

  entry = g_new0 (Entry, 1);
  entry->texture = g_object_ref (texture);
  entry->strips = g_new (GdkTexture *, 1);
  entry->strips[0] = g_object_ref (texture);
  entry->n_strips = 1;
  entry->strip_height = gdk_texture_get_height (texture);
  entry->scale = scale;
  add_entry (self, page, entry, center_page);
}

/**
 * cbm_pdf_page_cache_insert_image:
 * @scale: the scale @image was rendered at, device pixels included
 * @image: ARGB32 premultiplied pixels, as the helper renders them
 * @center_page: the page being read, kept when the cache is trimmed
 *
 * Adds or replaces the render of @page without copying its pixels, then trims the cache to its
 * limit.
 */
void
cbm_pdf_page_cache_insert_image (CbmPdfPageCache *self,
                                 int              page,
                                 double           scale,
                                 CbmPdfImage     *image,
                                 int              center_page)
{
  Entry *entry;

  g_return_if_fail (CBM_IS_PDF_PAGE_CACHE (self));
  g_return_if_fail (image != NULL);

  entry = g_new0 (Entry, 1);
  /* Cairo's ARGB32 is GDK's default format, so neither GDK nor GSK converts it. */
  entry->texture = gdk_memory_texture_new (image->width, image->height, GDK_MEMORY_DEFAULT,
                                           image->pixels, image->stride);
  entry->strip_height = MAX (1, (int) (STRIP_BYTES / image->stride));
  entry->n_strips = (image->height + entry->strip_height - 1) / entry->strip_height;
  entry->strips = g_new (GdkTexture *, entry->n_strips);
  for (guint i = 0; i < entry->n_strips; i++)
    {
      int y = i * entry->strip_height;
      int rows = MIN (entry->strip_height, image->height - y);
      g_autoptr(GBytes) bytes = g_bytes_new_from_bytes (image->pixels, (gsize) y * image->stride,
                                                        (gsize) rows * image->stride);

      entry->strips[i] = gdk_memory_texture_new (image->width, rows, GDK_MEMORY_DEFAULT, bytes,
                                                 image->stride);
    }
  entry->scale = scale;
  add_entry (self, page, entry, center_page);
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

/**
 * cbm_pdf_page_cache_get_strips:
 * @n_strips: (out): the number of strips
 * @strip_height: (out): the rows of each strip but the last, which may have fewer
 *
 * Returns: (nullable) (transfer none) (array length=n_strips): the strips of @page's texture,
 *   top to bottom, to draw instead of the whole texture
 */
GdkTexture **
cbm_pdf_page_cache_get_strips (CbmPdfPageCache *self,
                               int              page,
                               guint           *n_strips,
                               int             *strip_height)
{
  Entry *entry;

  g_return_val_if_fail (CBM_IS_PDF_PAGE_CACHE (self), NULL);

  entry = g_hash_table_lookup (self->entries, GINT_TO_POINTER (page));
  *n_strips = entry != NULL ? entry->n_strips : 0;
  *strip_height = entry != NULL ? entry->strip_height : 0;
  return entry != NULL ? entry->strips : NULL;
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
