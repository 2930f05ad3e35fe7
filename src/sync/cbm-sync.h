/* cbm-sync.h
 *
 * Copyright 2026 The CBM Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cbm-feed.h"
#include "cbm-fetcher.h"
#include "cbm-registration-sender.h"
#include "cbm-sync-client.h"
