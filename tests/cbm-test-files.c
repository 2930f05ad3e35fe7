/* cbm-test-files.c
 *
 * Copyright 2026 The CBM Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>

#include "cbm-test-files.h"

/**
 * cbm_test_remove_tree:
 * @path: a file or a folder, which may be missing
 *
 * Removes @path and everything below it, without following links, for the tests' and the
 * benchmarks' temporary folders. In this process: forking a benchmark for rm would leave its
 * pages copy-on-write, and its next timed run would pay a page fault for each one it writes.
 * Folders a test made read-only are opened up first.
 */
void
cbm_test_remove_tree (const char *path)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  if (!g_file_test (path, G_FILE_TEST_IS_DIR) || g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    {
      g_unlink (path);
      return;
    }

  g_chmod (path, 0700);
  dir = g_dir_open (path, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      cbm_test_remove_tree (child);
    }
  g_rmdir (path);
}
