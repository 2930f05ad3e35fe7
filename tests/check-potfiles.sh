#!/bin/sh
# Fails when a source file with translatable strings is missing from po/POTFILES.in, or when
# POTFILES.in names a file that does not exist.
top=${1:-$(dirname "$0")/..}
cd "$top" || exit 2
status=0
for f in $(grep -rlE '(^|[^a-zA-Z_])(_|N_|C_|NC_|g_dngettext)\(|translatable="yes"' src --include='*.c' --include='*.ui' | sort); do
  if ! grep -qxF "$f" po/POTFILES.in; then
    echo "po/POTFILES.in does not list $f"
    status=1
  fi
done
for f in $(grep -v '^#' po/POTFILES.in | grep -v '^$'); do
  [ -f "$f" ] || { echo "po/POTFILES.in lists $f, which does not exist"; status=1; }
done
exit $status
