#!/bin/sh
# check-metainfo.sh FILE — validates the merged AppStream metainfo with --strict.
# AppStream 0.16 (Debian 12) predates the <developer> element of AppStream 1.0, which Flathub
# requires, and reports it as an unknown tag; that single info is tolerated, nothing else is.
#
# Copyright 2026 The CBM Desk authors
# SPDX-License-Identifier: GPL-3.0-or-later

set -u
appstreamcli=${APPSTREAMCLI:-appstreamcli}

out=$("$appstreamcli" validate --no-net --explain --strict "$1" 2>&1)
rc=$?
printf '%s\n' "$out"
[ "$rc" -eq 0 ] && exit 0

# Every issue line starts with a severity letter: E(rror) W(arning) I(nfo) P(edantic).
others=$(printf '%s\n' "$out" | grep -E '^[EWI]: ' | grep -v -E '^I: [^ ]+ unknown-tag developer$')
if [ -z "$others" ] && printf '%s\n' "$out" | grep -q -E '^I: [^ ]+ unknown-tag developer$'; then
  echo "OK: only <developer> is unknown to this AppStream version"
  exit 0
fi
exit 1
