/* cbm-pdf-view.c
 *
 * Copyright 2026 The CBM Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "cbm-pdf-view.h"

/* All pages of a document one below the other, for a GtkScrolledWindow. Pages are rendered by
 * the helper one job at a time, visible pages first, and drawn from a capped texture cache;
 * until a page's render at the current zoom arrives, its older render is drawn scaled, or a
 * placeholder. */
struct _CbmPdfView
{
  GtkWidget         parent_instance;

  CbmPdfModel      *model;
  CbmPdfPageCache  *cache;
  GCancellable     *cancellable;

  GtkAdjustment    *hadjustment;
  GtkAdjustment    *vadjustment;
  guint             hscroll_policy : 1;
  guint             vscroll_policy : 1;

  /* Layout at layout_scale, in logical pixels: the top of each page, and the end. */
  int               n_pages;
  double           *offsets;
  double            layout_scale;
  double            content_width;
  double            max_page_width;   /* in points */
  double            max_page_height;

  GHashTable       *failed;           /* page → message */
  int               rendering_page;
  guint             render_idle;
  gboolean          render_after_paint;
  gboolean          rendering;        /* pages on screen are waiting for renders */
  gulong            after_paint_id;

  gboolean          allocating;
  gboolean          updating_page;
  gboolean          anchor_valid;
  int               anchor_page;
  double            anchor_fraction;
  int               pending_page;

  GPtrArray        *matches;          /* of CbmPdfMatch */
  int               current_match;

  gboolean          selecting;
  double            drag_x;
  double            drag_y;
  double            drag_dx;
  double            drag_dy;
  int               selection_page;
  CbmPdfRect        selection;        /* in points */
  char             *selected_text;

  double            zoom_begin_scale;
};

static void cbm_pdf_view_scrollable_init (GtkScrollableInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (CbmPdfView, cbm_pdf_view, GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (GTK_TYPE_SCROLLABLE, cbm_pdf_view_scrollable_init))

enum {
  PROP_0,
  PROP_MODEL,
  PROP_RENDERING,
  N_PROPS,
  PROP_HADJUSTMENT = N_PROPS,
  PROP_VADJUSTMENT,
  PROP_HSCROLL_POLICY,
  PROP_VSCROLL_POLICY,
};

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_PAGE_RENDERED,
  SIGNAL_LINK_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

typedef enum
{
  SCROLL_STEP_UP,
  SCROLL_STEP_DOWN,
  SCROLL_STEP_LEFT,
  SCROLL_STEP_RIGHT,
  SCROLL_PAGE_UP,
  SCROLL_PAGE_DOWN,
  SCROLL_START,
  SCROLL_END,
} ScrollKind;

#define SCROLL_STEP       40.0
#define DRAG_THRESHOLD    4.0
/* Rendered pages kept on either side of the screen, within the cache's memory cap. */
#define RETAIN_MARGIN     3

static void
get_page_size (CbmPdfView *self,
               int         page,
               double     *width,
               double     *height)
{
  cbm_pdf_model_get_page_size (self->model, page, width, height);
}

static gboolean
has_document (CbmPdfView *self)
{
  return self->model != NULL && cbm_pdf_model_get_info (self->model) != NULL;
}

static double
get_scale (CbmPdfView *self)
{
  return self->model != NULL ? cbm_pdf_model_get_scale (self->model) : 1.0;
}

static void
relayout (CbmPdfView *self)
{
  double scale = get_scale (self);
  double y = CBM_PDF_PAGE_SPACING;

  self->n_pages = has_document (self) ? cbm_pdf_model_get_n_pages (self->model) : 0;
  g_clear_pointer (&self->offsets, g_free);
  self->offsets = g_new (double, self->n_pages + 1);
  self->max_page_width = 0;
  self->max_page_height = 0;
  if (self->model != NULL)
    cbm_pdf_model_get_max_page_size (self->model, &self->max_page_width, &self->max_page_height);

  for (int i = 0; i < self->n_pages; i++)
    {
      double width, height;

      get_page_size (self, i, &width, &height);
      self->offsets[i] = y;
      y += height * scale + CBM_PDF_PAGE_SPACING;
    }

  self->offsets[self->n_pages] = y;
  self->layout_scale = scale;
  self->content_width = self->max_page_width * scale + 2 * CBM_PDF_PAGE_SPACING;
}

static double
content_height (CbmPdfView *self)
{
  return self->offsets != NULL ? self->offsets[self->n_pages] : 0;
}

/* The page at content offset @y (the last page whose top is above it). */
static int
page_at_y (CbmPdfView *self,
           double      y)
{
  int lo = 0, hi = self->n_pages - 1;

  if (self->n_pages == 0)
    return -1;

  while (lo < hi)
    {
      int mid = (lo + hi + 1) / 2;

      if (self->offsets[mid] <= y)
        lo = mid;
      else
        hi = mid - 1;
    }

  return lo;
}

/* The page's rectangle in widget coordinates. */
static void
get_page_rect (CbmPdfView      *self,
               int              page,
               graphene_rect_t *rect)
{
  double width, height, x;
  double scale = self->layout_scale;
  double view_width = gtk_widget_get_width (GTK_WIDGET (self));
  double hvalue = self->hadjustment != NULL ? gtk_adjustment_get_value (self->hadjustment) : 0;
  double vvalue = self->vadjustment != NULL ? gtk_adjustment_get_value (self->vadjustment) : 0;

  get_page_size (self, page, &width, &height);
  if (self->content_width <= view_width)
    x = (view_width - width * scale) / 2;
  else
    x = (self->content_width - width * scale) / 2 - hvalue;

  graphene_rect_init (rect, floor (x), floor (self->offsets[page] - vvalue),
                      ceil (width * scale), ceil (height * scale));
}

static void
get_visible_range (CbmPdfView *self,
                   int        *first,
                   int        *last)
{
  double top = gtk_adjustment_get_value (self->vadjustment);

  *first = page_at_y (self, top);
  *last = page_at_y (self, top + gtk_widget_get_height (GTK_WIDGET (self)));
}

/* The scale, in device pixels per point, that @page should be rendered at. */
static double
get_render_scale (CbmPdfView *self,
                  int         page)
{
  return cbm_pdf_model_get_render_scale (self->model, page,
                                         gtk_widget_get_scale_factor (GTK_WIDGET (self)));
}

static gboolean
page_needs_render (CbmPdfView *self,
                   int         page)
{
  double cached_scale, wanted;

  if (page < 0 || page >= self->n_pages)
    return FALSE;
  if (g_hash_table_contains (self->failed, GINT_TO_POINTER (page)))
    return FALSE;
  if (cbm_pdf_page_cache_lookup (self->cache, page, &cached_scale) == NULL)
    return TRUE;

  wanted = get_render_scale (self, page);
  return fabs (cached_scale - wanted) / wanted > 0.01;
}

static void
set_rendering (CbmPdfView *self,
               gboolean    rendering)
{
  if (self->rendering == rendering)
    return;

  self->rendering = rendering;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RENDERING]);
}

static void schedule_render (CbmPdfView *self);
static void update_layout   (CbmPdfView *self,
                             int         width,
                             int         height);

/* Keeps a page's render, or why it failed, and asks for the next render. */
static void
add_render (CbmPdfView   *self,
            int           page,
            CbmPdfImage  *image,
            const GError *error)
{
  int first = 0, last = -1;

  if (image == NULL)
    {
      g_debug ("Page %d could not be rendered: %s", page + 1, error->message);
      g_hash_table_insert (self->failed, GINT_TO_POINTER (page), g_strdup (error->message));
    }
  else
    {
      double width, height;

      /* The scale the helper actually used, which its own pixel cap may have lowered. */
      get_page_size (self, page, &width, &height);
      cbm_pdf_page_cache_insert_image (self->cache, page, image->width / width, image,
                                       cbm_pdf_model_get_page (self->model));
      g_debug ("Page %d rendered, %d × %d", page + 1, image->width, image->height);
      g_signal_emit (self, signals[SIGNAL_PAGE_RENDERED], 0, page);
    }

  if (self->offsets != NULL && gtk_widget_get_mapped (GTK_WIDGET (self)))
    get_visible_range (self, &first, &last);

  /* A page on screen is painted before the next render is asked for, so that the render does not
   * compete with that frame; a page off screen needs no frame at all. */
  if (page >= first && page <= last)
    {
      gtk_widget_queue_draw (GTK_WIDGET (self));
      self->render_after_paint = TRUE;
    }
  else
    {
      schedule_render (self);
    }
}

static void
page_rendered_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(CbmPdfView) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(CbmPdfImage) image = cbm_pdf_helper_render_page_finish (CBM_PDF_HELPER (object), result, &error);
  int page = self->rendering_page;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self->rendering_page = -1;
  if (page >= 0 && page < self->n_pages)
    add_render (self, page, image, error);
}

static gboolean
render_next_cb (gpointer user_data)
{
  CbmPdfView *self = user_data;
  int first, last, current, candidate = -1;

  self->render_idle = 0;
  if (self->rendering_page >= 0 || self->render_after_paint)
    return G_SOURCE_REMOVE;
  if (!has_document (self) || !gtk_widget_get_mapped (GTK_WIDGET (self)))
    {
      set_rendering (self, FALSE);
      return G_SOURCE_REMOVE;
    }
  if (self->offsets == NULL)
    return G_SOURCE_REMOVE;

  get_visible_range (self, &first, &last);
  current = CLAMP (cbm_pdf_model_get_page (self->model), first, last);
  cbm_pdf_page_cache_retain (self->cache, first - RETAIN_MARGIN, last + RETAIN_MARGIN);

  /* The current page, then the rest of the screen, then one page either side. */
  if (page_needs_render (self, current))
    candidate = current;
  for (int page = first; candidate < 0 && page <= last; page++)
    if (page_needs_render (self, page))
      candidate = page;
  if (candidate < 0 && page_needs_render (self, last + 1))
    candidate = last + 1;
  if (candidate < 0 && page_needs_render (self, first - 1))
    candidate = first - 1;
  if (candidate < 0)
    {
      set_rendering (self, FALSE);
      return G_SOURCE_REMOVE;
    }

  self->rendering_page = candidate;
  g_debug ("Rendering page %d at %.2f", candidate + 1, get_render_scale (self, candidate));
  cbm_pdf_helper_render_page_async (cbm_pdf_model_get_helper (self->model), candidate,
                                    get_render_scale (self, candidate), self->cancellable,
                                    page_rendered_cb, g_object_ref (self));
  return G_SOURCE_REMOVE;
}

static void
schedule_render (CbmPdfView *self)
{
  set_rendering (self, TRUE);
  if (self->render_idle == 0)
    self->render_idle = g_idle_add (render_next_cb, self);
}

static void
update_current_page (CbmPdfView *self)
{
  double top;
  int page;

  if (!has_document (self) || self->offsets == NULL)
    return;

  /* The page that covers the upper third of the view is the one being read. */
  top = gtk_adjustment_get_value (self->vadjustment);
  page = page_at_y (self, top + gtk_widget_get_height (GTK_WIDGET (self)) / 3.0);
  if (top + gtk_adjustment_get_page_size (self->vadjustment) >= gtk_adjustment_get_upper (self->vadjustment) - 1
      && top > 0)
    page = self->n_pages - 1;

  self->updating_page = TRUE;
  cbm_pdf_model_set_page (self->model, page);
  self->updating_page = FALSE;
}

static void
scroll_to_page (CbmPdfView *self,
                int         page,
                double      y_in_page)
{
  if (self->offsets == NULL || gtk_widget_get_width (GTK_WIDGET (self)) == 0)
    {
      self->pending_page = page;
      return;
    }

  page = CLAMP (page, 0, self->n_pages - 1);
  gtk_adjustment_set_value (self->vadjustment,
                            self->offsets[page] - CBM_PDF_PAGE_SPACING + y_in_page * self->layout_scale);
}

static void
adjustment_value_changed_cb (CbmPdfView *self)
{
  update_current_page (self);
  schedule_render (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
set_adjustment (CbmPdfView     *self,
                GtkAdjustment **slot,
                GtkAdjustment  *adjustment)
{
  if (adjustment == NULL)
    adjustment = gtk_adjustment_new (0, 0, 0, 0, 0, 0);
  if (*slot == adjustment)
    return;

  if (*slot != NULL)
    {
      g_signal_handlers_disconnect_by_func (*slot, adjustment_value_changed_cb, self);
      g_object_unref (*slot);
    }

  *slot = g_object_ref_sink (adjustment);
  g_signal_connect_object (adjustment, "value-changed",
                           G_CALLBACK (adjustment_value_changed_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

static void
model_info_changed_cb (CbmPdfView *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->rendering_page = -1;
  cbm_pdf_page_cache_clear (self->cache);
  g_hash_table_remove_all (self->failed);
  g_clear_pointer (&self->matches, g_ptr_array_unref);
  g_clear_pointer (&self->selected_text, g_free);
  self->selection_page = -1;
  self->anchor_valid = FALSE;
  g_clear_pointer (&self->offsets, g_free);
  self->n_pages = 0;
  self->pending_page = self->model != NULL ? cbm_pdf_model_get_page (self->model) : -1;
  self->render_after_paint = FALSE;
  gtk_widget_queue_resize (GTK_WIDGET (self));

  /* A view already on screen lays the new document out at once, so that the first page is in
   * the next frame. */
  if (has_document (self) && gtk_widget_get_mapped (GTK_WIDGET (self))
      && gtk_widget_get_width (GTK_WIDGET (self)) > 0)
    {
      update_layout (self, gtk_widget_get_width (GTK_WIDGET (self)),
                     gtk_widget_get_height (GTK_WIDGET (self)));
      g_clear_handle_id (&self->render_idle, g_source_remove);
    }

  /* The model may bring the first page's render along with the document; otherwise it is
   * asked for now rather than after the next frame. */
  if (has_document (self))
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(CbmPdfImage) image = NULL;
      int page;

      image = cbm_pdf_model_take_first_render (self->model, &page, &error);
      if (image != NULL || error != NULL)
        add_render (self, page, image, error);
      else if (self->offsets != NULL)
        render_next_cb (self);
    }
}

static void
model_scale_changed_cb (CbmPdfView *self)
{
  /* Keep the point at the top of the view where it is while the pages grow or shrink. */
  if (self->offsets != NULL && self->n_pages > 0 && !self->anchor_valid)
    {
      double top = gtk_adjustment_get_value (self->vadjustment) + CBM_PDF_PAGE_SPACING;
      int page = page_at_y (self, top);

      self->anchor_page = page;
      self->anchor_fraction = (top - self->offsets[page]) / self->layout_scale;
      self->anchor_valid = TRUE;
    }

  if (!self->allocating)
    gtk_widget_queue_resize (GTK_WIDGET (self));
}

static void
model_page_changed_cb (CbmPdfView *self)
{
  if (self->updating_page || !has_document (self))
    return;
  scroll_to_page (self, cbm_pdf_model_get_page (self->model), 0);
}

static void
queue_draw_cb (CbmPdfView *self)
{
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
scroll_binding (CbmPdfView *self,
                ScrollKind  kind)
{
  GtkAdjustment *adj = self->vadjustment;
  double value = gtk_adjustment_get_value (adj);
  double page_size = gtk_adjustment_get_page_size (adj);

  switch (kind)
    {
    case SCROLL_STEP_UP:
      value -= SCROLL_STEP;
      break;
    case SCROLL_STEP_DOWN:
      value += SCROLL_STEP;
      break;
    case SCROLL_STEP_LEFT:
    case SCROLL_STEP_RIGHT:
      adj = self->hadjustment;
      value = gtk_adjustment_get_value (adj) + (kind == SCROLL_STEP_LEFT ? -SCROLL_STEP : SCROLL_STEP);
      break;
    case SCROLL_PAGE_UP:
      value -= page_size * 0.9;
      break;
    case SCROLL_PAGE_DOWN:
      value += page_size * 0.9;
      break;
    case SCROLL_START:
      value = 0;
      break;
    case SCROLL_END:
    default:
      value = gtk_adjustment_get_upper (adj);
      break;
    }

  gtk_adjustment_set_value (adj, value);
}

static gboolean
scroll_binding_cb (GtkWidget *widget,
                   GVariant  *args,
                   gpointer   user_data)
{
  scroll_binding (CBM_PDF_VIEW (widget), g_variant_get_int32 (args));
  return TRUE;
}

static gboolean
scroll_cb (GtkEventControllerScroll *controller,
           double                    dx,
           double                    dy,
           CbmPdfView               *self)
{
  GdkModifierType state = gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (controller));

  if ((state & GDK_CONTROL_MASK) == 0 || !has_document (self))
    return FALSE;

  cbm_pdf_model_set_sizing_mode (self->model, CBM_PDF_SIZING_FREE);
  cbm_pdf_model_set_scale (self->model, get_scale (self) * pow (1.2, -CLAMP (dy, -5, 5)));
  return TRUE;
}

static void
zoom_begin_cb (GtkGesture       *gesture,
               GdkEventSequence *sequence,
               CbmPdfView       *self)
{
  self->zoom_begin_scale = get_scale (self);
}

static void
zoom_scale_changed_cb (GtkGestureZoom *gesture,
                       double          scale,
                       CbmPdfView     *self)
{
  if (!has_document (self))
    return;
  cbm_pdf_model_set_sizing_mode (self->model, CBM_PDF_SIZING_FREE);
  cbm_pdf_model_set_scale (self->model, self->zoom_begin_scale * scale);
}

/* Maps a widget point to a page and a point on it in PDF points. */
static gboolean
point_to_page (CbmPdfView *self,
               double      x,
               double      y,
               int        *page,
               double     *px,
               double     *py)
{
  graphene_rect_t rect;
  int p;

  if (!has_document (self) || self->offsets == NULL)
    return FALSE;

  p = page_at_y (self, y + gtk_adjustment_get_value (self->vadjustment));
  get_page_rect (self, p, &rect);
  *page = p;
  *px = (x - rect.origin.x) / self->layout_scale;
  *py = (y - rect.origin.y) / self->layout_scale;
  return TRUE;
}

typedef struct
{
  CbmPdfView *view;
  double      x;
  double      y;
} LinkQuery;

static void
got_links_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  LinkQuery *query = user_data;
  g_autoptr(CbmPdfView) self = query->view;
  g_autoptr(GPtrArray) links = cbm_pdf_helper_get_links_finish (CBM_PDF_HELPER (object), result, NULL);
  double x = query->x, y = query->y;

  g_free (query);
  if (links == NULL || !has_document (self))
    return;

  for (guint i = 0; i < links->len; i++)
    {
      CbmPdfLink *link = g_ptr_array_index (links, i);

      if (x < link->area.x1 || x > link->area.x2 || y < link->area.y1 || y > link->area.y2)
        continue;

      if (link->kind == CBM_PDF_LINK_GOTO)
        cbm_pdf_model_set_page (self->model, link->page);
      else if (link->uri != NULL && cbm_pdf_uri_is_allowed (link->uri))
        g_signal_emit (self, signals[SIGNAL_LINK_ACTIVATED], 0, link->uri);
      return;
    }
}

static void
selected_text_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(CbmPdfView) self = user_data;
  g_autoptr(GError) error = NULL;
  char *text = cbm_pdf_helper_get_selected_text_finish (CBM_PDF_HELPER (object), result, &error);

  if (text == NULL)
    {
      g_debug ("No selected text: %s", error->message);
      return;
    }

  g_free (self->selected_text);
  self->selected_text = text;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "viewer.copy", *text != '\0');
}

static void
drag_begin_cb (GtkGestureDrag *gesture,
               double          x,
               double          y,
               CbmPdfView     *self)
{
  gtk_widget_grab_focus (GTK_WIDGET (self));
  self->drag_x = x;
  self->drag_y = y;
  self->drag_dx = 0;
  self->drag_dy = 0;
  self->selecting = FALSE;
}

static void
update_selection (CbmPdfView *self)
{
  int page, page2;
  double x1, y1, x2, y2, width, height;

  if (!point_to_page (self, self->drag_x, self->drag_y, &page, &x1, &y1)
      || !point_to_page (self, self->drag_x + self->drag_dx, self->drag_y + self->drag_dy,
                         &page2, &x2, &y2))
    return;

  /* A selection stays on the page where it started. */
  if (page2 != page)
    y2 = page2 > page ? G_MAXDOUBLE : 0;

  get_page_size (self, page, &width, &height);
  self->selection_page = page;
  self->selection.x1 = CLAMP (MIN (x1, x2), 0, width);
  self->selection.x2 = CLAMP (MAX (x1, x2), 0, width);
  self->selection.y1 = CLAMP (MIN (y1, y2), 0, height);
  self->selection.y2 = CLAMP (MAX (y1, y2), 0, height);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
drag_update_cb (GtkGestureDrag *gesture,
                double          dx,
                double          dy,
                CbmPdfView     *self)
{
  self->drag_dx = dx;
  self->drag_dy = dy;
  if (!self->selecting && hypot (dx, dy) < DRAG_THRESHOLD)
    return;

  self->selecting = TRUE;
  update_selection (self);
}

static void
drag_end_cb (GtkGestureDrag *gesture,
             double          dx,
             double          dy,
             CbmPdfView     *self)
{
  CbmPdfHelper *helper;

  if (!has_document (self))
    return;
  helper = cbm_pdf_model_get_helper (self->model);

  if (self->selecting)
    {
      self->drag_dx = dx;
      self->drag_dy = dy;
      update_selection (self);
      self->selecting = FALSE;
      if (self->selection_page >= 0)
        cbm_pdf_helper_get_selected_text_async (helper, self->selection_page, &self->selection,
                                                self->cancellable, selected_text_cb,
                                                g_object_ref (self));
    }
  else
    {
      LinkQuery *query = g_new0 (LinkQuery, 1);
      int page;

      /* A click clears the selection and may follow a link. */
      self->selection_page = -1;
      g_clear_pointer (&self->selected_text, g_free);
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "viewer.copy", FALSE);
      gtk_widget_queue_draw (GTK_WIDGET (self));

      if (!point_to_page (self, self->drag_x, self->drag_y, &page, &query->x, &query->y))
        {
          g_free (query);
          return;
        }
      query->view = g_object_ref (self);
      cbm_pdf_helper_get_links_async (helper, page, self->cancellable, got_links_cb, query);
    }
}

static void
copy_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  CbmPdfView *self = CBM_PDF_VIEW (widget);

  if (self->selected_text != NULL && *self->selected_text != '\0')
    gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), self->selected_text);
}

static void
zoom_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  CbmPdfView *self = CBM_PDF_VIEW (widget);

  if (self->model == NULL)
    return;

  if (g_str_equal (action_name, "viewer.zoom-in"))
    cbm_pdf_model_zoom_in (self->model);
  else if (g_str_equal (action_name, "viewer.zoom-out"))
    cbm_pdf_model_zoom_out (self->model);
  else
    cbm_pdf_model_set_sizing_mode (self->model, CBM_PDF_SIZING_FIT_WIDTH);
}

static void
draw_message (GtkWidget             *widget,
              GtkSnapshot           *snapshot,
              const graphene_rect_t *rect,
              const char            *text)
{
  PangoLayout *layout = gtk_widget_create_pango_layout (widget, text);
  GdkRGBA color = { 0.55, 0.1, 0.1, 1.0 };
  int width, height;

  pango_layout_set_width (layout, (int) MAX (rect->size.width - 24, 10) * PANGO_SCALE);
  pango_layout_set_alignment (layout, PANGO_ALIGN_CENTER);
  pango_layout_get_pixel_size (layout, &width, &height);

  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot,
                          &GRAPHENE_POINT_INIT (rect->origin.x + 12,
                                                rect->origin.y + MAX (12, rect->size.height / 3)));
  gtk_snapshot_append_layout (snapshot, layout, &color);
  gtk_snapshot_restore (snapshot);
  g_object_unref (layout);
}

static void
append_area (GtkSnapshot           *snapshot,
             const graphene_rect_t *page_rect,
             double                 scale,
             const CbmPdfRect      *area,
             const GdkRGBA         *color)
{
  graphene_rect_t rect;

  graphene_rect_init (&rect,
                      page_rect->origin.x + area->x1 * scale,
                      page_rect->origin.y + area->y1 * scale,
                      (area->x2 - area->x1) * scale,
                      (area->y2 - area->y1) * scale);
  gtk_snapshot_append_color (snapshot, color, &rect);
}

/* Draws the strips of @page's render that are on screen, stretched as @texture, the whole
 * render, would be to fill @rect. */
static void
append_page_texture (CbmPdfView            *self,
                     GtkSnapshot           *snapshot,
                     int                    page,
                     GdkTexture            *texture,
                     const graphene_rect_t *rect)
{
  double ratio = rect->size.height / gdk_texture_get_height (texture);
  int view_height = gtk_widget_get_height (GTK_WIDGET (self));
  GdkTexture **strips;
  guint n_strips;
  int strip_height;

  strips = cbm_pdf_page_cache_get_strips (self->cache, page, &n_strips, &strip_height);
  for (guint i = 0; i < n_strips; i++)
    {
      double y = rect->origin.y + (double) i * strip_height * ratio;
      double height = gdk_texture_get_height (strips[i]) * ratio;

      if (y + height > 0 && y < view_height)
        gtk_snapshot_append_texture (snapshot, strips[i],
                                     &GRAPHENE_RECT_INIT (rect->origin.x, y, rect->size.width,
                                                          height));
    }
}

static void
cbm_pdf_view_snapshot (GtkWidget   *widget,
                       GtkSnapshot *snapshot)
{
  CbmPdfView *self = CBM_PDF_VIEW (widget);
  static const GdkRGBA placeholder = { 0.92, 0.92, 0.92, 1 };
  static const GdkRGBA failed = { 0.98, 0.9, 0.9, 1 };
  static const GdkRGBA frame_colors[4] = { { 0, 0, 0, 0.2 }, { 0, 0, 0, 0.2 },
                                            { 0, 0, 0, 0.2 }, { 0, 0, 0, 0.2 } };
  static const float frame_widths[4] = { 1, 1, 1, 1 };
  static const GdkRGBA match_color = { 1.0, 0.85, 0.0, 0.4 };
  static const GdkRGBA current_match_color = { 1.0, 0.5, 0.0, 0.55 };
  static const GdkRGBA selection_color = { 0.21, 0.52, 0.89, 0.35 };
  gboolean night;
  int first, last;

  if (!has_document (self) || self->offsets == NULL || self->n_pages == 0)
    return;

  night = cbm_pdf_model_get_night_mode (self->model);
  if (night)
    {
      graphene_matrix_t matrix;
      graphene_vec4_t offset;

      /* Inverts red, green and blue: c' = 1 - c. */
      graphene_matrix_init_from_float (&matrix, (float[16]) { -1, 0, 0, 0,
                                                              0, -1, 0, 0,
                                                              0, 0, -1, 0,
                                                              0, 0, 0, 1 });
      graphene_vec4_init (&offset, 1, 1, 1, 0);
      gtk_snapshot_push_color_matrix (snapshot, &matrix, &offset);
    }

  get_visible_range (self, &first, &last);
  for (int page = first; page >= 0 && page <= last; page++)
    {
      graphene_rect_t rect;
      GskRoundedRect outline;
      GdkTexture *texture = cbm_pdf_page_cache_lookup (self->cache, page, NULL);
      const char *error = g_hash_table_lookup (self->failed, GINT_TO_POINTER (page));

      get_page_rect (self, page, &rect);
      /* A plain frame, not a blurred shadow, and only its outline: software renderers pay for
       * every pixel filled, so each page's area is filled once, by the page itself. */
      gsk_rounded_rect_init_from_rect (&outline, &rect, 0);
      gsk_rounded_rect_shrink (&outline, -1, -1, -1, -1);
      gtk_snapshot_append_border (snapshot, &outline, frame_widths, frame_colors);

      /* Renders are opaque: the helper draws each page on white. */
      if (texture != NULL)
        append_page_texture (self, snapshot, page, texture, &rect);
      else if (error != NULL)
        {
          g_autofree char *text = g_strdup_printf (_("This page could not be shown.\n%s"), error);

          gtk_snapshot_append_color (snapshot, &failed, &rect);
          draw_message (widget, snapshot, &rect, text);
        }
      else
        {
          gtk_snapshot_append_color (snapshot, &placeholder, &rect);
        }

    }

  if (night)
    gtk_snapshot_pop (snapshot);

  /* Highlights keep their colours in night mode. */
  for (int page = first; page >= 0 && page <= last; page++)
    {
      graphene_rect_t rect;

      get_page_rect (self, page, &rect);
      for (guint i = 0; self->matches != NULL && i < self->matches->len; i++)
        {
          CbmPdfMatch *match = g_ptr_array_index (self->matches, i);

          if (match->page == page)
            append_area (snapshot, &rect, self->layout_scale, &match->area,
                         (int) i == self->current_match ? &current_match_color : &match_color);
        }

      if (self->selection_page == page)
        append_area (snapshot, &rect, self->layout_scale, &self->selection, &selection_color);
    }
}

static void
cbm_pdf_view_measure (GtkWidget      *widget,
                      GtkOrientation  orientation,
                      int             for_size,
                      int            *minimum,
                      int            *natural,
                      int            *minimum_baseline,
                      int            *natural_baseline)
{
  CbmPdfView *self = CBM_PDF_VIEW (widget);

  *minimum = 0;
  if (self->offsets == NULL)
    *natural = 0;
  else if (orientation == GTK_ORIENTATION_HORIZONTAL)
    *natural = (int) ceil (self->content_width);
  else
    *natural = (int) ceil (content_height (self));
}

static void
configure_adjustment (GtkAdjustment *adjustment,
                      double         value,
                      double         content,
                      double         size)
{
  gtk_adjustment_configure (adjustment, value, 0, MAX (content, size),
                            SCROLL_STEP, size * 0.9, size);
}

/* Lays the pages out for a view of @width × @height and sets the adjustments. */
static void
update_layout (CbmPdfView *self,
               int         width,
               int         height)
{
  double value;

  if (self->model != NULL)
    cbm_pdf_model_set_viewport (self->model, width, height,
                                gtk_widget_get_scale_factor (GTK_WIDGET (self)));

  if (!has_document (self))
    {
      configure_adjustment (self->hadjustment, 0, 0, width);
      configure_adjustment (self->vadjustment, 0, 0, height);
      return;
    }

  if (self->offsets == NULL)
    relayout (self);

  self->allocating = TRUE;
  if (cbm_pdf_model_get_sizing_mode (self->model) != CBM_PDF_SIZING_FREE)
    cbm_pdf_model_set_scale (self->model,
                             cbm_pdf_model_compute_scale (cbm_pdf_model_get_sizing_mode (self->model),
                                                          self->max_page_width, self->max_page_height,
                                                          width, height, get_scale (self)));
  self->allocating = FALSE;

  if (fabs (self->layout_scale - get_scale (self)) > 1e-9)
    relayout (self);

  value = gtk_adjustment_get_value (self->vadjustment);
  if (self->anchor_valid)
    {
      int page = MIN (self->anchor_page, self->n_pages - 1);

      value = self->offsets[page] + self->anchor_fraction * self->layout_scale - CBM_PDF_PAGE_SPACING;
      self->anchor_valid = FALSE;
    }
  if (self->pending_page >= 0)
    {
      value = self->offsets[CLAMP (self->pending_page, 0, self->n_pages - 1)] - CBM_PDF_PAGE_SPACING;
      self->pending_page = -1;
    }

  configure_adjustment (self->hadjustment,
                        gtk_adjustment_get_value (self->hadjustment), self->content_width, width);
  configure_adjustment (self->vadjustment, value, content_height (self), height);
  update_current_page (self);
  schedule_render (self);
}

static void
cbm_pdf_view_size_allocate (GtkWidget *widget,
                            int        width,
                            int        height,
                            int        baseline)
{
  update_layout (CBM_PDF_VIEW (widget), width, height);
}

static void
after_paint_cb (GdkFrameClock *clock,
                CbmPdfView    *self)
{
  if (self->render_after_paint)
    {
      self->render_after_paint = FALSE;
      schedule_render (self);
    }
}

static void
cbm_pdf_view_map (GtkWidget *widget)
{
  CbmPdfView *self = CBM_PDF_VIEW (widget);

  GTK_WIDGET_CLASS (cbm_pdf_view_parent_class)->map (widget);
  self->after_paint_id = g_signal_connect (gtk_widget_get_frame_clock (widget), "after-paint",
                                           G_CALLBACK (after_paint_cb), self);
  /* A render that arrived while unmapped waits for no paint. */
  self->render_after_paint = FALSE;
  schedule_render (self);
}

static void
cbm_pdf_view_unmap (GtkWidget *widget)
{
  CbmPdfView *self = CBM_PDF_VIEW (widget);

  g_clear_signal_handler (&self->after_paint_id, gtk_widget_get_frame_clock (widget));
  GTK_WIDGET_CLASS (cbm_pdf_view_parent_class)->unmap (widget);
}

static void
scale_factor_changed_cb (CbmPdfView *self)
{
  schedule_render (self);
}

static void
cbm_pdf_view_dispose (GObject *object)
{
  CbmPdfView *self = CBM_PDF_VIEW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->render_idle, g_source_remove);
  cbm_pdf_view_set_model (self, NULL);

  G_OBJECT_CLASS (cbm_pdf_view_parent_class)->dispose (object);
}

static void
cbm_pdf_view_finalize (GObject *object)
{
  CbmPdfView *self = CBM_PDF_VIEW (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->cache);
  g_clear_object (&self->hadjustment);
  g_clear_object (&self->vadjustment);
  g_clear_pointer (&self->offsets, g_free);
  g_clear_pointer (&self->failed, g_hash_table_unref);
  g_clear_pointer (&self->matches, g_ptr_array_unref);
  g_clear_pointer (&self->selected_text, g_free);

  G_OBJECT_CLASS (cbm_pdf_view_parent_class)->finalize (object);
}

static void
cbm_pdf_view_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  CbmPdfView *self = CBM_PDF_VIEW (object);

  switch (prop_id)
    {
    case PROP_MODEL:
      g_value_set_object (value, self->model);
      break;
    case PROP_RENDERING:
      g_value_set_boolean (value, self->rendering);
      break;
    case PROP_HADJUSTMENT:
      g_value_set_object (value, self->hadjustment);
      break;
    case PROP_VADJUSTMENT:
      g_value_set_object (value, self->vadjustment);
      break;
    case PROP_HSCROLL_POLICY:
      g_value_set_enum (value, self->hscroll_policy);
      break;
    case PROP_VSCROLL_POLICY:
      g_value_set_enum (value, self->vscroll_policy);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cbm_pdf_view_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  CbmPdfView *self = CBM_PDF_VIEW (object);

  switch (prop_id)
    {
    case PROP_MODEL:
      cbm_pdf_view_set_model (self, g_value_get_object (value));
      break;
    case PROP_HADJUSTMENT:
      set_adjustment (self, &self->hadjustment, g_value_get_object (value));
      break;
    case PROP_VADJUSTMENT:
      set_adjustment (self, &self->vadjustment, g_value_get_object (value));
      break;
    case PROP_HSCROLL_POLICY:
      self->hscroll_policy = g_value_get_enum (value);
      gtk_widget_queue_resize (GTK_WIDGET (self));
      break;
    case PROP_VSCROLL_POLICY:
      self->vscroll_policy = g_value_get_enum (value);
      gtk_widget_queue_resize (GTK_WIDGET (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cbm_pdf_view_scrollable_init (GtkScrollableInterface *iface)
{
}

static void
add_scroll_binding (GtkWidgetClass  *widget_class,
                    guint            keyval,
                    GdkModifierType  modifiers,
                    ScrollKind       kind)
{
  gtk_widget_class_add_binding (widget_class, keyval, modifiers, scroll_binding_cb, "i", kind);
}

static void
cbm_pdf_view_class_init (CbmPdfViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cbm_pdf_view_dispose;
  object_class->finalize = cbm_pdf_view_finalize;
  object_class->get_property = cbm_pdf_view_get_property;
  object_class->set_property = cbm_pdf_view_set_property;
  widget_class->snapshot = cbm_pdf_view_snapshot;
  widget_class->measure = cbm_pdf_view_measure;
  widget_class->size_allocate = cbm_pdf_view_size_allocate;
  widget_class->map = cbm_pdf_view_map;
  widget_class->unmap = cbm_pdf_view_unmap;

  properties[PROP_MODEL] =
    g_param_spec_object ("model", NULL, NULL, CBM_TYPE_PDF_MODEL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* Other users of the model's helper (the thumbnails) wait while this is TRUE, since the helper
   * serves jobs in order. */
  properties[PROP_RENDERING] =
    g_param_spec_boolean ("rendering", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
  g_object_class_override_property (object_class, PROP_HADJUSTMENT, "hadjustment");
  g_object_class_override_property (object_class, PROP_VADJUSTMENT, "vadjustment");
  g_object_class_override_property (object_class, PROP_HSCROLL_POLICY, "hscroll-policy");
  g_object_class_override_property (object_class, PROP_VSCROLL_POLICY, "vscroll-policy");

  /**
   * CbmPdfView::page-rendered:
   * @page: the 0-based page whose render arrived
   */
  signals[SIGNAL_PAGE_RENDERED] =
    g_signal_new ("page-rendered", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT);
  /**
   * CbmPdfView::link-activated:
   * @uri: an http, https or mailto address the user clicked; the app asks before opening it
   */
  signals[SIGNAL_LINK_ACTIVATED] =
    g_signal_new ("link-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_install_action (widget_class, "viewer.copy", NULL, copy_activated);
  gtk_widget_class_install_action (widget_class, "viewer.zoom-in", NULL, zoom_activated);
  gtk_widget_class_install_action (widget_class, "viewer.zoom-out", NULL, zoom_activated);
  gtk_widget_class_install_action (widget_class, "viewer.zoom-reset", NULL, zoom_activated);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_c, GDK_CONTROL_MASK, "viewer.copy", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_plus, GDK_CONTROL_MASK, "viewer.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_equal, GDK_CONTROL_MASK, "viewer.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Add, GDK_CONTROL_MASK, "viewer.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_minus, GDK_CONTROL_MASK, "viewer.zoom-out", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Subtract, GDK_CONTROL_MASK, "viewer.zoom-out", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_0, GDK_CONTROL_MASK, "viewer.zoom-reset", NULL);

  add_scroll_binding (widget_class, GDK_KEY_Up, 0, SCROLL_STEP_UP);
  add_scroll_binding (widget_class, GDK_KEY_KP_Up, 0, SCROLL_STEP_UP);
  add_scroll_binding (widget_class, GDK_KEY_Down, 0, SCROLL_STEP_DOWN);
  add_scroll_binding (widget_class, GDK_KEY_KP_Down, 0, SCROLL_STEP_DOWN);
  add_scroll_binding (widget_class, GDK_KEY_Left, 0, SCROLL_STEP_LEFT);
  add_scroll_binding (widget_class, GDK_KEY_Right, 0, SCROLL_STEP_RIGHT);
  add_scroll_binding (widget_class, GDK_KEY_Page_Up, 0, SCROLL_PAGE_UP);
  add_scroll_binding (widget_class, GDK_KEY_KP_Page_Up, 0, SCROLL_PAGE_UP);
  add_scroll_binding (widget_class, GDK_KEY_Page_Down, 0, SCROLL_PAGE_DOWN);
  add_scroll_binding (widget_class, GDK_KEY_KP_Page_Down, 0, SCROLL_PAGE_DOWN);
  add_scroll_binding (widget_class, GDK_KEY_space, 0, SCROLL_PAGE_DOWN);
  add_scroll_binding (widget_class, GDK_KEY_space, GDK_SHIFT_MASK, SCROLL_PAGE_UP);
  add_scroll_binding (widget_class, GDK_KEY_Home, 0, SCROLL_START);
  add_scroll_binding (widget_class, GDK_KEY_KP_Home, 0, SCROLL_START);
  add_scroll_binding (widget_class, GDK_KEY_End, 0, SCROLL_END);
  add_scroll_binding (widget_class, GDK_KEY_KP_End, 0, SCROLL_END);

  gtk_widget_class_set_css_name (widget_class, "cbm-pdf-view");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_DOCUMENT);
}

static void
cbm_pdf_view_init (CbmPdfView *self)
{
  GtkEventController *scroll;
  GtkGesture *zoom, *drag;

  self->cache = cbm_pdf_page_cache_new (CBM_PDF_PAGE_CACHE_DEFAULT_LIMIT);
  self->cancellable = g_cancellable_new ();
  self->failed = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  self->rendering_page = -1;
  self->pending_page = -1;
  self->selection_page = -1;
  self->current_match = -1;
  set_adjustment (self, &self->hadjustment, NULL);
  set_adjustment (self, &self->vadjustment, NULL);

  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "viewer.copy", FALSE);

  scroll = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_VERTICAL);
  g_signal_connect (scroll, "scroll", G_CALLBACK (scroll_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), scroll);

  zoom = gtk_gesture_zoom_new ();
  g_signal_connect (zoom, "begin", G_CALLBACK (zoom_begin_cb), self);
  g_signal_connect (zoom, "scale-changed", G_CALLBACK (zoom_scale_changed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (zoom));

  drag = gtk_gesture_drag_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (drag), GDK_BUTTON_PRIMARY);
  g_signal_connect (drag, "drag-begin", G_CALLBACK (drag_begin_cb), self);
  g_signal_connect (drag, "drag-update", G_CALLBACK (drag_update_cb), self);
  g_signal_connect (drag, "drag-end", G_CALLBACK (drag_end_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drag));

  g_signal_connect (self, "notify::scale-factor", G_CALLBACK (scale_factor_changed_cb), NULL);
}

GtkWidget *
cbm_pdf_view_new (void)
{
  return g_object_new (CBM_TYPE_PDF_VIEW, NULL);
}

CbmPdfModel *
cbm_pdf_view_get_model (CbmPdfView *self)
{
  g_return_val_if_fail (CBM_IS_PDF_VIEW (self), NULL);
  return self->model;
}

void
cbm_pdf_view_set_model (CbmPdfView  *self,
                        CbmPdfModel *model)
{
  g_return_if_fail (CBM_IS_PDF_VIEW (self));
  g_return_if_fail (model == NULL || CBM_IS_PDF_MODEL (model));

  if (self->model == model)
    return;

  if (self->model != NULL)
    g_signal_handlers_disconnect_by_data (self->model, self);
  g_set_object (&self->model, model);

  if (model != NULL)
    {
      g_signal_connect_object (model, "notify::info", G_CALLBACK (model_info_changed_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (model, "notify::scale", G_CALLBACK (model_scale_changed_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (model, "notify::sizing-mode", G_CALLBACK (gtk_widget_queue_resize), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (model, "notify::page", G_CALLBACK (model_page_changed_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (model, "notify::night-mode", G_CALLBACK (queue_draw_cb), self, G_CONNECT_SWAPPED);
    }

  model_info_changed_cb (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODEL]);
}

/* Whether pages on screen are still waiting for their renders. */
gboolean
cbm_pdf_view_get_rendering (CbmPdfView *self)
{
  g_return_val_if_fail (CBM_IS_PDF_VIEW (self), FALSE);
  return self->rendering;
}

CbmPdfPageCache *
cbm_pdf_view_get_cache (CbmPdfView *self)
{
  g_return_val_if_fail (CBM_IS_PDF_VIEW (self), NULL);
  return self->cache;
}

/**
 * cbm_pdf_view_get_page_error:
 *
 * Returns: (nullable): why @page could not be rendered, or %NULL
 */
const char *
cbm_pdf_view_get_page_error (CbmPdfView *self,
                             int         page)
{
  g_return_val_if_fail (CBM_IS_PDF_VIEW (self), NULL);
  return g_hash_table_lookup (self->failed, GINT_TO_POINTER (page));
}

/**
 * cbm_pdf_view_set_matches:
 * @matches: (nullable) (element-type CbmPdfMatch): the matches to highlight
 */
void
cbm_pdf_view_set_matches (CbmPdfView *self,
                          GPtrArray  *matches)
{
  g_return_if_fail (CBM_IS_PDF_VIEW (self));

  g_clear_pointer (&self->matches, g_ptr_array_unref);
  if (matches != NULL)
    self->matches = g_ptr_array_ref (matches);
  self->current_match = -1;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* Highlights match @index apart from the others and scrolls it into view. */
void
cbm_pdf_view_set_current_match (CbmPdfView *self,
                                int         index)
{
  CbmPdfMatch *match;

  g_return_if_fail (CBM_IS_PDF_VIEW (self));

  if (self->matches == NULL || index < 0 || (guint) index >= self->matches->len)
    return;

  self->current_match = index;
  match = g_ptr_array_index (self->matches, index);
  scroll_to_page (self, match->page,
                  self->layout_scale > 0
                  ? MAX (0, match->area.y1 - gtk_widget_get_height (GTK_WIDGET (self)) / 3.0 / self->layout_scale)
                  : 0);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/**
 * cbm_pdf_view_get_selected_text:
 *
 * Returns: (nullable): the text of the last selection, once the helper has extracted it
 */
const char *
cbm_pdf_view_get_selected_text (CbmPdfView *self)
{
  g_return_val_if_fail (CBM_IS_PDF_VIEW (self), NULL);
  return self->selected_text;
}
