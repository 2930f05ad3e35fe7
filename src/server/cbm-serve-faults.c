/* cbm-serve-faults.c
 *
 * Copyright 2026 The CBM Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "cbm-serve-faults.h"

static const struct
{
  const char     *name;
  CbmServeFaults  fault;
} fault_names[] = {
  { "5xx", CBM_SERVE_FAULT_5XX },
  { "flaky", CBM_SERVE_FAULT_FLAKY },
  { "close-mid-body", CBM_SERVE_FAULT_CLOSE_MID_BODY },
  { "bad-sha256", CBM_SERVE_FAULT_BAD_SHA256 },
  { "malformed-json", CBM_SERVE_FAULT_MALFORMED_JSON },
  { "slow", CBM_SERVE_FAULT_SLOW },
  { "redirect-file", CBM_SERVE_FAULT_REDIRECT_FILE },
  { "huge-body", CBM_SERVE_FAULT_HUGE_BODY },
  { "dotdot-href", CBM_SERVE_FAULT_DOTDOT_HREF },
  { "slow-registrations", CBM_SERVE_FAULT_SLOW_REGISTRATIONS },
};

/* Parses a comma-separated list of fault names ("5xx,flaky") and adds them
 * to @faults. Empty items are ignored. */
gboolean
cbm_serve_faults_parse (const char      *spec,
                        CbmServeFaults  *faults,
                        GError         **error)
{
  g_auto(GStrv) items = NULL;

  g_return_val_if_fail (faults != NULL, FALSE);

  if (spec == NULL)
    return TRUE;

  items = g_strsplit (spec, ",", -1);
  for (guint i = 0; items[i] != NULL; i++)
    {
      const char *item = g_strstrip (items[i]);
      gboolean found = FALSE;

      if (*item == '\0')
        continue;

      for (guint j = 0; j < G_N_ELEMENTS (fault_names); j++)
        {
          if (g_str_equal (item, fault_names[j].name))
            {
              *faults |= fault_names[j].fault;
              found = TRUE;
              break;
            }
        }

      if (!found)
        {
          g_autofree char *names = cbm_serve_faults_list_names ();

          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       _("Unknown fault “%s” (known faults: %s)"),
                       item, names);
          return FALSE;
        }
    }

  return TRUE;
}

char *
cbm_serve_faults_to_string (CbmServeFaults faults)
{
  g_autoptr(GString) str = g_string_new (NULL);

  for (guint j = 0; j < G_N_ELEMENTS (fault_names); j++)
    {
      if ((faults & fault_names[j].fault) == 0)
        continue;
      if (str->len > 0)
        g_string_append_c (str, ',');
      g_string_append (str, fault_names[j].name);
    }

  return g_string_free (g_steal_pointer (&str), FALSE);
}

char *
cbm_serve_faults_list_names (void)
{
  g_autoptr(GString) str = g_string_new (NULL);

  for (guint j = 0; j < G_N_ELEMENTS (fault_names); j++)
    {
      if (j > 0)
        g_string_append (str, ", ");
      g_string_append (str, fault_names[j].name);
    }

  return g_string_free (g_steal_pointer (&str), FALSE);
}
