/* cbm-sync-tool.c
 *
 * Copyright 2026 The CBM Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <locale.h>

#include "cbm-sync.h"

/* Opens a store and syncs it once from a repository, printing the report: the program that
 * test-sync kills with SIGKILL in the middle of a sync. Usage: cbm-sync-tool STORE INDEX-URL */

typedef struct
{
  GMainLoop     *loop;
  CbmStore      *store;
  CbmSyncClient *client;
  const char    *url;
  int            status;
} Tool;

static void
synced_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Tool *tool = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(CbmSyncReport) report = cbm_sync_client_sync_finish (CBM_SYNC_CLIENT (object), result, &error);

  if (report == NULL)
    {
      g_printerr ("error: %s\n", error->message);
      tool->status = 1;
    }
  else
    {
      g_print ("changes %u\nproblems %u\nrequests %u\nnot-modified %u\nbytes %" G_GUINT64_FORMAT "\n",
               report->changes->len, report->problems->len, report->n_requests,
               report->n_not_modified, report->n_downloaded_bytes);
      for (guint i = 0; i < report->problems->len; i++)
        g_print ("problem: %s\n", ((GError *) g_ptr_array_index (report->problems, i))->message);
    }
  g_main_loop_quit (tool->loop);
}

static void
opened_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Tool *tool = user_data;
  g_autoptr(GError) error = NULL;

  if (!cbm_store_open_finish (CBM_STORE (object), result, &error))
    {
      g_printerr ("error: %s\n", error->message);
      tool->status = 1;
      g_main_loop_quit (tool->loop);
      return;
    }
  g_print ("opened\n");
  tool->client = cbm_sync_client_new (tool->store);
  cbm_sync_client_sync_async (tool->client, tool->url, NULL, synced_cb, tool);
}

int
main (int   argc,
      char *argv[])
{
  Tool tool = { 0 };

  setlocale (LC_ALL, "");
  if (argc != 3)
    {
      g_printerr ("Usage: cbm-sync-tool STORE INDEX-URL\n");
      return 2;
    }

  tool.loop = g_main_loop_new (NULL, FALSE);
  tool.store = cbm_store_new (argv[1]);
  tool.url = argv[2];
  cbm_store_open_async (tool.store, NULL, opened_cb, &tool);
  g_main_loop_run (tool.loop);

  g_clear_object (&tool.client);
  g_clear_object (&tool.store);
  g_main_loop_unref (tool.loop);
  return tool.status;
}
