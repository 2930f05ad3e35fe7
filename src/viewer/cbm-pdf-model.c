/* cbm-pdf-model.c
 *
 * Copyright 2026 The CBM Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>

#include "cbm-pdf-model.h"

/* What a document view shows, without any widget: the document, the current page, the zoom and
 * how it is chosen, and night mode. Views and toolbars bind to it.
 *
 * The model also holds the page geometry views lay out with. Given the view's viewport, a load
 * has the helper render the current page right behind the open, at the scale the view will
 * use, and hands that render to the view with the document: the first page needs no second
 * trip through the main loop, and no frame of placeholders comes before it. */
struct _CbmPdfModel
{
  GObject           parent_instance;

  CbmPdfHelper     *helper;
  CbmPdfInfo       *info;
  int               page;
  double            scale;
  CbmPdfSizingMode  sizing_mode;
  gboolean          night_mode;

  double            max_page_width;
  double            max_page_height;

  int               viewport_width;
  int               viewport_height;
  int               scale_factor;

  /* Only while "info" is notified. */
  int               first_page;
  CbmPdfImage      *first_image;
  GError           *first_error;
};

G_DEFINE_FINAL_TYPE (CbmPdfModel, cbm_pdf_model, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_HELPER,
  PROP_INFO,
  PROP_PAGE,
  PROP_SCALE,
  PROP_SIZING_MODE,
  PROP_NIGHT_MODE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

#define ZOOM_FACTOR 1.2

/* A render is capped at 4096 × 4096 device pixels (64 MiB); past that a page is drawn scaled
 * up from the capped render. */
#define MAX_RENDER_PIXELS (4096.0 * 4096.0)
#define MAX_PAGE_POINTS   14400.0

/* What a load needs to choose the scale of its first render, away from the main thread. */
typedef struct
{
  CbmPdfSizingMode mode;
  double           scale;
  int              width;
  int              height;
  int              scale_factor;
} Viewport;

GType
cbm_pdf_sizing_mode_get_type (void)
{
  static gsize type_id = 0;

  if (g_once_init_enter (&type_id))
    {
      static const GEnumValue values[] = {
        { CBM_PDF_SIZING_FIT_WIDTH, "CBM_PDF_SIZING_FIT_WIDTH", "fit-width" },
        { CBM_PDF_SIZING_FIT_PAGE, "CBM_PDF_SIZING_FIT_PAGE", "fit-page" },
        { CBM_PDF_SIZING_FREE, "CBM_PDF_SIZING_FREE", "free" },
        { 0, NULL, NULL },
      };
      GType type = g_enum_register_static (g_intern_static_string ("CbmPdfSizingMode"), values);

      g_once_init_leave (&type_id, type);
    }

  return type_id;
}

/* Pages as views lay them out: absurd sizes from hostile files are clamped. */
static void
get_page_size (const CbmPdfInfo *info,
               int               page,
               double           *width,
               double           *height)
{
  const CbmPdfPageSize *size = &info->page_sizes[page];

  *width = isfinite (size->width) ? CLAMP (size->width, 1.0, MAX_PAGE_POINTS) : 612.0;
  *height = isfinite (size->height) ? CLAMP (size->height, 1.0, MAX_PAGE_POINTS) : 792.0;
}

static void
get_max_page_size (const CbmPdfInfo *info,
                   double           *max_width,
                   double           *max_height)
{
  *max_width = 0;
  *max_height = 0;
  for (int i = 0; i < info->n_pages; i++)
    {
      double width, height;

      get_page_size (info, i, &width, &height);
      *max_width = MAX (*max_width, width);
      *max_height = MAX (*max_height, height);
    }
}

static double
cap_render_scale (const CbmPdfInfo *info,
                  int               page,
                  double            scale)
{
  double width, height;

  get_page_size (info, page, &width, &height);
  if (width * height * scale * scale > MAX_RENDER_PIXELS)
    scale = sqrt (MAX_RENDER_PIXELS / (width * height));
  return scale;
}

/* Runs on the helper's worker thread, with a copy of the model's state. */
static double
first_render_scale (const CbmPdfInfo *info,
                    int               page,
                    gpointer          user_data)
{
  const Viewport *viewport = user_data;
  double max_width, max_height, scale;

  get_max_page_size (info, &max_width, &max_height);
  scale = cbm_pdf_model_compute_scale (viewport->mode, max_width, max_height,
                                       viewport->width, viewport->height, viewport->scale);
  return cap_render_scale (info, page, scale * viewport->scale_factor);
}

static void
opened_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CbmPdfModel *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) first_error = NULL;
  g_autoptr(CbmPdfImage) first_image = NULL;
  g_autoptr(CbmPdfInfo) info = NULL;
  int first_page = -1;

  if (g_async_result_is_tagged (result, cbm_pdf_helper_open_and_render_async))
    info = cbm_pdf_helper_open_and_render_finish (CBM_PDF_HELPER (object), result, &first_page,
                                                  &first_image, &first_error, &error);
  else
    info = cbm_pdf_helper_open_finish (CBM_PDF_HELPER (object), result, &error);

  if (info == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* The helper checks the claimed page count against the real one; an empty document is an
   * error for a viewer all the same. */
  if (info->n_pages <= 0)
    {
      g_task_return_error (task, cbm_pdf_error_new (CBM_PDF_ERROR_DAMAGED));
      return;
    }

  g_clear_pointer (&self->info, cbm_pdf_info_unref);
  self->info = g_steal_pointer (&info);
  get_max_page_size (self->info, &self->max_page_width, &self->max_page_height);
  self->page = CLAMP (self->page, 0, self->info->n_pages - 1);

  /* A render that failed is handed over too, so that a view does not try again for as long. */
  if (first_image != NULL || first_error != NULL)
    {
      self->first_page = first_page;
      self->first_image = g_steal_pointer (&first_image);
      self->first_error = g_steal_pointer (&first_error);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_INFO]);
  g_clear_pointer (&self->first_image, cbm_pdf_image_unref);
  g_clear_error (&self->first_error);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PAGE]);
  g_task_return_boolean (task, TRUE);
}

static void
cbm_pdf_model_finalize (GObject *object)
{
  CbmPdfModel *self = CBM_PDF_MODEL (object);

  g_clear_object (&self->helper);
  g_clear_pointer (&self->info, cbm_pdf_info_unref);
  g_clear_pointer (&self->first_image, cbm_pdf_image_unref);
  g_clear_error (&self->first_error);

  G_OBJECT_CLASS (cbm_pdf_model_parent_class)->finalize (object);
}

static void
cbm_pdf_model_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  CbmPdfModel *self = CBM_PDF_MODEL (object);

  switch (prop_id)
    {
    case PROP_HELPER:
      g_value_set_object (value, self->helper);
      break;
    case PROP_INFO:
      g_value_set_boxed (value, self->info);
      break;
    case PROP_PAGE:
      g_value_set_int (value, self->page);
      break;
    case PROP_SCALE:
      g_value_set_double (value, self->scale);
      break;
    case PROP_SIZING_MODE:
      g_value_set_enum (value, self->sizing_mode);
      break;
    case PROP_NIGHT_MODE:
      g_value_set_boolean (value, self->night_mode);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cbm_pdf_model_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  CbmPdfModel *self = CBM_PDF_MODEL (object);

  switch (prop_id)
    {
    case PROP_HELPER:
      self->helper = g_value_dup_object (value);
      break;
    case PROP_PAGE:
      cbm_pdf_model_set_page (self, g_value_get_int (value));
      break;
    case PROP_SCALE:
      cbm_pdf_model_set_scale (self, g_value_get_double (value));
      break;
    case PROP_SIZING_MODE:
      cbm_pdf_model_set_sizing_mode (self, g_value_get_enum (value));
      break;
    case PROP_NIGHT_MODE:
      cbm_pdf_model_set_night_mode (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cbm_pdf_model_class_init (CbmPdfModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cbm_pdf_model_finalize;
  object_class->get_property = cbm_pdf_model_get_property;
  object_class->set_property = cbm_pdf_model_set_property;

  properties[PROP_HELPER] =
    g_param_spec_object ("helper", NULL, NULL, CBM_TYPE_PDF_HELPER,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_INFO] =
    g_param_spec_boxed ("info", NULL, NULL, CBM_TYPE_PDF_INFO,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PAGE] =
    g_param_spec_int ("page", NULL, NULL, 0, G_MAXINT, 0,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SCALE] =
    g_param_spec_double ("scale", NULL, NULL, CBM_PDF_MIN_SCALE, CBM_PDF_MAX_SCALE, 1.0,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SIZING_MODE] =
    g_param_spec_enum ("sizing-mode", NULL, NULL, CBM_TYPE_PDF_SIZING_MODE,
                       CBM_PDF_SIZING_FIT_WIDTH,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_NIGHT_MODE] =
    g_param_spec_boolean ("night-mode", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cbm_pdf_model_init (CbmPdfModel *self)
{
  self->scale = 1.0;
  self->sizing_mode = CBM_PDF_SIZING_FIT_WIDTH;
  self->scale_factor = 1;
}

CbmPdfModel *
cbm_pdf_model_new (CbmPdfHelper *helper)
{
  g_return_val_if_fail (CBM_IS_PDF_HELPER (helper), NULL);

  return g_object_new (CBM_TYPE_PDF_MODEL, "helper", helper, NULL);
}

CbmPdfHelper *
cbm_pdf_model_get_helper (CbmPdfModel *self)
{
  g_return_val_if_fail (CBM_IS_PDF_MODEL (self), NULL);
  return self->helper;
}

/**
 * cbm_pdf_model_get_info:
 *
 * Returns: (nullable) (transfer none): the open document's info, or %NULL before it is loaded
 */
CbmPdfInfo *
cbm_pdf_model_get_info (CbmPdfModel *self)
{
  g_return_val_if_fail (CBM_IS_PDF_MODEL (self), NULL);
  return self->info;
}

int
cbm_pdf_model_get_n_pages (CbmPdfModel *self)
{
  g_return_val_if_fail (CBM_IS_PDF_MODEL (self), 0);
  return self->info != NULL ? self->info->n_pages : 0;
}

/**
 * cbm_pdf_model_get_page_size:
 * @page: a page of the open document
 * @width: (out): its width in points, as views lay it out
 * @height: (out): its height in points
 */
void
cbm_pdf_model_get_page_size (CbmPdfModel *self,
                             int          page,
                             double      *width,
                             double      *height)
{
  g_return_if_fail (CBM_IS_PDF_MODEL (self));
  g_return_if_fail (self->info != NULL && page >= 0 && page < self->info->n_pages);

  get_page_size (self->info, page, width, height);
}

/**
 * cbm_pdf_model_get_max_page_size:
 * @width: (out): the width of the widest page, in points, or 0 without a document
 * @height: (out): the height of the tallest page
 */
void
cbm_pdf_model_get_max_page_size (CbmPdfModel *self,
                                 double      *width,
                                 double      *height)
{
  g_return_if_fail (CBM_IS_PDF_MODEL (self));

  *width = self->info != NULL ? self->max_page_width : 0;
  *height = self->info != NULL ? self->max_page_height : 0;
}

/**
 * cbm_pdf_model_get_render_scale:
 * @page: a page of the open document
 * @scale_factor: device pixels per logical pixel
 *
 * Returns: the scale, in device pixels per point, to render @page at for the current zoom,
 *   lowered for pages so large that their render would pass the pixel cap
 */
double
cbm_pdf_model_get_render_scale (CbmPdfModel *self,
                                int          page,
                                int          scale_factor)
{
  g_return_val_if_fail (CBM_IS_PDF_MODEL (self), 1.0);
  g_return_val_if_fail (self->info != NULL && page >= 0 && page < self->info->n_pages, 1.0);

  return cap_render_scale (self->info, page, self->scale * scale_factor);
}

/**
 * cbm_pdf_model_set_viewport:
 * @width: the width of the area that shows the pages, in logical pixels
 * @height: its height
 * @scale_factor: device pixels per logical pixel
 *
 * A view tells the model its size, so that loads render the current page along with the
 * document, at the scale the view will lay it out at.
 */
void
cbm_pdf_model_set_viewport (CbmPdfModel *self,
                            int          width,
                            int          height,
                            int          scale_factor)
{
  g_return_if_fail (CBM_IS_PDF_MODEL (self));

  self->viewport_width = width;
  self->viewport_height = height;
  self->scale_factor = MAX (scale_factor, 1);
}

/**
 * cbm_pdf_model_take_first_render:
 * @page: (out): the page of the render
 * @error: return location for why the render failed
 *
 * The render that a load made along with the document. A view calls this when "info" is
 * notified; the model keeps the render only during that notification.
 *
 * Returns: (transfer full) (nullable): the pixels of @page, or %NULL if there is no render (with
 *   @error set if it failed)
 */
CbmPdfImage *
cbm_pdf_model_take_first_render (CbmPdfModel  *self,
                                 int          *page,
                                 GError      **error)
{
  g_return_val_if_fail (CBM_IS_PDF_MODEL (self), NULL);

  *page = self->first_page;
  if (self->first_error != NULL)
    g_propagate_error (error, g_steal_pointer (&self->first_error));
  return g_steal_pointer (&self->first_image);
}

int
cbm_pdf_model_get_page (CbmPdfModel *self)
{
  g_return_val_if_fail (CBM_IS_PDF_MODEL (self), 0);
  return self->page;
}

void
cbm_pdf_model_set_page (CbmPdfModel *self,
                        int          page)
{
  g_return_if_fail (CBM_IS_PDF_MODEL (self));

  if (self->info != NULL)
    page = CLAMP (page, 0, self->info->n_pages - 1);
  page = MAX (page, 0);
  if (self->page == page)
    return;

  self->page = page;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PAGE]);
}

double
cbm_pdf_model_get_scale (CbmPdfModel *self)
{
  g_return_val_if_fail (CBM_IS_PDF_MODEL (self), 1.0);
  return self->scale;
}

void
cbm_pdf_model_set_scale (CbmPdfModel *self,
                         double       scale)
{
  g_return_if_fail (CBM_IS_PDF_MODEL (self));

  if (!isfinite (scale))
    return;
  scale = CLAMP (scale, CBM_PDF_MIN_SCALE, CBM_PDF_MAX_SCALE);
  if (fabs (self->scale - scale) < 1e-6)
    return;

  self->scale = scale;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SCALE]);
}

CbmPdfSizingMode
cbm_pdf_model_get_sizing_mode (CbmPdfModel *self)
{
  g_return_val_if_fail (CBM_IS_PDF_MODEL (self), CBM_PDF_SIZING_FREE);
  return self->sizing_mode;
}

void
cbm_pdf_model_set_sizing_mode (CbmPdfModel      *self,
                               CbmPdfSizingMode  mode)
{
  g_return_if_fail (CBM_IS_PDF_MODEL (self));
  g_return_if_fail (mode <= CBM_PDF_SIZING_FREE);

  if (self->sizing_mode == mode)
    return;

  self->sizing_mode = mode;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SIZING_MODE]);
}

gboolean
cbm_pdf_model_get_night_mode (CbmPdfModel *self)
{
  g_return_val_if_fail (CBM_IS_PDF_MODEL (self), FALSE);
  return self->night_mode;
}

void
cbm_pdf_model_set_night_mode (CbmPdfModel *self,
                              gboolean     night_mode)
{
  g_return_if_fail (CBM_IS_PDF_MODEL (self));

  night_mode = !!night_mode;
  if (self->night_mode == night_mode)
    return;

  self->night_mode = night_mode;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NIGHT_MODE]);
}

void
cbm_pdf_model_zoom_in (CbmPdfModel *self)
{
  g_return_if_fail (CBM_IS_PDF_MODEL (self));

  cbm_pdf_model_set_sizing_mode (self, CBM_PDF_SIZING_FREE);
  cbm_pdf_model_set_scale (self, self->scale * ZOOM_FACTOR);
}

void
cbm_pdf_model_zoom_out (CbmPdfModel *self)
{
  g_return_if_fail (CBM_IS_PDF_MODEL (self));

  cbm_pdf_model_set_sizing_mode (self, CBM_PDF_SIZING_FREE);
  cbm_pdf_model_set_scale (self, self->scale / ZOOM_FACTOR);
}

/**
 * cbm_pdf_model_load_async:
 * @path: the PDF file
 * @password: (nullable): the password of an encrypted document
 *
 * Opens @path in the model's helper; on success the model's info is set.
 */
void
cbm_pdf_model_load_async (CbmPdfModel         *self,
                          const char          *path,
                          const char          *password,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (CBM_IS_PDF_MODEL (self));
  g_return_if_fail (path != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cbm_pdf_model_load_async);

  if (self->viewport_width > 0 && self->viewport_height > 0)
    {
      Viewport *viewport = g_new (Viewport, 1);

      viewport->mode = self->sizing_mode;
      viewport->scale = self->scale;
      viewport->width = self->viewport_width;
      viewport->height = self->viewport_height;
      viewport->scale_factor = self->scale_factor;
      cbm_pdf_helper_open_and_render_async (self->helper, path, password, self->page,
                                            first_render_scale, viewport, g_free, cancellable,
                                            opened_cb, task);
    }
  else
    {
      cbm_pdf_helper_open_async (self->helper, path, password, cancellable, opened_cb, task);
    }
}

gboolean
cbm_pdf_model_load_finish (CbmPdfModel   *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * cbm_pdf_model_compute_scale:
 * @page_width: the widest page, in points
 * @page_height: its height, in points
 * @view_width: the visible area, in logical pixels
 * @view_height: the visible area, in logical pixels
 * @current_scale: returned as is (clamped) for %CBM_PDF_SIZING_FREE
 *
 * Returns: the scale that @mode asks for, leaving %CBM_PDF_PAGE_SPACING around the page
 */
double
cbm_pdf_model_compute_scale (CbmPdfSizingMode mode,
                             double           page_width,
                             double           page_height,
                             double           view_width,
                             double           view_height,
                             double           current_scale)
{
  double by_width, by_height, scale;

  if (mode == CBM_PDF_SIZING_FREE || page_width <= 0 || page_height <= 0)
    return CLAMP (current_scale, CBM_PDF_MIN_SCALE, CBM_PDF_MAX_SCALE);

  by_width = (view_width - 2 * CBM_PDF_PAGE_SPACING) / page_width;
  by_height = (view_height - 2 * CBM_PDF_PAGE_SPACING) / page_height;
  scale = mode == CBM_PDF_SIZING_FIT_WIDTH ? by_width : MIN (by_width, by_height);

  return CLAMP (scale, CBM_PDF_MIN_SCALE, CBM_PDF_MAX_SCALE);
}
