/* cbm-viewer.h
 *
 * Copyright 2026 The CBM Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The viewer layer for the app: a widget-free model and the widget that shows it. */

#pragma once

#include "cbm-pdf-model.h"
#include "cbm-pdf-page-cache.h"
#include "cbm-pdf-thumbnail-item.h"
#include "cbm-pdf-thumbnails.h"
#include "cbm-pdf-view.h"
#include "cbm-renderer.h"
