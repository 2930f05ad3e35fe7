/* cbm-note-verbale.c
 *
 * Copyright 2026 The CBM Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <cairo-pdf.h>
#include <gio/gio.h>
#include <glib/gi18n.h>
#include <pango/pangocairo.h>
#include <string.h>

#include "cbm-note-verbale.h"
#include "cbm-note-verbale-resources.h"
#include "cbm-registration.h"

#define TEMPLATE_PATH "/io/github/cbmdesk/CbmDesk/note-verbale/"

const char * const cbm_note_verbale_languages[] = { "es", "en", "fr", "pt", NULL };

CbmNoteVerbale *
cbm_note_verbale_new (void)
{
  CbmNoteVerbale *self = g_new0 (CbmNoteVerbale, 1);

  self->action = CBM_NOTE_VERBALE_NOMINATE;
  self->category = CBM_CONTACT_CATEGORY_POLITICAL;
  return self;
}

void
cbm_note_verbale_free (CbmNoteVerbale *self)
{
  if (self == NULL)
    return;
  g_free (self->country_code);
  g_free (self->country_name);
  g_free (self->name);
  g_free (self->position);
  g_free (self->institution);
  g_free (self->email);
  g_free (self->replaced);
  g_free (self->sender);
  g_free (self->city);
  g_clear_pointer (&self->date, g_date_time_unref);
  g_free (self);
}

/* Surrounding spaces are forgiven: the note uses the trimmed address. */
static gboolean
email_is_valid (const char *email)
{
  g_autofree char *trimmed = g_strstrip (g_strdup (email));

  return cbm_registration_email_is_valid (trimmed);
}

static gboolean
same_text (const char *a,
           const char *b)
{
  g_autofree char *ta = g_strstrip (g_strdup (a));
  g_autofree char *tb = g_strstrip (g_strdup (b));

  return g_utf8_collate (ta, tb) == 0;
}

/**
 * cbm_note_verbale_validate:
 * @self: the note as typed
 * @errors: (out) (optional) (transfer full) (element-type utf8 utf8): field name →
 *   translated message; empty when the note is complete
 *
 * The form's rules without GTK, so the same rules are tested and shown as the user types.
 *
 * Returns: whether the note can be sent
 */
gboolean
cbm_note_verbale_validate (CbmNoteVerbale  *self,
                           GHashTable     **errors)
{
  g_autoptr(GHashTable) found = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  gboolean valid;

  g_return_val_if_fail (self != NULL, FALSE);

  if (cbm_registration_field_is_blank (self->country_code) ||
      cbm_registration_field_is_blank (self->country_name))
    g_hash_table_insert (found, (gpointer) CBM_NOTE_VERBALE_FIELD_COUNTRY,
                         g_strdup (_("Choose a country.")));
  cbm_registration_require_field (found, CBM_NOTE_VERBALE_FIELD_NAME, self->name);
  cbm_registration_require_field (found, CBM_NOTE_VERBALE_FIELD_POSITION, self->position);
  cbm_registration_require_field (found, CBM_NOTE_VERBALE_FIELD_INSTITUTION, self->institution);
  if (cbm_registration_field_is_blank (self->email))
    cbm_registration_require_field (found, CBM_NOTE_VERBALE_FIELD_EMAIL, self->email);
  else if (!email_is_valid (self->email))
    g_hash_table_insert (found, (gpointer) CBM_NOTE_VERBALE_FIELD_EMAIL,
                         g_strdup (_("Enter an e-mail address such as name@example.org.")));
  if (self->category != CBM_CONTACT_CATEGORY_POLITICAL &&
      self->category != CBM_CONTACT_CATEGORY_FOREIGN_AFFAIRS)
    g_hash_table_insert (found, (gpointer) CBM_NOTE_VERBALE_FIELD_CATEGORY,
                         g_strdup (_("Choose political or foreign affairs.")));
  if (self->action == CBM_NOTE_VERBALE_REPLACE)
    {
      if (cbm_registration_field_is_blank (self->replaced))
        g_hash_table_insert (found, (gpointer) CBM_NOTE_VERBALE_FIELD_REPLACED,
                             g_strdup (_("Enter the name of the person being replaced.")));
      else if (!cbm_registration_field_is_blank (self->name) && same_text (self->replaced, self->name))
        g_hash_table_insert (found, (gpointer) CBM_NOTE_VERBALE_FIELD_REPLACED,
                             g_strdup (_("The person replaced must differ from the new point of contact.")));
    }
  cbm_registration_require_field (found, CBM_NOTE_VERBALE_FIELD_SENDER, self->sender);
  cbm_registration_require_field (found, CBM_NOTE_VERBALE_FIELD_CITY, self->city);
  if (self->date == NULL)
    g_hash_table_insert (found, (gpointer) CBM_NOTE_VERBALE_FIELD_DATE,
                         g_strdup (_("This field is required.")));

  valid = g_hash_table_size (found) == 0;
  if (errors != NULL)
    *errors = g_steal_pointer (&found);
  return valid;
}

/* A template file is "[key]" lines each followed by its text; "#" lines are comments.
 * Plain text rather than a key file, so translators edit paragraphs without escapes. */
static GHashTable *
load_template (const char  *language,
               GError     **error)
{
  g_autofree char *path = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GHashTable) keys = NULL;
  g_auto(GStrv) lines = NULL;
  GString *current = NULL;
  const char *text;
  gsize size;

  if (language == NULL || !g_strv_contains (cbm_note_verbale_languages, language))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   _("There is no Note Verbale template for the language “%s”."),
                   language != NULL ? language : "");
      return NULL;
    }

  path = g_strconcat (TEMPLATE_PATH, language, ".txt", NULL);
  bytes = g_resource_lookup_data (cbm_note_verbale_get_resource (), path,
                                  G_RESOURCE_LOOKUP_FLAGS_NONE, error);
  if (bytes == NULL)
    return NULL;
  text = g_bytes_get_data (bytes, &size);
  if (!g_utf8_validate_len (text, size, NULL))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "Note Verbale template %s is not UTF-8", path);
      return NULL;
    }

  keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  {
    g_autofree char *copy = g_strndup (text, size);
    lines = g_strsplit (copy, "\n", -1);
  }
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *line = lines[i];
      gsize len = strlen (line);

      if (line[0] == '#')
        continue;
      if (line[0] == '[' && len > 2 && line[len - 1] == ']')
        {
          current = g_string_new (NULL);
          g_hash_table_insert (keys, g_strndup (line + 1, len - 2), current);
          continue;
        }
      if (current == NULL)
        continue;
      if (current->len > 0 || len > 0)
        {
          if (current->len > 0)
            g_string_append_c (current, '\n');
          g_string_append (current, line);
        }
    }

  /* Turn the builders into plain strings, trailing blank lines dropped. */
  {
    GHashTableIter iter;
    gpointer key, value;
    g_autoptr(GHashTable) done = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

    g_hash_table_iter_init (&iter, keys);
    while (g_hash_table_iter_next (&iter, &key, &value))
      {
        GString *s = value;
        while (s->len > 0 && g_ascii_isspace (s->str[s->len - 1]))
          g_string_truncate (s, s->len - 1);
        g_hash_table_insert (done, g_strdup (key), g_string_free (s, FALSE));
        g_hash_table_iter_steal (&iter);
        g_free (key);
      }
    return g_steal_pointer (&done);
  }
}

static const char *
template_get (GHashTable  *keys,
              const char  *key,
              const char  *language,
              GError     **error)
{
  const char *value = g_hash_table_lookup (keys, key);

  if (value == NULL)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                 "Note Verbale template %s has no [%s]", language, key);
  return value;
}

/* Replaces each {name} with its value; values are inserted as they are, never rescanned.
 * An unknown placeholder is an error, so a typo in a template cannot reach a note. */
static char *
fill (const char  *template,
      GHashTable  *values,
      GError     **error)
{
  GString *out = g_string_new (NULL);
  const char *p = template;

  while (*p != '\0')
    {
      const char *open = strchr (p, '{');
      const char *close;
      g_autofree char *name = NULL;
      const char *value;

      if (open == NULL)
        {
          g_string_append (out, p);
          break;
        }
      g_string_append_len (out, p, open - p);
      close = strchr (open, '}');
      if (close == NULL)
        {
          g_string_free (out, TRUE);
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       "Unclosed placeholder in Note Verbale template");
          return NULL;
        }
      name = g_strndup (open + 1, close - open - 1);
      value = g_hash_table_lookup (values, name);
      if (value == NULL)
        {
          g_string_free (out, TRUE);
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       "Unknown placeholder {%s} in Note Verbale template", name);
          return NULL;
        }
      g_string_append (out, value);
      p = close + 1;
    }
  return g_string_free (out, FALSE);
}

/* A field as it goes into the note: trimmed, and "…" while the form leaves it empty so the
 * preview shows the gap. */
static char *
value_of (const char *text)
{
  if (cbm_registration_field_is_blank (text))
    return g_strdup ("…");
  return g_strstrip (g_strdup (text));
}

static void
put (GHashTable *values,
     const char *name,
     const char *text)
{
  g_hash_table_insert (values, (gpointer) name, value_of (text));
}

static const char *
action_key (CbmNoteVerbaleAction action)
{
  switch (action)
    {
    case CBM_NOTE_VERBALE_REPLACE:
      return "replace";
    case CBM_NOTE_VERBALE_REMOVE:
      return "remove";
    case CBM_NOTE_VERBALE_NOMINATE:
    default:
      return "nominate";
    }
}

/* The date in the note's language, with month names from the template, so it never
 * depends on the process locale. */
static char *
format_date (GHashTable  *keys,
             GDateTime   *date,
             const char  *language,
             GError     **error)
{
  const char *months_text, *format;
  g_auto(GStrv) months = NULL;
  g_autoptr(GHashTable) values = NULL;
  int month;

  if (date == NULL)
    return g_strdup ("…");
  months_text = template_get (keys, "months", language, error);
  format = months_text != NULL ? template_get (keys, "date", language, error) : NULL;
  if (format == NULL)
    return NULL;
  months = g_strsplit (months_text, "\n", -1);
  month = g_date_time_get_month (date);
  if (g_strv_length (months) != 12)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "Note Verbale template %s needs 12 [months]", language);
      return NULL;
    }
  values = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  g_hash_table_insert (values, "day", g_strdup_printf ("%d", g_date_time_get_day_of_month (date)));
  g_hash_table_insert (values, "month", g_strstrip (g_strdup (months[month - 1])));
  g_hash_table_insert (values, "year", g_strdup_printf ("%d", g_date_time_get_year (date)));
  return fill (format, values, error);
}

/* Every placeholder a sentence may use, filled from @self. */
static GHashTable *
note_values (CbmNoteVerbale  *self,
             GHashTable      *keys,
             const char      *language,
             GError         **error)
{
  g_autoptr(GHashTable) values = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  const char *category;
  char *date;

  put (values, "country", self->country_name);
  put (values, "name", self->name);
  put (values, "position", self->position);
  put (values, "institution", self->institution);
  put (values, "email", self->email);
  put (values, "replaced", self->replaced);
  put (values, "sender", self->sender);
  put (values, "city", self->city);

  category = template_get (keys,
                           self->category == CBM_CONTACT_CATEGORY_FOREIGN_AFFAIRS
                             ? "category-foreign-affairs" : "category-political",
                           language, error);
  if (category == NULL)
    return NULL;
  g_hash_table_insert (values, "category", g_strdup (category));

  date = format_date (keys, self->date, language, error);
  if (date == NULL)
    return NULL;
  g_hash_table_insert (values, "date", date);
  return g_steal_pointer (&values);
}

/**
 * cbm_note_verbale_render:
 * @self: the note
 * @language: "es", "en", "fr" or "pt", independent of the UI language
 * @error: set when there is no template for @language or the template is broken
 *
 * The text of the note in the formal register of the template. Empty fields show as "…",
 * so the form can preview an incomplete note; check cbm_note_verbale_validate() before
 * sending it.
 *
 * Returns: (transfer full): the note's text
 */
char *
cbm_note_verbale_render (CbmNoteVerbale  *self,
                         const char      *language,
                         GError         **error)
{
  g_autoptr(GHashTable) keys = NULL;
  g_autoptr(GHashTable) values = NULL;
  const char *body, *sentence;
  char *action_sentence;

  g_return_val_if_fail (self != NULL, NULL);

  keys = load_template (language, error);
  if (keys == NULL)
    return NULL;
  values = note_values (self, keys, language, error);
  if (values == NULL)
    return NULL;
  body = template_get (keys, "body", language, error);
  sentence = body != NULL ? template_get (keys, action_key (self->action), language, error) : NULL;
  if (sentence == NULL)
    return NULL;
  action_sentence = fill (sentence, values, error);
  if (action_sentence == NULL)
    return NULL;
  g_hash_table_insert (values, "action_sentence", action_sentence);
  return fill (body, values, error);
}

/**
 * cbm_note_verbale_render_title:
 *
 * Returns: (transfer full): the heading of the note in @language ("NOTE VERBALE", …)
 */
char *
cbm_note_verbale_render_title (const char  *language,
                               GError     **error)
{
  g_autoptr(GHashTable) keys = load_template (language, error);
  const char *title;

  if (keys == NULL)
    return NULL;
  title = template_get (keys, "title", language, error);
  return title != NULL ? g_strdup (title) : NULL;
}

/**
 * cbm_note_verbale_render_subject:
 *
 * Returns: (transfer full): an e-mail subject for the note in @language
 */
char *
cbm_note_verbale_render_subject (CbmNoteVerbale  *self,
                                 const char      *language,
                                 GError         **error)
{
  g_autoptr(GHashTable) keys = load_template (language, error);
  g_autofree char *key = NULL;
  g_autoptr(GHashTable) values = NULL;
  const char *subject;

  if (keys == NULL)
    return NULL;
  key = g_strconcat ("subject-", action_key (self->action), NULL);
  subject = template_get (keys, key, language, error);
  values = subject != NULL ? note_values (self, keys, language, error) : NULL;
  if (values == NULL)
    return NULL;
  return fill (subject, values, error);
}

/**
 * cbm_note_verbale_default_sender:
 * @language: the note's language
 * @country_name: the country, named in @language
 *
 * Returns: (transfer full): "The Permanent Mission of … to the Organization of American
 *   States" in @language, a starting point the user may edit
 */
char *
cbm_note_verbale_default_sender (const char  *language,
                                 const char  *country_name,
                                 GError     **error)
{
  g_autoptr(GHashTable) keys = load_template (language, error);
  g_autoptr(GHashTable) values = NULL;
  const char *sender;

  if (keys == NULL)
    return NULL;
  sender = template_get (keys, "default-sender", language, error);
  if (sender == NULL)
    return NULL;
  values = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  put (values, "country", country_name);
  return fill (sender, values, error);
}

/* A4 in PDF points, 25 mm margins. */
#define PAGE_WIDTH  595.276
#define PAGE_HEIGHT 841.890
#define MARGIN      70.866

/* Draws @layout from @y down, line by line, starting a new page when a line would cross
 * the bottom margin. Returns the y below the last line. */
static double
show_paginated (cairo_t     *cr,
                PangoLayout *layout,
                double       y)
{
  PangoLayoutIter *iter = pango_layout_get_iter (layout);

  do
    {
      PangoLayoutLine *line = pango_layout_iter_get_line_readonly (iter);
      PangoRectangle logical;
      double height, baseline;

      pango_layout_iter_get_line_extents (iter, NULL, &logical);
      height = (double) logical.height / PANGO_SCALE;
      baseline = (double) (pango_layout_iter_get_baseline (iter) - logical.y) / PANGO_SCALE;
      if (y + height > PAGE_HEIGHT - MARGIN && y > MARGIN)
        {
          cairo_show_page (cr);
          y = MARGIN;
        }
      cairo_move_to (cr, MARGIN + (double) logical.x / PANGO_SCALE, y + baseline);
      pango_cairo_show_layout_line (cr, line);
      y += height;
    }
  while (pango_layout_iter_next_line (iter));
  pango_layout_iter_free (iter);
  return y;
}

/**
 * cbm_note_verbale_write_pdf:
 * @self: a note that passes cbm_note_verbale_validate()
 * @language: the note's language
 * @path: where to write the PDF
 *
 * Writes the note as an A4 PDF (cairo + pango; no GTK).
 *
 * Returns: whether the file was written
 */
gboolean
cbm_note_verbale_write_pdf (CbmNoteVerbale  *self,
                            const char      *language,
                            const char      *path,
                            GError         **error)
{
  g_autofree char *title = NULL;
  g_autofree char *text = NULL;
  cairo_surface_t *surface;
  cairo_t *cr;
  PangoLayout *layout;
  PangoFontDescription *font;
  cairo_status_t status;
  double width = PAGE_WIDTH - 2 * MARGIN;
  double y = MARGIN;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (!cbm_note_verbale_validate (self, NULL))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("The note is incomplete: check the highlighted fields."));
      return FALSE;
    }
  title = cbm_note_verbale_render_title (language, error);
  text = title != NULL ? cbm_note_verbale_render (self, language, error) : NULL;
  if (text == NULL)
    return FALSE;

  surface = cairo_pdf_surface_create (path, PAGE_WIDTH, PAGE_HEIGHT);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE, title);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, "CBM Desk");
  cr = cairo_create (surface);
  cairo_set_source_rgb (cr, 0, 0, 0);

  layout = pango_cairo_create_layout (cr);
  pango_layout_set_width (layout, (int) (width * PANGO_SCALE));
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);

  font = pango_font_description_from_string ("Serif Bold 14");
  pango_layout_set_font_description (layout, font);
  pango_font_description_free (font);
  pango_layout_set_alignment (layout, PANGO_ALIGN_CENTER);
  pango_layout_set_text (layout, title, -1);
  y = show_paginated (cr, layout, y) + 24;

  font = pango_font_description_from_string ("Serif 11");
  pango_layout_set_font_description (layout, font);
  pango_font_description_free (font);
  pango_layout_set_alignment (layout, PANGO_ALIGN_LEFT);
  pango_layout_set_justify (layout, TRUE);
  pango_layout_set_spacing (layout, 3 * PANGO_SCALE);
  pango_layout_set_text (layout, text, -1);
  show_paginated (cr, layout, y);

  g_object_unref (layout);
  cairo_show_page (cr);
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   _("Could not write the PDF: %s"), cairo_status_to_string (status));
      return FALSE;
    }
  return TRUE;
}
