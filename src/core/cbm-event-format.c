/* cbm-event-format.c
 *
 * Copyright 2026 The CBM Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cbm-date.h"
#include "cbm-event-format.h"

/* Events are shown twice: in the zone where they happen and in the user's own, because an
 * online meeting in New York is at another hour in Madrid, and not the same other hour on
 * both sides of a daylight-saving change. Everything takes the zone as an argument, so the
 * tests control "local". */

/**
 * cbm_event_dup_time_zone:
 *
 * Returns: (transfer full): the event's IANA zone, or the fixed offset of its start when the
 *   zone is missing or unknown to this system
 */
GTimeZone *
cbm_event_dup_time_zone (CbmEvent *event)
{
  GTimeZone *zone = NULL;

  if (event->timezone != NULL)
    zone = g_time_zone_new_identifier (event->timezone);
  if (zone == NULL)
    {
      g_autoptr(GDateTime) start = cbm_date_time_parse (event->starts);
      if (start != NULL)
        zone = g_time_zone_new_offset (g_date_time_get_utc_offset (start) / G_USEC_PER_SEC);
    }
  return zone != NULL ? zone : g_time_zone_new_utc ();
}

static GDateTime *
dup_in_zone (const char *timestamp,
             GTimeZone  *zone)
{
  g_autoptr(GDateTime) parsed = cbm_date_time_parse (timestamp);

  if (parsed == NULL)
    return NULL;
  return zone != NULL ? g_date_time_to_timezone (parsed, zone) : g_date_time_ref (parsed);
}

/**
 * cbm_event_dup_start:
 * @zone: (nullable): the zone to express it in; %NULL keeps the feed's offset
 *
 * Returns: (transfer full) (nullable): the start, or %NULL if the feed's time is unreadable
 */
GDateTime *
cbm_event_dup_start (CbmEvent  *event,
                     GTimeZone *zone)
{
  return dup_in_zone (event->starts, zone);
}

GDateTime *
cbm_event_dup_end (CbmEvent  *event,
                   GTimeZone *zone)
{
  return dup_in_zone (event->ends, zone);
}

static gboolean
same_day (GDateTime *a,
          GDateTime *b)
{
  return g_date_time_get_year (a) == g_date_time_get_year (b) &&
         g_date_time_get_day_of_year (a) == g_date_time_get_day_of_year (b);
}

/**
 * cbm_event_format_when:
 * @zone: the zone to show the times in
 *
 * Returns: the dates and times of the event in @zone with the zone's abbreviation, such as
 *   "12 March 2027, 21:00 – 15 March 2027, 17:00 (CET)"
 */
char *
cbm_event_format_when (CbmEvent  *event,
                       GTimeZone *zone)
{
  g_autoptr(GDateTime) start = cbm_event_dup_start (event, zone);
  g_autoptr(GDateTime) end = cbm_event_dup_end (event, zone);
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;
  g_autofree char *abbrev = NULL;
  g_autofree char *abbrev_end = NULL;

  if (start == NULL)
    return g_strdup (event->starts ? event->starts : "");

  from = cbm_date_time_format (start);
  abbrev = g_date_time_format (start, "%Z");
  if (end == NULL)
    /* Translators: an event's start and its time zone, as in "12 March 2027, 15:00 (EST)". */
    return g_strdup_printf (_("%s (%s)"), from, abbrev);

  abbrev_end = g_date_time_format (end, "%Z");
  if (same_day (start, end))
    /* Translators: a time of day, as in "17:30", see strftime(3). */
    to = g_date_time_format (end, C_("time of day", "%H:%M"));
  else
    to = cbm_date_time_format (end);

  if (g_strcmp0 (abbrev, abbrev_end) == 0)
    /* Translators: an event's start and end and its time zone, as in
     * "12 March 2027, 15:00 – 17:00 (EST)". */
    return g_strdup_printf (_("%s – %s (%s)"), from, to, abbrev);
  else
    /* Translators: an event's start and end across a daylight-saving change, each with its
     * zone, as in "12 March 2027, 15:00 (EST) – 15 March 2027, 12:00 (EDT)". */
    return g_strdup_printf (_("%s (%s) – %s (%s)"), from, abbrev, to, abbrev_end);
}

/**
 * cbm_event_format_deadline:
 * @now: the current time
 *
 * Returns: (nullable): "Registration closes in 3 days", "Registration closed" and the like,
 *   or %NULL for an event without registration
 */
char *
cbm_event_format_deadline (CbmEvent  *event,
                           GDateTime *now)
{
  g_autoptr(GDateTime) deadline = NULL;
  GTimeSpan left;

  if (!event->has_registration)
    return NULL;
  if (event->deadline == NULL)
    return g_strdup (_("Registration open"));

  deadline = cbm_date_time_parse (event->deadline);
  if (deadline == NULL)
    return g_strdup (_("Registration open"));

  left = g_date_time_difference (deadline, now);
  if (left < 0)
    return g_strdup (_("Registration closed"));
  if (left < G_TIME_SPAN_HOUR)
    return g_strdup (_("Registration closes in less than an hour"));
  if (left < G_TIME_SPAN_DAY)
    {
      int hours = left / G_TIME_SPAN_HOUR;
      return g_strdup_printf (ngettext ("Registration closes in %d hour",
                                        "Registration closes in %d hours", hours), hours);
    }
  else
    {
      int days = left / G_TIME_SPAN_DAY;
      return g_strdup_printf (ngettext ("Registration closes in %d day",
                                        "Registration closes in %d days", days), days);
    }
}

/* Past once it has ended (or, without an end, once it has started). */
gboolean
cbm_event_is_past (CbmEvent  *event,
                   GDateTime *now)
{
  g_autoptr(GDateTime) end = cbm_event_dup_end (event, NULL);
  g_autoptr(GDateTime) start = cbm_event_dup_start (event, NULL);
  GDateTime *last = end != NULL ? end : start;

  return last != NULL && g_date_time_compare (last, now) < 0;
}

/* Who may take part, in plain words. */
const char *
cbm_event_get_eligibility_text (CbmEvent *event)
{
  switch (event->eligibility)
    {
    case CBM_ELIGIBILITY_GOVERNMENT:
      return _("Only for government representatives of the member states");
    case CBM_ELIGIBILITY_PUBLIC_OFFICIALS:
      return _("Only for public officials");
    case CBM_ELIGIBILITY_OPEN:
      return _("Open to everyone");
    case CBM_ELIGIBILITY_OTHER:
    case CBM_N_ELIGIBILITIES:
    default:
      return _("Ask the organizer who may take part");
    }
}
