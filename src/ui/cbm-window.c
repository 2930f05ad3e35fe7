/* cbm-window.c
 *
 * Copyright 2026 The CBM Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "cbm-contacts-view.h"
#include "cbm-countries-view.h"
#include "cbm-document-page.h"
#include "cbm-search-view.h"
#include "cbm-window.h"
#include "cbm-workshops-view.h"

struct _CbmWindow
{
  AdwApplicationWindow  parent_instance;

  CbmStore             *store;
  CbmSyncController    *sync;
  GSettings            *settings;

  AdwToastOverlay      *toast_overlay;
  GtkStack             *sync_stack;
  GtkRevealer          *offline_revealer;
  GtkProgressBar       *progress_bar;
  AdwViewStack         *stack;
  CbmCountriesView     *countries_view;
  CbmContactsView      *contacts_view;
  CbmSearchView        *search_view;
  CbmWorkshopsView     *workshops_view;
  int                   search_page;   /* where a search hit asked to open, or -1 */
  GtkStack             *content_stack;
  CbmDocumentPage      *document_page;
};

G_DEFINE_FINAL_TYPE (CbmWindow, cbm_window, ADW_TYPE_APPLICATION_WINDOW)

static void
update_sync_state (CbmWindow *self)
{
  gboolean busy = cbm_sync_controller_get_busy (self->sync);

  gtk_stack_set_visible_child_name (self->sync_stack, busy ? "busy" : "idle");
  gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), busy);
  gtk_progress_bar_set_fraction (self->progress_bar, cbm_sync_controller_get_fraction (self->sync));
  gtk_revealer_set_reveal_child (self->offline_revealer, cbm_sync_controller_get_offline (self->sync));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.sync",
                                 !busy && cbm_sync_controller_get_can_sync (self->sync));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.cancel-sync", busy);
}

static void
details_response_cb (AdwToast *toast,
                     gpointer  user_data)
{
  CbmWindow *self = CBM_WINDOW (user_data);
  const char *headline = g_object_get_data (G_OBJECT (toast), "headline");
  const char *detail = g_object_get_data (G_OBJECT (toast), "detail");
  GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (self), headline, detail);

  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

/**
 * cbm_window_show_error:
 * @headline: what failed, in a few words
 * @detail: the full message
 *
 * Shows a toast with the headline; its button opens the detail.
 */
void
cbm_window_show_error (CbmWindow  *self,
                       const char *headline,
                       const char *detail)
{
  AdwToast *toast;

  g_return_if_fail (CBM_IS_WINDOW (self));

  toast = adw_toast_new (headline);
  adw_toast_set_timeout (toast, 0);
  adw_toast_set_button_label (toast, _("_Details"));
  g_object_set_data_full (G_OBJECT (toast), "headline", g_strdup (headline), g_free);
  g_object_set_data_full (G_OBJECT (toast), "detail", g_strdup (detail), g_free);
  g_signal_connect_object (toast, "button-clicked", G_CALLBACK (details_response_cb), self, 0);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

void
cbm_window_show_toast (CbmWindow  *self,
                       const char *text)
{
  g_return_if_fail (CBM_IS_WINDOW (self));
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (text));
}

static void
sync_message_cb (CbmWindow  *self,
                 const char *text)
{
  cbm_window_show_toast (self, text);
}

static void
sync_failed_cb (CbmWindow  *self,
                const char *headline,
                const char *detail)
{
  cbm_window_show_error (self, headline, detail);
}

static void
sync_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  cbm_sync_controller_sync (CBM_WINDOW (widget)->sync);
}

static void
cancel_sync_activated (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  cbm_sync_controller_cancel (CBM_WINDOW (widget)->sync);
}

static void
search_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  CbmWindow *self = CBM_WINDOW (widget);

  /* Ctrl+F while reading finds in the document. */
  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->content_stack), "document") == 0)
    {
      gtk_widget_activate_action (GTK_WIDGET (self->document_page), "document.find", NULL);
      return;
    }

  adw_view_stack_set_visible_child_name (self->stack, "countries");
  cbm_countries_view_focus_search (self->countries_view);
}

/* win.open-document ("(ss)": document id, country code) reads the document inside the window. */
static void
open_document_activated (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  CbmWindow *self = CBM_WINDOW (widget);
  const char *id, *code;
  CbmCountry *country;
  CbmDocument *document;

  self->search_page = -1;
  g_variant_get (parameter, "(&s&s)", &id, &code);
  country = cbm_store_lookup_country (self->store, code);
  document = country != NULL ? cbm_country_find_document (country, id) : NULL;
  if (document == NULL)
    return;

  cbm_document_page_open (self->document_page, document,
                          cbm_country_get_name (country, cbm_text_user_language ()), self->settings);
  gtk_stack_set_visible_child_name (self->content_stack, "document");
}

/* win.search-documents: the search inside every document. */
static void
search_documents_activated (GtkWidget  *widget,
                            const char *action_name,
                            GVariant   *parameter)
{
  CbmWindow *self = CBM_WINDOW (widget);

  gtk_stack_set_visible_child_name (self->content_stack, "main");
  adw_view_stack_set_visible_child_name (self->stack, "search");
  cbm_search_view_focus_search (self->search_view);
}

/* The document loads, then its find results move to the first match: the page of the search
 * hit is set after each, until the find results are in. */
static void
go_to_search_page (CbmWindow *self)
{
  CbmPdfModel *model = cbm_document_page_get_model (self->document_page);

  if (self->search_page < 0 || cbm_pdf_model_get_n_pages (model) <= self->search_page)
    return;
  cbm_pdf_model_set_page (model, self->search_page);
  if (g_list_model_get_n_items (cbm_document_page_get_matches (self->document_page)) > 0)
    self->search_page = -1;
}

/* A search hit opens its document at its page, finding the searched words there. */
static void
search_open_document_cb (CbmWindow  *self,
                         const char *document_id,
                         const char *country,
                         int         page,
                         const char *query)
{
  g_autoptr(GString) words = g_string_new (NULL);

  gtk_widget_activate_action (GTK_WIDGET (self), "win.open-document", "(ss)", document_id, country);
  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->content_stack), "document") != 0)
    return;

  self->search_page = page;
  go_to_search_page (self);
  /* The viewer finds plain text: the query without its quotes and stars. */
  for (const char *p = query != NULL ? query : ""; *p != '\0'; p++)
    if (*p != '"' && *p != '*')
      g_string_append_c (words, *p);
  g_strstrip (words->str);
  if (words->str[0] != '\0')
    cbm_document_page_find (self->document_page, words->str);
}

static void
document_closed_cb (CbmWindow *self)
{
  gtk_stack_set_visible_child_name (self->content_stack, "main");
}

/* The contact book asks for a contact's country page. */
static void
show_country_cb (CbmWindow  *self,
                 const char *code)
{
  adw_view_stack_set_visible_child_name (self->stack, "countries");
  if (!cbm_countries_view_select_country (self->countries_view, code))
    {
      /* A search in the country list may hide it. */
      cbm_countries_view_set_search (self->countries_view, "");
      cbm_countries_view_select_country (self->countries_view, code);
    }
}

/* For bench/startup: once a frame is painted with the countries loaded, say so and quit. */
static void
after_paint_cb (GdkFrameClock *clock,
                CbmWindow     *self)
{
  if (g_list_model_get_n_items (cbm_store_get_countries (self->store)) == 0)
    return;

  g_signal_handlers_disconnect_by_func (clock, after_paint_cb, self);
  g_print ("cbm-desk: ready %" G_GINT64_FORMAT "\n", g_get_monotonic_time ());
  g_application_quit (G_APPLICATION (gtk_window_get_application (GTK_WINDOW (self))));
}

static void
cbm_window_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (cbm_window_parent_class)->map (widget);

  if (g_getenv ("CBM_BENCH_STARTUP") != NULL)
    g_signal_connect_object (gtk_widget_get_frame_clock (widget), "after-paint",
                             G_CALLBACK (after_paint_cb), widget, 0);
}

static void
cbm_window_unrealize (GtkWidget *widget)
{
  CbmWindow *self = CBM_WINDOW (widget);
  int width, height;

  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  g_settings_set_int (self->settings, "window-width", width);
  g_settings_set_int (self->settings, "window-height", height);
  g_settings_set_boolean (self->settings, "window-maximized", gtk_window_is_maximized (GTK_WINDOW (self)));

  GTK_WIDGET_CLASS (cbm_window_parent_class)->unrealize (widget);
}

static void
cbm_window_dispose (GObject *object)
{
  CbmWindow *self = CBM_WINDOW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), CBM_TYPE_WINDOW);
  g_clear_object (&self->store);
  g_clear_object (&self->sync);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (cbm_window_parent_class)->dispose (object);
}

static void
cbm_window_class_init (CbmWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cbm_window_dispose;
  widget_class->unrealize = cbm_window_unrealize;
  widget_class->map = cbm_window_map;

  g_type_ensure (CBM_TYPE_COUNTRIES_VIEW);
  g_type_ensure (CBM_TYPE_CONTACTS_VIEW);
  g_type_ensure (CBM_TYPE_DOCUMENT_PAGE);
  g_type_ensure (CBM_TYPE_SEARCH_VIEW);
  g_type_ensure (CBM_TYPE_WORKSHOPS_VIEW);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/ui/cbm-window.ui");
  gtk_widget_class_bind_template_child (widget_class, CbmWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, CbmWindow, sync_stack);
  gtk_widget_class_bind_template_child (widget_class, CbmWindow, offline_revealer);
  gtk_widget_class_bind_template_child (widget_class, CbmWindow, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, CbmWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, CbmWindow, countries_view);
  gtk_widget_class_bind_template_child (widget_class, CbmWindow, contacts_view);
  gtk_widget_class_bind_template_child (widget_class, CbmWindow, content_stack);
  gtk_widget_class_bind_template_child (widget_class, CbmWindow, document_page);
  gtk_widget_class_bind_template_child (widget_class, CbmWindow, search_view);
  gtk_widget_class_bind_template_child (widget_class, CbmWindow, workshops_view);
  gtk_widget_class_bind_template_callback (widget_class, search_open_document_cb);
  gtk_widget_class_bind_template_callback (widget_class, document_closed_cb);

  gtk_widget_class_install_action (widget_class, "win.sync", NULL, sync_activated);
  gtk_widget_class_install_action (widget_class, "win.cancel-sync", NULL, cancel_sync_activated);
  gtk_widget_class_install_action (widget_class, "win.search", NULL, search_activated);
  gtk_widget_class_install_action (widget_class, "win.open-document", "(ss)", open_document_activated);
  gtk_widget_class_install_action (widget_class, "win.search-documents", NULL, search_documents_activated);
}

static void
cbm_window_init (CbmWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->search_page = -1;
  g_signal_connect_object (cbm_document_page_get_model (self->document_page), "notify::info",
                           G_CALLBACK (go_to_search_page), self, G_CONNECT_SWAPPED | G_CONNECT_AFTER);
  g_signal_connect_object (cbm_document_page_get_matches (self->document_page), "items-changed",
                           G_CALLBACK (go_to_search_page), self, G_CONNECT_SWAPPED | G_CONNECT_AFTER);
  /* Choosing a view in the switcher leaves the document being read. */
  g_signal_connect_object (self->stack, "notify::visible-child", G_CALLBACK (document_closed_cb),
                           self, G_CONNECT_SWAPPED);
}

CbmWindow *
cbm_window_new (CbmApplication    *application,
                CbmStore          *store,
                CbmSyncController *sync,
                GSettings         *settings)
{
  CbmWindow *self = g_object_new (CBM_TYPE_WINDOW, "application", application, NULL);

  self->store = g_object_ref (store);
  self->sync = g_object_ref (sync);
  self->settings = g_object_ref (settings);

  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (settings, "window-width"),
                               g_settings_get_int (settings, "window-height"));
  if (g_settings_get_boolean (settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));

  cbm_countries_view_set_store (self->countries_view, store, settings);
  cbm_contacts_view_set_store (self->contacts_view, store);
  cbm_workshops_view_set_store (self->workshops_view, store, settings);
  if (cbm_application_get_indexer (application) != NULL)
    cbm_search_view_set_indexer (self->search_view, cbm_application_get_indexer (application));
  g_signal_connect_object (self->contacts_view, "show-country", G_CALLBACK (show_country_cb), self,
                           G_CONNECT_SWAPPED);

  g_signal_connect_object (sync, "notify", G_CALLBACK (update_sync_state), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (sync, "message", G_CALLBACK (sync_message_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (sync, "failed", G_CALLBACK (sync_failed_cb), self, G_CONNECT_SWAPPED);
  update_sync_state (self);

  return self;
}
