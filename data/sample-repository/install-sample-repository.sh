#!/bin/sh
# install-sample-repository.sh SOURCE_V1_DIR DEST_DIR
#
# Copies the generated v1/ tree to DEST_DIR/v1, under $DESTDIR when it is set.
#
# Copyright 2026 The CBM Desk authors
# SPDX-License-Identifier: GPL-3.0-or-later

set -eu

src=$1
dest=${DESTDIR:-}$2

if [ ! -f "$src/index.json" ]; then
  echo "install-sample-repository: $src/index.json is missing; build first" >&2
  exit 1
fi

rm -rf "$dest/v1"
mkdir -p "$dest/v1/countries" "$dest/v1/documents"
for f in "$src"/index.json "$src"/events.json; do
  install -m 644 "$f" "$dest/v1/"
done
for f in "$src"/countries/*.json; do
  install -m 644 "$f" "$dest/v1/countries/"
done
for f in "$src"/documents/*.pdf; do
  install -m 644 "$f" "$dest/v1/documents/"
done
