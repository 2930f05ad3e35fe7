/* cbm-event-catalog.c
 *
 * Copyright 2026 The CBM Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>

#include "cbm-event-catalog.h"

/* The events of the served repository (v1/events.json), re-read whenever the
 * file's size or modification time changes, so the repository can be
 * republished while the server runs. */
struct _CbmEventCatalog
{
  GObject     parent_instance;

  char       *path;
  GHashTable *events;     /* id → JsonObject */
  gint64      mtime_usec;
  gint64      size;
  gboolean    loaded;
};

G_DEFINE_FINAL_TYPE (CbmEventCatalog, cbm_event_catalog, G_TYPE_OBJECT)

static gboolean
reload (CbmEventCatalog  *self,
        GError          **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GHashTable) events = NULL;
  JsonNode *root;
  JsonNode *list;
  JsonArray *array;

  if (!json_parser_load_from_mapped_file (parser, self->path, error))
    return FALSE;

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root) ||
      (list = json_object_get_member (json_node_get_object (root), "events")) == NULL ||
      !JSON_NODE_HOLDS_ARRAY (list))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "%s: no \"events\" array", self->path);
      return FALSE;
    }

  events = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                  (GDestroyNotify) json_object_unref);
  array = json_node_get_array (list);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      JsonObject *event;
      const char *id;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      event = json_node_get_object (node);
      id = json_object_get_string_member_with_default (event, "id", NULL);
      if (id == NULL)
        continue;
      g_hash_table_replace (events, g_strdup (id), json_object_ref (event));
    }

  g_clear_pointer (&self->events, g_hash_table_unref);
  self->events = g_steal_pointer (&events);
  return TRUE;
}

static void
cbm_event_catalog_finalize (GObject *object)
{
  CbmEventCatalog *self = (CbmEventCatalog *) object;

  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->events, g_hash_table_unref);

  G_OBJECT_CLASS (cbm_event_catalog_parent_class)->finalize (object);
}

static void
cbm_event_catalog_class_init (CbmEventCatalogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cbm_event_catalog_finalize;
}

static void
cbm_event_catalog_init (CbmEventCatalog *self)
{
}

CbmEventCatalog *
cbm_event_catalog_new (const char *path)
{
  CbmEventCatalog *self = g_object_new (CBM_TYPE_EVENT_CATALOG, NULL);

  self->path = g_strdup (path);
  return self;
}

/* Finds the event @id. Returns FALSE with @error set when events.json exists
 * but cannot be read; a missing file means there are no events. */
gboolean
cbm_event_catalog_lookup (CbmEventCatalog  *self,
                          const char       *id,
                          JsonObject      **event,
                          GError          **error)
{
  GStatBuf st;
  JsonObject *found;

  g_return_val_if_fail (CBM_IS_EVENT_CATALOG (self), FALSE);

  *event = NULL;

  if (g_stat (self->path, &st) != 0)
    {
      g_clear_pointer (&self->events, g_hash_table_unref);
      self->loaded = FALSE;
      return TRUE;
    }

  if (!self->loaded ||
      self->size != (gint64) st.st_size ||
      self->mtime_usec != (gint64) st.st_mtim.tv_sec * G_USEC_PER_SEC + st.st_mtim.tv_nsec / 1000)
    {
      if (!reload (self, error))
        {
          self->loaded = FALSE;
          return FALSE;
        }
      self->loaded = TRUE;
      self->size = st.st_size;
      self->mtime_usec = (gint64) st.st_mtim.tv_sec * G_USEC_PER_SEC + st.st_mtim.tv_nsec / 1000;
    }

  found = self->events != NULL ? g_hash_table_lookup (self->events, id) : NULL;
  if (found != NULL)
    *event = json_object_ref (found);

  return TRUE;
}
