/* cbm-pdf-thumbnail-item.c
 *
 * Copyright 2026 The CBM Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cbm-pdf-thumbnail-item.h"

/* One page in the thumbnails sidebar, and the paintable that shows it: the page's render once it
 * has arrived, a grey placeholder of the page's shape until then. Its size is in logical pixels
 * whatever the render's, so a render at the device scale stays sharp on HiDPI screens. */
struct _CbmPdfThumbnailItem
{
  GObject     parent_instance;

  int         page;
  int         width;
  int         height;
  GdkTexture *texture;
  gboolean    night_mode;
};

static void cbm_pdf_thumbnail_item_paintable_init (GdkPaintableInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (CbmPdfThumbnailItem, cbm_pdf_thumbnail_item, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (GDK_TYPE_PAINTABLE, cbm_pdf_thumbnail_item_paintable_init))

enum {
  PROP_0,
  PROP_PAGE,
  PROP_WIDTH,
  PROP_HEIGHT,
  PROP_TEXTURE,
  PROP_NIGHT_MODE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The frame around the page, in logical pixels on each side. */
#define FRAME 1

static void
cbm_pdf_thumbnail_item_snapshot (GdkPaintable *paintable,
                                 GdkSnapshot  *gdk_snapshot,
                                 double        width,
                                 double        height)
{
  CbmPdfThumbnailItem *self = CBM_PDF_THUMBNAIL_ITEM (paintable);
  GtkSnapshot *snapshot = GTK_SNAPSHOT (gdk_snapshot);
  static const GdkRGBA frame = { 0, 0, 0, 0.2 };
  static const GdkRGBA white = { 1, 1, 1, 1 };
  static const GdkRGBA placeholder = { 0.92, 0.92, 0.92, 1 };
  graphene_rect_t page = GRAPHENE_RECT_INIT (FRAME, FRAME,
                                             MAX (width - 2 * FRAME, 0), MAX (height - 2 * FRAME, 0));

  if (self->night_mode)
    {
      graphene_matrix_t matrix;
      graphene_vec4_t offset;

      /* As the view does: red, green and blue inverted, c' = 1 - c. */
      graphene_matrix_init_scale (&matrix, -1, -1, -1);
      graphene_vec4_init (&offset, 1, 1, 1, 0);
      gtk_snapshot_push_color_matrix (snapshot, &matrix, &offset);
    }

  gtk_snapshot_append_color (snapshot, &frame, &GRAPHENE_RECT_INIT (0, 0, width, height));
  gtk_snapshot_append_color (snapshot, self->texture != NULL ? &white : &placeholder, &page);
  if (self->texture != NULL)
    gtk_snapshot_append_texture (snapshot, self->texture, &page);

  if (self->night_mode)
    gtk_snapshot_pop (snapshot);
}

static int
cbm_pdf_thumbnail_item_get_intrinsic_width (GdkPaintable *paintable)
{
  return CBM_PDF_THUMBNAIL_ITEM (paintable)->width + 2 * FRAME;
}

static int
cbm_pdf_thumbnail_item_get_intrinsic_height (GdkPaintable *paintable)
{
  return CBM_PDF_THUMBNAIL_ITEM (paintable)->height + 2 * FRAME;
}

static GdkPaintableFlags
cbm_pdf_thumbnail_item_get_flags (GdkPaintable *paintable)
{
  return GDK_PAINTABLE_STATIC_SIZE;
}

static void
cbm_pdf_thumbnail_item_paintable_init (GdkPaintableInterface *iface)
{
  iface->snapshot = cbm_pdf_thumbnail_item_snapshot;
  iface->get_intrinsic_width = cbm_pdf_thumbnail_item_get_intrinsic_width;
  iface->get_intrinsic_height = cbm_pdf_thumbnail_item_get_intrinsic_height;
  iface->get_flags = cbm_pdf_thumbnail_item_get_flags;
}

static void
cbm_pdf_thumbnail_item_finalize (GObject *object)
{
  CbmPdfThumbnailItem *self = CBM_PDF_THUMBNAIL_ITEM (object);

  g_clear_object (&self->texture);

  G_OBJECT_CLASS (cbm_pdf_thumbnail_item_parent_class)->finalize (object);
}

static void
cbm_pdf_thumbnail_item_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  CbmPdfThumbnailItem *self = CBM_PDF_THUMBNAIL_ITEM (object);

  switch (prop_id)
    {
    case PROP_PAGE:
      g_value_set_int (value, self->page);
      break;
    case PROP_WIDTH:
      g_value_set_int (value, self->width);
      break;
    case PROP_HEIGHT:
      g_value_set_int (value, self->height);
      break;
    case PROP_TEXTURE:
      g_value_set_object (value, self->texture);
      break;
    case PROP_NIGHT_MODE:
      g_value_set_boolean (value, self->night_mode);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cbm_pdf_thumbnail_item_set_property (GObject      *object,
                                     guint         prop_id,
                                     const GValue *value,
                                     GParamSpec   *pspec)
{
  CbmPdfThumbnailItem *self = CBM_PDF_THUMBNAIL_ITEM (object);

  switch (prop_id)
    {
    case PROP_PAGE:
      self->page = g_value_get_int (value);
      break;
    case PROP_WIDTH:
      self->width = g_value_get_int (value);
      break;
    case PROP_HEIGHT:
      self->height = g_value_get_int (value);
      break;
    case PROP_TEXTURE:
      cbm_pdf_thumbnail_item_set_texture (self, g_value_get_object (value));
      break;
    case PROP_NIGHT_MODE:
      cbm_pdf_thumbnail_item_set_night_mode (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cbm_pdf_thumbnail_item_class_init (CbmPdfThumbnailItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cbm_pdf_thumbnail_item_finalize;
  object_class->get_property = cbm_pdf_thumbnail_item_get_property;
  object_class->set_property = cbm_pdf_thumbnail_item_set_property;

  properties[PROP_PAGE] =
    g_param_spec_int ("page", NULL, NULL, 0, G_MAXINT, 0,
                      G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_WIDTH] =
    g_param_spec_int ("width", NULL, NULL, 1, G_MAXINT, 1,
                      G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_HEIGHT] =
    g_param_spec_int ("height", NULL, NULL, 1, G_MAXINT, 1,
                      G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TEXTURE] =
    g_param_spec_object ("texture", NULL, NULL, GDK_TYPE_TEXTURE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_NIGHT_MODE] =
    g_param_spec_boolean ("night-mode", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cbm_pdf_thumbnail_item_init (CbmPdfThumbnailItem *self)
{
  self->width = 1;
  self->height = 1;
}

/**
 * cbm_pdf_thumbnail_item_new:
 * @page: the 0-based page
 * @width: the page's width in the sidebar, in logical pixels
 * @height: its height
 */
CbmPdfThumbnailItem *
cbm_pdf_thumbnail_item_new (int page,
                            int width,
                            int height)
{
  return g_object_new (CBM_TYPE_PDF_THUMBNAIL_ITEM,
                       "page", page,
                       "width", MAX (width, 1),
                       "height", MAX (height, 1),
                       NULL);
}

int
cbm_pdf_thumbnail_item_get_page (CbmPdfThumbnailItem *self)
{
  g_return_val_if_fail (CBM_IS_PDF_THUMBNAIL_ITEM (self), 0);
  return self->page;
}

/**
 * cbm_pdf_thumbnail_item_get_texture:
 *
 * Returns: (nullable) (transfer none): the page's render, or %NULL while there is none
 */
GdkTexture *
cbm_pdf_thumbnail_item_get_texture (CbmPdfThumbnailItem *self)
{
  g_return_val_if_fail (CBM_IS_PDF_THUMBNAIL_ITEM (self), NULL);
  return self->texture;
}

void
cbm_pdf_thumbnail_item_set_texture (CbmPdfThumbnailItem *self,
                                    GdkTexture          *texture)
{
  g_return_if_fail (CBM_IS_PDF_THUMBNAIL_ITEM (self));
  g_return_if_fail (texture == NULL || GDK_IS_TEXTURE (texture));

  if (!g_set_object (&self->texture, texture))
    return;

  gdk_paintable_invalidate_contents (GDK_PAINTABLE (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TEXTURE]);
}

gboolean
cbm_pdf_thumbnail_item_get_night_mode (CbmPdfThumbnailItem *self)
{
  g_return_val_if_fail (CBM_IS_PDF_THUMBNAIL_ITEM (self), FALSE);
  return self->night_mode;
}

void
cbm_pdf_thumbnail_item_set_night_mode (CbmPdfThumbnailItem *self,
                                       gboolean             night_mode)
{
  g_return_if_fail (CBM_IS_PDF_THUMBNAIL_ITEM (self));

  night_mode = !!night_mode;
  if (self->night_mode == night_mode)
    return;

  self->night_mode = night_mode;
  gdk_paintable_invalidate_contents (GDK_PAINTABLE (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NIGHT_MODE]);
}
