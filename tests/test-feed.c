/* test-feed.c
 *
 * Copyright 2026 The CBM Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <json-glib/json-glib.h>
#include <string.h>

#include "cbm-feed.h"

#define SHA_A "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
#define SHA_B "FEDCBA9876543210FEDCBA9876543210FEDCBA9876543210FEDCBA9876543210"
#define SHA_C "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"

#define INDEX_FILE "v1/index.json"
#define COUNTRY_FILE "countries/AR.json"
#define EVENTS_FILE "events.json"

static const char valid_index[] =
  "{"
  "  \"format\": 1,"
  "  \"publisher\": \"Technical Secretariat\","
  "  \"generated\": \"2026-11-20T12:00:00Z\","
  "  \"countries\": ["
  "    {\"code\": \"AR\", \"href\": \"countries/AR.json\", \"sha256\": \"" SHA_A "\","
  "     \"updated\": \"2026-10-01T09:00:00Z\"},"
  "    {\"code\": \"CL\", \"href\": \"countries/CL.json\", \"sha256\": \"" SHA_B "\"}"
  "  ],"
  "  \"events\": {\"href\": \"events.json\", \"sha256\": \"" SHA_B "\","
  "             \"updated\": \"2026-11-01T00:00:00Z\"},"
  "  \"registrations\": {\"href\": \"registrations\"}"
  "}";

static const char valid_country[] =
  "{"
  "  \"code\": \"AR\","
  "  \"names\": {\"es\": \"Argentina\", \"en\": \"Argentina\", \"fr\": \"Argentine\", \"pt\": \"Argentina\"},"
  "  \"updated\": \"2026-10-01T09:00:00Z\","
  "  \"documents\": ["
  "    {\"id\": \"ar-ncs-2019\", \"kind\": \"strategy\", \"status\": \"adopted\","
  "     \"title\": \"Estrategia Nacional de Ciberseguridad\", \"language\": \"es\","
  "     \"issuer\": \"Jefatura de Gabinete\", \"date\": \"2019-05-28\","
  "     \"summary\": {\"en\": \"The national cybersecurity strategy.\"},"
  "     \"href\": \"../documents/ar-ncs-2019.pdf\", \"sha256\": \"" SHA_B "\", \"bytes\": 482113},"
  "    {\"id\": \"ar-law-27411\", \"kind\": \"law\", \"status\": \"draft\","
  "     \"title\": \"Ley 27.411\","
  "     \"href\": \"../documents/ar-law-27411.pdf\", \"sha256\": \"" SHA_A "\", \"bytes\": 0}"
  "  ],"
  "  \"contacts\": ["
  "    {\"id\": \"ar-pol-1\", \"category\": \"political\", \"name\": \"Ana Pérez\","
  "     \"position\": \"Directora\", \"institution\": \"Dirección Nacional de Ciberseguridad\","
  "     \"email\": \"ana@example.org\", \"phone\": \"+54 11 5555 0000\","
  "     \"languages\": [\"es\", \"en\"], \"verified\": \"2026-09-01\"},"
  "    {\"id\": \"ar-mfa-1\", \"category\": \"foreign-affairs\", \"name\": \"Juan Gómez\"}"
  "  ],"
  "  \"cbms\": {"
  "    \"1\": {\"status\": \"yes\", \"evidence\": [\"ar-ncs-2019\"], \"updated\": \"2026-10-01\"},"
  "    \"2\": {\"status\": \"partial\"},"
  "    \"3\": {\"status\": \"no\", \"evidence\": []}"
  "  }"
  "}";

static const char valid_events[] =
  "{"
  "  \"events\": ["
  "    {\"id\": \"unidir-crisis-2022\", \"title\": {\"en\": \"Crisis management\"},"
  "     \"description\": {\"en\": \"A tabletop exercise.\"}, \"organizer\": \"UNIDIR and OAS\","
  "     \"starts\": \"2022-02-15T10:00:00-05:00\", \"ends\": \"2022-02-16T00:00:00-05:00\","
  "     \"timezone\": \"America/New_York\", \"modality\": \"online\", \"venue\": null,"
  "     \"eligibility\": \"government\","
  "     \"audience\": {\"en\": \"Limited to government representatives.\"},"
  "     \"registration\": {\"deadline\": \"2022-02-14T23:59:59-05:00\", \"capacity\": 60}},"
  "    {\"id\": \"oas-course-2026\", \"title\": {\"es\": \"Curso\"},"
  "     \"starts\": \"2026-03-01T09:00:00Z\", \"modality\": \"in-person\","
  "     \"venue\": \"Washington, D.C.\", \"eligibility\": \"open\"}"
  "  ]"
  "}";

typedef enum {
  KIND_INDEX,
  KIND_COUNTRY,
  KIND_EVENTS,
} Kind;

static const char *
file_for (Kind kind)
{
  switch (kind)
    {
    case KIND_INDEX:
      return INDEX_FILE;
    case KIND_COUNTRY:
      return COUNTRY_FILE;
    case KIND_EVENTS:
    default:
      return EVENTS_FILE;
    }
}

static const char *
valid_for (Kind kind)
{
  switch (kind)
    {
    case KIND_INDEX:
      return valid_index;
    case KIND_COUNTRY:
      return valid_country;
    case KIND_EVENTS:
    default:
      return valid_events;
    }
}

/* Parses @data as a file of @kind; frees what came out and says whether anything did. */
static gboolean
parse_and_free (Kind          kind,
                const char   *data,
                gsize         length,
                GError      **error)
{
  g_autoptr(GBytes) bytes = g_bytes_new (data, length);

  switch (kind)
    {
    case KIND_INDEX:
      {
        g_autoptr(CbmFeedIndex) index = cbm_feed_parse_index (INDEX_FILE, bytes, error);
        return index != NULL;
      }
    case KIND_COUNTRY:
      {
        g_autoptr(CbmCountry) country = cbm_feed_parse_country (COUNTRY_FILE, bytes, error);
        return country != NULL;
      }
    case KIND_EVENTS:
    default:
      {
        g_autoptr(GPtrArray) events = cbm_feed_parse_events (EVENTS_FILE, bytes, error);
        return events != NULL;
      }
    }
}

static CbmCountry *
parse_country (const char  *json,
               GError     **error)
{
  g_autoptr(GBytes) bytes = g_bytes_new (json, strlen (json));

  return cbm_feed_parse_country (COUNTRY_FILE, bytes, error);
}

static GPtrArray *
parse_events (const char  *json,
              GError     **error)
{
  g_autoptr(GBytes) bytes = g_bytes_new (json, strlen (json));

  return cbm_feed_parse_events (EVENTS_FILE, bytes, error);
}

static CbmFeedIndex *
parse_index (const char  *json,
             GError     **error)
{
  g_autoptr(GBytes) bytes = g_bytes_new (json, strlen (json));

  return cbm_feed_parse_index (INDEX_FILE, bytes, error);
}

/* Editing a document at a path written as the reader reports it: "$.documents[0].sha256". */

static JsonNode *
parse_json (const char *json)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, json, -1, &error);
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

/* Splits "$.a[1].b" into ".a", "[1]", ".b". */
static GPtrArray *
split_path (const char *path)
{
  GPtrArray *tokens = g_ptr_array_new_with_free_func (g_free);
  const char *p;

  g_assert_true (path[0] == '$');
  p = path + 1;
  while (*p != '\0')
    {
      const char *end = p + 1;

      g_assert_true (*p == '.' || *p == '[');
      while (*end != '\0' && *end != '.' && *end != '[')
        end++;
      g_ptr_array_add (tokens, g_strndup (p, end - p));
      p = end;
    }
  return tokens;
}

static JsonNode *
child_node (JsonNode   *node,
            const char *token)
{
  JsonNode *child;

  if (token[0] == '.')
    child = json_object_get_member (json_node_get_object (node), token + 1);
  else
    child = json_array_get_element (json_node_get_array (node), atoi (token + 1));
  g_assert_nonnull (child);
  return child;
}

/* Replaces the node at @path with @replacement (JSON text), or removes it when that is NULL.
 * An array element is replaced by rebuilding its array, which must be an object's member. */
static char *
edit_json (const char *json,
           const char *path,
           const char *replacement)
{
  g_autoptr(JsonNode) root = parse_json (json);
  g_autoptr(GPtrArray) tokens = split_path (path);
  g_autoptr(JsonNode) value = replacement ? parse_json (replacement) : NULL;
  JsonNode *node = root;
  const char *last;

  g_assert_cmpuint (tokens->len, >, 0);
  last = g_ptr_array_index (tokens, tokens->len - 1);

  if (last[0] == '.')
    {
      for (guint i = 0; i + 1 < tokens->len; i++)
        node = child_node (node, g_ptr_array_index (tokens, i));
      if (value == NULL)
        {
          g_assert_true (json_object_has_member (json_node_get_object (node), last + 1));
          json_object_remove_member (json_node_get_object (node), last + 1);
        }
      else
        json_object_set_member (json_node_get_object (node), last + 1, g_steal_pointer (&value));
    }
  else
    {
      const char *array_name;
      JsonArray *old_array, *new_array;
      guint target = atoi (last + 1);
      JsonNode *array_node;

      g_assert_cmpuint (tokens->len, >=, 2);
      array_name = g_ptr_array_index (tokens, tokens->len - 2);
      g_assert_true (array_name[0] == '.');
      for (guint i = 0; i + 2 < tokens->len; i++)
        node = child_node (node, g_ptr_array_index (tokens, i));

      old_array = json_object_get_array_member (json_node_get_object (node), array_name + 1);
      g_assert_cmpuint (target, <, json_array_get_length (old_array));
      new_array = json_array_new ();
      for (guint i = 0; i < json_array_get_length (old_array); i++)
        {
          if (i != target)
            json_array_add_element (new_array, json_node_copy (json_array_get_element (old_array, i)));
          else if (value != NULL)
            json_array_add_element (new_array, g_steal_pointer (&value));
        }
      array_node = json_node_new (JSON_NODE_ARRAY);
      json_node_take_array (array_node, new_array);
      json_object_set_member (json_node_get_object (node), array_name + 1, array_node);
    }

  return json_to_string (root, FALSE);
}

static void
assert_error_at (const GError *error,
                 int           code,
                 const char   *file,
                 const char   *path)
{
  g_autofree char *prefix = g_strdup_printf ("%s: %s: ", file, path);

  g_assert_nonnull (error);
  if (error->domain != CBM_FEED_ERROR || error->code != code)
    g_error ("at %s: expected feed error %d, got %s %d: %s", path, code,
             g_quark_to_string (error->domain), error->code, error->message);
  if (!g_str_has_prefix (error->message, prefix))
    g_error ("expected an error starting “%s”, got “%s”", prefix, error->message);
  /* The problem itself follows the path. */
  g_assert_cmpuint (strlen (error->message), >, strlen (prefix));
}

/* Edits the valid document of @kind at @path and expects it rejected at @error_path (or
 * @path when that is NULL). */
static void
expect_invalid (Kind        kind,
                const char *path,
                const char *replacement,
                const char *error_path)
{
  g_autofree char *json = edit_json (valid_for (kind), path, replacement);
  g_autoptr(GError) error = NULL;

  if (parse_and_free (kind, json, strlen (json), &error))
    g_error ("%s with %s = %s was accepted", file_for (kind), path, replacement ? replacement : "(removed)");
  assert_error_at (error, CBM_FEED_ERROR_INVALID, file_for (kind), error_path ? error_path : path);
}

static void
expect_valid (Kind        kind,
              const char *path,
              const char *replacement)
{
  g_autofree char *json = edit_json (valid_for (kind), path, replacement);
  g_autoptr(GError) error = NULL;

  if (!parse_and_free (kind, json, strlen (json), &error))
    g_error ("%s with %s = %s was rejected: %s", file_for (kind), path,
             replacement ? replacement : "(removed)", error->message);
}

static void
expect_failure (Kind        kind,
                const char *data,
                gsize       length,
                int         code)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *prefix = g_strdup_printf ("%s: ", file_for (kind));

  g_assert_false (parse_and_free (kind, data, length, &error));
  g_assert_error (error, CBM_FEED_ERROR, code);
  g_assert_true (g_str_has_prefix (error->message, prefix));
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
}

/* Identifiers. */

static void
test_identifiers (void)
{
  g_autofree char *id_128 = g_strnfill (128, 'a');
  g_autofree char *id_129 = g_strnfill (129, 'a');

  g_assert_true (cbm_feed_is_valid_id ("ar-ncs-2019"));
  g_assert_true (cbm_feed_is_valid_id ("0"));
  g_assert_true (cbm_feed_is_valid_id ("a.b_c-d"));
  g_assert_true (cbm_feed_is_valid_id (id_128));
  g_assert_false (cbm_feed_is_valid_id (id_129));
  g_assert_false (cbm_feed_is_valid_id ("AR-ncs"));
  g_assert_false (cbm_feed_is_valid_id (".hidden"));
  g_assert_false (cbm_feed_is_valid_id ("-x"));
  g_assert_false (cbm_feed_is_valid_id ("_x"));
  g_assert_false (cbm_feed_is_valid_id ("a b"));
  g_assert_false (cbm_feed_is_valid_id ("a/b"));
  g_assert_false (cbm_feed_is_valid_id ("né"));
  g_assert_false (cbm_feed_is_valid_id (""));
  g_assert_false (cbm_feed_is_valid_id (NULL));

  g_assert_true (cbm_feed_is_valid_code ("AR"));
  g_assert_false (cbm_feed_is_valid_code ("ar"));
  g_assert_false (cbm_feed_is_valid_code ("ARG"));
  g_assert_false (cbm_feed_is_valid_code ("A"));
  g_assert_false (cbm_feed_is_valid_code ("A1"));
  g_assert_false (cbm_feed_is_valid_code ("É"));
  g_assert_false (cbm_feed_is_valid_code (NULL));

  g_assert_true (cbm_feed_is_valid_sha256 (SHA_A));
  g_assert_true (cbm_feed_is_valid_sha256 (SHA_B));
  g_assert_false (cbm_feed_is_valid_sha256 (SHA_A "0"));
  g_assert_false (cbm_feed_is_valid_sha256 ("0123456789abcdef"));
  g_assert_false (cbm_feed_is_valid_sha256 ("g123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"));
  g_assert_false (cbm_feed_is_valid_sha256 (""));
  g_assert_false (cbm_feed_is_valid_sha256 (NULL));
}

/* The index. */

static void
test_index_valid (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CbmFeedIndex) index = parse_index (valid_index, &error);
  g_autoptr(CbmFeedIndex) minimal = NULL;
  CbmFeedEntry *entry;

  g_assert_no_error (error);
  g_assert_nonnull (index);
  g_assert_cmpint (index->format, ==, 1);
  g_assert_cmpstr (index->publisher, ==, "Technical Secretariat");
  g_assert_cmpstr (index->generated, ==, "2026-11-20T12:00:00Z");
  g_assert_cmpuint (index->countries->len, ==, 2);

  entry = g_ptr_array_index (index->countries, 0);
  g_assert_cmpstr (entry->code, ==, "AR");
  g_assert_cmpstr (entry->href, ==, "countries/AR.json");
  g_assert_cmpstr (entry->sha256, ==, SHA_A);
  g_assert_cmpstr (entry->updated, ==, "2026-10-01T09:00:00Z");

  /* Digests are kept in lowercase, whatever the feed wrote. */
  entry = g_ptr_array_index (index->countries, 1);
  g_assert_cmpstr (entry->code, ==, "CL");
  g_assert_cmpstr (entry->sha256, ==, "fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210");
  g_assert_null (entry->updated);

  g_assert_nonnull (index->events);
  g_assert_null (index->events->code);
  g_assert_cmpstr (index->events->href, ==, "events.json");
  g_assert_cmpstr (index->events->sha256, ==, "fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210");
  g_assert_cmpstr (index->events->updated, ==, "2026-11-01T00:00:00Z");
  g_assert_cmpstr (index->registrations, ==, "registrations");

  minimal = parse_index ("{\"format\": 1, \"countries\": []}", &error);
  g_assert_no_error (error);
  g_assert_nonnull (minimal);
  g_assert_cmpuint (minimal->countries->len, ==, 0);
  g_assert_null (minimal->events);
  g_assert_null (minimal->registrations);
  g_assert_null (minimal->publisher);
}

static void
test_index_missing (void)
{
  const char *required[] = {
    "$.format",
    "$.countries",
    "$.countries[0].code",
    "$.countries[0].href",
    "$.countries[0].sha256",
    "$.countries[1].sha256",
    "$.events.href",
    "$.events.sha256",
    "$.registrations.href",
  };

  for (guint i = 0; i < G_N_ELEMENTS (required); i++)
    {
      expect_invalid (KIND_INDEX, required[i], NULL, NULL);
      /* A null counts as missing. */
      expect_invalid (KIND_INDEX, required[i], "null", NULL);
    }

  /* Optional fields may go. */
  expect_valid (KIND_INDEX, "$.publisher", NULL);
  expect_valid (KIND_INDEX, "$.generated", NULL);
  expect_valid (KIND_INDEX, "$.countries[0].updated", NULL);
  expect_valid (KIND_INDEX, "$.events", NULL);
  expect_valid (KIND_INDEX, "$.events.updated", NULL);
  expect_valid (KIND_INDEX, "$.registrations", NULL);
  expect_valid (KIND_INDEX, "$.events", "null");
}

static void
test_index_types (void)
{
  expect_invalid (KIND_INDEX, "$.format", "\"1\"", NULL);
  expect_invalid (KIND_INDEX, "$.format", "1.0", NULL);
  expect_invalid (KIND_INDEX, "$.format", "-1", NULL);
  expect_invalid (KIND_INDEX, "$.format", "true", NULL);
  expect_invalid (KIND_INDEX, "$.publisher", "5", NULL);
  expect_invalid (KIND_INDEX, "$.countries", "{}", NULL);
  expect_invalid (KIND_INDEX, "$.countries", "\"AR\"", NULL);
  expect_invalid (KIND_INDEX, "$.countries[0]", "\"AR\"", NULL);
  expect_invalid (KIND_INDEX, "$.countries[0]", "[]", NULL);
  expect_invalid (KIND_INDEX, "$.countries[0].code", "5", NULL);
  expect_invalid (KIND_INDEX, "$.countries[0].href", "[\"countries/AR.json\"]", NULL);
  expect_invalid (KIND_INDEX, "$.countries[0].sha256", "{}", NULL);
  expect_invalid (KIND_INDEX, "$.events", "\"events.json\"", NULL);
  expect_invalid (KIND_INDEX, "$.events", "[]", NULL);
  expect_invalid (KIND_INDEX, "$.events.href", "false", NULL);
  expect_invalid (KIND_INDEX, "$.registrations", "[]", NULL);
  expect_invalid (KIND_INDEX, "$.registrations.href", "1", NULL);

  /* Bad values of the right type. */
  expect_invalid (KIND_INDEX, "$.countries[0].code", "\"ar\"", NULL);
  expect_invalid (KIND_INDEX, "$.countries[0].code", "\"ARG\"", NULL);
  expect_invalid (KIND_INDEX, "$.countries[0].code", "\"\"", NULL);
  expect_invalid (KIND_INDEX, "$.countries[0].sha256",
                  "\"g123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\"", NULL);
  expect_invalid (KIND_INDEX, "$.countries[0].sha256", "\"" SHA_A "0\"", NULL);
  expect_invalid (KIND_INDEX, "$.countries[0].sha256", "\"0123456789abcdef\"", NULL);
  expect_invalid (KIND_INDEX, "$.events.sha256", "\"xyz\"", NULL);
  expect_invalid (KIND_INDEX, "$.generated", "\"2026-11-20T12:00:00\"", NULL);
  expect_invalid (KIND_INDEX, "$.generated", "\"2026-11-20\"", NULL);
  expect_invalid (KIND_INDEX, "$.countries[0].updated", "\"yesterday\"", NULL);
  expect_invalid (KIND_INDEX, "$.events.updated", "\"2026-02-29T00:00:00Z\"", NULL);
}

static void
test_index_duplicate (void)
{
  expect_invalid (KIND_INDEX, "$.countries[1].code", "\"AR\"", "$.countries[1]");
}

static void
test_index_format (void)
{
  g_autofree char *format_2 = edit_json (valid_index, "$.format", "2");
  g_autofree char *format_0 = edit_json (valid_index, "$.format", "0");
  /* A future format may change anything else, too: the format is checked first. */
  g_autofree char *future = g_strdup ("{\"format\": 2, \"countries\": \"elsewhere\"}");

  expect_failure (KIND_INDEX, format_2, strlen (format_2), CBM_FEED_ERROR_UNSUPPORTED);
  expect_failure (KIND_INDEX, format_0, strlen (format_0), CBM_FEED_ERROR_UNSUPPORTED);
  expect_failure (KIND_INDEX, future, strlen (future), CBM_FEED_ERROR_UNSUPPORTED);
}

static void
test_index_unknown_fields (void)
{
  expect_valid (KIND_INDEX, "$.mirror", "{\"href\": \"https://example.org\", \"nested\": [[{\"a\": 1}]]}");
  expect_valid (KIND_INDEX, "$.countries[0].flag", "\"🇦🇷\"");
  expect_valid (KIND_INDEX, "$.events.extra", "[1, 2, 3]");
  expect_valid (KIND_INDEX, "$.registrations.methods", "[\"POST\"]");
}

/* A country. */

static void
test_country_valid (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CbmCountry) country = parse_country (valid_country, &error);
  g_autoptr(CbmDocument) strategy = NULL;
  g_autoptr(CbmDocument) law = NULL;
  g_autoptr(CbmContact) political = NULL;
  g_autoptr(CbmContact) foreign = NULL;
  CbmMeasure *measure;
  const char *summary;

  g_assert_no_error (error);
  g_assert_nonnull (country);
  g_assert_cmpstr (country->code, ==, "AR");
  g_assert_cmpstr (cbm_country_get_name (country, "fr"), ==, "Argentine");
  g_assert_cmpstr (cbm_country_get_name (country, "de"), ==, "Argentina");
  g_assert_cmpstr (country->updated, ==, "2026-10-01T09:00:00Z");
  g_assert_true (cbm_text_matches (country->search_key, "argentine"));
  g_assert_true (cbm_text_matches (country->search_key, "ar"));

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (country->documents)), ==, 2);
  strategy = g_list_model_get_item (G_LIST_MODEL (country->documents), 0);
  g_assert_cmpstr (strategy->id, ==, "ar-ncs-2019");
  g_assert_cmpstr (strategy->country, ==, "AR");
  g_assert_cmpint (strategy->kind, ==, CBM_DOCUMENT_KIND_STRATEGY);
  g_assert_cmpint (strategy->status, ==, CBM_DOCUMENT_STATUS_ADOPTED);
  g_assert_cmpstr (strategy->title, ==, "Estrategia Nacional de Ciberseguridad");
  g_assert_cmpstr (strategy->language, ==, "es");
  g_assert_cmpstr (strategy->issuer, ==, "Jefatura de Gabinete");
  g_assert_cmpstr (strategy->date, ==, "2019-05-28");
  g_assert_cmpstr (strategy->href, ==, "../documents/ar-ncs-2019.pdf");
  g_assert_cmpstr (strategy->sha256, ==, "fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210");
  g_assert_cmpuint (strategy->bytes, ==, 482113);
  g_assert_null (strategy->local_path);
  g_assert_true (g_variant_lookup (strategy->summary, "en", "&s", &summary));
  g_assert_cmpstr (summary, ==, "The national cybersecurity strategy.");

  law = g_list_model_get_item (G_LIST_MODEL (country->documents), 1);
  g_assert_cmpint (law->kind, ==, CBM_DOCUMENT_KIND_LAW);
  g_assert_cmpint (law->status, ==, CBM_DOCUMENT_STATUS_DRAFT);
  g_assert_cmpuint (law->bytes, ==, 0);
  g_assert_null (law->summary);
  g_assert_null (law->date);
  g_assert_null (law->language);

  g_assert_true (cbm_country_find_document (country, "ar-law-27411") == law);
  g_assert_null (cbm_country_find_document (country, "cl-law-1"));
  g_assert_true (cbm_country_has_document_kind (country, CBM_DOCUMENT_KIND_STRATEGY));
  g_assert_true (cbm_country_has_document_kind (country, CBM_DOCUMENT_KIND_LAW));
  g_assert_false (cbm_country_has_document_kind (country, CBM_DOCUMENT_KIND_POLICY));

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (country->contacts)), ==, 2);
  political = g_list_model_get_item (G_LIST_MODEL (country->contacts), 0);
  g_assert_cmpstr (political->id, ==, "ar-pol-1");
  g_assert_cmpstr (political->country, ==, "AR");
  g_assert_cmpint (political->category, ==, CBM_CONTACT_CATEGORY_POLITICAL);
  g_assert_cmpstr (political->name, ==, "Ana Pérez");
  g_assert_cmpstr (political->position, ==, "Directora");
  g_assert_cmpstr (political->email, ==, "ana@example.org");
  g_assert_cmpstr (political->phone, ==, "+54 11 5555 0000");
  g_assert_cmpuint (g_strv_length (political->languages), ==, 2);
  g_assert_cmpstr (political->languages[1], ==, "en");
  g_assert_cmpstr (political->verified, ==, "2026-09-01");
  g_assert_true (cbm_text_matches (political->search_key, "perez direccion"));

  foreign = g_list_model_get_item (G_LIST_MODEL (country->contacts), 1);
  g_assert_cmpint (foreign->category, ==, CBM_CONTACT_CATEGORY_FOREIGN_AFFAIRS);
  g_assert_nonnull (foreign->languages);
  g_assert_cmpuint (g_strv_length (foreign->languages), ==, 0);
  g_assert_null (foreign->verified);
  g_assert_null (foreign->email);

  measure = cbm_country_get_measure (country, 1);
  g_assert_cmpint (measure->status, ==, CBM_MEASURE_STATUS_YES);
  g_assert_cmpuint (measure->number, ==, 1);
  g_assert_cmpstr (measure->country, ==, "AR");
  g_assert_cmpuint (g_strv_length (measure->evidence), ==, 1);
  g_assert_cmpstr (measure->evidence[0], ==, "ar-ncs-2019");
  g_assert_cmpstr (measure->updated, ==, "2026-10-01");
  g_assert_cmpint (cbm_country_get_measure_status (country, 2), ==, CBM_MEASURE_STATUS_PARTIAL);
  g_assert_cmpint (cbm_country_get_measure_status (country, 3), ==, CBM_MEASURE_STATUS_NO);
  for (guint i = 4; i <= CBM_N_MEASURES; i++)
    g_assert_cmpint (cbm_country_get_measure_status (country, i), ==, CBM_MEASURE_STATUS_UNKNOWN);
  g_assert_cmpuint (cbm_country_get_coverage (country), ==, 1);
}

static void
test_country_minimal (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CbmCountry) country = parse_country ("{\"code\": \"UY\", \"names\": {}}", &error);

  g_assert_no_error (error);
  g_assert_cmpstr (country->code, ==, "UY");
  /* With no name, the code stands in. */
  g_assert_cmpstr (cbm_country_get_name (country, "es"), ==, "UY");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (country->documents)), ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (country->contacts)), ==, 0);
  g_assert_cmpuint (cbm_country_get_coverage (country), ==, 0);
}

static void
test_country_missing (void)
{
  const char *required[] = {
    "$.code",
    "$.names",
    "$.documents[0].id",
    "$.documents[0].kind",
    "$.documents[0].status",
    "$.documents[0].title",
    "$.documents[0].href",
    "$.documents[0].sha256",
    "$.documents[0].bytes",
    "$.documents[1].sha256",
    "$.documents[1].bytes",
    "$.contacts[0].id",
    "$.contacts[0].category",
    "$.contacts[0].name",
    "$.contacts[1].name",
    "$.cbms.1.status",
    "$.cbms.3.status",
  };

  for (guint i = 0; i < G_N_ELEMENTS (required); i++)
    {
      expect_invalid (KIND_COUNTRY, required[i], NULL, NULL);
      expect_invalid (KIND_COUNTRY, required[i], "null", NULL);
    }

  {
    g_autofree char *json = edit_json (valid_country, "$.documents[0].sha256", NULL);
    g_autoptr(GError) error = NULL;
    g_autoptr(CbmCountry) country = parse_country (json, &error);

    g_assert_null (country);
    g_assert_error (error, CBM_FEED_ERROR, CBM_FEED_ERROR_INVALID);
    g_assert_true (g_str_has_prefix (error->message, "countries/AR.json: $.documents[0].sha256: "));
  }

  expect_valid (KIND_COUNTRY, "$.documents", NULL);
  expect_valid (KIND_COUNTRY, "$.contacts", NULL);
  expect_valid (KIND_COUNTRY, "$.cbms", NULL);
  expect_valid (KIND_COUNTRY, "$.updated", NULL);
  expect_valid (KIND_COUNTRY, "$.documents[0].summary", NULL);
  expect_valid (KIND_COUNTRY, "$.documents[0].date", "null");
  expect_valid (KIND_COUNTRY, "$.contacts[0].languages", NULL);
  expect_valid (KIND_COUNTRY, "$.cbms.1.evidence", NULL);
  expect_valid (KIND_COUNTRY, "$.documents", "[]");
}

static void
test_country_types (void)
{
  /* A string given something else. */
  expect_invalid (KIND_COUNTRY, "$.code", "5", NULL);
  expect_invalid (KIND_COUNTRY, "$.documents[0].title", "5", NULL);
  expect_invalid (KIND_COUNTRY, "$.documents[0].title", "true", NULL);
  expect_invalid (KIND_COUNTRY, "$.documents[0].title", "{\"en\": \"Strategy\"}", NULL);
  expect_invalid (KIND_COUNTRY, "$.documents[0].href", "[\"a.pdf\"]", NULL);
  expect_invalid (KIND_COUNTRY, "$.documents[0].kind", "1", NULL);
  expect_invalid (KIND_COUNTRY, "$.documents[0].issuer", "1.5", NULL);
  expect_invalid (KIND_COUNTRY, "$.contacts[0].email", "[]", NULL);
  expect_invalid (KIND_COUNTRY, "$.contacts[1].category", "{}", NULL);
  expect_invalid (KIND_COUNTRY, "$.cbms.2.status", "2", NULL);

  /* An array given something else. */
  expect_invalid (KIND_COUNTRY, "$.documents", "{}", NULL);
  expect_invalid (KIND_COUNTRY, "$.documents", "\"none\"", NULL);
  expect_invalid (KIND_COUNTRY, "$.contacts", "{\"0\": {}}", NULL);
  expect_invalid (KIND_COUNTRY, "$.contacts[0].languages", "\"es\"", NULL);
  expect_invalid (KIND_COUNTRY, "$.cbms.1.evidence", "\"ar-ncs-2019\"", NULL);

  /* An object given something else. */
  expect_invalid (KIND_COUNTRY, "$.documents[0]", "\"ar-ncs-2019\"", NULL);
  expect_invalid (KIND_COUNTRY, "$.contacts[1]", "[]", NULL);
  expect_invalid (KIND_COUNTRY, "$.cbms", "[]", NULL);
  expect_invalid (KIND_COUNTRY, "$.cbms.1", "\"yes\"", NULL);
  expect_invalid (KIND_COUNTRY, "$.names", "\"Argentina\"", NULL);
  expect_invalid (KIND_COUNTRY, "$.names", "[\"Argentina\"]", NULL);
  expect_invalid (KIND_COUNTRY, "$.documents[0].summary", "\"A summary\"", NULL);

  /* A language map whose value is not a string. */
  expect_invalid (KIND_COUNTRY, "$.names.en", "5", NULL);
  expect_invalid (KIND_COUNTRY, "$.names.fr", "null", NULL);
  expect_invalid (KIND_COUNTRY, "$.names.es", "{\"text\": \"Argentina\"}", NULL);
  expect_invalid (KIND_COUNTRY, "$.documents[0].summary.en", "[]", NULL);

  /* Elements of a string list. */
  expect_invalid (KIND_COUNTRY, "$.contacts[0].languages[1]", "5", NULL);
  expect_invalid (KIND_COUNTRY, "$.cbms.1.evidence[0]", "null", NULL);
  expect_invalid (KIND_COUNTRY, "$.cbms.1.evidence[0]", "\"Not An Id\"", NULL);

  /* Byte counts: whole numbers, zero or more. */
  expect_invalid (KIND_COUNTRY, "$.documents[0].bytes", "-1", NULL);
  expect_invalid (KIND_COUNTRY, "$.documents[0].bytes", "1.5", NULL);
  expect_invalid (KIND_COUNTRY, "$.documents[0].bytes", "1e3", NULL);
  expect_invalid (KIND_COUNTRY, "$.documents[0].bytes", "\"482113\"", NULL);
  expect_invalid (KIND_COUNTRY, "$.documents[0].bytes", "true", NULL);
  expect_valid (KIND_COUNTRY, "$.documents[0].bytes", "0");
  expect_valid (KIND_COUNTRY, "$.documents[0].bytes", "9007199254740993");
}

static void
test_country_ids (void)
{
  g_autofree char *long_id = g_strnfill (128, 'a');
  g_autofree char *too_long_id = g_strnfill (129, 'a');
  g_autofree char *id_128 = g_strdup_printf ("\"%s\"", long_id);
  g_autofree char *id_129 = g_strdup_printf ("\"%s\"", too_long_id);

  expect_invalid (KIND_COUNTRY, "$.documents[0].id", "\"AR-NCS-2019\"", NULL);
  expect_invalid (KIND_COUNTRY, "$.documents[0].id", "\"Ar-ncs\"", NULL);
  expect_invalid (KIND_COUNTRY, "$.documents[0].id", "\".hidden\"", NULL);
  expect_invalid (KIND_COUNTRY, "$.documents[0].id", "\"-dash\"", NULL);
  expect_invalid (KIND_COUNTRY, "$.documents[0].id", "\"../etc\"", NULL);
  expect_invalid (KIND_COUNTRY, "$.documents[0].id", "\"a b\"", NULL);
  expect_invalid (KIND_COUNTRY, "$.documents[0].id", "\"\"", NULL);
  expect_invalid (KIND_COUNTRY, "$.documents[0].id", id_129, NULL);
  expect_invalid (KIND_COUNTRY, "$.contacts[1].id", "\"AR-MFA\"", NULL);
  expect_valid (KIND_COUNTRY, "$.documents[0].id", id_128);
  expect_valid (KIND_COUNTRY, "$.documents[0].id", "\"0.a_b-c\"");

  expect_invalid (KIND_COUNTRY, "$.code", "\"ar\"", NULL);
  expect_invalid (KIND_COUNTRY, "$.code", "\"ARG\"", NULL);
  expect_invalid (KIND_COUNTRY, "$.code", "\"A\"", NULL);

  expect_invalid (KIND_COUNTRY, "$.documents[0].sha256",
                  "\"z123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\"", NULL);
  expect_invalid (KIND_COUNTRY, "$.documents[1].sha256", "\"" SHA_A "00\"", NULL);
  expect_invalid (KIND_COUNTRY, "$.documents[1].sha256", "\"0123\"", NULL);

  /* Ids are unique across documents and contacts. */
  expect_invalid (KIND_COUNTRY, "$.documents[1].id", "\"ar-ncs-2019\"", NULL);
  expect_invalid (KIND_COUNTRY, "$.contacts[1].id", "\"ar-pol-1\"", NULL);
  expect_invalid (KIND_COUNTRY, "$.contacts[0].id", "\"ar-law-27411\"", NULL);
}

static void
test_country_dates (void)
{
  expect_invalid (KIND_COUNTRY, "$.updated", "\"2026-10-01\"", NULL);
  expect_invalid (KIND_COUNTRY, "$.updated", "\"2026-10-01T09:00:00\"", NULL);
  expect_invalid (KIND_COUNTRY, "$.documents[0].date", "\"2026-02-29\"", NULL);
  expect_invalid (KIND_COUNTRY, "$.documents[0].date", "\"2019-5-28\"", NULL);
  expect_invalid (KIND_COUNTRY, "$.documents[0].date", "\"2019-05-28T00:00:00Z\"", NULL);
  expect_invalid (KIND_COUNTRY, "$.contacts[0].verified", "\"2026-1-01\"", NULL);
  expect_invalid (KIND_COUNTRY, "$.cbms.1.updated", "\"yesterday\"", NULL);
  expect_valid (KIND_COUNTRY, "$.documents[0].date", "\"2024-02-29\"");
}

static void
test_country_unknown_values (void)
{
  g_autofree char *json = NULL;
  g_autofree char *step = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CbmCountry) country = NULL;
  g_autoptr(CbmDocument) document = NULL;
  g_autoptr(CbmContact) contact = NULL;

  step = edit_json (valid_country, "$.documents[0].kind", "\"treaty\"");
  json = edit_json (step, "$.documents[0].status", "\"repealed\"");
  g_free (step);
  step = edit_json (json, "$.contacts[0].category", "\"technical\"");
  g_free (json);
  json = edit_json (step, "$.cbms.1.status", "\"maybe\"");
  g_free (step);
  step = edit_json (json, "$.documents[1].kind", "\"white-paper\"");
  g_free (json);
  json = g_steal_pointer (&step);

  country = parse_country (json, &error);
  g_assert_no_error (error);
  g_assert_nonnull (country);
  /* Nothing is dropped: the records are kept with the catch-all values. */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (country->documents)), ==, 2);
  document = g_list_model_get_item (G_LIST_MODEL (country->documents), 0);
  g_assert_cmpint (document->kind, ==, CBM_DOCUMENT_KIND_OTHER);
  g_assert_cmpint (document->status, ==, CBM_DOCUMENT_STATUS_OTHER);
  g_clear_object (&document);
  document = g_list_model_get_item (G_LIST_MODEL (country->documents), 1);
  g_assert_cmpint (document->kind, ==, CBM_DOCUMENT_KIND_WHITE_PAPER);
  contact = g_list_model_get_item (G_LIST_MODEL (country->contacts), 0);
  g_assert_cmpint (contact->category, ==, CBM_CONTACT_CATEGORY_OTHER);
  g_assert_cmpint (cbm_country_get_measure_status (country, 1), ==, CBM_MEASURE_STATUS_UNKNOWN);
  g_assert_cmpuint (cbm_country_get_coverage (country), ==, 0);

  /* The enumeration helpers agree. */
  g_assert_cmpint (cbm_document_kind_from_string ("treaty"), ==, CBM_DOCUMENT_KIND_OTHER);
  g_assert_cmpint (cbm_document_kind_from_string (NULL), ==, CBM_DOCUMENT_KIND_OTHER);
  g_assert_cmpstr (cbm_document_kind_to_string (CBM_DOCUMENT_KIND_WHITE_PAPER), ==, "white-paper");
  g_assert_cmpint (cbm_measure_status_from_string ("maybe"), ==, CBM_MEASURE_STATUS_UNKNOWN);
  g_assert_cmpint (cbm_modality_from_string ("in-person"), ==, CBM_MODALITY_IN_PERSON);
  g_assert_cmpint (cbm_eligibility_from_string ("public-officials"), ==, CBM_ELIGIBILITY_PUBLIC_OFFICIALS);
  g_assert_cmpint (cbm_contact_category_from_string ("foreign-affairs"), ==, CBM_CONTACT_CATEGORY_FOREIGN_AFFAIRS);
  g_assert_cmpint (cbm_document_status_from_string ("draft"), ==, CBM_DOCUMENT_STATUS_DRAFT);
}

static void
test_country_unknown_fields (void)
{
  g_autofree char *json = NULL;
  g_autofree char *step = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CbmCountry) country = NULL;

  step = edit_json (valid_country, "$.flag", "{\"svg\": \"...\", \"sizes\": [[1, 2], {\"x\": null}]}");
  json = edit_json (step, "$.documents[0].pages", "[{\"n\": 1, \"title\": 5}]");
  g_free (step);
  step = edit_json (json, "$.contacts[0].names", "{\"en\": 5}");
  g_free (json);
  /* A seventh measure, from a future agreement, is not ours to read. */
  json = edit_json (step, "$.cbms.7", "{\"status\": 1}");
  g_free (step);
  step = edit_json (json, "$.cbms.1.notes", "[null]");
  g_free (json);
  json = g_steal_pointer (&step);

  country = parse_country (json, &error);
  g_assert_no_error (error);
  g_assert_nonnull (country);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (country->documents)), ==, 2);
  g_assert_cmpint (cbm_country_get_measure_status (country, 1), ==, CBM_MEASURE_STATUS_YES);
}

static GString *
country_with_padding (gsize bytes)
{
  GString *json = g_string_new ("{\"code\": \"AR\", \"names\": {\"en\": \"Argentina\"}, \"padding\": \"");

  for (gsize i = 0; i < bytes; i++)
    g_string_append_c (json, 'a' + i % 26);
  g_string_append (json, "\"}");
  return json;
}

static void
test_size (void)
{
  g_autoptr(GString) huge = country_with_padding (10 * 1000 * 1000);
  g_autoptr(GString) big = country_with_padding (5 * 1000 * 1000);
  g_autoptr(GString) title = g_string_new (NULL);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CbmCountry) country = NULL;
  g_autoptr(CbmDocument) document = NULL;
  g_autofree char *json = NULL;
  g_autofree char *padding = g_strnfill (CBM_FEED_MAX_BYTES, ' ');
  const char *minimal = "{\"code\": \"AR\", \"names\": {}}";

  expect_failure (KIND_COUNTRY, huge->str, huge->len, CBM_FEED_ERROR_TOO_LARGE);
  expect_failure (KIND_INDEX, huge->str, huge->len, CBM_FEED_ERROR_TOO_LARGE);
  expect_failure (KIND_EVENTS, huge->str, huge->len, CBM_FEED_ERROR_TOO_LARGE);

  bytes = g_bytes_new (big->str, big->len);
  country = cbm_feed_parse_country (COUNTRY_FILE, bytes, &error);
  g_assert_no_error (error);
  g_assert_nonnull (country);
  g_clear_object (&country);
  g_clear_pointer (&bytes, g_bytes_unref);

  /* A 5 MB title is kept whole. */
  g_string_append_c (title, '"');
  for (gsize i = 0; i < 5 * 1000 * 1000; i++)
    g_string_append_c (title, 'A' + i % 26);
  g_string_append_c (title, '"');
  json = edit_json (valid_country, "$.documents[1].title", title->str);
  country = parse_country (json, &error);
  g_assert_no_error (error);
  document = g_list_model_get_item (G_LIST_MODEL (country->documents), 1);
  g_assert_cmpuint (strlen (document->title), ==, 5 * 1000 * 1000);

  /* The limit is on the bytes, whitespace included: exactly the limit is fine. */
  memcpy (padding, minimal, strlen (minimal));
  g_clear_object (&country);
  bytes = g_bytes_new (padding, CBM_FEED_MAX_BYTES);
  country = cbm_feed_parse_country (COUNTRY_FILE, bytes, &error);
  g_assert_no_error (error);
  g_assert_nonnull (country);
  padding = g_realloc (padding, CBM_FEED_MAX_BYTES + 1);
  padding[CBM_FEED_MAX_BYTES] = ' ';
  expect_failure (KIND_COUNTRY, padding, CBM_FEED_MAX_BYTES + 1, CBM_FEED_ERROR_TOO_LARGE);
}

static void
test_depth (void)
{
  g_autoptr(GString) deep = g_string_new (NULL);
  g_autoptr(GString) objects = g_string_new (NULL);
  g_autoptr(GString) nested = g_string_new (NULL);
  g_autofree char *json = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CbmCountry) country = NULL;

  /* json-glib 1.6 would recurse into this until the stack runs out. */
  for (guint i = 0; i < 100000; i++)
    g_string_append_c (deep, '[');
  expect_failure (KIND_COUNTRY, deep->str, deep->len, CBM_FEED_ERROR_TOO_DEEP);
  expect_failure (KIND_INDEX, deep->str, deep->len, CBM_FEED_ERROR_TOO_DEEP);
  expect_failure (KIND_EVENTS, deep->str, deep->len, CBM_FEED_ERROR_TOO_DEEP);

  for (guint i = 0; i < 100000; i++)
    g_string_append (objects, "{\"a\":");
  expect_failure (KIND_COUNTRY, objects->str, objects->len, CBM_FEED_ERROR_TOO_DEEP);

  /* 60 levels inside an unknown field are fine. */
  for (guint i = 0; i < 60; i++)
    g_string_append (nested, "[");
  for (guint i = 0; i < 60; i++)
    g_string_append (nested, "]");
  expect_valid (KIND_COUNTRY, "$.extra", nested->str);

  /* The root is one level: 63 more is the most accepted. */
  g_string_truncate (nested, 0);
  for (guint i = 0; i < CBM_FEED_MAX_DEPTH - 1; i++)
    g_string_append (nested, "[");
  for (guint i = 0; i < CBM_FEED_MAX_DEPTH - 1; i++)
    g_string_append (nested, "]");
  expect_valid (KIND_COUNTRY, "$.extra", nested->str);
  g_string_prepend_c (nested, '[');
  g_string_append_c (nested, ']');
  json = g_strdup_printf ("{\"code\": \"AR\", \"names\": {}, \"extra\": %s}", nested->str);
  expect_failure (KIND_COUNTRY, json, strlen (json), CBM_FEED_ERROR_TOO_DEEP);

  /* Brackets inside strings, escaped quotes included, are text, not nesting. */
  g_clear_pointer (&json, g_free);
  g_string_truncate (nested, 0);
  g_string_append (nested, "\"\\\"");
  for (guint i = 0; i < 1000; i++)
    g_string_append (nested, "[{");
  g_string_append (nested, "\\\\\"");
  json = edit_json (valid_country, "$.documents[0].title", nested->str);
  country = parse_country (json, &error);
  g_assert_no_error (error);
  g_assert_nonnull (country);
}

static void
test_encoding (void)
{
  const char bad_utf8[] = "{\"code\": \"AR\", \"names\": {\"en\": \"Argentin\xc3\x28\"}}";
  const char with_nul[] = "{\"code\": \"AR\", \"names\": {\"en\": \"Arg\0entina\"}}";
  const char overlong[] = "{\"code\": \"AR\", \"names\": {\"en\": \"\xc0\xaf\"}}";
  const char lone_surrogate[] = "{\"code\": \"AR\", \"names\": {\"en\": \"\\udc00x\"}}";
  const char lone_surrogate_key[] = "{\"code\": \"AR\", \"names\": {\"\\udc00\": \"x\"}}";
  const char surrogate_title[] =
    "{\"code\": \"AR\", \"names\": {}, \"documents\": [{\"id\": \"a\", \"kind\": \"law\","
    " \"status\": \"draft\", \"title\": \"\\udc00x\", \"href\": \"a.pdf\", \"sha256\": \"" SHA_A "\","
    " \"bytes\": 1}]}";
  const char surrogate_list[] =
    "{\"code\": \"AR\", \"names\": {}, \"contacts\": [{\"id\": \"a\", \"category\": \"x\","
    " \"name\": \"n\", \"languages\": [\"\\udc00x\"]}]}";
  const char good_pair[] = "{\"code\": \"AR\", \"names\": {\"en\": \"\\ud83c\\udde6\\u00e9\"}}";
  g_autoptr(GError) error = NULL;
  g_autoptr(CbmCountry) country = NULL;

  expect_failure (KIND_COUNTRY, bad_utf8, sizeof bad_utf8 - 1, CBM_FEED_ERROR_NOT_UTF8);
  expect_failure (KIND_INDEX, bad_utf8, sizeof bad_utf8 - 1, CBM_FEED_ERROR_NOT_UTF8);
  expect_failure (KIND_COUNTRY, with_nul, sizeof with_nul - 1, CBM_FEED_ERROR_NOT_UTF8);
  expect_failure (KIND_COUNTRY, overlong, sizeof overlong - 1, CBM_FEED_ERROR_NOT_UTF8);

  /* An escape that decodes to a lone surrogate is not text either (json-glib 1.6 passes it
   * on as invalid UTF-8). */
  g_assert_null (parse_country (lone_surrogate, &error));
  assert_error_at (error, CBM_FEED_ERROR_INVALID, COUNTRY_FILE, "$.names.en");
  g_clear_error (&error);
  /* json-glib itself refuses a lone surrogate in a key; its message quotes the key. */
  g_assert_null (parse_country (lone_surrogate_key, &error));
  g_assert_nonnull (error);
  g_assert_true (error->domain == CBM_FEED_ERROR);
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  g_clear_error (&error);
  g_assert_null (parse_country (surrogate_title, &error));
  assert_error_at (error, CBM_FEED_ERROR_INVALID, COUNTRY_FILE, "$.documents[0].title");
  g_clear_error (&error);
  g_assert_null (parse_country (surrogate_list, &error));
  assert_error_at (error, CBM_FEED_ERROR_INVALID, COUNTRY_FILE, "$.contacts[0].languages[0]");
  g_clear_error (&error);

  country = parse_country (good_pair, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (cbm_country_get_name (country, "en"), ==, "🇦é");
}

static void
test_malformed (void)
{
  const char *truncated[] = {
    "{\"code\": \"AR\", \"names\": {\"en\": \"Argen",
    "{\"code\": \"AR\", \"names\": {",
    "{",
    "{\"code\": \"AR\",}",
    "{\"code\" \"AR\"}",
    "nonsense",
  };
  const char *not_objects[] = { "[]", "5", "\"AR\"", "null", "true", "[{\"code\": \"AR\"}]" };

  expect_failure (KIND_COUNTRY, "", 0, CBM_FEED_ERROR_NOT_UTF8);
  expect_failure (KIND_INDEX, "", 0, CBM_FEED_ERROR_NOT_UTF8);
  expect_failure (KIND_EVENTS, "", 0, CBM_FEED_ERROR_NOT_UTF8);

  for (guint i = 0; i < G_N_ELEMENTS (truncated); i++)
    {
      expect_failure (KIND_COUNTRY, truncated[i], strlen (truncated[i]), CBM_FEED_ERROR_SYNTAX);
      expect_failure (KIND_INDEX, truncated[i], strlen (truncated[i]), CBM_FEED_ERROR_SYNTAX);
    }
  /* Every proper prefix of a valid file is rejected as a syntax error. */
  for (gsize n = 1; n < strlen (valid_events); n += 7)
    expect_failure (KIND_EVENTS, valid_events, n, CBM_FEED_ERROR_SYNTAX);

  for (guint i = 0; i < G_N_ELEMENTS (not_objects); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_false (parse_and_free (KIND_COUNTRY, not_objects[i], strlen (not_objects[i]), &error));
      assert_error_at (error, CBM_FEED_ERROR_INVALID, COUNTRY_FILE, "$");
      g_clear_error (&error);
      g_assert_false (parse_and_free (KIND_INDEX, not_objects[i], strlen (not_objects[i]), &error));
      assert_error_at (error, CBM_FEED_ERROR_INVALID, INDEX_FILE, "$");
    }
}

/* Events. */

static void
test_events_valid (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) events = parse_events (valid_events, &error);
  g_autoptr(GPtrArray) none = NULL;
  CbmEvent *event;

  g_assert_no_error (error);
  g_assert_nonnull (events);
  g_assert_cmpuint (events->len, ==, 2);

  event = g_ptr_array_index (events, 0);
  g_assert_cmpstr (event->id, ==, "unidir-crisis-2022");
  g_assert_cmpstr (cbm_text_pick (event->title, "es", NULL), ==, "Crisis management");
  g_assert_cmpstr (cbm_text_pick (event->description, "en", NULL), ==, "A tabletop exercise.");
  g_assert_cmpstr (cbm_text_pick (event->audience, "en", NULL), ==, "Limited to government representatives.");
  g_assert_cmpstr (event->organizer, ==, "UNIDIR and OAS");
  g_assert_cmpstr (event->starts, ==, "2022-02-15T10:00:00-05:00");
  g_assert_cmpstr (event->ends, ==, "2022-02-16T00:00:00-05:00");
  g_assert_cmpstr (event->timezone, ==, "America/New_York");
  g_assert_cmpint (event->modality, ==, CBM_MODALITY_ONLINE);
  g_assert_null (event->venue);
  g_assert_cmpint (event->eligibility, ==, CBM_ELIGIBILITY_GOVERNMENT);
  g_assert_true (event->has_registration);
  g_assert_cmpstr (event->deadline, ==, "2022-02-14T23:59:59-05:00");
  g_assert_cmpint (event->capacity, ==, 60);

  event = g_ptr_array_index (events, 1);
  g_assert_cmpstr (event->id, ==, "oas-course-2026");
  g_assert_cmpint (event->modality, ==, CBM_MODALITY_IN_PERSON);
  g_assert_cmpstr (event->venue, ==, "Washington, D.C.");
  g_assert_cmpint (event->eligibility, ==, CBM_ELIGIBILITY_OPEN);
  g_assert_false (event->has_registration);
  g_assert_null (event->description);
  g_assert_null (event->ends);
  g_assert_null (event->deadline);
  g_assert_cmpint (event->capacity, ==, 0);

  none = parse_events ("{\"events\": []}", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (none->len, ==, 0);
}

static void
test_events_invalid (void)
{
  const char *required[] = {
    "$.events",
    "$.events[0].id",
    "$.events[0].title",
    "$.events[0].starts",
    "$.events[0].modality",
    "$.events[1].modality",
  };

  for (guint i = 0; i < G_N_ELEMENTS (required); i++)
    {
      expect_invalid (KIND_EVENTS, required[i], NULL, NULL);
      expect_invalid (KIND_EVENTS, required[i], "null", NULL);
    }

  expect_invalid (KIND_EVENTS, "$.events", "{}", NULL);
  expect_invalid (KIND_EVENTS, "$.events[1]", "7", NULL);
  expect_invalid (KIND_EVENTS, "$.events[0].title", "\"Crisis management\"", NULL);
  expect_invalid (KIND_EVENTS, "$.events[0].title.en", "1", NULL);
  expect_invalid (KIND_EVENTS, "$.events[0].description", "[]", NULL);
  expect_invalid (KIND_EVENTS, "$.events[0].venue", "5", NULL);
  expect_invalid (KIND_EVENTS, "$.events[0].venue", "{}", NULL);
  expect_invalid (KIND_EVENTS, "$.events[0].modality", "[\"online\"]", NULL);
  expect_invalid (KIND_EVENTS, "$.events[0].starts", "\"2022-02-15T10:00:00\"", NULL);
  expect_invalid (KIND_EVENTS, "$.events[0].starts", "\"2022-02-15\"", NULL);
  expect_invalid (KIND_EVENTS, "$.events[0].ends", "\"2022-02-30T10:00:00Z\"", NULL);
  expect_invalid (KIND_EVENTS, "$.events[0].timezone", "\"Mars/Olympus_Mons\"", NULL);
  expect_invalid (KIND_EVENTS, "$.events[0].registration", "true", NULL);
  expect_invalid (KIND_EVENTS, "$.events[0].registration.capacity", "-1", NULL);
  expect_invalid (KIND_EVENTS, "$.events[0].registration.capacity", "2.5", NULL);
  expect_invalid (KIND_EVENTS, "$.events[0].registration.deadline", "\"2022-02-14\"", NULL);
  expect_invalid (KIND_EVENTS, "$.events[0].id", "\"UNIDIR\"", NULL);
  expect_invalid (KIND_EVENTS, "$.events[1].id", "\"unidir-crisis-2022\"", NULL);

  /* Optional, null or unknown. */
  expect_valid (KIND_EVENTS, "$.events[1].venue", "null");
  expect_valid (KIND_EVENTS, "$.events[0].registration", "{}");
  expect_valid (KIND_EVENTS, "$.events[0].registration", NULL);
  expect_valid (KIND_EVENTS, "$.events[0].eligibility", NULL);
  expect_valid (KIND_EVENTS, "$.events[0].stream", "{\"url\": [\"https://example.org\"]}");
  expect_valid (KIND_EVENTS, "$.calendar", "{\"nested\": {\"deeper\": [1, {}]}}");
}

static void
test_events_unknown_values (void)
{
  g_autofree char *step = edit_json (valid_events, "$.events[0].modality", "\"carrier-pigeon\"");
  g_autofree char *json = edit_json (step, "$.events[0].eligibility", "\"members\"");
  g_autofree char *no_eligibility = edit_json (valid_events, "$.events[1].eligibility", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) events = parse_events (json, &error);
  g_autoptr(GPtrArray) others = NULL;
  CbmEvent *event;

  g_assert_no_error (error);
  g_assert_cmpuint (events->len, ==, 2);
  event = g_ptr_array_index (events, 0);
  g_assert_cmpint (event->modality, ==, CBM_MODALITY_OTHER);
  g_assert_cmpint (event->eligibility, ==, CBM_ELIGIBILITY_OTHER);

  others = parse_events (no_eligibility, &error);
  g_assert_no_error (error);
  event = g_ptr_array_index (others, 1);
  g_assert_cmpint (event->eligibility, ==, CBM_ELIGIBILITY_OTHER);
}

/* Random damage to valid files: the reader answers with a result or an error, never both,
 * never neither, and never crashes. */

static const char interesting[] = "{}[]\":,\\-0123456789.eEnutlfasr \t\n\xc3\xa9\x80\xff";

static void
mutate (GRand   *rand,
        GString *data)
{
  guint n = g_rand_int_range (rand, 1, 5);

  for (guint i = 0; i < n; i++)
    {
      guint pos = data->len > 0 ? g_rand_int_range (rand, 0, data->len) : 0;

      switch (g_rand_int_range (rand, 0, 5))
        {
        case 0: /* flip a bit */
          if (data->len > 0)
            data->str[pos] ^= 1 << g_rand_int_range (rand, 0, 8);
          break;
        case 1: /* delete a run */
          if (data->len > 0)
            {
              gsize run = g_rand_int_range (rand, 1, 16);

              g_string_erase (data, pos, MIN (data->len - pos, run));
            }
          break;
        case 2: /* insert a syntax byte */
          g_string_insert_c (data, pos, interesting[g_rand_int_range (rand, 0, sizeof interesting - 1)]);
          break;
        case 3: /* insert a random byte */
          g_string_insert_c (data, pos, (char) g_rand_int_range (rand, 0, 256));
          break;
        case 4: /* duplicate a run */
        default:
          if (data->len > 0)
            {
              gsize wanted = g_rand_int_range (rand, 1, 64);
              gsize length = MIN (data->len - pos, wanted);
              g_autofree char *run = g_strndup (data->str + pos, length);

              g_string_insert_len (data, g_rand_int_range (rand, 0, data->len), run, length);
            }
          break;
        }
    }
}

static void
run_robustness (Kind  kind,
                guint iterations)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (0xCB3D + kind);
  const char *valid = valid_for (kind);
  guint accepted = 0;

  for (guint i = 0; i < iterations; i++)
    {
      g_autoptr(GString) data = g_string_new (valid);
      g_autoptr(GError) error = NULL;
      gboolean ok;

      mutate (rand, data);
      ok = parse_and_free (kind, data->str, data->len, &error);
      if (ok == (error != NULL))
        g_error ("iteration %u: result %d with error %s", i, ok, error ? error->message : "(none)");
      if (ok)
        accepted++;
      else
        {
          /* Messages reach the UI: they must be text, whatever the input was. */
          g_assert_true (error->domain == CBM_FEED_ERROR);
          if (!g_utf8_validate (error->message, -1, NULL))
            g_error ("iteration %u: the message is not UTF-8", i);
        }
    }

  /* Some damage is harmless (inside a string, say): both paths are exercised. */
  g_test_message ("%s: %u of %u damaged files accepted", file_for (kind), accepted, iterations);
  g_assert_cmpuint (accepted, >, 0);
  g_assert_cmpuint (accepted, <, iterations);
}

static void
test_robustness_country (void)
{
  run_robustness (KIND_COUNTRY, 20000);
}

static void
test_robustness_index (void)
{
  run_robustness (KIND_INDEX, 5000);
}

static void
test_robustness_events (void)
{
  run_robustness (KIND_EVENTS, 5000);
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("TZ", "UTC", TRUE);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sync/feed/identifiers", test_identifiers);
  g_test_add_func ("/sync/feed/index/valid", test_index_valid);
  g_test_add_func ("/sync/feed/index/missing", test_index_missing);
  g_test_add_func ("/sync/feed/index/types", test_index_types);
  g_test_add_func ("/sync/feed/index/duplicate", test_index_duplicate);
  g_test_add_func ("/sync/feed/index/format", test_index_format);
  g_test_add_func ("/sync/feed/index/unknown-fields", test_index_unknown_fields);
  g_test_add_func ("/sync/feed/country/valid", test_country_valid);
  g_test_add_func ("/sync/feed/country/minimal", test_country_minimal);
  g_test_add_func ("/sync/feed/country/missing", test_country_missing);
  g_test_add_func ("/sync/feed/country/types", test_country_types);
  g_test_add_func ("/sync/feed/country/ids", test_country_ids);
  g_test_add_func ("/sync/feed/country/dates", test_country_dates);
  g_test_add_func ("/sync/feed/country/unknown-values", test_country_unknown_values);
  g_test_add_func ("/sync/feed/country/unknown-fields", test_country_unknown_fields);
  g_test_add_func ("/sync/feed/size", test_size);
  g_test_add_func ("/sync/feed/depth", test_depth);
  g_test_add_func ("/sync/feed/encoding", test_encoding);
  g_test_add_func ("/sync/feed/malformed", test_malformed);
  g_test_add_func ("/sync/feed/events/valid", test_events_valid);
  g_test_add_func ("/sync/feed/events/invalid", test_events_invalid);
  g_test_add_func ("/sync/feed/events/unknown-values", test_events_unknown_values);
  g_test_add_func ("/sync/feed/robustness/country", test_robustness_country);
  g_test_add_func ("/sync/feed/robustness/index", test_robustness_index);
  g_test_add_func ("/sync/feed/robustness/events", test_robustness_events);

  return g_test_run ();
}
