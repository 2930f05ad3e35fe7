/* cbm-pdf-thumbnails.c
 *
 * Copyright 2026 The CBM Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "cbm-pdf-thumbnails.h"

/* A list of small renders of the pages of a CbmPdfView's document, with the page being read
 * selected and kept in sight; choosing a thumbnail (click or arrow keys) goes to its page.
 *
 * Only the thumbnails on screen, and a few past them, are rendered, one at a time through the
 * view's helper and only while the view has no page of its own waiting: the helper serves jobs
 * in order, so at most one small render ever stands before the view's next page. The renders
 * are kept in a capped cache; the items let go of the ones it drops. */
struct _CbmPdfThumbnails
{
  GtkWidget           parent_instance;

  CbmPdfView         *view;
  CbmPdfModel        *model;          /* the view's */
  GCancellable       *cancellable;

  GListStore         *items;          /* of CbmPdfThumbnailItem, one per page */
  GtkSingleSelection *selection;
  GtkWidget          *scrolled_window;
  GtkWidget          *list;

  CbmPdfPageCache    *cache;
  GHashTable         *textured;       /* pages whose item holds a render */
  GHashTable         *failed;         /* pages the helper could not render */
  GHashTable         *bound;          /* page → row widget, for the rows the list has bound */
  int                 rendering_page;

  gulong              after_paint_id;
  gboolean            render_pending;
  gboolean            scroll_pending;
  gboolean            syncing;        /* the selection follows the model, not the user */
};

G_DEFINE_FINAL_TYPE (CbmPdfThumbnails, cbm_pdf_thumbnails, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_VIEW,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* A portrait page is this wide in the sidebar, in logical pixels; a tall one no taller than
 * twice that. */
#define THUMBNAIL_WIDTH      120
#define THUMBNAIL_MAX_HEIGHT (2 * THUMBNAIL_WIDTH)
/* Thumbnails rendered past either end of the visible ones. */
#define RENDER_MARGIN        2

/* The scale from points to logical pixels for @page's thumbnail, and its size. */
static double
get_thumbnail_size (CbmPdfInfo *info,
                    int         page,
                    int        *width,
                    int        *height)
{
  const CbmPdfPageSize *size = &info->page_sizes[page];
  double page_width = isfinite (size->width) && size->width >= 1 ? size->width : 612.0;
  double page_height = isfinite (size->height) && size->height >= 1 ? size->height : 792.0;
  double scale = MIN (THUMBNAIL_WIDTH / page_width, THUMBNAIL_MAX_HEIGHT / page_height);

  *width = MAX (1, (int) round (page_width * scale));
  *height = MAX (1, (int) round (page_height * scale));
  return scale;
}

static guint
get_n_items (CbmPdfThumbnails *self)
{
  return g_list_model_get_n_items (G_LIST_MODEL (self->items));
}

static void
schedule_render (CbmPdfThumbnails *self)
{
  /* Decided after the next frame, when the rows are where the user sees them. */
  self->render_pending = TRUE;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
schedule_scroll (CbmPdfThumbnails *self)
{
  self->scroll_pending = TRUE;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* The first and last pages whose rows show in the scrolled window. */
static gboolean
get_visible_range (CbmPdfThumbnails *self,
                   int              *first,
                   int              *last)
{
  double height = gtk_widget_get_height (self->scrolled_window);
  GHashTableIter iter;
  gpointer key, value;

  *first = G_MAXINT;
  *last = -1;
  g_hash_table_iter_init (&iter, self->bound);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      graphene_rect_t bounds;
      int page = GPOINTER_TO_INT (key);

      /* The list unmaps the rows it keeps bound off screen. */
      if (!gtk_widget_get_mapped (value)
          || !gtk_widget_compute_bounds (value, self->scrolled_window, &bounds)
          || bounds.origin.y + bounds.size.height <= 0 || bounds.origin.y >= height)
        continue;
      *first = MIN (*first, page);
      *last = MAX (*last, page);
    }

  return *last >= 0;
}

static gboolean
needs_render (CbmPdfThumbnails *self,
              int               page)
{
  g_autoptr(CbmPdfThumbnailItem) item = NULL;

  if (page < 0 || (guint) page >= get_n_items (self)
      || g_hash_table_contains (self->failed, GINT_TO_POINTER (page)))
    return FALSE;

  item = g_list_model_get_item (G_LIST_MODEL (self->items), page);
  return cbm_pdf_thumbnail_item_get_texture (item) == NULL;
}

static void
set_thumbnail (CbmPdfThumbnails *self,
               int               page,
               double            scale,
               GdkTexture       *texture)
{
  g_autoptr(CbmPdfThumbnailItem) item = g_list_model_get_item (G_LIST_MODEL (self->items), page);
  GHashTableIter iter;
  gpointer key;
  int first, last;

  cbm_pdf_page_cache_insert (self->cache, page, scale, texture,
                             get_visible_range (self, &first, &last) ? first : page);
  cbm_pdf_thumbnail_item_set_texture (item, texture);
  g_hash_table_add (self->textured, GINT_TO_POINTER (page));

  /* Past its cap the cache drops the thumbnails farthest from the screen: so do the items. */
  g_hash_table_iter_init (&iter, self->textured);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      int textured = GPOINTER_TO_INT (key);
      g_autoptr(CbmPdfThumbnailItem) dropped = NULL;

      if (cbm_pdf_page_cache_lookup (self->cache, textured, NULL) != NULL)
        continue;

      dropped = g_list_model_get_item (G_LIST_MODEL (self->items), textured);
      cbm_pdf_thumbnail_item_set_texture (dropped, NULL);
      g_hash_table_iter_remove (&iter);
    }
}

static void
thumbnail_rendered_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(CbmPdfThumbnails) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(CbmPdfImage) image = cbm_pdf_helper_render_page_finish (CBM_PDF_HELPER (object), result, &error);
  int page = self->rendering_page;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self->rendering_page = -1;
  if (page < 0 || (guint) page >= get_n_items (self))
    return;

  if (image == NULL)
    {
      g_debug ("Thumbnail of page %d could not be rendered: %s", page + 1, error->message);
      g_hash_table_add (self->failed, GINT_TO_POINTER (page));
    }
  else
    {
      g_autoptr(GdkTexture) texture =
        gdk_memory_texture_new (image->width, image->height, GDK_MEMORY_DEFAULT,
                                image->pixels, image->stride);
      int width, height;
      double scale = get_thumbnail_size (cbm_pdf_model_get_info (self->model), page, &width, &height);

      /* The scale the helper used, device pixels included. */
      set_thumbnail (self, page, scale * image->width / width, texture);
    }

  schedule_render (self);
}

static void
render_next (CbmPdfThumbnails *self)
{
  CbmPdfInfo *info;
  double scale;
  int first, last, width, height, candidate = -1;

  self->render_pending = FALSE;
  if (self->rendering_page >= 0 || self->model == NULL
      || (info = cbm_pdf_model_get_info (self->model)) == NULL)
    return;

  /* The view's pages on screen first; it notifies when it is done. */
  if (self->view != NULL && cbm_pdf_view_get_rendering (self->view))
    return;

  if (!get_visible_range (self, &first, &last))
    return;

  for (int page = first; candidate < 0 && page <= last; page++)
    if (needs_render (self, page))
      candidate = page;
  for (int i = 1; candidate < 0 && i <= RENDER_MARGIN; i++)
    {
      if (needs_render (self, last + i))
        candidate = last + i;
      else if (needs_render (self, first - i))
        candidate = first - i;
    }
  if (candidate < 0)
    return;

  self->rendering_page = candidate;
  scale = get_thumbnail_size (info, candidate, &width, &height)
          * gtk_widget_get_scale_factor (GTK_WIDGET (self));
  cbm_pdf_helper_render_page_async (cbm_pdf_model_get_helper (self->model), candidate, scale,
                                    self->cancellable, thumbnail_rendered_cb, g_object_ref (self));
}

static void
after_paint_cb (GdkFrameClock    *clock,
                CbmPdfThumbnails *self)
{
  if (self->scroll_pending)
    {
      guint selected = gtk_single_selection_get_selected (self->selection);

      self->scroll_pending = FALSE;
      if (selected != GTK_INVALID_LIST_POSITION)
        gtk_widget_activate_action (self->list, "list.scroll-to-item", "u", selected);
    }

  if (self->render_pending)
    render_next (self);
}

static void
reload (CbmPdfThumbnails *self)
{
  CbmPdfInfo *info = self->model != NULL ? cbm_pdf_model_get_info (self->model) : NULL;
  gboolean night_mode = self->model != NULL && cbm_pdf_model_get_night_mode (self->model);
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->rendering_page = -1;
  cbm_pdf_page_cache_clear (self->cache);
  g_hash_table_remove_all (self->textured);
  g_hash_table_remove_all (self->failed);

  for (int page = 0; info != NULL && page < info->n_pages; page++)
    {
      CbmPdfThumbnailItem *item;
      int width, height;

      get_thumbnail_size (info, page, &width, &height);
      item = cbm_pdf_thumbnail_item_new (page, width, height);
      cbm_pdf_thumbnail_item_set_night_mode (item, night_mode);
      g_ptr_array_add (items, item);
    }

  self->syncing = TRUE;
  g_list_store_splice (self->items, 0, get_n_items (self), items->pdata, items->len);
  if (info != NULL)
    gtk_single_selection_set_selected (self->selection, cbm_pdf_model_get_page (self->model));
  self->syncing = FALSE;

  schedule_scroll (self);
  schedule_render (self);
}

static void
model_page_changed_cb (CbmPdfThumbnails *self)
{
  int page = cbm_pdf_model_get_page (self->model);

  if (page < 0 || (guint) page >= get_n_items (self))
    return;

  self->syncing = TRUE;
  gtk_single_selection_set_selected (self->selection, page);
  self->syncing = FALSE;
  schedule_scroll (self);
}

static void
night_mode_changed_cb (CbmPdfThumbnails *self)
{
  gboolean night_mode = cbm_pdf_model_get_night_mode (self->model);

  for (guint i = 0; i < get_n_items (self); i++)
    {
      g_autoptr(CbmPdfThumbnailItem) item = g_list_model_get_item (G_LIST_MODEL (self->items), i);

      cbm_pdf_thumbnail_item_set_night_mode (item, night_mode);
    }
}

static void
set_model (CbmPdfThumbnails *self,
           CbmPdfModel      *model)
{
  if (self->model == model)
    return;

  if (self->model != NULL)
    g_signal_handlers_disconnect_by_data (self->model, self);
  g_set_object (&self->model, model);

  if (model != NULL)
    {
      g_signal_connect_object (model, "notify::info", G_CALLBACK (reload), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (model, "notify::page",
                               G_CALLBACK (model_page_changed_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (model, "notify::night-mode",
                               G_CALLBACK (night_mode_changed_cb), self, G_CONNECT_SWAPPED);
    }

  reload (self);
}

static void
view_model_changed_cb (CbmPdfThumbnails *self)
{
  set_model (self, cbm_pdf_view_get_model (self->view));
}

static void
view_rendering_changed_cb (CbmPdfThumbnails *self)
{
  if (!cbm_pdf_view_get_rendering (self->view))
    schedule_render (self);
}

static void
selection_changed_cb (CbmPdfThumbnails *self)
{
  guint selected = gtk_single_selection_get_selected (self->selection);

  if (self->syncing || self->model == NULL || selected == GTK_INVALID_LIST_POSITION)
    return;
  cbm_pdf_model_set_page (self->model, (int) selected);
}

static void
setup_row_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *list_item)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *picture = gtk_picture_new ();
  GtkWidget *label = gtk_label_new (NULL);

  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 3);
  /* The list sizes rows by their minimum height: the picture's is its paintable's. */
  gtk_picture_set_can_shrink (GTK_PICTURE (picture), FALSE);
  gtk_widget_set_halign (picture, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (label, "caption");
  gtk_box_append (GTK_BOX (box), picture);
  gtk_box_append (GTK_BOX (box), label);
  gtk_list_item_set_child (list_item, box);
}

static void
bind_row_cb (GtkSignalListItemFactory *factory,
             GtkListItem              *list_item,
             CbmPdfThumbnails         *self)
{
  CbmPdfThumbnailItem *item = gtk_list_item_get_item (list_item);
  GtkWidget *box = gtk_list_item_get_child (list_item);
  int page = cbm_pdf_thumbnail_item_get_page (item);
  g_autofree char *number = g_strdup_printf ("%d", page + 1);
  g_autofree char *name = g_strdup_printf (_("Page %d"), page + 1);

  gtk_picture_set_paintable (GTK_PICTURE (gtk_widget_get_first_child (box)), GDK_PAINTABLE (item));
  gtk_label_set_label (GTK_LABEL (gtk_widget_get_last_child (box)), number);
  gtk_accessible_update_property (GTK_ACCESSIBLE (box), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
  g_hash_table_insert (self->bound, GINT_TO_POINTER (page), box);
  schedule_render (self);
}

static void
unbind_row_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *list_item,
               CbmPdfThumbnails         *self)
{
  CbmPdfThumbnailItem *item = gtk_list_item_get_item (list_item);
  GtkWidget *box = gtk_list_item_get_child (list_item);
  gpointer page = GINT_TO_POINTER (cbm_pdf_thumbnail_item_get_page (item));

  /* A new document's row for the same page may have been bound first. */
  if (g_hash_table_lookup (self->bound, page) == box)
    g_hash_table_remove (self->bound, page);
  gtk_picture_set_paintable (GTK_PICTURE (gtk_widget_get_first_child (box)), NULL);
}

static void
cbm_pdf_thumbnails_map (GtkWidget *widget)
{
  CbmPdfThumbnails *self = CBM_PDF_THUMBNAILS (widget);

  GTK_WIDGET_CLASS (cbm_pdf_thumbnails_parent_class)->map (widget);
  self->after_paint_id = g_signal_connect (gtk_widget_get_frame_clock (widget), "after-paint",
                                           G_CALLBACK (after_paint_cb), self);
  schedule_scroll (self);
  schedule_render (self);
}

static void
cbm_pdf_thumbnails_unmap (GtkWidget *widget)
{
  CbmPdfThumbnails *self = CBM_PDF_THUMBNAILS (widget);

  g_clear_signal_handler (&self->after_paint_id, gtk_widget_get_frame_clock (widget));
  GTK_WIDGET_CLASS (cbm_pdf_thumbnails_parent_class)->unmap (widget);
}

static void
cbm_pdf_thumbnails_dispose (GObject *object)
{
  CbmPdfThumbnails *self = CBM_PDF_THUMBNAILS (object);

  g_cancellable_cancel (self->cancellable);
  cbm_pdf_thumbnails_set_view (self, NULL);
  g_clear_pointer (&self->scrolled_window, gtk_widget_unparent);

  G_OBJECT_CLASS (cbm_pdf_thumbnails_parent_class)->dispose (object);
}

static void
cbm_pdf_thumbnails_finalize (GObject *object)
{
  CbmPdfThumbnails *self = CBM_PDF_THUMBNAILS (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->items);
  g_clear_object (&self->selection);
  g_clear_object (&self->cache);
  g_clear_pointer (&self->textured, g_hash_table_unref);
  g_clear_pointer (&self->failed, g_hash_table_unref);
  g_clear_pointer (&self->bound, g_hash_table_unref);

  G_OBJECT_CLASS (cbm_pdf_thumbnails_parent_class)->finalize (object);
}

static void
cbm_pdf_thumbnails_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  CbmPdfThumbnails *self = CBM_PDF_THUMBNAILS (object);

  switch (prop_id)
    {
    case PROP_VIEW:
      g_value_set_object (value, self->view);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cbm_pdf_thumbnails_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  CbmPdfThumbnails *self = CBM_PDF_THUMBNAILS (object);

  switch (prop_id)
    {
    case PROP_VIEW:
      cbm_pdf_thumbnails_set_view (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cbm_pdf_thumbnails_class_init (CbmPdfThumbnailsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cbm_pdf_thumbnails_dispose;
  object_class->finalize = cbm_pdf_thumbnails_finalize;
  object_class->get_property = cbm_pdf_thumbnails_get_property;
  object_class->set_property = cbm_pdf_thumbnails_set_property;
  widget_class->map = cbm_pdf_thumbnails_map;
  widget_class->unmap = cbm_pdf_thumbnails_unmap;

  properties[PROP_VIEW] =
    g_param_spec_object ("view", NULL, NULL, CBM_TYPE_PDF_VIEW,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "cbm-pdf-thumbnails");
}

static void
cbm_pdf_thumbnails_init (CbmPdfThumbnails *self)
{
  GtkListItemFactory *factory;

  self->cache = cbm_pdf_page_cache_new (CBM_PDF_THUMBNAILS_CACHE_LIMIT);
  self->cancellable = g_cancellable_new ();
  self->textured = g_hash_table_new (NULL, NULL);
  self->failed = g_hash_table_new (NULL, NULL);
  self->bound = g_hash_table_new (NULL, NULL);
  self->rendering_page = -1;

  self->items = g_list_store_new (CBM_TYPE_PDF_THUMBNAIL_ITEM);
  self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->items)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  g_signal_connect_object (self->selection, "notify::selected",
                           G_CALLBACK (selection_changed_cb), self, G_CONNECT_SWAPPED);

  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (setup_row_cb), NULL);
  g_signal_connect_object (factory, "bind", G_CALLBACK (bind_row_cb), self, 0);
  g_signal_connect_object (factory, "unbind", G_CALLBACK (unbind_row_cb), self, 0);
  self->list = gtk_list_view_new (GTK_SELECTION_MODEL (g_object_ref (self->selection)), factory);
  gtk_widget_add_css_class (self->list, "navigation-sidebar");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->list),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Thumbnails"), -1);

  self->scrolled_window = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (self->scrolled_window),
                                  GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (self->scrolled_window), self->list);
  gtk_widget_set_parent (self->scrolled_window, GTK_WIDGET (self));
  g_signal_connect_object (gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (self->scrolled_window)),
                           "value-changed", G_CALLBACK (schedule_render), self, G_CONNECT_SWAPPED);
  /* Renders are made for the screen's scale: a move to a HiDPI screen makes them again. */
  g_signal_connect (self, "notify::scale-factor", G_CALLBACK (reload), NULL);
}

GtkWidget *
cbm_pdf_thumbnails_new (void)
{
  return g_object_new (CBM_TYPE_PDF_THUMBNAILS, NULL);
}

CbmPdfView *
cbm_pdf_thumbnails_get_view (CbmPdfThumbnails *self)
{
  g_return_val_if_fail (CBM_IS_PDF_THUMBNAILS (self), NULL);
  return self->view;
}

/**
 * cbm_pdf_thumbnails_set_view:
 * @view: (nullable): the view whose document, page and night mode the thumbnails follow
 */
void
cbm_pdf_thumbnails_set_view (CbmPdfThumbnails *self,
                             CbmPdfView       *view)
{
  g_return_if_fail (CBM_IS_PDF_THUMBNAILS (self));
  g_return_if_fail (view == NULL || CBM_IS_PDF_VIEW (view));

  if (self->view == view)
    return;

  if (self->view != NULL)
    g_signal_handlers_disconnect_by_data (self->view, self);
  g_set_object (&self->view, view);

  if (view != NULL)
    {
      g_signal_connect_object (view, "notify::model",
                               G_CALLBACK (view_model_changed_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (view, "notify::rendering",
                               G_CALLBACK (view_rendering_changed_cb), self, G_CONNECT_SWAPPED);
    }

  set_model (self, view != NULL ? cbm_pdf_view_get_model (view) : NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VIEW]);
}

/**
 * cbm_pdf_thumbnails_get_pages:
 *
 * Returns: (transfer none): one #CbmPdfThumbnailItem per page, the current page selected
 */
GtkSelectionModel *
cbm_pdf_thumbnails_get_pages (CbmPdfThumbnails *self)
{
  g_return_val_if_fail (CBM_IS_PDF_THUMBNAILS (self), NULL);
  return GTK_SELECTION_MODEL (self->selection);
}

CbmPdfPageCache *
cbm_pdf_thumbnails_get_cache (CbmPdfThumbnails *self)
{
  g_return_val_if_fail (CBM_IS_PDF_THUMBNAILS (self), NULL);
  return self->cache;
}
