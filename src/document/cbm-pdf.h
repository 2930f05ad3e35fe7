/* cbm-pdf.h
 *
 * Copyright 2026 The CBM Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The document layer for other layers: the viewer and the indexer use CbmPdfHelper, which runs
 * poppler in the cbm-pdf-helper process. */

#pragma once

#include "cbm-pdf-error.h"
#include "cbm-pdf-helper-client.h"
#include "cbm-pdf-types.h"
