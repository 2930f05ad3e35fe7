/* cbm-pdf-model.c
 *
 * Copyright 2026 The CBM Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>

#include "cbm-pdf-model.h"

/* What a document view shows, without any widget: the document, the current page, the zoom and
 * how it is chosen, and night mode. Views and toolbars bind to it. */
struct _CbmPdfModel
{
  GObject           parent_instance;

  CbmPdfHelper     *helper;
  CbmPdfInfo       *info;
  int               page;
  double            scale;
  CbmPdfSizingMode  sizing_mode;
  gboolean          night_mode;
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

static void
opened_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CbmPdfModel *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(CbmPdfInfo) info = cbm_pdf_helper_open_finish (CBM_PDF_HELPER (object), result, &error);

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
  self->page = CLAMP (self->page, 0, self->info->n_pages - 1);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_INFO]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PAGE]);
  g_task_return_boolean (task, TRUE);
}

static void
cbm_pdf_model_finalize (GObject *object)
{
  CbmPdfModel *self = CBM_PDF_MODEL (object);

  g_clear_object (&self->helper);
  g_clear_pointer (&self->info, cbm_pdf_info_unref);

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
  cbm_pdf_helper_open_async (self->helper, path, password, cancellable, opened_cb, task);
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
