/* cbm-sync-controller.c
 *
 * Copyright 2026 The CBM Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "cbm-sync.h"
#include "cbm-sync-controller.h"

/* When and from where to sync: the bundled sample on first start, then the configured
 * repository on start, every sync-interval minutes while the network is up, and on demand.
 * The window shows what this object says (busy, progress, offline) and its messages. */

struct _CbmSyncController
{
  GObject          parent_instance;

  CbmStore        *store;
  GSettings       *settings;
  CbmSyncClient   *client;
  GNetworkMonitor *monitor;
  GCancellable    *cancellable;
  char            *repository;
  guint            timer_id;
  gboolean         importing;
  gboolean         offline;
  gboolean         started;
};

G_DEFINE_FINAL_TYPE (CbmSyncController, cbm_sync_controller, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_BUSY,
  PROP_OFFLINE,
  PROP_FRACTION,
  PROP_CAN_SYNC,
  N_PROPS
};

enum {
  MESSAGE,
  FAILED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void sync_remote (CbmSyncController *self);

char *
cbm_sync_controller_dup_sample_url (void)
{
  const char *dir = g_getenv ("CBM_SAMPLE_REPOSITORY");
  g_autofree char *path = NULL;

  path = g_build_filename (dir != NULL ? dir : PKGDATADIR "/sample-repository", "v1", "index.json", NULL);
  /* A relative folder in the environment is taken from the current directory. */
  {
    g_autofree char *absolute = g_canonicalize_filename (path, NULL);
    return g_filename_to_uri (absolute, NULL, NULL);
  }
}

/* The setting counts MiB, the client bytes. */
static gboolean
mib_to_bytes (GValue   *value,
              GVariant *variant,
              gpointer  user_data)
{
  g_value_set_uint64 (value, (guint64) g_variant_get_uint32 (variant) * 1024 * 1024);
  return TRUE;
}

static void
set_offline (CbmSyncController *self,
             gboolean           offline)
{
  if (self->offline == offline)
    return;
  self->offline = offline;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OFFLINE]);
}

static gboolean
is_network_error (const GError *error)
{
  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED) ||
         g_error_matches (error, G_IO_ERROR, G_IO_ERROR_HOST_UNREACHABLE) ||
         g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NETWORK_UNREACHABLE) ||
         g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT) ||
         g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED) ||
         g_error_matches (error, G_IO_ERROR, G_IO_ERROR_HOST_NOT_FOUND) ||
         g_error_matches (error, G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND) ||
         g_error_matches (error, G_RESOLVER_ERROR, G_RESOLVER_ERROR_TEMPORARY_FAILURE) ||
         g_error_matches (error, CBM_SYNC_ERROR, CBM_SYNC_ERROR_UNREACHABLE);
}

/* "3 documents updated in Chile", or a summary when several countries changed. */
static char *
describe_report (CbmSyncController *self,
                 CbmSyncReport     *report)
{
  const char *language = cbm_text_user_language ();
  CbmStoreChanges *only = NULL;
  guint countries = 0, documents = 0;

  for (guint i = 0; i < report->changes->len; i++)
    {
      CbmStoreChanges *changes = g_ptr_array_index (report->changes, i);
      guint n = changes->documents_added + changes->documents_changed + changes->documents_removed;

      if (changes->country == NULL || n == 0)
        continue;
      countries++;
      documents += n;
      only = changes;
    }

  if (countries == 1)
    {
      CbmCountry *country = cbm_store_lookup_country (self->store, only->country);
      const char *name = country ? cbm_country_get_name (country, language) : only->country;

      /* Translators: "3 documents updated in Chile". */
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u document updated in %s",
                                           "%u documents updated in %s", documents),
                              documents, name);
    }
  if (countries > 1)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u document updated in %u countries",
                                         "%u documents updated in %u countries", documents),
                            documents, countries);
  return NULL;
}

static void
on_sync_done (CbmSyncController *self,
              GAsyncResult      *result,
              gboolean           was_import)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CbmSyncReport) report = NULL;
  g_autofree char *text = NULL;

  report = cbm_sync_client_sync_finish (self->client, result, &error);
  g_clear_object (&self->cancellable);
  self->importing = FALSE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);

  if (report == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_signal_emit (self, signals[MESSAGE], 0, _("Synchronisation cancelled. The data already received is kept."));
          return;
        }
      if (!was_import)
        set_offline (self, is_network_error (error));
      g_signal_emit (self, signals[FAILED], 0,
                     was_import ? _("The bundled sample repository could not be loaded")
                                : _("The repository could not be synchronised"),
                     error->message);
      return;
    }

  if (!was_import)
    set_offline (self, FALSE);

  for (guint i = 0; i < report->problems->len; i++)
    {
      GError *problem = g_ptr_array_index (report->problems, i);
      g_signal_emit (self, signals[FAILED], 0, _("Part of the repository could not be updated"), problem->message);
    }

  text = describe_report (self, report);
  if (was_import)
    g_signal_emit (self, signals[MESSAGE], 0, _("The bundled sample repository is ready to use offline."));
  else if (text != NULL)
    g_signal_emit (self, signals[MESSAGE], 0, text);

  if (was_import && self->repository != NULL)
    sync_remote (self);
}

static void
import_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(CbmSyncController) self = user_data;

  on_sync_done (self, result, TRUE);
}

static void
remote_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(CbmSyncController) self = user_data;

  on_sync_done (self, result, FALSE);
}

static void
run_sync (CbmSyncController   *self,
          const char          *url,
          GAsyncReadyCallback  callback)
{
  if (self->cancellable != NULL)
    return;
  if (url == NULL)
    {
      g_signal_emit (self, signals[FAILED], 0, _("The bundled sample repository could not be loaded"),
                     _("Its folder could not be found."));
      return;
    }

  self->cancellable = g_cancellable_new ();
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
  cbm_sync_client_sync_async (self->client, url, self->cancellable, callback, g_object_ref (self));
}

static void
sync_remote (CbmSyncController *self)
{
  if (self->repository != NULL)
    run_sync (self, self->repository, remote_done_cb);
}

static gboolean
periodic_cb (gpointer user_data)
{
  CbmSyncController *self = user_data;

  if (g_network_monitor_get_network_available (self->monitor))
    sync_remote (self);
  return G_SOURCE_CONTINUE;
}

static void
network_changed_cb (CbmSyncController *self,
                    gboolean           available,
                    GNetworkMonitor   *monitor)
{
  /* Coming back online is a good moment to catch up. */
  if (available && self->offline && self->started)
    sync_remote (self);
}

static void
progress_changed_cb (CbmSyncController *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FRACTION]);
}

static void
cbm_sync_controller_dispose (GObject *object)
{
  CbmSyncController *self = (CbmSyncController *)object;

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->timer_id, g_source_remove);
  g_clear_object (&self->client);
  g_clear_object (&self->store);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->repository, g_free);

  G_OBJECT_CLASS (cbm_sync_controller_parent_class)->dispose (object);
}

static void
cbm_sync_controller_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  CbmSyncController *self = CBM_SYNC_CONTROLLER (object);

  switch (prop_id)
    {
    case PROP_BUSY:
      g_value_set_boolean (value, cbm_sync_controller_get_busy (self));
      break;
    case PROP_OFFLINE:
      g_value_set_boolean (value, self->offline);
      break;
    case PROP_FRACTION:
      g_value_set_double (value, cbm_sync_controller_get_fraction (self));
      break;
    case PROP_CAN_SYNC:
      g_value_set_boolean (value, cbm_sync_controller_get_can_sync (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cbm_sync_controller_class_init (CbmSyncControllerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cbm_sync_controller_dispose;
  object_class->get_property = cbm_sync_controller_get_property;

  properties[PROP_BUSY] = g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                                                G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_OFFLINE] = g_param_spec_boolean ("offline", NULL, NULL, FALSE,
                                                   G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_FRACTION] = g_param_spec_double ("fraction", NULL, NULL, 0.0, 1.0, 0.0,
                                                   G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CAN_SYNC] = g_param_spec_boolean ("can-sync", NULL, NULL, FALSE,
                                                    G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* A message for a toast. */
  signals[MESSAGE] = g_signal_new ("message", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                   NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  /* A failure: a headline and the detail. */
  signals[FAILED] = g_signal_new ("failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                  NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);
}

static void
cbm_sync_controller_init (CbmSyncController *self)
{
  self->monitor = g_network_monitor_get_default ();
}

CbmSyncController *
cbm_sync_controller_new (CbmStore   *store,
                         GSettings  *settings,
                         const char *repository)
{
  CbmSyncController *self = g_object_new (CBM_TYPE_SYNC_CONTROLLER, NULL);
  g_autofree char *configured = g_settings_get_string (settings, "repository-url");

  self->store = g_object_ref (store);
  self->settings = g_object_ref (settings);
  self->client = cbm_sync_client_new (store);
  g_settings_bind_with_mapping (settings, "max-document-size", self->client, "max-document-size",
                                G_SETTINGS_BIND_GET, mib_to_bytes, NULL, NULL, NULL);

  /* The command line wins over the setting; empty means the bundled snapshot only. */
  if (repository != NULL && *repository != '\0')
    self->repository = g_strdup (repository);
  else if (*configured != '\0')
    self->repository = g_steal_pointer (&configured);

  g_signal_connect_object (self->client, "notify::bytes-done", G_CALLBACK (progress_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->client, "notify::files-done", G_CALLBACK (progress_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->monitor, "network-changed", G_CALLBACK (network_changed_cb), self, G_CONNECT_SWAPPED);
  return self;
}

/**
 * cbm_sync_controller_start:
 *
 * Call once the store is open: imports the bundled sample into an empty store, then syncs
 * with the configured repository and keeps doing so periodically.
 */
void
cbm_sync_controller_start (CbmSyncController *self)
{
  guint minutes = g_settings_get_uint (self->settings, "sync-interval");

  g_return_if_fail (CBM_IS_SYNC_CONTROLLER (self));

  self->started = TRUE;
  if (self->repository != NULL)
    self->timer_id = g_timeout_add_seconds (MAX (minutes, 5) * 60, periodic_cb, self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_SYNC]);

  if (g_list_model_get_n_items (cbm_store_get_countries (self->store)) == 0)
    {
      g_autofree char *sample = cbm_sync_controller_dup_sample_url ();

      self->importing = TRUE;
      run_sync (self, sample, import_done_cb);
    }
  else if (g_settings_get_boolean (self->settings, "sync-on-start"))
    sync_remote (self);
}

void
cbm_sync_controller_sync (CbmSyncController *self)
{
  g_return_if_fail (CBM_IS_SYNC_CONTROLLER (self));
  sync_remote (self);
}

void
cbm_sync_controller_cancel (CbmSyncController *self)
{
  g_return_if_fail (CBM_IS_SYNC_CONTROLLER (self));
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
}

gboolean
cbm_sync_controller_get_busy (CbmSyncController *self)
{
  g_return_val_if_fail (CBM_IS_SYNC_CONTROLLER (self), FALSE);
  return self->cancellable != NULL;
}

gboolean
cbm_sync_controller_get_offline (CbmSyncController *self)
{
  g_return_val_if_fail (CBM_IS_SYNC_CONTROLLER (self), FALSE);
  return self->offline;
}

gboolean
cbm_sync_controller_get_can_sync (CbmSyncController *self)
{
  g_return_val_if_fail (CBM_IS_SYNC_CONTROLLER (self), FALSE);
  return self->started && self->repository != NULL;
}

const char *
cbm_sync_controller_get_repository (CbmSyncController *self)
{
  g_return_val_if_fail (CBM_IS_SYNC_CONTROLLER (self), NULL);
  return self->repository;
}

/* Files count more than bytes when sizes are unknown; both feed the one bar. */
double
cbm_sync_controller_get_fraction (CbmSyncController *self)
{
  guint files_done = 0, files_total = 0;
  guint64 bytes_done = 0, bytes_total = 0;

  g_return_val_if_fail (CBM_IS_SYNC_CONTROLLER (self), 0.0);

  g_object_get (self->client,
                "files-done", &files_done, "files-total", &files_total,
                "bytes-done", &bytes_done, "bytes-total", &bytes_total,
                NULL);
  if (bytes_total > 0)
    return CLAMP ((double) bytes_done / bytes_total, 0.0, 1.0);
  if (files_total > 0)
    return CLAMP ((double) files_done / files_total, 0.0, 1.0);
  return 0.0;
}
