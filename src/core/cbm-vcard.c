/* cbm-vcard.c
 *
 * Copyright 2026 The CBM Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "cbm-date.h"
#include "cbm-text.h"
#include "cbm-vcard.h"

/* RFC 4122 NameSpace_DNS; the app's own namespace is derived from it and our domain. */
static const guint8 namespace_dns[16] = {
  0x6b, 0xa7, 0xb8, 0x10, 0x9d, 0xad, 0x11, 0xd1,
  0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8,
};

static void
uuid_v5 (const guint8  namespace[16],
         const char   *name,
         guint8        uuid[16])
{
  g_autoptr(GChecksum) sha1 = g_checksum_new (G_CHECKSUM_SHA1);
  guint8 digest[20];
  gsize len = sizeof digest;

  g_checksum_update (sha1, namespace, 16);
  g_checksum_update (sha1, (const guchar *) name, strlen (name));
  g_checksum_get_digest (sha1, digest, &len);

  memcpy (uuid, digest, 16);
  uuid[6] = (uuid[6] & 0x0f) | 0x50;
  uuid[8] = (uuid[8] & 0x3f) | 0x80;
}

/**
 * cbm_vcard_uid_for_id:
 * @id: a contact id from the feed
 *
 * Derives a name-based (version 5) UUID from @id, so the same contact exported twice gets
 * the same UID and address books update it instead of adding a copy.
 *
 * Returns: a `urn:uuid:` URI
 */
char *
cbm_vcard_uid_for_id (const char *id)
{
  guint8 app_namespace[16];
  guint8 u[16];

  g_return_val_if_fail (id != NULL, NULL);

  uuid_v5 (namespace_dns, "cbmdesk.github.io", app_namespace);
  uuid_v5 (app_namespace, id, u);
  return g_strdup_printf ("urn:uuid:%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
                          "%02x%02x%02x%02x%02x%02x",
                          u[0], u[1], u[2], u[3], u[4], u[5], u[6], u[7],
                          u[8], u[9], u[10], u[11], u[12], u[13], u[14], u[15]);
}


/**
 * cbm_vcard_unfold:
 * @text: vCard text
 *
 * Removes every line break followed by a space or a tab (RFC 6350 §3.2).
 *
 * Returns: the unfolded text
 */
char *
cbm_vcard_unfold (const char *text)
{
  GString *out = g_string_sized_new (strlen (text));

  for (const char *p = text; *p != '\0'; p++)
    {
      if (p[0] == '\r' && p[1] == '\n' && (p[2] == ' ' || p[2] == '\t'))
        p += 2;
      else if (p[0] == '\n' && (p[1] == ' ' || p[1] == '\t'))
        p += 1;
      else
        g_string_append_c (out, *p);
    }
  return g_string_free (out, FALSE);
}

/**
 * cbm_vcard_tel_uri:
 * @phone: a phone number as people write it, e.g. "+54 11 555 1996 ext. 12"
 *
 * Returns: (nullable): an RFC 3966 `tel:` URI for an international number, e.g.
 *   "tel:+54-11-555-1996;ext=12", or %NULL if @phone is not one
 */
char *
cbm_vcard_tel_uri (const char *phone)
{
  g_autoptr(GString) uri = g_string_new ("tel:+");
  g_autoptr(GString) ext = g_string_new (NULL);
  const char *p;
  guint digits = 0;

  if (phone == NULL)
    return NULL;

  p = phone;
  while (g_ascii_isspace (*p))
    p++;
  if (*p != '+')
    return NULL;
  p++;

  for (; *p != '\0' && !g_ascii_isalpha (*p) && *p != '#'; p++)
    {
      if (g_ascii_isdigit (*p))
        {
          g_string_append_c (uri, *p);
          digits++;
        }
      else if (strchr (" -.()/\t", *p) != NULL)
        {
          /* Visual separators become single hyphens between digits. */
          if (g_ascii_isdigit (uri->str[uri->len - 1]))
            g_string_append_c (uri, '-');
        }
      else
        return NULL;
    }
  while (uri->str[uri->len - 1] == '-')
    g_string_truncate (uri, uri->len - 1);
  if (digits == 0)
    return NULL;

  for (; *p != '\0'; p++)
    if (g_ascii_isdigit (*p))
      g_string_append_c (ext, *p);
  if (ext->len > 0)
    g_string_append_printf (uri, ";ext=%s", ext->str);

  return g_string_free (g_steal_pointer (&uri), FALSE);
}

static gboolean
is_particle (const char *word)
{
  static const char * const particles[] = {
    "da", "das", "de", "del", "della", "der", "di", "do", "dos", "du", "la", "le", "van", "von",
  };

  for (guint i = 0; i < G_N_ELEMENTS (particles); i++)
    if (g_str_equal (word, particles[i]))
      return TRUE;
  return FALSE;
}

static char *
join_words (char  **words,
            guint   from,
            guint   to)
{
  g_autoptr(GString) out = g_string_new (NULL);

  for (guint i = from; i < to; i++)
    {
      if (out->len > 0)
        g_string_append_c (out, ' ');
      g_string_append (out, words[i]);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/**
 * cbm_vcard_split_name:
 * @name: a full name
 * @language: (nullable): the person's first language, which hints at the naming custom
 * @family: (out): the family name(s)
 * @given: (out): the given name
 * @additional: (out): the middle names
 *
 * Splits a full name for the N property, as best as can be done without asking: "Family,
 * Given" is taken as written; Spanish and Portuguese names keep every word after the first as
 * surnames ("Martín Montoya Carvajal"); otherwise the last word, with any particles before it
 * ("van der Berg"), is the family name and the words between are middle names.
 */
void
cbm_vcard_split_name (const char  *name,
                      const char  *language,
                      char       **family,
                      char       **given,
                      char       **additional)
{
  g_autofree char *trimmed = g_strstrip (g_strdup (name ? name : ""));
  g_auto(GStrv) parts = NULL;
  g_autoptr(GPtrArray) words = g_ptr_array_new ();
  const char *comma = strchr (trimmed, ',');
  guint n, start;

  if (comma != NULL)
    {
      *family = g_strstrip (g_strndup (trimmed, comma - trimmed));
      *given = g_strstrip (g_strdup (comma + 1));
      *additional = g_strdup ("");
      return;
    }

  parts = g_strsplit_set (trimmed, " \t\r\n", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    if (*parts[i] != '\0')
      g_ptr_array_add (words, parts[i]);
  n = words->len;

  if (n == 0)
    {
      *family = g_strdup ("");
      *given = g_strdup ("");
      *additional = g_strdup ("");
      return;
    }
  if (n == 1)
    {
      *family = g_strdup (words->pdata[0]);
      *given = g_strdup ("");
      *additional = g_strdup ("");
      return;
    }

  if (g_strcmp0 (language, "es") == 0 || g_strcmp0 (language, "pt") == 0)
    start = 1;
  else
    {
      start = n - 1;
      while (start > 1 && is_particle (words->pdata[start - 1]))
        start--;
    }

  *given = g_strdup (words->pdata[0]);
  *additional = join_words ((char **) words->pdata, 1, start);
  *family = join_words ((char **) words->pdata, start, n);
}

static void
append_property (GString    *out,
                 const char *name,
                 const char *raw_value)
{
  g_autofree char *line = g_strconcat (name, ":", raw_value, NULL);

  cbm_text_append_folded_line (out, line);
}

static void
append_text (GString    *out,
             const char *name,
             const char *value)
{
  g_autofree char *escaped = NULL;

  if (value == NULL || *value == '\0')
    return;
  escaped = cbm_text_escape_value (value);
  append_property (out, name, escaped);
}

static gboolean
is_language_tag (const char *tag)
{
  if (tag == NULL || *tag == '\0')
    return FALSE;
  for (const char *p = tag; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '-')
      return FALSE;
  return TRUE;
}

static void
write_contact (GString    *out,
               CbmContact *contact,
               const char *country_name)
{
  const char *fn = contact->name;
  const char *language = contact->languages ? contact->languages[0] : NULL;
  const char *category = cbm_contact_category_get_label (contact->category);
  g_autofree char *family = NULL;
  g_autofree char *given = NULL;
  g_autofree char *additional = NULL;
  g_autofree char *n = NULL;
  g_autofree char *org = NULL;
  g_autofree char *uid = NULL;
  g_autoptr(GDateTime) verified = NULL;

  if (country_name == NULL)
    country_name = contact->country;

  /* FN is required; a contact without a name still has an address or an id. */
  if (fn == NULL || *fn == '\0')
    fn = contact->email && *contact->email ? contact->email : contact->id;

  cbm_text_append_folded_line (out, "BEGIN:VCARD");
  cbm_text_append_folded_line (out, "VERSION:4.0");
  cbm_text_append_folded_line (out, "PRODID:-//CBM Desk//CBM Desk " PACKAGE_VERSION "//EN");
  cbm_text_append_folded_line (out, "KIND:individual");
  append_text (out, "FN", fn);

  cbm_vcard_split_name (contact->name, language, &family, &given, &additional);
  {
    g_autofree char *f = cbm_text_escape_value (family);
    g_autofree char *g = cbm_text_escape_value (given);
    g_autofree char *a = cbm_text_escape_value (additional);

    n = g_strdup_printf ("%s;%s;%s;;", f, g, a);
    append_property (out, "N", n);
  }

  append_text (out, "ORG", contact->institution);
  append_text (out, "TITLE", contact->position);

  if (contact->email != NULL && *contact->email != '\0')
    append_text (out, "EMAIL;TYPE=work", contact->email);

  if (contact->phone != NULL && *contact->phone != '\0')
    {
      g_autofree char *tel = cbm_vcard_tel_uri (contact->phone);

      if (tel != NULL)
        append_property (out, "TEL;VALUE=uri;TYPE=work,voice", tel);
      else
        append_text (out, "TEL;VALUE=text;TYPE=work,voice", contact->phone);
    }

  for (guint i = 0, pref = 1; contact->languages != NULL && contact->languages[i] != NULL; i++)
    if (is_language_tag (contact->languages[i]))
      {
        g_autofree char *prop = g_strdup_printf ("LANG;PREF=%u", pref++);
        append_property (out, prop, contact->languages[i]);
      }

  append_text (out, "CATEGORIES", category);

  {
    /* Translators: the note of an exported vCard; the first %s is a country, the second a
     * contact category such as "Political level". */
    g_autofree char *note = g_strdup_printf (_("Point of contact of %s for the OAS cyber "
                                               "confidence-building measures. Category: %s."),
                                             country_name ? country_name : "", category);
    append_text (out, "NOTE", note);
  }

  verified = cbm_date_parse (contact->verified);
  if (verified != NULL)
    {
      g_autofree char *rev = g_date_time_format (verified, "%Y%m%dT%H%M%SZ");
      append_property (out, "REV", rev);
    }

  if (contact->id != NULL && *contact->id != '\0')
    {
      uid = cbm_vcard_uid_for_id (contact->id);
      append_property (out, "UID", uid);
    }

  cbm_text_append_folded_line (out, "END:VCARD");
}

/**
 * cbm_vcard_from_contact:
 * @contact: a point of contact
 * @country_name: (nullable): the name of its country, or %NULL to write its code
 *
 * Returns: one vCard 4.0 (RFC 6350), UTF-8 with CRLF line endings
 */
char *
cbm_vcard_from_contact (CbmContact *contact,
                        const char *country_name)
{
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (CBM_IS_CONTACT (contact), NULL);

  write_contact (out, contact, country_name);
  return g_string_free (out, FALSE);
}

/**
 * cbm_vcard_from_contacts:
 * @contacts: a model of #CbmContact
 * @country_name_func: (nullable): gives a country's name from its code
 * @user_data: for @country_name_func
 *
 * Returns: the vCards of every contact of @contacts, one after the other
 */
char *
cbm_vcard_from_contacts (GListModel              *contacts,
                         CbmVCardCountryNameFunc  country_name_func,
                         gpointer                 user_data)
{
  GString *out = g_string_new (NULL);
  guint n;

  g_return_val_if_fail (G_IS_LIST_MODEL (contacts), NULL);

  n = g_list_model_get_n_items (contacts);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CbmContact) contact = g_list_model_get_item (contacts, i);
      const char *country_name = NULL;

      if (country_name_func != NULL && contact->country != NULL)
        country_name = country_name_func (contact->country, user_data);
      write_contact (out, contact, country_name);
    }
  return g_string_free (out, FALSE);
}
