/* cbm-db-worker.h
 *
 * Copyright 2026 The CBM Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <sqlite3.h>

G_BEGIN_DECLS

typedef struct _CbmDbWorker CbmDbWorker;
typedef struct _CbmDbJob CbmDbJob;

/* Runs on the worker thread; sets the job's result or error. */
typedef void (*CbmDbJobFunc) (gpointer  owner,
                              CbmDbJob *job);

struct _CbmDbJob
{
  CbmDbJobFunc    func;
  GTask          *task;        /* returns on its own context once the job ran */
  gpointer        data;
  GDestroyNotify  data_free;
  gpointer        result;      /* returned as the task's pointer; a boolean TRUE when NULL */
  GDestroyNotify  result_free;
  GError         *error;
  gpointer        extra;       /* the owner's own, for its hooks */
  GDestroyNotify  extra_free;
};

/* What differs between the owners of a worker. */
typedef struct
{
  /* The job that opens the connection: the only one that runs without it. */
  CbmDbJobFunc   opener;
  /* The error of any other job while the connection is not open. */
  GError      *(*closed_error) (void);
  /* Optional. Worker thread, after each job; @n_waiting jobs are queued behind it. */
  void         (*after)        (gpointer   owner,
                                CbmDbJob  *job,
                                gint       n_waiting);
  /* Optional. The task's context, before the task returns. */
  void         (*complete)     (gpointer   owner,
                                CbmDbJob  *job);
} CbmDbWorkerHooks;

CbmDbWorker *cbm_db_worker_new  (const char             *thread_name,
                                 const CbmDbWorkerHooks *hooks,
                                 gpointer                owner,
                                 sqlite3               **db);
CbmDbJob    *cbm_db_job_new     (GTask                  *task,
                                 CbmDbJobFunc            func,
                                 gpointer                data,
                                 GDestroyNotify          data_free);
void         cbm_db_worker_push (CbmDbWorker            *self,
                                 CbmDbJob               *job);
void         cbm_db_worker_free (CbmDbWorker            *self);

G_END_DECLS
