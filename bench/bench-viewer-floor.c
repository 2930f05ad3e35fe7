/* bench-viewer-floor.c
 *
 * Copyright 2026 The CBM Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The floor for bench-viewer: plain poppler-glib in one process, opening FILE and rendering its
 * first page at SCALE into a cairo image surface, nothing else. Prints the microseconds from
 * opening to the rendered surface.
 *
 * Usage: bench-viewer-floor FILE SCALE
 */

#include "config.h"

#include <math.h>
#include <poppler.h>

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = NULL;
  PopplerDocument *document;
  PopplerPage *page;
  cairo_surface_t *surface;
  cairo_t *cr;
  double scale, width, height;
  gint64 start;

  if (argc != 3)
    {
      g_printerr ("Usage: %s FILE SCALE\n", argv[0]);
      return 2;
    }

  scale = g_ascii_strtod (argv[2], NULL);
  file = g_file_new_for_commandline_arg (argv[1]);

  start = g_get_monotonic_time ();
  document = poppler_document_new_from_gfile (file, NULL, NULL, &error);
  if (document == NULL)
    {
      g_printerr ("%s: %s\n", argv[1], error->message);
      return 1;
    }
  page = poppler_document_get_page (document, 0);
  if (page == NULL)
    return 1;

  poppler_page_get_size (page, &width, &height);
  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, (int) ceil (width * scale),
                                        (int) ceil (height * scale));
  cr = cairo_create (surface);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  cairo_scale (cr, scale, scale);
  poppler_page_render (page, cr);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  g_print ("%" G_GINT64_FORMAT "\n", g_get_monotonic_time () - start);
  cairo_surface_destroy (surface);
  g_object_unref (page);
  g_object_unref (document);
  return 0;
}
