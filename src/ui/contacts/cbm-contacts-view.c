/* cbm-contacts-view.c
 *
 * Copyright 2026 The CBM Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "cbm-contact-page.h"
#include "cbm-contact-row.h"
#include "cbm-contacts-view.h"
#include "cbm-mail.h"
#include "cbm-note-verbale-dialog.h"

struct _CbmContactsView
{
  AdwBin                parent_instance;

  CbmStore             *store;
  CbmContactQuery      *query;
  GHashTable           *country_keys;   /* code → folded names in every language */
  GHashTable           *country_names;  /* code → name in the user's language */
  GPtrArray            *country_codes;  /* country dropdown position - 1 → code */
  GDateTime            *today;
  const char           *language;
  GtkFilter            *filter;
  GtkSorter            *sorter;
  GtkSortListModel     *sort_model;
  GtkFilterListModel   *filter_model;
  GtkSingleSelection   *selection;
  GtkFileChooserNative *chooser;
  gboolean              filling;

  AdwToastOverlay      *toast_overlay;
  GtkSearchEntry       *search_entry;
  GtkMenuButton        *filter_button;
  GtkDropDown          *category_dropdown;
  GtkDropDown          *country_dropdown;
  GtkCheckButton       *stale_check;
  GtkDropDown          *sort_dropdown;
  GtkStack             *list_stack;
  GtkListView          *list_view;
  GtkLabel             *count_label;
  GtkStack             *page_stack;
  CbmContactPage       *contact_page;
};

G_DEFINE_FINAL_TYPE (CbmContactsView, cbm_contacts_view, ADW_TYPE_BIN)

enum {
  SIGNAL_SHOW_COUNTRY,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* The first entry of the category and country filters means "any". */
#define ANY 0

typedef enum {
  SORT_BY_NAME,
  SORT_BY_COUNTRY,
  SORT_BY_VERIFIED,
} SortOrder;

typedef struct
{
  CbmContactQuery *query;
  GHashTable      *country_keys;
} FilterData;

static gboolean
filter_contact (gpointer item,
                gpointer user_data)
{
  FilterData *data = user_data;
  CbmContact *contact = item;

  return cbm_contact_query_matches (data->query, contact,
                                    g_hash_table_lookup (data->country_keys, contact->country));
}

/**
 * cbm_contacts_filter_new:
 * @query: what to match; the caller keeps it alive and calls gtk_filter_changed() after changing it
 * @country_keys: country code → folded country names, from cbm_contacts_country_keys_new();
 *   kept alive by the caller too
 *
 * The filter of the contact book, also run by bench/bench-contacts.
 *
 * Returns: (transfer full): a filter of #CbmContact items
 */
GtkFilter *
cbm_contacts_filter_new (CbmContactQuery *query,
                         GHashTable      *country_keys)
{
  FilterData *data = g_new0 (FilterData, 1);

  data->query = query;
  data->country_keys = country_keys;
  return GTK_FILTER (gtk_custom_filter_new (filter_contact, data, g_free));
}

static void
fill_country_keys (GHashTable *keys,
                   GListModel *countries)
{
  guint n = g_list_model_get_n_items (countries);

  g_hash_table_remove_all (keys);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CbmCountry) country = g_list_model_get_item (countries, i);
      g_hash_table_insert (keys, g_strdup (country->code), g_strdup (country->search_key));
    }
}

/**
 * cbm_contacts_country_keys_new:
 * @countries: a model of #CbmCountry
 *
 * Returns: (transfer full): country code → the country's folded names in every language
 */
GHashTable *
cbm_contacts_country_keys_new (GListModel *countries)
{
  GHashTable *keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  fill_country_keys (keys, countries);
  return keys;
}

static const char *
lookup_country_name (const char *code,
                     gpointer    user_data)
{
  CbmContactsView *self = user_data;
  const char *name = g_hash_table_lookup (self->country_names, code);

  return name ? name : code;
}

static int
compare_names (CbmContact *a,
               CbmContact *b)
{
  return g_utf8_collate (a->name ? a->name : "", b->name ? b->name : "");
}

static int
compare_contacts (gconstpointer a,
                  gconstpointer b,
                  gpointer      user_data)
{
  CbmContactsView *self = user_data;
  CbmContact *ca = (CbmContact *) a;
  CbmContact *cb = (CbmContact *) b;
  int result = 0;

  switch ((SortOrder) gtk_drop_down_get_selected (self->sort_dropdown))
    {
    case SORT_BY_COUNTRY:
      result = g_utf8_collate (lookup_country_name (ca->country, self),
                               lookup_country_name (cb->country, self));
      if (result == 0)
        result = (int) ca->category - (int) cb->category;
      break;

    case SORT_BY_VERIFIED:
      /* Oldest first, never verified before all: what needs checking comes up top. The dates
       * are YYYY-MM-DD, so they compare as strings. */
      result = g_strcmp0 (ca->verified, cb->verified);
      break;

    case SORT_BY_NAME:
    default:
      break;
    }

  return result != 0 ? result : compare_names (ca, cb);
}

static void
update_actions (CbmContactsView *self)
{
  CbmContact *contact = self->selection ? gtk_single_selection_get_selected_item (self->selection) : NULL;
  guint shown = self->filter_model ? g_list_model_get_n_items (G_LIST_MODEL (self->filter_model)) : 0;
  gboolean has_email = contact != NULL && contact->email != NULL && *contact->email != '\0';
  gboolean has_phone = contact != NULL && contact->phone != NULL && *contact->phone != '\0';

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "contacts.copy-email", has_email);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "contacts.write-email", has_email);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "contacts.copy-phone", has_phone);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "contacts.export-contact", contact != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "contacts.show-country", contact != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "contacts.draft-note", contact != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "contacts.export-list", shown > 0);
}

static void
update_list_page (CbmContactsView *self)
{
  guint shown = self->filter_model ? g_list_model_get_n_items (G_LIST_MODEL (self->filter_model)) : 0;
  guint total = self->store ? g_list_model_get_n_items (cbm_store_get_contacts (self->store)) : 0;
  guint countries = self->store ? g_list_model_get_n_items (cbm_store_get_countries (self->store)) : 0;
  g_autofree char *count = NULL;

  if (countries == 0)
    gtk_stack_set_visible_child_name (self->list_stack, "loading");
  else
    gtk_stack_set_visible_child_name (self->list_stack, shown > 0 ? "list" : "empty");

  if (shown == total)
    count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u contact", "%u contacts", total), total);
  else
    /* Translators: "12 of 62 contacts shown". */
    count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u of %u contact shown", "%u of %u contacts shown",
                                          total), shown, total);
  gtk_label_set_label (self->count_label, count);
  update_actions (self);
}

static void
refresh_today (CbmContactsView *self)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  g_clear_pointer (&self->today, g_date_time_unref);
  self->today = cbm_contact_stale_reference (now);
  cbm_contact_query_set_now (self->query, now);
}

static void
refilter (CbmContactsView *self,
          GtkFilterChange  change)
{
  if (self->filter == NULL)
    return;

  if (cbm_contact_query_is_filtering (self->query))
    gtk_widget_add_css_class (GTK_WIDGET (self->filter_button), "accent");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->filter_button), "accent");

  gtk_filter_changed (self->filter, change);
  update_list_page (self);
}

static void
show_selected (CbmContactsView *self)
{
  CbmContact *contact = gtk_single_selection_get_selected_item (self->selection);

  if (contact == NULL)
    gtk_stack_set_visible_child_name (self->page_stack, "none");
  else
    {
      cbm_contact_page_set_contact (self->contact_page, contact,
                                    lookup_country_name (contact->country, self), self->today);
      gtk_stack_set_visible_child_name (self->page_stack, "contact");
    }
  update_actions (self);
}

static void
selection_changed_cb (CbmContactsView *self)
{
  show_selected (self);
}

static int
compare_countries (gconstpointer a,
                   gconstpointer b,
                   gpointer      user_data)
{
  CbmContactsView *self = user_data;
  CbmCountry *ca = *(CbmCountry **) a;
  CbmCountry *cb = *(CbmCountry **) b;

  return g_utf8_collate (lookup_country_name (ca->code, self), lookup_country_name (cb->code, self));
}

static void
fill_country_dropdown (CbmContactsView *self)
{
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  g_autoptr(GPtrArray) countries = g_ptr_array_new_with_free_func (g_object_unref);
  GListModel *model = cbm_store_get_countries (self->store);
  guint selected = gtk_drop_down_get_selected (self->country_dropdown);
  g_autofree char *selected_code = NULL;
  guint n = g_list_model_get_n_items (model);
  guint position = ANY;

  if (selected != ANY && selected != GTK_INVALID_LIST_POSITION && selected - 1 < self->country_codes->len)
    selected_code = g_strdup (g_ptr_array_index (self->country_codes, selected - 1));

  g_hash_table_remove_all (self->country_names);
  for (guint i = 0; i < n; i++)
    {
      CbmCountry *country = g_list_model_get_item (model, i);

      g_hash_table_insert (self->country_names, g_strdup (country->code),
                           g_strdup (cbm_country_get_name (country, self->language)));
      g_ptr_array_add (countries, country);
    }
  fill_country_keys (self->country_keys, model);

  /* The dropdown lists the countries by name, in the user's language. */
  g_ptr_array_sort_with_data (countries, compare_countries, self);
  g_ptr_array_set_size (self->country_codes, 0);
  gtk_string_list_append (names, _("Any country"));
  for (guint i = 0; i < countries->len; i++)
    {
      CbmCountry *country = g_ptr_array_index (countries, i);

      gtk_string_list_append (names, lookup_country_name (country->code, self));
      g_ptr_array_add (self->country_codes, g_strdup (country->code));
      if (g_strcmp0 (country->code, selected_code) == 0)
        position = i + 1;
    }
  gtk_drop_down_set_model (self->country_dropdown, G_LIST_MODEL (names));
  gtk_drop_down_set_selected (self->country_dropdown, position);
}

static void
store_changed_cb (CbmContactsView *self)
{
  CbmContact *shown = cbm_contact_page_get_contact (self->contact_page);
  g_autofree char *id = shown ? g_strdup (shown->id) : NULL;

  self->filling = TRUE;
  fill_country_dropdown (self);
  self->filling = FALSE;

  refresh_today (self);
  gtk_sorter_changed (self->sorter, GTK_SORTER_CHANGE_DIFFERENT);
  refilter (self, GTK_FILTER_CHANGE_DIFFERENT);

  /* The models are refreshed after each sync; keep the contact the user was looking at. */
  if (id != NULL && !cbm_contacts_view_select_contact (self, id))
    gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
}

static void
search_changed_cb (CbmContactsView *self)
{
  g_autofree char *before = g_strdup (cbm_contact_query_get_text (self->query));
  const char *after;
  GtkFilterChange change = GTK_FILTER_CHANGE_DIFFERENT;

  if (!cbm_contact_query_set_text (self->query, gtk_editable_get_text (GTK_EDITABLE (self->search_entry))))
    return;

  /* Typing on only narrows the list, deleting only widens it: the filter model then re-checks
   * only the items that can change. */
  after = cbm_contact_query_get_text (self->query);
  if (g_str_has_prefix (after, before))
    change = GTK_FILTER_CHANGE_MORE_STRICT;
  else if (g_str_has_prefix (before, after))
    change = GTK_FILTER_CHANGE_LESS_STRICT;
  refilter (self, change);
}

/* Enter in the search entry opens the first match. */
static void
search_activate_cb (CbmContactsView *self)
{
  if (g_list_model_get_n_items (G_LIST_MODEL (self->selection)) == 0)
    return;
  gtk_single_selection_set_selected (self->selection, 0);
  gtk_widget_grab_focus (GTK_WIDGET (self->contact_page));
}

static void
stop_search_cb (CbmContactsView *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
}

static void
list_activate_cb (CbmContactsView *self,
                  guint            position)
{
  gtk_single_selection_set_selected (self->selection, position);
  gtk_widget_grab_focus (GTK_WIDGET (self->contact_page));
}

static void
filters_changed_cb (CbmContactsView *self)
{
  guint category = gtk_drop_down_get_selected (self->category_dropdown);
  guint country = gtk_drop_down_get_selected (self->country_dropdown);

  if (self->filling || self->query == NULL)
    return;

  cbm_contact_query_set_category (self->query,
                                  category == ANY || category == GTK_INVALID_LIST_POSITION
                                  ? CBM_CONTACT_QUERY_ANY_CATEGORY : (int) category - 1);
  cbm_contact_query_set_country (self->query,
                                 country == ANY || country == GTK_INVALID_LIST_POSITION ||
                                 country - 1 >= self->country_codes->len
                                 ? NULL : g_ptr_array_index (self->country_codes, country - 1));
  cbm_contact_query_set_stale_only (self->query, gtk_check_button_get_active (self->stale_check));
  refilter (self, GTK_FILTER_CHANGE_DIFFERENT);
}

static void
sort_changed_cb (CbmContactsView *self)
{
  if (self->sorter != NULL)
    gtk_sorter_changed (self->sorter, GTK_SORTER_CHANGE_DIFFERENT);
}

static void
clear_filters_cb (CbmContactsView *self)
{
  gtk_drop_down_set_selected (self->category_dropdown, ANY);
  gtk_drop_down_set_selected (self->country_dropdown, ANY);
  gtk_check_button_set_active (self->stale_check, FALSE);
}

static void
setup_row_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              gpointer                  user_data)
{
  gtk_list_item_set_child (item, GTK_WIDGET (cbm_contact_row_new ()));
}

static void
bind_row_cb (GtkSignalListItemFactory *factory,
             GtkListItem              *item,
             CbmContactsView          *self)
{
  CbmContact *contact = gtk_list_item_get_item (item);

  cbm_contact_row_set_contact (CBM_CONTACT_ROW (gtk_list_item_get_child (item)), contact,
                               lookup_country_name (contact->country, self), self->today);
}

static CbmContact *
get_selected (CbmContactsView *self)
{
  return self->selection ? gtk_single_selection_get_selected_item (self->selection) : NULL;
}

static void
copy_text (CbmContactsView *self,
           const char      *text,
           const char      *message)
{
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), text);
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (message));
}

static void
copy_email_activated (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  CbmContactsView *self = CBM_CONTACTS_VIEW (widget);
  CbmContact *contact = get_selected (self);

  if (contact != NULL && contact->email != NULL)
    copy_text (self, contact->email, _("E-mail address copied"));
}

static void
copy_phone_activated (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  CbmContactsView *self = CBM_CONTACTS_VIEW (widget);
  CbmContact *contact = get_selected (self);

  if (contact != NULL && contact->phone != NULL)
    copy_text (self, contact->phone, _("Phone number copied"));
}

static void
write_email_activated (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  CbmContactsView *self = CBM_CONTACTS_VIEW (widget);
  CbmContact *contact = get_selected (self);
  g_autofree char *escaped = NULL;
  g_autofree char *uri = NULL;

  if (contact == NULL || contact->email == NULL)
    return;

  escaped = g_uri_escape_string (contact->email, "@", FALSE);
  uri = g_strconcat ("mailto:", escaped, NULL);
  cbm_mail_open (GTK_WINDOW (gtk_widget_get_root (widget)), uri, self->toast_overlay);
}

/* The Note Verbale form, pre-filled from @contact when there is one. */
static void
open_note_dialog (CbmContactsView *self,
                  CbmContact      *contact)
{
  CbmNoteVerbaleDialog *dialog;

  if (self->store == NULL)
    return;
  dialog = cbm_note_verbale_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                        self->store, contact);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
draft_note_activated (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  CbmContactsView *self = CBM_CONTACTS_VIEW (widget);
  CbmContact *contact = get_selected (self);

  if (contact != NULL)
    open_note_dialog (self, contact);
}

static void
new_note_activated (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  open_note_dialog (CBM_CONTACTS_VIEW (widget), NULL);
}

static void
show_country_activated (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  CbmContactsView *self = CBM_CONTACTS_VIEW (widget);
  CbmContact *contact = get_selected (self);

  if (contact != NULL)
    g_signal_emit (self, signals[SIGNAL_SHOW_COUNTRY], 0, contact->country);
}

static void
export_written_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(CbmContactsView) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  if (!g_file_replace_contents_finish (G_FILE (source), result, NULL, &error))
    {
      g_autofree char *name = g_file_get_parse_name (G_FILE (source));
      text = g_strdup_printf (_("Could not save “%s”: %s"), name, error->message);
    }
  else
    {
      g_autofree char *name = g_file_get_basename (G_FILE (source));
      text = g_strdup_printf (_("Saved “%s”"), name);
    }
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (text));
}

static void
export_response_cb (GtkNativeDialog *dialog,
                    int              response,
                    CbmContactsView *self)
{
  g_autoptr(GBytes) bytes = g_object_steal_data (G_OBJECT (dialog), "vcard");

  if (response == GTK_RESPONSE_ACCEPT && bytes != NULL)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));

      g_file_replace_contents_bytes_async (file, bytes, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION,
                                           NULL, export_written_cb, g_object_ref (self));
    }
  g_clear_object (&self->chooser);
}

/* Asks where to save @vcard; the text is made before asking, so it is what the user saw. */
static void
export_vcard (CbmContactsView *self,
              char            *vcard,
              const char      *suggested_name)
{
  g_autoptr(GtkFileFilter) vcf = gtk_file_filter_new ();
  g_autofree char *file_name = NULL;

  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);

  self->chooser = gtk_file_chooser_native_new (_("Export as vCard"),
                                               GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                               GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  gtk_file_filter_set_name (vcf, _("vCard files"));
  gtk_file_filter_add_mime_type (vcf, "text/vcard");
  gtk_file_filter_add_suffix (vcf, "vcf");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), vcf);

  /* A name cannot carry a path separator. */
  file_name = g_strdelimit (g_strconcat (suggested_name, ".vcf", NULL), "/\\", '-');
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser), file_name);

  g_object_set_data_full (G_OBJECT (self->chooser), "vcard", g_bytes_new_take (vcard, strlen (vcard)),
                          (GDestroyNotify) g_bytes_unref);
  g_signal_connect_object (self->chooser, "response", G_CALLBACK (export_response_cb), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
export_contact_activated (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  CbmContactsView *self = CBM_CONTACTS_VIEW (widget);
  CbmContact *contact = get_selected (self);

  if (contact != NULL)
    export_vcard (self, cbm_vcard_from_contact (contact, lookup_country_name (contact->country, self)),
                  contact->name && *contact->name ? contact->name : contact->id);
}

static void
export_list_activated (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  CbmContactsView *self = CBM_CONTACTS_VIEW (widget);

  if (self->selection == NULL || g_list_model_get_n_items (G_LIST_MODEL (self->selection)) == 0)
    return;
  /* Translators: the suggested file name of an exported list of contacts, without extension. */
  export_vcard (self, cbm_vcard_from_contacts (G_LIST_MODEL (self->selection), lookup_country_name, self),
                _("Points of contact"));
}

static void
fill_static_dropdowns (CbmContactsView *self)
{
  g_autoptr(GtkStringList) categories = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) orders = gtk_string_list_new (NULL);

  gtk_string_list_append (categories, _("Any category"));
  for (guint i = 0; i < CBM_N_CONTACT_CATEGORIES; i++)
    gtk_string_list_append (categories, cbm_contact_category_get_label (i));

  /* In the order of SortOrder. */
  gtk_string_list_append (orders, C_("sort contacts by", "Name"));
  gtk_string_list_append (orders, C_("sort contacts by", "Country"));
  gtk_string_list_append (orders, C_("sort contacts by", "Last verified, oldest first"));

  gtk_drop_down_set_model (self->category_dropdown, G_LIST_MODEL (categories));
  gtk_drop_down_set_model (self->sort_dropdown, G_LIST_MODEL (orders));
}

static void
cbm_contacts_view_dispose (GObject *object)
{
  CbmContactsView *self = CBM_CONTACTS_VIEW (object);

  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  /* AdwBin keeps its own pointer to its child: let it drop the child first. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), CBM_TYPE_CONTACTS_VIEW);
  g_clear_object (&self->selection);
  g_clear_object (&self->filter_model);
  g_clear_object (&self->sort_model);
  g_clear_object (&self->filter);
  g_clear_object (&self->sorter);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (cbm_contacts_view_parent_class)->dispose (object);
}

static void
cbm_contacts_view_finalize (GObject *object)
{
  CbmContactsView *self = CBM_CONTACTS_VIEW (object);

  /* After dispose: the filter, which points at these, is gone. */
  g_clear_pointer (&self->query, cbm_contact_query_free);
  g_clear_pointer (&self->country_keys, g_hash_table_unref);
  g_clear_pointer (&self->country_names, g_hash_table_unref);
  g_clear_pointer (&self->country_codes, g_ptr_array_unref);
  g_clear_pointer (&self->today, g_date_time_unref);

  G_OBJECT_CLASS (cbm_contacts_view_parent_class)->finalize (object);
}

static void
cbm_contacts_view_class_init (CbmContactsViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cbm_contacts_view_dispose;
  object_class->finalize = cbm_contacts_view_finalize;

  /**
   * CbmContactsView::show-country:
   * @code: the country's code
   *
   * Asks for the page of a contact's country.
   */
  signals[SIGNAL_SHOW_COUNTRY] = g_signal_new ("show-country", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                               0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  g_type_ensure (CBM_TYPE_CONTACT_PAGE);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/ui/contacts/cbm-contacts-view.ui");
  gtk_widget_class_bind_template_child (widget_class, CbmContactsView, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, CbmContactsView, search_entry);
  gtk_widget_class_bind_template_child (widget_class, CbmContactsView, filter_button);
  gtk_widget_class_bind_template_child (widget_class, CbmContactsView, category_dropdown);
  gtk_widget_class_bind_template_child (widget_class, CbmContactsView, country_dropdown);
  gtk_widget_class_bind_template_child (widget_class, CbmContactsView, stale_check);
  gtk_widget_class_bind_template_child (widget_class, CbmContactsView, sort_dropdown);
  gtk_widget_class_bind_template_child (widget_class, CbmContactsView, list_stack);
  gtk_widget_class_bind_template_child (widget_class, CbmContactsView, list_view);
  gtk_widget_class_bind_template_child (widget_class, CbmContactsView, count_label);
  gtk_widget_class_bind_template_child (widget_class, CbmContactsView, page_stack);
  gtk_widget_class_bind_template_child (widget_class, CbmContactsView, contact_page);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, stop_search_cb);
  gtk_widget_class_bind_template_callback (widget_class, list_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, filters_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, sort_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, clear_filters_cb);

  gtk_widget_class_install_action (widget_class, "contacts.copy-email", NULL, copy_email_activated);
  gtk_widget_class_install_action (widget_class, "contacts.copy-phone", NULL, copy_phone_activated);
  gtk_widget_class_install_action (widget_class, "contacts.write-email", NULL, write_email_activated);
  gtk_widget_class_install_action (widget_class, "contacts.export-contact", NULL, export_contact_activated);
  gtk_widget_class_install_action (widget_class, "contacts.export-list", NULL, export_list_activated);
  gtk_widget_class_install_action (widget_class, "contacts.show-country", NULL, show_country_activated);
  gtk_widget_class_install_action (widget_class, "contacts.draft-note", NULL, draft_note_activated);
  gtk_widget_class_install_action (widget_class, "contacts.new-note", NULL, new_note_activated);
}

static void
cbm_contacts_view_init (CbmContactsView *self)
{
  g_autoptr(GtkExpression) expression = NULL;
  GtkListItemFactory *factory;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->language = cbm_text_user_language ();
  self->query = cbm_contact_query_new ();
  self->country_keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->country_names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->country_codes = g_ptr_array_new_with_free_func (g_free);
  refresh_today (self);

  fill_static_dropdowns (self);
  /* The country list is long enough to deserve a search. */
  expression = gtk_property_expression_new (GTK_TYPE_STRING_OBJECT, NULL, "string");
  gtk_drop_down_set_expression (self->country_dropdown, expression);
  gtk_drop_down_set_enable_search (self->country_dropdown, TRUE);

  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (setup_row_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row_cb), self);
  gtk_list_view_set_factory (self->list_view, factory);
  g_object_unref (factory);

  gtk_search_entry_set_key_capture_widget (self->search_entry, GTK_WIDGET (self->list_view));
  update_list_page (self);
}

void
cbm_contacts_view_set_store (CbmContactsView *self,
                             CbmStore        *store)
{
  g_return_if_fail (CBM_IS_CONTACTS_VIEW (self));
  g_return_if_fail (CBM_IS_STORE (store));
  g_return_if_fail (self->store == NULL);

  self->store = g_object_ref (store);

  /* Sorted below the filter: the sort runs when the data or the order changes, not on every
   * keystroke, and filtering keeps the order. */
  self->sorter = GTK_SORTER (gtk_custom_sorter_new (compare_contacts, self, NULL));
  self->sort_model = gtk_sort_list_model_new (g_object_ref (cbm_store_get_contacts (store)),
                                              g_object_ref (self->sorter));
  self->filter = cbm_contacts_filter_new (self->query, self->country_keys);
  self->filter_model = gtk_filter_list_model_new (g_object_ref (G_LIST_MODEL (self->sort_model)),
                                                  g_object_ref (self->filter));
  self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->filter_model)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (self->selection));

  g_signal_connect_object (self->selection, "notify::selected-item", G_CALLBACK (selection_changed_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->filter_model, "items-changed", G_CALLBACK (update_list_page),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (store, "changed", G_CALLBACK (store_changed_cb), self, G_CONNECT_SWAPPED);
  store_changed_cb (self);
}

void
cbm_contacts_view_focus_search (CbmContactsView *self)
{
  g_return_if_fail (CBM_IS_CONTACTS_VIEW (self));
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

void
cbm_contacts_view_set_search (CbmContactsView *self,
                              const char      *text)
{
  g_return_if_fail (CBM_IS_CONTACTS_VIEW (self));
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), text);
  /* The entry reports changes after a delay; a caller that sets the text wants it now. */
  search_changed_cb (self);
}

/**
 * cbm_contacts_view_get_model:
 *
 * Returns: (transfer none): the contacts shown, filtered and sorted
 */
GListModel *
cbm_contacts_view_get_model (CbmContactsView *self)
{
  g_return_val_if_fail (CBM_IS_CONTACTS_VIEW (self), NULL);
  return G_LIST_MODEL (self->selection);
}

gboolean
cbm_contacts_view_select_contact (CbmContactsView *self,
                                  const char      *id)
{
  guint n;

  g_return_val_if_fail (CBM_IS_CONTACTS_VIEW (self), FALSE);

  if (self->selection == NULL)
    return FALSE;

  n = g_list_model_get_n_items (G_LIST_MODEL (self->selection));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CbmContact) contact = g_list_model_get_item (G_LIST_MODEL (self->selection), i);

      if (g_strcmp0 (contact->id, id) == 0)
        {
          gtk_single_selection_set_selected (self->selection, i);
          /* The item may be a fresh object at the same position. */
          show_selected (self);
          return TRUE;
        }
    }
  return FALSE;
}
