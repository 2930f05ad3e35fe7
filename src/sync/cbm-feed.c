/* cbm-feed.c
 *
 * Copyright 2026 The CBM Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "cbm-feed.h"

/* The reader of the feed files (feed-protocol.md). A file that does not fit the protocol is
 * rejected as a whole with a message naming the file, the JSON path and the problem; unknown
 * fields are ignored and unknown enumeration values kept as other/unknown. */

G_DEFINE_QUARK (cbm-feed-error-quark, cbm_feed_error)

typedef struct
{
  const char  *file;
  GString     *path;
  GError     **error;
} Reader;

static gboolean G_GNUC_PRINTF (2, 3)
fail (Reader     *reader,
      const char *format,
      ...)
{
  g_autofree char *problem = NULL;
  va_list args;

  va_start (args, format);
  problem = g_strdup_vprintf (format, args);
  va_end (args);

  /* Translators: "countries/AR.json: $.documents[2].sha256: not a SHA-256 digest". */
  g_set_error (reader->error, CBM_FEED_ERROR, CBM_FEED_ERROR_INVALID, _("%s: %s: %s"),
               reader->file, reader->path->str, problem);
  return FALSE;
}

/* Path bookkeeping: push a member or an index, pop it by restoring the length. */
static gsize
push_member (Reader     *reader,
             const char *member)
{
  gsize len = reader->path->len;

  g_string_append_printf (reader->path, ".%s", member);
  return len;
}

static gsize
push_index (Reader *reader,
            guint   index)
{
  gsize len = reader->path->len;

  g_string_append_printf (reader->path, "[%u]", index);
  return len;
}

static void
pop (Reader *reader,
     gsize   len)
{
  g_string_truncate (reader->path, len);
}

gboolean
cbm_feed_is_valid_id (const char *id)
{
  gsize len;

  if (id == NULL)
    return FALSE;
  len = strlen (id);
  if (len < 1 || len > 128)
    return FALSE;
  if (!(g_ascii_islower (id[0]) || g_ascii_isdigit (id[0])))
    return FALSE;
  for (gsize i = 1; i < len; i++)
    if (!(g_ascii_islower (id[i]) || g_ascii_isdigit (id[i]) || id[i] == '.' || id[i] == '_' || id[i] == '-'))
      return FALSE;
  return TRUE;
}

gboolean
cbm_feed_is_valid_code (const char *code)
{
  return code != NULL && strlen (code) == 2 && g_ascii_isupper (code[0]) && g_ascii_isupper (code[1]);
}

gboolean
cbm_feed_is_valid_sha256 (const char *sha256)
{
  if (sha256 == NULL || strlen (sha256) != 64)
    return FALSE;
  for (guint i = 0; i < 64; i++)
    if (!g_ascii_isxdigit (sha256[i]))
      return FALSE;
  return TRUE;
}

static void
lower_in_place (char *text)
{
  for (char *p = text; *p != '\0'; p++)
    *p = g_ascii_tolower (*p);
}

/* Field readers. Each returns FALSE after setting the error; an absent optional field (or a
 * null one) leaves the output untouched. */

typedef enum {
  OPTIONAL,
  REQUIRED,
} Need;

static JsonNode *
member (Reader     *reader,
        JsonObject *object,
        const char *name,
        Need        need,
        gboolean   *ok)
{
  JsonNode *node = json_object_get_member (object, name);

  *ok = TRUE;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      if (need == REQUIRED)
        {
          gsize len = push_member (reader, name);
          *ok = fail (reader, _("the required field is missing"));
          pop (reader, len);
        }
      return NULL;
    }
  return node;
}

static gboolean
wrong_type (Reader     *reader,
            const char *name,
            const char *expected)
{
  gsize len = push_member (reader, name);

  /* Translators: %s is a JSON type such as "a string" or "an array". */
  fail (reader, _("expected %s"), expected);
  pop (reader, len);
  return FALSE;
}

/* json-glib 1.6 decodes an escaped lone surrogate ("\udc00") into bytes that are not UTF-8,
 * which GVariant, sqlite and GTK must never see. */
static gboolean
is_text (const char *value)
{
  return g_utf8_validate (value, -1, NULL);
}

static gboolean
read_string (Reader      *reader,
             JsonObject  *object,
             const char  *name,
             Need         need,
             char       **out)
{
  gboolean ok;
  JsonNode *node = member (reader, object, name, need, &ok);

  if (node == NULL)
    return ok;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return wrong_type (reader, name, _("a string"));
  if (!is_text (json_node_get_string (node)))
    return wrong_type (reader, name, _("valid Unicode text"));

  g_free (*out);
  *out = g_strdup (json_node_get_string (node));
  return TRUE;
}

typedef gboolean (*Check) (const char *value);

/* A string that must also pass @check; @problem says what it should have been. */
static gboolean
read_checked (Reader      *reader,
              JsonObject  *object,
              const char  *name,
              Need         need,
              Check        check,
              const char  *problem,
              char       **out)
{
  g_autofree char *value = NULL;

  if (!read_string (reader, object, name, need, &value))
    return FALSE;
  if (value != NULL && !check (value))
    {
      gsize len = push_member (reader, name);
      fail (reader, "%s", problem);
      pop (reader, len);
      return FALSE;
    }
  if (value != NULL)
    {
      g_free (*out);
      *out = g_steal_pointer (&value);
    }
  return TRUE;
}

static gboolean
read_integer (Reader      *reader,
              JsonObject  *object,
              const char  *name,
              Need         need,
              gint64      *out)
{
  gboolean ok;
  JsonNode *node = member (reader, object, name, need, &ok);

  if (node == NULL)
    return ok;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64 ||
      json_node_get_int (node) < 0)
    return wrong_type (reader, name, _("a whole number, zero or more"));

  *out = json_node_get_int (node);
  return TRUE;
}

static gboolean
read_object (Reader      *reader,
             JsonObject  *object,
             const char  *name,
             Need         need,
             JsonObject **out)
{
  gboolean ok;
  JsonNode *node = member (reader, object, name, need, &ok);

  *out = NULL;
  if (node == NULL)
    return ok;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return wrong_type (reader, name, _("an object"));
  *out = json_node_get_object (node);
  return TRUE;
}

static gboolean
read_array (Reader     *reader,
            JsonObject *object,
            const char *name,
            Need        need,
            JsonArray **out)
{
  gboolean ok;
  JsonNode *node = member (reader, object, name, need, &ok);

  *out = NULL;
  if (node == NULL)
    return ok;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return wrong_type (reader, name, _("an array"));
  *out = json_node_get_array (node);
  return TRUE;
}

/* A language map: an object whose values are strings. */
static gboolean
read_text_map (Reader      *reader,
               JsonObject  *object,
               const char  *name,
               Need         need,
               GVariant   **out)
{
  JsonObject *map;
  g_autoptr(GList) members = NULL;
  GVariantBuilder builder;

  if (!read_object (reader, object, name, need, &map))
    return FALSE;
  if (map == NULL)
    return TRUE;

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a{ss}"));
  members = json_object_get_members (map);
  for (GList *l = members; l != NULL; l = l->next)
    {
      JsonNode *node = json_object_get_member (map, l->data);

      if (!is_text (l->data))
        {
          wrong_type (reader, name, _("an object whose keys are valid Unicode text"));
          g_variant_builder_clear (&builder);
          return FALSE;
        }
      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING ||
          !is_text (json_node_get_string (node)))
        {
          gsize len = push_member (reader, name);
          wrong_type (reader, l->data, _("a string of valid Unicode text"));
          pop (reader, len);
          g_variant_builder_clear (&builder);
          return FALSE;
        }
      g_variant_builder_add (&builder, "{ss}", (const char *) l->data, json_node_get_string (node));
    }

  g_clear_pointer (out, g_variant_unref);
  *out = g_variant_ref_sink (g_variant_builder_end (&builder));
  return TRUE;
}

static gboolean
read_string_list (Reader      *reader,
                  JsonObject  *object,
                  const char  *name,
                  Check        check,
                  const char  *problem,
                  char      ***out)
{
  JsonArray *array;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  guint n;

  if (!read_array (reader, object, name, OPTIONAL, &array))
    return FALSE;
  if (array == NULL)
    return TRUE;

  n = json_array_get_length (array);
  for (guint i = 0; i < n; i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      gsize len = push_member (reader, name);
      gboolean good = TRUE;

      push_index (reader, i);
      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING ||
          !is_text (json_node_get_string (node)))
        good = fail (reader, _("expected %s"), _("a string of valid Unicode text"));
      else if (check != NULL && !check (json_node_get_string (node)))
        good = fail (reader, "%s", problem);
      pop (reader, len);
      if (!good)
        return FALSE;
      g_strv_builder_add (builder, json_node_get_string (node));
    }

  g_strfreev (*out);
  *out = g_strv_builder_end (builder);
  return TRUE;
}

/* Runs @read on each object of an array member, with the path kept right. */
typedef gboolean (*ReadElement) (Reader     *reader,
                                 JsonObject *object,
                                 gpointer    user_data);

static gboolean
read_each (Reader      *reader,
           JsonObject  *object,
           const char  *name,
           Need         need,
           ReadElement  read,
           gpointer     user_data)
{
  JsonArray *array;
  guint n;

  if (!read_array (reader, object, name, need, &array))
    return FALSE;
  if (array == NULL)
    return TRUE;

  n = json_array_get_length (array);
  for (guint i = 0; i < n; i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      gsize len = push_member (reader, name);
      gboolean good;

      push_index (reader, i);
      if (!JSON_NODE_HOLDS_OBJECT (node))
        good = fail (reader, _("expected %s"), _("an object"));
      else
        good = read (reader, json_node_get_object (node), user_data);
      pop (reader, len);
      if (!good)
        return FALSE;
    }
  return TRUE;
}

/* Parsing the bytes: size, UTF-8 and depth are checked before json-glib sees them. */

static gboolean
check_depth (const char *data,
             gsize       length)
{
  gboolean in_string = FALSE;
  guint depth = 0;

  for (gsize i = 0; i < length; i++)
    {
      char c = data[i];

      if (in_string)
        {
          if (c == '\\')
            i++;
          else if (c == '"')
            in_string = FALSE;
        }
      else if (c == '"')
        in_string = TRUE;
      else if (c == '[' || c == '{')
        {
          if (++depth > CBM_FEED_MAX_DEPTH)
            return FALSE;
        }
      else if ((c == ']' || c == '}') && depth > 0)
        depth--;
    }
  return TRUE;
}

static JsonObject *
parse_root (Reader      *reader,
            GBytes      *bytes,
            JsonParser **parser_out)
{
  gsize length = 0;
  const char *data = g_bytes_get_data (bytes, &length);
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) local_error = NULL;
  JsonNode *root;

  if (length > CBM_FEED_MAX_BYTES)
    {
      g_set_error (reader->error, CBM_FEED_ERROR, CBM_FEED_ERROR_TOO_LARGE,
                   _("%s: the file is larger than the limit of %u MiB"), reader->file,
                   CBM_FEED_MAX_BYTES / (1024 * 1024));
      return NULL;
    }

  if (length == 0 || !g_utf8_validate_len (data, length, NULL))
    {
      g_set_error (reader->error, CBM_FEED_ERROR, CBM_FEED_ERROR_NOT_UTF8,
                   _("%s: the file is empty or not valid UTF-8 text"), reader->file);
      return NULL;
    }

  if (!check_depth (data, length))
    {
      g_set_error (reader->error, CBM_FEED_ERROR, CBM_FEED_ERROR_TOO_DEEP,
                   _("%s: the data is nested more than %u levels deep"), reader->file,
                   CBM_FEED_MAX_DEPTH);
      return NULL;
    }

  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, data, length, &local_error))
    {
      /* json-glib quotes the input, which may hold a decoded lone surrogate. */
      g_autofree char *message = g_utf8_make_valid (local_error->message, -1);

      g_set_error (reader->error, CBM_FEED_ERROR, CBM_FEED_ERROR_SYNTAX,
                   _("%s: not valid JSON: %s"), reader->file, message);
      return NULL;
    }

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      fail (reader, _("expected %s"), _("an object"));
      return NULL;
    }

  *parser_out = g_steal_pointer (&parser);
  return json_node_get_object (root);
}

#define READER_INIT(file_name, err) { (file_name), g_string_new ("$"), (err) }

/* The index. */

static gboolean
read_entry (Reader     *reader,
            JsonObject *object,
            gpointer    user_data)
{
  GPtrArray *entries = user_data;
  CbmFeedEntry *entry = g_new0 (CbmFeedEntry, 1);

  g_ptr_array_add (entries, entry);
  if (!(read_checked (reader, object, "code", REQUIRED, cbm_feed_is_valid_code, _("not a two-letter country code"), &entry->code) &&
         read_string (reader, object, "href", REQUIRED, &entry->href) &&
         read_checked (reader, object, "sha256", REQUIRED, cbm_feed_is_valid_sha256,
                       _("not a SHA-256 digest (64 hexadecimal digits)"), &entry->sha256) &&
         read_checked (reader, object, "updated", OPTIONAL, cbm_date_time_is_valid,
                       _("not a date and time with an offset (RFC 3339)"), &entry->updated)))
    return FALSE;
  lower_in_place (entry->sha256);
  return TRUE;
}

/**
 * cbm_feed_parse_index:
 * @file_name: how to name the file in messages
 * @bytes: its content
 *
 * Returns: (transfer full): the index, or %NULL with @error set
 */
CbmFeedIndex *
cbm_feed_parse_index (const char  *file_name,
                      GBytes      *bytes,
                      GError     **error)
{
  Reader reader = READER_INIT (file_name, error);
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(CbmFeedIndex) index = g_new0 (CbmFeedIndex, 1);
  g_autoptr(GHashTable) codes = g_hash_table_new (g_str_hash, g_str_equal);
  JsonObject *root, *events, *registrations;
  gboolean ok = FALSE;

  index->countries = g_ptr_array_new_with_free_func ((GDestroyNotify) cbm_feed_entry_free);

  root = parse_root (&reader, bytes, &parser);
  if (root == NULL)
    goto out;

  if (!read_integer (&reader, root, "format", REQUIRED, &index->format))
    goto out;
  if (index->format != 1)
    {
      /* A gint64 format macro would cut the message short for gettext: print the number first. */
      g_autofree char *format = g_strdup_printf ("%" G_GINT64_FORMAT, index->format);

      g_set_error (error, CBM_FEED_ERROR, CBM_FEED_ERROR_UNSUPPORTED,
                   _("%s: the repository uses format %s, which this version of CBM Desk cannot read"),
                   file_name, format);
      goto out;
    }

  if (!read_string (&reader, root, "publisher", OPTIONAL, &index->publisher) ||
      !read_checked (&reader, root, "generated", OPTIONAL, cbm_date_time_is_valid,
                     _("not a date and time with an offset (RFC 3339)"), &index->generated) ||
      !read_each (&reader, root, "countries", REQUIRED, read_entry, index->countries) ||
      !read_object (&reader, root, "events", OPTIONAL, &events) ||
      !read_object (&reader, root, "registrations", OPTIONAL, &registrations))
    goto out;

  for (guint i = 0; i < index->countries->len; i++)
    {
      CbmFeedEntry *entry = g_ptr_array_index (index->countries, i);

      if (!g_hash_table_add (codes, entry->code))
        {
          gsize len = push_member (&reader, "countries");
          push_index (&reader, i);
          fail (&reader, _("the country %s is listed twice"), entry->code);
          pop (&reader, len);
          goto out;
        }
    }

  if (events != NULL)
    {
      gsize len = push_member (&reader, "events");

      index->events = g_new0 (CbmFeedEntry, 1);
      if (!read_string (&reader, events, "href", REQUIRED, &index->events->href) ||
          !read_checked (&reader, events, "sha256", REQUIRED, cbm_feed_is_valid_sha256,
                         _("not a SHA-256 digest (64 hexadecimal digits)"), &index->events->sha256) ||
          !read_checked (&reader, events, "updated", OPTIONAL, cbm_date_time_is_valid,
                         _("not a date and time with an offset (RFC 3339)"), &index->events->updated))
        goto out;
      lower_in_place (index->events->sha256);
      pop (&reader, len);
    }

  if (registrations != NULL)
    {
      gsize len = push_member (&reader, "registrations");

      if (!read_string (&reader, registrations, "href", REQUIRED, &index->registrations))
        goto out;
      pop (&reader, len);
    }

  ok = TRUE;

out:
  g_string_free (reader.path, TRUE);
  return ok ? g_steal_pointer (&index) : NULL;
}

/* A country. */

typedef struct
{
  CbmCountry *country;
  GHashTable *ids;
} CountryContext;

static gboolean
check_unique (Reader         *reader,
              CountryContext *context,
              const char     *id)
{
  if (!g_hash_table_add (context->ids, g_strdup (id)))
    {
      gsize len = push_member (reader, "id");
      fail (reader, _("the id “%s” is used twice"), id);
      pop (reader, len);
      return FALSE;
    }
  return TRUE;
}

static const char *
not_an_id (void)
{
  return _("not a valid id (lowercase letters, digits, “.”, “_” and “-”, at most 128)");
}

static gboolean
read_document (Reader     *reader,
               JsonObject *object,
               gpointer    user_data)
{
  CountryContext *context = user_data;
  g_autoptr(CbmDocument) document = cbm_document_new ();
  g_autofree char *kind = NULL;
  g_autofree char *status = NULL;
  gint64 bytes = 0;

  if (!read_checked (reader, object, "id", REQUIRED, cbm_feed_is_valid_id, not_an_id (), &document->id) ||
      !read_string (reader, object, "kind", REQUIRED, &kind) ||
      !read_string (reader, object, "status", REQUIRED, &status) ||
      !read_string (reader, object, "title", REQUIRED, &document->title) ||
      !read_string (reader, object, "language", OPTIONAL, &document->language) ||
      !read_string (reader, object, "issuer", OPTIONAL, &document->issuer) ||
      !read_checked (reader, object, "date", OPTIONAL, cbm_date_is_valid,
                     _("not a date (YYYY-MM-DD)"), &document->date) ||
      !read_text_map (reader, object, "summary", OPTIONAL, &document->summary) ||
      !read_string (reader, object, "href", REQUIRED, &document->href) ||
      !read_checked (reader, object, "sha256", REQUIRED, cbm_feed_is_valid_sha256,
                     _("not a SHA-256 digest (64 hexadecimal digits)"), &document->sha256) ||
      !read_integer (reader, object, "bytes", REQUIRED, &bytes) ||
      !check_unique (reader, context, document->id))
    return FALSE;

  document->kind = cbm_document_kind_from_string (kind);
  document->status = cbm_document_status_from_string (status);
  document->bytes = bytes;
  document->country = g_strdup (context->country->code);
  /* Digests are compared as text: one spelling for them all. */
  lower_in_place (document->sha256);
  g_list_store_append (context->country->documents, document);
  return TRUE;
}

static gboolean
read_contact (Reader     *reader,
              JsonObject *object,
              gpointer    user_data)
{
  CountryContext *context = user_data;
  g_autoptr(CbmContact) contact = cbm_contact_new ();
  g_autofree char *category = NULL;

  if (!read_checked (reader, object, "id", REQUIRED, cbm_feed_is_valid_id, not_an_id (), &contact->id) ||
      !read_string (reader, object, "category", REQUIRED, &category) ||
      !read_string (reader, object, "name", REQUIRED, &contact->name) ||
      !read_string (reader, object, "position", OPTIONAL, &contact->position) ||
      !read_string (reader, object, "institution", OPTIONAL, &contact->institution) ||
      !read_string (reader, object, "email", OPTIONAL, &contact->email) ||
      !read_string (reader, object, "phone", OPTIONAL, &contact->phone) ||
      !read_string_list (reader, object, "languages", NULL, NULL, &contact->languages) ||
      !read_checked (reader, object, "verified", OPTIONAL, cbm_date_is_valid,
                     _("not a date (YYYY-MM-DD)"), &contact->verified) ||
      !check_unique (reader, context, contact->id))
    return FALSE;

  if (contact->languages == NULL)
    contact->languages = g_new0 (char *, 1);
  contact->category = cbm_contact_category_from_string (category);
  contact->country = g_strdup (context->country->code);
  cbm_contact_update_key (contact);
  g_list_store_append (context->country->contacts, contact);
  return TRUE;
}

static gboolean
read_measures (Reader     *reader,
               JsonObject *cbms,
               CbmCountry *country)
{
  for (guint number = 1; number <= CBM_N_MEASURES; number++)
    {
      char key[2] = { '0' + number, '\0' };
      CbmMeasure *measure = country->measures[number - 1];
      g_autofree char *status = NULL;
      JsonObject *object;
      gsize len;
      gboolean ok;

      if (!read_object (reader, cbms, key, OPTIONAL, &object))
        return FALSE;
      if (object == NULL)
        continue;

      len = push_member (reader, key);
      ok = read_string (reader, object, "status", REQUIRED, &status) &&
           read_string_list (reader, object, "evidence", cbm_feed_is_valid_id, not_an_id (),
                             &measure->evidence) &&
           read_checked (reader, object, "updated", OPTIONAL, cbm_date_is_valid,
                         _("not a date (YYYY-MM-DD)"), &measure->updated);
      pop (reader, len);
      if (!ok)
        return FALSE;
      measure->status = cbm_measure_status_from_string (status);
    }
  return TRUE;
}

/**
 * cbm_feed_parse_country:
 * @file_name: how to name the file in messages
 * @bytes: its content
 *
 * Returns: (transfer full): the country with its documents, contacts and measures, or %NULL
 *   with @error set
 */
CbmCountry *
cbm_feed_parse_country (const char  *file_name,
                        GBytes      *bytes,
                        GError     **error)
{
  Reader reader = READER_INIT (file_name, error);
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(CbmCountry) country = NULL;
  g_autoptr(GHashTable) ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *code = NULL;
  CountryContext context;
  JsonObject *root, *cbms;
  gboolean ok = FALSE;

  root = parse_root (&reader, bytes, &parser);
  if (root == NULL)
    goto out;

  if (!read_checked (&reader, root, "code", REQUIRED, cbm_feed_is_valid_code,
                     _("not a two-letter country code"), &code))
    goto out;

  country = cbm_country_new (code);
  context.country = country;
  context.ids = ids;

  if (!read_text_map (&reader, root, "names", REQUIRED, &country->names) ||
      !read_checked (&reader, root, "updated", OPTIONAL, cbm_date_time_is_valid,
                     _("not a date and time with an offset (RFC 3339)"), &country->updated) ||
      !read_each (&reader, root, "documents", OPTIONAL, read_document, &context) ||
      !read_each (&reader, root, "contacts", OPTIONAL, read_contact, &context) ||
      !read_object (&reader, root, "cbms", OPTIONAL, &cbms))
    goto out;

  if (cbms != NULL)
    {
      gsize len = push_member (&reader, "cbms");
      ok = read_measures (&reader, cbms, country);
      pop (&reader, len);
      if (!ok)
        goto out;
    }

  cbm_country_update_key (country);
  ok = TRUE;

out:
  g_string_free (reader.path, TRUE);
  return ok ? g_steal_pointer (&country) : NULL;
}

/* Events. */

static gboolean
is_zone (const char *zone)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier (zone);

  return tz != NULL;
}

static gboolean
read_event (Reader     *reader,
            JsonObject *object,
            gpointer    user_data)
{
  GPtrArray *events = user_data;
  g_autoptr(CbmEvent) event = cbm_event_new ();
  g_autofree char *modality = NULL;
  g_autofree char *eligibility = NULL;
  JsonObject *registration;

  if (!read_checked (reader, object, "id", REQUIRED, cbm_feed_is_valid_id, not_an_id (), &event->id) ||
      !read_text_map (reader, object, "title", REQUIRED, &event->title) ||
      !read_text_map (reader, object, "description", OPTIONAL, &event->description) ||
      !read_text_map (reader, object, "audience", OPTIONAL, &event->audience) ||
      !read_string (reader, object, "organizer", OPTIONAL, &event->organizer) ||
      !read_checked (reader, object, "starts", REQUIRED, cbm_date_time_is_valid,
                     _("not a date and time with an offset (RFC 3339)"), &event->starts) ||
      !read_checked (reader, object, "ends", OPTIONAL, cbm_date_time_is_valid,
                     _("not a date and time with an offset (RFC 3339)"), &event->ends) ||
      !read_checked (reader, object, "timezone", OPTIONAL, is_zone,
                     _("not a known time zone"), &event->timezone) ||
      !read_string (reader, object, "modality", REQUIRED, &modality) ||
      !read_string (reader, object, "venue", OPTIONAL, &event->venue) ||
      !read_string (reader, object, "eligibility", OPTIONAL, &eligibility) ||
      !read_object (reader, object, "registration", OPTIONAL, &registration))
    return FALSE;

  if (registration != NULL)
    {
      gsize len = push_member (reader, "registration");
      gboolean ok = read_checked (reader, registration, "deadline", OPTIONAL, cbm_date_time_is_valid,
                                  _("not a date and time with an offset (RFC 3339)"), &event->deadline) &&
                    read_integer (reader, registration, "capacity", OPTIONAL, &event->capacity);
      pop (reader, len);
      if (!ok)
        return FALSE;
      event->has_registration = TRUE;
    }

  for (guint i = 0; i < events->len; i++)
    if (g_str_equal (((CbmEvent *) g_ptr_array_index (events, i))->id, event->id))
      {
        gsize len = push_member (reader, "id");
        fail (reader, _("the id “%s” is used twice"), event->id);
        pop (reader, len);
        return FALSE;
      }

  event->modality = cbm_modality_from_string (modality);
  event->eligibility = cbm_eligibility_from_string (eligibility);
  g_ptr_array_add (events, g_steal_pointer (&event));
  return TRUE;
}

/**
 * cbm_feed_parse_events:
 * @file_name: how to name the file in messages
 * @bytes: its content
 *
 * Returns: (transfer full) (element-type CbmEvent): the events, or %NULL with @error set
 */
GPtrArray *
cbm_feed_parse_events (const char  *file_name,
                       GBytes      *bytes,
                       GError     **error)
{
  Reader reader = READER_INIT (file_name, error);
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func (g_object_unref);
  JsonObject *root;
  gboolean ok = FALSE;

  root = parse_root (&reader, bytes, &parser);
  if (root != NULL)
    ok = read_each (&reader, root, "events", REQUIRED, read_event, events);

  g_string_free (reader.path, TRUE);
  return ok ? g_steal_pointer (&events) : NULL;
}

void
cbm_feed_entry_free (CbmFeedEntry *entry)
{
  if (entry == NULL)
    return;
  g_free (entry->code);
  g_free (entry->href);
  g_free (entry->sha256);
  g_free (entry->updated);
  g_free (entry);
}

void
cbm_feed_index_free (CbmFeedIndex *index)
{
  if (index == NULL)
    return;
  g_free (index->publisher);
  g_free (index->generated);
  g_clear_pointer (&index->countries, g_ptr_array_unref);
  cbm_feed_entry_free (index->events);
  g_free (index->registrations);
  g_free (index);
}
