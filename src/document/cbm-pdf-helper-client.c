/* cbm-pdf-helper-client.c
 *
 * Copyright 2026 The CBM Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define _GNU_SOURCE

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gi18n.h>

#include "cbm-pdf-helper-private.h"
#include "cbm-pdf-protocol-private.h"

/* Poppler runs in the cbm-pdf-helper process. One worker thread per CbmPdfHelper talks to it
 * with blocking I/O and a deadline per job; jobs run one at a time in the order they were
 * queued, and their GTasks complete on the caller's thread-default main context.
 *
 * A job that overruns its deadline kills the helper. The next job starts a new helper and, if
 * a document had been opened successfully, opens it again before running.
 *
 * An open job may render a page right after opening, on the worker thread, at a scale that a
 * function of the caller chooses from the document's info: a viewer gets its first page with
 * the document instead of one trip through its main loop later. */

typedef struct _Job Job;
typedef struct _Worker Worker;

typedef gboolean (*ParseFunc) (Worker    *worker,
                               Job       *job,
                               GVariant  *value,
                               int        fd,
                               GError   **error);

struct _Job
{
  const char      *command;     /* NULL asks the worker to quit */
  GVariant        *args;
  GTask           *task;
  ParseFunc        parse;
  guint            timeout_ms;
  guint64          memory_limit;

  /* An open job's page render, when scale_func is set. */
  int              page;
  CbmPdfScaleFunc  scale_func;
  gpointer         scale_data;
  GDestroyNotify   scale_data_free;
  CbmPdfImage     *image;
  GError          *render_error;
};

typedef struct
{
  CbmPdfInfo  *info;
  int          page;
  CbmPdfImage *image;
  GError      *render_error;
} Opened;

struct _Worker
{
  char        *helper_path;
  GAsyncQueue *queue;

  /* The helper's render buffers that the client has unmapped, for the helper to render into
   * again; any thread adds to them when an image is freed. generation counts helper processes,
   * so that buffers of a killed helper are not handed to the next. */
  GMutex       lock;
  GArray      *released;     /* of guint32 */
  guint        generation;

  /* Only the worker thread touches the rest. */
  GSubprocess *process;
  int          socket_fd;
  int          pid;          /* atomic: tests read it */
  char        *doc_path;
  char        *doc_password;
  int          n_pages;
  gboolean     doc_loaded;   /* the running helper has doc_path open */
};

struct _CbmPdfHelper
{
  GObject  parent_instance;

  Worker  *worker;
  GThread *thread;
  guint    timeout_ms;
  guint64  memory_limit;
};

G_DEFINE_FINAL_TYPE (CbmPdfHelper, cbm_pdf_helper, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_TIMEOUT,
  PROP_MEMORY_LIMIT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
job_free (Job *job)
{
  g_clear_pointer (&job->args, g_variant_unref);
  g_clear_object (&job->task);
  if (job->scale_data_free != NULL)
    job->scale_data_free (job->scale_data);
  g_clear_pointer (&job->image, cbm_pdf_image_unref);
  g_clear_error (&job->render_error);
  g_free (job);
}

static void
opened_free (Opened *opened)
{
  g_clear_pointer (&opened->info, cbm_pdf_info_unref);
  g_clear_pointer (&opened->image, cbm_pdf_image_unref);
  g_clear_error (&opened->render_error);
  g_free (opened);
}

static void
clear_worker (gpointer data)
{
  Worker *worker = data;

  g_free (worker->helper_path);
  g_async_queue_unref (worker->queue);
  g_mutex_clear (&worker->lock);
  g_array_unref (worker->released);
  g_free (worker->doc_path);
  g_free (worker->doc_password);
}

static void
worker_unref (Worker *worker)
{
  g_atomic_rc_box_release_full (worker, clear_worker);
}

static void
stop_process (Worker   *worker,
              gboolean  kill)
{
  if (worker->process != NULL && kill)
    g_subprocess_force_exit (worker->process);

  /* Closing our end makes an idle helper exit on EOF. */
  if (worker->socket_fd >= 0)
    close (worker->socket_fd);
  worker->socket_fd = -1;
  g_clear_object (&worker->process);
  g_atomic_int_set (&worker->pid, 0);
  worker->doc_loaded = FALSE;
}

static gboolean
start_process (Worker   *worker,
               Job      *job,
               GError  **error)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *limit = NULL;
  const char *identifier;
  int fds[2];

  if (socketpair (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) < 0)
    {
      g_warning ("Cannot create a socket pair: %s", g_strerror (errno));
      g_propagate_error (error, cbm_pdf_error_new (CBM_PDF_ERROR_FAILED));
      return FALSE;
    }

  limit = g_strdup_printf ("--memory-limit=%" G_GUINT64_FORMAT, job->memory_limit);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  g_subprocess_launcher_take_fd (launcher, fds[1], 3);
  worker->process = g_subprocess_launcher_spawn (launcher, &local_error,
                                                 worker->helper_path, "--fd=3", limit, NULL);
  if (worker->process == NULL)
    {
      close (fds[0]);
      g_warning ("Cannot start %s: %s", worker->helper_path, local_error->message);
      g_propagate_error (error, cbm_pdf_error_new (CBM_PDF_ERROR_FAILED));
      return FALSE;
    }

  worker->socket_fd = fds[0];
  g_mutex_lock (&worker->lock);
  worker->generation++;
  g_array_set_size (worker->released, 0);
  g_mutex_unlock (&worker->lock);
  identifier = g_subprocess_get_identifier (worker->process);
  g_atomic_int_set (&worker->pid, identifier != NULL ? atoi (identifier) : 0);
  worker->doc_loaded = FALSE;
  return TRUE;
}

static gboolean
ensure_process (Worker   *worker,
                Job      *job,
                GError  **error)
{
  if (worker->process != NULL)
    {
      struct pollfd pfd = { worker->socket_fd, POLLIN, 0 };

      /* An idle helper never writes: anything readable means it died (EOF) or misbehaved. */
      if (poll (&pfd, 1, 0) == 0)
        return TRUE;

      g_debug ("PDF helper died while idle; restarting it");
      stop_process (worker, TRUE);
    }

  return start_process (worker, job, error);
}

/* Sends one request and waits for its reply until the deadline. Failures of the process itself
 * (a timeout, a crash, a garbled reply) stop it; errors the helper reports leave it running. */
static GVariant *
round_trip (Worker      *worker,
            const char  *command,
            GVariant    *args,
            guint        timeout_ms,
            int         *fd,
            GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GVariant) value = NULL;
  const char *detail;
  gint64 deadline;
  guint32 status;

  deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;
  if (cbm_pdf_protocol_send (worker->socket_fd,
                             g_variant_new ("(s@v)", command, g_variant_new_variant (args)),
                             -1, &local_error))
    reply = cbm_pdf_protocol_receive (worker->socket_fd, CBM_PDF_PROTOCOL_REPLY, deadline, fd,
                                      &local_error);

  if (reply == NULL)
    {
      gboolean timed_out = g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);

      g_debug ("PDF helper job '%s' failed: %s", command, local_error->message);
      stop_process (worker, TRUE);
      if (timed_out && !g_str_equal (command, "render"))
        g_set_error_literal (error, CBM_PDF_ERROR, CBM_PDF_ERROR_TIMEOUT,
                             _("Reading this document took too long and was stopped."));
      else
        g_propagate_error (error, cbm_pdf_error_new (timed_out ? CBM_PDF_ERROR_TIMEOUT
                                                               : CBM_PDF_ERROR_CRASHED));
      return NULL;
    }

  g_variant_get (reply, "(u&sv)", &status, &detail, &value);
  if (status != 0)
    {
      g_debug ("PDF helper job '%s' failed with %u: %s", command, status, detail);
      g_propagate_error (error, cbm_pdf_error_new (status));
      if (fd != NULL && *fd >= 0)
        {
          close (*fd);
          *fd = -1;
        }
      return NULL;
    }

  return g_steal_pointer (&value);
}

static gboolean
open_document (Worker      *worker,
               const char  *path,
               const char  *password,
               guint        timeout_ms,
               GVariant   **value,
               GError     **error)
{
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(CbmPdfInfo) info = NULL;

  worker->doc_loaded = FALSE;
  reply = round_trip (worker, "open", g_variant_new ("(sms)", path, password), timeout_ms,
                      NULL, error);
  if (reply == NULL)
    return FALSE;

  info = cbm_pdf_protocol_info_from_variant (reply);
  if (info == NULL)
    {
      stop_process (worker, TRUE);
      g_propagate_error (error, cbm_pdf_error_new (CBM_PDF_ERROR_CRASHED));
      return FALSE;
    }

  worker->n_pages = info->n_pages;
  worker->doc_loaded = TRUE;
  if (value != NULL)
    *value = g_steal_pointer (&reply);
  return TRUE;
}

/* A render request, giving the helper back the buffers released since the last one. */
static GVariant *
render_args (Worker *worker,
             int     page,
             double  scale)
{
  GVariant *released;

  g_mutex_lock (&worker->lock);
  released = g_variant_new_fixed_array (G_VARIANT_TYPE_UINT32, worker->released->data,
                                        worker->released->len, sizeof (guint32));
  g_array_set_size (worker->released, 0);
  g_mutex_unlock (&worker->lock);

  return g_variant_new ("(id@au)", page, scale, released);
}

static gboolean     parse_image      (Worker    *worker,
                                      Job       *job,
                                      GVariant  *value,
                                      int        fd,
                                      GError   **error);
static CbmPdfImage *image_from_reply (Worker    *worker,
                                      GVariant  *value,
                                      int        fd,
                                      GError   **error);

/* Renders the page an open job asks for, right behind the open, without a trip through the
 * caller's main loop. A failed render leaves the document open. */
static void
render_after_open (Worker   *worker,
                   Job      *job,
                   GVariant *info_value)
{
  g_autoptr(CbmPdfInfo) info = cbm_pdf_protocol_info_from_variant (info_value);
  g_autoptr(GVariant) reply = NULL;
  double scale;
  int fd = -1;

  if (info == NULL || info->n_pages <= 0
      || g_cancellable_is_cancelled (g_task_get_cancellable (job->task)))
    return;

  job->page = CLAMP (job->page, 0, info->n_pages - 1);
  scale = job->scale_func (info, job->page, job->scale_data);
  reply = round_trip (worker, "render", render_args (worker, job->page, scale), job->timeout_ms,
                      &fd, &job->render_error);
  if (reply != NULL)
    job->image = image_from_reply (worker, reply, fd, &job->render_error);
}

static void
run_job (Worker *worker,
         Job    *job)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) value = NULL;
  gboolean is_open = g_str_equal (job->command, "open");
  int fd = -1;

  if (g_task_return_error_if_cancelled (job->task))
    return;

  if (is_open)
    {
      const char *path, *password;

      g_clear_pointer (&worker->doc_path, g_free);
      g_clear_pointer (&worker->doc_password, g_free);
      g_variant_get (job->args, "(&sm&s)", &path, &password);

      if (ensure_process (worker, job, &error)
          && open_document (worker, path, password, job->timeout_ms, &value, &error))
        {
          worker->doc_path = g_strdup (path);
          worker->doc_password = g_strdup (password);
          if (job->scale_func != NULL)
            render_after_open (worker, job, value);
        }
    }
  else if (worker->doc_path == NULL && !g_str_equal (job->command, "sleep"))
    {
      error = cbm_pdf_error_new (CBM_PDF_ERROR_NO_DOCUMENT);
    }
  else if (ensure_process (worker, job, &error)
           && (worker->doc_loaded || worker->doc_path == NULL
               || open_document (worker, worker->doc_path, worker->doc_password,
                                 job->timeout_ms, NULL, &error)))
    {
      GVariant *args = job->args;
      int page;
      double scale;

      if (g_str_equal (job->command, "render"))
        {
          g_variant_get (job->args, "(id)", &page, &scale);
          args = render_args (worker, page, scale);
        }
      value = round_trip (worker, job->command, args, job->timeout_ms, &fd, &error);
    }

  /* Only a rendered page comes with a descriptor. */
  if (fd >= 0 && job->parse != parse_image)
    {
      close (fd);
      fd = -1;
    }

  if (error == NULL && job->parse (worker, job, value, fd, &error))
    return;

  g_task_return_error (job->task, g_steal_pointer (&error));
}

static gpointer
worker_thread (gpointer data)
{
  Worker *worker = data;

  for (;;)
    {
      Job *job = g_async_queue_pop (worker->queue);
      gboolean quit = job->command == NULL;

      if (!quit)
        run_job (worker, job);
      job_free (job);
      if (quit)
        break;
    }

  stop_process (worker, FALSE);
  worker_unref (worker);
  return NULL;
}

static Job *
new_job (CbmPdfHelper        *self,
         const char          *command,
         GVariant            *args,
         ParseFunc            parse,
         gpointer             source_tag,
         GCancellable        *cancellable,
         GAsyncReadyCallback  callback,
         gpointer             user_data)
{
  Job *job = g_new0 (Job, 1);

  job->command = command;
  job->args = g_variant_ref_sink (args);
  job->parse = parse;
  job->timeout_ms = self->timeout_ms;
  job->memory_limit = self->memory_limit;
  job->task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (job->task, source_tag);
  return job;
}

static void
push_job (CbmPdfHelper *self,
          Job          *job)
{
  if (self->thread == NULL)
    self->thread = g_thread_new ("cbm-pdf-helper", worker_thread,
                                 g_atomic_rc_box_acquire (self->worker));

  g_async_queue_push (self->worker->queue, job);
}

static gboolean
parse_info (Worker    *worker,
            Job       *job,
            GVariant  *value,
            int        fd,
            GError   **error)
{
  g_task_return_pointer (job->task, cbm_pdf_protocol_info_from_variant (value),
                         (GDestroyNotify) cbm_pdf_info_unref);
  return TRUE;
}

static gboolean
parse_opened (Worker    *worker,
              Job       *job,
              GVariant  *value,
              int        fd,
              GError   **error)
{
  Opened *opened = g_new0 (Opened, 1);

  opened->info = cbm_pdf_protocol_info_from_variant (value);
  opened->page = job->page;
  opened->image = g_steal_pointer (&job->image);
  opened->render_error = g_steal_pointer (&job->render_error);
  g_task_return_pointer (job->task, opened, (GDestroyNotify) opened_free);
  return TRUE;
}

static gboolean
parse_string (Worker    *worker,
              Job       *job,
              GVariant  *value,
              int        fd,
              GError   **error)
{
  if (!g_variant_is_of_type (value, G_VARIANT_TYPE_STRING))
    {
      g_propagate_error (error, cbm_pdf_error_new (CBM_PDF_ERROR_FAILED));
      return FALSE;
    }

  g_task_return_pointer (job->task, g_variant_dup_string (value, NULL), g_free);
  return TRUE;
}

static gboolean
parse_outline (Worker    *worker,
               Job       *job,
               GVariant  *value,
               int        fd,
               GError   **error)
{
  GPtrArray *items = cbm_pdf_protocol_outline_from_variant (value);

  g_task_return_pointer (job->task, items, (GDestroyNotify) g_ptr_array_unref);
  return TRUE;
}

static gboolean
parse_links (Worker    *worker,
             Job       *job,
             GVariant  *value,
             int        fd,
             GError   **error)
{
  GPtrArray *links = cbm_pdf_protocol_links_from_variant (value, worker->n_pages);

  g_task_return_pointer (job->task, links, (GDestroyNotify) g_ptr_array_unref);
  return TRUE;
}

static gboolean
parse_matches (Worker    *worker,
               Job       *job,
               GVariant  *value,
               int        fd,
               GError   **error)
{
  GPtrArray *matches = cbm_pdf_protocol_matches_from_variant (value);

  g_task_return_pointer (job->task, matches, (GDestroyNotify) g_ptr_array_unref);
  return TRUE;
}

static gboolean
parse_nothing (Worker    *worker,
               Job       *job,
               GVariant  *value,
               int        fd,
               GError   **error)
{
  g_task_return_boolean (job->task, TRUE);
  return TRUE;
}

typedef struct
{
  gpointer  data;
  gsize     size;
  Worker   *worker;
  guint32   buffer;
  guint     generation;
} Mapping;

/* Once the pixels are unmapped, the helper that rendered them may render into their buffer
 * again. */
static void
unmap (gpointer data)
{
  Mapping *mapping = data;
  Worker *worker = mapping->worker;

  munmap (mapping->data, mapping->size);
  g_mutex_lock (&worker->lock);
  if (mapping->generation == worker->generation)
    g_array_append_val (worker->released, mapping->buffer);
  g_mutex_unlock (&worker->lock);
  worker_unref (worker);
  g_free (mapping);
}

/* The helper is not trusted: check the sizes and the seals before mapping its memfd. Takes
 * @fd. */
static CbmPdfImage *
image_from_reply (Worker    *worker,
                  GVariant  *value,
                  int        fd,
                  GError   **error)
{
  g_autoptr(GBytes) bytes = NULL;
  Mapping *mapping;
  struct stat st;
  int width = 0, height = 0, stride = 0;
  guint32 buffer = 0;
  int seals;
  gpointer data;

  if (g_variant_is_of_type (value, G_VARIANT_TYPE ("(iiiu)")))
    g_variant_get (value, "(iiiu)", &width, &height, &stride, &buffer);

  seals = fd >= 0 ? fcntl (fd, F_GET_SEALS) : -1;
  if (fd < 0 || seals < 0 || !(seals & F_SEAL_SHRINK) || fstat (fd, &st) < 0
      || width <= 0 || height <= 0 || width > CBM_PDF_MAX_DIMENSION
      || height > CBM_PDF_MAX_DIMENSION || (gint64) width * height > CBM_PDF_MAX_PIXELS
      || stride != cairo_format_stride_for_width (CAIRO_FORMAT_ARGB32, width)
      || st.st_size < (off_t) stride * height)
    {
      g_debug ("PDF helper sent an invalid image");
      if (fd >= 0)
        close (fd);
      g_propagate_error (error, cbm_pdf_error_new (CBM_PDF_ERROR_FAILED));
      return NULL;
    }

  /* A private mapping: the pixels can be drawn on without touching the helper's copy. */
  data = mmap (NULL, (gsize) stride * height, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
  close (fd);
  if (data == MAP_FAILED)
    {
      g_debug ("Cannot map the rendered page: %s", g_strerror (errno));
      g_propagate_error (error, cbm_pdf_error_new (CBM_PDF_ERROR_TOO_LARGE));
      return NULL;
    }

  /* Fault the pages in here, on the worker thread, rather than on the main thread when the
   * pixels are first read (a texture upload); kernels before 5.14 just skip this. */
  madvise (data, (gsize) stride * height, MADV_POPULATE_READ);

  mapping = g_new (Mapping, 1);
  mapping->data = data;
  mapping->size = (gsize) stride * height;
  mapping->worker = g_atomic_rc_box_acquire (worker);
  mapping->buffer = buffer;
  g_mutex_lock (&worker->lock);
  mapping->generation = worker->generation;
  g_mutex_unlock (&worker->lock);
  bytes = g_bytes_new_with_free_func (data, mapping->size, unmap, mapping);
  return cbm_pdf_image_new (width, height, stride, bytes);
}

static gboolean
parse_image (Worker    *worker,
             Job       *job,
             GVariant  *value,
             int        fd,
             GError   **error)
{
  CbmPdfImage *image = image_from_reply (worker, value, fd, error);

  if (image == NULL)
    return FALSE;
  g_task_return_pointer (job->task, image, (GDestroyNotify) cbm_pdf_image_unref);
  return TRUE;
}

static void
cbm_pdf_helper_finalize (GObject *object)
{
  CbmPdfHelper *self = (CbmPdfHelper *)object;

  /* The worker may be the thread dropping the last reference, so it is not joined: it quits
   * after the jobs ahead of this one, which cannot exist since each job holds a reference. */
  if (self->thread != NULL)
    {
      g_async_queue_push (self->worker->queue, g_new0 (Job, 1));
      g_thread_unref (self->thread);
    }
  worker_unref (self->worker);

  G_OBJECT_CLASS (cbm_pdf_helper_parent_class)->finalize (object);
}

static void
cbm_pdf_helper_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  CbmPdfHelper *self = CBM_PDF_HELPER (object);

  switch (prop_id)
    {
    case PROP_TIMEOUT:
      g_value_set_uint (value, self->timeout_ms);
      break;

    case PROP_MEMORY_LIMIT:
      g_value_set_uint64 (value, self->memory_limit);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cbm_pdf_helper_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  CbmPdfHelper *self = CBM_PDF_HELPER (object);

  switch (prop_id)
    {
    case PROP_TIMEOUT:
      cbm_pdf_helper_set_timeout (self, g_value_get_uint (value));
      break;

    case PROP_MEMORY_LIMIT:
      cbm_pdf_helper_set_memory_limit (self, g_value_get_uint64 (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cbm_pdf_helper_class_init (CbmPdfHelperClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cbm_pdf_helper_finalize;
  object_class->get_property = cbm_pdf_helper_get_property;
  object_class->set_property = cbm_pdf_helper_set_property;

  /**
   * CbmPdfHelper:timeout:
   *
   * How long one job may take, in milliseconds, before the helper is killed.
   */
  properties[PROP_TIMEOUT] =
    g_param_spec_uint ("timeout", NULL, NULL,
                       1, G_MAXUINT, CBM_PDF_HELPER_DEFAULT_TIMEOUT,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * CbmPdfHelper:memory-limit:
   *
   * The address-space limit of the helper process in bytes, or 0 for none. It applies to
   * helpers started after it is set.
   */
  properties[PROP_MEMORY_LIMIT] =
    g_param_spec_uint64 ("memory-limit", NULL, NULL,
                         0, G_MAXUINT64, CBM_PDF_HELPER_DEFAULT_MEMORY_LIMIT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cbm_pdf_helper_init (CbmPdfHelper *self)
{
  const char *path = g_getenv ("CBM_PDF_HELPER");

  self->timeout_ms = CBM_PDF_HELPER_DEFAULT_TIMEOUT;
  self->memory_limit = CBM_PDF_HELPER_DEFAULT_MEMORY_LIMIT;

  self->worker = g_atomic_rc_box_new0 (Worker);
  self->worker->helper_path = g_strdup (path != NULL && *path != '\0'
                                        ? path : LIBEXECDIR "/cbm-pdf-helper");
  self->worker->queue = g_async_queue_new ();
  g_mutex_init (&self->worker->lock);
  self->worker->released = g_array_new (FALSE, FALSE, sizeof (guint32));
  self->worker->socket_fd = -1;
}

/**
 * cbm_pdf_helper_new:
 *
 * Creates a client for the cbm-pdf-helper process found in `$CBM_PDF_HELPER` or in
 * libexecdir. The process starts with the first job.
 *
 * Returns: (transfer full): a new #CbmPdfHelper
 */
CbmPdfHelper *
cbm_pdf_helper_new (void)
{
  return g_object_new (CBM_TYPE_PDF_HELPER, NULL);
}

guint
cbm_pdf_helper_get_timeout (CbmPdfHelper *self)
{
  g_return_val_if_fail (CBM_IS_PDF_HELPER (self), 0);

  return self->timeout_ms;
}

/**
 * cbm_pdf_helper_set_timeout:
 * @self: a #CbmPdfHelper
 * @timeout_ms: the deadline of each job queued from now on, in milliseconds
 */
void
cbm_pdf_helper_set_timeout (CbmPdfHelper *self,
                            guint         timeout_ms)
{
  g_return_if_fail (CBM_IS_PDF_HELPER (self));

  timeout_ms = MAX (timeout_ms, 1);
  if (self->timeout_ms == timeout_ms)
    return;

  self->timeout_ms = timeout_ms;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TIMEOUT]);
}

guint64
cbm_pdf_helper_get_memory_limit (CbmPdfHelper *self)
{
  g_return_val_if_fail (CBM_IS_PDF_HELPER (self), 0);

  return self->memory_limit;
}

void
cbm_pdf_helper_set_memory_limit (CbmPdfHelper *self,
                                 guint64       bytes)
{
  g_return_if_fail (CBM_IS_PDF_HELPER (self));

  if (self->memory_limit == bytes)
    return;

  self->memory_limit = bytes;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MEMORY_LIMIT]);
}

/**
 * cbm_pdf_helper_open_async:
 * @self: a #CbmPdfHelper
 * @path: a local file name
 * @password: (nullable): the password, or %NULL
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Opens @path in the helper, replacing the document opened before. Later jobs work on it.
 * Cancelling a job only stops it if it has not started yet; a running job ends at the
 * latest at its deadline.
 */
void
cbm_pdf_helper_open_async (CbmPdfHelper        *self,
                           const char          *path,
                           const char          *password,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_return_if_fail (CBM_IS_PDF_HELPER (self));
  g_return_if_fail (path != NULL);

  push_job (self, new_job (self, "open", g_variant_new ("(sms)", path, password), parse_info,
                           cbm_pdf_helper_open_async, cancellable, callback, user_data));
}

/**
 * cbm_pdf_helper_open_finish:
 * @self: a #CbmPdfHelper
 * @result: the #GAsyncResult
 * @error: return location for a %CBM_PDF_ERROR
 *
 * Returns: (transfer full): page count, page sizes and metadata
 */
CbmPdfInfo *
cbm_pdf_helper_open_finish (CbmPdfHelper  *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * cbm_pdf_helper_open_and_render_async:
 * @self: a #CbmPdfHelper
 * @path: a local file name
 * @password: (nullable): the password, or %NULL
 * @page: the 0-based page to render once the document is open; clamped to its pages
 * @scale_func: (scope notified): chooses the scale of the render from the document's info
 * @scale_data: (closure scale_func): data for @scale_func
 * @scale_data_free: (destroy scale_data) (nullable): frees @scale_data
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Opens @path as cbm_pdf_helper_open_async() does, then renders @page on a white background
 * straight away, as cbm_pdf_helper_render_page_async() would. @scale_func runs on the
 * helper's worker thread, so it must only read its arguments. The render has its own
 * deadline, and its failure does not fail the open.
 */
void
cbm_pdf_helper_open_and_render_async (CbmPdfHelper        *self,
                                      const char          *path,
                                      const char          *password,
                                      int                  page,
                                      CbmPdfScaleFunc      scale_func,
                                      gpointer             scale_data,
                                      GDestroyNotify       scale_data_free,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  Job *job;

  g_return_if_fail (CBM_IS_PDF_HELPER (self));
  g_return_if_fail (path != NULL);
  g_return_if_fail (scale_func != NULL);

  job = new_job (self, "open", g_variant_new ("(sms)", path, password), parse_opened,
                 cbm_pdf_helper_open_and_render_async, cancellable, callback, user_data);
  job->page = page;
  job->scale_func = scale_func;
  job->scale_data = scale_data;
  job->scale_data_free = scale_data_free;
  push_job (self, job);
}

/**
 * cbm_pdf_helper_open_and_render_finish:
 * @self: a #CbmPdfHelper
 * @result: the #GAsyncResult
 * @page: (out) (optional): the page rendered, or asked for when it failed
 * @image: (out) (optional) (nullable) (transfer full): the page's pixels, or %NULL if the
 *   render failed or was not tried (the task was cancelled)
 * @render_error: (out) (optional) (nullable) (transfer full): why the render failed
 * @error: return location for a %CBM_PDF_ERROR: why the document could not be opened
 *
 * Returns: (transfer full): page count, page sizes and metadata, or %NULL
 */
CbmPdfInfo *
cbm_pdf_helper_open_and_render_finish (CbmPdfHelper  *self,
                                       GAsyncResult  *result,
                                       int           *page,
                                       CbmPdfImage  **image,
                                       GError       **render_error,
                                       GError       **error)
{
  Opened *opened;
  CbmPdfInfo *info;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  opened = g_task_propagate_pointer (G_TASK (result), error);
  if (opened == NULL)
    return NULL;

  if (page != NULL)
    *page = opened->page;
  if (image != NULL)
    *image = g_steal_pointer (&opened->image);
  if (render_error != NULL)
    *render_error = g_steal_pointer (&opened->render_error);
  info = g_steal_pointer (&opened->info);
  opened_free (opened);
  return info;
}

/**
 * cbm_pdf_helper_render_page_async:
 * @self: a #CbmPdfHelper
 * @page: 0-based page index
 * @scale: pixels per point (1.0 is 72 dpi)
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Renders a page of the open document on a white background.
 */
void
cbm_pdf_helper_render_page_async (CbmPdfHelper        *self,
                                  int                  page,
                                  double               scale,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_return_if_fail (CBM_IS_PDF_HELPER (self));

  push_job (self, new_job (self, "render", g_variant_new ("(id)", page, scale), parse_image,
                           cbm_pdf_helper_render_page_async, cancellable, callback, user_data));
}

/**
 * cbm_pdf_helper_render_page_finish:
 * @self: a #CbmPdfHelper
 * @result: the #GAsyncResult
 * @error: return location for a %CBM_PDF_ERROR
 *
 * Returns: (transfer full): the pixels, ARGB32 premultiplied
 */
CbmPdfImage *
cbm_pdf_helper_render_page_finish (CbmPdfHelper  *self,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * cbm_pdf_helper_get_text_async:
 * @self: a #CbmPdfHelper
 * @page: 0-based page index
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Extracts the text of a page, for indexing and copying.
 */
void
cbm_pdf_helper_get_text_async (CbmPdfHelper        *self,
                               int                  page,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_return_if_fail (CBM_IS_PDF_HELPER (self));

  push_job (self, new_job (self, "text", g_variant_new ("(i)", page), parse_string,
                           cbm_pdf_helper_get_text_async, cancellable, callback, user_data));
}

/**
 * cbm_pdf_helper_get_text_finish:
 * @self: a #CbmPdfHelper
 * @result: the #GAsyncResult
 * @error: return location for a %CBM_PDF_ERROR
 *
 * Returns: (transfer full): valid UTF-8 text
 */
char *
cbm_pdf_helper_get_text_finish (CbmPdfHelper  *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * cbm_pdf_helper_get_selected_text_async:
 * @self: a #CbmPdfHelper
 * @page: 0-based page index
 * @area: the selection, in points from the page's top-left corner
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 */
void
cbm_pdf_helper_get_selected_text_async (CbmPdfHelper        *self,
                                        int                  page,
                                        const CbmPdfRect    *area,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  g_return_if_fail (CBM_IS_PDF_HELPER (self));
  g_return_if_fail (area != NULL);

  push_job (self, new_job (self, "selected-text",
                           g_variant_new ("(i(dddd))", page, area->x1, area->y1, area->x2,
                                          area->y2),
                           parse_string, cbm_pdf_helper_get_selected_text_async, cancellable,
                           callback, user_data));
}

/**
 * cbm_pdf_helper_get_selected_text_finish:
 * @self: a #CbmPdfHelper
 * @result: the #GAsyncResult
 * @error: return location for a %CBM_PDF_ERROR
 *
 * Returns: (transfer full): the selected text
 */
char *
cbm_pdf_helper_get_selected_text_finish (CbmPdfHelper  *self,
                                         GAsyncResult  *result,
                                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * cbm_pdf_helper_find_async:
 * @self: a #CbmPdfHelper
 * @page: 0-based page index, or -1 for the whole document
 * @text: the text to look for
 * @flags: search options; case is ignored unless %CBM_PDF_FIND_CASE_SENSITIVE is given
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Finds up to %CBM_PDF_MAX_MATCHES matches.
 */
void
cbm_pdf_helper_find_async (CbmPdfHelper        *self,
                           int                  page,
                           const char          *text,
                           CbmPdfFindFlags      flags,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_return_if_fail (CBM_IS_PDF_HELPER (self));
  g_return_if_fail (text != NULL && g_utf8_validate (text, -1, NULL));

  push_job (self, new_job (self, "find",
                           g_variant_new ("(isuu)", page, text, (guint) flags,
                                          (guint) CBM_PDF_MAX_MATCHES),
                           parse_matches, cbm_pdf_helper_find_async, cancellable, callback,
                           user_data));
}

/**
 * cbm_pdf_helper_find_finish:
 * @self: a #CbmPdfHelper
 * @result: the #GAsyncResult
 * @error: return location for a %CBM_PDF_ERROR
 *
 * Returns: (transfer full) (element-type CbmPdfMatch): the matches in page order
 */
GPtrArray *
cbm_pdf_helper_find_finish (CbmPdfHelper  *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * cbm_pdf_helper_get_outline_async:
 * @self: a #CbmPdfHelper
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 */
void
cbm_pdf_helper_get_outline_async (CbmPdfHelper        *self,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_return_if_fail (CBM_IS_PDF_HELPER (self));

  push_job (self, new_job (self, "outline", g_variant_new ("()"), parse_outline,
                           cbm_pdf_helper_get_outline_async, cancellable, callback, user_data));
}

/**
 * cbm_pdf_helper_get_outline_finish:
 * @self: a #CbmPdfHelper
 * @result: the #GAsyncResult
 * @error: return location for a %CBM_PDF_ERROR
 *
 * Returns: (transfer full) (element-type CbmPdfOutlineItem): the top-level entries
 */
GPtrArray *
cbm_pdf_helper_get_outline_finish (CbmPdfHelper  *self,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * cbm_pdf_helper_get_links_async:
 * @self: a #CbmPdfHelper
 * @page: 0-based page index
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 */
void
cbm_pdf_helper_get_links_async (CbmPdfHelper        *self,
                                int                  page,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_return_if_fail (CBM_IS_PDF_HELPER (self));

  push_job (self, new_job (self, "links", g_variant_new ("(i)", page), parse_links,
                           cbm_pdf_helper_get_links_async, cancellable, callback, user_data));
}

/**
 * cbm_pdf_helper_get_links_finish:
 * @self: a #CbmPdfHelper
 * @result: the #GAsyncResult
 * @error: return location for a %CBM_PDF_ERROR
 *
 * Returns: (transfer full) (element-type CbmPdfLink): internal jumps and http(s)/mailto links
 */
GPtrArray *
cbm_pdf_helper_get_links_finish (CbmPdfHelper  *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

int
_cbm_pdf_helper_get_pid (CbmPdfHelper *self)
{
  g_return_val_if_fail (CBM_IS_PDF_HELPER (self), 0);

  return g_atomic_int_get (&self->worker->pid);
}

void
_cbm_pdf_helper_sleep_async (CbmPdfHelper        *self,
                             guint                milliseconds,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_return_if_fail (CBM_IS_PDF_HELPER (self));

  push_job (self, new_job (self, "sleep", g_variant_new ("(u)", milliseconds), parse_nothing,
                           _cbm_pdf_helper_sleep_async, cancellable, callback, user_data));
}

gboolean
_cbm_pdf_helper_sleep_finish (CbmPdfHelper  *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
