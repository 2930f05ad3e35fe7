/* cbm-registrations.c
 *
 * Copyright 2026 The CBM Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "cbm-registrations.h"

/* POST /v1/registrations and GET /v1/registrations/<id>, following the
 * answer table and precedence of feed-protocol.md. Everything runs on the
 * main loop; the store is a single sqlite connection. */
struct _CbmRegistrations
{
  GObject               parent_instance;

  CbmRegistrationStore *store;
  CbmEventCatalog      *catalog;
  CbmServeFaults        faults;
  GDateTime            *now;          /* fixed clock (--now), or NULL */
  GHashTable           *in_flight;    /* idempotency keys being processed */
};

G_DEFINE_FINAL_TYPE (CbmRegistrations, cbm_registrations, G_TYPE_OBJECT)

#define MAX_BODY_BYTES      (64 * 1024)
#define MAX_JSON_DEPTH      32
#define MAX_KEY_LENGTH      255
#define MAX_TEXT_CHARS      300
#define MAX_NOTE_CHARS      4000
#define SLOW_REGISTRATION_MS 1500

/* The 35 member states of the OAS. */
static const char *oas_states[] = {
  "AG", "AR", "BB", "BO", "BR", "BS", "BZ", "CA", "CL", "CO", "CR", "CU",
  "DM", "DO", "EC", "GD", "GT", "GY", "HN", "HT", "JM", "KN", "LC", "MX",
  "NI", "PA", "PE", "PY", "SR", "SV", "TT", "US", "UY", "VC", "VE",
};

typedef struct
{
  CbmRegistrations  *self;
  SoupServerMessage *msg;
  char              *key;
  JsonObject        *body;
  char              *canonical;
} PendingPost;

static void
pending_post_free (PendingPost *pending)
{
  g_clear_object (&pending->self);
  g_clear_object (&pending->msg);
  g_clear_pointer (&pending->key, g_free);
  g_clear_pointer (&pending->body, json_object_unref);
  g_clear_pointer (&pending->canonical, g_free);
  g_free (pending);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PendingPost, pending_post_free)

static void
append_json_string (GString    *out,
                    const char *str)
{
  g_string_append_c (out, '"');
  for (const char *p = str; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;

      if (c == '"' || c == '\\')
        {
          g_string_append_c (out, '\\');
          g_string_append_c (out, c);
        }
      else if (c < 0x20)
        g_string_append_printf (out, "\\u%04x", c);
      else
        g_string_append_c (out, c);
    }
  g_string_append_c (out, '"');
}

static void
append_canonical (GString  *out,
                  JsonNode *node)
{
  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_NULL:
      g_string_append (out, "null");
      break;

    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);

        g_string_append_c (out, '[');
        for (guint i = 0; i < json_array_get_length (array); i++)
          {
            if (i > 0)
              g_string_append_c (out, ',');
            append_canonical (out, json_array_get_element (array, i));
          }
        g_string_append_c (out, ']');
      }
      break;

    case JSON_NODE_OBJECT:
      {
        JsonObject *object = json_node_get_object (node);
        GList *members = g_list_sort (json_object_get_members (object),
                                      (GCompareFunc) strcmp);

        g_string_append_c (out, '{');
        for (GList *l = members; l != NULL; l = l->next)
          {
            if (l != members)
              g_string_append_c (out, ',');
            append_json_string (out, l->data);
            g_string_append_c (out, ':');
            append_canonical (out, json_object_get_member (object, l->data));
          }
        g_string_append_c (out, '}');
        g_list_free (members);
      }
      break;

    case JSON_NODE_VALUE:
    default:
      switch (json_node_get_value_type (node))
        {
        case G_TYPE_BOOLEAN:
          g_string_append (out, json_node_get_boolean (node) ? "true" : "false");
          break;

        case G_TYPE_INT64:
          g_string_append_printf (out, "%" G_GINT64_FORMAT, json_node_get_int (node));
          break;

        case G_TYPE_DOUBLE:
          {
            double d = json_node_get_double (node);
            char buf[G_ASCII_DTOSTR_BUF_SIZE];

            /* 1 and 1.0 are the same JSON number. */
            if (d == (double) (gint64) d && d > -9e15 && d < 9e15)
              g_string_append_printf (out, "%" G_GINT64_FORMAT, (gint64) d);
            else
              g_string_append (out, g_ascii_formatd (buf, sizeof buf, "%.17g", d));
          }
          break;

        case G_TYPE_STRING:
          append_json_string (out, json_node_get_string (node));
          break;

        default:
          g_string_append (out, "null");
          break;
        }
      break;
    }
}

/* Returns a canonical serialisation of @node (object members sorted, no
 * whitespace, numbers normalised), so equal JSON compares equal as strings. */
char *
cbm_canonical_json (JsonNode *node)
{
  GString *out = g_string_new (NULL);

  append_canonical (out, node);
  return g_string_free (out, FALSE);
}

/* json-glib has no nesting limit and recurses, so refuse deep documents
 * before parsing them. */
static gboolean
json_depth_ok (const char *data,
               gsize       length)
{
  gboolean in_string = FALSE;
  int depth = 0;

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
      else if (c == '{' || c == '[')
        {
          if (++depth > MAX_JSON_DEPTH)
            return FALSE;
        }
      else if (c == '}' || c == ']')
        depth--;
    }

  return TRUE;
}

static void
respond_json (SoupServerMessage *msg,
              guint              status,
              JsonBuilder       *builder)
{
  g_autoptr(JsonNode) root = json_builder_get_root (builder);
  g_autofree char *text = json_to_string (root, FALSE);
  gsize length = strlen (text);

  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE,
                                    g_steal_pointer (&text), length);
}

static void
respond_error (SoupServerMessage *msg,
               guint              status,
               const char        *error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "error");
  json_builder_add_string_value (builder, error);
  json_builder_end_object (builder);
  respond_json (msg, status, builder);
}

static void
respond_received (SoupServerMessage *msg,
                  guint              status,
                  const char        *id)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *location = g_strconcat ("registrations/", id, NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, id);
  json_builder_set_member_name (builder, "status");
  json_builder_add_string_value (builder, "received");
  json_builder_end_object (builder);
  respond_json (msg, status, builder);

  /* Relative to the request URL /v1/registrations. */
  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                "Location", location);
}

/* The key is an sf-string in the IETF draft ("\"…\""); bare tokens are
 * accepted too. Returns NULL when missing or unusable. */
static char *
parse_idempotency_key (SoupServerMessage *msg)
{
  const char *header = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                     "Idempotency-Key");
  g_autofree char *key = NULL;
  gsize length;

  if (header == NULL)
    return NULL;

  key = g_strstrip (g_strdup (header));
  length = strlen (key);
  if (length >= 2 && key[0] == '"' && key[length - 1] == '"')
    {
      memmove (key, key + 1, length - 2);
      key[length - 2] = '\0';
      length -= 2;
    }

  if (length == 0 || length > MAX_KEY_LENGTH)
    return NULL;
  for (gsize i = 0; i < length; i++)
    if (!g_ascii_isgraph (key[i]) || key[i] == '"' || key[i] == '\\')
      return NULL;

  return g_steal_pointer (&key);
}

static gboolean
is_oas_state (const char *code)
{
  for (guint i = 0; i < G_N_ELEMENTS (oas_states); i++)
    if (g_str_equal (code, oas_states[i]))
      return TRUE;
  return FALSE;
}

static gboolean
is_valid_domain (const char *domain)
{
  g_auto(GStrv) labels = g_strsplit (domain, ".", -1);

  if (g_strv_length (labels) < 2 || strlen (domain) > 253)
    return FALSE;

  for (guint i = 0; labels[i] != NULL; i++)
    {
      gsize length = strlen (labels[i]);

      if (length == 0 || length > 63 || labels[i][0] == '-' || labels[i][length - 1] == '-')
        return FALSE;
      for (gsize j = 0; j < length; j++)
        {
          guchar c = (guchar) labels[i][j];

          /* Bytes >= 0x80 let internationalised domain names through. */
          if (!g_ascii_isalnum (c) && c != '-' && c < 0x80)
            return FALSE;
        }
    }

  return TRUE;
}

static gboolean
is_valid_email (const char *email)
{
  const char *at = strchr (email, '@');
  gsize local_length;

  if (at == NULL || strchr (at + 1, '@') != NULL || strlen (email) > 254)
    return FALSE;

  local_length = at - email;
  if (local_length == 0 || local_length > 64 || email[0] == '.' || at[-1] == '.')
    return FALSE;

  for (const char *p = email; p < at; p++)
    {
      guchar c = (guchar) *p;

      if (c <= 0x20 || c == 0x7f || strchr ("()<>[]:;,\\\"", c) != NULL)
        return FALSE;
      if (c == '.' && p[1] == '.')
        return FALSE;
    }

  return is_valid_domain (at + 1);
}

static JsonNode *
get_member_of_type (JsonObject *body,
                    const char *name,
                    GType       type,
                    gboolean   *present)
{
  JsonNode *node = json_object_get_member (body, name);

  *present = node != NULL && !JSON_NODE_HOLDS_NULL (node);
  if (!*present || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != type)
    return NULL;

  return node;
}

static void
check_text (JsonObject  *body,
            JsonObject  *errors,
            const char  *name,
            gboolean     required,
            glong        max_chars)
{
  gboolean present;
  JsonNode *node = get_member_of_type (body, name, G_TYPE_STRING, &present);
  const char *value;
  g_autofree char *stripped = NULL;

  if (!present)
    {
      if (required)
        json_object_set_string_member (errors, name, "is required");
      return;
    }

  if (node == NULL)
    {
      json_object_set_string_member (errors, name, "must be a string");
      return;
    }

  value = json_node_get_string (node);
  stripped = g_strstrip (g_strdup (value));
  if (required && *stripped == '\0')
    json_object_set_string_member (errors, name, "must not be empty");
  else if (g_utf8_strlen (value, -1) > max_chars)
    json_object_set_string_member (errors, name, "is too long");
}

/* Checks the fields of a registration; returns the {"field": "message"}
 * object, empty when everything is valid. */
static JsonObject *
validate_fields (JsonObject *body,
                 JsonObject *event)
{
  JsonObject *errors = json_object_new ();
  const char *eligibility;
  gboolean present;
  JsonNode *node;

  check_text (body, errors, "event", TRUE, 128);

  node = get_member_of_type (body, "country", G_TYPE_STRING, &present);
  if (!present)
    json_object_set_string_member (errors, "country", "is required");
  else if (node == NULL)
    json_object_set_string_member (errors, "country", "must be a string");
  else
    {
      const char *code = json_node_get_string (node);

      if (strlen (code) != 2 || !g_ascii_isupper (code[0]) || !g_ascii_isupper (code[1]))
        json_object_set_string_member (errors, "country",
                                       "must be a two-letter ISO 3166-1 code in capitals");
      else if (!is_oas_state (code))
        json_object_set_string_member (errors, "country", "is not an OAS member state");
    }

  check_text (body, errors, "name", TRUE, MAX_TEXT_CHARS);
  check_text (body, errors, "position", TRUE, MAX_TEXT_CHARS);
  check_text (body, errors, "institution", TRUE, MAX_TEXT_CHARS);

  node = get_member_of_type (body, "email", G_TYPE_STRING, &present);
  if (!present)
    json_object_set_string_member (errors, "email", "is required");
  else if (node == NULL)
    json_object_set_string_member (errors, "email", "must be a string");
  else if (!is_valid_email (json_node_get_string (node)))
    json_object_set_string_member (errors, "email", "is not a valid email address");

  check_text (body, errors, "language", FALSE, 35);
  check_text (body, errors, "note", FALSE, MAX_NOTE_CHARS);

  node = get_member_of_type (body, "government", G_TYPE_BOOLEAN, &present);
  eligibility = event != NULL
    ? json_object_get_string_member_with_default (event, "eligibility", "open")
    : "open";
  if (present && node == NULL)
    json_object_set_string_member (errors, "government", "must be true or false");
  else if (g_strcmp0 (eligibility, "government") == 0 &&
           (node == NULL || !json_node_get_boolean (node)))
    json_object_set_string_member (errors, "government",
                                   "must be true: this event is limited to government representatives");
  else if (g_strcmp0 (eligibility, "public-officials") == 0 &&
           (node == NULL || !json_node_get_boolean (node)))
    json_object_set_string_member (errors, "government",
                                   "must be true: this event is limited to public officials");

  return errors;
}

static GDateTime *
dup_now (CbmRegistrations *self)
{
  return self->now != NULL ? g_date_time_ref (self->now) : g_date_time_new_now_utc ();
}

/* Returns NULL when @event takes registrations, else the reason it is
 * closed. */
static const char *
closed_reason (CbmRegistrations  *self,
               const char        *event_id,
               JsonObject        *event,
               GError           **error)
{
  JsonNode *node = json_object_get_member (event, "registration");
  JsonObject *registration;
  const char *deadline;
  JsonNode *capacity;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return "no-registration";

  registration = json_node_get_object (node);
  deadline = json_object_get_string_member_with_default (registration, "deadline", NULL);
  if (deadline != NULL)
    {
      g_autoptr(GDateTime) when = g_date_time_new_from_iso8601 (deadline, NULL);
      g_autoptr(GDateTime) now = dup_now (self);

      /* An unreadable deadline cannot be honoured: keep the event closed. */
      if (when == NULL || g_date_time_compare (now, when) > 0)
        return "deadline-passed";
    }

  capacity = json_object_get_member (registration, "capacity");
  if (capacity != NULL && JSON_NODE_HOLDS_VALUE (capacity) &&
      json_node_get_value_type (capacity) == G_TYPE_INT64)
    {
      gint64 count = 0;

      if (!cbm_registration_store_count_active (self->store, event_id, &count, error))
        return NULL;
      if (count >= json_node_get_int (capacity))
        return "capacity-reached";
    }

  return NULL;
}

static void
process_post (CbmRegistrations  *self,
              SoupServerMessage *msg,
              const char        *key,
              JsonObject        *body,
              const char        *canonical)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) event = NULL;
  g_autoptr(JsonObject) errors = NULL;
  g_autofree char *stored_id = NULL;
  g_autofree char *stored_body = NULL;
  g_autofree char *id = NULL;
  g_autoptr(GDateTime) now = NULL;
  gboolean found = FALSE;
  JsonNode *event_node;
  const char *event_id = NULL;

  if (!cbm_registration_store_find_key (self->store, key, &stored_id, &stored_body, &found, &error))
    goto failed;

  if (found)
    {
      if (g_str_equal (stored_body, canonical))
        respond_received (msg, SOUP_STATUS_OK, stored_id);
      else
        respond_error (msg, SOUP_STATUS_UNPROCESSABLE_ENTITY, "idempotency-key-reused");
      return;
    }

  event_node = json_object_get_member (body, "event");
  if (event_node != NULL && JSON_NODE_HOLDS_VALUE (event_node) &&
      json_node_get_value_type (event_node) == G_TYPE_STRING)
    {
      const char *reason;

      event_id = json_node_get_string (event_node);
      if (!cbm_event_catalog_lookup (self->catalog, event_id, &event, &error))
        goto failed;

      if (event == NULL)
        {
          respond_error (msg, SOUP_STATUS_NOT_FOUND, "unknown-event");
          return;
        }

      reason = closed_reason (self, event_id, event, &error);
      if (error != NULL)
        goto failed;
      if (reason != NULL)
        {
          respond_error (msg, SOUP_STATUS_GONE, reason);
          return;
        }
    }

  errors = validate_fields (body, event);
  if (json_object_get_size (errors) > 0)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) errors_node = json_node_new (JSON_NODE_OBJECT);

      json_node_set_object (errors_node, errors);
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "errors");
      json_builder_add_value (builder, g_steal_pointer (&errors_node));
      json_builder_end_object (builder);
      respond_json (msg, SOUP_STATUS_UNPROCESSABLE_ENTITY, builder);
      return;
    }

  now = dup_now (self);
  id = cbm_registration_store_insert (self->store, key, canonical, body, now, &error);
  if (id == NULL)
    goto failed;

  respond_received (msg, SOUP_STATUS_CREATED, id);
  return;

failed:
  g_printerr ("cbm-serve: registration failed: %s\n", error->message);
  respond_error (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, "internal-error");
}

static gboolean
slow_post_cb (gpointer user_data)
{
  g_autoptr(PendingPost) pending = user_data;

  process_post (pending->self, pending->msg, pending->key, pending->body, pending->canonical);
  g_hash_table_remove (pending->self->in_flight, pending->key);
  soup_server_message_unpause (pending->msg);

  return G_SOURCE_REMOVE;
}

static void
handle_post (CbmRegistrations  *self,
             SoupServerMessage *msg)
{
  g_autofree char *key = parse_idempotency_key (msg);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(JsonParser) parser = NULL;
  g_autofree char *canonical = NULL;
  JsonNode *root;
  const char *data;
  gsize length;

  if (key == NULL)
    {
      respond_error (msg, SOUP_STATUS_BAD_REQUEST, "missing-idempotency-key");
      return;
    }

  bytes = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  data = g_bytes_get_data (bytes, &length);
  if (length > MAX_BODY_BYTES)
    {
      respond_error (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "body-too-large");
      return;
    }

  parser = json_parser_new ();
  if (length == 0 || !json_depth_ok (data, length) ||
      !json_parser_load_from_data (parser, data, length, NULL) ||
      (root = json_parser_get_root (parser)) == NULL ||
      !JSON_NODE_HOLDS_OBJECT (root))
    {
      respond_error (msg, SOUP_STATUS_BAD_REQUEST, "body-not-a-json-object");
      return;
    }

  if (g_hash_table_contains (self->in_flight, key))
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "Retry-After", "1");
      respond_error (msg, SOUP_STATUS_CONFLICT, "request-in-progress");
      return;
    }

  canonical = cbm_canonical_json (root);

  if (self->faults & CBM_SERVE_FAULT_SLOW_REGISTRATIONS)
    {
      PendingPost *pending = g_new0 (PendingPost, 1);

      pending->self = g_object_ref (self);
      pending->msg = g_object_ref (msg);
      pending->key = g_strdup (key);
      pending->body = json_object_ref (json_node_get_object (root));
      pending->canonical = g_steal_pointer (&canonical);

      g_hash_table_add (self->in_flight, g_steal_pointer (&key));
      soup_server_message_pause (msg);
      g_timeout_add (SLOW_REGISTRATION_MS, slow_post_cb, pending);
      return;
    }

  process_post (self, msg, key, json_node_get_object (root), canonical);
}

static gboolean
is_valid_id (const char *id)
{
  gsize length = strlen (id);

  if (length == 0 || length > 128)
    return FALSE;
  for (gsize i = 0; i < length; i++)
    if (!g_ascii_islower (id[i]) && !g_ascii_isdigit (id[i]) && strchr ("._-", id[i]) == NULL)
      return FALSE;
  return TRUE;
}

static void
handle_get (CbmRegistrations  *self,
            SoupServerMessage *msg,
            const char        *id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autofree char *event = NULL;
  g_autofree char *status = NULL;
  gboolean found = FALSE;

  if (!is_valid_id (id))
    {
      respond_error (msg, SOUP_STATUS_NOT_FOUND, "unknown-registration");
      return;
    }

  if (!cbm_registration_store_get (self->store, id, &event, &status, &found, &error))
    {
      g_printerr ("cbm-serve: registration lookup failed: %s\n", error->message);
      respond_error (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, "internal-error");
      return;
    }

  if (!found)
    {
      respond_error (msg, SOUP_STATUS_NOT_FOUND, "unknown-registration");
      return;
    }

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, id);
  json_builder_set_member_name (builder, "event");
  json_builder_add_string_value (builder, event);
  json_builder_set_member_name (builder, "status");
  json_builder_add_string_value (builder, status);
  json_builder_end_object (builder);
  respond_json (msg, SOUP_STATUS_OK, builder);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                "Cache-Control", "no-cache");
}

static void
cbm_registrations_finalize (GObject *object)
{
  CbmRegistrations *self = (CbmRegistrations *) object;

  g_clear_object (&self->store);
  g_clear_object (&self->catalog);
  g_clear_pointer (&self->now, g_date_time_unref);
  g_clear_pointer (&self->in_flight, g_hash_table_unref);

  G_OBJECT_CLASS (cbm_registrations_parent_class)->finalize (object);
}

static void
cbm_registrations_class_init (CbmRegistrationsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cbm_registrations_finalize;
}

static void
cbm_registrations_init (CbmRegistrations *self)
{
  self->in_flight = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

CbmRegistrations *
cbm_registrations_new (CbmRegistrationStore *store,
                       CbmEventCatalog      *catalog,
                       CbmServeFaults        faults,
                       GDateTime            *now)
{
  CbmRegistrations *self = g_object_new (CBM_TYPE_REGISTRATIONS, NULL);

  self->store = g_object_ref (store);
  self->catalog = g_object_ref (catalog);
  self->faults = faults;
  self->now = now != NULL ? g_date_time_ref (now) : NULL;

  return self;
}

/* Whether @path (as sent, still percent-encoded) belongs to this endpoint. */
gboolean
cbm_registrations_handles (const char *path)
{
  return g_str_equal (path, CBM_REGISTRATIONS_PATH) ||
         g_str_has_prefix (path, CBM_REGISTRATIONS_PATH "/");
}

void
cbm_registrations_handle (CbmRegistrations  *self,
                          SoupServerMessage *msg,
                          const char        *path)
{
  const char *method = soup_server_message_get_method (msg);
  SoupMessageHeaders *response_headers = soup_server_message_get_response_headers (msg);

  g_return_if_fail (CBM_IS_REGISTRATIONS (self));

  if (g_str_equal (path, CBM_REGISTRATIONS_PATH))
    {
      if (method != SOUP_METHOD_POST)
        {
          soup_message_headers_replace (response_headers, "Allow", "POST");
          respond_error (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "method-not-allowed");
          return;
        }
      handle_post (self, msg);
    }
  else
    {
      g_autofree char *id = g_uri_unescape_string (path + strlen (CBM_REGISTRATIONS_PATH "/"),
                                                   "/");

      if (method != SOUP_METHOD_GET && method != SOUP_METHOD_HEAD)
        {
          soup_message_headers_replace (response_headers, "Allow", "GET, HEAD");
          respond_error (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "method-not-allowed");
          return;
        }
      handle_get (self, msg, id != NULL ? id : "");
    }
}
