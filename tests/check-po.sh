#!/bin/sh
# check-po.sh FILE.po — fails unless msgfmt accepts FILE.po and every message is translated
# (msgfmt --statistics reports no fuzzy or untranslated messages).
#
# Copyright 2026 The CBM Desk authors
# SPDX-License-Identifier: GPL-3.0-or-later

set -u
po="$1"
msgfmt=${MSGFMT:-msgfmt}

# --statistics writes to stderr; keep it apart from the exit status.
stats=$("$msgfmt" --check --statistics -o /dev/null "$po" 2>&1)
rc=$?
echo "$(basename "$po"): $stats"
if [ "$rc" -ne 0 ]; then
  echo "msgfmt --check failed for $po" >&2
  exit 1
fi
case "$stats" in
  *fuzz*|*untranslated*)
    echo "$po has fuzzy or untranslated messages" >&2
    exit 1
    ;;
  *" translated message"*)
    exit 0
    ;;
esac
echo "unexpected msgfmt statistics output for $po" >&2
exit 1
