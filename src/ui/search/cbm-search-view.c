/* cbm-search-view.c
 *
 * Copyright 2026 The CBM Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "cbm-search-view.h"

/* The global search. GtkSearchEntry already waits 150 ms after the last keystroke before
 * "search-changed"; the query then runs on the indexer's thread and a newer one cancels it,
 * so typing never waits for sqlite. Results come as one flat list in which the country and
 * document headers are rows of their own (GTK 4.8 has no section models): a CbmCountry item
 * is a country header, a CbmDocument a document header, a CbmSearchResult a hit. */

#define RESULT_LIMIT 200

/* The first entry of each filter means "any". */
#define ANY 0

struct _CbmSearchView
{
  AdwBin             parent_instance;

  CbmIndexer        *indexer;
  CbmStore          *store;
  GListStore        *items;
  GtkNoSelection    *selection;
  GCancellable      *cancellable;
  GPtrArray         *country_codes;   /* of the country dropdown, after ANY */
  char              *query;

  GtkSearchEntry    *search_entry;
  GtkDropDown       *country_dropdown;
  GtkDropDown       *kind_dropdown;
  GtkDropDown       *language_dropdown;
  GtkLabel          *count_label;
  GtkBox            *progress_box;
  GtkSpinner        *progress_spinner;
  GtkLabel          *progress_label;
  GtkStack          *results_stack;
  GtkListView       *list_view;
};

G_DEFINE_FINAL_TYPE (CbmSearchView, cbm_search_view, ADW_TYPE_BIN)

enum {
  SIGNAL_OPEN_DOCUMENT,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const char *
selected_code (GtkDropDown *dropdown,
               GPtrArray   *codes)
{
  guint selected = gtk_drop_down_get_selected (dropdown);

  if (selected == ANY || selected == GTK_INVALID_LIST_POSITION || codes == NULL ||
      selected - 1 >= codes->len)
    return NULL;
  return g_ptr_array_index (codes, selected - 1);
}

/* Results, grouped (main thread). */

typedef struct
{
  char      *code;
  GPtrArray *documents;   /* char *, in order of their best hit */
} CountryGroup;

static void
country_group_free (CountryGroup *group)
{
  g_free (group->code);
  g_ptr_array_unref (group->documents);
  g_free (group);
}

/* Countries and documents keep the order of their best hit; hits keep rank order. */
static void
show_results (CbmSearchView *self,
              GPtrArray     *results)
{
  g_autoptr(GPtrArray) groups = g_ptr_array_new_with_free_func ((GDestroyNotify) country_group_free);
  g_autoptr(GHashTable) by_country = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) by_document = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                                             (GDestroyNotify) g_ptr_array_unref);
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < results->len; i++)
    {
      CbmSearchResult *hit = g_ptr_array_index (results, i);
      CountryGroup *group = g_hash_table_lookup (by_country, hit->country);
      GPtrArray *hits = g_hash_table_lookup (by_document, hit->document_id);

      if (group == NULL)
        {
          group = g_new0 (CountryGroup, 1);
          group->code = g_strdup (hit->country);
          group->documents = g_ptr_array_new ();
          g_ptr_array_add (groups, group);
          g_hash_table_insert (by_country, group->code, group);
        }
      if (hits == NULL)
        {
          hits = g_ptr_array_new_with_free_func (g_object_unref);
          g_hash_table_insert (by_document, hit->document_id, hits);
          g_ptr_array_add (group->documents, hit->document_id);
        }
      g_ptr_array_add (hits, g_object_ref (hit));
    }

  for (guint i = 0; i < groups->len; i++)
    {
      CountryGroup *group = g_ptr_array_index (groups, i);
      CbmCountry *country = cbm_store_lookup_country (self->store, group->code);

      /* A hit of a country the store dropped since is left out. */
      if (country == NULL)
        continue;
      g_ptr_array_add (items, g_object_ref (country));

      for (guint j = 0; j < group->documents->len; j++)
        {
          const char *id = g_ptr_array_index (group->documents, j);
          CbmDocument *document = cbm_country_find_document (country, id);
          GPtrArray *hits = g_hash_table_lookup (by_document, id);

          if (document == NULL)
            continue;
          g_ptr_array_add (items, g_object_ref (document));
          for (guint k = 0; k < hits->len; k++)
            g_ptr_array_add (items, g_object_ref (g_ptr_array_index (hits, k)));
        }
    }

  g_list_store_splice (self->items, 0, g_list_model_get_n_items (G_LIST_MODEL (self->items)),
                       items->pdata, items->len);
}

static void
queried_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(CbmSearchView) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) results = NULL;
  g_autofree char *count = NULL;
  guint n_pages = 0, n_documents = 0;

  results = cbm_indexer_query_finish (CBM_INDEXER (object), result, &n_pages, &n_documents, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (results == NULL)
    {
      /* Before the index is open (the first second after start) there is nothing to find. */
      if (!g_error_matches (error, CBM_INDEXER_ERROR, CBM_INDEXER_ERROR_CLOSED))
        g_warning ("Search failed: %s", error->message);
      results = g_ptr_array_new ();
    }

  show_results (self, results);

  if (n_pages == 0)
    count = g_strdup ("");
  else if (n_pages > results->len)
    /* Translators: the search shows the best results of many; both numbers are pages. */
    count = g_strdup_printf (_("Best %u of %u pages in %u documents"), results->len, n_pages, n_documents);
  else
    count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u page in %u documents",
                                          "%u pages in %u documents", n_pages),
                             n_pages, n_documents);
  gtk_label_set_text (self->count_label, count);
  gtk_stack_set_visible_child_name (self->results_stack, n_pages > 0 ? "results" : "empty");
}

static void
run_query (CbmSearchView *self)
{
  CbmSearchFilters filters = { NULL, };
  guint kind = gtk_drop_down_get_selected (self->kind_dropdown);
  guint language = gtk_drop_down_get_selected (self->language_dropdown);
  g_autofree char *match = NULL;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);

  match = cbm_search_query_to_match (self->query);
  if (self->indexer == NULL || match == NULL)
    {
      g_list_store_remove_all (self->items);
      gtk_label_set_text (self->count_label, "");
      gtk_stack_set_visible_child_name (self->results_stack, "start");
      return;
    }

  filters.country = selected_code (self->country_dropdown, self->country_codes);
  if (kind != ANY && kind != GTK_INVALID_LIST_POSITION)
    filters.kind = cbm_document_kind_to_string (kind - 1);
  if (language != ANY && language != GTK_INVALID_LIST_POSITION && language - 1 < CBM_N_LANGUAGES)
    filters.language = cbm_languages[language - 1];

  self->cancellable = g_cancellable_new ();
  cbm_indexer_query_async (self->indexer, self->query, &filters, RESULT_LIMIT, self->cancellable,
                           queried_cb, g_object_ref (self));
}

/* Progress. */

static void
update_progress (CbmSearchView *self)
{
  gboolean busy = self->indexer != NULL && cbm_indexer_get_busy (self->indexer);

  gtk_widget_set_visible (GTK_WIDGET (self->progress_box), busy);
  gtk_spinner_set_spinning (self->progress_spinner, busy);
  if (busy)
    {
      guint indexed = cbm_indexer_get_indexed (self->indexer);
      guint total = cbm_indexer_get_total (self->indexer);
      g_autofree char *text = NULL;

      if (total == 0)
        text = g_strdup (_("Preparing the search index…"));
      else
        /* Translators: the search index is being built: "Indexing 12 of 140 documents". */
        text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Indexing %u of %u document",
                                             "Indexing %u of %u documents", total),
                                MIN (indexed + 1, total), total);
      gtk_label_set_text (self->progress_label, text);
    }
}

static void
busy_changed_cb (CbmSearchView *self)
{
  update_progress (self);

  /* What was indexed meanwhile may answer the current question. */
  if (!cbm_indexer_get_busy (self->indexer))
    run_query (self);
}

/* Filters. */

static int
compare_countries (gconstpointer a,
                   gconstpointer b)
{
  const char *language = cbm_text_user_language ();

  return g_utf8_collate (cbm_country_get_name (*(CbmCountry **) a, language),
                         cbm_country_get_name (*(CbmCountry **) b, language));
}

static void
fill_countries (CbmSearchView *self)
{
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  g_autoptr(GPtrArray) countries = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *selected = g_strdup (selected_code (self->country_dropdown, self->country_codes));
  GListModel *model = cbm_store_get_countries (self->store);
  const char *language = cbm_text_user_language ();
  guint position = ANY;

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    g_ptr_array_add (countries, g_list_model_get_item (model, i));
  g_ptr_array_sort (countries, compare_countries);

  g_clear_pointer (&self->country_codes, g_ptr_array_unref);
  self->country_codes = g_ptr_array_new_with_free_func (g_free);
  gtk_string_list_append (names, _("All countries"));
  for (guint i = 0; i < countries->len; i++)
    {
      CbmCountry *country = g_ptr_array_index (countries, i);

      gtk_string_list_append (names, cbm_country_get_name (country, language));
      g_ptr_array_add (self->country_codes, g_strdup (country->code));
      if (g_strcmp0 (selected, country->code) == 0)
        position = i + 1;
    }

  /* Setting the model resets the selection; the query runs again once, below. */
  g_signal_handlers_block_matched (self->country_dropdown, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, self);
  gtk_drop_down_set_model (self->country_dropdown, G_LIST_MODEL (names));
  gtk_drop_down_set_selected (self->country_dropdown, position);
  g_signal_handlers_unblock_matched (self->country_dropdown, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, self);
}

static void
fill_dropdowns (CbmSearchView *self)
{
  g_autoptr(GtkStringList) kinds = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) languages = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) countries = gtk_string_list_new (NULL);

  gtk_string_list_append (kinds, _("All kinds"));
  for (guint i = 0; i < CBM_N_DOCUMENT_KINDS; i++)
    gtk_string_list_append (kinds, cbm_document_kind_get_label (i));

  gtk_string_list_append (languages, _("All languages"));
  for (guint i = 0; i < CBM_N_LANGUAGES; i++)
    gtk_string_list_append (languages, cbm_text_get_language_name (cbm_languages[i]));

  gtk_string_list_append (countries, _("All countries"));

  gtk_drop_down_set_model (self->kind_dropdown, G_LIST_MODEL (kinds));
  gtk_drop_down_set_model (self->language_dropdown, G_LIST_MODEL (languages));
  gtk_drop_down_set_model (self->country_dropdown, G_LIST_MODEL (countries));
}

static void
store_changed_cb (CbmSearchView *self)
{
  fill_countries (self);
}

/* Template callbacks. */

static void
search_changed_cb (CbmSearchView *self)
{
  g_free (self->query);
  self->query = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
  run_query (self);
}

static void
filters_changed_cb (CbmSearchView *self)
{
  if (self->items != NULL)
    run_query (self);
}

static void
stop_search_cb (CbmSearchView *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
}

static void
open_hit (CbmSearchView   *self,
          CbmSearchResult *hit)
{
  g_signal_emit (self, signals[SIGNAL_OPEN_DOCUMENT], 0, hit->document_id, hit->country, hit->page,
                 self->query);
}

/* Enter in the entry opens the best hit. */
static void
search_activate_cb (CbmSearchView *self)
{
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->items)); i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (G_LIST_MODEL (self->items), i);
      CbmSearchResult *best = NULL;

      if (!CBM_IS_SEARCH_RESULT (item))
        continue;
      /* Hits are grouped, so the best one is the lowest rank, not the first row. */
      for (guint j = i; j < g_list_model_get_n_items (G_LIST_MODEL (self->items)); j++)
        {
          g_autoptr(GObject) other = g_list_model_get_item (G_LIST_MODEL (self->items), j);

          if (CBM_IS_SEARCH_RESULT (other) &&
              (best == NULL || CBM_SEARCH_RESULT (other)->rank < best->rank))
            best = CBM_SEARCH_RESULT (other);
        }
      open_hit (self, best);
      return;
    }
}

static void
list_activate_cb (CbmSearchView *self,
                  guint          position)
{
  g_autoptr(GObject) item = g_list_model_get_item (G_LIST_MODEL (self->items), position);

  if (CBM_IS_SEARCH_RESULT (item))
    open_hit (self, CBM_SEARCH_RESULT (item));
}

/* Rows: one widget tree per row, its parts shown by the kind of item. */

static void
setup_row_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              gpointer                  user_data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *title = gtk_label_new (NULL);
  GtkWidget *page = gtk_label_new (NULL);
  GtkWidget *snippet = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_ellipsize (GTK_LABEL (title), PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (title, TRUE);

  gtk_label_set_xalign (GTK_LABEL (page), 0);
  gtk_label_set_width_chars (GTK_LABEL (page), 8);
  gtk_widget_set_valign (page, GTK_ALIGN_START);
  gtk_widget_add_css_class (page, "dim-label");
  gtk_widget_add_css_class (page, "numeric");

  gtk_label_set_xalign (GTK_LABEL (snippet), 0);
  gtk_label_set_wrap (GTK_LABEL (snippet), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (snippet), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_lines (GTK_LABEL (snippet), 3);
  gtk_label_set_ellipsize (GTK_LABEL (snippet), PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (snippet, TRUE);

  gtk_box_append (GTK_BOX (box), title);
  gtk_box_append (GTK_BOX (box), page);
  gtk_box_append (GTK_BOX (box), snippet);
  g_object_set_data (G_OBJECT (box), "title", title);
  g_object_set_data (G_OBJECT (box), "page", page);
  g_object_set_data (G_OBJECT (box), "snippet", snippet);
  gtk_list_item_set_child (item, box);
}

static void
bind_row_cb (GtkSignalListItemFactory *factory,
             GtkListItem              *item,
             gpointer                  user_data)
{
  GtkWidget *box = gtk_list_item_get_child (item);
  GtkLabel *title = g_object_get_data (G_OBJECT (box), "title");
  GtkLabel *page = g_object_get_data (G_OBJECT (box), "page");
  GtkLabel *snippet = g_object_get_data (G_OBJECT (box), "snippet");
  GObject *object = gtk_list_item_get_item (item);
  const char *language = cbm_text_user_language ();
  gboolean hit = CBM_IS_SEARCH_RESULT (object);
  g_autofree char *accessible = NULL;

  gtk_widget_set_visible (GTK_WIDGET (title), !hit);
  gtk_widget_set_visible (GTK_WIDGET (page), hit);
  gtk_widget_set_visible (GTK_WIDGET (snippet), hit);
  gtk_widget_remove_css_class (GTK_WIDGET (title), "title-4");
  gtk_widget_remove_css_class (GTK_WIDGET (title), "heading");
  gtk_list_item_set_activatable (item, hit);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_widget_set_margin_top (box, 4);
  gtk_widget_set_margin_bottom (box, 4);

  if (CBM_IS_COUNTRY (object))
    {
      const char *name = cbm_country_get_name (CBM_COUNTRY (object), language);

      gtk_label_set_text (title, name);
      gtk_widget_add_css_class (GTK_WIDGET (title), "title-4");
      gtk_widget_set_margin_top (box, 18);
      accessible = g_strdup (name);
    }
  else if (CBM_IS_DOCUMENT (object))
    {
      CbmDocument *document = CBM_DOCUMENT (object);

      gtk_label_set_text (title, document->title);
      gtk_widget_add_css_class (GTK_WIDGET (title), "heading");
      gtk_widget_set_margin_start (box, 24);
      gtk_widget_set_margin_top (box, 8);
      accessible = g_strdup (document->title);
    }
  else if (hit)
    {
      CbmSearchResult *result = CBM_SEARCH_RESULT (object);
      g_autofree char *markup = cbm_search_snippet_to_markup (result->snippet);
      /* Translators: a page number in the search results. */
      g_autofree char *number = g_strdup_printf (_("Page %d"), result->page + 1);
      g_autofree char *plain = NULL;

      gtk_label_set_text (page, number);
      gtk_label_set_markup (snippet, markup);
      gtk_widget_set_margin_start (box, 36);
      plain = g_strdup (gtk_label_get_text (snippet));
      /* Translators: how a search hit is read out: the page and the text around the match. */
      accessible = g_strdup_printf (_("%s: %s"), number, plain);
    }

  gtk_accessible_update_property (GTK_ACCESSIBLE (box), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  accessible != NULL ? accessible : "", -1);
}

/* GObject. */

static void
cbm_search_view_dispose (GObject *object)
{
  CbmSearchView *self = CBM_SEARCH_VIEW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  /* AdwBin keeps its own pointer to its child: let it drop the child first. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), CBM_TYPE_SEARCH_VIEW);
  g_clear_object (&self->selection);
  g_clear_object (&self->items);
  g_clear_object (&self->indexer);
  g_clear_object (&self->store);
  g_clear_pointer (&self->country_codes, g_ptr_array_unref);
  g_clear_pointer (&self->query, g_free);

  G_OBJECT_CLASS (cbm_search_view_parent_class)->dispose (object);
}

static void
cbm_search_view_class_init (CbmSearchViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cbm_search_view_dispose;

  /**
   * CbmSearchView::open-document:
   * @document_id: the document of the activated hit
   * @country: its country code
   * @page: the 0-based page of the hit
   * @query: what the user searched for
   */
  signals[SIGNAL_OPEN_DOCUMENT] =
    g_signal_new ("open-document", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 4, G_TYPE_STRING, G_TYPE_STRING, G_TYPE_INT, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/ui/search/cbm-search-view.ui");
  gtk_widget_class_bind_template_child (widget_class, CbmSearchView, search_entry);
  gtk_widget_class_bind_template_child (widget_class, CbmSearchView, country_dropdown);
  gtk_widget_class_bind_template_child (widget_class, CbmSearchView, kind_dropdown);
  gtk_widget_class_bind_template_child (widget_class, CbmSearchView, language_dropdown);
  gtk_widget_class_bind_template_child (widget_class, CbmSearchView, count_label);
  gtk_widget_class_bind_template_child (widget_class, CbmSearchView, progress_box);
  gtk_widget_class_bind_template_child (widget_class, CbmSearchView, progress_spinner);
  gtk_widget_class_bind_template_child (widget_class, CbmSearchView, progress_label);
  gtk_widget_class_bind_template_child (widget_class, CbmSearchView, results_stack);
  gtk_widget_class_bind_template_child (widget_class, CbmSearchView, list_view);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, stop_search_cb);
  gtk_widget_class_bind_template_callback (widget_class, filters_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, list_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, setup_row_cb);
  gtk_widget_class_bind_template_callback (widget_class, bind_row_cb);
}

static void
cbm_search_view_init (CbmSearchView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  fill_dropdowns (self);
  self->items = g_list_store_new (G_TYPE_OBJECT);
  self->selection = gtk_no_selection_new (G_LIST_MODEL (g_object_ref (self->items)));
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (self->selection));
}

/* Public API. */

void
cbm_search_view_set_indexer (CbmSearchView *self,
                             CbmIndexer    *indexer)
{
  g_return_if_fail (CBM_IS_SEARCH_VIEW (self));
  g_return_if_fail (CBM_IS_INDEXER (indexer));
  g_return_if_fail (self->indexer == NULL);

  self->indexer = g_object_ref (indexer);
  self->store = g_object_ref (cbm_indexer_get_store (indexer));

  g_signal_connect_object (indexer, "notify::busy", G_CALLBACK (busy_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (indexer, "notify::indexed", G_CALLBACK (update_progress), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (indexer, "notify::total", G_CALLBACK (update_progress), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->store, "changed", G_CALLBACK (store_changed_cb), self, G_CONNECT_SWAPPED);
  fill_countries (self);
  update_progress (self);
  run_query (self);
}

void
cbm_search_view_focus_search (CbmSearchView *self)
{
  g_return_if_fail (CBM_IS_SEARCH_VIEW (self));
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

void
cbm_search_view_set_search (CbmSearchView *self,
                            const char    *text)
{
  g_return_if_fail (CBM_IS_SEARCH_VIEW (self));
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), text);
}

/**
 * cbm_search_view_get_model:
 *
 * Returns: (transfer none): the rows shown: #CbmCountry and #CbmDocument headers and
 *   #CbmSearchResult hits
 */
GListModel *
cbm_search_view_get_model (CbmSearchView *self)
{
  g_return_val_if_fail (CBM_IS_SEARCH_VIEW (self), NULL);
  return G_LIST_MODEL (self->items);
}
