/* cbm-renderer.c
 *
 * Copyright 2026 The CBM Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <epoxy/gl.h>
#include <gtk/gtk.h>
#include <string.h>

#include "cbm-renderer.h"

/* Ministries often run desktops in virtual machines without a GPU, where OpenGL is Mesa's
 * software rasteriser. There GTK 4.8 still picks its GL renderer, and every frame's pixels go
 * through emulated shaders: bench-viewer on such a VM painted a first page 23 ms after its
 * render arrived with GL, 15 ms with cairo, and scrolled with a median frame of 6.6 ms against
 * 4.7 ms. So on a software driver the app asks for the cairo renderer. */

/**
 * cbm_renderer_is_software_gl:
 * @gl_renderer: (nullable): what `glGetString (GL_RENDERER)` gave
 *
 * Returns: whether it names one of Mesa's software rasterisers
 */
gboolean
cbm_renderer_is_software_gl (const char *gl_renderer)
{
  static const char * const software[] = { "llvmpipe", "softpipe", "Software Rasterizer", "SWR " };

  if (gl_renderer == NULL)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (software); i++)
    if (strstr (gl_renderer, software[i]) != NULL)
      return TRUE;
  return FALSE;
}

/**
 * cbm_renderer_choose:
 *
 * Sets `GSK_RENDERER=cairo` when the display's OpenGL is a software one, unless the user set
 * GSK_RENDERER. Call it from main() before any window and before other threads start: GTK reads
 * the variable when it realizes a window, and setenv() is not safe beside other threads.
 * Without a display, or without OpenGL at all, it leaves the choice to GTK.
 */
void
cbm_renderer_choose (void)
{
  g_autoptr(GdkGLContext) context = NULL;
  const char *gl_renderer;
  gboolean software;

  if (g_getenv ("GSK_RENDERER") != NULL || !gtk_init_check ())
    return;

  context = gdk_display_create_gl_context (gdk_display_get_default (), NULL);
  if (context == NULL || !gdk_gl_context_realize (context, NULL))
    return;

  gdk_gl_context_make_current (context);
  gl_renderer = (const char *) glGetString (GL_RENDERER);
  software = cbm_renderer_is_software_gl (gl_renderer);
  g_debug ("OpenGL renderer: %s%s", gl_renderer ? gl_renderer : "(unknown)",
           software ? "; using the cairo renderer" : "");
  gdk_gl_context_clear_current ();

  if (software)
    g_setenv ("GSK_RENDERER", "cairo", TRUE);
}
