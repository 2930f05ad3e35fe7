/* test-date.c
 *
 * Copyright 2026 The CBM Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <locale.h>
#include <string.h>

#include "cbm-core.h"

static void
test_date_valid (void)
{
  g_autoptr(GDateTime) parsed = cbm_date_parse ("2024-02-29");

  g_assert_nonnull (parsed);
  g_assert_cmpint (g_date_time_get_year (parsed), ==, 2024);
  g_assert_cmpint (g_date_time_get_month (parsed), ==, 2);
  g_assert_cmpint (g_date_time_get_day_of_month (parsed), ==, 29);
  g_assert_cmpint (g_date_time_get_hour (parsed), ==, 0);
  g_assert_cmpint (g_date_time_get_utc_offset (parsed), ==, 0);

  g_assert_true (cbm_date_is_valid ("2024-02-29"));
  g_assert_true (cbm_date_is_valid ("2000-02-29"));
  g_assert_true (cbm_date_is_valid ("2026-12-31"));
  g_assert_true (cbm_date_is_valid ("2019-05-28"));
  g_assert_true (cbm_date_is_valid ("0001-01-01"));
}

static void
test_date_invalid (void)
{
  const char *invalid[] = {
    "2026-02-29", /* not a leap year */
    "1900-02-29", /* not a leap year either */
    "2026-1-01",
    "2026-01-1",
    "26-01-01",
    "2026-13-01",
    "2026-00-10",
    "2026-01-00",
    "2026-01-32",
    "2026-04-31",
    "0000-01-01",
    "2026/01/01",
    "2026-01-01 ",
    " 2026-01-01",
    "2026-01-01T00:00:00Z",
    "+026-01-01",
    "2026-+1-01",
    "2026-0a-01",
    "２０２６-01-01",
    "",
  };

  for (guint i = 0; i < G_N_ELEMENTS (invalid); i++)
    {
      g_autoptr(GDateTime) parsed = cbm_date_parse (invalid[i]);

      if (parsed != NULL || cbm_date_is_valid (invalid[i]))
        g_error ("“%s” was accepted as a date", invalid[i]);
    }
  g_assert_false (cbm_date_is_valid (NULL));
}

static void
test_date_time_valid (void)
{
  const char *valid[] = {
    "2026-11-20T12:00:00Z",
    "2026-11-20t12:00:00Z",
    "2026-11-20T12:00:00+01:00",
    "2022-02-15T10:00:00-05:00",
    "2026-11-20T12:00:00.123Z",
    "2026-11-20T12:00:00.5-03:30",
    "2024-02-29T23:59:59+00:00",
  };
  g_autoptr(GDateTime) parsed = cbm_date_time_parse ("2022-02-15T10:00:00-05:00");

  g_assert_nonnull (parsed);
  g_assert_cmpint (g_date_time_get_utc_offset (parsed), ==, -5 * G_TIME_SPAN_HOUR);
  g_assert_cmpint (g_date_time_get_hour (parsed), ==, 10);
  g_assert_cmpint (g_date_time_to_unix (parsed), ==, 1644937200);

  for (guint i = 0; i < G_N_ELEMENTS (valid); i++)
    if (!cbm_date_time_is_valid (valid[i]))
      g_error ("“%s” was rejected as a date and time", valid[i]);
}

static void
test_date_time_invalid (void)
{
  const char *invalid[] = {
    "2026-11-20T12:00:00",       /* no offset */
    "2026-11-20T12:00:00.5",     /* no offset, with a fraction */
    "2026-11-20T12:00:00.123456",
    "2026-11-20",
    "2026-11-20T12:00Z",         /* no seconds */
    "2026-11-20 12:00:00Z",
    "2026-02-29T12:00:00Z",      /* no such day */
    "2026-11-31T12:00:00Z",
    "2026-11-20T24:00:00Z",
    "2026-11-20T12:60:00Z",
    "2026-11-20T12:00:00ZZ",
    "2026-11-20T12:00:00+1:00",
    "2026-1-20T12:00:00Z",
    "20261120T120000Z",
    "2026-11-20T12:00:00Z ",
    "",
  };

  for (guint i = 0; i < G_N_ELEMENTS (invalid); i++)
    {
      g_autoptr(GDateTime) parsed = cbm_date_time_parse (invalid[i]);

      if (parsed != NULL || cbm_date_time_is_valid (invalid[i]))
        g_error ("“%s” was accepted as a date and time", invalid[i]);
    }
  g_assert_false (cbm_date_time_is_valid (NULL));
}

static void
test_format (void)
{
  g_autoptr(GDateTime) day = cbm_date_parse ("2026-11-20");
  g_autoptr(GDateTime) time = cbm_date_time_parse ("2022-02-15T10:05:00-05:00");
  g_autofree char *formatted_day = cbm_date_format (day);
  g_autofree char *formatted_time = cbm_date_time_format (time);
  g_autofree char *from_date = cbm_date_format_string ("2019-05-08");
  g_autofree char *from_time = NULL;
  g_autofree char *late_evening = NULL;
  g_autofree char *garbage = cbm_date_format_string ("sometime in 2026");
  g_autofree char *now = cbm_date_time_now_string ();

  g_assert_cmpstr (formatted_day, ==, "20 November 2026");
  /* A time is shown in its own zone. */
  g_assert_cmpstr (formatted_time, ==, "15 February 2022, 10:05");
  g_assert_cmpstr (from_date, ==, "8 May 2019");

  /* A timestamp is shown as its local day (TZ is UTC here). */
  from_time = cbm_date_format_string ("2026-11-20T12:00:00Z");
  g_assert_cmpstr (from_time, ==, "20 November 2026");
  late_evening = cbm_date_format_string ("2026-11-20T23:30:00-05:00");
  g_assert_cmpstr (late_evening, ==, "21 November 2026");

  /* Neither a date nor a timestamp: shown as the feed gave it. */
  g_assert_cmpstr (garbage, ==, "sometime in 2026");
  g_assert_null (cbm_date_format_string (NULL));

  /* "Now" is itself a valid RFC 3339 timestamp in UTC. */
  g_assert_true (cbm_date_time_is_valid (now));
  g_assert_true (g_str_has_suffix (now, "Z"));
  g_assert_cmpuint (strlen (now), ==, 20);
}

int
main (int   argc,
      char *argv[])
{
  /* Formatting is checked in the C locale, with local time in UTC. */
  g_setenv ("TZ", "UTC", TRUE);
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  g_unsetenv ("LANGUAGE");
  setlocale (LC_ALL, "C.UTF-8");

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/date/valid", test_date_valid);
  g_test_add_func ("/core/date/invalid", test_date_invalid);
  g_test_add_func ("/core/date/time-valid", test_date_time_valid);
  g_test_add_func ("/core/date/time-invalid", test_date_time_invalid);
  g_test_add_func ("/core/date/format", test_format);

  return g_test_run ();
}
