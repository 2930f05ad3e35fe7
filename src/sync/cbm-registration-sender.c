/* cbm-registration-sender.c
 *
 * Copyright 2026 The CBM Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "cbm-fetcher.h"
#include "cbm-registration-sender.h"

/* Delivers the outbox (feed-protocol.md, "Registrations"). One registration is on the wire at a
 * time: it is claimed in the store ("sending", so it cannot be withdrawn meanwhile), POSTed with
 * its Idempotency-Key and never redirected, and the answer is written back. A network error, a
 * timeout, a 409 or a 5xx puts it back in the queue with the same key and an exponential,
 * capped backoff; the server's key semantics make the retry safe. Only a 2xx or a final 4xx
 * ends it. Waits while the network monitor says there is no network, and retries at once when
 * the network comes back. */

#define DEFAULT_BASE_MS   2000
#define DEFAULT_MAX_MS    (15 * 60 * 1000)
#define DEFAULT_TIMEOUT_S 30
#define MAX_ANSWER_BYTES  (64 * 1024)

struct _CbmRegistrationSender
{
  GObject          parent_instance;

  CbmStore        *store;
  SoupSession     *session;
  GNetworkMonitor *monitor;
  GCancellable    *cancellable;
  GListModel      *registrations;

  guint            base_ms;
  guint            max_ms;
  guint            timer_id;
  gboolean         started;
  gboolean         busy;
  gboolean         refreshing;
  guint            n_requests;
  char            *last_url;
};

G_DEFINE_FINAL_TYPE (CbmRegistrationSender, cbm_registration_sender, G_TYPE_OBJECT)

static void schedule (CbmRegistrationSender *self);

static gboolean
url_is_loopback (const char *url)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_ENCODED, NULL);
  g_autoptr(GInetAddress) address = NULL;
  const char *host = uri ? g_uri_get_host (uri) : NULL;

  if (host == NULL)
    return FALSE;
  if (g_ascii_strcasecmp (host, "localhost") == 0)
    return TRUE;
  address = g_inet_address_new_from_string (host);
  return address != NULL && g_inet_address_get_is_loopback (address);
}

/* The registrations URL, or NULL when the repository takes none or gave one that may not be
 * used (https, or http to this computer only). */
static char *
dup_usable_url (CbmRegistrationSender *self)
{
  const char *url = cbm_store_get_meta (self->store, "registrations-url");

  if (url == NULL || *url == '\0' || !cbm_fetcher_check_url (url, CBM_FETCH_FLAGS_NONE, NULL))
    return NULL;
  return g_strdup (url);
}

static gint64
backoff_us (CbmRegistrationSender *self,
            guint                  attempts,
            gint64                 retry_after_s)
{
  guint64 delay = self->base_ms;

  for (guint i = 1; i < attempts && delay < self->max_ms; i++)
    delay *= 2;
  /* Some jitter, so many clients that lost the same server do not come back in step. */
  delay += g_random_int_range (0, MAX (1, (gint32) (delay / 10)));
  if (retry_after_s > 0 && (guint64) retry_after_s * 1000 > delay)
    delay = (guint64) retry_after_s * 1000;
  delay = MIN (delay, self->max_ms);
  return (gint64) delay * 1000;
}

static void
update_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(CbmRegistrationSender) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!cbm_store_update_registration_finish (CBM_STORE (source), result, &error))
    g_warning ("Could not save the state of a registration: %s", error->message);
  self->busy = FALSE;
  schedule (self);
}

static void
finish_attempt (CbmRegistrationSender *self,
                CbmRegistration       *registration)
{
  cbm_store_update_registration_async (self->store, registration, NULL, update_done_cb,
                                       g_object_ref (self));
}

static void
retry_later (CbmRegistrationSender *self,
             CbmRegistration       *registration,
             const char            *reason,
             gint64                 retry_after_s)
{
  registration->status = CBM_REGISTRATION_QUEUED;
  g_free (registration->failure);
  registration->failure = g_strdup (reason);
  registration->next_attempt = g_get_real_time () + backoff_us (self, registration->attempts,
                                                                 retry_after_s);
  g_debug ("Registration %" G_GINT64_FORMAT " will be retried: %s", registration->local_id, reason);
  finish_attempt (self, registration);
}

static void
fail (CbmRegistrationSender *self,
      CbmRegistration       *registration,
      CbmRegistrationStatus  status,
      const char            *reason)
{
  registration->status = status;
  g_free (registration->failure);
  registration->failure = g_strdup (reason);
  registration->next_attempt = 0;
  finish_attempt (self, registration);
}

static JsonObject *
parse_object (GBytes *body)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  gsize length = 0;
  const char *data = body ? g_bytes_get_data (body, &length) : NULL;
  JsonNode *root;

  /* A small cap is the depth guard here: the answers are tiny objects. */
  if (data == NULL || length == 0 || length > MAX_ANSWER_BYTES ||
      !json_parser_load_from_data (parser, data, length, NULL))
    return NULL;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  return json_object_ref (json_node_get_object (root));
}

static const char *
get_string (JsonObject *object,
            const char *member)
{
  JsonNode *node = object ? json_object_get_member (object, member) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static CbmRegistrationStatus
server_status (const char *status)
{
  if (g_strcmp0 (status, "confirmed") == 0)
    return CBM_REGISTRATION_CONFIRMED;
  if (g_strcmp0 (status, "waitlisted") == 0)
    return CBM_REGISTRATION_WAITLISTED;
  if (g_strcmp0 (status, "declined") == 0)
    return CBM_REGISTRATION_DECLINED;
  return CBM_REGISTRATION_RECEIVED;
}

static GVariant *
field_errors_variant (JsonObject *errors)
{
  GVariantBuilder builder;
  g_autoptr(GList) members = json_object_get_members (errors);

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a{ss}"));
  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *message = get_string (errors, l->data);
      g_variant_builder_add (&builder, "{ss}", (const char *) l->data,
                             message != NULL ? message : _("This value was not accepted."));
    }
  return g_variant_ref_sink (g_variant_builder_end (&builder));
}

static gint64
parse_retry_after (SoupMessage *msg)
{
  const char *value = soup_message_headers_get_one (soup_message_get_response_headers (msg),
                                                    "Retry-After");
  guint64 seconds = 0;

  if (value != NULL && g_ascii_string_to_unsigned (value, 10, 0, 24 * 3600, &seconds, NULL))
    return (gint64) seconds;
  return 0;
}

static void
handle_answer (CbmRegistrationSender *self,
               CbmRegistration       *registration,
               SoupMessage           *msg,
               GBytes                *body)
{
  guint status = soup_message_get_status (msg);
  g_autoptr(JsonObject) answer = parse_object (body);

  if (status == SOUP_STATUS_CREATED || status == SOUP_STATUS_OK)
    {
      const char *id = get_string (answer, "id");
      const char *location = soup_message_headers_get_one (soup_message_get_response_headers (msg),
                                                           "Location");
      GUri *request_uri = soup_message_get_uri (msg);
      g_autoptr(GUri) resolved = NULL;

      if (id == NULL)
        {
          /* A 2xx without an id is not an answer we can trust: ask again. */
          retry_later (self, registration, _("The server gave an incomplete answer."), 0);
          return;
        }

      g_free (registration->server_id);
      registration->server_id = g_strdup (id);
      g_free (registration->server_url);
      if (location != NULL)
        resolved = g_uri_parse_relative (request_uri, location, G_URI_FLAGS_ENCODED, NULL);
      if (resolved != NULL)
        registration->server_url = g_uri_to_string (resolved);
      else
        {
          g_autofree char *base = g_uri_to_string (request_uri);
          g_autofree char *escaped = g_uri_escape_string (id, NULL, FALSE);
          registration->server_url = g_strconcat (base, "/", escaped, NULL);
        }
      registration->status = server_status (get_string (answer, "status"));
      g_clear_pointer (&registration->failure, g_free);
      g_clear_pointer (&registration->field_errors, g_variant_unref);
      registration->next_attempt = 0;
      finish_attempt (self, registration);
    }
  else if (status == SOUP_STATUS_CONFLICT)
    retry_later (self, registration, _("The server is still processing this registration."),
                 parse_retry_after (msg));
  else if (status >= 500 || status == 429 || status == SOUP_STATUS_REQUEST_TIMEOUT)
    {
      g_autofree char *reason = g_strdup_printf (_("The server is not available (error %u)."), status);
      retry_later (self, registration, reason, parse_retry_after (msg));
    }
  else if (SOUP_STATUS_IS_REDIRECTION (status))
    fail (self, registration, CBM_REGISTRATION_FAILED,
          _("The server tried to redirect the registration elsewhere. It was not sent there; "
            "ask the repository’s maintainers to fix their registration address."));
  else if (status == SOUP_STATUS_UNPROCESSABLE_ENTITY)
    {
      JsonNode *errors = answer ? json_object_get_member (answer, "errors") : NULL;

      if (g_strcmp0 (get_string (answer, "error"), "idempotency-key-reused") == 0)
        fail (self, registration, CBM_REGISTRATION_FAILED,
              _("The server already has a different registration under the same identifier. "
                "This one was not stored; submit it again."));
      else if (errors != NULL && JSON_NODE_HOLDS_OBJECT (errors))
        {
          g_clear_pointer (&registration->field_errors, g_variant_unref);
          registration->field_errors = field_errors_variant (json_node_get_object (errors));
          fail (self, registration, CBM_REGISTRATION_FAILED_VALIDATION,
                _("The server did not accept some fields. Correct them and submit again."));
        }
      else
        fail (self, registration, CBM_REGISTRATION_FAILED,
              _("The server did not accept the registration."));
    }
  else if (status == SOUP_STATUS_NOT_FOUND)
    fail (self, registration, CBM_REGISTRATION_FAILED,
          _("The server does not know this event any more. The registration was not stored."));
  else if (status == SOUP_STATUS_GONE)
    fail (self, registration, CBM_REGISTRATION_FAILED,
          _("Registration for this event is closed: the deadline has passed or the event is full."));
  else if (status >= 400)
    {
      g_autofree char *reason = g_strdup_printf (_("The server refused the registration (error %u)."), status);
      fail (self, registration, CBM_REGISTRATION_FAILED, reason);
    }
  else
    {
      g_autofree char *reason = g_strdup_printf (_("The server gave an unexpected answer (%u)."), status);
      retry_later (self, registration, reason, 0);
    }
}

typedef struct
{
  CbmRegistrationSender *self;
  CbmRegistration       *registration;
  SoupMessage           *msg;
} Attempt;

static void
attempt_free (Attempt *attempt)
{
  g_clear_object (&attempt->self);
  g_clear_object (&attempt->registration);
  g_clear_object (&attempt->msg);
  g_free (attempt);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Attempt, attempt_free)

static void
post_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(Attempt) attempt = user_data;
  CbmRegistrationSender *self = attempt->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      /* Shutting down: the registration stays "sending" and goes back to the queue on the
       * next start. */
      self->busy = FALSE;
      return;
    }

  if (body == NULL)
    {
      g_autofree char *reason = g_strdup_printf (_("Could not reach the server: %s"), error->message);
      retry_later (self, attempt->registration, reason, 0);
      return;
    }

  handle_answer (self, attempt->registration, attempt->msg, body);
}

static char *
build_body (CbmRegistration *r)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
#define ADD_STRING(name, value) \
  json_builder_set_member_name (builder, name); \
  json_builder_add_string_value (builder, (value) != NULL ? (value) : "")
  ADD_STRING ("event", r->event);
  ADD_STRING ("country", r->country);
  ADD_STRING ("name", r->name);
  ADD_STRING ("position", r->position);
  ADD_STRING ("institution", r->institution);
  ADD_STRING ("email", r->email);
  json_builder_set_member_name (builder, "government");
  json_builder_add_boolean_value (builder, r->government);
  ADD_STRING ("language", r->language);
  ADD_STRING ("note", r->note);
#undef ADD_STRING
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

static void
claim_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(CbmRegistrationSender) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(CbmRegistration) registration = NULL;
  g_autofree char *url = NULL;
  g_autofree char *body = NULL;
  g_autoptr(GBytes) bytes = NULL;
  SoupMessageHeaders *headers;
  SoupMessage *msg;
  Attempt *attempt;
  gsize length;

  registration = cbm_store_claim_registration_finish (CBM_STORE (source), result, &error);
  url = dup_usable_url (self);
  if (registration == NULL || url == NULL)
    {
      if (error != NULL)
        g_warning ("Could not take a registration from the outbox: %s", error->message);
      if (registration != NULL)
        {
          /* The repository stopped taking registrations meanwhile: put it back. */
          registration->attempts = registration->attempts > 0 ? registration->attempts - 1 : 0;
          retry_later (self, registration, _("The repository does not take registrations at the moment."), 0);
          return;
        }
      self->busy = FALSE;
      schedule (self);
      return;
    }

  msg = soup_message_new (SOUP_METHOD_POST, url);
  if (msg == NULL)
    {
      fail (self, registration, CBM_REGISTRATION_FAILED,
            _("The registration address of the repository is not valid."));
      return;
    }

  attempt = g_new0 (Attempt, 1);
  attempt->self = g_object_ref (self);
  attempt->registration = g_steal_pointer (&registration);
  attempt->msg = msg;

  /* A POST answered with 301/302/303 would be re-sent as a GET without its body. */
  soup_message_add_flags (attempt->msg, SOUP_MESSAGE_NO_REDIRECT);
  headers = soup_message_get_request_headers (attempt->msg);
  soup_message_headers_replace (headers, "Idempotency-Key", attempt->registration->idempotency_key);
  soup_message_headers_replace (headers, "Accept", "application/json");
  body = build_body (attempt->registration);
  length = strlen (body);
  bytes = g_bytes_new_take (g_steal_pointer (&body), length);
  soup_message_set_request_body_from_bytes (attempt->msg, "application/json", bytes);

  self->n_requests++;
  soup_session_send_and_read_async (self->session, attempt->msg, G_PRIORITY_DEFAULT,
                                    self->cancellable, post_done_cb, attempt);
}

static gboolean
timer_cb (gpointer user_data)
{
  CbmRegistrationSender *self = user_data;

  self->timer_id = 0;
  schedule (self);
  return G_SOURCE_REMOVE;
}

static void
schedule (CbmRegistrationSender *self)
{
  GListModel *model;
  g_autofree char *url = NULL;
  CbmRegistration *due = NULL;
  gint64 now = g_get_real_time ();
  gint64 soonest = G_MAXINT64;
  guint n;

  if (!self->started || self->busy || g_cancellable_is_cancelled (self->cancellable))
    return;
  g_clear_handle_id (&self->timer_id, g_source_remove);

  url = dup_usable_url (self);
  if (url == NULL)
    return;
  /* A loopback server does not need the network. */
  if (!g_network_monitor_get_network_available (self->monitor) && !url_is_loopback (url))
    return;

  model = cbm_store_get_registrations (self->store);
  n = g_list_model_get_n_items (model);
  /* The model is newest first: deliver the oldest due one first. */
  for (guint i = n; i > 0; i--)
    {
      g_autoptr(CbmRegistration) r = g_list_model_get_item (model, i - 1);

      if (r->status != CBM_REGISTRATION_QUEUED)
        continue;
      if (r->next_attempt <= now)
        {
          due = r;
          break;
        }
      soonest = MIN (soonest, r->next_attempt);
    }

  if (due != NULL)
    {
      self->busy = TRUE;
      cbm_store_claim_registration_async (self->store, due->local_id, NULL, claim_done_cb,
                                          g_object_ref (self));
    }
  else if (soonest != G_MAXINT64)
    self->timer_id = g_timeout_add_full (G_PRIORITY_DEFAULT,
                                         (guint) MIN ((soonest - now) / 1000 + 1, G_MAXUINT / 2),
                                         timer_cb, self, NULL);
}

/* Status refresh: GET <registrations>/<id> for each registration the server holds. */

typedef struct
{
  CbmRegistrationSender *self;
  GPtrArray             *pending;  /* CbmRegistration */
  SoupMessage           *msg;
} Refresh;

static void
refresh_free (Refresh *refresh)
{
  refresh->self->refreshing = FALSE;
  g_clear_object (&refresh->self);
  g_clear_pointer (&refresh->pending, g_ptr_array_unref);
  g_clear_object (&refresh->msg);
  g_free (refresh);
}

static void refresh_next (Refresh *refresh);

static void
refresh_saved_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!cbm_store_update_registration_finish (CBM_STORE (source), result, &error))
    g_warning ("Could not save the state of a registration: %s", error->message);
  refresh_next (user_data);
}

static void
refresh_done_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Refresh *refresh = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  g_autoptr(CbmRegistration) registration = g_ptr_array_steal_index (refresh->pending, 0);
  g_autoptr(JsonObject) answer = NULL;
  const char *status;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      refresh_free (refresh);
      return;
    }

  if (body != NULL && soup_message_get_status (refresh->msg) == SOUP_STATUS_OK &&
      (answer = parse_object (body)) != NULL && (status = get_string (answer, "status")) != NULL &&
      server_status (status) != registration->status)
    {
      g_autoptr(CbmRegistration) changed = cbm_registration_copy (registration);

      changed->status = server_status (status);
      cbm_store_update_registration_async (refresh->self->store, changed, NULL, refresh_saved_cb, refresh);
      return;
    }

  refresh_next (refresh);
}

static void
refresh_next (Refresh *refresh)
{
  CbmRegistration *registration;

  g_clear_object (&refresh->msg);
  if (refresh->pending->len == 0 || g_cancellable_is_cancelled (refresh->self->cancellable))
    {
      refresh_free (refresh);
      return;
    }

  registration = g_ptr_array_index (refresh->pending, 0);
  if (!cbm_fetcher_check_url (registration->server_url, CBM_FETCH_FLAGS_NONE, NULL) ||
      (refresh->msg = soup_message_new (SOUP_METHOD_GET, registration->server_url)) == NULL)
    {
      g_ptr_array_remove_index (refresh->pending, 0);
      refresh_next (refresh);
      return;
    }

  soup_message_add_flags (refresh->msg, SOUP_MESSAGE_NO_REDIRECT);
  soup_message_headers_replace (soup_message_get_request_headers (refresh->msg), "Accept",
                                "application/json");
  refresh->self->n_requests++;
  soup_session_send_and_read_async (refresh->self->session, refresh->msg, G_PRIORITY_LOW,
                                    refresh->self->cancellable, refresh_done_cb, refresh);
}

/* Callbacks. */

static void
network_changed_cb (CbmRegistrationSender *self,
                    gboolean               available)
{
  if (available)
    cbm_registration_sender_wake (self);
}

static void
store_changed_cb (CbmRegistrationSender *self)
{
  g_autofree char *url = dup_usable_url (self);

  /* A new registrations address (after a sync) is worth trying at once. */
  if (g_strcmp0 (url, self->last_url) != 0)
    {
      g_free (self->last_url);
      self->last_url = g_steal_pointer (&url);
      cbm_registration_sender_wake (self);
    }
}

static void
registrations_changed_cb (CbmRegistrationSender *self)
{
  schedule (self);
}

/* GObject. */

static void
cbm_registration_sender_dispose (GObject *object)
{
  CbmRegistrationSender *self = (CbmRegistrationSender *)object;

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->timer_id, g_source_remove);
  if (self->store != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->store, self);
      if (self->registrations != NULL)
        g_signal_handlers_disconnect_by_data (self->registrations, self);
    }
  if (self->monitor != NULL)
    g_signal_handlers_disconnect_by_data (self->monitor, self);

  G_OBJECT_CLASS (cbm_registration_sender_parent_class)->dispose (object);
}

static void
cbm_registration_sender_finalize (GObject *object)
{
  CbmRegistrationSender *self = (CbmRegistrationSender *)object;

  g_clear_object (&self->store);
  g_clear_object (&self->registrations);
  g_clear_object (&self->session);
  g_clear_object (&self->monitor);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->last_url, g_free);

  G_OBJECT_CLASS (cbm_registration_sender_parent_class)->finalize (object);
}

static void
cbm_registration_sender_class_init (CbmRegistrationSenderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cbm_registration_sender_dispose;
  object_class->finalize = cbm_registration_sender_finalize;
}

static void
cbm_registration_sender_init (CbmRegistrationSender *self)
{
  self->base_ms = DEFAULT_BASE_MS;
  self->max_ms = DEFAULT_MAX_MS;
  self->cancellable = g_cancellable_new ();
  /* Its own session: a sync's connections and limits do not hold up a registration. */
  self->session = soup_session_new_with_options ("timeout", DEFAULT_TIMEOUT_S,
                                                 "idle-timeout", 60,
                                                 "user-agent", "CBM-Desk/" PACKAGE_VERSION " ",
                                                 NULL);
  self->monitor = g_object_ref (g_network_monitor_get_default ());
}

/* Public API. */

/**
 * cbm_registration_sender_new:
 * @store: an open store
 *
 * Returns: (transfer full): a sender; nothing happens until cbm_registration_sender_start()
 */
CbmRegistrationSender *
cbm_registration_sender_new (CbmStore *store)
{
  CbmRegistrationSender *self;

  g_return_val_if_fail (CBM_IS_STORE (store), NULL);

  self = g_object_new (CBM_TYPE_REGISTRATION_SENDER, NULL);
  self->store = g_object_ref (store);
  return self;
}

void
cbm_registration_sender_set_retry_delays (CbmRegistrationSender *self,
                                          guint                  base_ms,
                                          guint                  max_ms)
{
  g_return_if_fail (CBM_IS_REGISTRATION_SENDER (self));
  self->base_ms = MAX (base_ms, 1);
  self->max_ms = MAX (max_ms, self->base_ms);
}

void
cbm_registration_sender_set_timeout (CbmRegistrationSender *self,
                                     guint                  seconds)
{
  g_return_if_fail (CBM_IS_REGISTRATION_SENDER (self));
  soup_session_set_timeout (self->session, seconds);
}

static void
start_loaded_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(CbmRegistrationSender) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!cbm_store_reload_registrations_finish (CBM_STORE (source), result, &error))
    g_warning ("Could not read the registration outbox: %s", error->message);
  if (g_cancellable_is_cancelled (self->cancellable))
    return;
  self->started = TRUE;
  schedule (self);
  cbm_registration_sender_refresh (self);
}

/**
 * cbm_registration_sender_start:
 *
 * Loads the outbox (a registration a crash left being sent goes back to the queue) and starts
 * delivering. Call once, after the store is open.
 */
void
cbm_registration_sender_start (CbmRegistrationSender *self)
{
  g_return_if_fail (CBM_IS_REGISTRATION_SENDER (self));

  if (self->started)
    return;
  self->last_url = dup_usable_url (self);
  self->registrations = g_object_ref (cbm_store_get_registrations (self->store));
  g_signal_connect_object (self->store, "changed", G_CALLBACK (store_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->registrations, "items-changed",
                           G_CALLBACK (registrations_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->monitor, "network-changed", G_CALLBACK (network_changed_cb), self,
                           G_CONNECT_SWAPPED);
  cbm_store_reload_registrations_async (self->store, self->cancellable, start_loaded_cb,
                                        g_object_ref (self));
}

/**
 * cbm_registration_sender_wake:
 *
 * Retries every queued registration now, whatever its backoff: the network came back, or the
 * user asked.
 */
void
cbm_registration_sender_wake (CbmRegistrationSender *self)
{
  g_return_if_fail (CBM_IS_REGISTRATION_SENDER (self));

  if (!self->started)
    return;
  /* The new model arrives through items-changed, which schedules. */
  cbm_store_retry_registrations_now_async (self->store, NULL, NULL, NULL);
  schedule (self);
}

/**
 * cbm_registration_sender_refresh:
 *
 * Asks the server for the status of each registration it holds (received, confirmed or
 * waitlisted) and stores what changed.
 */
void
cbm_registration_sender_refresh (CbmRegistrationSender *self)
{
  GListModel *model;
  Refresh *refresh;
  guint n;

  g_return_if_fail (CBM_IS_REGISTRATION_SENDER (self));

  if (self->refreshing || g_cancellable_is_cancelled (self->cancellable))
    return;

  refresh = g_new0 (Refresh, 1);
  refresh->self = g_object_ref (self);
  refresh->pending = g_ptr_array_new_with_free_func (g_object_unref);
  model = cbm_store_get_registrations (self->store);
  n = g_list_model_get_n_items (model);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CbmRegistration) r = g_list_model_get_item (model, i);

      if ((r->status == CBM_REGISTRATION_RECEIVED || r->status == CBM_REGISTRATION_CONFIRMED ||
           r->status == CBM_REGISTRATION_WAITLISTED) && r->server_url != NULL)
        g_ptr_array_add (refresh->pending, g_steal_pointer (&r));
    }
  self->refreshing = TRUE;
  refresh_next (refresh);
}

/**
 * cbm_registration_sender_dup_url:
 *
 * Returns: (transfer full) (nullable): where registrations go, or %NULL when the repository
 *   takes none
 */
char *
cbm_registration_sender_dup_url (CbmRegistrationSender *self)
{
  g_return_val_if_fail (CBM_IS_REGISTRATION_SENDER (self), NULL);
  return dup_usable_url (self);
}

/* How many HTTP requests it made, for tests. */
guint
cbm_registration_sender_get_n_requests (CbmRegistrationSender *self)
{
  g_return_val_if_fail (CBM_IS_REGISTRATION_SENDER (self), 0);
  return self->n_requests;
}
