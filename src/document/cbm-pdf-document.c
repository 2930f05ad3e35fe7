/* cbm-pdf-document.c
 *
 * Copyright 2026 The CBM Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define _GNU_SOURCE

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <poppler.h>

#include "cbm-pdf-document.h"

struct _CbmPdfDocument
{
  GObject          parent_instance;

  PopplerDocument *document;
  int              n_pages;
  CbmPdfPageSize  *page_sizes;
};

G_DEFINE_FINAL_TYPE (CbmPdfDocument, cbm_pdf_document, G_TYPE_OBJECT)

/* poppler-glib 22.12 has no autoptr for its types; an alias keeps newer releases from clashing. */
typedef PopplerPage PageRef;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PageRef, g_object_unref)

#define MAX_OUTLINE_ITEMS  10000
#define MAX_OUTLINE_DEPTH  32
#define MAX_TEXT_BYTES     (16 * 1024 * 1024)
#define CONTEXT_CHARS      40

static char *
make_valid (const char *text)
{
  if (text == NULL)
    return NULL;

  return g_utf8_make_valid (text, -1);
}

/* Takes ownership of @text; NULL stays NULL. */
static char *
take_valid (char *text)
{
  char *valid = make_valid (text);

  g_free (text);
  return valid;
}

static gboolean
looks_like_pdf (const char  *path,
                GError     **error)
{
  char header[1024];
  ssize_t n;
  int fd;

  fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);
  if (fd < 0)
    {
      g_debug ("Cannot open %s: %s", path, g_strerror (errno));
      g_propagate_error (error, cbm_pdf_error_new (CBM_PDF_ERROR_UNREADABLE));
      return FALSE;
    }

  do
    n = read (fd, header, sizeof header);
  while (n < 0 && errno == EINTR);
  close (fd);

  if (n < 0)
    {
      g_propagate_error (error, cbm_pdf_error_new (CBM_PDF_ERROR_UNREADABLE));
      return FALSE;
    }

  /* The PDF specification lets the header start within the first 1024 bytes, as readers do. */
  if (memmem (header, n, "%PDF-", 5) == NULL)
    {
      g_propagate_error (error, cbm_pdf_error_new (CBM_PDF_ERROR_NOT_PDF));
      return FALSE;
    }

  return TRUE;
}

static PopplerPage *
get_page (CbmPdfDocument  *self,
          int              index,
          GError         **error)
{
  PopplerPage *page = NULL;

  if (index >= 0 && index < self->n_pages)
    page = poppler_document_get_page (self->document, index);

  if (page == NULL)
    g_propagate_error (error, cbm_pdf_error_new (CBM_PDF_ERROR_INVALID_PAGE));

  return page;
}

/* Poppler's glib API uses a bottom-left origin for find results and link areas. */
static CbmPdfRect
rect_from_pdf (const PopplerRectangle *rect,
               double                  page_height)
{
  CbmPdfRect r = {
    MIN (rect->x1, rect->x2),
    page_height - MAX (rect->y1, rect->y2),
    MAX (rect->x1, rect->x2),
    page_height - MIN (rect->y1, rect->y2),
  };

  return r;
}

static void
resolve_dest (CbmPdfDocument *self,
              PopplerDest    *dest,
              int            *page)
{
  PopplerDest *named = NULL;

  if (dest == NULL)
    return;

  if (dest->type == POPPLER_DEST_NAMED)
    {
      if (dest->named_dest == NULL)
        return;
      named = poppler_document_find_dest (self->document, dest->named_dest);
      if (named == NULL)
        return;
      dest = named;
    }

  /* Destinations count pages from 1. */
  if (dest->page_num >= 1 && dest->page_num <= self->n_pages)
    *page = dest->page_num - 1;

  g_clear_pointer (&named, poppler_dest_free);
}

/* Only internal jumps and allowed web/mail URIs survive; Launch, JavaScript, remote GoTo and
 * other actions resolve to nothing. */
static void
resolve_action (CbmPdfDocument *self,
                PopplerAction  *action,
                int            *page,
                char          **uri)
{
  *page = -1;
  *uri = NULL;

  if (action == NULL)
    return;

  switch (action->type)
    {
    case POPPLER_ACTION_GOTO_DEST:
      resolve_dest (self, action->goto_dest.dest, page);
      break;

    case POPPLER_ACTION_URI:
      if (cbm_pdf_uri_is_allowed (action->uri.uri))
        *uri = g_strdup (action->uri.uri);
      break;

    default:
      break;
    }
}

static void
cbm_pdf_document_finalize (GObject *object)
{
  CbmPdfDocument *self = (CbmPdfDocument *)object;

  g_clear_object (&self->document);
  g_clear_pointer (&self->page_sizes, g_free);

  G_OBJECT_CLASS (cbm_pdf_document_parent_class)->finalize (object);
}

static void
cbm_pdf_document_class_init (CbmPdfDocumentClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cbm_pdf_document_finalize;
}

static void
cbm_pdf_document_init (CbmPdfDocument *self)
{
}

/**
 * cbm_pdf_document_open:
 * @path: a local file name
 * @password: (nullable): the password, or %NULL
 * @error: return location for a %CBM_PDF_ERROR
 *
 * Returns: (transfer full): the document, or %NULL with @error set
 */
CbmPdfDocument *
cbm_pdf_document_open (const char  *path,
                       const char  *password,
                       GError     **error)
{
  g_autoptr(CbmPdfDocument) self = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GFile) file = NULL;
  gboolean any_page = FALSE;
  CbmPdfPageSize last = { 612, 792 };

  g_return_val_if_fail (path != NULL, NULL);

  if (!looks_like_pdf (path, error))
    return NULL;

  self = g_object_new (CBM_TYPE_PDF_DOCUMENT, NULL);
  file = g_file_new_for_path (path);
  self->document = poppler_document_new_from_gfile (file, password, NULL, &local_error);
  if (self->document == NULL)
    {
      CbmPdfError code = CBM_PDF_ERROR_DAMAGED;

      g_debug ("Cannot open %s: %s", path, local_error->message);
      if (g_error_matches (local_error, POPPLER_ERROR, POPPLER_ERROR_ENCRYPTED))
        code = (password != NULL && *password != '\0')
               ? CBM_PDF_ERROR_BAD_PASSWORD : CBM_PDF_ERROR_NEEDS_PASSWORD;
      else if (g_error_matches (local_error, POPPLER_ERROR, POPPLER_ERROR_OPEN_FILE)
               || local_error->domain == G_IO_ERROR)
        code = CBM_PDF_ERROR_UNREADABLE;

      g_propagate_error (error, cbm_pdf_error_new (code));
      return NULL;
    }

  /* A page count can be a lie (2147483647 claimed, none real) and pages can be missing. */
  self->n_pages = poppler_document_get_n_pages (self->document);
  if (self->n_pages > CBM_PDF_MAX_PAGES)
    {
      g_propagate_error (error, cbm_pdf_error_new (CBM_PDF_ERROR_TOO_LARGE));
      return NULL;
    }
  if (self->n_pages <= 0)
    {
      g_propagate_error (error, cbm_pdf_error_new (CBM_PDF_ERROR_DAMAGED));
      return NULL;
    }

  self->page_sizes = g_new0 (CbmPdfPageSize, self->n_pages);
  for (int i = 0; i < self->n_pages; i++)
    {
      g_autoptr(PageRef) page = poppler_document_get_page (self->document, i);
      double width = 0, height = 0;

      if (page != NULL)
        poppler_page_get_size (page, &width, &height);

      if (page != NULL && isfinite (width) && isfinite (height) && width >= 1 && height >= 1)
        {
          last.width = width;
          last.height = height;
          any_page = TRUE;
        }

      /* Missing or degenerate pages take the previous page's size so the layout stays sane. */
      self->page_sizes[i] = last;
    }

  if (!any_page)
    {
      g_propagate_error (error, cbm_pdf_error_new (CBM_PDF_ERROR_DAMAGED));
      return NULL;
    }

  return g_steal_pointer (&self);
}

int
cbm_pdf_document_get_n_pages (CbmPdfDocument *self)
{
  g_return_val_if_fail (CBM_IS_PDF_DOCUMENT (self), 0);

  return self->n_pages;
}

/**
 * cbm_pdf_document_get_info:
 * @self: a #CbmPdfDocument
 *
 * Returns: (transfer full): page count, page sizes and metadata
 */
CbmPdfInfo *
cbm_pdf_document_get_info (CbmPdfDocument *self)
{
  CbmPdfInfo *info;
  PopplerIndexIter *iter;

  g_return_val_if_fail (CBM_IS_PDF_DOCUMENT (self), NULL);

  info = cbm_pdf_info_new (self->n_pages);
  memcpy (info->page_sizes, self->page_sizes, sizeof (CbmPdfPageSize) * self->n_pages);
  info->title = take_valid (poppler_document_get_title (self->document));
  info->author = take_valid (poppler_document_get_author (self->document));
  info->subject = take_valid (poppler_document_get_subject (self->document));
  info->keywords = take_valid (poppler_document_get_keywords (self->document));
  info->creator = take_valid (poppler_document_get_creator (self->document));
  info->producer = take_valid (poppler_document_get_producer (self->document));
  info->pdf_version = take_valid (poppler_document_get_pdf_version_string (self->document));
  info->creation_date = poppler_document_get_creation_date_time (self->document);
  info->modification_date = poppler_document_get_modification_date_time (self->document);

  iter = poppler_index_iter_new (self->document);
  info->has_outline = iter != NULL;
  g_clear_pointer (&iter, poppler_index_iter_free);

  return info;
}

static void
walk_outline (CbmPdfDocument   *self,
              PopplerIndexIter *iter,
              GPtrArray        *items,
              int               depth,
              guint            *budget)
{
  do
    {
      PopplerAction *action;
      PopplerIndexIter *child;
      CbmPdfOutlineItem *item;
      g_autofree char *title = NULL;
      g_autofree char *uri = NULL;
      int page;

      if (*budget == 0)
        return;
      (*budget)--;

      action = poppler_index_iter_get_action (iter);
      if (action != NULL)
        title = make_valid (action->any.title);
      resolve_action (self, action, &page, &uri);
      g_clear_pointer (&action, poppler_action_free);

      item = cbm_pdf_outline_item_new (title, page, uri);
      g_ptr_array_add (items, item);

      child = poppler_index_iter_get_child (iter);
      if (child != NULL && depth < MAX_OUTLINE_DEPTH)
        walk_outline (self, child, item->children, depth + 1, budget);
      g_clear_pointer (&child, poppler_index_iter_free);
    }
  while (poppler_index_iter_next (iter));
}

/**
 * cbm_pdf_document_get_outline:
 * @self: a #CbmPdfDocument
 *
 * Returns: (transfer full) (element-type CbmPdfOutlineItem): the top-level entries, possibly none
 */
GPtrArray *
cbm_pdf_document_get_outline (CbmPdfDocument *self)
{
  GPtrArray *items = g_ptr_array_new_with_free_func ((GDestroyNotify) cbm_pdf_outline_item_unref);
  PopplerIndexIter *iter;
  guint budget = MAX_OUTLINE_ITEMS;

  g_return_val_if_fail (CBM_IS_PDF_DOCUMENT (self), items);

  iter = poppler_index_iter_new (self->document);
  if (iter != NULL)
    walk_outline (self, iter, items, 0, &budget);
  g_clear_pointer (&iter, poppler_index_iter_free);

  return items;
}

/**
 * cbm_pdf_document_get_text:
 * @self: a #CbmPdfDocument
 * @page: 0-based page index
 * @error: return location for a %CBM_PDF_ERROR
 *
 * Returns: (transfer full): the page's text as valid UTF-8
 */
char *
cbm_pdf_document_get_text (CbmPdfDocument  *self,
                           int              page,
                           GError         **error)
{
  g_autoptr(PageRef) ppage = NULL;
  g_autofree char *text = NULL;

  g_return_val_if_fail (CBM_IS_PDF_DOCUMENT (self), NULL);

  ppage = get_page (self, page, error);
  if (ppage == NULL)
    return NULL;

  text = poppler_page_get_text (ppage);
  if (text == NULL)
    return g_strdup ("");

  if (strlen (text) > MAX_TEXT_BYTES)
    {
      const char *end = text + MAX_TEXT_BYTES;

      /* Cut on a character boundary. */
      g_utf8_validate (text, MAX_TEXT_BYTES, &end);
      text[end - text] = '\0';
    }

  return make_valid (text);
}

/**
 * cbm_pdf_document_get_selected_text:
 * @self: a #CbmPdfDocument
 * @page: 0-based page index
 * @area: the selection rectangle, in points from the top-left corner
 * @error: return location for a %CBM_PDF_ERROR
 *
 * Returns: (transfer full): the text inside @area
 */
char *
cbm_pdf_document_get_selected_text (CbmPdfDocument    *self,
                                    int                page,
                                    const CbmPdfRect  *area,
                                    GError           **error)
{
  g_autoptr(PageRef) ppage = NULL;
  PopplerRectangle rect;

  g_return_val_if_fail (CBM_IS_PDF_DOCUMENT (self), NULL);
  g_return_val_if_fail (area != NULL, NULL);

  ppage = get_page (self, page, error);
  if (ppage == NULL)
    return NULL;

  rect.x1 = area->x1;
  rect.y1 = area->y1;
  rect.x2 = area->x2;
  rect.y2 = area->y2;

  return take_valid (poppler_page_get_selected_text (ppage, POPPLER_SELECTION_GLYPH, &rect));
}

/* Finds the characters of @text whose layout boxes lie in @area and returns the surrounding text
 * on one line, with the match's byte range in it. */
static char *
make_context (const char       *text,
              const PopplerRectangle *layout,
              guint             n_layout,
              const CbmPdfRect *area,
              gsize            *match_offset,
              gsize            *match_length)
{
  g_autofree gunichar *chars = NULL;
  g_autoptr(GString) context = g_string_new (NULL);
  glong n_chars = 0;
  glong first = -1, last = -1;
  glong from, to;

  *match_offset = 0;
  *match_length = 0;

  chars = g_utf8_to_ucs4_fast (text, -1, &n_chars);
  if (n_chars != (glong) n_layout)
    return g_strdup ("");

  /* Spaces are neutral: their boxes are guesses, and a match may span several words. */
  for (glong i = 0; i < n_chars; i++)
    {
      double cx = (layout[i].x1 + layout[i].x2) / 2;
      double cy = (layout[i].y1 + layout[i].y2) / 2;
      gboolean inside = cx >= area->x1 - 0.5 && cx <= area->x2 + 0.5
                        && cy >= area->y1 - 0.5 && cy <= area->y2 + 0.5;

      if (g_unichar_isspace (chars[i]))
        continue;

      if (inside)
        {
          if (first < 0)
            first = i;
          last = i;
        }
      else if (first >= 0)
        break;
    }

  if (first < 0)
    return g_strdup ("");

  from = MAX (0, first - CONTEXT_CHARS);
  to = MIN (n_chars, last + 1 + CONTEXT_CHARS);

  for (glong i = from; i < to; i++)
    {
      gunichar c = g_unichar_isspace (chars[i]) ? ' ' : chars[i];

      if (i == first)
        *match_offset = context->len;
      g_string_append_unichar (context, c);
      if (i == last)
        *match_length = context->len - *match_offset;
    }

  return g_string_free (g_steal_pointer (&context), FALSE);
}

static gboolean
find_on_page (CbmPdfDocument  *self,
              int              page,
              const char      *text,
              PopplerFindFlags options,
              guint            max_matches,
              GPtrArray       *matches,
              GError         **error)
{
  g_autoptr(PageRef) ppage = NULL;
  g_autofree char *page_text = NULL;
  g_autofree PopplerRectangle *layout = NULL;
  guint n_layout = 0;
  GList *rects;
  double width, height;

  ppage = get_page (self, page, error);
  if (ppage == NULL)
    return FALSE;

  rects = poppler_page_find_text_with_options (ppage, text, options);
  if (rects == NULL)
    return TRUE;

  poppler_page_get_size (ppage, &width, &height);
  page_text = poppler_page_get_text (ppage);
  if (page_text == NULL || !g_utf8_validate (page_text, -1, NULL)
      || !poppler_page_get_text_layout (ppage, &layout, &n_layout))
    n_layout = 0;

  for (GList *l = rects; l != NULL && matches->len < max_matches; l = l->next)
    {
      CbmPdfRect area = rect_from_pdf (l->data, height);
      g_autofree char *context = NULL;
      gsize offset = 0, length = 0;

      if (n_layout > 0)
        context = make_context (page_text, layout, n_layout, &area, &offset, &length);
      g_ptr_array_add (matches, cbm_pdf_match_new (page, &area, context, offset, length));
    }

  g_list_free_full (rects, (GDestroyNotify) poppler_rectangle_free);
  return TRUE;
}

/**
 * cbm_pdf_document_find:
 * @self: a #CbmPdfDocument
 * @page: 0-based page index, or -1 for every page
 * @text: the text to look for
 * @flags: search options; the search ignores case unless told otherwise
 * @max_matches: stop after this many matches
 * @error: return location for a %CBM_PDF_ERROR
 *
 * Returns: (transfer full) (element-type CbmPdfMatch): the matches in page order
 */
GPtrArray *
cbm_pdf_document_find (CbmPdfDocument   *self,
                       int               page,
                       const char       *text,
                       CbmPdfFindFlags   flags,
                       guint             max_matches,
                       GError          **error)
{
  g_autoptr(GPtrArray) matches = NULL;
  PopplerFindFlags options = POPPLER_FIND_DEFAULT;

  g_return_val_if_fail (CBM_IS_PDF_DOCUMENT (self), NULL);
  g_return_val_if_fail (text != NULL, NULL);

  matches = g_ptr_array_new_with_free_func ((GDestroyNotify) cbm_pdf_match_unref);
  if (*text == '\0' || !g_utf8_validate (text, -1, NULL))
    return g_steal_pointer (&matches);

  if (flags & CBM_PDF_FIND_CASE_SENSITIVE)
    options |= POPPLER_FIND_CASE_SENSITIVE;
  if (flags & CBM_PDF_FIND_WHOLE_WORDS)
    options |= POPPLER_FIND_WHOLE_WORDS_ONLY;
  if (flags & CBM_PDF_FIND_IGNORE_ACCENTS)
    options |= POPPLER_FIND_IGNORE_DIACRITICS;

  if (page >= 0)
    {
      if (!find_on_page (self, page, text, options, max_matches, matches, error))
        return NULL;
    }
  else
    {
      /* Missing pages are skipped: one broken page must not hide matches on the others. */
      for (int i = 0; i < self->n_pages && matches->len < max_matches; i++)
        find_on_page (self, i, text, options, max_matches, matches, NULL);
    }

  return g_steal_pointer (&matches);
}

/**
 * cbm_pdf_document_get_links:
 * @self: a #CbmPdfDocument
 * @page: 0-based page index
 * @error: return location for a %CBM_PDF_ERROR
 *
 * Returns: (transfer full) (element-type CbmPdfLink): internal jumps and allowed web/mail links
 */
GPtrArray *
cbm_pdf_document_get_links (CbmPdfDocument  *self,
                            int              page,
                            GError         **error)
{
  g_autoptr(PageRef) ppage = NULL;
  GPtrArray *links;
  GList *mapping;
  double width, height;

  g_return_val_if_fail (CBM_IS_PDF_DOCUMENT (self), NULL);

  ppage = get_page (self, page, error);
  if (ppage == NULL)
    return NULL;

  poppler_page_get_size (ppage, &width, &height);
  links = g_ptr_array_new_with_free_func ((GDestroyNotify) cbm_pdf_link_unref);
  mapping = poppler_page_get_link_mapping (ppage);

  for (GList *l = mapping; l != NULL; l = l->next)
    {
      PopplerLinkMapping *map = l->data;
      CbmPdfRect area = rect_from_pdf (&map->area, height);
      g_autofree char *uri = NULL;
      int target;

      resolve_action (self, map->action, &target, &uri);
      if (uri != NULL)
        g_ptr_array_add (links, cbm_pdf_link_new (CBM_PDF_LINK_URI, &area, -1, uri));
      else if (target >= 0)
        g_ptr_array_add (links, cbm_pdf_link_new (CBM_PDF_LINK_GOTO, &area, target, NULL));
    }

  poppler_page_free_link_mapping (mapping);
  return links;
}

/**
 * cbm_pdf_document_get_render_size:
 * @self: a #CbmPdfDocument
 * @page: 0-based page index
 * @scale: pixels per point
 * @width: (out): pixel width
 * @height: (out): pixel height
 * @error: return location for a %CBM_PDF_ERROR
 *
 * Returns: %FALSE with %CBM_PDF_ERROR_TOO_LARGE if the image would be too big
 */
gboolean
cbm_pdf_document_get_render_size (CbmPdfDocument  *self,
                                  int              page,
                                  double           scale,
                                  int             *width,
                                  int             *height,
                                  GError         **error)
{
  double w, h;

  g_return_val_if_fail (CBM_IS_PDF_DOCUMENT (self), FALSE);

  if (page < 0 || page >= self->n_pages)
    {
      g_propagate_error (error, cbm_pdf_error_new (CBM_PDF_ERROR_INVALID_PAGE));
      return FALSE;
    }

  w = ceil (self->page_sizes[page].width * scale);
  h = ceil (self->page_sizes[page].height * scale);
  if (!isfinite (w) || !isfinite (h) || scale <= 0
      || w > CBM_PDF_MAX_DIMENSION || h > CBM_PDF_MAX_DIMENSION || w * h > CBM_PDF_MAX_PIXELS)
    {
      g_propagate_error (error, cbm_pdf_error_new (CBM_PDF_ERROR_TOO_LARGE));
      return FALSE;
    }

  *width = MAX (1, (int) w);
  *height = MAX (1, (int) h);
  return TRUE;
}

/**
 * cbm_pdf_document_render_page:
 * @self: a #CbmPdfDocument
 * @page: 0-based page index
 * @scale: pixels per point
 * @data: ARGB32 pixel buffer of @height rows of @stride bytes
 * @width: from cbm_pdf_document_get_render_size()
 * @height: from cbm_pdf_document_get_render_size()
 * @stride: bytes per row, as cairo_format_stride_for_width() gives
 * @error: return location for a %CBM_PDF_ERROR
 *
 * Renders the page on a white background.
 */
gboolean
cbm_pdf_document_render_page (CbmPdfDocument  *self,
                              int              page,
                              double           scale,
                              guchar          *data,
                              int              width,
                              int              height,
                              int              stride,
                              GError         **error)
{
  g_autoptr(PageRef) ppage = NULL;
  cairo_surface_t *surface;
  cairo_status_t status;
  cairo_t *cr;

  g_return_val_if_fail (CBM_IS_PDF_DOCUMENT (self), FALSE);
  g_return_val_if_fail (data != NULL, FALSE);
  g_return_val_if_fail (stride >= cairo_format_stride_for_width (CAIRO_FORMAT_ARGB32, width),
                        FALSE);

  ppage = get_page (self, page, error);
  if (ppage == NULL)
    return FALSE;

  surface = cairo_image_surface_create_for_data (data, CAIRO_FORMAT_ARGB32, width, height, stride);
  cr = cairo_create (surface);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  cairo_scale (cr, scale, scale);
  poppler_page_render (ppage, cr);
  status = cairo_status (cr);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  cairo_surface_destroy (surface);

  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_debug ("Rendering page %d failed: %s", page, cairo_status_to_string (status));
      g_propagate_error (error, cbm_pdf_error_new (CBM_PDF_ERROR_DAMAGED));
      return FALSE;
    }

  return TRUE;
}
