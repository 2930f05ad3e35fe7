/* cbm-note-verbale-dialog.h
 *
 * Copyright 2026 The CBM Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cbm-contact.h"
#include "cbm-note-verbale.h"
#include "cbm-store.h"

G_BEGIN_DECLS

#define CBM_TYPE_NOTE_VERBALE_DIALOG (cbm_note_verbale_dialog_get_type ())

G_DECLARE_FINAL_TYPE (CbmNoteVerbaleDialog, cbm_note_verbale_dialog, CBM, NOTE_VERBALE_DIALOG, AdwWindow)

CbmNoteVerbaleDialog *cbm_note_verbale_dialog_new (GtkWindow  *parent,
                                                   CbmStore   *store,
                                                   CbmContact *contact);
void                  cbm_note_verbale_dialog_set_language (CbmNoteVerbaleDialog *self,
                                                            const char           *language);
void                  cbm_note_verbale_dialog_set_action   (CbmNoteVerbaleDialog *self,
                                                            CbmNoteVerbaleAction  action);
char                 *cbm_note_verbale_dialog_dup_preview  (CbmNoteVerbaleDialog *self);
const char           *cbm_note_verbale_dialog_get_message  (CbmNoteVerbaleDialog *self,
                                                            const char           *field);
GtkEditable          *cbm_note_verbale_dialog_get_entry    (CbmNoteVerbaleDialog *self,
                                                            const char           *field);

G_END_DECLS
