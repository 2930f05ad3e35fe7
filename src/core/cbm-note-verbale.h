/* cbm-note-verbale.h
 *
 * Copyright 2026 The CBM Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "cbm-enums.h"

G_BEGIN_DECLS

typedef enum {
  CBM_NOTE_VERBALE_NOMINATE,
  CBM_NOTE_VERBALE_REPLACE,
  CBM_NOTE_VERBALE_REMOVE,
} CbmNoteVerbaleAction;

/* Field names used as keys of cbm_note_verbale_validate()'s errors. */
#define CBM_NOTE_VERBALE_FIELD_COUNTRY     "country"
#define CBM_NOTE_VERBALE_FIELD_NAME        "name"
#define CBM_NOTE_VERBALE_FIELD_POSITION    "position"
#define CBM_NOTE_VERBALE_FIELD_INSTITUTION "institution"
#define CBM_NOTE_VERBALE_FIELD_EMAIL       "email"
#define CBM_NOTE_VERBALE_FIELD_CATEGORY    "category"
#define CBM_NOTE_VERBALE_FIELD_REPLACED    "replaced"
#define CBM_NOTE_VERBALE_FIELD_SENDER      "sender"
#define CBM_NOTE_VERBALE_FIELD_CITY        "city"
#define CBM_NOTE_VERBALE_FIELD_DATE        "date"

/* The request a Note Verbale makes to the CICTE Secretariat: plain owned strings, so the
 * form can fill it as the user types. */
typedef struct
{
  CbmNoteVerbaleAction  action;
  char                 *country_code;
  char                 *country_name;  /* in the note's language */
  char                 *name;
  char                 *position;
  char                 *institution;
  char                 *email;
  CbmContactCategory    category;
  char                 *replaced;      /* the person replaced (replace only) */
  char                 *sender;        /* "The Permanent Mission of … to the OAS" */
  char                 *city;
  GDateTime            *date;
} CbmNoteVerbale;

/* Languages with a template, in menu order. */
extern const char * const cbm_note_verbale_languages[];

CbmNoteVerbale *cbm_note_verbale_new              (void);
void            cbm_note_verbale_free             (CbmNoteVerbale  *self);
gboolean        cbm_note_verbale_validate         (CbmNoteVerbale  *self,
                                                   GHashTable     **errors);
char           *cbm_note_verbale_default_sender   (const char      *language,
                                                   const char      *country_name,
                                                   GError         **error);
char           *cbm_note_verbale_render           (CbmNoteVerbale  *self,
                                                   const char      *language,
                                                   GError         **error);
char           *cbm_note_verbale_render_title     (const char      *language,
                                                   GError         **error);
char           *cbm_note_verbale_render_subject   (CbmNoteVerbale  *self,
                                                   const char      *language,
                                                   GError         **error);
gboolean        cbm_note_verbale_write_pdf        (CbmNoteVerbale  *self,
                                                   const char      *language,
                                                   const char      *path,
                                                   GError         **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CbmNoteVerbale, cbm_note_verbale_free)

G_END_DECLS
