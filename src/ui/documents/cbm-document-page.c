/* cbm-document-page.c
 *
 * Copyright 2026 The CBM Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <gio/gunixfdlist.h>
#include <glib/gi18n.h>

#include "cbm-document-page.h"

/* A document read inside the window: a toolbar (page entry, zoom, find, properties, menu), the
 * viewer, and the sidebar with the thumbnails and the outline, or the find results. One helper
 * process serves the page and stays warm from one document to the next. */
struct _CbmDocumentPage
{
  AdwBin             parent_instance;

  CbmPdfHelper      *helper;
  CbmPdfModel       *model;
  GSettings         *settings;
  CbmDocument       *document;
  char              *country_name;
  /* Dialogs asking about this page's document: they go with it. */
  GtkWindow            *app_chooser;  /* weak */
  GtkFileChooserNative *save_chooser;
  GCancellable      *cancellable;
  gboolean           night_mode;
  guint              toolbar_idle;

  GPtrArray         *matches;
  int                current_match;
  GtkStringList     *match_items;
  GCancellable      *find_cancellable;

  GListStore        *outline_root;

  GtkToggleButton   *sidebar_button;
  GtkLabel          *title_label;
  GtkLabel          *subtitle_label;
  GtkWidget         *navigation_box;
  GtkEntry          *page_entry;
  GtkLabel          *n_pages_label;
  GtkLabel          *zoom_label;
  GtkGrid           *properties_grid;
  GtkSearchBar      *search_bar;
  GtkSearchEntry    *find_entry;
  GtkCheckButton    *case_check;
  GtkCheckButton    *accents_check;
  GtkLabel          *find_status_label;
  GtkWidget         *toolbar;
  GtkStack          *content_stack;
  GtkSpinner        *spinner;
  AdwStatusPage     *error_page;
  AdwStatusPage     *password_page;
  GtkPasswordEntry  *password_entry;
  GtkPaned          *paned;
  GtkStack          *sidebar_stack;
  GtkWidget         *sidebar_switcher;
  AdwViewStackPage  *outline_page;
  GtkListView       *outline_list;
  GtkListView       *matches_list;
  CbmPdfView        *view;
};

G_DEFINE_FINAL_TYPE (CbmDocumentPage, cbm_document_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_NIGHT_MODE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_CLOSED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Zoom values saved in document-positions besides a free scale. */
#define SAVED_FIT_WIDTH -1.0
#define SAVED_FIT_PAGE  -2.0
#define MAX_SAVED_POSITIONS 500

static GQuark outline_quark;

static void
show_state (CbmDocumentPage *self,
            const char      *state)
{
  gboolean document = g_str_equal (state, "document");

  gtk_stack_set_visible_child_name (self->content_stack, state);
  gtk_spinner_set_spinning (self->spinner, g_str_equal (state, "loading"));
  gtk_widget_set_sensitive (self->navigation_box, document);
  gtk_widget_set_visible (GTK_WIDGET (self->sidebar_button), document);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "document.print", document);
  if (!document)
    gtk_search_bar_set_search_mode (self->search_bar, FALSE);
}

static void
update_sidebar (CbmDocumentPage *self)
{
  gboolean searching = gtk_search_bar_get_search_mode (self->search_bar)
                       && g_list_model_get_n_items (G_LIST_MODEL (self->match_items)) > 0;
  gboolean shown = gtk_toggle_button_get_active (self->sidebar_button);

  gtk_stack_set_visible_child_name (self->sidebar_stack, searching ? "matches" : "navigation");
  gtk_widget_set_visible (GTK_WIDGET (self->sidebar_stack), searching || shown);
}

/* The sidebar always has the thumbnails; the outline only when the document has one. */
static void
show_outline (CbmDocumentPage *self,
              gboolean         shown)
{
  adw_view_stack_page_set_visible (self->outline_page, shown);
  gtk_widget_set_visible (self->sidebar_switcher, shown);
}

static void
add_property (CbmDocumentPage *self,
              const char      *name,
              const char      *value)
{
  GtkWidget *label;
  int row = 0;

  if (value == NULL || *value == '\0')
    return;

  while (gtk_grid_get_child_at (self->properties_grid, 0, row) != NULL)
    row++;

  label = gtk_label_new (name);
  gtk_label_set_xalign (GTK_LABEL (label), 1);
  gtk_widget_add_css_class (label, "dim-label");
  gtk_grid_attach (self->properties_grid, label, 0, row, 1, 1);

  label = gtk_label_new (value);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 40);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_grid_attach (self->properties_grid, label, 1, row, 1, 1);
}

static void
clear_properties (CbmDocumentPage *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->properties_grid))) != NULL)
    gtk_grid_remove (self->properties_grid, child);
}

static void
fill_properties (CbmDocumentPage *self)
{
  CbmDocument *document = self->document;
  CbmPdfInfo *info = cbm_pdf_model_get_info (self->model);
  g_autofree char *date = document->date != NULL ? cbm_date_format_string (document->date) : NULL;

  clear_properties (self);
  add_property (self, _("Country"), self->country_name);
  add_property (self, _("Kind"), cbm_document_kind_get_label (document->kind));
  add_property (self, _("Status"), cbm_document_status_get_label (document->status));
  add_property (self, _("Issuer"), document->issuer);
  add_property (self, _("Date"), date);
  if (document->language != NULL)
    add_property (self, _("Language"), cbm_text_get_language_name (document->language));

  if (info != NULL)
    {
      g_autofree char *pages = g_strdup_printf ("%d", info->n_pages);

      add_property (self, _("Pages"), pages);
      add_property (self, _("PDF Title"), info->title);
      add_property (self, _("PDF Author"), info->author);
    }
}

static double
saved_zoom (CbmDocumentPage *self)
{
  switch (cbm_pdf_model_get_sizing_mode (self->model))
    {
    case CBM_PDF_SIZING_FIT_WIDTH:
      return SAVED_FIT_WIDTH;
    case CBM_PDF_SIZING_FIT_PAGE:
      return SAVED_FIT_PAGE;
    case CBM_PDF_SIZING_FREE:
    default:
      return cbm_pdf_model_get_scale (self->model);
    }
}

static void
save_position (CbmDocumentPage *self)
{
  g_autoptr(GVariant) old = NULL;
  g_autoptr(GVariantIter) iter = NULL;
  GVariantBuilder builder;
  const char *id;
  guint32 page;
  double zoom;
  guint n = 1;

  if (self->settings == NULL || self->document == NULL || cbm_pdf_model_get_info (self->model) == NULL)
    return;

  old = g_settings_get_value (self->settings, "document-positions");
  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a{s(ud)}"));
  g_variant_builder_add (&builder, "{s(ud)}", self->document->id,
                         (guint32) cbm_pdf_model_get_page (self->model), saved_zoom (self));

  /* The newest position goes first; the oldest fall off past the cap. */
  g_variant_get (old, "a{s(ud)}", &iter);
  while (g_variant_iter_next (iter, "{&s(ud)}", &id, &page, &zoom))
    if (!g_str_equal (id, self->document->id) && n++ < MAX_SAVED_POSITIONS)
      g_variant_builder_add (&builder, "{s(ud)}", id, page, zoom);

  g_settings_set_value (self->settings, "document-positions", g_variant_builder_end (&builder));
}

static void
restore_position (CbmDocumentPage *self)
{
  g_autoptr(GVariant) positions = NULL;
  guint32 page = 0;
  double zoom = SAVED_FIT_WIDTH;

  if (self->settings != NULL)
    {
      positions = g_settings_get_value (self->settings, "document-positions");
      g_variant_lookup (positions, self->document->id, "(ud)", &page, &zoom);
    }

  if (zoom == SAVED_FIT_PAGE)
    cbm_pdf_model_set_sizing_mode (self->model, CBM_PDF_SIZING_FIT_PAGE);
  else if (zoom > 0)
    {
      cbm_pdf_model_set_sizing_mode (self->model, CBM_PDF_SIZING_FREE);
      cbm_pdf_model_set_scale (self->model, zoom);
    }
  else
    cbm_pdf_model_set_sizing_mode (self->model, CBM_PDF_SIZING_FIT_WIDTH);

  cbm_pdf_model_set_page (self->model, (int) MIN (page, G_MAXINT));
}

static void
update_page_entry (CbmDocumentPage *self)
{
  g_autofree char *text = g_strdup_printf ("%d", cbm_pdf_model_get_page (self->model) + 1);
  int n_pages = cbm_pdf_model_get_n_pages (self->model);
  g_autofree char *of = g_strdup_printf (_("of %d"), n_pages);

  gtk_editable_set_text (GTK_EDITABLE (self->page_entry), text);
  gtk_label_set_label (self->n_pages_label, of);
}

static void
update_zoom_label (CbmDocumentPage *self)
{
  g_autofree char *text = g_strdup_printf ("%.0f%%", cbm_pdf_model_get_scale (self->model) * 100);

  /* A label of our own: the view sets the scale while it is being allocated, and
   * gtk_menu_button_set_label() would then put in a new child with no allocation yet. */
  gtk_label_set_label (self->zoom_label, text);
}

static gboolean
update_toolbar_cb (gpointer user_data)
{
  CbmDocumentPage *self = user_data;

  self->toolbar_idle = 0;
  update_page_entry (self);
  update_zoom_label (self);
  return G_SOURCE_REMOVE;
}

/* The view changes the page and scale while it is being allocated (fit width, scrolling), after
 * the toolbar has been; resizing the toolbar's labels then would leave them unallocated for
 * this frame, so they follow in an idle. */
static void
queue_update_toolbar (CbmDocumentPage *self)
{
  if (self->toolbar_idle == 0)
    self->toolbar_idle = g_idle_add (update_toolbar_cb, self);
}

static void
page_entry_activated_cb (CbmDocumentPage *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->page_entry));
  gint64 page;

  if (g_ascii_string_to_signed (text, 10, 1, G_MAXINT, &page, NULL))
    cbm_pdf_model_set_page (self->model, (int) page - 1);
  update_page_entry (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->view));
}

/* Outline: GtkStringObjects carrying their CbmPdfOutlineItem, for GtkTreeListModel. */
static GListStore *
new_outline_store (GPtrArray *items)
{
  GListStore *store = g_list_store_new (GTK_TYPE_STRING_OBJECT);

  for (guint i = 0; i < items->len; i++)
    {
      CbmPdfOutlineItem *item = g_ptr_array_index (items, i);
      g_autoptr(GtkStringObject) object = gtk_string_object_new (item->title != NULL ? item->title : "");

      g_object_set_qdata_full (G_OBJECT (object), outline_quark, cbm_pdf_outline_item_ref (item),
                               (GDestroyNotify) cbm_pdf_outline_item_unref);
      g_list_store_append (store, object);
    }

  return store;
}

static GListModel *
create_outline_children (gpointer item,
                         gpointer user_data)
{
  CbmPdfOutlineItem *outline = g_object_get_qdata (item, outline_quark);

  if (outline == NULL || outline->children->len == 0)
    return NULL;
  return G_LIST_MODEL (new_outline_store (outline->children));
}

static void
setup_outline_row_cb (GtkSignalListItemFactory *factory,
                      GtkListItem              *list_item)
{
  GtkWidget *expander = gtk_tree_expander_new ();
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_tree_expander_set_child (GTK_TREE_EXPANDER (expander), label);
  gtk_list_item_set_child (list_item, expander);
}

static void
bind_outline_row_cb (GtkSignalListItemFactory *factory,
                     GtkListItem              *list_item)
{
  GtkTreeListRow *row = gtk_list_item_get_item (list_item);
  GtkWidget *expander = gtk_list_item_get_child (list_item);
  GtkStringObject *object = gtk_tree_list_row_get_item (row);
  const char *title = gtk_string_object_get_string (object);

  gtk_tree_expander_set_list_row (GTK_TREE_EXPANDER (expander), row);
  gtk_label_set_label (GTK_LABEL (gtk_tree_expander_get_child (GTK_TREE_EXPANDER (expander))), title);
  gtk_accessible_update_property (GTK_ACCESSIBLE (gtk_list_item_get_child (list_item)),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
  g_object_unref (object);
}

static void
outline_activated_cb (CbmDocumentPage *self,
                      guint            position)
{
  GListModel *model = G_LIST_MODEL (gtk_list_view_get_model (self->outline_list));
  g_autoptr(GtkTreeListRow) row = g_list_model_get_item (model, position);
  g_autoptr(GObject) object = row != NULL ? gtk_tree_list_row_get_item (row) : NULL;
  CbmPdfOutlineItem *item = object != NULL ? g_object_get_qdata (object, outline_quark) : NULL;

  if (item == NULL)
    return;
  if (item->page >= 0)
    cbm_pdf_model_set_page (self->model, item->page);
  else if (item->uri != NULL)
    g_signal_emit_by_name (self->view, "link-activated", item->uri);
}

static void
outline_loaded_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  CbmDocumentPage *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = cbm_pdf_helper_get_outline_finish (CBM_PDF_HELPER (object), result, &error);
  g_autoptr(GListStore) store = NULL;

  if (items == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("No outline: %s", error->message);
      return;
    }

  store = new_outline_store (items);
  g_list_store_splice (self->outline_root, 0, g_list_model_get_n_items (G_LIST_MODEL (self->outline_root)),
                       NULL, 0);
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (store)); i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (G_LIST_MODEL (store), i);
      g_list_store_append (self->outline_root, item);
    }
  show_outline (self, items->len > 0);
}

/* Find */
static void
setup_match_row_cb (GtkSignalListItemFactory *factory,
                    GtkListItem              *list_item)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *page = gtk_label_new (NULL);
  GtkWidget *context = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (page), 0);
  gtk_widget_add_css_class (page, "caption");
  gtk_widget_add_css_class (page, "dim-label");
  gtk_label_set_xalign (GTK_LABEL (context), 0);
  gtk_label_set_wrap (GTK_LABEL (context), TRUE);
  gtk_label_set_lines (GTK_LABEL (context), 2);
  gtk_label_set_ellipsize (GTK_LABEL (context), PANGO_ELLIPSIZE_END);
  gtk_box_append (GTK_BOX (box), page);
  gtk_box_append (GTK_BOX (box), context);
  gtk_list_item_set_child (list_item, box);
}

static void
bind_match_row_cb (GtkSignalListItemFactory *factory,
                   GtkListItem              *list_item,
                   CbmDocumentPage          *self)
{
  guint position = gtk_list_item_get_position (list_item);
  GtkWidget *box = gtk_list_item_get_child (list_item);
  GtkWidget *page_label = gtk_widget_get_first_child (box);
  GtkWidget *context_label = gtk_widget_get_last_child (box);
  CbmPdfMatch *match;
  g_autofree char *page = NULL;
  g_autofree char *before = NULL, *hit = NULL, *after = NULL, *markup = NULL;
  g_autofree char *accessible = NULL;
  gsize length;

  if (self->matches == NULL || position >= self->matches->len)
    return;

  match = g_ptr_array_index (self->matches, position);
  page = g_strdup_printf (_("Page %d"), match->page + 1);
  gtk_label_set_label (GTK_LABEL (page_label), page);

  /* The match in bold inside its context, when the offsets are sane. */
  length = match->context != NULL ? strlen (match->context) : 0;
  if (match->match_offset + match->match_length <= length)
    {
      before = g_markup_escape_text (match->context, match->match_offset);
      hit = g_markup_escape_text (match->context + match->match_offset, match->match_length);
      after = g_markup_escape_text (match->context + match->match_offset + match->match_length, -1);
      markup = g_strdup_printf ("%s<b>%s</b>%s", before, hit, after);
    }
  else
    markup = g_markup_escape_text (match->context != NULL ? match->context : "", -1);
  gtk_label_set_markup (GTK_LABEL (context_label), markup);

  accessible = g_strdup_printf ("%s: %s", page, match->context != NULL ? match->context : "");
  gtk_accessible_update_property (GTK_ACCESSIBLE (gtk_list_item_get_child (list_item)),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, accessible, -1);
}

static void
set_matches (CbmDocumentPage *self,
             GPtrArray       *matches)
{
  guint n_old = g_list_model_get_n_items (G_LIST_MODEL (self->match_items));
  g_autoptr(GPtrArray) strings = g_ptr_array_new ();

  g_clear_pointer (&self->matches, g_ptr_array_unref);
  if (matches != NULL)
    self->matches = g_ptr_array_ref (matches);
  self->current_match = -1;
  cbm_pdf_view_set_matches (self->view, matches);

  for (guint i = 0; matches != NULL && i < matches->len; i++)
    g_ptr_array_add (strings, ((CbmPdfMatch *) g_ptr_array_index (matches, i))->context);
  g_ptr_array_add (strings, NULL);
  gtk_string_list_splice (self->match_items, 0, n_old, (const char * const *) strings->pdata);
  update_sidebar (self);
}

static void
select_match (CbmDocumentPage *self,
              int              index)
{
  g_autofree char *status = NULL;

  if (self->matches == NULL || self->matches->len == 0)
    return;

  index = (index + (int) self->matches->len) % (int) self->matches->len;
  self->current_match = index;
  cbm_pdf_view_set_current_match (self->view, index);
  gtk_single_selection_set_selected (GTK_SINGLE_SELECTION (gtk_list_view_get_model (self->matches_list)),
                                     index);
  /* Translators: the position among the find results, as in "3 of 12". */
  status = g_strdup_printf (_("%d of %u"), index + 1, self->matches->len);
  gtk_label_set_label (self->find_status_label, status);
}

static void
found_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  CbmDocumentPage *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) matches = cbm_pdf_helper_find_finish (CBM_PDF_HELPER (object), result, &error);
  int page = cbm_pdf_model_get_page (self->model);
  guint first = 0;

  if (matches == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      set_matches (self, NULL);
      gtk_label_set_label (self->find_status_label, error->message);
      return;
    }

  set_matches (self, matches);
  if (matches->len == 0)
    {
      gtk_label_set_label (self->find_status_label, _("No matches"));
      return;
    }

  /* Start from the page being read. */
  while (first < matches->len && ((CbmPdfMatch *) g_ptr_array_index (matches, first))->page < page)
    first++;
  select_match (self, first < matches->len ? (int) first : 0);
}

static void
run_find (CbmDocumentPage *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->find_entry));
  CbmPdfFindFlags flags = CBM_PDF_FIND_DEFAULT;

  g_cancellable_cancel (self->find_cancellable);
  g_clear_object (&self->find_cancellable);

  if (text == NULL || *text == '\0' || cbm_pdf_model_get_info (self->model) == NULL)
    {
      set_matches (self, NULL);
      gtk_label_set_label (self->find_status_label, "");
      return;
    }

  if (gtk_check_button_get_active (self->case_check))
    flags |= CBM_PDF_FIND_CASE_SENSITIVE;
  if (gtk_check_button_get_active (self->accents_check))
    flags |= CBM_PDF_FIND_IGNORE_ACCENTS;

  self->find_cancellable = g_cancellable_new ();
  gtk_label_set_label (self->find_status_label, _("Searching…"));
  cbm_pdf_helper_find_async (self->helper, -1, text, flags, self->find_cancellable, found_cb, self);
}

static void
find_changed_cb (CbmDocumentPage *self)
{
  run_find (self);
}

static void
find_entry_activated_cb (CbmDocumentPage *self)
{
  if (self->matches != NULL && self->matches->len > 0)
    select_match (self, self->current_match + 1);
}

static void
find_previous_cb (CbmDocumentPage *self)
{
  if (self->matches != NULL && self->matches->len > 0)
    select_match (self, self->current_match - 1);
}

static void
match_activated_cb (CbmDocumentPage *self,
                    guint            position)
{
  select_match (self, (int) position);
}

static void
search_mode_changed_cb (CbmDocumentPage *self)
{
  if (!gtk_search_bar_get_search_mode (self->search_bar))
    {
      g_cancellable_cancel (self->find_cancellable);
      set_matches (self, NULL);
      gtk_label_set_label (self->find_status_label, "");
    }
  update_sidebar (self);
}

/* Links */
static void
link_response_cb (AdwMessageDialog *dialog,
                  const char       *response,
                  CbmDocumentPage  *self)
{
  const char *uri = g_object_get_data (G_OBJECT (dialog), "uri");

  if (g_str_equal (response, "open") && cbm_pdf_uri_is_allowed (uri))
    gtk_show_uri (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))), uri, GDK_CURRENT_TIME);
}

static void
link_activated_cb (CbmDocumentPage *self,
                   const char      *uri)
{
  GtkWidget *dialog;

  if (!cbm_pdf_uri_is_allowed (uri))
    return;

  dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                   _("Open Link?"), NULL);
  /* Translators: the address comes from the document, which may not be trustworthy. */
  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                  _("The document links to %s. Open it in another app?"), uri);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "open", _("_Open Link"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "open", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "uri", g_strdup (uri), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (link_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Loading */
static void
loaded_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  CbmDocumentPage *self = user_data;
  g_autoptr(GError) error = NULL;
  CbmPdfInfo *info;

  if (!cbm_pdf_model_load_finish (CBM_PDF_MODEL (object), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;

      if (g_error_matches (error, CBM_PDF_ERROR, CBM_PDF_ERROR_NEEDS_PASSWORD)
          || g_error_matches (error, CBM_PDF_ERROR, CBM_PDF_ERROR_BAD_PASSWORD))
        {
          adw_status_page_set_description (self->password_page,
                                           error->code == CBM_PDF_ERROR_BAD_PASSWORD
                                           ? _("The password is not correct. Try again.")
                                           : _("Enter the password to open it."));
          gtk_editable_set_text (GTK_EDITABLE (self->password_entry), "");
          show_state (self, "password");
          gtk_widget_grab_focus (GTK_WIDGET (self->password_entry));
          return;
        }

      adw_status_page_set_description (self->error_page, error->message);
      show_state (self, "error");
      return;
    }

  /* Again, for a page that the previous document, shorter, clamped when load() set it. */
  info = cbm_pdf_model_get_info (self->model);
  restore_position (self);
  update_page_entry (self);
  update_zoom_label (self);
  fill_properties (self);
  show_state (self, "document");
  gtk_widget_grab_focus (GTK_WIDGET (self->view));

  if (info->has_outline)
    cbm_pdf_helper_get_outline_async (self->helper, self->cancellable, outline_loaded_cb, self);
}

/* While the document loads the view is hidden behind the spinner, and before the page was first
 * shown it has never been allocated: the model is told the size the view will have, from the
 * area the view fills (or, before that area was allocated, from the page's parent, which the
 * page fills below its toolbar), so that the load renders the current page at the scale the
 * view lays it out at. */
static void
set_expected_viewport (CbmDocumentPage *self)
{
  GtkWidget *area = GTK_WIDGET (self->content_stack);
  GtkWidget *parent = gtk_widget_get_parent (GTK_WIDGET (self));
  int width = gtk_widget_get_width (area);
  int height = gtk_widget_get_height (area);

  if (gtk_widget_get_mapped (GTK_WIDGET (self->view)))
    return;

  if ((width <= 0 || height <= 0) && parent != NULL)
    {
      int toolbar = 0;

      width = gtk_widget_get_width (parent);
      height = gtk_widget_get_height (parent);
      if (width > 0)
        gtk_widget_measure (self->toolbar, GTK_ORIENTATION_VERTICAL, width, NULL, &toolbar, NULL, NULL);
      height -= toolbar;
    }

  if (gtk_widget_get_visible (GTK_WIDGET (self->sidebar_stack)))
    width -= gtk_paned_get_position (self->paned);

  if (width > 0 && height > 0)
    cbm_pdf_model_set_viewport (self->model, width, height,
                                gtk_widget_get_scale_factor (GTK_WIDGET (self->view)));
}

/* The remembered page and zoom are set before the load, so that the page rendered along with
 * the document is the one the user comes back to. */
static void
load (CbmDocumentPage *self,
      const char      *password)
{
  restore_position (self);
  set_expected_viewport (self);
  show_state (self, "loading");
  cbm_pdf_model_load_async (self->model, self->document->local_path, password, self->cancellable,
                            loaded_cb, self);
}

static void
unlock_cb (CbmDocumentPage *self)
{
  g_autofree char *password = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->password_entry)));

  cbm_document_page_unlock (self, password);
}

/* Print: each page is rendered by the helper at print resolution, so drawing is deferred until
 * its pixels arrive. */
typedef struct
{
  GtkPrintOperation *operation;
  GtkPrintContext   *context;
} PrintJob;

static void
print_page_rendered_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  PrintJob *job = user_data;
  g_autoptr(CbmPdfImage) image = cbm_pdf_helper_render_page_finish (CBM_PDF_HELPER (object), result, NULL);

  if (image != NULL)
    {
      cairo_t *cr = gtk_print_context_get_cairo_context (job->context);
      cairo_surface_t *surface = cbm_pdf_image_create_surface (image);
      double width = gtk_print_context_get_width (job->context);
      double height = gtk_print_context_get_height (job->context);
      double scale = MIN (width / image->width, height / image->height);

      cairo_save (cr);
      cairo_scale (cr, scale, scale);
      cairo_set_source_surface (cr, surface, 0, 0);
      cairo_paint (cr);
      cairo_restore (cr);
      cairo_surface_destroy (surface);
    }

  gtk_print_operation_draw_page_finish (job->operation);
  g_object_unref (job->operation);
  g_object_unref (job->context);
  g_free (job);
}

static void
draw_page_cb (GtkPrintOperation *operation,
              GtkPrintContext   *context,
              int                page,
              CbmDocumentPage   *self)
{
  PrintJob *job = g_new0 (PrintJob, 1);

  job->operation = g_object_ref (operation);
  job->context = g_object_ref (context);
  gtk_print_operation_set_defer_drawing (operation);
  /* 150 dpi is plenty for text and keeps each page well under the helper's pixel cap. */
  cbm_pdf_helper_render_page_async (self->helper, page, 150.0 / 72.0, NULL,
                                    print_page_rendered_cb, job);
}

static void
print_activated (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  g_autoptr(GtkPrintOperation) operation = NULL;
  g_autoptr(GError) error = NULL;

  operation = cbm_document_page_create_print_operation (CBM_DOCUMENT_PAGE (widget));
  if (operation == NULL)
    return;

  if (gtk_print_operation_run (operation, GTK_PRINT_OPERATION_ACTION_PRINT_DIALOG,
                               GTK_WINDOW (gtk_widget_get_root (widget)), &error)
      == GTK_PRINT_OPERATION_RESULT_ERROR)
    g_warning ("Could not print: %s", error->message);
}

/* Closes the choosers asking about the document shown so far. */
static void
close_choosers (CbmDocumentPage *self)
{
  if (self->app_chooser != NULL)
    {
      GtkWindow *chooser = self->app_chooser;

      g_clear_weak_pointer (&self->app_chooser);
      gtk_window_destroy (chooser);
    }
  if (self->save_chooser != NULL)
    {
      gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->save_chooser));
      g_clear_object (&self->save_chooser);
    }
}

/* An error the user can act on, such as a full disk or an app that would not start, with its
 * reason. */
static void
show_error (CbmDocumentPage *self,
            const char      *heading,
            const GError    *error)
{
  GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                              heading, error->message);

  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Open With: the user picks the app, as in a dedicated viewer. */
static void
app_chosen_cb (GtkDialog       *dialog,
               int              response,
               CbmDocumentPage *self)
{
  GFile *file = g_object_get_data (G_OBJECT (dialog), "file");
  g_autoptr(GAppInfo) app = NULL;
  g_autoptr(GdkAppLaunchContext) context = NULL;
  g_autoptr(GError) error = NULL;
  GList files = { file, NULL, NULL };

  if (response == GTK_RESPONSE_OK)
    app = gtk_app_chooser_get_app_info (GTK_APP_CHOOSER (dialog));
  gtk_window_destroy (GTK_WINDOW (dialog));
  if (app == NULL)
    return;

  context = gdk_display_get_app_launch_context (gtk_widget_get_display (GTK_WIDGET (self)));
  if (!g_app_info_launch (app, &files, G_APP_LAUNCH_CONTEXT (context), &error))
    show_error (self, _("Could Not Open the Document"), error);
}

static void
portal_open_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(CbmDocumentPage) self = user_data;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;

  reply = g_dbus_connection_call_with_unix_fd_list_finish (G_DBUS_CONNECTION (object), NULL,
                                                           result, &error);
  if (reply == NULL)
    show_error (self, _("Could Not Open the Document"), error);
}

/* In a Flatpak the sandbox sees none of the user's apps: the OpenURI portal asks the user
 * instead, and gets the file as a descriptor. */
static void
open_with_portal (CbmDocumentPage *self,
                  GFile           *file)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_autoptr(GUnixFDList) fds = NULL;
  GVariantBuilder options;
  int fd;

  fd = bus != NULL ? open (g_file_peek_path (file), O_RDONLY | O_CLOEXEC) : -1;
  if (fd < 0)
    {
      if (error == NULL)
        g_set_error_literal (&error, G_IO_ERROR, g_io_error_from_errno (errno), g_strerror (errno));
      show_error (self, _("Could Not Open the Document"), error);
      return;
    }

  fds = g_unix_fd_list_new_from_array (&fd, 1);
  g_variant_builder_init (&options, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&options, "{sv}", "ask", g_variant_new_boolean (TRUE));
  g_dbus_connection_call_with_unix_fd_list (bus, "org.freedesktop.portal.Desktop",
                                            "/org/freedesktop/portal/desktop",
                                            "org.freedesktop.portal.OpenURI", "OpenFile",
                                            g_variant_new ("(sha{sv})", "", 0, &options),
                                            G_VARIANT_TYPE ("(o)"), G_DBUS_CALL_FLAGS_NONE, -1,
                                            fds, NULL, portal_open_cb, g_object_ref (self));
}

static void
open_with_activated (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  CbmDocumentPage *self = CBM_DOCUMENT_PAGE (widget);
  g_autoptr(GFile) file = NULL;
  GtkWidget *chooser;

  if (self->document == NULL || self->document->local_path == NULL)
    return;
  if (self->app_chooser != NULL)
    {
      gtk_window_present (self->app_chooser);
      return;
    }
  file = g_file_new_for_path (self->document->local_path);

  if (g_file_test ("/.flatpak-info", G_FILE_TEST_EXISTS))
    {
      open_with_portal (self, file);
      return;
    }

  chooser = gtk_app_chooser_dialog_new (GTK_WINDOW (gtk_widget_get_root (widget)),
                                        GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT, file);
  g_set_weak_pointer (&self->app_chooser, GTK_WINDOW (chooser));
  /* The app that opens PDFs by default comes first, selected. */
  gtk_app_chooser_widget_set_show_default (
      GTK_APP_CHOOSER_WIDGET (gtk_app_chooser_dialog_get_widget (GTK_APP_CHOOSER_DIALOG (chooser))), TRUE);
  g_object_set_data_full (G_OBJECT (chooser), "file", g_steal_pointer (&file), g_object_unref);
  g_signal_connect_object (chooser, "response", G_CALLBACK (app_chosen_cb), self, 0);
  gtk_window_present (GTK_WINDOW (chooser));
}

/* Save a copy: the file chooser only picks the destination, cbm_document_page_save_copy_async()
 * copies. */
static void
file_copied_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (g_file_copy_finish (G_FILE (object), result, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, g_steal_pointer (&error));
}

static void
copy_saved_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  CbmDocumentPage *self = CBM_DOCUMENT_PAGE (object);
  g_autoptr(GError) error = NULL;

  if (!cbm_document_page_save_copy_finish (self, result, &error))
    show_error (self, _("Could Not Save a Copy"), error);
}

static void
save_response_cb (GtkNativeDialog *chooser,
                  int              response,
                  CbmDocumentPage *self)
{
  g_autoptr(GFile) destination = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

  if (response == GTK_RESPONSE_ACCEPT && destination != NULL)
    cbm_document_page_save_copy_async (self, destination, NULL, copy_saved_cb, NULL);

  gtk_native_dialog_destroy (chooser);
  g_clear_object (&self->save_chooser);
}

static void
save_copy_activated (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  CbmDocumentPage *self = CBM_DOCUMENT_PAGE (widget);
  GtkFileChooserNative *chooser;
  g_autofree char *name = NULL;

  if (self->document == NULL || self->document->local_path == NULL)
    return;

  if (self->save_chooser != NULL)
    return;
  chooser = gtk_file_chooser_native_new (_("Save a Copy"), GTK_WINDOW (gtk_widget_get_root (widget)),
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));
  self->save_chooser = chooser;
  name = g_strdup_printf ("%s.pdf", self->document->id);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  g_signal_connect_object (chooser, "response", G_CALLBACK (save_response_cb), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
zoom_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  CbmDocumentPage *self = CBM_DOCUMENT_PAGE (widget);

  if (g_str_equal (action_name, "document.zoom-in"))
    cbm_pdf_model_zoom_in (self->model);
  else if (g_str_equal (action_name, "document.zoom-out"))
    cbm_pdf_model_zoom_out (self->model);
  else if (g_str_equal (action_name, "document.fit-page"))
    cbm_pdf_model_set_sizing_mode (self->model, CBM_PDF_SIZING_FIT_PAGE);
  else
    cbm_pdf_model_set_sizing_mode (self->model, CBM_PDF_SIZING_FIT_WIDTH);
}

static void
find_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  CbmDocumentPage *self = CBM_DOCUMENT_PAGE (widget);

  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->content_stack), "document") != 0)
    return;
  gtk_search_bar_set_search_mode (self->search_bar, TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->find_entry));
}

static void
match_activated (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  CbmDocumentPage *self = CBM_DOCUMENT_PAGE (widget);

  if (g_str_equal (action_name, "document.next-match"))
    find_entry_activated_cb (self);
  else
    find_previous_cb (self);
}

static void
close_activated (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  cbm_document_page_close (CBM_DOCUMENT_PAGE (widget));
}

static void
cbm_document_page_dispose (GObject *object)
{
  CbmDocumentPage *self = CBM_DOCUMENT_PAGE (object);

  save_position (self);
  close_choosers (self);
  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->find_cancellable);
  g_clear_handle_id (&self->toolbar_idle, g_source_remove);
  /* AdwBin keeps its own pointer to its child: let it drop the child first. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), CBM_TYPE_DOCUMENT_PAGE);
  g_clear_object (&self->model);
  g_clear_object (&self->helper);
  g_clear_object (&self->settings);
  g_clear_object (&self->document);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->find_cancellable);
  g_clear_object (&self->match_items);
  g_clear_object (&self->outline_root);
  g_clear_pointer (&self->matches, g_ptr_array_unref);
  g_clear_pointer (&self->country_name, g_free);

  G_OBJECT_CLASS (cbm_document_page_parent_class)->dispose (object);
}

static void
cbm_document_page_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  CbmDocumentPage *self = CBM_DOCUMENT_PAGE (object);

  switch (prop_id)
    {
    case PROP_NIGHT_MODE:
      g_value_set_boolean (value, self->night_mode);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cbm_document_page_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  CbmDocumentPage *self = CBM_DOCUMENT_PAGE (object);

  switch (prop_id)
    {
    case PROP_NIGHT_MODE:
      if (self->night_mode == g_value_get_boolean (value))
        break;
      self->night_mode = g_value_get_boolean (value);
      cbm_pdf_model_set_night_mode (self->model, self->night_mode);
      if (self->settings != NULL)
        g_settings_set_boolean (self->settings, "night-mode", self->night_mode);
      g_object_notify_by_pspec (object, pspec);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cbm_document_page_class_init (CbmDocumentPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cbm_document_page_dispose;
  object_class->get_property = cbm_document_page_get_property;
  object_class->set_property = cbm_document_page_set_property;

  properties[PROP_NIGHT_MODE] =
    g_param_spec_boolean ("night-mode", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * CbmDocumentPage::closed:
   *
   * The user left the document (Back or Escape).
   */
  signals[SIGNAL_CLOSED] =
    g_signal_new ("closed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);

  outline_quark = g_quark_from_static_string ("cbm-outline-item");
  g_type_ensure (CBM_TYPE_PDF_VIEW);
  g_type_ensure (CBM_TYPE_PDF_THUMBNAILS);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/ui/documents/cbm-document-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CbmDocumentPage, sidebar_button);
  gtk_widget_class_bind_template_child (widget_class, CbmDocumentPage, title_label);
  gtk_widget_class_bind_template_child (widget_class, CbmDocumentPage, subtitle_label);
  gtk_widget_class_bind_template_child (widget_class, CbmDocumentPage, navigation_box);
  gtk_widget_class_bind_template_child (widget_class, CbmDocumentPage, page_entry);
  gtk_widget_class_bind_template_child (widget_class, CbmDocumentPage, n_pages_label);
  gtk_widget_class_bind_template_child (widget_class, CbmDocumentPage, zoom_label);
  gtk_widget_class_bind_template_child (widget_class, CbmDocumentPage, properties_grid);
  gtk_widget_class_bind_template_child (widget_class, CbmDocumentPage, search_bar);
  gtk_widget_class_bind_template_child (widget_class, CbmDocumentPage, find_entry);
  gtk_widget_class_bind_template_child (widget_class, CbmDocumentPage, case_check);
  gtk_widget_class_bind_template_child (widget_class, CbmDocumentPage, accents_check);
  gtk_widget_class_bind_template_child (widget_class, CbmDocumentPage, find_status_label);
  gtk_widget_class_bind_template_child (widget_class, CbmDocumentPage, content_stack);
  gtk_widget_class_bind_template_child (widget_class, CbmDocumentPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, CbmDocumentPage, error_page);
  gtk_widget_class_bind_template_child (widget_class, CbmDocumentPage, password_page);
  gtk_widget_class_bind_template_child (widget_class, CbmDocumentPage, password_entry);
  gtk_widget_class_bind_template_child (widget_class, CbmDocumentPage, toolbar);
  gtk_widget_class_bind_template_child (widget_class, CbmDocumentPage, paned);
  gtk_widget_class_bind_template_child (widget_class, CbmDocumentPage, sidebar_stack);
  gtk_widget_class_bind_template_child (widget_class, CbmDocumentPage, sidebar_switcher);
  gtk_widget_class_bind_template_child (widget_class, CbmDocumentPage, outline_page);
  gtk_widget_class_bind_template_child (widget_class, CbmDocumentPage, outline_list);
  gtk_widget_class_bind_template_child (widget_class, CbmDocumentPage, matches_list);
  gtk_widget_class_bind_template_child (widget_class, CbmDocumentPage, view);
  gtk_widget_class_bind_template_callback (widget_class, page_entry_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, find_entry_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, find_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, find_previous_cb);
  gtk_widget_class_bind_template_callback (widget_class, unlock_cb);
  gtk_widget_class_bind_template_callback (widget_class, outline_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, match_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, link_activated_cb);

  gtk_widget_class_install_action (widget_class, "document.close", NULL, close_activated);
  gtk_widget_class_install_action (widget_class, "document.zoom-in", NULL, zoom_activated);
  gtk_widget_class_install_action (widget_class, "document.zoom-out", NULL, zoom_activated);
  gtk_widget_class_install_action (widget_class, "document.fit-width", NULL, zoom_activated);
  gtk_widget_class_install_action (widget_class, "document.fit-page", NULL, zoom_activated);
  gtk_widget_class_install_action (widget_class, "document.find", NULL, find_activated);
  gtk_widget_class_install_action (widget_class, "document.next-match", NULL, match_activated);
  gtk_widget_class_install_action (widget_class, "document.previous-match", NULL, match_activated);
  gtk_widget_class_install_action (widget_class, "document.print", NULL, print_activated);
  gtk_widget_class_install_action (widget_class, "document.open-with", NULL, open_with_activated);
  gtk_widget_class_install_action (widget_class, "document.save-copy", NULL, save_copy_activated);
  gtk_widget_class_install_property_action (widget_class, "document.night-mode", "night-mode");

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "document.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "document.find", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_g, GDK_CONTROL_MASK, "document.next-match", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_g, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "document.previous-match", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_plus, GDK_CONTROL_MASK, "document.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_equal, GDK_CONTROL_MASK, "document.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_minus, GDK_CONTROL_MASK, "document.zoom-out", NULL);
}

static void
cbm_document_page_init (CbmDocumentPage *self)
{
  GtkListItemFactory *factory;
  GtkTreeListModel *tree;
  GtkShortcutController *shortcuts;
  g_autoptr(GtkSelectionModel) outline_selection = NULL;
  g_autoptr(GtkSelectionModel) match_selection = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->helper = cbm_pdf_helper_new ();
  self->model = cbm_pdf_model_new (self->helper);
  self->current_match = -1;
  cbm_pdf_view_set_model (self->view, self->model);

  g_signal_connect_object (self->model, "notify::page", G_CALLBACK (queue_update_toolbar), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->model, "notify::scale", G_CALLBACK (queue_update_toolbar), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->search_bar, "notify::search-mode-enabled",
                           G_CALLBACK (search_mode_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->sidebar_button, "toggled", G_CALLBACK (update_sidebar), self, G_CONNECT_SWAPPED);
  gtk_search_bar_connect_entry (self->search_bar, GTK_EDITABLE (self->find_entry));

  /* Shift+Enter goes back through the matches, as in other GNOME apps. */
  shortcuts = GTK_SHORTCUT_CONTROLLER (gtk_shortcut_controller_new ());
  gtk_shortcut_controller_add_shortcut (shortcuts,
                                        gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_Return, GDK_SHIFT_MASK),
                                                          gtk_named_action_new ("document.previous-match")));
  gtk_widget_add_controller (GTK_WIDGET (self->find_entry), GTK_EVENT_CONTROLLER (shortcuts));

  self->outline_root = g_list_store_new (GTK_TYPE_STRING_OBJECT);
  tree = gtk_tree_list_model_new (G_LIST_MODEL (g_object_ref (self->outline_root)), FALSE, FALSE,
                                  create_outline_children, NULL, NULL);
  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (setup_outline_row_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_outline_row_cb), NULL);
  outline_selection = GTK_SELECTION_MODEL (gtk_no_selection_new (G_LIST_MODEL (tree)));
  gtk_list_view_set_model (self->outline_list, outline_selection);
  gtk_list_view_set_factory (self->outline_list, factory);
  g_object_unref (factory);

  self->match_items = gtk_string_list_new (NULL);
  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (setup_match_row_cb), NULL);
  g_signal_connect_object (factory, "bind", G_CALLBACK (bind_match_row_cb), self, 0);
  match_selection = GTK_SELECTION_MODEL (gtk_single_selection_new (G_LIST_MODEL (g_object_ref (self->match_items))));
  gtk_list_view_set_model (self->matches_list, match_selection);
  gtk_list_view_set_factory (self->matches_list, factory);
  g_object_unref (factory);

  show_state (self, "loading");
}

/**
 * cbm_document_page_open:
 * @country_name: (nullable): the name of the document's country, shown with its metadata
 * @settings: (nullable): where night mode and reading positions are kept
 *
 * Shows @document, restoring its last page and zoom.
 */
void
cbm_document_page_open (CbmDocumentPage *self,
                        CbmDocument     *document,
                        const char      *country_name,
                        GSettings       *settings)
{
  g_autofree char *subtitle = NULL;

  g_return_if_fail (CBM_IS_DOCUMENT_PAGE (self));
  g_return_if_fail (CBM_IS_DOCUMENT (document));

  save_position (self);
  close_choosers (self);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  g_set_object (&self->settings, settings);
  g_set_object (&self->document, document);
  g_free (self->country_name);
  self->country_name = g_strdup (country_name);

  if (settings != NULL)
    g_object_set (self, "night-mode", g_settings_get_boolean (settings, "night-mode"), NULL);

  gtk_label_set_label (self->title_label, document->title);
  if (country_name != NULL)
    subtitle = g_strdup_printf ("%s · %s", country_name, cbm_document_kind_get_label (document->kind));
  else
    subtitle = g_strdup (cbm_document_kind_get_label (document->kind));
  gtk_label_set_label (self->subtitle_label, subtitle);

  gtk_search_bar_set_search_mode (self->search_bar, FALSE);
  gtk_editable_set_text (GTK_EDITABLE (self->find_entry), "");
  set_matches (self, NULL);
  g_list_store_remove_all (self->outline_root);
  show_outline (self, FALSE);
  fill_properties (self);

  if (document->local_path == NULL)
    {
      adw_status_page_set_description (self->error_page,
                                       _("The document has not been downloaded yet. Synchronise to get it."));
      show_state (self, "error");
      return;
    }

  load (self, NULL);
}

/* Leaves the document, remembering where the user was. */
void
cbm_document_page_close (CbmDocumentPage *self)
{
  g_return_if_fail (CBM_IS_DOCUMENT_PAGE (self));

  save_position (self);
  g_signal_emit (self, signals[SIGNAL_CLOSED], 0);
}

CbmDocument *
cbm_document_page_get_document (CbmDocumentPage *self)
{
  g_return_val_if_fail (CBM_IS_DOCUMENT_PAGE (self), NULL);
  return self->document;
}

CbmPdfModel *
cbm_document_page_get_model (CbmDocumentPage *self)
{
  g_return_val_if_fail (CBM_IS_DOCUMENT_PAGE (self), NULL);
  return self->model;
}

CbmPdfView *
cbm_document_page_get_view (CbmDocumentPage *self)
{
  g_return_val_if_fail (CBM_IS_DOCUMENT_PAGE (self), NULL);
  return self->view;
}

/**
 * cbm_document_page_get_state:
 *
 * Returns: "loading", "error", "password" or "document"
 */
const char *
cbm_document_page_get_state (CbmDocumentPage *self)
{
  g_return_val_if_fail (CBM_IS_DOCUMENT_PAGE (self), NULL);
  return gtk_stack_get_visible_child_name (self->content_stack);
}

/* Opens the find bar and searches for @text, as if typed. */
void
cbm_document_page_find (CbmDocumentPage *self,
                        const char      *text)
{
  g_return_if_fail (CBM_IS_DOCUMENT_PAGE (self));

  gtk_search_bar_set_search_mode (self->search_bar, TRUE);
  gtk_editable_set_text (GTK_EDITABLE (self->find_entry), text);
  run_find (self);
}

/**
 * cbm_document_page_get_matches:
 *
 * Returns: (transfer none): the find results as shown in the sidebar, one item per match
 */
GListModel *
cbm_document_page_get_matches (CbmDocumentPage *self)
{
  g_return_val_if_fail (CBM_IS_DOCUMENT_PAGE (self), NULL);
  return G_LIST_MODEL (self->match_items);
}

/**
 * cbm_document_page_get_match:
 *
 * Returns: (nullable) (transfer none): find result @index
 */
CbmPdfMatch *
cbm_document_page_get_match (CbmDocumentPage *self,
                             guint            index)
{
  g_return_val_if_fail (CBM_IS_DOCUMENT_PAGE (self), NULL);

  if (self->matches == NULL || index >= self->matches->len)
    return NULL;
  return g_ptr_array_index (self->matches, index);
}

/* Opens the protected document again with @password, as the Unlock button does. */
void
cbm_document_page_unlock (CbmDocumentPage *self,
                          const char      *password)
{
  g_return_if_fail (CBM_IS_DOCUMENT_PAGE (self));

  if (self->document != NULL && self->document->local_path != NULL
      && password != NULL && *password != '\0')
    load (self, password);
}

/**
 * cbm_document_page_create_print_operation:
 *
 * Each page is rendered by the helper at print resolution; the caller runs the operation with
 * a dialog, or exports it to a file.
 *
 * Returns: (transfer full) (nullable): an operation printing the open document, or %NULL when
 *   no document is open
 */
GtkPrintOperation *
cbm_document_page_create_print_operation (CbmDocumentPage *self)
{
  GtkPrintOperation *operation;
  int n_pages;

  g_return_val_if_fail (CBM_IS_DOCUMENT_PAGE (self), NULL);

  n_pages = cbm_pdf_model_get_n_pages (self->model);
  if (n_pages == 0)
    return NULL;

  operation = gtk_print_operation_new ();
  gtk_print_operation_set_n_pages (operation, n_pages);
  gtk_print_operation_set_job_name (operation, self->document->title);
  gtk_print_operation_set_embed_page_setup (operation, TRUE);
  g_signal_connect_object (operation, "draw-page", G_CALLBACK (draw_page_cb), self, 0);
  return operation;
}

/**
 * cbm_document_page_save_copy_async:
 * @destination: where to write the copy; an existing file is replaced
 *
 * Copies the open document's file to @destination, as "Save a Copy" does once the user has
 * chosen it.
 */
void
cbm_document_page_save_copy_async (CbmDocumentPage     *self,
                                   GFile               *destination,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GFile) source = NULL;

  g_return_if_fail (CBM_IS_DOCUMENT_PAGE (self));
  g_return_if_fail (G_IS_FILE (destination));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cbm_document_page_save_copy_async);

  if (self->document == NULL || self->document->local_path == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "%s",
                               _("The document has not been downloaded yet. Synchronise to get it."));
      return;
    }

  source = g_file_new_for_path (self->document->local_path);
  g_file_copy_async (source, destination, G_FILE_COPY_OVERWRITE, G_PRIORITY_DEFAULT, cancellable,
                     NULL, NULL, file_copied_cb, g_steal_pointer (&task));
}

gboolean
cbm_document_page_save_copy_finish (CbmDocumentPage  *self,
                                    GAsyncResult     *result,
                                    GError          **error)
{
  g_return_val_if_fail (CBM_IS_DOCUMENT_PAGE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
