/* cbm-renderer.h
 *
 * Copyright 2026 The CBM Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

gboolean cbm_renderer_is_software_gl (const char *gl_renderer);
gboolean cbm_renderer_has_gpu_device (const char *dev_dir);
void     cbm_renderer_choose         (void);

G_END_DECLS
