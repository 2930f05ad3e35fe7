/* cbm-date.c
 *
 * Copyright 2026 The CBM Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "cbm-date.h"

static gboolean
all_digits (const char *s,
            guint       n)
{
  for (guint i = 0; i < n; i++)
    if (!g_ascii_isdigit (s[i]))
      return FALSE;
  return TRUE;
}

/**
 * cbm_date_parse:
 * @date: (nullable): a `YYYY-MM-DD` date
 *
 * Returns: (nullable): midnight UTC of that day, or %NULL if @date is not a valid date
 */
GDateTime *
cbm_date_parse (const char *date)
{
  guint year, month, day;

  if (date == NULL || strlen (date) != 10 || date[4] != '-' || date[7] != '-' ||
      !all_digits (date, 4) || !all_digits (date + 5, 2) || !all_digits (date + 8, 2))
    return NULL;

  year = g_ascii_strtoull (date, NULL, 10);
  month = g_ascii_strtoull (date + 5, NULL, 10);
  day = g_ascii_strtoull (date + 8, NULL, 10);
  if (year < 1 || !g_date_valid_dmy (day, month, year))
    return NULL;

  return g_date_time_new_utc (year, month, day, 0, 0, 0);
}

/**
 * cbm_date_time_parse:
 * @timestamp: (nullable): an RFC 3339 timestamp, which must carry an offset
 *
 * Returns: (nullable): the time, or %NULL if @timestamp is not RFC 3339 with an offset
 */
GDateTime *
cbm_date_time_parse (const char *timestamp)
{
  g_autofree char *day = NULL;
  g_autoptr(GDateTime) check = NULL;

  /* RFC 3339 is stricter than ISO 8601: a full date, "T", a full time with seconds, an offset. */
  if (timestamp == NULL || strlen (timestamp) < 20 ||
      (timestamp[10] != 'T' && timestamp[10] != 't') ||
      timestamp[13] != ':' || timestamp[16] != ':' ||
      !all_digits (timestamp + 11, 2) || !all_digits (timestamp + 14, 2) ||
      !all_digits (timestamp + 17, 2))
    return NULL;

  day = g_strndup (timestamp, 10);
  check = cbm_date_parse (day);
  if (check == NULL)
    return NULL;

  return g_date_time_new_from_iso8601 (timestamp, NULL);
}

gboolean
cbm_date_is_valid (const char *date)
{
  g_autoptr(GDateTime) parsed = cbm_date_parse (date);

  return parsed != NULL;
}

gboolean
cbm_date_time_is_valid (const char *timestamp)
{
  g_autoptr(GDateTime) parsed = cbm_date_time_parse (timestamp);

  return parsed != NULL;
}

/**
 * cbm_date_format:
 * @date: a day
 *
 * Returns: the day written as the user's language writes dates
 */
char *
cbm_date_format (GDateTime *date)
{
  /* Translators: a date as in "23 November 2026", see the strftime(3) manual page; %-d is
   * the day without padding, %B the month name, %Y the year. */
  return g_date_time_format (date, C_("long date", "%-d %B %Y"));
}

/* Formats a `YYYY-MM-DD` date or an RFC 3339 timestamp (as its local day); returns a copy of
 * the input if it is neither, so nothing the feed said is hidden. */
char *
cbm_date_format_string (const char *date_or_timestamp)
{
  g_autoptr(GDateTime) parsed = NULL;

  if (date_or_timestamp == NULL)
    return NULL;

  parsed = cbm_date_parse (date_or_timestamp);
  if (parsed != NULL)
    return cbm_date_format (parsed);

  parsed = cbm_date_time_parse (date_or_timestamp);
  if (parsed != NULL)
    {
      g_autoptr(GDateTime) local = g_date_time_to_local (parsed);
      return cbm_date_format (local);
    }

  return g_strdup (date_or_timestamp);
}

/**
 * cbm_date_time_format:
 * @date_time: a time
 *
 * Returns: the date and time of day in @date_time's own zone, as the user's language writes them
 */
char *
cbm_date_time_format (GDateTime *date_time)
{
  /* Translators: a date and time as in "23 November 2026, 14:30", see strftime(3). */
  return g_date_time_format (date_time, C_("long date and time", "%-d %B %Y, %H:%M"));
}

char *
cbm_date_time_now_string (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  return g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
}
