/* cbm-pdf-protocol-private.h
 *
 * Copyright 2026 The CBM Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The protocol between CbmPdfHelper (the client, in the app) and cbm-pdf-helper (the process
 * that runs poppler).
 *
 * Transport: one end of an AF_UNIX SOCK_STREAM socketpair, passed to the helper as file
 * descriptor 3 (`cbm-pdf-helper --fd=3 --memory-limit=BYTES`). The helper exits when it reads
 * EOF, i.e. when the client closes its end or dies.
 *
 * Framing: every message is an 8-byte header followed by a payload:
 *   uint32 magic  0x31504243 ("CBP1" in little endian), native byte order
 *   uint32 size   payload size in bytes, at most CBM_PDF_PROTOCOL_MAX_SIZE
 *   payload       a serialised GVariant; the receiver loads it as untrusted data
 * A message may carry one file descriptor as SCM_RIGHTS ancillary data.
 *
 * The client sends one request and waits for its reply before sending the next:
 *   request  (sv)   command name and its arguments
 *   reply    (usv)  status (0 = success, else a CbmPdfError code), a detail for logs (not
 *                   translated, not shown to users), and the result ("()" when none)
 *
 *   command         arguments    result
 *   "open"          (sms)        CBM_PDF_PROTOCOL_INFO: path, password
 *   "render"        (idau)       (iiiu) width, height, stride, buffer id + one memfd: page,
 *                                scale, ids of the buffers the client has unmapped since
 *   "text"          (i)          s: page
 *   "selected-text" (i(dddd))    s: page, area
 *   "find"          (isuu)       CBM_PDF_PROTOCOL_MATCHES: page (-1: all), text, flags, max
 *   "outline"       ()           CBM_PDF_PROTOCOL_OUTLINE
 *   "links"         (i)          CBM_PDF_PROTOCOL_LINKS: page
 *   "sleep"         (u)          (): milliseconds; only when the helper's environment has
 *                                CBM_PDF_HELPER_TEST_COMMANDS=1 (tests of the deadline)
 *
 * Rendered pixels travel in a sealed memfd (F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL) of at
 * least height × stride bytes of cairo ARGB32, so the client can map it without copying and
 * without the helper being able to shrink it under the client (SIGBUS). The helper keeps its
 * memfds and renders into one again only once the client has given its id back in a later
 * "render" request, i.e. after unmapping it: its pages are then already in memory. Ids from
 * a helper that has since been restarted are not given to the next one, which ignores ids it
 * does not know.
 */

#pragma once

#include <glib.h>

#include "cbm-pdf-types.h"

G_BEGIN_DECLS

#define CBM_PDF_PROTOCOL_MAGIC     0x31504243u
#define CBM_PDF_PROTOCOL_MAX_SIZE  (64u * 1024 * 1024)

#define CBM_PDF_PROTOCOL_REQUEST   "(sv)"
#define CBM_PDF_PROTOCOL_REPLY     "(usv)"
#define CBM_PDF_PROTOCOL_INFO      "(ia(dd)msmsmsmsmsmsmsmsmsb)"
#define CBM_PDF_PROTOCOL_OUTLINE   "a(usis)"
#define CBM_PDF_PROTOCOL_LINKS     "a(u(dddd)is)"
#define CBM_PDF_PROTOCOL_MATCHES   "a(i(dddd)stt)"

gboolean           cbm_pdf_protocol_send                (int           fd,
                                                         GVariant     *message,
                                                         int           pass_fd,
                                                         GError      **error);
GVariant          *cbm_pdf_protocol_receive             (int           fd,
                                                         const char   *type,
                                                         gint64        deadline,
                                                         int          *received_fd,
                                                         GError      **error);

GVariant          *cbm_pdf_protocol_info_to_variant     (CbmPdfInfo  *info);
CbmPdfInfo        *cbm_pdf_protocol_info_from_variant   (GVariant    *variant);
GVariant          *cbm_pdf_protocol_outline_to_variant  (GPtrArray   *items);
GPtrArray         *cbm_pdf_protocol_outline_from_variant (GVariant   *variant);
GVariant          *cbm_pdf_protocol_links_to_variant    (GPtrArray   *links);
GPtrArray         *cbm_pdf_protocol_links_from_variant  (GVariant    *variant,
                                                         int          n_pages);
GVariant          *cbm_pdf_protocol_matches_to_variant  (GPtrArray   *matches);
GPtrArray         *cbm_pdf_protocol_matches_from_variant (GVariant   *variant);

G_END_DECLS
