/* cbm-pdf-types.c
 *
 * Copyright 2026 The CBM Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "cbm-pdf-types.h"

G_DEFINE_BOXED_TYPE (CbmPdfInfo, cbm_pdf_info, cbm_pdf_info_ref, cbm_pdf_info_unref)
G_DEFINE_BOXED_TYPE (CbmPdfOutlineItem, cbm_pdf_outline_item,
                     cbm_pdf_outline_item_ref, cbm_pdf_outline_item_unref)
G_DEFINE_BOXED_TYPE (CbmPdfLink, cbm_pdf_link, cbm_pdf_link_ref, cbm_pdf_link_unref)
G_DEFINE_BOXED_TYPE (CbmPdfMatch, cbm_pdf_match, cbm_pdf_match_ref, cbm_pdf_match_unref)
G_DEFINE_BOXED_TYPE (CbmPdfImage, cbm_pdf_image, cbm_pdf_image_ref, cbm_pdf_image_unref)

static const cairo_user_data_key_t image_key;

static void
clear_info (gpointer data)
{
  CbmPdfInfo *info = data;

  g_free (info->page_sizes);
  g_free (info->title);
  g_free (info->author);
  g_free (info->subject);
  g_free (info->keywords);
  g_free (info->creator);
  g_free (info->producer);
  g_free (info->pdf_version);
  g_clear_pointer (&info->creation_date, g_date_time_unref);
  g_clear_pointer (&info->modification_date, g_date_time_unref);
}

static void
clear_outline_item (gpointer data)
{
  CbmPdfOutlineItem *item = data;

  g_free (item->title);
  g_free (item->uri);
  g_ptr_array_unref (item->children);
}

static void
clear_link (gpointer data)
{
  g_free (((CbmPdfLink *) data)->uri);
}

static void
clear_match (gpointer data)
{
  g_free (((CbmPdfMatch *) data)->context);
}

static void
clear_image (gpointer data)
{
  g_bytes_unref (((CbmPdfImage *) data)->pixels);
}

CbmPdfInfo *
cbm_pdf_info_new (int n_pages)
{
  CbmPdfInfo *info = g_atomic_rc_box_new0 (CbmPdfInfo);

  g_return_val_if_fail (n_pages >= 0 && n_pages <= CBM_PDF_MAX_PAGES, info);

  info->n_pages = n_pages;
  info->page_sizes = g_new0 (CbmPdfPageSize, MAX (n_pages, 1));
  return info;
}

CbmPdfInfo *
cbm_pdf_info_ref (CbmPdfInfo *info)
{
  return g_atomic_rc_box_acquire (info);
}

void
cbm_pdf_info_unref (CbmPdfInfo *info)
{
  g_atomic_rc_box_release_full (info, clear_info);
}

CbmPdfOutlineItem *
cbm_pdf_outline_item_new (const char *title,
                          int         page,
                          const char *uri)
{
  CbmPdfOutlineItem *item = g_atomic_rc_box_new0 (CbmPdfOutlineItem);

  item->title = g_strdup (title != NULL ? title : "");
  item->page = page;
  item->uri = g_strdup (uri);
  item->children = g_ptr_array_new_with_free_func ((GDestroyNotify) cbm_pdf_outline_item_unref);
  return item;
}

CbmPdfOutlineItem *
cbm_pdf_outline_item_ref (CbmPdfOutlineItem *item)
{
  return g_atomic_rc_box_acquire (item);
}

void
cbm_pdf_outline_item_unref (CbmPdfOutlineItem *item)
{
  g_atomic_rc_box_release_full (item, clear_outline_item);
}

CbmPdfLink *
cbm_pdf_link_new (CbmPdfLinkKind    kind,
                  const CbmPdfRect *area,
                  int               page,
                  const char       *uri)
{
  CbmPdfLink *link = g_atomic_rc_box_new0 (CbmPdfLink);

  link->kind = kind;
  link->area = *area;
  link->page = page;
  link->uri = g_strdup (uri);
  return link;
}

CbmPdfLink *
cbm_pdf_link_ref (CbmPdfLink *link)
{
  return g_atomic_rc_box_acquire (link);
}

void
cbm_pdf_link_unref (CbmPdfLink *link)
{
  g_atomic_rc_box_release_full (link, clear_link);
}

CbmPdfMatch *
cbm_pdf_match_new (int               page,
                   const CbmPdfRect *area,
                   const char       *context,
                   gsize             match_offset,
                   gsize             match_length)
{
  CbmPdfMatch *match = g_atomic_rc_box_new0 (CbmPdfMatch);

  match->page = page;
  match->area = *area;
  match->context = g_strdup (context != NULL ? context : "");
  match->match_offset = MIN (match_offset, strlen (match->context));
  match->match_length = MIN (match_length, strlen (match->context) - match->match_offset);
  return match;
}

CbmPdfMatch *
cbm_pdf_match_ref (CbmPdfMatch *match)
{
  return g_atomic_rc_box_acquire (match);
}

void
cbm_pdf_match_unref (CbmPdfMatch *match)
{
  g_atomic_rc_box_release_full (match, clear_match);
}

CbmPdfImage *
cbm_pdf_image_new (int     width,
                   int     height,
                   int     stride,
                   GBytes *pixels)
{
  CbmPdfImage *image;

  g_return_val_if_fail (width > 0 && height > 0, NULL);
  g_return_val_if_fail (stride >= width * 4, NULL);
  g_return_val_if_fail (g_bytes_get_size (pixels) >= (gsize) stride * height, NULL);

  image = g_atomic_rc_box_new0 (CbmPdfImage);
  image->width = width;
  image->height = height;
  image->stride = stride;
  image->pixels = g_bytes_ref (pixels);
  return image;
}

CbmPdfImage *
cbm_pdf_image_ref (CbmPdfImage *image)
{
  return g_atomic_rc_box_acquire (image);
}

void
cbm_pdf_image_unref (CbmPdfImage *image)
{
  g_atomic_rc_box_release_full (image, clear_image);
}

/**
 * cbm_pdf_image_create_surface:
 * @image: a #CbmPdfImage
 *
 * Wraps the pixels without copying; the surface keeps @image alive.
 * The pixel memory is private to this process, so drawing on the surface is safe.
 *
 * Returns: (transfer full): a %CAIRO_FORMAT_ARGB32 image surface
 */
cairo_surface_t *
cbm_pdf_image_create_surface (CbmPdfImage *image)
{
  cairo_surface_t *surface;
  gpointer data = (gpointer) g_bytes_get_data (image->pixels, NULL);

  surface = cairo_image_surface_create_for_data (data, CAIRO_FORMAT_ARGB32,
                                                 image->width, image->height, image->stride);
  cairo_surface_set_user_data (surface, &image_key, cbm_pdf_image_ref (image),
                               (cairo_destroy_func_t) cbm_pdf_image_unref);
  return surface;
}

/**
 * cbm_pdf_uri_is_allowed:
 * @uri: (nullable): a link target taken from a document
 *
 * Documents can link to `file:`, `javascript:`, `smb:` and other schemes that must never be
 * followed from an untrusted file; only web and mail links are allowed.
 *
 * Returns: %TRUE if @uri is an http, https or mailto URI
 */
gboolean
cbm_pdf_uri_is_allowed (const char *uri)
{
  static const char * const allowed[] = { "http", "https", "mailto" };
  g_autofree char *scheme = NULL;

  if (uri == NULL || !g_utf8_validate (uri, -1, NULL))
    return FALSE;

  for (const char *p = uri; *p != '\0'; p++)
    if (g_ascii_iscntrl (*p) || *p == ' ')
      return FALSE;

  scheme = g_uri_parse_scheme (uri);
  if (scheme == NULL)
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (allowed); i++)
    {
      if (g_ascii_strcasecmp (scheme, allowed[i]) == 0)
        return strlen (uri) > strlen (scheme) + 1;
    }

  return FALSE;
}
