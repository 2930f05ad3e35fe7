/* cbm-ics.c
 *
 * Copyright 2026 The CBM Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "cbm-event-format.h"
#include "cbm-ics.h"
#include "cbm-text.h"

/* iCalendar (RFC 5545) export of one event. Times are written in the event's own zone with a
 * TZID and a VTIMEZONE built from the zone's transitions in the years the event spans, so a
 * calendar shows the same hour as the organizer even across a daylight-saving change. */



static void
append_printf (GString    *out,
               const char *format,
               ...) G_GNUC_PRINTF (2, 3);

static void
append_printf (GString    *out,
               const char *format,
               ...)
{
  g_autofree char *line = NULL;
  va_list args;

  va_start (args, format);
  line = g_strdup_vprintf (format, args);
  va_end (args);
  cbm_text_append_folded_line (out, line);
}

static void
append_text (GString    *out,
             const char *name,
             const char *language,
             const char *text)
{
  g_autofree char *escaped = cbm_text_escape_value (text);

  if (language != NULL)
    append_printf (out, "%s;LANGUAGE=%s:%s", name, language, escaped);
  else
    append_printf (out, "%s:%s", name, escaped);
}

static char *
format_offset (gint32 seconds)
{
  char sign = seconds < 0 ? '-' : '+';
  gint32 a = ABS (seconds);

  if (a % 60 != 0)
    return g_strdup_printf ("%c%02d%02d%02d", sign, a / 3600, (a / 60) % 60, a % 60);
  return g_strdup_printf ("%c%02d%02d", sign, a / 3600, (a / 60) % 60);
}

static char *
format_local (gint64 utc_seconds,
              gint32 offset)
{
  g_autoptr(GDateTime) t = g_date_time_new_from_unix_utc (utc_seconds + offset);

  return g_date_time_format (t, "%Y%m%dT%H%M%S");
}

static void
append_observance (GString    *out,
                   GTimeZone  *zone,
                   gint64      utc_seconds,
                   gint32      offset_from,
                   int         interval)
{
  const char *kind = g_time_zone_is_dst (zone, interval) ? "DAYLIGHT" : "STANDARD";
  gint32 offset_to = g_time_zone_get_offset (zone, interval);
  g_autofree char *start = format_local (utc_seconds, offset_from);
  g_autofree char *from = format_offset (offset_from);
  g_autofree char *to = format_offset (offset_to);

  append_printf (out, "BEGIN:%s", kind);
  append_printf (out, "DTSTART:%s", start);
  append_printf (out, "TZOFFSETFROM:%s", from);
  append_printf (out, "TZOFFSETTO:%s", to);
  append_printf (out, "TZNAME:%s", g_time_zone_get_abbreviation (zone, interval));
  append_printf (out, "END:%s", kind);
}

/* GTimeZone does not list its transitions, so find them: step a day at a time through the
 * years and bisect to the second where the interval changes. */
static void
append_vtimezone (GString    *out,
                  GTimeZone  *zone,
                  int         first_year,
                  int         last_year)
{
  g_autoptr(GDateTime) begin = g_date_time_new_utc (first_year, 1, 1, 0, 0, 0);
  g_autoptr(GDateTime) finish = g_date_time_new_utc (last_year + 1, 1, 1, 0, 0, 0);
  gint64 t = g_date_time_to_unix (begin);
  gint64 stop = g_date_time_to_unix (finish);
  int interval = g_time_zone_find_interval (zone, G_TIME_TYPE_UNIVERSAL, t);

  append_printf (out, "BEGIN:VTIMEZONE");
  append_printf (out, "TZID:%s", g_time_zone_get_identifier (zone));
  /* The offset in force when the first year begins. */
  append_observance (out, zone, t, g_time_zone_get_offset (zone, interval), interval);

  while (t < stop)
    {
      gint64 next = t + 24 * 3600;
      int next_interval = g_time_zone_find_interval (zone, G_TIME_TYPE_UNIVERSAL, next);

      if (next_interval != interval)
        {
          gint64 lo = t, hi = next;

          while (hi - lo > 1)
            {
              gint64 mid = lo + (hi - lo) / 2;
              if (g_time_zone_find_interval (zone, G_TIME_TYPE_UNIVERSAL, mid) == interval)
                lo = mid;
              else
                hi = mid;
            }
          next_interval = g_time_zone_find_interval (zone, G_TIME_TYPE_UNIVERSAL, hi);
          if (hi < stop &&
              (g_time_zone_get_offset (zone, interval) != g_time_zone_get_offset (zone, next_interval) ||
               g_time_zone_is_dst (zone, interval) != g_time_zone_is_dst (zone, next_interval)))
            append_observance (out, zone, hi, g_time_zone_get_offset (zone, interval), next_interval);
          interval = next_interval;
          t = hi;
          continue;
        }
      t = next;
    }

  append_printf (out, "END:VTIMEZONE");
}

static void
append_time (GString    *out,
             const char *name,
             GDateTime  *time,
             const char *tzid)
{
  if (tzid != NULL)
    {
      g_autofree char *local = g_date_time_format (time, "%Y%m%dT%H%M%S");
      append_printf (out, "%s;TZID=%s:%s", name, tzid, local);
    }
  else
    {
      g_autoptr(GDateTime) utc = g_date_time_to_utc (time);
      g_autofree char *text = g_date_time_format (utc, "%Y%m%dT%H%M%SZ");
      append_printf (out, "%s:%s", name, text);
    }
}

/**
 * cbm_ics_from_event:
 * @event: the event
 * @language: the user's language; texts fall back as cbm_text_pick() does
 * @now: the time of the export, for DTSTAMP
 *
 * Returns: (transfer full) (nullable): an iCalendar object with one VEVENT, or %NULL if the
 *   event's start cannot be read
 */
char *
cbm_ics_from_event (CbmEvent   *event,
                    const char *language,
                    GDateTime  *now)
{
  g_autoptr(GTimeZone) zone = NULL;
  g_autoptr(GDateTime) start = NULL;
  g_autoptr(GDateTime) end = NULL;
  g_autoptr(GDateTime) stamp = NULL;
  g_autofree char *stamp_text = NULL;
  g_autoptr(GString) description = g_string_new (NULL);
  const char *tzid = NULL;
  const char *title, *text, *picked = NULL, *text_language = NULL;
  GString *out;

  g_return_val_if_fail (CBM_IS_EVENT (event), NULL);

  zone = cbm_event_dup_time_zone (event);
  start = cbm_event_dup_start (event, zone);
  if (start == NULL)
    return NULL;
  end = cbm_event_dup_end (event, zone);

  /* Only a real IANA zone gets a TZID; a bare offset is written in UTC. */
  if (event->timezone != NULL && g_strcmp0 (g_time_zone_get_identifier (zone), event->timezone) == 0)
    tzid = event->timezone;

  out = g_string_new (NULL);
  cbm_text_append_folded_line (out, "BEGIN:VCALENDAR");
  cbm_text_append_folded_line (out, "VERSION:2.0");
  cbm_text_append_folded_line (out, "PRODID:-//CBM Desk//CBM Desk " PACKAGE_VERSION "//EN");
  cbm_text_append_folded_line (out, "CALSCALE:GREGORIAN");
  cbm_text_append_folded_line (out, "METHOD:PUBLISH");
  if (tzid != NULL)
    append_vtimezone (out, zone, g_date_time_get_year (start),
                      end != NULL ? MAX (g_date_time_get_year (start), g_date_time_get_year (end))
                                  : g_date_time_get_year (start));

  cbm_text_append_folded_line (out, "BEGIN:VEVENT");
  append_printf (out, "UID:%s@" CBM_ICS_UID_DOMAIN, event->id);
  stamp = g_date_time_to_utc (now);
  stamp_text = g_date_time_format (stamp, "%Y%m%dT%H%M%SZ");
  append_printf (out, "DTSTAMP:%s", stamp_text);
  append_time (out, "DTSTART", start, tzid);
  if (end != NULL)
    append_time (out, "DTEND", end, tzid);

  title = cbm_text_pick (event->title, language, &picked);
  append_text (out, "SUMMARY", picked, title ? title : event->id);

  text = event->description ? cbm_text_pick (event->description, language, &text_language) : NULL;
  if (text != NULL)
    g_string_append (description, text);
  if (event->organizer != NULL)
    {
      if (description->len > 0)
        g_string_append (description, "\n\n");
      g_string_append_printf (description, _("Organizer: %s"), event->organizer);
    }
  if (description->len > 0)
    append_text (out, "DESCRIPTION", text_language, description->str);

  if (event->venue != NULL)
    append_text (out, "LOCATION", NULL, event->venue);
  else if (event->modality == CBM_MODALITY_ONLINE)
    append_text (out, "LOCATION", NULL, _("Online"));

  cbm_text_append_folded_line (out, "END:VEVENT");
  cbm_text_append_folded_line (out, "END:VCALENDAR");
  return g_string_free (out, FALSE);
}
