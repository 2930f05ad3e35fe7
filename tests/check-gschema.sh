#!/bin/sh
# check-gschema.sh SCHEMA_DIR — the compiled schema in the build dir loads, has the documented
# defaults, and enforces the ranges of sync-interval and max-document-size.
#
# Copyright 2026 The CBM Desk authors
# SPDX-License-Identifier: GPL-3.0-or-later

set -eu
export GSETTINGS_SCHEMA_DIR="$1"
export GSETTINGS_BACKEND=memory
id=io.github.cbmdesk.CbmDesk

expect () {
  got=$(gsettings get "$id" "$1")
  if [ "$got" != "$2" ]; then
    echo "FAIL: $1 is $got, expected $2" >&2
    exit 1
  fi
}

expect window-width 1100
expect window-height 720
expect window-maximized false
expect sync-on-start true
expect sync-interval 'uint32 60'
expect max-document-size 'uint32 200'
expect night-mode false
expect repository-url "''"
expect document-positions '@a{s(ud)} {}'
for key in last-country profile-name profile-position profile-institution profile-email \
           profile-country profile-language; do
  expect "$key" "''"
done

[ "$(gsettings range "$id" sync-interval)" = "range u 5 1440" ] || { echo "FAIL: sync-interval range" >&2; exit 1; }
[ "$(gsettings range "$id" max-document-size)" = "range u 1 2048" ] || { echo "FAIL: max-document-size range" >&2; exit 1; }
if gsettings set "$id" sync-interval 4 2>/dev/null; then
  echo "FAIL: sync-interval accepted a value below its range" >&2
  exit 1
fi
echo "OK: schema $id"
