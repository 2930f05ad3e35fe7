/* test-ics.c
 *
 * Copyright 2026 The CBM Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include "cbm-core.h"
#include "cbm-feed.h"

/* The .ics export, the event time display in two zones, the deadline wording and the
 * registration form's rules, over the events of the bundled sample repository. */

static GPtrArray *sample_events;

static CbmEvent *
sample_event (const char *id)
{
  for (guint i = 0; i < sample_events->len; i++)
    {
      CbmEvent *event = g_ptr_array_index (sample_events, i);
      if (g_str_equal (event->id, id))
        return event;
    }
  g_error ("no event %s in the sample repository", id);
  return NULL;
}

static GDateTime *
utc (const char *iso)
{
  GDateTime *t = g_date_time_new_from_iso8601 (iso, NULL);

  g_assert_nonnull (t);
  return t;
}

/* Splits an iCalendar object into unfolded content lines, checking the physical lines. */
static GPtrArray *
unfold (const char *ics)
{
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  g_auto(GStrv) physical = NULL;
  guint n;

  g_assert_true (g_str_has_suffix (ics, "\r\n"));
  physical = g_strsplit (ics, "\r\n", -1);
  n = g_strv_length (physical);
  g_assert_cmpstr (physical[n - 1], ==, "");
  for (guint i = 0; i + 1 < n; i++)
    {
      const char *line = physical[i];

      g_assert_null (strchr (line, '\n'));
      g_assert_null (strchr (line, '\r'));
      g_assert_cmpuint (strlen (line), <=, 75);
      g_assert_true (g_utf8_validate (line, -1, NULL));
      if (line[0] == ' ')
        {
          char *last;
          g_assert_cmpuint (lines->len, >, 0);
          last = g_ptr_array_index (lines, lines->len - 1);
          lines->pdata[lines->len - 1] = g_strconcat (last, line + 1, NULL);
          g_free (last);
        }
      else
        g_ptr_array_add (lines, g_strdup (line));
    }
  return g_steal_pointer (&lines);
}

static gboolean
has_line (GPtrArray  *lines,
          const char *line)
{
  for (guint i = 0; i < lines->len; i++)
    if (g_str_equal (g_ptr_array_index (lines, i), line))
      return TRUE;
  return FALSE;
}

static guint
count_prefix (GPtrArray  *lines,
              const char *prefix)
{
  guint n = 0;

  for (guint i = 0; i < lines->len; i++)
    if (g_str_has_prefix (g_ptr_array_index (lines, i), prefix))
      n++;
  return n;
}

static void
test_escape (void)
{
  g_autofree char *escaped = cbm_text_escape_value ("a\\b;c,d\ne\r\nf\tg\001h");

  g_assert_cmpstr (escaped, ==, "a\\\\b\\;c\\,d\\ne\\nf gh");
}

static void
test_fold (void)
{
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GString) line = g_string_new ("DESCRIPTION:");
  g_autoptr(GPtrArray) lines = NULL;

  /* Two-octet characters at every offset: a fold that split one would fail UTF-8 checks. */
  for (guint i = 0; i < 120; i++)
    g_string_append (line, i % 3 == 0 ? "é" : (i % 3 == 1 ? "x" : "€"));
  cbm_text_append_folded_line (out, line->str);
  g_assert_cmpuint (out->len, >, 75);
  lines = unfold (out->str);
  g_assert_cmpuint (lines->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (lines, 0), ==, line->str);

  /* Exactly 75 octets are not folded. */
  g_string_truncate (out, 0);
  g_string_assign (line, "");
  for (guint i = 0; i < 75; i++)
    g_string_append_c (line, 'a');
  cbm_text_append_folded_line (out, line->str);
  g_assert_cmpuint (out->len, ==, 77);
}

static void
test_ics_event (void)
{
  CbmEvent *event = sample_event ("oas-cbm-report-briefing-2027-03");
  g_autoptr(GDateTime) now = utc ("2026-11-23T10:00:00Z");
  g_autofree char *ics = cbm_ics_from_event (event, "en", now);
  g_autoptr(GPtrArray) lines = unfold (ics);
  g_autofree char *summary = NULL;
  g_autofree char *escaped = NULL;
  const char *title;

  g_assert_cmpstr (g_ptr_array_index (lines, 0), ==, "BEGIN:VCALENDAR");
  g_assert_cmpstr (g_ptr_array_index (lines, lines->len - 1), ==, "END:VCALENDAR");
  g_assert_true (has_line (lines, "VERSION:2.0"));
  g_assert_cmpuint (count_prefix (lines, "PRODID:-//CBM Desk//"), ==, 1);
  g_assert_cmpuint (count_prefix (lines, "BEGIN:VEVENT"), ==, 1);
  g_assert_cmpuint (count_prefix (lines, "END:VEVENT"), ==, 1);
  g_assert_true (has_line (lines, "UID:oas-cbm-report-briefing-2027-03@cbmdesk.example.org"));
  g_assert_true (has_line (lines, "DTSTAMP:20261123T100000Z"));

  /* The event's own zone, with the hour the organizer wrote, on both sides of the change of
   * 14 March 2027. */
  g_assert_true (has_line (lines, "DTSTART;TZID=America/New_York:20270312T150000"));
  g_assert_true (has_line (lines, "DTEND;TZID=America/New_York:20270315T120000"));

  /* The VTIMEZONE has the 2027 transitions of New York. */
  g_assert_true (has_line (lines, "BEGIN:VTIMEZONE"));
  g_assert_true (has_line (lines, "TZID:America/New_York"));
  g_assert_true (has_line (lines, "DTSTART:20270314T020000"));
  g_assert_true (has_line (lines, "DTSTART:20271107T020000"));
  g_assert_true (has_line (lines, "TZOFFSETFROM:-0500"));
  g_assert_true (has_line (lines, "TZOFFSETTO:-0400"));
  g_assert_true (has_line (lines, "TZNAME:EDT"));
  g_assert_true (has_line (lines, "TZNAME:EST"));
  g_assert_cmpuint (count_prefix (lines, "BEGIN:DAYLIGHT"), ==, 1);
  g_assert_cmpuint (count_prefix (lines, "BEGIN:STANDARD"), ==, 2);

  title = cbm_text_pick (event->title, "en", NULL);
  escaped = cbm_text_escape_value (title);
  summary = g_strconcat ("SUMMARY;LANGUAGE=en:", escaped, NULL);
  g_assert_true (has_line (lines, summary));
  g_assert_cmpuint (count_prefix (lines, "DESCRIPTION;LANGUAGE=en:"), ==, 1);
  g_assert_true (has_line (lines, "LOCATION:Online") || count_prefix (lines, "LOCATION:") == 1);
}

static void
test_ics_language_fallback (void)
{
  CbmEvent *event = sample_event ("unidir-oas-crisis-2022");
  g_autoptr(GDateTime) now = utc ("2026-11-23T10:00:00Z");
  g_autofree char *es = cbm_ics_from_event (event, "es", now);
  g_autofree char *fr = cbm_ics_from_event (event, "fr", now);
  g_autoptr(GPtrArray) es_lines = unfold (es);
  g_autoptr(GPtrArray) fr_lines = unfold (fr);

  /* Titles hold an en dash and commas: commas are escaped, the dash is kept. */
  g_assert_true (has_line (es_lines, "SUMMARY;LANGUAGE=es:Taller regional UNIDIR–OEA sobre gestión "
                                     "internacional de crisis cibernéticas"));
  /* No French title: English. */
  g_assert_true (has_line (fr_lines, "SUMMARY;LANGUAGE=en:UNIDIR–OAS regional workshop on "
                                     "international cyber crisis management"));
  g_assert_true (has_line (fr_lines, "DTSTART;TZID=America/New_York:20220215T100000"));
  g_assert_true (has_line (fr_lines, "DTEND;TZID=America/New_York:20220216T130000"));
  g_assert_true (has_line (fr_lines, "LOCATION:Online"));
  /* February 2022 is in standard time; the year's two transitions follow. */
  g_assert_true (has_line (fr_lines, "DTSTART:20220313T020000"));
  g_assert_true (has_line (fr_lines, "DTSTART:20221106T020000"));
}

static void
test_ics_venue_escaped (void)
{
  CbmEvent *event = sample_event ("oas-cyber-law-roundtable-2027-bog");
  g_autoptr(GDateTime) now = utc ("2026-11-23T10:00:00Z");
  g_autofree char *ics = cbm_ics_from_event (event, "en", now);
  g_autoptr(GPtrArray) lines = unfold (ics);
  g_autofree char *location = NULL;
  g_autofree char *escaped = NULL;

  g_assert_nonnull (event->venue);
  escaped = cbm_text_escape_value (event->venue);
  location = g_strconcat ("LOCATION:", escaped, NULL);
  g_assert_true (has_line (lines, location));
  if (strchr (event->venue, ',') != NULL)
    g_assert_nonnull (strstr (location, "\\,"));
  /* Bogotá has no daylight saving: one observance, the same offset on both sides. */
  g_assert_true (has_line (lines, "TZID:America/Bogota"));
  g_assert_true (has_line (lines, "TZOFFSETFROM:-0500"));
  g_assert_true (has_line (lines, "TZOFFSETTO:-0500"));
  g_assert_cmpuint (count_prefix (lines, "BEGIN:DAYLIGHT"), ==, 0);
  g_assert_true (has_line (lines, "DTSTART;TZID=America/Bogota:20270714T090000"));
}

static void
test_time_zones (void)
{
  CbmEvent *event = sample_event ("oas-cbm-report-briefing-2027-03");
  g_autoptr(GTimeZone) madrid = g_time_zone_new_identifier ("Europe/Madrid");
  g_autoptr(GTimeZone) sao_paulo = g_time_zone_new_identifier ("America/Sao_Paulo");
  g_autoptr(GTimeZone) own = cbm_event_dup_time_zone (event);
  g_autofree char *in_own = cbm_event_format_when (event, own);
  g_autofree char *in_madrid = cbm_event_format_when (event, madrid);
  g_autofree char *in_sao_paulo = cbm_event_format_when (event, sao_paulo);
  g_autoptr(GDateTime) start = cbm_event_dup_start (event, madrid);
  g_autoptr(GDateTime) end = cbm_event_dup_end (event, madrid);

  g_assert_nonnull (madrid);
  g_assert_nonnull (sao_paulo);
  g_assert_cmpstr (g_time_zone_get_identifier (own), ==, "America/New_York");

  /* New York moves to daylight time on 14 March, Madrid only on 28 March: the same meeting
   * is 6 hours ahead in Madrid when it starts and 5 when it ends. */
  g_assert_cmpint (g_date_time_get_hour (start), ==, 21);
  g_assert_cmpint (g_date_time_get_hour (end), ==, 17);
  g_assert_cmpstr (in_own, ==, "12 March 2027, 15:00 (EST) – 15 March 2027, 12:00 (EDT)");
  g_assert_cmpstr (in_madrid, ==, "12 March 2027, 21:00 – 15 March 2027, 17:00 (CET)");
  /* São Paulo keeps -03 all year. */
  g_assert_cmpstr (in_sao_paulo, ==, "12 March 2027, 17:00 – 15 March 2027, 13:00 (-03)");
}

static void
test_time_same_day (void)
{
  CbmEvent *event = sample_event ("oas-cyber-diplomacy-webinar-2026-12");
  g_autoptr(GTimeZone) madrid = g_time_zone_new_identifier ("Europe/Madrid");
  g_autofree char *in_madrid = cbm_event_format_when (event, madrid);

  g_assert_cmpstr (in_madrid, ==, "12 January 2027, 16:00 – 18:00 (CET)");
}

static void
test_deadline (void)
{
  CbmEvent *webinar = sample_event ("oas-cyber-diplomacy-webinar-2026-12");
  CbmEvent *roundtable = sample_event ("oas-cyber-law-roundtable-2027-bog");
  CbmEvent *crisis = sample_event ("unidir-oas-crisis-2022");
  g_autoptr(GDateTime) three_days = utc ("2026-12-01T12:00:00Z");
  g_autoptr(GDateTime) one_day = utc ("2026-12-03T21:00:00Z");
  g_autoptr(GDateTime) hours = utc ("2026-12-04T20:00:00Z");
  g_autoptr(GDateTime) after = utc ("2026-12-04T22:00:01Z");
  g_autofree char *a = cbm_event_format_deadline (webinar, three_days);
  g_autofree char *b = cbm_event_format_deadline (webinar, one_day);
  g_autofree char *c = cbm_event_format_deadline (webinar, hours);
  g_autofree char *d = cbm_event_format_deadline (webinar, after);
  g_autofree char *e = cbm_event_format_deadline (crisis, three_days);

  g_assert_cmpstr (a, ==, "Registration closes in 3 days");
  g_assert_cmpstr (b, ==, "Registration closes in 1 day");
  g_assert_cmpstr (c, ==, "Registration closes in 2 hours");
  g_assert_cmpstr (d, ==, "Registration closed");
  g_assert_cmpstr (e, ==, "Registration closed");
  g_assert_null (cbm_event_format_deadline (roundtable, three_days));

  g_assert_true (cbm_event_takes_registrations (webinar, three_days));
  g_assert_false (cbm_event_takes_registrations (webinar, after));
  g_assert_false (cbm_event_takes_registrations (roundtable, three_days));

  g_assert_true (cbm_event_is_past (crisis, three_days));
  g_assert_false (cbm_event_is_past (webinar, three_days));
}

static CbmRegistration *
complete_registration (const char *event_id)
{
  CbmRegistration *r = cbm_registration_new ();

  r->event = g_strdup (event_id);
  r->country = g_strdup ("AR");
  r->name = g_strdup ("Ana Pérez");
  r->position = g_strdup ("Director");
  r->institution = g_strdup ("Cancillería");
  r->email = g_strdup ("ana@example.org");
  r->government = TRUE;
  r->language = g_strdup ("es");
  return r;
}

static void
test_validate (void)
{
  CbmEvent *webinar = sample_event ("oas-cyber-diplomacy-webinar-2026-12");
  CbmEvent *crisis = sample_event ("unidir-oas-crisis-2022");
  CbmEvent *roundtable = sample_event ("oas-cyber-law-roundtable-2027-bog");
  CbmEvent *open = sample_event ("oas-women-cyber-2027-scl");
  g_autoptr(GDateTime) now = utc ("2026-11-23T10:00:00Z");
  g_autoptr(GDateTime) late = utc ("2026-12-05T00:00:00Z");
  g_autoptr(CbmRegistration) r = complete_registration (webinar->id);
  g_autoptr(CbmRegistration) empty = cbm_registration_new ();
  g_autoptr(GHashTable) ok = cbm_registration_validate (r, webinar, now, FALSE);
  g_autoptr(GHashTable) errors = NULL;

  g_assert_cmpuint (g_hash_table_size (ok), ==, 0);

  /* Deadline passed: cannot submit. */
  errors = cbm_registration_validate (r, webinar, late, FALSE);
  g_assert_cmpuint (g_hash_table_size (errors), ==, 1);
  g_assert_cmpstr (g_hash_table_lookup (errors, "event"), ==, "The registration deadline has passed.");
  g_clear_pointer (&errors, g_hash_table_unref);
  errors = cbm_registration_validate (r, crisis, now, FALSE);
  g_assert_true (g_hash_table_contains (errors, "event"));
  g_clear_pointer (&errors, g_hash_table_unref);

  /* No registration at all, or no event. */
  errors = cbm_registration_validate (r, roundtable, now, FALSE);
  g_assert_cmpstr (g_hash_table_lookup (errors, "event"), ==, "This event does not take registrations.");
  g_clear_pointer (&errors, g_hash_table_unref);
  errors = cbm_registration_validate (r, NULL, now, FALSE);
  g_assert_true (g_hash_table_contains (errors, "event"));
  g_clear_pointer (&errors, g_hash_table_unref);

  /* Already registered. */
  errors = cbm_registration_validate (r, webinar, now, TRUE);
  g_assert_cmpstr (g_hash_table_lookup (errors, "event"), ==, "You are already registered for this event.");
  g_clear_pointer (&errors, g_hash_table_unref);

  /* Eligibility: the webinar is for public officials, an open event needs no confirmation. */
  r->government = FALSE;
  errors = cbm_registration_validate (r, webinar, now, FALSE);
  g_assert_cmpuint (g_hash_table_size (errors), ==, 1);
  g_assert_cmpstr (g_hash_table_lookup (errors, "government"), ==,
                   "This event is limited to public officials: confirm that you are one.");
  g_clear_pointer (&errors, g_hash_table_unref);
  errors = cbm_registration_validate (r, sample_event ("oas-cbm-report-briefing-2027-03"), now, FALSE);
  g_assert_cmpstr (g_hash_table_lookup (errors, "government"), ==,
                   "This event is limited to government representatives: confirm that you are one.");
  g_clear_pointer (&errors, g_hash_table_unref);
  errors = cbm_registration_validate (r, open, now, FALSE);
  g_assert_cmpuint (g_hash_table_size (errors), ==, 0);
  g_clear_pointer (&errors, g_hash_table_unref);

  /* E-mail syntax. */
  g_free (r->email);
  r->email = g_strdup ("ana@example");
  errors = cbm_registration_validate (r, open, now, FALSE);
  g_assert_cmpstr (g_hash_table_lookup (errors, "email"), ==,
                   "This is not a valid e-mail address, such as name@example.org.");
  g_clear_pointer (&errors, g_hash_table_unref);
  g_assert_true (cbm_registration_email_is_valid ("a.b+c@mre.gob.ar"));
  g_assert_false (cbm_registration_email_is_valid ("a b@example.org"));
  g_assert_false (cbm_registration_email_is_valid ("@example.org"));
  g_assert_false (cbm_registration_email_is_valid ("a@b@example.org"));
  g_assert_false (cbm_registration_email_is_valid ("a@example..org"));
  g_assert_false (cbm_registration_email_is_valid ("a@example.org."));

  /* Every required field. */
  errors = cbm_registration_validate (empty, open, now, FALSE);
  g_assert_cmpuint (g_hash_table_size (errors), ==, 5);
  g_assert_cmpstr (g_hash_table_lookup (errors, "name"), ==, "This field is required.");
  g_assert_cmpstr (g_hash_table_lookup (errors, "position"), ==, "This field is required.");
  g_assert_cmpstr (g_hash_table_lookup (errors, "institution"), ==, "This field is required.");
  g_assert_cmpstr (g_hash_table_lookup (errors, "email"), ==, "This field is required.");
  g_assert_cmpstr (g_hash_table_lookup (errors, "country"), ==, "Choose a member state.");
}

static void
test_fields_round_trip (void)
{
  g_autoptr(CbmRegistration) r = complete_registration ("x");
  g_autoptr(CbmRegistration) back = cbm_registration_new ();
  g_autoptr(GVariant) fields = g_variant_ref_sink (cbm_registration_to_fields (r));

  r->note = g_strdup ("Vegetarian; arrives late, 10:00");
  g_clear_pointer (&fields, g_variant_unref);
  fields = g_variant_ref_sink (cbm_registration_to_fields (r));
  cbm_registration_set_fields (back, fields);
  g_assert_cmpstr (back->event, ==, "x");
  g_assert_cmpstr (back->name, ==, "Ana Pérez");
  g_assert_cmpstr (back->note, ==, r->note);
  g_assert_true (back->government);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  gsize length;
  int status;

  g_test_init (&argc, &argv, NULL);

  path = g_build_filename (g_getenv ("CBM_SAMPLE_REPOSITORY"), "v1", "events.json", NULL);
  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);
  bytes = g_bytes_new_take (g_steal_pointer (&contents), length);
  sample_events = cbm_feed_parse_events ("events.json", bytes, &error);
  g_assert_no_error (error);

  g_test_add_func ("/ics/escape", test_escape);
  g_test_add_func ("/ics/fold", test_fold);
  g_test_add_func ("/ics/event", test_ics_event);
  g_test_add_func ("/ics/language-fallback", test_ics_language_fallback);
  g_test_add_func ("/ics/venue", test_ics_venue_escaped);
  g_test_add_func ("/event/time-zones", test_time_zones);
  g_test_add_func ("/event/same-day", test_time_same_day);
  g_test_add_func ("/event/deadline", test_deadline);
  g_test_add_func ("/registration/validate", test_validate);
  g_test_add_func ("/registration/fields", test_fields_round_trip);

  status = g_test_run ();
  g_ptr_array_unref (sample_events);
  return status;
}
