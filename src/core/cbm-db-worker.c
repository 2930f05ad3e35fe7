/* cbm-db-worker.c
 *
 * Copyright 2026 The CBM Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cbm-db-worker.h"

/* One thread that owns one sqlite connection, fed by a queue of jobs (pitfalls.md: one writer
 * fed by a queue). The store and the search index each have one; their hooks say what differs.
 * Each job's GTask returns on its own context, in the order the jobs ran. */

struct _CbmDbWorker
{
  GThread                *thread;
  GAsyncQueue            *jobs;
  const CbmDbWorkerHooks *hooks;
  gpointer                owner;
  sqlite3               **db;     /* the owner's; only the thread touches it */
};

/* A job whose func is NULL tells the worker to stop. */
static CbmDbJob stop_job;

static void
job_free (CbmDbJob *job)
{
  if (job->data_free != NULL)
    g_clear_pointer (&job->data, job->data_free);
  if (job->result_free != NULL)
    g_clear_pointer (&job->result, job->result_free);
  if (job->extra_free != NULL)
    g_clear_pointer (&job->extra, job->extra_free);
  g_clear_error (&job->error);
  g_clear_object (&job->task);
  g_free (job);
}

typedef struct
{
  CbmDbWorker *worker;
  CbmDbJob    *job;
} Completion;

static gboolean
complete_cb (gpointer user_data)
{
  Completion *completion = user_data;
  CbmDbWorker *self = completion->worker;
  CbmDbJob *job = completion->job;

  g_free (completion);
  if (self->hooks->complete != NULL)
    self->hooks->complete (self->owner, job);

  if (job->error != NULL)
    g_task_return_error (job->task, g_steal_pointer (&job->error));
  else if (job->result != NULL)
    {
      g_task_return_pointer (job->task, g_steal_pointer (&job->result), job->result_free);
      job->result_free = NULL;
    }
  else
    g_task_return_boolean (job->task, TRUE);

  job_free (job);
  return G_SOURCE_REMOVE;
}

static gpointer
worker_main (gpointer user_data)
{
  CbmDbWorker *self = user_data;

  for (;;)
    {
      CbmDbJob *job = g_async_queue_pop (self->jobs);
      Completion *completion;
      GSource *source;

      if (job == &stop_job)
        break;

      /* A cancelled job still completes on its context: freeing it here could drop the last
       * reference to the owner, and finalize it, on this very thread. */
      if (!g_cancellable_set_error_if_cancelled (g_task_get_cancellable (job->task), &job->error))
        {
          if (*self->db == NULL && job->func != self->hooks->opener)
            job->error = self->hooks->closed_error ();
          else
            job->func (self->owner, job);
        }

      if (self->hooks->after != NULL)
        self->hooks->after (self->owner, job, g_async_queue_length (self->jobs));

      completion = g_new (Completion, 1);
      completion->worker = self;
      completion->job = job;
      /* A source, not g_main_context_invoke(): that runs the callback right here whenever no
       * thread holds the context at that moment, and the models would change on this thread. */
      source = g_idle_source_new ();
      g_source_set_priority (source, G_PRIORITY_DEFAULT);
      g_source_set_callback (source, complete_cb, completion, NULL);
      g_source_set_static_name (source, "[cbm] database job completed");
      g_source_attach (source, g_task_get_context (job->task));
      g_source_unref (source);
    }

  if (*self->db != NULL)
    sqlite3_close_v2 (*self->db);
  *self->db = NULL;
  return NULL;
}

/**
 * cbm_db_worker_new:
 * @hooks: (not nullable): kept, not copied
 * @owner: handed to the jobs and the hooks; must outlive the worker
 * @db: where the owner keeps its connection, which its opener job sets; the worker closes it
 *   when it stops
 */
CbmDbWorker *
cbm_db_worker_new (const char             *thread_name,
                   const CbmDbWorkerHooks *hooks,
                   gpointer                owner,
                   sqlite3               **db)
{
  CbmDbWorker *self = g_new0 (CbmDbWorker, 1);

  self->jobs = g_async_queue_new ();
  self->hooks = hooks;
  self->owner = owner;
  self->db = db;
  self->thread = g_thread_new (thread_name, worker_main, self);
  return self;
}

/* Takes @task. Fill in the job's extra before pushing it: the worker owns it from then on. */
CbmDbJob *
cbm_db_job_new (GTask          *task,
                CbmDbJobFunc    func,
                gpointer        data,
                GDestroyNotify  data_free)
{
  CbmDbJob *job = g_new0 (CbmDbJob, 1);

  job->func = func;
  job->task = task;
  job->data = data;
  job->data_free = data_free;
  return job;
}

void
cbm_db_worker_push (CbmDbWorker *self,
                    CbmDbJob    *job)
{
  g_return_if_fail (job != NULL && job->func != NULL);
  g_async_queue_push (self->jobs, job);
}

/* Runs the jobs already queued, closes the connection and waits for the thread. Owners call it
 * from finalize: each job's task holds a reference to its owner until it has returned, so no
 * completion is left to come. */
void
cbm_db_worker_free (CbmDbWorker *self)
{
  if (self == NULL)
    return;
  /* Jobs never drop the owner's last reference on the worker: their tasks are freed on their
   * own contexts. */
  g_return_if_fail (g_thread_self () != self->thread);

  g_async_queue_push (self->jobs, &stop_job);
  g_thread_join (self->thread);
  g_async_queue_unref (self->jobs);
  g_free (self);
}
