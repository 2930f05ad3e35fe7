/* test-ui-note-verbale.c
 *
 * Copyright 2026 The CBM Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Opens the Note Verbale form from a contact through contacts.draft-note, and checks the
 * pre-filled preview, the language switch, the replace flow and the per-field messages.
 */

#include "config.h"

#include "cbm-test-ui.h"

#include <gtk/gtk.h>
#include <string.h>

#include "cbm-application.h"
#include "cbm-contact-page.h"
#include "cbm-contacts-view.h"
#include "cbm-note-verbale-dialog.h"

static CbmNoteVerbaleDialog *
find_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();  /* transfer none */

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);
      if (CBM_IS_NOTE_VERBALE_DIALOG (window))
        return CBM_NOTE_VERBALE_DIALOG (window);
    }
  return NULL;
}

static void
test_note_verbale (void)
{
  g_autoptr(CbmApplication) app = cbm_application_new ();
  g_autoptr(GError) error = NULL;
  CbmNoteVerbaleDialog *dialog;
  CbmContact *contact;
  GtkWindow *window;
  GtkWidget *view;
  GListModel *model;
  char *text;

  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  g_application_activate (G_APPLICATION (app));

  window = gtk_application_get_active_window (GTK_APPLICATION (app));
  view = cbm_test_find_widget (GTK_WIDGET (window), CBM_TYPE_CONTACTS_VIEW);
  g_assert_nonnull (view);
  model = cbm_contacts_view_get_model (CBM_CONTACTS_VIEW (view));
  cbm_test_wait_for_items (model, 62);

  g_assert_true (cbm_contacts_view_select_contact (CBM_CONTACTS_VIEW (view), "br-mfa-1"));
  contact = cbm_contact_page_get_contact (CBM_CONTACT_PAGE (cbm_test_find_widget (view, CBM_TYPE_CONTACT_PAGE)));
  g_assert_true (gtk_widget_activate_action (view, "contacts.draft-note", NULL));
  dialog = find_dialog ();
  g_assert_nonnull (dialog);

  /* Pre-filled from the contact, as a removal, in the UI's language. */
  text = cbm_note_verbale_dialog_dup_preview (dialog);
  g_assert_nonnull (strstr (text, "request the removal of"));
  g_assert_nonnull (strstr (text, contact->name));
  g_assert_nonnull (strstr (text, contact->email));
  g_assert_nonnull (strstr (text, "The Permanent Mission of Brazil to the Organization of American States"));
  g_assert_nonnull (strstr (text, "assurances of its highest consideration"));
  g_free (text);

  /* The note's language is its own: the country and the default sender follow it. */
  cbm_note_verbale_dialog_set_language (dialog, "pt");
  text = cbm_note_verbale_dialog_dup_preview (dialog);
  g_assert_nonnull (strstr (text, "A Missão Permanente de Brasil junto à Organização dos Estados Americanos"));
  g_assert_nonnull (strstr (text, "solicitar a exclusão de"));
  g_assert_nonnull (strstr (text, "protestos de sua mais alta consideração"));
  g_free (text);

  /* Replacing: the contact becomes the person replaced; the successor's fields are empty
   * and say so once typed in. */
  cbm_note_verbale_dialog_set_action (dialog, CBM_NOTE_VERBALE_REPLACE);
  text = cbm_note_verbale_dialog_dup_preview (dialog);
  g_assert_nonnull (strstr (text, "solicitar a substituição de"));
  g_assert_nonnull (strstr (text, contact->name));
  g_free (text);
  g_assert_cmpstr (gtk_editable_get_text (cbm_note_verbale_dialog_get_entry (dialog, CBM_NOTE_VERBALE_FIELD_NAME)), ==, "");

  gtk_editable_set_text (cbm_note_verbale_dialog_get_entry (dialog, CBM_NOTE_VERBALE_FIELD_EMAIL), "not-an-address");
  g_assert_nonnull (cbm_note_verbale_dialog_get_message (dialog, CBM_NOTE_VERBALE_FIELD_EMAIL));
  gtk_editable_set_text (cbm_note_verbale_dialog_get_entry (dialog, CBM_NOTE_VERBALE_FIELD_EMAIL), "nova@example.gov.br");
  g_assert_null (cbm_note_verbale_dialog_get_message (dialog, CBM_NOTE_VERBALE_FIELD_EMAIL));
  /* Untouched fields stay quiet until the user tries to use the note. */
  g_assert_null (cbm_note_verbale_dialog_get_message (dialog, CBM_NOTE_VERBALE_FIELD_NAME));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "note.copy", NULL));
  g_assert_nonnull (cbm_note_verbale_dialog_get_message (dialog, CBM_NOTE_VERBALE_FIELD_NAME));
  g_assert_nonnull (cbm_note_verbale_dialog_get_message (dialog, CBM_NOTE_VERBALE_FIELD_POSITION));

  gtk_editable_set_text (cbm_note_verbale_dialog_get_entry (dialog, CBM_NOTE_VERBALE_FIELD_NAME), "Ana Nova");
  gtk_editable_set_text (cbm_note_verbale_dialog_get_entry (dialog, CBM_NOTE_VERBALE_FIELD_POSITION), "Assessora");
  gtk_editable_set_text (cbm_note_verbale_dialog_get_entry (dialog, CBM_NOTE_VERBALE_FIELD_INSTITUTION), "Itamaraty");
  g_assert_null (cbm_note_verbale_dialog_get_message (dialog, CBM_NOTE_VERBALE_FIELD_NAME));
  text = cbm_note_verbale_dialog_dup_preview (dialog);
  g_assert_nonnull (strstr (text, "por Ana Nova, Assessora, Itamaraty, correio eletrônico nova@example.gov.br"));
  g_assert_null (strstr (text, "…"));
  g_free (text);

  gtk_window_destroy (GTK_WINDOW (dialog));
  gtk_window_destroy (window);
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *home = g_dir_make_tmp ("cbm-ui-XXXXXX", NULL);

  g_setenv ("XDG_DATA_HOME", home, TRUE);
  g_setenv ("LANGUAGE", "en", TRUE);
  gtk_test_init (&argc, &argv, NULL);
  g_test_add_func ("/ui/note-verbale/draft-from-contact", test_note_verbale);
  return g_test_run ();
}
