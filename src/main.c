/* main.c
 *
 * Copyright 2026 The CBM Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "cbm-application.h"
#include "cbm-renderer.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(CbmApplication) app = NULL;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("CBM_LOCALEDIR") ? g_getenv ("CBM_LOCALEDIR") : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  cbm_renderer_choose ();

  app = cbm_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
