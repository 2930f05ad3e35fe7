/* cbm-sample-gen.c
 *
 * Copyright 2026 The CBM Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Builds the bundled sample repository at build time: reads the hand-edited sources in
 * src/, renders every document as a multi-page PDF (cairo + pango) and writes the complete
 * v1/ feed tree with every sha256 and size filled in. The output depends only on the
 * sources: randomness is seeded from the document id and the PDF dates are fixed, so two
 * builds give identical bytes. */

#include <errno.h>
#include <cairo.h>
#include <cairo-pdf.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <pango/pangocairo.h>
#include <string.h>

#define PAGE_WIDTH 595.276 /* A4 in points */
#define PAGE_HEIGHT 841.89
#define MARGIN_X 72.0
#define BODY_TOP 92.0
#define BODY_BOTTOM (PAGE_HEIGHT - 78.0)
#define BODY_WIDTH (PAGE_WIDTH - 2 * MARGIN_X)
#define PARAGRAPH_GAP 8.0
#define MIN_PAGES 2 /* a cover and one page of text */
#define MAX_PAGES 200

#define HEADING_FONT "DejaVu Sans Bold"
#define BODY_FONT "DejaVu Serif"

typedef struct
{
  /* Inputs, copied so the render threads never touch the JSON trees. */
  char *id;
  char *kind;
  char *status;
  char *title;
  char *language;
  char *issuer;
  char *date;
  char *country_name;
  int pages;
  gboolean outline;
  JsonObject *bank; /* borrowed, read-only phrase bank of the document's language */
  char *creation_date;
  char *path;

  /* Results. */
  char *sha256;
  gsize bytes;
  GError *error;
} DocJob;

typedef struct
{
  char *heading; /* numbered, e.g. "2. Context" or "Capítulo II — …" */
  int first_page; /* 1-based */
  int last_page;
} Chapter;

static void
doc_job_free (DocJob *job)
{
  g_free (job->id);
  g_free (job->kind);
  g_free (job->status);
  g_free (job->title);
  g_free (job->language);
  g_free (job->issuer);
  g_free (job->date);
  g_free (job->country_name);
  g_free (job->creation_date);
  g_free (job->path);
  g_free (job->sha256);
  g_clear_error (&job->error);
  g_free (job);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DocJob, doc_job_free)

static void
chapter_clear (Chapter *chapter)
{
  g_free (chapter->heading);
}

/* Text helpers */

/* FNV-1a: a stable seed from the document id, independent of the platform. */
static guint32
seed_for (const char *id)
{
  guint32 hash = 2166136261u;

  for (const guchar *p = (const guchar *) id; *p != '\0'; p++)
    {
      hash ^= *p;
      hash *= 16777619u;
    }

  return hash;
}

static const char *
bank_string (JsonObject *bank,
             const char *name)
{
  return json_object_get_string_member (bank, name);
}

static const char *
bank_label (JsonObject *bank,
            const char *name)
{
  return json_object_get_string_member (json_object_get_object_member (bank, "labels"), name);
}

static const char *
pick (GRand      *rand,
      JsonObject *bank,
      const char *list)
{
  JsonArray *array = json_object_get_array_member (bank, list);

  return json_array_get_string_element (array, g_rand_int_range (rand, 0, json_array_get_length (array)));
}

/* Like pick(), but no section title repeats within a chapter while unused ones remain. */
static const char *
pick_section (GRand      *rand,
              JsonObject *bank,
              guint64    *used)
{
  JsonArray *array = json_object_get_array_member (bank, "sections");
  int length = MIN (json_array_get_length (array), 64);
  int i = g_rand_int_range (rand, 0, length);
  guint64 all = length == 64 ? G_MAXUINT64 : (G_GUINT64_CONSTANT (1) << length) - 1;

  if ((*used & all) == all)
    *used = 0;
  while (*used & (G_GUINT64_CONSTANT (1) << i))
    i = (i + 1) % length;
  *used |= G_GUINT64_CONSTANT (1) << i;

  return json_array_get_string_element (array, i);
}

/* Replaces each "{key}" of @template by its value; the arguments are key/value pairs
 * ending with NULL. */
static char *
expand (const char *template,
        ...)
{
  g_autoptr (GString) out = g_string_new (template);
  va_list args;
  const char *key;

  va_start (args, template);
  while ((key = va_arg (args, const char *)) != NULL)
    {
      const char *value = va_arg (args, const char *);
      g_autofree char *token = g_strdup_printf ("{%s}", key);

      g_string_replace (out, token, value, 0);
    }
  va_end (args);

  return g_string_free (g_steal_pointer (&out), FALSE);
}

static char *
lowercase_first (const char *text)
{
  gunichar first = g_utf8_get_char (text);
  char buf[8] = { 0 };

  g_unichar_to_utf8 (g_unichar_tolower (first), buf);

  return g_strconcat (buf, g_utf8_next_char (text), NULL);
}

static char *
make_sentence (GRand      *rand,
               JsonObject *bank)
{
  const char *opener;
  g_autofree char *subject = NULL;

  if (g_rand_int_range (rand, 0, 5) == 0)
    return g_strdup (pick (rand, bank, "statements"));

  opener = pick (rand, bank, "openers");
  subject = *opener != '\0' ? lowercase_first (pick (rand, bank, "subjects"))
                            : g_strdup (pick (rand, bank, "subjects"));

  if (g_rand_boolean (rand))
    return g_strdup_printf ("%s%s %s %s %s.", opener, subject, pick (rand, bank, "verbs"),
                            pick (rand, bank, "objects"), pick (rand, bank, "tails"));
  return g_strdup_printf ("%s%s %s %s.", opener, subject, pick (rand, bank, "verbs"),
                          pick (rand, bank, "objects"));
}

static char *
make_paragraph (GRand      *rand,
                JsonObject *bank,
                const char *first_sentence,
                int         n_sentences)
{
  g_autoptr (GString) text = g_string_new (first_sentence);

  g_autofree char *previous = NULL;

  for (int i = 0; i < n_sentences; i++)
    {
      g_autofree char *sentence = make_sentence (rand, bank);

      /* A sentence said twice in a row reads as a bug, not as sample text. */
      for (int retry = 0; retry < 4 && g_strcmp0 (sentence, previous) == 0; retry++)
        {
          g_free (sentence);
          sentence = make_sentence (rand, bank);
        }
      g_free (previous);
      previous = g_strdup (sentence);

      if (text->len > 0)
        g_string_append_c (text, ' ');
      g_string_append (text, sentence);
    }

  return g_string_free (g_steal_pointer (&text), FALSE);
}

static const char *
roman (int n)
{
  static const char *numerals[] = { "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX",
                                    "X", "XI", "XII", "XIII", "XIV", "XV" };

  return n >= 1 && n <= (int) G_N_ELEMENTS (numerals) ? numerals[n - 1] : "?";
}

/* Chooses the chapters and the page range of each: the first page is the cover, the
 * remaining pages are shared out so every chapter starts on a new page. */
static GArray *
plan_chapters (DocJob *job,
               GRand  *rand)
{
  JsonArray *titles = json_object_get_array_member (job->bank, "chapters");
  int n_titles = json_array_get_length (titles);
  int body_pages = job->pages - 1;
  int n_chapters = CLAMP (body_pages / 2, 1, MIN (12, n_titles));
  g_autofree int *chosen = g_new0 (int, n_chapters);
  GArray *chapters = g_array_new (FALSE, TRUE, sizeof (Chapter));
  gboolean is_law = g_str_equal (job->kind, "law");

  g_array_set_clear_func (chapters, (GDestroyNotify) chapter_clear);

  /* The introduction comes first and the final provisions last; the middle is an ordered,
   * seeded selection of the other titles (selection sampling). */
  chosen[0] = 0;
  if (n_chapters > 1)
    {
      int needed = n_chapters - 2;
      int slot = 1;

      chosen[n_chapters - 1] = n_titles - 1;
      for (int t = 1; t < n_titles - 1 && needed > 0; t++)
        {
          int remaining = n_titles - 1 - t;

          if (g_rand_int_range (rand, 0, remaining) < needed)
            {
              chosen[slot++] = t;
              needed--;
            }
        }
    }

  for (int i = 0; i < n_chapters; i++)
    {
      Chapter chapter = { 0 };
      const char *title = json_array_get_string_element (titles, chosen[i]);

      chapter.first_page = 2 + i * body_pages / n_chapters;
      chapter.last_page = 1 + (i + 1) * body_pages / n_chapters;
      if (is_law)
        chapter.heading = g_strdup_printf ("%s %s — %s", bank_string (job->bank, "chapter_word"),
                                           roman (i + 1), title);
      else
        chapter.heading = g_strdup_printf ("%d. %s", i + 1, title);
      g_array_append_val (chapters, chapter);
    }

  return chapters;
}

/* Drawing */

static PangoLayout *
make_layout (PangoContext *context,
             const char   *font,
             double        size,
             double        width,
             const char   *text)
{
  PangoLayout *layout = pango_layout_new (context);
  g_autoptr (PangoFontDescription) desc = pango_font_description_from_string (font);
  PangoAttrList *attrs;

  pango_font_description_set_size (desc, (int) (size * PANGO_SCALE));
  pango_layout_set_font_description (layout, desc);
  if (width > 0)
    {
      pango_layout_set_width (layout, (int) (width * PANGO_SCALE));
      pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
    }
  pango_layout_set_text (layout, text, -1);
  /* No ligatures: every word is then extracted as plain letters, which keeps full-text
   * search of the samples predictable. */
  attrs = pango_attr_list_new ();
  pango_attr_list_insert (attrs, pango_attr_font_features_new ("liga=0, clig=0"));
  pango_layout_set_attributes (layout, attrs);
  pango_attr_list_unref (attrs);

  return layout;
}

static double
layout_height (PangoLayout *layout)
{
  int width, height;

  pango_layout_get_size (layout, &width, &height);

  return (double) height / PANGO_SCALE;
}

static double
layout_width (PangoLayout *layout)
{
  int width, height;

  pango_layout_get_size (layout, &width, &height);

  return (double) width / PANGO_SCALE;
}

static void
show_layout (cairo_t     *cr,
             PangoLayout *layout,
             double       x,
             double       y)
{
  cairo_move_to (cr, x, y);
  pango_cairo_show_layout (cr, layout);
}

static PangoLayout *
make_body_layout (PangoContext *context,
                  const char   *text)
{
  PangoLayout *layout = make_layout (context, BODY_FONT, 10.5, BODY_WIDTH, text);

  pango_layout_set_justify (layout, TRUE);
  pango_layout_set_spacing (layout, 2 * PANGO_SCALE);

  return layout;
}

/* Returns the byte index of the first line of @layout that does not fit in @available
 * points, or 0 when fewer than two lines fit (no widow line at a page bottom). */
static int
fitting_prefix (PangoLayout *layout,
                double       available)
{
  PangoLayoutIter *iter = pango_layout_get_iter (layout);
  int lines = 0;
  int index = 0;

  do
    {
      PangoRectangle logical;

      pango_layout_iter_get_line_extents (iter, NULL, &logical);
      if ((double) (logical.y + logical.height) / PANGO_SCALE > available)
        {
          index = pango_layout_iter_get_index (iter);
          break;
        }
      lines++;
    }
  while (pango_layout_iter_next_line (iter));
  pango_layout_iter_free (iter);

  return lines >= 2 ? index : 0;
}

/* The watermark is drawn as outlines, not text, so text extraction and search only see
 * the real content (the banner says the same thing as text). It is recorded once and
 * painted on every page, which cairo writes as a single shared form XObject. */
static cairo_surface_t *
make_watermark (const char *word,
                const char *language)
{
  cairo_rectangle_t extents = { 0, 0, PAGE_WIDTH, PAGE_HEIGHT };
  cairo_surface_t *surface = cairo_recording_surface_create (CAIRO_CONTENT_COLOR_ALPHA, &extents);
  cairo_t *cr = cairo_create (surface);
  PangoContext *context = pango_cairo_create_context (cr);
  PangoLayout *layout;
  double w, h;

  pango_context_set_language (context, pango_language_from_string (language));
  layout = make_layout (context, HEADING_FONT, 84, -1, word);
  w = layout_width (layout);
  h = layout_height (layout);
  cairo_translate (cr, PAGE_WIDTH / 2, PAGE_HEIGHT / 2);
  cairo_rotate (cr, -G_PI / 4);
  cairo_move_to (cr, -w / 2, -h / 2);
  pango_cairo_layout_path (cr, layout);
  cairo_set_source_rgb (cr, 0.93, 0.93, 0.93);
  cairo_fill (cr);

  g_object_unref (layout);
  g_object_unref (context);
  cairo_destroy (cr);

  return surface;
}

static void
draw_page_frame (cairo_t      *cr,
                 PangoContext *context,
                 DocJob       *job,
                 cairo_surface_t *watermark,
                 int           page)
{
  g_autoptr (PangoLayout) notice = NULL;
  g_autoptr (PangoLayout) left = NULL;
  g_autoptr (PangoLayout) right = NULL;
  g_autofree char *n = g_strdup_printf ("%d", page);
  g_autofree char *total = g_strdup_printf ("%d", job->pages);
  g_autofree char *page_label = expand (bank_label (job->bank, "page"), "n", n, "total", total, NULL);
  g_autofree char *reference = g_strdup_printf ("%s · %s", job->country_name, job->id);

  cairo_set_source_surface (cr, watermark, 0, 0);
  cairo_paint (cr);

  /* Banner */
  notice = make_layout (context, HEADING_FONT, 9, BODY_WIDTH - 16, bank_string (job->bank, "sample_notice"));
  pango_layout_set_alignment (notice, PANGO_ALIGN_CENTER);
  cairo_set_source_rgb (cr, 0.70, 0.11, 0.11);
  cairo_rectangle (cr, MARGIN_X, 32, BODY_WIDTH, layout_height (notice) + 10);
  cairo_fill (cr);
  cairo_set_source_rgb (cr, 1, 1, 1);
  show_layout (cr, notice, MARGIN_X + 8, 37);

  /* Footer */
  cairo_set_source_rgb (cr, 0.55, 0.55, 0.55);
  cairo_set_line_width (cr, 0.5);
  cairo_move_to (cr, MARGIN_X, PAGE_HEIGHT - 62);
  cairo_line_to (cr, PAGE_WIDTH - MARGIN_X, PAGE_HEIGHT - 62);
  cairo_stroke (cr);
  cairo_set_source_rgb (cr, 0.35, 0.35, 0.35);
  left = make_layout (context, BODY_FONT, 8, BODY_WIDTH * 0.7, reference);
  show_layout (cr, left, MARGIN_X, PAGE_HEIGHT - 56);
  right = make_layout (context, BODY_FONT, 8, -1, page_label);
  show_layout (cr, right, PAGE_WIDTH - MARGIN_X - layout_width (right), PAGE_HEIGHT - 56);

  cairo_set_source_rgb (cr, 0, 0, 0);
}

static void
draw_cover (cairo_t      *cr,
            PangoContext *context,
            DocJob       *job,
            GArray       *chapters)
{
  JsonObject *bank = job->bank;
  g_autoptr (PangoLayout) country = NULL;
  g_autoptr (PangoLayout) title = NULL;
  g_autoptr (PangoLayout) meta = NULL;
  g_autoptr (PangoLayout) disclaimer = NULL;
  g_autoptr (PangoLayout) contents = NULL;
  g_autofree char *meta_text = NULL;
  g_autofree char *disclaimer_text = NULL;
  const char *separator;
  double y = 112;

  country = make_layout (context, BODY_FONT, 14, BODY_WIDTH, job->country_name);
  cairo_set_source_rgb (cr, 0.3, 0.3, 0.3);
  show_layout (cr, country, MARGIN_X, y);
  y += layout_height (country) + 14;

  title = make_layout (context, HEADING_FONT, 20, BODY_WIDTH, job->title);
  cairo_set_source_rgb (cr, 0.08, 0.2, 0.4);
  show_layout (cr, title, MARGIN_X, y);
  y += layout_height (title) + 24;

  /* French puts a space before the colon, hence a separator per language. */
  separator = bank_label (bank, "separator");
  meta_text = g_strdup_printf ("%s%s%s\n%s%s%s\n%s%s%s\n%s%s%s",
                               bank_label (bank, "issuer"), separator, job->issuer,
                               bank_label (bank, "date"), separator, job->date,
                               bank_label (bank, "kind"), separator, bank_label (bank, job->kind),
                               bank_label (bank, "status"), separator, bank_label (bank, job->status));
  meta = make_layout (context, BODY_FONT, 11, BODY_WIDTH, meta_text);
  pango_layout_set_spacing (meta, 4 * PANGO_SCALE);
  cairo_set_source_rgb (cr, 0, 0, 0);
  show_layout (cr, meta, MARGIN_X, y);
  y += layout_height (meta) + 24;

  disclaimer_text = expand (bank_string (bank, "disclaimer"), "country", job->country_name, NULL);
  disclaimer = make_layout (context, BODY_FONT, 10, BODY_WIDTH - 24, disclaimer_text);
  cairo_set_source_rgb (cr, 0.70, 0.11, 0.11);
  cairo_set_line_width (cr, 1.2);
  cairo_rectangle (cr, MARGIN_X, y, BODY_WIDTH, layout_height (disclaimer) + 24);
  cairo_stroke (cr);
  cairo_set_source_rgb (cr, 0.2, 0.2, 0.2);
  show_layout (cr, disclaimer, MARGIN_X + 12, y + 12);
  y += layout_height (disclaimer) + 48;

  contents = make_layout (context, HEADING_FONT, 13, BODY_WIDTH, bank_label (bank, "contents"));
  cairo_set_source_rgb (cr, 0.08, 0.2, 0.4);
  show_layout (cr, contents, MARGIN_X, y);
  y += layout_height (contents) + 8;

  cairo_set_source_rgb (cr, 0, 0, 0);
  for (guint i = 0; i < chapters->len; i++)
    {
      Chapter *chapter = &g_array_index (chapters, Chapter, i);
      g_autofree char *number = g_strdup_printf ("%d", chapter->first_page);
      g_autoptr (PangoLayout) entry = make_layout (context, BODY_FONT, 9.5, BODY_WIDTH - 40, chapter->heading);
      g_autoptr (PangoLayout) page = make_layout (context, BODY_FONT, 9.5, -1, number);

      if (y + layout_height (entry) > BODY_BOTTOM)
        break;
      show_layout (cr, entry, MARGIN_X + 8, y);
      show_layout (cr, page, PAGE_WIDTH - MARGIN_X - layout_width (page), y);
      y += layout_height (entry) + 2;
    }
}

static cairo_status_t
write_to_bytes_cb (void                *closure,
                   const unsigned char *data,
                   unsigned int         length)
{
  g_byte_array_append (closure, data, length);

  return CAIRO_STATUS_SUCCESS;
}

static void
render_document (DocJob *job)
{
  g_autoptr (GByteArray) pdf = g_byte_array_new ();
  g_autoptr (GRand) rand = g_rand_new_with_seed (seed_for (job->id));
  g_autoptr (GArray) chapters = NULL;
  g_autofree char *subject = NULL;
  g_autofree char *keywords = NULL;
  g_autofree char *pending = NULL;
  cairo_surface_t *surface;
  cairo_t *cr;
  PangoContext *context;
  cairo_surface_t *watermark;
  cairo_status_t status;
  gboolean is_law = g_str_equal (job->kind, "law");
  int article = 0;
  int page = 1;

  surface = cairo_pdf_surface_create_for_stream (write_to_bytes_cb, pdf, PAGE_WIDTH, PAGE_HEIGHT);
  cairo_pdf_surface_restrict_to_version (surface, CAIRO_PDF_VERSION_1_5);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE, job->title);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_AUTHOR, job->issuer);
  subject = g_strdup_printf ("%s (%s)", bank_string (job->bank, "sample_notice"), job->country_name);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_SUBJECT, subject);
  keywords = g_strdup_printf ("CBM Desk sample, %s, %s", job->id, job->kind);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_KEYWORDS, keywords);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, "cbm-sample-gen (CBM Desk)");
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATE_DATE, job->creation_date);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_MOD_DATE, job->creation_date);

  cr = cairo_create (surface);
  context = pango_cairo_create_context (cr);
  pango_context_set_language (context, pango_language_from_string (job->language));
  /* Unrounded positions match the font advances, so cairo writes plain strings instead of
   * a kerning adjustment after every glyph: the PDFs get much smaller. */
  pango_context_set_round_glyph_positions (context, FALSE);
  watermark = make_watermark (bank_string (job->bank, "watermark"), job->language);
  chapters = plan_chapters (job, rand);

  draw_page_frame (cr, context, job, watermark, page);
  draw_cover (cr, context, job, chapters);
  cairo_show_page (cr);

  for (guint c = 0; c < chapters->len; c++)
    {
      Chapter *chapter = &g_array_index (chapters, Chapter, c);
      int chapter_outline = 0;
      int section = 0;
      int paragraphs_left = 0;
      gboolean shrunk = FALSE;
      guint64 used_sections = 0;

      g_clear_pointer (&pending, g_free);

      for (page = chapter->first_page; page <= chapter->last_page; page++)
        {
          double y = BODY_TOP;

          draw_page_frame (cr, context, job, watermark, page);

          if (page == chapter->first_page)
            {
              g_autoptr (PangoLayout) heading = make_layout (context, HEADING_FONT, 15, BODY_WIDTH, chapter->heading);

              cairo_set_source_rgb (cr, 0.08, 0.2, 0.4);
              show_layout (cr, heading, MARGIN_X, y);
              cairo_set_source_rgb (cr, 0, 0, 0);
              if (job->outline)
                {
                  g_autofree char *dest = g_strdup_printf ("page=%d pos=[%.0f %.0f]", page, MARGIN_X, y);

                  chapter_outline = cairo_pdf_surface_add_outline (surface, CAIRO_PDF_OUTLINE_ROOT,
                                                                   chapter->heading, dest,
                                                                   CAIRO_PDF_OUTLINE_FLAG_OPEN);
                }
              y += layout_height (heading) + 14;
            }

          for (;;)
            {
              g_autoptr (PangoLayout) heading = NULL;
              g_autoptr (PangoLayout) body = NULL;
              g_autofree char *heading_text = NULL;
              double heading_height = 0;
              int split = -1;

              if (pending == NULL)
                {
                  g_autofree char *intro = NULL;

                  if (c == 0 && section == 0 && paragraphs_left == 0)
                    intro = expand (pick (rand, job->bank, "intro"), "title", job->title,
                                    "country", job->country_name, NULL);
                  pending = make_paragraph (rand, job->bank, intro ? intro : "", g_rand_int_range (rand, 3, 7));
                }

              if (paragraphs_left == 0)
                {
                  const char *name = pick_section (rand, job->bank, &used_sections);

                  if (is_law)
                    heading_text = g_strdup_printf ("%s %d. %s", bank_string (job->bank, "article_word"),
                                                    article + 1, name);
                  else
                    heading_text = g_strdup_printf ("%d.%d %s", c + 1, section + 1, name);
                  heading = make_layout (context, HEADING_FONT, 11.5, BODY_WIDTH, heading_text);
                  heading_height = layout_height (heading) + 8;
                }

              body = make_body_layout (context, pending);

              if (y + heading_height + layout_height (body) > BODY_BOTTOM)
                {
                  /* Within a chapter a paragraph continues on the next page; the last page of
                   * a chapter is filled with a short paragraph instead, so no text is cut. */
                  if (page < chapter->last_page)
                    split = fitting_prefix (body, BODY_BOTTOM - y - heading_height);
                  if (split <= 0)
                    {
                      if (page == chapter->last_page && !shrunk)
                        {
                          g_free (pending);
                          pending = make_paragraph (rand, job->bank, "", 1);
                          shrunk = TRUE;
                          continue;
                        }
                      break; /* The same paragraph (and heading) opens the next page. */
                    }
                }

              if (heading)
                {
                  cairo_set_source_rgb (cr, 0.08, 0.2, 0.4);
                  show_layout (cr, heading, MARGIN_X, y);
                  cairo_set_source_rgb (cr, 0, 0, 0);
                  if (job->outline)
                    {
                      g_autofree char *dest = g_strdup_printf ("page=%d pos=[%.0f %.0f]", page, MARGIN_X, y);

                      cairo_pdf_surface_add_outline (surface, chapter_outline, heading_text, dest, 0);
                    }
                  y += heading_height;
                  section++;
                  article++;
                  paragraphs_left = g_rand_int_range (rand, 2, 5);
                }

              if (split > 0)
                {
                  g_autofree char *head = g_strchomp (g_strndup (pending, split));
                  g_autofree char *rest = g_strdup (g_strchug (pending + split));
                  g_autoptr (PangoLayout) part = make_body_layout (context, head);

                  pango_layout_set_justify_last_line (part, TRUE);
                  show_layout (cr, part, MARGIN_X, y);
                  g_free (pending);
                  pending = g_steal_pointer (&rest);
                  break;
                }

              show_layout (cr, body, MARGIN_X, y);
              y += layout_height (body) + PARAGRAPH_GAP;
              paragraphs_left--;
              shrunk = FALSE;
              g_clear_pointer (&pending, g_free);
            }

          cairo_show_page (cr);
        }
    }

  cairo_surface_destroy (watermark);
  g_object_unref (context);
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);

  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (&job->error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s: cairo: %s",
                   job->id, cairo_status_to_string (status));
      return;
    }

  job->sha256 = g_compute_checksum_for_data (G_CHECKSUM_SHA256, pdf->data, pdf->len);
  job->bytes = pdf->len;
  g_file_set_contents_full (job->path, (const char *) pdf->data, pdf->len,
                            G_FILE_SET_CONTENTS_CONSISTENT, 0644, &job->error);
}

static void
render_document_cb (gpointer data,
                    gpointer user_data G_GNUC_UNUSED)
{
  render_document (data);
}

/* Feed assembly */

static JsonNode *
load_json (const char  *path,
           GError     **error)
{
  g_autoptr (JsonParser) parser = json_parser_new ();

  if (!json_parser_load_from_file (parser, path, error))
    {
      g_prefix_error (error, "%s: ", path);
      return NULL;
    }
  if (!JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s: not a JSON object", path);
      return NULL;
    }

  return json_node_copy (json_parser_get_root (parser));
}

/* Writes @root as pretty JSON and returns its sha256, or NULL on error. */
static char *
write_json (const char  *path,
            JsonNode    *root,
            GError     **error)
{
  g_autoptr (JsonGenerator) generator = json_generator_new ();
  g_autofree char *data = NULL;
  g_autofree char *text = NULL;
  gsize length;

  json_generator_set_pretty (generator, TRUE);
  json_generator_set_indent (generator, 2);
  json_generator_set_root (generator, root);
  data = json_generator_to_data (generator, &length);
  text = g_strconcat (data, "\n", NULL);

  if (!g_file_set_contents_full (path, text, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0644, error))
    return NULL;

  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, text, -1);
}

static gboolean
check_string_member (JsonObject  *object,
                     const char  *member,
                     const char  *where,
                     GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s: missing string \"%s\"", where, member);
      return FALSE;
    }

  return TRUE;
}

static gboolean
claim_id (GHashTable  *ids,
          const char  *id,
          const char  *where,
          GError     **error)
{
  if (!g_regex_match_simple ("^[a-z0-9][a-z0-9._-]{0,127}$", id, 0, 0))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s: invalid id \"%s\"", where, id);
      return FALSE;
    }
  if (!g_hash_table_add (ids, g_strdup (id)))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s: duplicate id \"%s\"", where, id);
      return FALSE;
    }

  return TRUE;
}

static const char *document_fields[] = { "id", "kind", "status", "title", "language", "issuer", "date" };

static DocJob *
make_job (JsonObject  *doc,
          JsonObject  *names,
          JsonObject  *phrases,
          const char  *documents_dir,
          const char  *where,
          GError     **error)
{
  g_autoptr (DocJob) job = g_new0 (DocJob, 1);
  JsonObject *hints;
  const char *language;

  for (guint i = 0; i < G_N_ELEMENTS (document_fields); i++)
    if (!check_string_member (doc, document_fields[i], where, error))
      return NULL;

  language = json_object_get_string_member (doc, "language");
  if (!json_object_has_member (phrases, language) || !json_object_has_member (names, language))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s: no phrases or name for language \"%s\"",
                   where, language);
      return NULL;
    }
  hints = json_object_get_object_member (doc, "generate");
  if (hints == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s: missing \"generate\" hints", where);
      return NULL;
    }

  job->id = g_strdup (json_object_get_string_member (doc, "id"));
  job->kind = g_strdup (json_object_get_string_member (doc, "kind"));
  job->status = g_strdup (json_object_get_string_member (doc, "status"));
  job->title = g_strdup (json_object_get_string_member (doc, "title"));
  job->language = g_strdup (language);
  job->issuer = g_strdup (json_object_get_string_member (doc, "issuer"));
  job->date = g_strdup (json_object_get_string_member (doc, "date"));
  job->country_name = g_strdup (json_object_get_string_member (names, language));
  job->pages = CLAMP (json_object_get_int_member_with_default (hints, "pages", 4), MIN_PAGES, MAX_PAGES);
  job->outline = json_object_get_boolean_member_with_default (hints, "outline", FALSE);
  job->bank = json_object_get_object_member (phrases, language);
  /* A fixed date (the document's own, at noon UTC) keeps the PDF bytes reproducible. */
  job->creation_date = g_strdup_printf ("%sT12:00:00Z", job->date);
  job->path = g_strdup_printf ("%s/%s.pdf", documents_dir, job->id);

  /* Every label the cover uses must exist, or the render thread would crash on NULL. */
  if (!json_object_has_member (json_object_get_object_member (job->bank, "labels"), "separator") ||
      !json_object_has_member (json_object_get_object_member (job->bank, "labels"), job->kind) ||
      !json_object_has_member (json_object_get_object_member (job->bank, "labels"), job->status))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s: unknown kind or status", where);
      return NULL;
    }

  return g_steal_pointer (&job);
}

/* Copies every member but the generation hints, and adds href, sha256 and bytes. */
static JsonNode *
build_document (JsonObject *doc,
                DocJob     *job)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autoptr (GList) members = json_object_get_members (doc);
  g_autofree char *href = g_strdup_printf ("../documents/%s.pdf", job->id);

  json_builder_begin_object (builder);
  for (GList *l = members; l != NULL; l = l->next)
    {
      if (g_str_equal (l->data, "generate"))
        continue;
      json_builder_set_member_name (builder, l->data);
      json_builder_add_value (builder, json_node_copy (json_object_get_member (doc, l->data)));
    }
  json_builder_set_member_name (builder, "href");
  json_builder_add_string_value (builder, href);
  json_builder_set_member_name (builder, "sha256");
  json_builder_add_string_value (builder, job->sha256);
  json_builder_set_member_name (builder, "bytes");
  json_builder_add_int_value (builder, job->bytes);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

static JsonNode *
build_country (JsonObject *country,
               GPtrArray  *jobs)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autoptr (GList) members = json_object_get_members (country);
  JsonArray *documents = json_object_get_array_member (country, "documents");

  json_builder_begin_object (builder);
  for (GList *l = members; l != NULL; l = l->next)
    {
      json_builder_set_member_name (builder, l->data);
      if (!g_str_equal (l->data, "documents"))
        {
          json_builder_add_value (builder, json_node_copy (json_object_get_member (country, l->data)));
          continue;
        }
      json_builder_begin_array (builder);
      for (guint i = 0; i < json_array_get_length (documents); i++)
        json_builder_add_value (builder, build_document (json_array_get_object_element (documents, i),
                                                         g_ptr_array_index (jobs, i)));
      json_builder_end_array (builder);
    }
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

/* Removes the files of @dir that this run did not write, so a document or country dropped
 * from the sources does not linger in the build tree. */
static void
remove_stale (const char *dir,
              GHashTable *keep)
{
  g_autoptr (GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;

  if (handle == NULL)
    return;
  while ((name = g_dir_read_name (handle)) != NULL)
    if (!g_hash_table_contains (keep, name))
      {
        g_autofree char *path = g_build_filename (dir, name, NULL);

        g_unlink (path);
      }
}

static int
compare_names_cb (gconstpointer a,
                  gconstpointer b)
{
  return strcmp (*(const char **) a, *(const char **) b);
}

static GPtrArray *
list_country_files (const char  *dir,
                    GError     **error)
{
  g_autoptr (GDir) handle = g_dir_open (dir, 0, error);
  g_autoptr (GPtrArray) files = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  if (handle == NULL)
    return NULL;
  while ((name = g_dir_read_name (handle)) != NULL)
    if (g_str_has_suffix (name, ".json"))
      g_ptr_array_add (files, g_strdup (name));
  /* Directory order is arbitrary; sorted output keeps the index reproducible. */
  g_ptr_array_sort (files, compare_names_cb);

  return g_steal_pointer (&files);
}

static gboolean
generate (const char  *source_dir,
          const char  *output_dir,
          GError     **error)
{
  g_autofree char *countries_src = g_build_filename (source_dir, "countries", NULL);
  g_autofree char *v1_dir = g_build_filename (output_dir, "v1", NULL);
  g_autofree char *countries_dir = g_build_filename (v1_dir, "countries", NULL);
  g_autofree char *documents_dir = g_build_filename (v1_dir, "documents", NULL);
  g_autofree char *repository_path = g_build_filename (source_dir, "repository.json", NULL);
  g_autofree char *phrases_path = g_build_filename (source_dir, "phrases.json", NULL);
  g_autofree char *events_path = g_build_filename (source_dir, "events.json", NULL);
  g_autoptr (JsonNode) repository_node = NULL;
  g_autoptr (JsonNode) phrases_node = NULL;
  g_autoptr (JsonNode) events_node = NULL;
  g_autoptr (GPtrArray) files = NULL;
  g_autoptr (GPtrArray) countries = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  g_autoptr (GPtrArray) country_jobs = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  g_autoptr (GHashTable) ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr (GHashTable) written_docs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr (GHashTable) written_countries = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr (JsonBuilder) index = json_builder_new ();
  g_autoptr (JsonNode) index_node = NULL;
  g_autofree char *index_path = NULL;
  g_autofree char *events_out = NULL;
  g_autofree char *events_sha = NULL;
  g_autofree char *index_sha = NULL;
  JsonObject *repository;
  JsonObject *phrases;
  JsonArray *events;
  const char *generated;
  GThreadPool *pool;

  if ((repository_node = load_json (repository_path, error)) == NULL ||
      (phrases_node = load_json (phrases_path, error)) == NULL ||
      (events_node = load_json (events_path, error)) == NULL ||
      (files = list_country_files (countries_src, error)) == NULL)
    return FALSE;
  repository = json_node_get_object (repository_node);
  phrases = json_node_get_object (phrases_node);
  generated = json_object_get_string_member_with_default (repository, "generated", NULL);
  if (generated == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s: missing \"generated\"", repository_path);
      return FALSE;
    }

  if (g_mkdir_with_parents (countries_dir, 0755) != 0 || g_mkdir_with_parents (documents_dir, 0755) != 0)
    {
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errno), "%s: %s", v1_dir, g_strerror (errno));
      return FALSE;
    }

  /* Events carry ids too, and ids are unique across the whole repository. */
  events = json_object_get_array_member (json_node_get_object (events_node), "events");
  if (events == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s: no \"events\" array", events_path);
      return FALSE;
    }
  for (guint i = 0; i < json_array_get_length (events); i++)
    {
      JsonObject *event = json_array_get_object_element (events, i);

      if (event == NULL || !check_string_member (event, "id", events_path, error) ||
          !claim_id (ids, json_object_get_string_member (event, "id"), events_path, error))
        return FALSE;
    }

  pool = g_thread_pool_new (render_document_cb, NULL, g_get_num_processors (), FALSE, NULL);

  for (guint f = 0; f < files->len; f++)
    {
      g_autofree char *path = g_build_filename (countries_src, g_ptr_array_index (files, f), NULL);
      g_autoptr (JsonNode) node = load_json (path, error);
      g_autoptr (GPtrArray) jobs = g_ptr_array_new_with_free_func ((GDestroyNotify) doc_job_free);
      JsonObject *country;
      JsonObject *names;
      JsonArray *documents;
      JsonArray *contacts;

      /* The array is owned by country_jobs at once, so queued renders never outlive it. */
      g_ptr_array_add (country_jobs, g_ptr_array_ref (jobs));
      if (node == NULL)
        goto fail;
      country = json_node_get_object (node);
      names = json_object_get_object_member (country, "names");
      documents = json_object_get_array_member (country, "documents");
      contacts = json_object_get_array_member (country, "contacts");
      if (!check_string_member (country, "code", path, error))
        goto fail;
      if (names == NULL || documents == NULL || contacts == NULL ||
          !g_regex_match_simple ("^[A-Z]{2}$", json_object_get_string_member (country, "code"), 0, 0))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       "%s: bad code, or missing names, documents or contacts", path);
          goto fail;
        }

      for (guint i = 0; i < json_array_get_length (contacts); i++)
        {
          JsonObject *contact = json_array_get_object_element (contacts, i);

          if (contact == NULL || !check_string_member (contact, "id", path, error) ||
              !claim_id (ids, json_object_get_string_member (contact, "id"), path, error))
            goto fail;
        }

      for (guint i = 0; i < json_array_get_length (documents); i++)
        {
          JsonObject *doc = json_array_get_object_element (documents, i);
          DocJob *job;

          if (doc == NULL)
            {
              g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s: a document is not an object", path);
              goto fail;
            }
          job = make_job (doc, names, phrases, documents_dir, path, error);
          if (job == NULL)
            goto fail;
          g_ptr_array_add (jobs, job);
          if (!claim_id (ids, job->id, path, error))
            goto fail;
          g_hash_table_add (written_docs, g_strdup_printf ("%s.pdf", job->id));
          g_thread_pool_push (pool, job, NULL);
        }

      g_ptr_array_add (countries, g_steal_pointer (&node));
    }

  /* Waits for every render. */
  g_thread_pool_free (pool, FALSE, TRUE);
  pool = NULL;

  json_builder_begin_object (index);
  json_builder_set_member_name (index, "format");
  json_builder_add_int_value (index, 1);
  json_builder_set_member_name (index, "publisher");
  json_builder_add_string_value (index, json_object_get_string_member_with_default (repository, "publisher", ""));
  json_builder_set_member_name (index, "generated");
  json_builder_add_string_value (index, generated);
  json_builder_set_member_name (index, "countries");
  json_builder_begin_array (index);

  for (guint c = 0; c < countries->len; c++)
    {
      JsonObject *country = json_node_get_object (g_ptr_array_index (countries, c));
      GPtrArray *jobs = g_ptr_array_index (country_jobs, c);
      const char *code = json_object_get_string_member (country, "code");
      g_autofree char *file_name = g_strdup_printf ("%s.json", code);
      g_autofree char *path = g_build_filename (countries_dir, file_name, NULL);
      g_autofree char *href = g_strdup_printf ("countries/%s", file_name);
      g_autoptr (JsonNode) out = NULL;
      g_autofree char *sha = NULL;

      for (guint i = 0; i < jobs->len; i++)
        {
          DocJob *job = g_ptr_array_index (jobs, i);

          if (job->error != NULL)
            {
              g_propagate_error (error, g_steal_pointer (&job->error));
              return FALSE;
            }
        }

      out = build_country (country, jobs);
      if ((sha = write_json (path, out, error)) == NULL)
        return FALSE;
      g_hash_table_add (written_countries, g_steal_pointer (&file_name));

      json_builder_begin_object (index);
      json_builder_set_member_name (index, "code");
      json_builder_add_string_value (index, code);
      json_builder_set_member_name (index, "href");
      json_builder_add_string_value (index, href);
      json_builder_set_member_name (index, "sha256");
      json_builder_add_string_value (index, sha);
      json_builder_set_member_name (index, "updated");
      json_builder_add_string_value (index, json_object_get_string_member_with_default (country, "updated", generated));
      json_builder_end_object (index);
    }
  json_builder_end_array (index);

  events_out = g_build_filename (v1_dir, "events.json", NULL);
  if ((events_sha = write_json (events_out, events_node, error)) == NULL)
    return FALSE;
  json_builder_set_member_name (index, "events");
  json_builder_begin_object (index);
  json_builder_set_member_name (index, "href");
  json_builder_add_string_value (index, "events.json");
  json_builder_set_member_name (index, "sha256");
  json_builder_add_string_value (index, events_sha);
  json_builder_set_member_name (index, "updated");
  json_builder_add_string_value (index, json_object_get_string_member_with_default (repository, "events_updated", generated));
  json_builder_end_object (index);

  json_builder_set_member_name (index, "registrations");
  json_builder_begin_object (index);
  json_builder_set_member_name (index, "href");
  json_builder_add_string_value (index, "registrations");
  json_builder_end_object (index);
  json_builder_end_object (index);

  index_node = json_builder_get_root (index);
  index_path = g_build_filename (v1_dir, "index.json", NULL);
  if ((index_sha = write_json (index_path, index_node, error)) == NULL)
    return FALSE;

  remove_stale (documents_dir, written_docs);
  remove_stale (countries_dir, written_countries);

  return TRUE;

fail:
  /* Let the queued renders finish before their jobs are freed. */
  g_thread_pool_free (pool, FALSE, TRUE);
  return FALSE;
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *source_dir = NULL;
  g_autofree char *output_dir = NULL;
  g_autofree char *stamp = NULL;
  g_autoptr (GOptionContext) context = NULL;
  g_autoptr (GError) error = NULL;
  const GOptionEntry entries[] = {
    { "source", 0, 0, G_OPTION_ARG_FILENAME, &source_dir, "Folder of the sources (repository.json, phrases.json, events.json, countries/)", "DIR" },
    { "output", 0, 0, G_OPTION_ARG_FILENAME, &output_dir, "Folder that receives v1/", "DIR" },
    { "stamp", 0, 0, G_OPTION_ARG_FILENAME, &stamp, "File to write once everything is generated", "FILE" },
    { NULL }
  };

  context = g_option_context_new ("- generate the CBM Desk sample repository");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("cbm-sample-gen: %s\n", error->message);
      return 2;
    }
  if (source_dir == NULL || output_dir == NULL)
    {
      g_printerr ("cbm-sample-gen: --source and --output are required\n");
      return 2;
    }

  if (!generate (source_dir, output_dir, &error))
    {
      g_printerr ("cbm-sample-gen: %s\n", error->message);
      return 1;
    }

  if (stamp != NULL && !g_file_set_contents (stamp, "v1\n", -1, &error))
    {
      g_printerr ("cbm-sample-gen: %s\n", error->message);
      return 1;
    }

  return 0;
}
