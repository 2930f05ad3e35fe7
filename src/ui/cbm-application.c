/* cbm-application.c
 *
 * Copyright 2026 The CBM Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "cbm-application.h"
#include "cbm-registration-sender.h"
#include "cbm-sync-controller.h"
#include "cbm-window.h"

struct _CbmApplication
{
  AdwApplication     parent_instance;

  GSettings         *settings;
  CbmStore          *store;
  CbmSyncController *sync;
  CbmIndexer        *indexer;
  CbmRegistrationSender *sender;
  char              *repository;
};

G_DEFINE_FINAL_TYPE (CbmApplication, cbm_application, ADW_TYPE_APPLICATION)

static char *
dup_data_dir (void)
{
  return g_build_filename (g_get_user_data_dir (), PACKAGE_NAME, NULL);
}

/* The index follows the store from now on: after the first import and after each sync. */
static void
indexer_opened_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(CbmApplication) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!cbm_indexer_open_finish (CBM_INDEXER (object), result, &error))
    {
      g_warning ("Could not open the search index: %s", error->message);
      return;
    }
  cbm_indexer_start (self->indexer);
}

static gboolean
start_background_work_cb (gpointer user_data)
{
  CbmApplication *self = user_data;

  cbm_indexer_open_async (self->indexer, NULL, indexer_opened_cb, g_object_ref (self));

  /* The outbox is delivered from now on; what a crash left unsent goes first. */
  self->sender = cbm_registration_sender_new (self->store);
  cbm_registration_sender_start (self->sender);
  return G_SOURCE_REMOVE;
}

static void
store_opened_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(CbmApplication) self = user_data;
  g_autoptr(GError) error = NULL;
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (!cbm_store_open_finish (CBM_STORE (object), result, &error))
    {
      if (CBM_IS_WINDOW (window))
        cbm_window_show_error (CBM_WINDOW (window), _("The local data could not be opened"), error->message);
      g_warning ("Could not open the store: %s", error->message);
      return;
    }

  cbm_sync_controller_start (self->sync);

  /* Indexing and delivery can wait until the window is on screen: on two cores they would
   * otherwise delay its first frame. */
  g_timeout_add_seconds_full (G_PRIORITY_DEFAULT_IDLE, 2, start_background_work_cb,
                              g_object_ref (self), g_object_unref);
}

static void
cbm_application_activate (GApplication *app)
{
  CbmApplication *self = CBM_APPLICATION (app);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));
  gboolean first = FALSE;

  if (self->store == NULL)
    {
      g_autofree char *dir = dup_data_dir ();
      g_autofree char *path = g_build_filename (dir, "cbm-desk.db", NULL);

      self->store = cbm_store_new (path);
      self->sync = cbm_sync_controller_new (self->store, self->settings, self->repository);
      g_free (path);
      path = g_build_filename (dir, "search.db", NULL);
      self->indexer = cbm_indexer_new (self->store, path);
      first = TRUE;
    }

  if (window == NULL)
    window = GTK_WINDOW (cbm_window_new (self, self->store, self->sync, self->settings));

  gtk_window_present (window);

  /* The window is on screen before any disk or network work starts. */
  if (first)
    cbm_store_open_async (self->store, NULL, store_opened_cb, g_object_ref (self));
}

static int
cbm_application_handle_local_options (GApplication *app,
                                      GVariantDict *options)
{
  CbmApplication *self = CBM_APPLICATION (app);
  const char *repository = NULL;

  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("%s %s\n", PACKAGE_NAME, PACKAGE_VERSION);
      return 0;
    }

  if (g_variant_dict_lookup (options, "repository", "&s", &repository))
    {
      g_free (self->repository);
      self->repository = g_strdup (repository);
    }

  return -1;
}

static void
quit_activated (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  g_application_quit (G_APPLICATION (user_data));
}

static void
about_activated (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  GtkApplication *app = GTK_APPLICATION (user_data);
  const char *developers[] = { _("The CBM Desk authors"), NULL };

  adw_show_about_window (gtk_application_get_active_window (app),
                         "application-name", _("CBM Desk"),
                         "application-icon", APP_ID,
                         "version", PACKAGE_VERSION,
                         "developer-name", _("The CBM Desk authors"),
                         "developers", developers,
                         "comments", _("National cyber policies, points of contact and workshops of the OAS member states, for the working group on cyber confidence-building measures."),
                         "license-type", GTK_LICENSE_GPL_3_0,
                         "translator-credits", _("translator-credits"),
                         NULL);
}

static void
refresh_registrations_activated (GSimpleAction *action,
                                 GVariant      *parameter,
                                 gpointer       user_data)
{
  CbmApplication *self = CBM_APPLICATION (user_data);

  if (self->sender == NULL)
    return;
  cbm_registration_sender_wake (self->sender);
  cbm_registration_sender_refresh (self->sender);
}

static const GActionEntry app_actions[] = {
  { "quit", quit_activated },
  { "about", about_activated },
  { "refresh-registrations", refresh_registrations_activated },
};

static void
cbm_application_startup (GApplication *app)
{
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *sync_accels[] = { "F5", "<Control>r", NULL };
  static const char *search_accels[] = { "<Control>f", NULL };
  static const char *search_documents_accels[] = { "<Control><Shift>f", NULL };

  G_APPLICATION_CLASS (cbm_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (app), app_actions, G_N_ELEMENTS (app_actions), app);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "win.sync", sync_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "win.search", search_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "win.search-documents", search_documents_accels);
}

static void
cbm_application_shutdown (GApplication *app)
{
  CbmApplication *self = CBM_APPLICATION (app);

  if (self->sync != NULL)
    cbm_sync_controller_cancel (self->sync);
  if (self->indexer != NULL)
    cbm_indexer_stop (self->indexer);

  G_APPLICATION_CLASS (cbm_application_parent_class)->shutdown (app);
}

static void
cbm_application_dispose (GObject *object)
{
  CbmApplication *self = CBM_APPLICATION (object);

  g_clear_object (&self->sync);
  g_clear_object (&self->sender);
  g_clear_object (&self->indexer);
  g_clear_object (&self->store);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->repository, g_free);

  G_OBJECT_CLASS (cbm_application_parent_class)->dispose (object);
}

static void
cbm_application_class_init (CbmApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = cbm_application_dispose;
  app_class->activate = cbm_application_activate;
  app_class->startup = cbm_application_startup;
  app_class->shutdown = cbm_application_shutdown;
  app_class->handle_local_options = cbm_application_handle_local_options;
}

static void
cbm_application_init (CbmApplication *self)
{
  static const GOptionEntry entries[] = {
    { "repository", 0, 0, G_OPTION_ARG_STRING, NULL,
      N_("Synchronise with the repository at this address (its v1/index.json)"), N_("URL") },
    { "version", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Show the version and quit"), NULL },
    { NULL }
  };

  self->settings = g_settings_new (APP_ID);
  g_application_add_main_option_entries (G_APPLICATION (self), entries);
  g_application_set_option_context_summary (G_APPLICATION (self),
                                            _("Cyber policies, points of contact and workshops of the OAS member states"));
}

CbmApplication *
cbm_application_new (void)
{
  return g_object_new (CBM_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       "resource-base-path", RESOURCE_BASE,
                       NULL);
}

/* The full-text index beside the store; %NULL before the first activation. */
CbmIndexer *
cbm_application_get_indexer (CbmApplication *self)
{
  g_return_val_if_fail (CBM_IS_APPLICATION (self), NULL);
  return self->indexer;
}
