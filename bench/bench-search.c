/* bench-search.c
 *
 * Copyright 2026 The CBM Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The full-text index, measured beside the command-line tools on the same files in the same
 * run:
 *
 *  - indexing the bundled sample repository plus ../shared/corpus/pdf (pages per second) beside
 *    `pdftotext` on the same files, one process per file with a 10 s `timeout` (the hostile
 *    files of the corpus would otherwise hang it);
 *  - 20 representative queries (median, max) beside `pdfgrep -r -i -F` for the same words:
 *    pdfgrep over the sample's documents folder (its `-r` over the corpus does not finish in
 *    5 minutes: some hostile files hang poppler), and for two of the words also over the
 *    corpus, one process per file with a 2 s `timeout`. Our queries run on the whole index,
 *    corpus included, so the ratio is conservative;
 *  - scale: 50,000 generated pages inserted directly, and the p99 of 200 queries.
 *
 * Usage: bench-search. Needs CBM_SAMPLE_REPOSITORY and CBM_PDF_HELPER (meson's benchmark sets
 * them), CBM_SHARED_DIR for the corpus, and pdfgrep and pdftotext in PATH.
 */

#include "config.h"

#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "cbm-search-fixture.h"
#include "cbm-test-files.h"

#define TARGET_QUERY_RATIO  100.0
#define TARGET_P99_MS       50.0
#define SCALE_PAGES         50000
#define SCALE_PAGES_PER_DOC 100
#define SCALE_WORDS         250
#define QUERY_LIMIT         50

static const struct {
  const char *query;   /* for the index */
  const char *grep;    /* the same words for pdfgrep -F */
} queries[] = {
  { "\"incident response\"", "incident response" },
  { "\"respuesta a incidentes\"", "respuesta a incidentes" },
  { "\"réponse aux incidents\"", "réponse aux incidents" },
  { "\"resposta a incidentes\"", "resposta a incidentes" },
  { "ciberseguridad", "ciberseguridad" },
  { "cybersecurity", "cybersecurity" },
  { "\"infraestructura crítica\"", "infraestructura crítica" },
  { "\"critical infrastructure\"", "critical infrastructure" },
  { "CSIRT", "CSIRT" },
  { "ciberseg*", "ciberseg" },
  { "\"estrategia nacional\"", "estrategia nacional" },
  { "\"cooperación internacional\"", "cooperación internacional" },
  { "cybercrime", "cybercrime" },
  { "\"delitos informáticos\"", "delitos informáticos" },
  { "cybersécurité", "cybersécurité" },
  { "\"information sharing\"", "information sharing" },
  { "\"segurança cibernética\"", "segurança cibernética" },
  { "\"points of contact\"", "points of contact" },
  { "\"capacity building\"", "capacity building" },
  { "\"confidence-building measures\"", "confidence-building measures" },
};

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static double
percentile (GArray *values,
            double  p)
{
  guint index;

  g_array_sort (values, compare_doubles);
  index = (guint) MIN (values->len - 1, (guint) (p * (values->len - 1) + 0.5));
  return g_array_index (values, double, index);
}

static double
now_ms (void)
{
  return g_get_monotonic_time () / 1000.0;
}

static double
time_query (CbmIndexer *indexer,
            const char *text,
            guint      *n_pages)
{
  g_autoptr(GPtrArray) results = NULL;
  double start = now_ms ();

  results = fixture_query (indexer, text, NULL, QUERY_LIMIT, n_pages, NULL);
  return now_ms () - start;
}

static double
run_ms (const char * const *argv)
{
  double start = now_ms ();
  g_autoptr(GError) error = NULL;

  if (!g_spawn_sync (NULL, (char **) argv, NULL,
                     G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                     NULL, NULL, NULL, NULL, NULL, &error))
    g_error ("%s: %s", argv[0], error->message);
  return now_ms () - start;
}

static GPtrArray *
list_pdfs (const char *folder)
{
  GPtrArray *paths = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GDir) dir = g_dir_open (folder, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_suffix (name, ".pdf"))
      g_ptr_array_add (paths, g_build_filename (folder, name, NULL));
  g_ptr_array_sort (paths, (GCompareFunc) g_strcmp0);
  return paths;
}

/* Words of the generated pages: a Zipf-like draw over a vocabulary of made-up words, with the
 * real terms of the queries mixed in at realistic rates. */
static char *
make_word (GRand *rand)
{
  static const char *syllables[] = {
    "ci", "ber", "se", "gu", "ri", "dad", "na", "cio", "nal", "in", "ci", "den", "te", "pro",
    "tec", "ción", "ré", "pon", "se", "da", "dos", "red", "sis", "te", "ma", "lei", "po", "lí",
  };
  guint n = g_rand_int_range (rand, 2, 5);
  GString *word = g_string_new (NULL);

  for (guint i = 0; i < n; i++)
    g_string_append (word, syllables[g_rand_int_range (rand, 0, G_N_ELEMENTS (syllables))]);
  return g_string_free (word, FALSE);
}

static void
bench_scale (CbmStore   *store,
             const char *dir)
{
  g_autofree char *path = g_build_filename (dir, "scale.db", NULL);
  g_autoptr(CbmIndexer) indexer = fixture_open_indexer (store, path);
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);
  g_autoptr(GPtrArray) vocabulary = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (double));
  static const char *real[] = {
    "incident", "response", "respuesta", "incidentes", "ciberseguridad", "cybersecurity",
    "critical", "infrastructure", "infraestructura", "crítica", "CSIRT", "datos", "réponse",
  };
  double start, insert_s, p50, p99, max;

  for (guint i = 0; i < 20000; i++)
    g_ptr_array_add (vocabulary, make_word (rand));
  for (guint i = 0; i < G_N_ELEMENTS (real); i++)
    g_ptr_array_add (vocabulary, g_strdup (real[i]));

  start = now_ms ();
  for (guint d = 0; d < SCALE_PAGES / SCALE_PAGES_PER_DOC; d++)
    {
      g_autoptr(CbmDocument) document = cbm_document_new ();
      g_autoptr(GPtrArray) pages = g_ptr_array_new_with_free_func (g_free);
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GError) error = NULL;

      document->id = g_strdup_printf ("scale-%05u", d);
      document->country = g_strdup_printf ("%c%c", 'A' + d % 26, 'A' + (d / 26) % 26);
      document->kind = d % CBM_N_DOCUMENT_KINDS;
      document->language = g_strdup (cbm_languages[d % CBM_N_LANGUAGES]);
      document->sha256 = g_strdup_printf ("%064u", d);

      for (guint p = 0; p < SCALE_PAGES_PER_DOC; p++)
        {
          GString *text = g_string_new (NULL);

          for (guint w = 0; w < SCALE_WORDS; w++)
            {
              /* Squaring a uniform draw skews it towards the first (frequent) words. */
              double u = g_rand_double (rand);
              guint index = (guint) (u * u * u * vocabulary->len);

              if (g_rand_int_range (rand, 0, 200) == 0)
                index = vocabulary->len - 1 - g_rand_int_range (rand, 0, G_N_ELEMENTS (real));
              g_string_append (text, vocabulary->pdata[MIN (index, vocabulary->len - 1)]);
              g_string_append_c (text, w % 12 == 11 ? '.' : ' ');
            }
          g_ptr_array_add (pages, g_string_free (text, FALSE));
        }

      cbm_indexer_add_text_async (indexer, document, pages, NULL, fixture_store_result, &result);
      if (!cbm_indexer_add_text_finish (indexer, fixture_wait (&result), &error))
        g_error ("%s", error->message);
    }
  insert_s = (now_ms () - start) / 1000.0;

  /* 200 queries: the 20 representative ones, frequent and rare words, prefixes, phrases. */
  for (guint i = 0; i < 200; i++)
    {
      g_autofree char *text = NULL;
      guint n = 0;

      switch (i % 5)
        {
        case 0:
          text = g_strdup (queries[(i / 5) % G_N_ELEMENTS (queries)].query);
          break;
        case 1:
          text = g_strdup (vocabulary->pdata[g_rand_int_range (rand, 0, 50)]);
          break;
        case 2:
          text = g_strdup (vocabulary->pdata[g_rand_int_range (rand, 0, vocabulary->len)]);
          break;
        case 3:
          text = g_strdup_printf ("%.3s*", (char *) vocabulary->pdata[g_rand_int_range (rand, 0, 500)]);
          break;
        default:
          text = g_strdup_printf ("\"%s %s\" %s", (char *) vocabulary->pdata[g_rand_int_range (rand, 0, 30)],
                                  (char *) vocabulary->pdata[g_rand_int_range (rand, 0, 30)],
                                  (char *) vocabulary->pdata[g_rand_int_range (rand, 0, 2000)]);
          break;
        }
      double ms = time_query (indexer, text, &n);
      g_array_append_val (times, ms);
    }

  p50 = percentile (times, 0.5);
  p99 = percentile (times, 0.99);
  max = g_array_index (times, double, times->len - 1);
  g_print ("scale: %u generated pages inserted in %.1f s (%.0f pages/s)\n",
           SCALE_PAGES, insert_s, SCALE_PAGES / insert_s);
  g_print ("scale: 200 queries: p50 %.2f ms, p99 %.2f ms, max %.2f ms (target p99 < %.0f ms) %s\n",
           p50, p99, max, TARGET_P99_MS, p99 < TARGET_P99_MS ? "PASS" : "FAIL");
}

/* Indexes what the store gained and runs pdftotext over the same files. */
static void
bench_indexing (const char *what,
                CbmIndexer *indexer,
                GPtrArray  *files,
                guint       documents_before)
{
  guint64 pages_before = cbm_indexer_get_n_extracted_pages (indexer);
  guint failed_before = cbm_indexer_get_n_failed (indexer);
  double start, index_s, pdftotext_s;
  guint64 pages;

  start = now_ms ();
  fixture_update (indexer);
  index_s = (now_ms () - start) / 1000.0;
  pages = cbm_indexer_get_n_extracted_pages (indexer) - pages_before;

  start = now_ms ();
  for (guint i = 0; i < files->len; i++)
    {
      const char *argv_text[] = { "timeout", "10", "pdftotext", files->pdata[i], "/dev/null", NULL };
      run_ms (argv_text);
    }
  pdftotext_s = (now_ms () - start) / 1000.0;

  g_print ("indexing %s: %u documents (%u unreadable), %" G_GUINT64_FORMAT " pages in %.1f s: %.0f pages/s\n",
           what, cbm_indexer_get_total (indexer) - documents_before,
           cbm_indexer_get_n_failed (indexer) - failed_before, pages, index_s, pages / index_s);
  g_print ("indexing %s: pdftotext (10 s timeout per file) on the same %u files: %.1f s: %.0f pages/s; "
           "ours %.2fx its speed, writing the index too\n",
           what, files->len, pdftotext_s, pages / pdftotext_s, pdftotext_s / index_s);
}

int
main (int   argc,
      char *argv[])
{
  const char *sample = g_getenv ("CBM_SAMPLE_REPOSITORY");
  const char *shared = g_getenv ("CBM_SHARED_DIR");
  g_autofree char *dir = g_dir_make_tmp ("bench-search-XXXXXX", NULL);
  g_autofree char *store_path = g_build_filename (dir, "cbm-desk.db", NULL);
  g_autofree char *index_path = g_build_filename (dir, "search.db", NULL);
  g_autofree char *index_json = NULL;
  g_autofree char *sample_abs = NULL;
  g_autofree char *index_url = NULL;
  g_autofree char *sample_docs = NULL;
  g_autofree char *corpus = NULL;
  g_autoptr(CbmStore) store = NULL;
  g_autoptr(CbmIndexer) indexer = NULL;
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) corpus_files = NULL;
  g_autoptr(GArray) ours = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) theirs = g_array_new (FALSE, FALSE, sizeof (double));
  double ours_median, ours_max, theirs_median, theirs_max, ratio;

  /* The queries are printed as they are, accents included. */
  setlocale (LC_ALL, "");
  if (!g_get_charset (NULL))
    setlocale (LC_ALL, "C.UTF-8");

  if (sample == NULL)
    {
      g_printerr ("CBM_SAMPLE_REPOSITORY is not set\n");
      return 77;
    }

  /* A file:// URL needs an absolute path. */
  sample = sample_abs = g_canonicalize_filename (sample, NULL);
  index_json = g_build_filename (sample, "v1", "index.json", NULL);
  index_url = g_filename_to_uri (index_json, NULL, NULL);
  sample_docs = g_build_filename (sample, "v1", "documents", NULL);
  if (shared != NULL)
    corpus = g_build_filename (shared, "corpus", "pdf", NULL);

  store = fixture_open_store (store_path);
  fixture_sync (store, index_url);
  indexer = fixture_open_indexer (store, index_path);
  cbm_indexer_set_page_timeout (indexer, 2000);
  cbm_indexer_set_document_budget (indexer, 6000);

  /* Indexing: the sample first, then the corpus, each beside pdftotext on the same files. */
  g_ptr_array_extend_and_steal (files, list_pdfs (sample_docs));
  bench_indexing ("sample", indexer, files, 0);
  if (corpus != NULL && g_file_test (corpus, G_FILE_TEST_IS_DIR))
    {
      fixture_add_folder (store, "ZZ", corpus);
      corpus_files = list_pdfs (corpus);
      bench_indexing ("corpus", indexer, corpus_files, files->len);
      for (guint i = 0; i < corpus_files->len; i++)
        g_ptr_array_add (files, g_strdup (corpus_files->pdata[i]));
    }
  else
    g_print ("no corpus at %s: the sample repository only\n", corpus ? corpus : "(CBM_SHARED_DIR unset)");

  /* Queries beside pdfgrep. */
  for (guint i = 0; i < G_N_ELEMENTS (queries); i++)
    {
      const char *argv_grep[] = { "pdfgrep", "-r", "-i", "-F", "-c", queries[i].grep, sample_docs, NULL };
      guint n = 0;
      double ms;

      /* Warm once, as pdfgrep gets the page cache warm too. */
      time_query (indexer, queries[i].query, NULL);
      ms = time_query (indexer, queries[i].query, &n);
      g_array_append_val (ours, ms);
      ms = run_ms (argv_grep);
      g_array_append_val (theirs, ms);
      g_print ("  %-34s %5u pages  ours %7.2f ms   pdfgrep (sample) %8.0f ms\n",
               queries[i].query, n, g_array_index (ours, double, i), ms);
    }
  ours_max = percentile (ours, 1.0);
  ours_median = percentile (ours, 0.5);
  theirs_max = percentile (theirs, 1.0);
  theirs_median = percentile (theirs, 0.5);
  ratio = theirs_median / MAX (ours_median, 0.001);
  g_print ("queries: ours median %.2f ms, max %.2f ms; pdfgrep -r -i over the %u sample PDFs median %.0f ms, "
           "max %.0f ms; ratio %.0fx (target >= %.0fx) %s\n",
           ours_median, ours_max, files->len - (corpus_files ? corpus_files->len : 0),
           theirs_median, theirs_max, ratio, TARGET_QUERY_RATIO, ratio >= TARGET_QUERY_RATIO ? "PASS" : "FAIL");

  if (corpus_files != NULL)
    for (guint q = 0; q < 2; q++)
      {
        double corpus_ms = 0;

        for (guint i = 0; i < corpus_files->len; i++)
          {
            const char *argv_grep[] = { "timeout", "2", "pdfgrep", "-i", "-F", "-c", queries[q].grep,
                                        corpus_files->pdata[i], NULL };
            corpus_ms += run_ms (argv_grep);
          }
        g_print ("queries: pdfgrep for %s over the %u corpus PDFs (2 s timeout per file): %.0f ms, "
                 "%.0fx our median\n",
                 queries[q].query, corpus_files->len, corpus_ms, corpus_ms / MAX (ours_median, 0.001));
      }

  bench_scale (store, dir);

  g_clear_object (&indexer);
  g_clear_object (&store);
  cbm_test_remove_tree (dir);
  return 0;
}
