/* cbm-search.h
 *
 * Copyright 2026 The CBM Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The search layer for other layers: the full-text index of every document. */

#pragma once

#include "cbm-indexer.h"
#include "cbm-search-query.h"
#include "cbm-search-result.h"
