/* cbm-mail.c
 *
 * Copyright 2026 The CBM Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "cbm-mail.h"

static void
show_uri_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(AdwToastOverlay) toasts = user_data;
  g_autoptr(GError) error = NULL;

  if (!gtk_show_uri_full_finish (GTK_WINDOW (source), result, &error))
    {
      g_autofree char *text = g_strdup_printf (_("Could not open an e-mail application: %s"), error->message);
      adw_toast_overlay_add_toast (toasts, adw_toast_new (text));
    }
}

/**
 * cbm_mail_open:
 * @mailto_uri: a `mailto:` URI, already escaped
 * @toasts: where a failure is told
 *
 * Opens the user's e-mail application. GTK hands the URI to the OpenURI portal inside a
 * sandbox, to the default handler outside.
 */
void
cbm_mail_open (GtkWindow       *parent,
               const char      *mailto_uri,
               AdwToastOverlay *toasts)
{
  gtk_show_uri_full (parent, mailto_uri, GDK_CURRENT_TIME, NULL, show_uri_cb, g_object_ref (toasts));
}
