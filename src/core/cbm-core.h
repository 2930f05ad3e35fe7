/* cbm-core.h
 *
 * Copyright 2026 The CBM Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cbm-contact-query.h"
#include "cbm-contact.h"
#include "cbm-country.h"
#include "cbm-date.h"
#include "cbm-document.h"
#include "cbm-enums.h"
#include "cbm-event-format.h"
#include "cbm-event.h"
#include "cbm-ics.h"
#include "cbm-measure.h"
#include "cbm-registration.h"
#include "cbm-store-outbox.h"
#include "cbm-store.h"
#include "cbm-text.h"
#include "cbm-vcard.h"
