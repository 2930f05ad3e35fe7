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
 * cbm_renderer_has_gpu_device:
 * @dev_dir: the device folder, `/dev` but in tests
 *
 * Returns: whether a GPU's device node is there: a DRM render node, NVIDIA's control node, or
 *   WSL's GPU. Without one, the only OpenGL that can run is Mesa's software one. A DRM card
 *   without a render node is a display alone (simpledrm, or a VM's bochs or qxl).
 */
gboolean
cbm_renderer_has_gpu_device (const char *dev_dir)
{
  static const char * const others[] = { "nvidiactl", "dxg" };
  g_autofree char *dri = g_build_filename (dev_dir, "dri", NULL);
  g_autoptr(GDir) nodes = NULL;
  const char *name;

  for (guint i = 0; i < G_N_ELEMENTS (others); i++)
    {
      g_autofree char *path = g_build_filename (dev_dir, others[i], NULL);

      if (g_file_test (path, G_FILE_TEST_EXISTS))
        return TRUE;
    }
  nodes = g_dir_open (dri, 0, NULL);
  while (nodes != NULL && (name = g_dir_read_name (nodes)) != NULL)
    if (g_str_has_prefix (name, "renderD"))
      return TRUE;
  return FALSE;
}

/* Starts GTK with @value added to @variable, then gives the variable back its value: GDK reads
 * it only as it starts, and the apps this one launches should not inherit it. */
static void
init_gtk_with (const char *variable,
               const char *value)
{
  g_autofree char *before = g_strdup (g_getenv (variable));
  g_autofree char *joined = before != NULL && *before != '\0'
                            ? g_strconcat (before, ",", value, NULL) : g_strdup (value);

  g_setenv (variable, joined, TRUE);
  gtk_init_check ();
  if (before != NULL)
    g_setenv (variable, before, TRUE);
  else
    g_unsetenv (variable);
}

/**
 * cbm_renderer_choose:
 *
 * Sets `GSK_RENDERER=cairo` when the display's OpenGL is a software one, unless GSK_RENDERER
 * names another renderer already. Call it from main() before any window and before other
 * threads start: GTK reads the variable when it realizes a window, and setenv() is not safe
 * beside other threads.
 * Without a display, or without OpenGL at all, it leaves the choice to GTK.
 *
 * Without a GPU device it decides before GTK opens the display, and turns OpenGL off too:
 * GTK's X11 backend loads the OpenGL driver as it opens a display, and Mesa's software one
 * brings LLVM, which held 58 MiB of a viewer process that the cairo renderer never draws with.
 * It does so too when GSK_RENDERER is already cairo, as in an app started from this one.
 */
void
cbm_renderer_choose (void)
{
  const char *requested = g_getenv ("GSK_RENDERER");
  g_autoptr(GdkGLContext) context = NULL;
  const char *gl_renderer;
  gboolean software;

  if (requested != NULL && !g_str_equal (requested, "cairo"))
    return;

  if (!cbm_renderer_has_gpu_device ("/dev"))
    {
      g_debug ("No GPU device: using the cairo renderer without OpenGL");
      /* GSK reads this one for each new window, so it stays, and apps launched from here
       * inherit it: on the same machine without a GPU, the cairo renderer suits them too. */
      g_setenv ("GSK_RENDERER", "cairo", TRUE);
      /* GTK 4.16 moved the switch from GDK_DEBUG to GDK_DISABLE. */
      if (gtk_get_major_version () == 4 && gtk_get_minor_version () < 16)
        init_gtk_with ("GDK_DEBUG", "gl-disable");
      else
        init_gtk_with ("GDK_DISABLE", "gl,vulkan");
      return;
    }

  /* Already cairo: nothing to probe for. */
  if (requested != NULL || !gtk_init_check ())
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
