/* bench-startup.c
 *
 * Copyright 2026 The CBM Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Time from process start to the first frame painted with the sample repository loaded,
 * beside a minimal libadwaita window that this program builds itself (run as
 * `bench-startup --minimal`), measured alternately in the same run. Also the first start,
 * which imports the bundled repository into an empty data folder.
 *
 * Needs a display (run under xvfb-run) and the build tree's environment, which meson sets.
 */

#include "config.h"

#include <adwaita.h>

#include "cbm-test-files.h"

static void
minimal_after_paint_cb (GdkFrameClock *clock,
                        GApplication  *app)
{
  g_signal_handlers_disconnect_by_func (clock, minimal_after_paint_cb, app);
  g_print ("minimal: ready\n");
  g_application_quit (app);
}

static void
minimal_map_cb (GtkWidget    *window,
                GApplication *app)
{
  g_signal_connect (gtk_widget_get_frame_clock (window), "after-paint",
                    G_CALLBACK (minimal_after_paint_cb), app);
}

static void
minimal_activate_cb (GApplication *app)
{
  GtkWidget *window = adw_application_window_new (GTK_APPLICATION (app));
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);

  gtk_box_append (GTK_BOX (box), adw_header_bar_new ());
  gtk_box_append (GTK_BOX (box), gtk_label_new ("Minimal window"));
  adw_application_window_set_content (ADW_APPLICATION_WINDOW (window), box);
  gtk_window_set_default_size (GTK_WINDOW (window), 1100, 720);
  g_signal_connect (window, "map", G_CALLBACK (minimal_map_cb), app);
  gtk_window_present (GTK_WINDOW (window));
}

static int
run_minimal (int   argc,
             char *argv[])
{
  g_autoptr(AdwApplication) app = adw_application_new ("io.github.cbmdesk.BenchMinimal",
                                                       G_APPLICATION_NON_UNIQUE);

  g_signal_connect (app, "activate", G_CALLBACK (minimal_activate_cb), NULL);
  return g_application_run (G_APPLICATION (app), 1, argv);
}

/* Runs @argv until it prints its ready line; returns the wall time in milliseconds. */
static double
time_until_ready (const char * const *argv,
                  const char         *data_home)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                                                       G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GDataInputStream) lines = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  gint64 start;

  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", data_home, TRUE);
  g_subprocess_launcher_setenv (launcher, "CBM_BENCH_STARTUP", "1", TRUE);
  g_subprocess_launcher_setenv (launcher, "GSETTINGS_BACKEND", "memory", TRUE);

  start = g_get_monotonic_time ();
  process = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);

  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));
  while ((line = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, &error)) != NULL)
    {
      if (strstr (line, "ready") != NULL)
        break;
      g_clear_pointer (&line, g_free);
    }
  if (line == NULL)
    g_error ("%s exited without painting a window", argv[0]);

  {
    double elapsed = (g_get_monotonic_time () - start) / 1000.0;
    g_subprocess_wait (process, NULL, NULL);
    return elapsed;
  }
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static double
median (GArray *values)
{
  g_array_sort (values, compare_doubles);
  return g_array_index (values, double, values->len / 2);
}

int
main (int   argc,
      char *argv[])
{
  const char *app = g_getenv ("CBM_DESK");
  g_autofree char *self_path = NULL;
  g_autofree char *warm = NULL;
  g_autoptr(GArray) ours = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) minimal = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) first = g_array_new (FALSE, FALSE, sizeof (double));
  guint runs = 15;

  if (argc > 1 && g_str_equal (argv[1], "--minimal"))
    return run_minimal (argc, argv);
  if (argc > 1)
    runs = MAX (1, atoi (argv[1]));
  if (app == NULL)
    g_error ("Set CBM_DESK to the cbm-desk executable (meson's benchmark target does)");

  self_path = g_file_read_link ("/proc/self/exe", NULL);
  warm = g_dir_make_tmp ("cbm-bench-XXXXXX", NULL);

  {
    const char *app_argv[] = { app, NULL };
    const char *minimal_argv[] = { self_path, "--minimal", NULL };

    /* The first start imports the bundled repository; later starts read the store. */
    for (guint i = 0; i < runs; i++)
      {
        g_autofree char *fresh = g_dir_make_tmp ("cbm-bench-first-XXXXXX", NULL);
        double t = time_until_ready (app_argv, fresh);

        g_array_append_val (first, t);
        cbm_test_remove_tree (fresh);
        if (i == 0)
          time_until_ready (app_argv, warm);
      }

    for (guint i = 0; i < runs; i++)
      {
        double a = time_until_ready (app_argv, warm);
        double b = time_until_ready (minimal_argv, warm);

        g_array_append_val (ours, a);
        g_array_append_val (minimal, b);
      }
  }

  {
    double m_ours = median (ours), m_min = median (minimal), m_first = median (first);

    g_print ("startup (median of %u, alternating, to first frame painted):\n", runs);
    g_print ("  cbm-desk, sample repository loaded  %8.1f ms\n", m_ours);
    g_print ("  minimal libadwaita window (floor)   %8.1f ms\n", m_min);
    g_print ("  ratio                               %8.2fx   (target <= 1.30x)\n", m_ours / m_min);
    g_print ("first start, importing the bundled repository:\n");
    g_print ("  cbm-desk, empty data folder         %8.1f ms   (%.2fx the minimal window)\n",
             m_first, m_first / m_min);
  }

  cbm_test_remove_tree (warm);
  return 0;
}
