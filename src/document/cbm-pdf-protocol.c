/* cbm-pdf-protocol.c
 *
 * Copyright 2026 The CBM Desk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <gio/gio.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "cbm-pdf-protocol-private.h"

#define MAX_OUTLINE_DEPTH 64

static gboolean
set_errno_error (GError     **error,
                 int          errsv,
                 const char  *what)
{
  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errsv), "%s: %s", what,
               g_strerror (errsv));
  return FALSE;
}

gboolean
cbm_pdf_protocol_send (int        fd,
                       GVariant  *message,
                       int        pass_fd,
                       GError   **error)
{
  g_autoptr(GVariant) owned = g_variant_ref_sink (message);
  guint32 header[2] = { CBM_PDF_PROTOCOL_MAGIC, g_variant_get_size (owned) };
  gsize total = sizeof header + header[1];
  g_autofree guint8 *buffer = NULL;
  gsize sent = 0;

  if (header[1] > CBM_PDF_PROTOCOL_MAX_SIZE)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE, "Message too large");
      return FALSE;
    }

  buffer = g_malloc (total);
  memcpy (buffer, header, sizeof header);
  g_variant_store (owned, buffer + sizeof header);

  while (sent < total)
    {
      struct iovec iov = { buffer + sent, total - sent };
      struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };
      union {
        struct cmsghdr align;
        char buf[CMSG_SPACE (sizeof (int))];
      } control;
      ssize_t n;

      /* The descriptor rides on the first chunk only. */
      if (sent == 0 && pass_fd >= 0)
        {
          struct cmsghdr *cmsg;

          memset (&control, 0, sizeof control);
          msg.msg_control = control.buf;
          msg.msg_controllen = sizeof control.buf;
          cmsg = CMSG_FIRSTHDR (&msg);
          cmsg->cmsg_level = SOL_SOCKET;
          cmsg->cmsg_type = SCM_RIGHTS;
          cmsg->cmsg_len = CMSG_LEN (sizeof (int));
          memcpy (CMSG_DATA (cmsg), &pass_fd, sizeof (int));
        }

      n = sendmsg (fd, &msg, MSG_NOSIGNAL);
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        return set_errno_error (error, errno, "sendmsg");
      sent += n;
    }

  return TRUE;
}

static void
keep_fds (struct msghdr *msg,
          int           *received_fd)
{
  for (struct cmsghdr *cmsg = CMSG_FIRSTHDR (msg); cmsg != NULL; cmsg = CMSG_NXTHDR (msg, cmsg))
    {
      int n_fds;

      if (cmsg->cmsg_level != SOL_SOCKET || cmsg->cmsg_type != SCM_RIGHTS)
        continue;

      n_fds = (cmsg->cmsg_len - CMSG_LEN (0)) / sizeof (int);
      for (int i = 0; i < n_fds; i++)
        {
          int passed;

          memcpy (&passed, CMSG_DATA (cmsg) + i * sizeof (int), sizeof (int));
          if (*received_fd < 0)
            *received_fd = passed;
          else
            close (passed);
        }
    }
}

static gboolean
receive_exactly (int       fd,
                 guint8   *buffer,
                 gsize     size,
                 gint64    deadline,
                 int      *received_fd,
                 GError  **error)
{
  gsize done = 0;

  while (done < size)
    {
      struct iovec iov = { buffer + done, size - done };
      union {
        struct cmsghdr align;
        char buf[CMSG_SPACE (4 * sizeof (int))];
      } control;
      struct msghdr msg = {
        .msg_iov = &iov,
        .msg_iovlen = 1,
        .msg_control = control.buf,
        .msg_controllen = sizeof control.buf,
      };
      ssize_t n;

      if (deadline >= 0)
        {
          struct pollfd pfd = { fd, POLLIN, 0 };
          gint64 remaining = deadline - g_get_monotonic_time ();
          int r;

          if (remaining <= 0)
            {
              g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT, "Deadline reached");
              return FALSE;
            }

          r = poll (&pfd, 1, (int) MIN ((remaining + 999) / 1000, G_MAXINT));
          if (r < 0 && errno != EINTR)
            return set_errno_error (error, errno, "poll");
          if (r <= 0)
            continue;
        }

      n = recvmsg (fd, &msg, MSG_CMSG_CLOEXEC);
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0 && errno == ECONNRESET)
        n = 0;
      if (n < 0)
        return set_errno_error (error, errno, "recvmsg");

      keep_fds (&msg, received_fd);

      if (n == 0)
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CLOSED, "Connection closed");
          return FALSE;
        }
      done += n;
    }

  return TRUE;
}

/* @deadline is in g_get_monotonic_time() microseconds, or -1 to wait forever.
 * A timeout is G_IO_ERROR_TIMED_OUT and the peer closing is G_IO_ERROR_CLOSED. */
GVariant *
cbm_pdf_protocol_receive (int          fd,
                          const char  *type,
                          gint64       deadline,
                          int         *received_fd,
                          GError     **error)
{
  guint32 header[2];
  g_autoptr(GBytes) bytes = NULL;
  guint8 *payload;
  int passed_fd = -1;
  gboolean ok;

  ok = receive_exactly (fd, (guint8 *) header, sizeof header, deadline, &passed_fd, error);
  if (ok && (header[0] != CBM_PDF_PROTOCOL_MAGIC || header[1] > CBM_PDF_PROTOCOL_MAX_SIZE))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "Bad message header");
      ok = FALSE;
    }

  if (ok)
    {
      payload = g_malloc (MAX (header[1], 1));
      bytes = g_bytes_new_take (payload, header[1]);
      ok = receive_exactly (fd, payload, header[1], deadline, &passed_fd, error);
    }

  if (!ok)
    {
      if (passed_fd >= 0)
        close (passed_fd);
      return NULL;
    }

  if (received_fd != NULL)
    *received_fd = passed_fd;
  else if (passed_fd >= 0)
    close (passed_fd);

  /* Untrusted: GVariant validates lazily and gives defaults for malformed parts. */
  return g_variant_ref_sink (g_variant_new_from_bytes (G_VARIANT_TYPE (type), bytes, FALSE));
}

static char *
iso8601_or_null (GDateTime *date)
{
  return date != NULL ? g_date_time_format_iso8601 (date) : NULL;
}

static GDateTime *
date_or_null (const char *text)
{
  return text != NULL ? g_date_time_new_from_iso8601 (text, NULL) : NULL;
}

static char *
string_or_null (const char *text)
{
  return text != NULL && g_utf8_validate (text, -1, NULL) ? g_strdup (text) : NULL;
}

GVariant *
cbm_pdf_protocol_info_to_variant (CbmPdfInfo *info)
{
  g_autofree char *created = iso8601_or_null (info->creation_date);
  g_autofree char *modified = iso8601_or_null (info->modification_date);
  GVariantBuilder sizes;

  g_variant_builder_init (&sizes, G_VARIANT_TYPE ("a(dd)"));
  for (int i = 0; i < info->n_pages; i++)
    g_variant_builder_add (&sizes, "(dd)", info->page_sizes[i].width, info->page_sizes[i].height);

  return g_variant_new (CBM_PDF_PROTOCOL_INFO, info->n_pages, &sizes,
                        info->title, info->author, info->subject, info->keywords,
                        info->creator, info->producer, info->pdf_version,
                        created, modified, info->has_outline);
}

CbmPdfInfo *
cbm_pdf_protocol_info_from_variant (GVariant *variant)
{
  g_autoptr(GVariant) sizes = NULL;
  g_autofree char *created = NULL;
  g_autofree char *modified = NULL;
  CbmPdfInfo *info;
  int n_pages;

  if (!g_variant_is_of_type (variant, G_VARIANT_TYPE (CBM_PDF_PROTOCOL_INFO)))
    return NULL;

  g_variant_get_child (variant, 0, "i", &n_pages);
  sizes = g_variant_get_child_value (variant, 1);
  if (n_pages <= 0 || n_pages > CBM_PDF_MAX_PAGES || g_variant_n_children (sizes) != (gsize) n_pages)
    return NULL;

  info = cbm_pdf_info_new (n_pages);
  for (int i = 0; i < n_pages; i++)
    {
      g_variant_get_child (sizes, i, "(dd)", &info->page_sizes[i].width,
                           &info->page_sizes[i].height);
    }

  g_variant_get (variant, CBM_PDF_PROTOCOL_INFO, NULL, NULL,
                 &info->title, &info->author, &info->subject, &info->keywords,
                 &info->creator, &info->producer, &info->pdf_version,
                 &created, &modified, &info->has_outline);
  info->creation_date = date_or_null (created);
  info->modification_date = date_or_null (modified);

  return info;
}

static void
add_outline_items (GVariantBuilder *builder,
                   GPtrArray       *items,
                   guint            depth)
{
  for (guint i = 0; i < items->len; i++)
    {
      CbmPdfOutlineItem *item = g_ptr_array_index (items, i);

      g_variant_builder_add (builder, "(usis)", depth, item->title, item->page,
                             item->uri != NULL ? item->uri : "");
      add_outline_items (builder, item->children, depth + 1);
    }
}

/* The tree travels flattened in pre-order, each entry with its depth. */
GVariant *
cbm_pdf_protocol_outline_to_variant (GPtrArray *items)
{
  GVariantBuilder builder;

  g_variant_builder_init (&builder, G_VARIANT_TYPE (CBM_PDF_PROTOCOL_OUTLINE));
  add_outline_items (&builder, items, 0);
  return g_variant_builder_end (&builder);
}

GPtrArray *
cbm_pdf_protocol_outline_from_variant (GVariant *variant)
{
  GPtrArray *roots = g_ptr_array_new_with_free_func ((GDestroyNotify) cbm_pdf_outline_item_unref);
  GPtrArray *parents[MAX_OUTLINE_DEPTH + 1] = { roots };
  guint top = 0;
  GVariantIter iter;
  const char *title, *uri;
  guint depth;
  int page;

  if (!g_variant_is_of_type (variant, G_VARIANT_TYPE (CBM_PDF_PROTOCOL_OUTLINE)))
    return roots;

  g_variant_iter_init (&iter, variant);
  while (g_variant_iter_next (&iter, "(u&si&s)", &depth, &title, &page, &uri))
    {
      CbmPdfOutlineItem *item;

      /* A depth can only grow by one; clamp whatever the helper sent. */
      depth = MIN (depth, top);
      item = cbm_pdf_outline_item_new (title, page, cbm_pdf_uri_is_allowed (uri) ? uri : NULL);
      g_ptr_array_add (parents[depth], item);
      top = MIN (depth + 1, MAX_OUTLINE_DEPTH);
      parents[top] = item->children;
    }

  return roots;
}

GVariant *
cbm_pdf_protocol_links_to_variant (GPtrArray *links)
{
  GVariantBuilder builder;

  g_variant_builder_init (&builder, G_VARIANT_TYPE (CBM_PDF_PROTOCOL_LINKS));
  for (guint i = 0; i < links->len; i++)
    {
      CbmPdfLink *link = g_ptr_array_index (links, i);

      g_variant_builder_add (&builder, "(u(dddd)is)", link->kind,
                             link->area.x1, link->area.y1, link->area.x2, link->area.y2,
                             link->page, link->uri != NULL ? link->uri : "");
    }

  return g_variant_builder_end (&builder);
}

/* The client checks the links again: the helper runs untrusted input and is not trusted. */
GPtrArray *
cbm_pdf_protocol_links_from_variant (GVariant *variant,
                                     int       n_pages)
{
  GPtrArray *links = g_ptr_array_new_with_free_func ((GDestroyNotify) cbm_pdf_link_unref);
  GVariantIter iter;
  CbmPdfRect area;
  const char *uri;
  guint kind;
  int page;

  if (!g_variant_is_of_type (variant, G_VARIANT_TYPE (CBM_PDF_PROTOCOL_LINKS)))
    return links;

  g_variant_iter_init (&iter, variant);
  while (g_variant_iter_next (&iter, "(u(dddd)i&s)", &kind,
                              &area.x1, &area.y1, &area.x2, &area.y2, &page, &uri))
    {
      if (kind == CBM_PDF_LINK_URI && cbm_pdf_uri_is_allowed (uri))
        g_ptr_array_add (links, cbm_pdf_link_new (CBM_PDF_LINK_URI, &area, -1, uri));
      else if (kind == CBM_PDF_LINK_GOTO && page >= 0 && page < n_pages)
        g_ptr_array_add (links, cbm_pdf_link_new (CBM_PDF_LINK_GOTO, &area, page, NULL));
    }

  return links;
}

GVariant *
cbm_pdf_protocol_matches_to_variant (GPtrArray *matches)
{
  GVariantBuilder builder;

  g_variant_builder_init (&builder, G_VARIANT_TYPE (CBM_PDF_PROTOCOL_MATCHES));
  for (guint i = 0; i < matches->len; i++)
    {
      CbmPdfMatch *match = g_ptr_array_index (matches, i);

      g_variant_builder_add (&builder, "(i(dddd)stt)", match->page,
                             match->area.x1, match->area.y1, match->area.x2, match->area.y2,
                             match->context, (guint64) match->match_offset,
                             (guint64) match->match_length);
    }

  return g_variant_builder_end (&builder);
}

GPtrArray *
cbm_pdf_protocol_matches_from_variant (GVariant *variant)
{
  GPtrArray *matches = g_ptr_array_new_with_free_func ((GDestroyNotify) cbm_pdf_match_unref);
  GVariantIter iter;
  CbmPdfRect area;
  const char *context;
  guint64 offset, length;
  int page;

  if (!g_variant_is_of_type (variant, G_VARIANT_TYPE (CBM_PDF_PROTOCOL_MATCHES)))
    return matches;

  g_variant_iter_init (&iter, variant);
  while (g_variant_iter_next (&iter, "(i(dddd)&stt)", &page,
                              &area.x1, &area.y1, &area.x2, &area.y2, &context, &offset, &length))
    {
      g_autofree char *valid = string_or_null (context);

      g_ptr_array_add (matches, cbm_pdf_match_new (page, &area, valid, offset, length));
    }

  return matches;
}
