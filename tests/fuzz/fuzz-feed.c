/* fuzz-feed.c
 *
 * Copyright 2026 The CBM Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "cbm-feed.h"

/* libFuzzer entry point: every feed reader gets the same bytes, and each must answer with a
 * result or an error, never both and never neither. */

int LLVMFuzzerTestOneInput (const guint8 *data,
                            size_t        size);

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(GBytes) bytes = g_bytes_new_static (data, size);
  g_autoptr(GError) index_error = NULL;
  g_autoptr(GError) country_error = NULL;
  g_autoptr(GError) events_error = NULL;
  g_autoptr(CbmFeedIndex) index = cbm_feed_parse_index ("index.json", bytes, &index_error);
  g_autoptr(CbmCountry) country = cbm_feed_parse_country ("XX.json", bytes, &country_error);
  g_autoptr(GPtrArray) events = cbm_feed_parse_events ("events.json", bytes, &events_error);

  g_assert_true ((index == NULL) != (index_error == NULL));
  g_assert_true ((country == NULL) != (country_error == NULL));
  g_assert_true ((events == NULL) != (events_error == NULL));
  return 0;
}
