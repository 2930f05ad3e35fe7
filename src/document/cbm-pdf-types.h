/* cbm-pdf-types.h
 *
 * Copyright 2026 The CBM Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <cairo.h>
#include <glib-object.h>

G_BEGIN_DECLS

/* Guards against hostile documents. */
#define CBM_PDF_MAX_PAGES       100000
#define CBM_PDF_MAX_PIXELS      (64 * 1024 * 1024)
#define CBM_PDF_MAX_DIMENSION   32767
#define CBM_PDF_MAX_MATCHES     1000

/* Page numbers are 0-based everywhere. Coordinates are in PDF points with the origin at the
 * top-left corner of the page: multiply by the render scale to get pixels. */
typedef struct
{
  double x1;
  double y1;
  double x2;
  double y2;
} CbmPdfRect;

typedef struct
{
  double width;
  double height;
} CbmPdfPageSize;

typedef enum
{
  CBM_PDF_FIND_DEFAULT        = 0,
  CBM_PDF_FIND_CASE_SENSITIVE = 1 << 0,
  CBM_PDF_FIND_WHOLE_WORDS    = 1 << 1,
  CBM_PDF_FIND_IGNORE_ACCENTS = 1 << 2,
} CbmPdfFindFlags;

typedef struct
{
  int             n_pages;
  CbmPdfPageSize *page_sizes;     /* n_pages entries */
  char           *title;          /* each string may be NULL */
  char           *author;
  char           *subject;
  char           *keywords;
  char           *creator;
  char           *producer;
  char           *pdf_version;    /* e.g. "PDF-1.7" */
  GDateTime      *creation_date;  /* may be NULL */
  GDateTime      *modification_date;
  gboolean        has_outline;
} CbmPdfInfo;

typedef struct
{
  char      *title;
  int        page;      /* -1 when the entry has no destination in the document */
  char      *uri;       /* an allowed external link, or NULL */
  GPtrArray *children;  /* of CbmPdfOutlineItem, never NULL */
} CbmPdfOutlineItem;

typedef enum
{
  CBM_PDF_LINK_GOTO,
  CBM_PDF_LINK_URI,
} CbmPdfLinkKind;

typedef struct
{
  CbmPdfLinkKind kind;
  CbmPdfRect     area;
  int            page;  /* CBM_PDF_LINK_GOTO */
  char          *uri;   /* CBM_PDF_LINK_URI: http, https or mailto only */
} CbmPdfLink;

typedef struct
{
  int         page;
  CbmPdfRect  area;
  char       *context;       /* the text around the match, on one line */
  gsize       match_offset;  /* byte offset of the match in @context */
  gsize       match_length;  /* byte length of the match in @context */
} CbmPdfMatch;

/* Pixels are cairo's ARGB32 (premultiplied, native endian), which is
 * GDK_MEMORY_DEFAULT for gdk_memory_texture_new(). */
typedef struct
{
  int     width;
  int     height;
  int     stride;
  GBytes *pixels;
} CbmPdfImage;

#define CBM_TYPE_PDF_INFO         (cbm_pdf_info_get_type ())
#define CBM_TYPE_PDF_OUTLINE_ITEM (cbm_pdf_outline_item_get_type ())
#define CBM_TYPE_PDF_LINK         (cbm_pdf_link_get_type ())
#define CBM_TYPE_PDF_MATCH        (cbm_pdf_match_get_type ())
#define CBM_TYPE_PDF_IMAGE        (cbm_pdf_image_get_type ())

GType              cbm_pdf_info_get_type         (void) G_GNUC_CONST;
CbmPdfInfo        *cbm_pdf_info_new              (int                n_pages) G_GNUC_WARN_UNUSED_RESULT;
CbmPdfInfo        *cbm_pdf_info_ref              (CbmPdfInfo        *info);
void               cbm_pdf_info_unref            (CbmPdfInfo        *info);

GType              cbm_pdf_outline_item_get_type (void) G_GNUC_CONST;
CbmPdfOutlineItem *cbm_pdf_outline_item_new      (const char        *title,
                                                  int                page,
                                                  const char        *uri) G_GNUC_WARN_UNUSED_RESULT;
CbmPdfOutlineItem *cbm_pdf_outline_item_ref      (CbmPdfOutlineItem *item);
void               cbm_pdf_outline_item_unref    (CbmPdfOutlineItem *item);

GType              cbm_pdf_link_get_type         (void) G_GNUC_CONST;
CbmPdfLink        *cbm_pdf_link_new              (CbmPdfLinkKind     kind,
                                                  const CbmPdfRect  *area,
                                                  int                page,
                                                  const char        *uri) G_GNUC_WARN_UNUSED_RESULT;
CbmPdfLink        *cbm_pdf_link_ref              (CbmPdfLink        *link);
void               cbm_pdf_link_unref            (CbmPdfLink        *link);

GType              cbm_pdf_match_get_type        (void) G_GNUC_CONST;
CbmPdfMatch       *cbm_pdf_match_new             (int                page,
                                                  const CbmPdfRect  *area,
                                                  const char        *context,
                                                  gsize              match_offset,
                                                  gsize              match_length) G_GNUC_WARN_UNUSED_RESULT;
CbmPdfMatch       *cbm_pdf_match_ref             (CbmPdfMatch       *match);
void               cbm_pdf_match_unref           (CbmPdfMatch       *match);

GType              cbm_pdf_image_get_type        (void) G_GNUC_CONST;
CbmPdfImage       *cbm_pdf_image_new             (int                width,
                                                  int                height,
                                                  int                stride,
                                                  GBytes            *pixels) G_GNUC_WARN_UNUSED_RESULT;
CbmPdfImage       *cbm_pdf_image_ref             (CbmPdfImage       *image);
void               cbm_pdf_image_unref           (CbmPdfImage       *image);
cairo_surface_t   *cbm_pdf_image_create_surface  (CbmPdfImage       *image) G_GNUC_WARN_UNUSED_RESULT;

gboolean           cbm_pdf_uri_is_allowed        (const char        *uri);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CbmPdfInfo, cbm_pdf_info_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CbmPdfOutlineItem, cbm_pdf_outline_item_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CbmPdfLink, cbm_pdf_link_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CbmPdfMatch, cbm_pdf_match_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CbmPdfImage, cbm_pdf_image_unref)

G_END_DECLS
