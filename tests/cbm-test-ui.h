/* cbm-test-ui.h
 *
 * Copyright 2026 The CBM Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the in-process UI tests share: walking the widget tree and waiting on the main loop.
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

GtkWidget *cbm_test_find_widget    (GtkWidget  *root,
                                    GType       type);
void       cbm_test_spin           (guint       ms);
void       cbm_test_wait_until     (gboolean  (*done) (gpointer),
                                    gpointer    data);
void       cbm_test_wait_for_items (GListModel *model,
                                    guint       n);

G_END_DECLS
