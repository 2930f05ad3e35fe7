/* bench-viewer.c
 *
 * Copyright 2026 The CBM Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The viewer's figures, printed with their targets:
 * - time from "open document" to the first page painted, for corpus files and sample
 *   documents, beside bench-viewer-floor (plain poppler-glib rendering the same first page at
 *   the same scale) run alternately in the same run, as a ratio (target ≤ 1.2×);
 * - main-thread frame times while scrolling through 100 pages of a long document (target: no
 *   frame over 16 ms), after a short scroll through another document that is not counted: the
 *   first frames that scroll in a fresh process pay one-time costs (software GL compiles its
 *   shader variants on first use), and its worst frame is printed apart;
 * - peak RSS of this process and of the helper with the largest corpus document open and
 *   scrolled through, beside evince on the same file paged through page by page, when evince
 *   and xdotool are installed.
 *
 * The renderer is the one the app would choose on this machine (cbm_renderer_choose(): cairo,
 * without loading OpenGL, when there is no GPU); the output names it.
 *
 * Needs a display (xvfb-run) and the environment meson sets: CBM_PDF_HELPER,
 * CBM_SAMPLE_REPOSITORY, CBM_SHARED_DIR, CBM_BENCH_VIEWER_FLOOR.
 */

#include "config.h"

#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cbm-viewer.h"

#define RUNS 5
#define WAIT_SECONDS 60
#define SCROLL_PAGES 100
#define WARM_UP_PAGES 3
#define SCROLL_STEP 120.0
#define TARGET_RATIO 1.2
#define FRAME_BUDGET_US 16000

static const char *corpus_files[] = {
  "tracemonkey.pdf", "TAMReview.pdf", "calrgb.pdf", "pdkids.pdf", "freeculture.pdf",
  "alphatrans.pdf", "basicapi.pdf", "issue19239.pdf", "labelled_pages.pdf",
  "page_with_number_and_link.pdf",
};

static const char *sample_files[] = {
  "ag-law-2010.pdf", "br-ncs-2017.pdf", "ca-ncs-2021.pdf", "us-ncs-2017.pdf",
};

typedef struct
{
  GtkWidget    *window;
  CbmPdfView   *view;
  CbmPdfModel  *model;
  gboolean      loaded;
  gboolean      rendered;
  gboolean      painted;
  gboolean      timed_out;
  GError       *error;
  gint64        loaded_at;
  gint64        rendered_at;
} Bench;

static gboolean
timed_out_cb (gpointer user_data)
{
  ((Bench *) user_data)->timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

static void
wait_for (Bench          *bench,
          const gboolean *flag)
{
  guint id;

  bench->timed_out = FALSE;
  id = g_timeout_add_seconds (WAIT_SECONDS, timed_out_cb, bench);
  while (!*flag && !bench->timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!bench->timed_out)
    g_source_remove (id);
}

static void
loaded_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Bench *bench = user_data;

  cbm_pdf_model_load_finish (CBM_PDF_MODEL (object), result, &bench->error);
  bench->loaded_at = g_get_monotonic_time ();
  bench->loaded = TRUE;
}

static void
page_rendered_cb (CbmPdfView *view,
                  int         page,
                  Bench      *bench)
{
  if (page == 0 && !bench->rendered)
    {
      bench->rendered_at = g_get_monotonic_time ();
      bench->rendered = TRUE;
    }
}

static void
after_paint_cb (GdkFrameClock *clock,
                Bench         *bench)
{
  if (bench->rendered)
    bench->painted = TRUE;
}

/* Opens @path and returns the microseconds until a frame with its first page is painted, or -1;
 * *@scale is the scale the first page was rendered at. */
static gint64
open_and_paint (Bench      *bench,
                const char *path,
                double     *scale)
{
  gint64 start;

  bench->loaded = bench->rendered = bench->painted = FALSE;
  g_clear_error (&bench->error);

  cbm_pdf_model_set_page (bench->model, 0);
  start = g_get_monotonic_time ();
  cbm_pdf_model_load_async (bench->model, path, NULL, NULL, loaded_cb, bench);
  wait_for (bench, &bench->loaded);
  if (bench->error != NULL || bench->timed_out)
    return -1;
  wait_for (bench, &bench->painted);
  if (bench->timed_out || cbm_pdf_view_get_page_error (bench->view, 0) != NULL)
    return -1;

  cbm_pdf_page_cache_lookup (cbm_pdf_view_get_cache (bench->view), 0, scale);
  if (g_getenv ("CBM_BENCH_VERBOSE") != NULL)
    g_print ("    open %.1f ms, render %.1f ms, paint %.1f ms\n", (bench->loaded_at - start) / 1000.0,
             (bench->rendered_at - bench->loaded_at) / 1000.0,
             (g_get_monotonic_time () - bench->rendered_at) / 1000.0);
  return g_get_monotonic_time () - start;
}

/* Lets the view finish the renders it queued after the first page (the pages around it), so
 * that neither the floor nor the next open competes with them. */
static void
settle (void)
{
  gint64 until = g_get_monotonic_time () + 500 * 1000;

  while (g_get_monotonic_time () < until)
    g_main_context_iteration (NULL, FALSE) || (g_usleep (1000), TRUE);
}

/* Descriptors are left open so that GLib starts the floor with posix_spawn() rather than
 * fork(): a fork marks every page of this process copy-on-write, and the next frame then takes
 * a fault for each page it writes. That cost 8–9 ms on the first page painted after each floor
 * run on a VM (13 ms instead of 4.5 ms), and the app itself never forks between opening a
 * document and painting it. */
static gint64
run_floor (const char *path,
           double      scale)
{
  const char *floor = g_getenv ("CBM_BENCH_VIEWER_FLOOR");
  g_autofree char *out = NULL;
  char scale_text[G_ASCII_DTOSTR_BUF_SIZE];
  const char *argv[] = { floor, path, scale_text, NULL };
  int status;

  g_ascii_dtostr (scale_text, sizeof scale_text, scale);
  if (floor == NULL
      || !g_spawn_sync (NULL, (char **) argv, NULL,
                        G_SPAWN_STDERR_TO_DEV_NULL | G_SPAWN_LEAVE_DESCRIPTORS_OPEN, NULL, NULL,
                        &out, NULL, &status, NULL)
      || !g_spawn_check_wait_status (status, NULL))
    return -1;
  return g_ascii_strtoll (out, NULL, 10);
}

static int
compare_int64 (gconstpointer a,
               gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

/* The machines this runs on are shared and busy: the fastest of a few runs is the figure
 * least disturbed by other work, for the viewer and the floor alike. */
static gint64
fastest (gint64 *values,
         int     n)
{
  qsort (values, n, sizeof *values, compare_int64);
  return values[0];
}

static gboolean
bench_file (Bench      *bench,
            const char *label,
            const char *path,
            double     *ratio)
{
  gint64 ours[RUNS], floor[RUNS];
  double scale = 1.0;

  for (int i = 0; i < RUNS; i++)
    {
      ours[i] = open_and_paint (bench, path, &scale);
      if (ours[i] < 0)
        {
          g_print ("  %-36s skipped: %s\n", label,
                   bench->error != NULL ? bench->error->message : "no first page");
          return FALSE;
        }
      settle ();
      floor[i] = run_floor (path, scale);
      if (floor[i] < 0)
        {
          g_print ("  %-36s skipped: the floor failed\n", label);
          return FALSE;
        }
    }

  *ratio = (double) fastest (ours, RUNS) / MAX (fastest (floor, RUNS), 1);
  g_print ("  %-36s viewer %7.1f ms   poppler-glib %7.1f ms   ratio %.2f×  %-6s (scale %.2f)\n",
           label, fastest (ours, RUNS) / 1000.0, fastest (floor, RUNS) / 1000.0, *ratio,
           *ratio <= TARGET_RATIO ? "ok" : "MISSED", scale);
  return TRUE;
}

typedef struct
{
  GtkAdjustment *adjustment;
  double         end;
  gint64         frame_start;
  GArray        *frames;  /* gint64 microseconds */
  gboolean       done;
} Scroll;

static void
update_cb (GdkFrameClock *clock,
           Scroll        *scroll)
{
  scroll->frame_start = g_get_monotonic_time ();
}

static void
scroll_after_paint_cb (GdkFrameClock *clock,
                       Scroll        *scroll)
{
  gint64 duration;

  if (scroll->frame_start == 0 || scroll->done)
    return;
  duration = g_get_monotonic_time () - scroll->frame_start;
  g_array_append_val (scroll->frames, duration);
  scroll->frame_start = 0;
}

static gboolean
tick_cb (GtkWidget     *widget,
         GdkFrameClock *clock,
         gpointer       user_data)
{
  Scroll *scroll = user_data;
  double value = gtk_adjustment_get_value (scroll->adjustment) + SCROLL_STEP;

  if (value >= scroll->end)
    {
      scroll->done = TRUE;
      return G_SOURCE_REMOVE;
    }
  gtk_adjustment_set_value (scroll->adjustment, value);
  return G_SOURCE_CONTINUE;
}

/* Scrolls the open document down, SCROLL_STEP per frame, until the first @n_pages pages have
 * gone by, and returns the main thread's time for each frame, sorted. */
static GArray *
scroll_through (Bench *bench,
                int    n_pages)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (bench->window);
  Scroll scroll = { NULL, 0, 0, g_array_new (FALSE, FALSE, sizeof (gint64)), FALSE };

  scroll.adjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (bench->view));
  scroll.end = gtk_adjustment_get_upper (scroll.adjustment) * n_pages
               / cbm_pdf_model_get_n_pages (bench->model);

  g_signal_connect (clock, "update", G_CALLBACK (update_cb), &scroll);
  g_signal_connect (clock, "after-paint", G_CALLBACK (scroll_after_paint_cb), &scroll);
  gtk_widget_add_tick_callback (GTK_WIDGET (bench->view), tick_cb, &scroll, NULL);
  wait_for (bench, &scroll.done);
  g_signal_handlers_disconnect_by_data (clock, &scroll);

  g_array_sort (scroll.frames, compare_int64);
  return scroll.frames;
}

static int
count_over_budget (GArray *frames)
{
  int over = 0;

  for (guint i = 0; i < frames->len; i++)
    if (g_array_index (frames, gint64, i) > FRAME_BUDGET_US)
      over++;
  return over;
}

static void
bench_scrolling (Bench      *bench,
                 const char *path)
{
  g_autoptr(GArray) warm_up = NULL;
  g_autoptr(GArray) frames = NULL;
  double scale;
  int n_pages, over;

  /* The document the open benchmark left open warms up the scrolling code paths. */
  if (cbm_pdf_model_get_info (bench->model) != NULL)
    {
      warm_up = scroll_through (bench,
                                MIN (WARM_UP_PAGES, cbm_pdf_model_get_n_pages (bench->model)));
      if (warm_up->len > 0)
        g_print ("  warm-up, not counted: %u frames, worst %.1f ms, %d over 16 ms\n", warm_up->len,
                 g_array_index (warm_up, gint64, warm_up->len - 1) / 1000.0,
                 count_over_budget (warm_up));
    }

  if (open_and_paint (bench, path, &scale) < 0)
    {
      g_print ("  scrolling: %s could not be opened\n", path);
      return;
    }

  n_pages = MIN (SCROLL_PAGES, cbm_pdf_model_get_n_pages (bench->model));
  frames = scroll_through (bench, n_pages);
  if (frames->len == 0)
    return;

  over = count_over_budget (frames);
  g_print ("  %d pages of %s, %u frames: median %.1f ms, p95 %.1f ms, worst %.1f ms, "
           "%d over 16 ms (target: none) %s\n",
           n_pages, path, frames->len,
           g_array_index (frames, gint64, frames->len / 2) / 1000.0,
           g_array_index (frames, gint64, (frames->len * 95) / 100) / 1000.0,
           g_array_index (frames, gint64, frames->len - 1) / 1000.0, over,
           over == 0 ? "ok" : "MISSED");
}

static long
read_hwm_kib (const char *status_path)
{
  g_autofree char *contents = NULL;
  const char *line;

  if (!g_file_get_contents (status_path, &contents, NULL, NULL))
    return -1;
  line = strstr (contents, "VmHWM:");
  return line != NULL ? strtol (line + 6, NULL, 10) : -1;
}

/* The helper is a child process of this one. */
static long
read_children_hwm_kib (void)
{
  g_autoptr(GDir) tasks = g_dir_open ("/proc/self/task", 0, NULL);
  const char *tid;
  long total = 0;

  while (tasks != NULL && (tid = g_dir_read_name (tasks)) != NULL)
    {
      g_autofree char *path = g_strdup_printf ("/proc/self/task/%s/children", tid);
      g_autofree char *children = NULL;
      g_auto(GStrv) pids = NULL;

      if (!g_file_get_contents (path, &children, NULL, NULL))
        continue;
      pids = g_strsplit (g_strstrip (children), " ", -1);
      for (int i = 0; pids[i] != NULL; i++)
        {
          g_autofree char *status = g_strdup_printf ("/proc/%s/status", pids[i]);
          long hwm = *pids[i] != '\0' ? read_hwm_kib (status) : -1;

          if (hwm > 0)
            total += hwm;
        }
    }

  return total;
}

static char *
largest_corpus_file (const char *dir)
{
  g_autoptr(GDir) folder = g_dir_open (dir, 0, NULL);
  const char *name;
  g_autofree char *largest = NULL;
  goffset largest_size = -1;

  while (folder != NULL && (name = g_dir_read_name (folder)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      GStatBuf st;

      if (g_str_has_suffix (name, ".pdf") && g_stat (path, &st) == 0 && st.st_size > largest_size)
        {
          largest_size = st.st_size;
          g_free (largest);
          largest = g_strdup (path);
        }
    }

  return g_steal_pointer (&largest);
}

static gboolean
run_quietly (const char * const *argv,
             char              **out)
{
  int status;

  return g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
                       NULL, NULL, out, NULL, &status, NULL) &&
         g_spawn_check_wait_status (status, NULL);
}

/* Opens @path in evince, pages through it with Page Down (a pause after each, so it renders
 * the pages it passes), and returns evince's peak RSS in KiB, or -1. */
static long
evince_peak_kib (const char *path,
                 int         n_pages)
{
  g_autoptr(GSubprocess) evince = NULL;
  g_autofree char *window = NULL;
  /* Page Down moves evince by a screenful, less than a page at its default size. */
  g_autofree char *repeat = g_strdup_printf ("%d", n_pages * 3 / 2);
  g_autofree char *status = NULL;
  g_autoptr(GError) error = NULL;
  long peak;

  evince = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE,
                             &error, "evince", path, NULL);
  if (evince == NULL)
    return -1;
  status = g_strdup_printf ("/proc/%s/status", g_subprocess_get_identifier (evince));

  {
    g_autofree char *pid = g_strdup (g_subprocess_get_identifier (evince));
    const char *search[] = { "timeout", "20", "xdotool", "search", "--sync", "--onlyvisible",
                             "--pid", pid, NULL };

    if (!run_quietly (search, &window) || *g_strstrip (window) == '\0')
      {
        g_subprocess_force_exit (evince);
        return -1;
      }
    /* Several windows may match; the last is the document's. */
    if (strrchr (window, '\n') != NULL)
      memmove (window, strrchr (window, '\n') + 1, strlen (strrchr (window, '\n')));
  }

  {
    const char *focus[] = { "xdotool", "windowfocus", "--sync", window, NULL };
    const char *page_down[] = { "xdotool", "key", "--delay", "60", "--repeat", repeat, "Next", NULL };

    g_usleep (G_USEC_PER_SEC);
    run_quietly (focus, NULL);
    run_quietly (page_down, NULL);
    g_usleep (G_USEC_PER_SEC);
  }

  peak = read_hwm_kib (status);
  g_subprocess_force_exit (evince);
  g_subprocess_wait (evince, NULL, NULL);
  return peak;
}

static void
bench_memory (Bench      *bench,
              const char *path)
{
  GtkAdjustment *adjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (bench->view));
  double scale;
  int n_pages;

  if (open_and_paint (bench, path, &scale) < 0)
    {
      g_print ("  peak RSS: %s could not be opened (%s)\n", path,
               bench->error != NULL ? bench->error->message : "no first page");
      return;
    }

  /* Scroll through every page and let each render land. */
  n_pages = cbm_pdf_model_get_n_pages (bench->model);
  for (int page = 0; page < n_pages; page++)
    {
      gint64 until = g_get_monotonic_time () + 300 * 1000;

      cbm_pdf_model_set_page (bench->model, page);
      while (cbm_pdf_page_cache_lookup (cbm_pdf_view_get_cache (bench->view), page, NULL) == NULL
             && cbm_pdf_view_get_page_error (bench->view, page) == NULL
             && g_get_monotonic_time () < until)
        g_main_context_iteration (NULL, FALSE);
    }
  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment));

  {
    long ours = read_hwm_kib ("/proc/self/status") + read_children_hwm_kib ();
    g_autofree char *evince_path = g_find_program_in_path ("evince");
    long evince = evince_path != NULL ? evince_peak_kib (path, n_pages) : -1;

    g_print ("  %s (%d pages) open and scrolled through: viewer process peak %.1f MiB, "
             "helper peak %.1f MiB, page cache %.1f MiB (cap %.0f MiB)\n",
             path, n_pages, read_hwm_kib ("/proc/self/status") / 1024.0,
             read_children_hwm_kib () / 1024.0,
             cbm_pdf_page_cache_get_size (cbm_pdf_view_get_cache (bench->view)) / 1048576.0,
             cbm_pdf_page_cache_get_limit (cbm_pdf_view_get_cache (bench->view)) / 1048576.0);
    if (evince > 0)
      g_print ("    both processes %.1f MiB, evince %.1f MiB: ratio %.2f× (target ≤ 1.0×) %s\n",
               ours / 1024.0, evince / 1024.0, (double) ours / evince, ours <= evince ? "ok" : "MISSED");
    else
      g_print ("    evince with xdotool is not installed here: no comparison figure\n");
  }
}

int
main (int   argc,
      char *argv[])
{
  const char *shared = g_getenv ("CBM_SHARED_DIR");
  const char *samples = g_getenv ("CBM_SAMPLE_REPOSITORY");
  g_autoptr(CbmPdfHelper) helper = NULL;
  g_autofree char *corpus = NULL;
  g_autofree char *largest = NULL;
  GtkWidget *scrolled;
  Bench bench = { 0 };
  double sum = 0, worst = 0, ratio;
  int n = 0, n_ok = 0;
  const char *memory_only = NULL;

  /* The renderer the app would use on this machine. */
  cbm_renderer_choose ();
  gtk_init ();
  if (argc == 3 && g_str_equal (argv[1], "--memory"))
    memory_only = argv[2];
  else if (shared == NULL || samples == NULL)
    {
      g_printerr ("CBM_SHARED_DIR and CBM_SAMPLE_REPOSITORY must be set (meson does)\n");
      return 77;
    }
  corpus = g_build_filename (shared != NULL ? shared : ".", "corpus", "pdf", NULL);

  helper = cbm_pdf_helper_new ();
  bench.model = cbm_pdf_model_new (helper);
  bench.window = gtk_window_new ();
  bench.view = CBM_PDF_VIEW (cbm_pdf_view_new ());
  scrolled = gtk_scrolled_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (bench.window), 800, 600);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), GTK_WIDGET (bench.view));
  gtk_window_set_child (GTK_WINDOW (bench.window), scrolled);
  cbm_pdf_view_set_model (bench.view, bench.model);
  g_signal_connect (bench.view, "page-rendered", G_CALLBACK (page_rendered_cb), &bench);
  gtk_window_present (GTK_WINDOW (bench.window));
  g_signal_connect (gtk_widget_get_frame_clock (bench.window), "after-paint",
                    G_CALLBACK (after_paint_cb), &bench);

  if (memory_only != NULL)
    {
      bench_memory (&bench, memory_only);
      return 0;
    }

  g_print ("Renderer: %s\n\n", G_OBJECT_TYPE_NAME (gtk_native_get_renderer (GTK_NATIVE (bench.window))));
  g_print ("Open to first page painted (800×600 window, fit width, warm helper; fastest of %d),\n"
           "beside plain poppler-glib rendering the same page at the same scale. Target ≤ %.1f×.\n",
           RUNS, TARGET_RATIO);
  for (guint i = 0; i < G_N_ELEMENTS (corpus_files) + G_N_ELEMENTS (sample_files); i++)
    {
      gboolean is_sample = i >= G_N_ELEMENTS (corpus_files);
      const char *name = is_sample ? sample_files[i - G_N_ELEMENTS (corpus_files)] : corpus_files[i];
      g_autofree char *path = is_sample
                              ? g_build_filename (samples, "v1", "documents", name, NULL)
                              : g_build_filename (corpus, name, NULL);
      g_autofree char *label = g_strdup_printf ("%s%s", is_sample ? "sample/" : "corpus/", name);

      if (bench_file (&bench, label, path, &ratio))
        {
          sum += ratio;
          worst = MAX (worst, ratio);
          n_ok += ratio <= TARGET_RATIO;
          n++;
        }
    }
  if (n > 0)
    g_print ("  mean ratio %.2f×, worst %.2f× over %d files, %d within the target "
             "(target ≤ %.1f× on average) %s\n", sum / n, worst, n, n_ok, TARGET_RATIO,
             sum / n <= TARGET_RATIO ? "ok" : "MISSED");

  g_print ("\nFrame times while scrolling (main thread, from the frame clock's update to after-paint):\n");
  {
    g_autofree char *path = g_build_filename (corpus, "freeculture.pdf", NULL);
    bench_scrolling (&bench, path);
  }

  g_print ("\nPeak memory, each in a fresh process:\n");
  largest = largest_corpus_file (corpus);
  {
    g_autofree char *long_document = g_build_filename (corpus, "freeculture.pdf", NULL);
    const char *files[] = { largest, long_document };

    for (guint i = 0; i < G_N_ELEMENTS (files); i++)
      {
        const char *argv_child[] = { argv[0], "--memory", files[i], NULL };

        fflush (stdout);
        if (files[i] != NULL)
          g_spawn_sync (NULL, (char **) argv_child, NULL, G_SPAWN_CHILD_INHERITS_STDIN, NULL, NULL,
                        NULL, NULL, NULL, NULL);
      }
  }
  g_print ("  target: no more than evince on the same file (both of our processes together)\n");

  g_clear_error (&bench.error);
  gtk_window_destroy (GTK_WINDOW (bench.window));
  g_object_unref (bench.model);
  return 0;
}
