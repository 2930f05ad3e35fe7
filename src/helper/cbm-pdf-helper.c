/* cbm-pdf-helper.c
 *
 * Copyright 2026 The CBM Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The process that runs poppler for CbmPdfHelper. Poppler cannot be cancelled and hostile
 * files can make it spin, eat gigabytes or crash: here that only costs this process, which
 * the app kills on a deadline and starts again. See cbm-pdf-protocol-private.h. */

#define _GNU_SOURCE

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <gio/gio.h>

#include "cbm-pdf-document.h"
#include "cbm-pdf-protocol-private.h"

#if defined(__SANITIZE_ADDRESS__)
# define HAVE_ASAN 1
#elif defined(__has_feature)
# if __has_feature(address_sanitizer)
#  define HAVE_ASAN 1
# endif
#endif

/* A memfd that carries renders to the client. The helper keeps it and renders into it again
 * once the client has unmapped it and said so: writing to fresh pages costs a page fault each,
 * which can take longer than rendering a simple page, while mapping the memfd's pages again,
 * populated, costs little. So the helper maps a buffer only while it renders into it: while
 * the client holds a render, only the client maps it, and its pages count once, in the process
 * that shows them. */
typedef struct
{
  guint32  id;
  int      fd;
  gsize    size;
  guchar  *data;      /* NULL when not mapped */
  gboolean lent;      /* the client may still read it: never write to it */
} Buffer;

typedef struct
{
  CbmPdfDocument *document;
  gboolean        test_commands;
  GPtrArray      *buffers;  /* of Buffer */
  guint32         next_id;
} Helper;

/* Buffers kept for reuse when the client has none of them: they count against this process's
 * memory limit. Past MAX_LENT buffers held by the client (a long thumbnail strip), new ones are
 * not tracked, so the descriptors of this process stay few. */
#define MAX_SPARE_BYTES  ((gsize) 64 << 20)
#define MAX_LENT         64

static void
limit_resources (guint64 memory_limit)
{
  struct rlimit core = { 0, 0 };

  if (setrlimit (RLIMIT_CORE, &core) < 0)
    g_warning ("Cannot disable core dumps: %s", g_strerror (errno));

#ifdef HAVE_ASAN
  /* AddressSanitizer reserves terabytes of shadow memory and cannot run under RLIMIT_AS. */
  g_debug ("Built with AddressSanitizer: no memory limit");
#else
  if (memory_limit > 0)
    {
      struct rlimit as = { memory_limit, memory_limit };

      if (setrlimit (RLIMIT_AS, &as) < 0)
        g_warning ("Cannot limit memory: %s", g_strerror (errno));
    }
#endif
}

static void
buffer_free (Buffer *buffer)
{
  if (buffer->data != NULL)
    munmap (buffer->data, buffer->size);
  close (buffer->fd);
  g_free (buffer);
}

static gboolean
map_buffer (Buffer  *buffer,
            GError **error)
{
  gpointer data;

  if (buffer->data != NULL)
    return TRUE;

  /* Populating the pages in one call is much cheaper than faulting them in one by one as
   * cairo first writes them. */
  data = mmap (NULL, buffer->size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE,
               buffer->fd, 0);
  if (data == MAP_FAILED)
    {
      g_set_error (error, CBM_PDF_ERROR, CBM_PDF_ERROR_TOO_LARGE, "mmap: %s", g_strerror (errno));
      return FALSE;
    }

  buffer->data = data;
  return TRUE;
}

/* The bytes of the buffers the client holds none of. */
static gsize
count_spare_bytes (Helper *helper)
{
  gsize total = 0;

  for (guint i = 0; i < helper->buffers->len; i++)
    {
      Buffer *buffer = g_ptr_array_index (helper->buffers, i);

      if (!buffer->lent)
        total += buffer->size;
    }

  return total;
}

static guint
count_lent (Helper *helper)
{
  guint n = 0;

  for (guint i = 0; i < helper->buffers->len; i++)
    n += ((Buffer *) g_ptr_array_index (helper->buffers, i))->lent;
  return n;
}

/* Takes back the buffers the client has unmapped, then drops the largest spare ones past
 * MAX_SPARE_BYTES. Ids the helper does not know are ignored. */
static void
release_buffers (Helper   *helper,
                 GVariant *ids)
{
  GVariantIter iter;
  guint32 id;

  g_variant_iter_init (&iter, ids);
  while (g_variant_iter_next (&iter, "u", &id))
    for (guint i = 0; i < helper->buffers->len; i++)
      if (((Buffer *) g_ptr_array_index (helper->buffers, i))->id == id)
        ((Buffer *) g_ptr_array_index (helper->buffers, i))->lent = FALSE;

  while (count_spare_bytes (helper) > MAX_SPARE_BYTES)
    {
      guint largest = 0;
      gsize largest_size = 0;

      for (guint i = 0; i < helper->buffers->len; i++)
        {
          Buffer *buffer = g_ptr_array_index (helper->buffers, i);

          if (!buffer->lent && buffer->size > largest_size)
            {
              largest = i;
              largest_size = buffer->size;
            }
        }
      g_ptr_array_remove_index_fast (helper->buffers, largest);
    }
}

/* A spare buffer of at least @size bytes, but not so large that a small render holds much
 * memory, or a new one. */
static Buffer *
get_buffer (Helper  *helper,
            gsize    size,
            GError **error)
{
  Buffer *best = NULL;
  int fd;

  for (guint i = 0; i < helper->buffers->len; i++)
    {
      Buffer *buffer = g_ptr_array_index (helper->buffers, i);

      if (!buffer->lent && buffer->size >= size && buffer->size <= 2 * size
          && (best == NULL || buffer->size < best->size))
        best = buffer;
    }

  if (best != NULL)
    return map_buffer (best, error) ? best : NULL;

  fd = memfd_create ("cbm-pdf-page", MFD_CLOEXEC | MFD_ALLOW_SEALING);
  if (fd < 0 || ftruncate (fd, size) < 0
      /* The client maps the memfd: it must not be able to shrink under it. */
      || fcntl (fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL) < 0)
    {
      g_set_error (error, CBM_PDF_ERROR, CBM_PDF_ERROR_TOO_LARGE, "memfd: %s", g_strerror (errno));
      if (fd >= 0)
        close (fd);
      return NULL;
    }

  best = g_new0 (Buffer, 1);
  best->id = ++helper->next_id;
  best->fd = fd;
  best->size = size;
  if (!map_buffer (best, error))
    {
      buffer_free (best);
      return NULL;
    }

  g_ptr_array_add (helper->buffers, best);
  return best;
}

static GVariant *
render (Helper    *helper,
        GVariant  *args,
        int       *out_fd,
        GError   **error)
{
  g_autoptr(GVariant) released = NULL;
  Buffer *buffer;
  int page, width, height, stride, fd;
  guint32 id;
  double scale;

  g_variant_get (args, "(id@au)", &page, &scale, &released);
  release_buffers (helper, released);
  if (!cbm_pdf_document_get_render_size (helper->document, page, scale, &width, &height, error))
    return NULL;

  stride = cairo_format_stride_for_width (CAIRO_FORMAT_ARGB32, width);
  buffer = get_buffer (helper, (gsize) stride * height, error);
  if (buffer == NULL)
    return NULL;

  if (!cbm_pdf_document_render_page (helper->document, page, scale, buffer->data, width, height,
                                     stride, error))
    return NULL;

  fd = dup (buffer->fd);
  if (fd < 0)
    {
      g_set_error (error, CBM_PDF_ERROR, CBM_PDF_ERROR_FAILED, "dup: %s", g_strerror (errno));
      return NULL;
    }

  id = buffer->id;
  buffer->lent = TRUE;
  if (count_lent (helper) > MAX_LENT)
    g_ptr_array_remove_fast (helper->buffers, buffer);  /* frees it */
  else
    {
      munmap (buffer->data, buffer->size);
      buffer->data = NULL;
    }

  *out_fd = fd;
  return g_variant_new ("(iiiu)", width, height, stride, id);
}

static GVariant *
handle (Helper      *helper,
        const char  *command,
        GVariant    *args,
        int         *out_fd,
        GError     **error)
{
  if (g_str_equal (command, "open") && g_variant_is_of_type (args, G_VARIANT_TYPE ("(sms)")))
    {
      g_autoptr(CbmPdfInfo) info = NULL;
      const char *path, *password;

      g_variant_get (args, "(&sm&s)", &path, &password);
      g_clear_object (&helper->document);
      helper->document = cbm_pdf_document_open (path, password, error);
      if (helper->document == NULL)
        return NULL;

      info = cbm_pdf_document_get_info (helper->document);
      return cbm_pdf_protocol_info_to_variant (info);
    }

  if (g_str_equal (command, "sleep") && helper->test_commands
      && g_variant_is_of_type (args, G_VARIANT_TYPE ("(u)")))
    {
      guint ms;

      g_variant_get (args, "(u)", &ms);
      g_usleep ((gulong) ms * 1000);
      return g_variant_new ("()");
    }

  if (helper->document == NULL)
    {
      g_set_error_literal (error, CBM_PDF_ERROR, CBM_PDF_ERROR_NO_DOCUMENT, "No document");
      return NULL;
    }

  if (g_str_equal (command, "render") && g_variant_is_of_type (args, G_VARIANT_TYPE ("(idau)")))
    return render (helper, args, out_fd, error);

  if (g_str_equal (command, "text") && g_variant_is_of_type (args, G_VARIANT_TYPE ("(i)")))
    {
      char *text;
      int page;

      g_variant_get (args, "(i)", &page);
      text = cbm_pdf_document_get_text (helper->document, page, error);
      return text != NULL ? g_variant_new_take_string (text) : NULL;
    }

  if (g_str_equal (command, "selected-text")
      && g_variant_is_of_type (args, G_VARIANT_TYPE ("(i(dddd))")))
    {
      CbmPdfRect area;
      char *text;
      int page;

      g_variant_get (args, "(i(dddd))", &page, &area.x1, &area.y1, &area.x2, &area.y2);
      text = cbm_pdf_document_get_selected_text (helper->document, page, &area, error);
      return text != NULL ? g_variant_new_take_string (text) : NULL;
    }

  if (g_str_equal (command, "find") && g_variant_is_of_type (args, G_VARIANT_TYPE ("(isuu)")))
    {
      g_autoptr(GPtrArray) matches = NULL;
      const char *text;
      guint flags, max_matches;
      int page;

      g_variant_get (args, "(i&suu)", &page, &text, &flags, &max_matches);
      matches = cbm_pdf_document_find (helper->document, page, text, flags,
                                       MIN (max_matches, CBM_PDF_MAX_MATCHES), error);
      return matches != NULL ? cbm_pdf_protocol_matches_to_variant (matches) : NULL;
    }

  if (g_str_equal (command, "outline"))
    {
      g_autoptr(GPtrArray) items = cbm_pdf_document_get_outline (helper->document);

      return cbm_pdf_protocol_outline_to_variant (items);
    }

  if (g_str_equal (command, "links") && g_variant_is_of_type (args, G_VARIANT_TYPE ("(i)")))
    {
      g_autoptr(GPtrArray) links = NULL;
      int page;

      g_variant_get (args, "(i)", &page);
      links = cbm_pdf_document_get_links (helper->document, page, error);
      return links != NULL ? cbm_pdf_protocol_links_to_variant (links) : NULL;
    }

  g_set_error (error, CBM_PDF_ERROR, CBM_PDF_ERROR_FAILED, "Unknown request '%s'", command);
  return NULL;
}

static gboolean
parse_arguments (int       argc,
                 char    **argv,
                 int      *fd,
                 guint64  *memory_limit)
{
  for (int i = 1; i < argc; i++)
    {
      char *end = NULL;

      if (g_str_has_prefix (argv[i], "--fd="))
        *fd = (int) g_ascii_strtoll (argv[i] + 5, &end, 10);
      else if (g_str_has_prefix (argv[i], "--memory-limit="))
        *memory_limit = g_ascii_strtoull (argv[i] + 15, &end, 10);

      if (end == NULL || *end != '\0')
        return FALSE;
    }

  return *fd >= 0;
}

int
main (int    argc,
      char **argv)
{
  Helper helper = { NULL, g_strcmp0 (g_getenv ("CBM_PDF_HELPER_TEST_COMMANDS"), "1") == 0,
                    g_ptr_array_new_with_free_func ((GDestroyNotify) buffer_free), 0 };
  guint64 memory_limit = 0;
  int fd = -1;

  if (!parse_arguments (argc, argv, &fd, &memory_limit))
    {
      g_printerr ("Usage: %s --fd=FD [--memory-limit=BYTES]\n"
                  "Runs poppler for CBM Desk; not meant to be started by hand.\n", argv[0]);
      return 2;
    }

  /* Die with the app, even if it is killed before it can close the socket. */
  prctl (PR_SET_PDEATHSIG, SIGKILL);
  signal (SIGPIPE, SIG_IGN);
  limit_resources (memory_limit);

  for (;;)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GError) send_error = NULL;
      g_autoptr(GVariant) request = NULL;
      g_autoptr(GVariant) args = NULL;
      GVariant *value;
      const char *command;
      int out_fd = -1;
      gboolean sent;

      request = cbm_pdf_protocol_receive (fd, CBM_PDF_PROTOCOL_REQUEST, -1, NULL, &error);
      if (request == NULL)
        {
          if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CLOSED))
            break;
          g_printerr ("cbm-pdf-helper: %s\n", error->message);
          g_clear_object (&helper.document);
          g_ptr_array_unref (helper.buffers);
          return 1;
        }

      g_variant_get (request, "(&sv)", &command, &args);
      value = handle (&helper, command, args, &out_fd, &error);

      if (value != NULL)
        sent = cbm_pdf_protocol_send (fd, g_variant_new ("(us@v)", 0, "", g_variant_new_variant (value)),
                                      out_fd, &send_error);
      else
        {
          guint code = error->domain == CBM_PDF_ERROR ? (guint) error->code : CBM_PDF_ERROR_FAILED;

          sent = cbm_pdf_protocol_send (fd, g_variant_new ("(us@v)", code, error->message,
                                                           g_variant_new_variant (g_variant_new ("()"))),
                                        -1, &send_error);
        }

      if (out_fd >= 0)
        close (out_fd);

      if (!sent)
        {
          g_printerr ("cbm-pdf-helper: %s\n", send_error->message);
          break;
        }
    }

  g_clear_object (&helper.document);
  g_ptr_array_unref (helper.buffers);
  return 0;
}
