/* test-vcard.c
 *
 * Copyright 2026 The CBM Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * vCard 4.0 export, field by field: escaping, folding at 75 octets without splitting UTF-8,
 * CRLF, tel: URIs, deterministic UIDs.
 */

#include <string.h>

#include "cbm-core.h"

static CbmContact *
make_contact (const char *id,
              const char *country,
              CbmContactCategory category,
              const char *name,
              const char *position,
              const char *institution,
              const char *email,
              const char *phone,
              const char *languages,
              const char *verified)
{
  CbmContact *contact = cbm_contact_new ();

  contact->id = g_strdup (id);
  contact->country = g_strdup (country);
  contact->category = category;
  contact->name = g_strdup (name);
  contact->position = g_strdup (position);
  contact->institution = g_strdup (institution);
  contact->email = g_strdup (email);
  contact->phone = g_strdup (phone);
  contact->languages = languages ? g_strsplit (languages, ",", -1) : NULL;
  contact->verified = g_strdup (verified);
  cbm_contact_update_key (contact);
  return contact;
}

/* The logical lines of a vCard, after unfolding; also checks the physical form. */
static GStrv
logical_lines (const char *vcard)
{
  g_autofree char *unfolded = NULL;
  g_auto(GStrv) physical = NULL;
  GStrv lines;
  guint n;

  g_assert_true (g_utf8_validate (vcard, -1, NULL));
  g_assert_true (g_str_has_suffix (vcard, "\r\n"));

  /* Every line ends with CRLF: no bare LF or CR, at most 75 octets, whole characters. */
  physical = g_strsplit (vcard, "\r\n", -1);
  n = g_strv_length (physical);
  g_assert_cmpstr (physical[n - 1], ==, "");
  for (guint i = 0; i + 1 < n; i++)
    {
      g_assert_null (strchr (physical[i], '\n'));
      g_assert_null (strchr (physical[i], '\r'));
      g_assert_cmpuint (strlen (physical[i]), <=, 75);
      g_assert_true (g_utf8_validate (physical[i], -1, NULL));
      g_assert_cmpuint (strlen (physical[i]), >, 0);
    }

  unfolded = cbm_vcard_unfold (vcard);
  lines = g_strsplit (unfolded, "\r\n", -1);
  n = g_strv_length (lines);
  g_free (lines[n - 1]);
  lines[n - 1] = NULL;
  return lines;
}

/* The value of the only line starting with "@name:" or "@name;", with its parameters. */
static const char *
find_line (GStrv       lines,
           const char *name)
{
  const char *found = NULL;
  gsize len = strlen (name);

  for (guint i = 0; lines[i] != NULL; i++)
    if (strncmp (lines[i], name, len) == 0 && (lines[i][len] == ':' || lines[i][len] == ';'))
      {
        g_assert_null (found);
        found = lines[i];
      }
  return found;
}

static guint
count_lines (GStrv       lines,
             const char *name)
{
  guint n = 0;
  gsize len = strlen (name);

  for (guint i = 0; lines[i] != NULL; i++)
    if (strncmp (lines[i], name, len) == 0 && (lines[i][len] == ':' || lines[i][len] == ';'))
      n++;
  return n;
}

/* Undoes RFC 6350 escaping, as a reader would. */
static char *
unescape (const char *value)
{
  GString *out = g_string_new (NULL);

  for (const char *p = value; *p != '\0'; p++)
    {
      if (*p == '\\' && p[1] != '\0')
        {
          p++;
          g_string_append_c (out, *p == 'n' || *p == 'N' ? '\n' : *p);
        }
      else
        g_string_append_c (out, *p);
    }
  return g_string_free (out, FALSE);
}

static void
test_fields (void)
{
  g_autoptr(CbmContact) contact = make_contact ("ar-mfa-1", "AR", CBM_CONTACT_CATEGORY_FOREIGN_AFFAIRS,
                                                "Martín Montoya Carvajal",
                                                "Consejero, Dirección de Seguridad Internacional",
                                                "Ministerio de Relaciones Exteriores",
                                                "martin.montoya@mfa-ar.example.org",
                                                "+54 11 555 8081", "es,en", "2025-02-06");
  g_autofree char *vcard = cbm_vcard_from_contact (contact, "Argentina");
  g_auto(GStrv) lines = logical_lines (vcard);
  guint n = g_strv_length (lines);

  g_assert_cmpstr (lines[0], ==, "BEGIN:VCARD");
  g_assert_cmpstr (lines[1], ==, "VERSION:4.0");
  g_assert_cmpstr (lines[n - 1], ==, "END:VCARD");
  g_assert_cmpstr (find_line (lines, "FN"), ==, "FN:Martín Montoya Carvajal");
  /* Spanish names: every word after the first is a surname. */
  g_assert_cmpstr (find_line (lines, "N"), ==, "N:Montoya Carvajal;Martín;;;");
  g_assert_cmpstr (find_line (lines, "ORG"), ==, "ORG:Ministerio de Relaciones Exteriores");
  g_assert_cmpstr (find_line (lines, "TITLE"), ==,
                   "TITLE:Consejero\\, Dirección de Seguridad Internacional");
  g_assert_cmpstr (find_line (lines, "EMAIL"), ==,
                   "EMAIL;TYPE=work:martin.montoya@mfa-ar.example.org");
  g_assert_cmpstr (find_line (lines, "TEL"), ==, "TEL;VALUE=uri;TYPE=work,voice:tel:+54-11-555-8081");
  g_assert_cmpuint (count_lines (lines, "LANG"), ==, 2);
  g_assert_true (g_strv_contains ((const char * const *) lines, "LANG;PREF=1:es"));
  g_assert_true (g_strv_contains ((const char * const *) lines, "LANG;PREF=2:en"));
  g_assert_cmpstr (find_line (lines, "CATEGORIES"), ==, "CATEGORIES:Foreign affairs");
  g_assert_nonnull (strstr (find_line (lines, "NOTE"), "Argentina"));
  g_assert_nonnull (strstr (find_line (lines, "NOTE"), "Foreign affairs"));
  g_assert_cmpstr (find_line (lines, "REV"), ==, "REV:20250206T000000Z");
  /* uuid.uuid5(uuid.uuid5(uuid.NAMESPACE_DNS, "cbmdesk.github.io"), "ar-mfa-1") in Python. */
  g_assert_true (g_str_has_prefix (find_line (lines, "UID"), "UID:urn:uuid:"));
  g_assert_true (g_uuid_string_is_valid (find_line (lines, "UID") + strlen ("UID:urn:uuid:")));
}

static void
test_uid (void)
{
  g_autofree char *a = cbm_vcard_uid_for_id ("ar-pol-1");
  g_autofree char *b = cbm_vcard_uid_for_id ("ar-pol-1");
  g_autofree char *c = cbm_vcard_uid_for_id ("ar-pol-2");

  /* The same value as Python's uuid.uuid5 gives: a real version 5 UUID. */
  g_assert_cmpstr (a, ==, "urn:uuid:b05a73a5-f1bd-50a1-8ee5-39225a7b87da");
  g_assert_cmpstr (a, ==, b);
  g_assert_cmpstr (a, !=, c);
}

static void
test_escaping (void)
{
  const char *name = "Dupont, Jean-François";
  const char *position = "Directeur; Cyber\\Sécurité\nBureau 2, étage 3";
  const char *institution = "Ministère des Affaires étrangères; Direction, Sécurité";
  g_autoptr(CbmContact) contact = make_contact ("ca-mfa-9", "CA", CBM_CONTACT_CATEGORY_POLITICAL,
                                                name, position, institution,
                                                "j.dupont@example.org", "613 555 0100",
                                                "fr", NULL);
  g_autofree char *vcard = cbm_vcard_from_contact (contact, "Canada, du Nord; \"ici\"");
  g_auto(GStrv) lines = logical_lines (vcard);
  g_autofree char *fn = NULL;
  g_autofree char *title = NULL;
  g_autofree char *org = NULL;
  g_autofree char *escaped = cbm_text_escape_value ("a\\b,c;d\r\ne\nf\rg");

  g_assert_cmpstr (escaped, ==, "a\\\\b\\,c\\;d\\ne\\nf\\ng");

  g_assert_cmpstr (find_line (lines, "FN"), ==, "FN:Dupont\\, Jean-François");
  /* "Family, Given" is taken as written. */
  g_assert_cmpstr (find_line (lines, "N"), ==, "N:Dupont;Jean-François;;;");
  g_assert_cmpstr (find_line (lines, "TITLE"), ==,
                   "TITLE:Directeur\\; Cyber\\\\Sécurité\\nBureau 2\\, étage 3");
  g_assert_cmpstr (find_line (lines, "ORG"), ==,
                   "ORG:Ministère des Affaires étrangères\\; Direction\\, Sécurité");

  /* A reader gets the values back exactly. */
  fn = unescape (find_line (lines, "FN") + 3);
  title = unescape (find_line (lines, "TITLE") + 6);
  org = unescape (find_line (lines, "ORG") + 4);
  g_assert_cmpstr (fn, ==, name);
  g_assert_cmpstr (title, ==, position);
  g_assert_cmpstr (org, ==, institution);
  g_assert_nonnull (strstr (find_line (lines, "NOTE"), "Canada\\, du Nord\\; \"ici\""));

  /* No international prefix: not a tel: URI, so written as text. */
  g_assert_cmpstr (find_line (lines, "TEL"), ==, "TEL;VALUE=text;TYPE=work,voice:613 555 0100");
  g_assert_cmpstr (find_line (lines, "CATEGORIES"), ==, "CATEGORIES:Political level");
  /* Never verified: no REV. */
  g_assert_null (find_line (lines, "REV"));
  g_assert_cmpstr (find_line (lines, "LANG"), ==, "LANG;PREF=1:fr");
}

static void
test_folding (void)
{
  g_autoptr(GString) position = g_string_new ("Coordenação-Geral de Segurança Cibernética");
  g_autoptr(CbmContact) contact = NULL;
  g_autofree char *vcard = NULL;
  g_auto(GStrv) lines = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *expected = NULL;
  g_autoptr(GString) folded = g_string_new (NULL);
  g_autofree char *digits73 = g_strnfill (73, '0');
  g_autofree char *digits72 = g_strnfill (72, '0');
  g_autofree char *digits71 = g_strnfill (71, '0');
  g_autofree char *line = NULL;
  g_autofree char *want = NULL;
  guint continuations = 0;

  /* Long enough to fold several times, with two- and three-octet characters everywhere. */
  for (guint i = 0; i < 6; i++)
    g_string_append (position, ", Ação çãõ € “São Paulo” ñandú");
  contact = make_contact ("br-pol-9", "BR", CBM_CONTACT_CATEGORY_POLITICAL, "João da Silva",
                          position->str, "Gabinete", NULL, NULL, "pt,en", "2026-04-08");
  vcard = cbm_vcard_from_contact (contact, "Brasil");
  lines = logical_lines (vcard);

  escaped = cbm_text_escape_value (position->str);
  expected = g_strconcat ("TITLE:", escaped, NULL);
  g_assert_cmpstr (find_line (lines, "TITLE"), ==, expected);
  g_assert_cmpstr (find_line (lines, "N"), ==, "N:da Silva;João;;;");

  /* The fold itself: at most 75 octets a line, continuations start with one space. */
  for (const char *p = vcard; (p = strstr (p, "\r\n ")) != NULL; p += 3)
    continuations++;
  g_assert_cmpuint (continuations, >=, 4);

  /* Folding one line by hand: a line of exactly 75 octets stays whole; a character that would
   * straddle the limit moves to the next line whole. */
  line = g_strconcat ("X:", digits73, NULL);
  cbm_text_append_folded_line (folded, line);
  want = g_strconcat (line, "\r\n", NULL);
  g_assert_cmpstr (folded->str, ==, want);
  g_clear_pointer (&line, g_free);
  g_clear_pointer (&want, g_free);

  g_string_truncate (folded, 0);
  line = g_strconcat ("X:", digits72, "\xc3\xa9" "abc", NULL);
  cbm_text_append_folded_line (folded, line);
  want = g_strconcat ("X:", digits72, "\r\n \xc3\xa9" "abc\r\n", NULL);
  g_assert_cmpstr (folded->str, ==, want);
  g_clear_pointer (&line, g_free);
  g_clear_pointer (&want, g_free);

  g_string_truncate (folded, 0);
  line = g_strconcat ("X:", digits71, "\xc3\xa9" "abc", NULL);
  cbm_text_append_folded_line (folded, line);
  want = g_strconcat ("X:", digits71, "\xc3\xa9" "\r\n abc\r\n", NULL);
  g_assert_cmpstr (folded->str, ==, want);
  g_clear_pointer (&line, g_free);
  g_clear_pointer (&want, g_free);

  /* A three-octet character at the limit of a continuation line (74 octets after the space). */
  g_string_truncate (folded, 0);
  line = g_strconcat ("X:", digits73, digits72, "\xe2\x82\xac", NULL);
  cbm_text_append_folded_line (folded, line);
  want = g_strconcat ("X:", digits73, "\r\n ", digits72, "\r\n \xe2\x82\xac\r\n", NULL);
  g_assert_cmpstr (folded->str, ==, want);

  g_string_truncate (folded, 0);
  cbm_text_append_folded_line (folded, "short");
  g_assert_cmpstr (folded->str, ==, "short\r\n");
}

static void
test_tel_uri (void)
{
  struct { const char *in; const char *out; } cases[] = {
    { "+1 268 555 0187", "tel:+1-268-555-0187" },
    { "+1 (268) 555-0187 ext. 12", "tel:+1-268-555-0187;ext=12" },
    { " +591 2.555.7496 ", "tel:+591-2-555-7496" },
    { "+55 61 555 1389 x7", "tel:+55-61-555-1389;ext=7" },
    { "555 0100", NULL },
    { "+", NULL },
    { "+1 555 0100 / 0101", "tel:+1-555-0100-0101" },
    { "+1 555*0100", NULL },
    { "", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *uri = cbm_vcard_tel_uri (cases[i].in);
      g_assert_cmpstr (uri, ==, cases[i].out);
    }
}

static void
test_split_name (void)
{
  struct { const char *name, *language, *family, *given, *additional; } cases[] = {
    { "Andre Lewis", "en", "Lewis", "Andre", "" },
    { "Mary Ann Smith", "en", "Smith", "Mary", "Ann" },
    { "Jean de la Fontaine", "fr", "de la Fontaine", "Jean", "" },
    { "Esteban Lescano Velarde", "es", "Lescano Velarde", "Esteban", "" },
    { "Madonna", NULL, "Madonna", "", "" },
    { "  Lewis ,  Andre ", "en", "Lewis", "Andre", "" },
    { "", "en", "", "", "" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *family = NULL;
      g_autofree char *given = NULL;
      g_autofree char *additional = NULL;

      cbm_vcard_split_name (cases[i].name, cases[i].language, &family, &given, &additional);
      g_assert_cmpstr (family, ==, cases[i].family);
      g_assert_cmpstr (given, ==, cases[i].given);
      g_assert_cmpstr (additional, ==, cases[i].additional);
    }
}

static const char *
country_name (const char *code,
              gpointer    user_data)
{
  return g_hash_table_lookup (user_data, code);
}

static void
test_several (void)
{
  g_autoptr(GListStore) store = g_list_store_new (CBM_TYPE_CONTACT);
  g_autoptr(GHashTable) names = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(CbmContact) a = make_contact ("pe-pol-1", "PE", CBM_CONTACT_CATEGORY_POLITICAL, "Ana Pérez",
                                          NULL, NULL, NULL, NULL, NULL, NULL);
  g_autoptr(CbmContact) b = make_contact ("ht-mfa-1", "HT", CBM_CONTACT_CATEGORY_FOREIGN_AFFAIRS, "",
                                          NULL, NULL, "bureau@example.org", NULL, NULL, NULL);
  g_autofree char *vcard = NULL;
  g_auto(GStrv) lines = NULL;

  g_hash_table_insert (names, "PE", "Perú");
  g_list_store_append (store, a);
  g_list_store_append (store, b);
  vcard = cbm_vcard_from_contacts (G_LIST_MODEL (store), country_name, names);
  lines = logical_lines (vcard);

  g_assert_cmpuint (count_lines (lines, "BEGIN"), ==, 2);
  g_assert_cmpuint (count_lines (lines, "END"), ==, 2);
  g_assert_cmpuint (count_lines (lines, "VERSION"), ==, 2);
  g_assert_cmpuint (count_lines (lines, "UID"), ==, 2);
  /* Optional fields that are missing are left out, not written empty. */
  g_assert_cmpuint (count_lines (lines, "ORG"), ==, 0);
  g_assert_cmpuint (count_lines (lines, "TEL"), ==, 0);
  /* FN is required: a contact without a name is shown by its address. */
  g_assert_true (g_strv_contains ((const char * const *) lines, "FN:Ana Pérez"));
  g_assert_true (g_strv_contains ((const char * const *) lines, "FN:bureau@example.org"));
  g_assert_true (g_strv_contains ((const char * const *) lines, "N:;;;;"));
  /* The country's name where it is known, its code otherwise. */
  g_assert_nonnull (strstr (vcard, "Point of contact of Perú"));
  g_assert_nonnull (strstr (vcard, "Point of contact of HT"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/vcard/fields", test_fields);
  g_test_add_func ("/core/vcard/uid", test_uid);
  g_test_add_func ("/core/vcard/escaping", test_escaping);
  g_test_add_func ("/core/vcard/folding", test_folding);
  g_test_add_func ("/core/vcard/tel-uri", test_tel_uri);
  g_test_add_func ("/core/vcard/split-name", test_split_name);
  g_test_add_func ("/core/vcard/several", test_several);

  return g_test_run ();
}
