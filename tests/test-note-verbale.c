/* test-note-verbale.c
 *
 * Copyright 2026 The CBM Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <string.h>

#include "cbm-note-verbale.h"

static CbmNoteVerbale *
make_note (CbmNoteVerbaleAction action,
           const char          *country_name)
{
  CbmNoteVerbale *note = cbm_note_verbale_new ();

  note->action = action;
  note->country_code = g_strdup ("CL");
  note->country_name = g_strdup (country_name);
  note->name = g_strdup ("María José Núñez");
  note->position = g_strdup ("Directora de Ciberseguridad");
  note->institution = g_strdup ("Ministerio del Interior");
  note->email = g_strdup ("mj.nunez@example.cl");
  note->category = CBM_CONTACT_CATEGORY_FOREIGN_AFFAIRS;
  note->replaced = action == CBM_NOTE_VERBALE_REPLACE ? g_strdup ("Pedro Ortúzar") : NULL;
  note->sender = g_strdup ("The Sender Mission of Chile");
  note->city = g_strdup ("Washington, D.C.");
  note->date = g_date_time_new_utc (2026, 3, 5, 12, 0, 0);
  return note;
}

typedef struct
{
  const char *language;
  const char *country;
  const char *formulas[4];  /* opening, honour, closing, month */
  const char *category;
  const char *actions[3];   /* nominate, replace, remove */
  const char *date;
} LanguageCase;

static const LanguageCase cases[] = {
  { "en", "Chile",
    { "presents its compliments to the Secretariat of the Inter-American Committee against Terrorism (CICTE)",
      "has the honour to",
      "avails itself of this opportunity to renew to the Secretariat of CICTE the assurances of its highest consideration.",
      "March" },
    "foreign-affairs point of contact of Chile",
    { "request the nomination of María José Núñez", "request the replacement of Pedro Ortúzar by María José Núñez",
      "request the removal of María José Núñez" },
    "Washington, D.C., 5 March 2026" },
  { "es", "Chile",
    { "saluda atentamente a la Secretaría del Comité Interamericano contra el Terrorismo (CICTE)",
      "tiene el honor de",
      "aprovecha la oportunidad para reiterar a la Secretaría del CICTE las seguridades de su más alta y distinguida consideración.",
      "marzo" },
    "punto de contacto del Ministerio de Relaciones Exteriores de Chile",
    { "solicitar la designación de María José Núñez", "solicitar la sustitución de Pedro Ortúzar por María José Núñez",
      "solicitar la baja de María José Núñez" },
    "Washington, D.C., 5 de marzo de 2026" },
  { "fr", "Chili",
    { "présente ses compliments au Secrétariat du Comité interaméricain contre le terrorisme (CICTE)",
      "a l'honneur de",
      "saisit cette occasion pour renouveler au Secrétariat du CICTE les assurances de sa très haute considération.",
      "mars" },
    "point de contact du ministère des Affaires étrangères de Chili",
    { "demander la désignation de María José Núñez", "demander le remplacement de Pedro Ortúzar par María José Núñez",
      "demander le retrait de María José Núñez" },
    "Washington, D.C., le 5 mars 2026" },
  { "pt", "Chile",
    { "cumprimenta atenciosamente a Secretaria do Comitê Interamericano contra o Terrorismo (CICTE)",
      "tem a honra de",
      "aproveita a oportunidade para renovar à Secretaria do CICTE os protestos de sua mais alta consideração.",
      "março" },
    "ponto de contato do Ministério das Relações Exteriores de Chile",
    { "solicitar a designação de María José Núñez", "solicitar a substituição de Pedro Ortúzar por María José Núñez",
      "solicitar a exclusão de María José Núñez" },
    "Washington, D.C., 5 de março de 2026" },
};

static void
test_render_all (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    for (int action = CBM_NOTE_VERBALE_NOMINATE; action <= CBM_NOTE_VERBALE_REMOVE; action++)
      {
        const LanguageCase *c = &cases[i];
        g_autoptr(CbmNoteVerbale) note = make_note (action, c->country);
        g_autoptr(GError) error = NULL;
        g_autofree char *text = NULL;
        g_autofree char *subject = NULL;
        g_autofree char *sender = NULL;

        g_assert_true (cbm_note_verbale_validate (note, NULL));
        text = cbm_note_verbale_render (note, c->language, &error);
        g_assert_no_error (error);
        g_test_message ("%s/%d:\n%s", c->language, action, text);

        g_assert_true (g_str_has_prefix (text, "The Sender Mission of Chile "));
        for (gsize f = 0; f < G_N_ELEMENTS (c->formulas); f++)
          g_assert_nonnull (strstr (text, c->formulas[f]));
        g_assert_nonnull (strstr (text, c->actions[action]));
        g_assert_nonnull (strstr (text, c->category));
        g_assert_nonnull (strstr (text, c->date));
        g_assert_nonnull (strstr (text, "Directora de Ciberseguridad, Ministerio del Interior"));
        g_assert_nonnull (strstr (text, "mj.nunez@example.cl"));
        g_assert_null (strchr (text, '{'));
        g_assert_null (strchr (text, '}'));
        g_assert_null (strstr (text, "…"));
        if (action != CBM_NOTE_VERBALE_REPLACE)
          g_assert_null (strstr (text, "Pedro"));

        subject = cbm_note_verbale_render_subject (note, c->language, &error);
        g_assert_no_error (error);
        g_assert_nonnull (strstr (subject, c->country));
        g_assert_null (strchr (subject, '{'));

        sender = cbm_note_verbale_default_sender (c->language, c->country, &error);
        g_assert_no_error (error);
        g_assert_nonnull (strstr (sender, c->country));
        g_assert_null (strchr (sender, '{'));
      }
}

static void
test_render_titles (void)
{
  const char *expected[][2] = {
    { "en", "NOTE VERBALE" }, { "es", "NOTA VERBAL" }, { "fr", "NOTE VERBALE" }, { "pt", "NOTA VERBAL" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *title = cbm_note_verbale_render_title (expected[i][0], &error);

      g_assert_no_error (error);
      g_assert_cmpstr (title, ==, expected[i][1]);
    }
}

static void
test_render_unknown_language (void)
{
  g_autoptr(CbmNoteVerbale) note = make_note (CBM_NOTE_VERBALE_NOMINATE, "Chile");
  g_autoptr(GError) error = NULL;
  g_autofree char *text = cbm_note_verbale_render (note, "de", &error);

  g_assert_null (text);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
}

/* Values go in verbatim: a brace typed by the user is not a placeholder. */
static void
test_render_value_with_braces (void)
{
  g_autoptr(CbmNoteVerbale) note = make_note (CBM_NOTE_VERBALE_NOMINATE, "Chile");
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  g_free (note->position);
  note->position = g_strdup ("Head {sender} of unit");
  text = cbm_note_verbale_render (note, "en", &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (text, "Head {sender} of unit"));
}

static void
test_render_incomplete_preview (void)
{
  g_autoptr(CbmNoteVerbale) note = cbm_note_verbale_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *text = cbm_note_verbale_render (note, "es", &error);

  g_assert_no_error (error);
  g_assert_nonnull (strstr (text, "…"));
  g_assert_null (strchr (text, '{'));
}

static void
test_validate_empty (void)
{
  g_autoptr(CbmNoteVerbale) note = cbm_note_verbale_new ();
  g_autoptr(GHashTable) errors = NULL;
  const char *fields[] = {
    CBM_NOTE_VERBALE_FIELD_COUNTRY, CBM_NOTE_VERBALE_FIELD_NAME, CBM_NOTE_VERBALE_FIELD_POSITION,
    CBM_NOTE_VERBALE_FIELD_INSTITUTION, CBM_NOTE_VERBALE_FIELD_EMAIL, CBM_NOTE_VERBALE_FIELD_SENDER,
    CBM_NOTE_VERBALE_FIELD_CITY, CBM_NOTE_VERBALE_FIELD_DATE,
  };

  note->action = CBM_NOTE_VERBALE_REPLACE;
  note->name = g_strdup ("   ");
  g_assert_false (cbm_note_verbale_validate (note, &errors));
  for (gsize i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      const char *message = g_hash_table_lookup (errors, fields[i]);
      g_assert_nonnull (message);
      g_assert_cmpstr (message, !=, "");
    }
  g_assert_nonnull (g_hash_table_lookup (errors, CBM_NOTE_VERBALE_FIELD_REPLACED));
  g_assert_null (g_hash_table_lookup (errors, CBM_NOTE_VERBALE_FIELD_CATEGORY));
  g_assert_cmpuint (g_hash_table_size (errors), ==, G_N_ELEMENTS (fields) + 1);
}

static void
test_validate_invalid (void)
{
  const char *bad_emails[] = { "nobody", "a@b", "a b@example.org", "@example.org", "a@@example.org", "a@example..org" };

  for (gsize i = 0; i < G_N_ELEMENTS (bad_emails); i++)
    {
      g_autoptr(CbmNoteVerbale) note = make_note (CBM_NOTE_VERBALE_NOMINATE, "Chile");
      g_autoptr(GHashTable) errors = NULL;

      g_free (note->email);
      note->email = g_strdup (bad_emails[i]);
      g_assert_false (cbm_note_verbale_validate (note, &errors));
      g_assert_cmpuint (g_hash_table_size (errors), ==, 1);
      g_assert_nonnull (g_hash_table_lookup (errors, CBM_NOTE_VERBALE_FIELD_EMAIL));
    }

  {
    g_autoptr(CbmNoteVerbale) note = make_note (CBM_NOTE_VERBALE_REPLACE, "Chile");
    g_autoptr(GHashTable) errors = NULL;

    g_free (note->replaced);
    note->replaced = g_strdup (" María José Núñez ");
    note->category = CBM_CONTACT_CATEGORY_OTHER;
    g_assert_false (cbm_note_verbale_validate (note, &errors));
    g_assert_cmpuint (g_hash_table_size (errors), ==, 2);
    g_assert_nonnull (g_hash_table_lookup (errors, CBM_NOTE_VERBALE_FIELD_REPLACED));
    g_assert_nonnull (g_hash_table_lookup (errors, CBM_NOTE_VERBALE_FIELD_CATEGORY));
  }

  {
    /* Replacing needs nobody to replace for the other actions. */
    g_autoptr(CbmNoteVerbale) note = make_note (CBM_NOTE_VERBALE_REMOVE, "Chile");
    g_autoptr(GHashTable) errors = NULL;

    g_assert_true (cbm_note_verbale_validate (note, &errors));
    g_assert_cmpuint (g_hash_table_size (errors), ==, 0);
  }
}

static void
test_write_pdf (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("cbm-note-XXXXXX", &error);

  g_assert_no_error (error);
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(CbmNoteVerbale) note = make_note (CBM_NOTE_VERBALE_REPLACE, cases[i].country);
      g_autofree char *name = g_strconcat ("note-", cases[i].language, ".pdf", NULL);
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autofree char *contents = NULL;
      g_autofree char *pdftotext = g_find_program_in_path ("pdftotext");
      gsize length;

      g_assert_true (cbm_note_verbale_write_pdf (note, cases[i].language, path, &error));
      g_assert_no_error (error);
      g_assert_true (g_file_get_contents (path, &contents, &length, &error));
      g_assert_cmpuint (length, >, 1000);
      g_assert_true (g_str_has_prefix (contents, "%PDF"));

      if (pdftotext != NULL)
        {
          const char *argv[] = { pdftotext, "-enc", "UTF-8", path, "-", NULL };
          g_autofree char *out = NULL;
          g_autofree char *flat = NULL;
          int status;

          g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL,
                                       NULL, NULL, &out, NULL, &status, &error));
          g_assert_no_error (error);
          g_assert_true (g_spawn_check_wait_status (status, NULL));
          /* Lines may wrap anywhere: compare with newlines as spaces. */
          flat = g_strdelimit (g_strdup (out), "\n", ' ');
          g_assert_nonnull (strstr (flat, "María José Núñez"));
          g_assert_nonnull (strstr (flat, "Pedro Ortúzar"));
          g_assert_nonnull (strstr (flat, i % 2 == 0 ? "NOTE VERBALE" : "NOTA VERBAL"));
        }
      g_assert_cmpint (g_remove (path), ==, 0);
    }

  {
    /* An incomplete note is refused and no file appears. */
    g_autoptr(CbmNoteVerbale) note = cbm_note_verbale_new ();
    g_autofree char *path = g_build_filename (dir, "empty.pdf", NULL);

    g_assert_false (cbm_note_verbale_write_pdf (note, "en", path, &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
    g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  }
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/note-verbale/render/all", test_render_all);
  g_test_add_func ("/note-verbale/render/titles", test_render_titles);
  g_test_add_func ("/note-verbale/render/unknown-language", test_render_unknown_language);
  g_test_add_func ("/note-verbale/render/value-with-braces", test_render_value_with_braces);
  g_test_add_func ("/note-verbale/render/incomplete-preview", test_render_incomplete_preview);
  g_test_add_func ("/note-verbale/validate/empty", test_validate_empty);
  g_test_add_func ("/note-verbale/validate/invalid", test_validate_invalid);
  g_test_add_func ("/note-verbale/pdf", test_write_pdf);

  return g_test_run ();
}
