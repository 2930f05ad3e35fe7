#!/bin/sh
# check-install.sh
#
# Copyright 2026 The CBM Desk authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Installs the build into a staging folder and checks that everything lands where a
# distribution expects it, and nothing outside the prefix.
# Usage: check-install.sh BUILD_DIR PREFIX [LIBEXECDIR]
# LIBEXECDIR is relative to PREFIX (meson's default: libexec).

set -u

build_dir=$1
prefix=$2
libexecdir=${3:-libexec}
case $libexecdir in
  /*) libexecdir=${libexecdir#"$prefix"/} ;;
esac
app_id=io.github.cbmdesk.CbmDesk
meson=${MESON:-meson}

stage=$(mktemp -d "${TMPDIR:-/tmp}/cbm-install-XXXXXX") || exit 1
trap 'rm -rf "$stage"' EXIT INT TERM

# The sanitizer build's install scripts run built tools; keep leak reports out of it.
if ! ASAN_OPTIONS=detect_leaks=0 DESTDIR= "$meson" install --destdir "$stage" -C "$build_dir" \
    --no-rebuild --quiet >"$stage.log" 2>&1; then
  cat "$stage.log"
  rm -f "$stage.log"
  echo "FAIL: meson install into $stage" >&2
  exit 1
fi
rm -f "$stage.log"

root=$stage$prefix
failed=0
fail () {
  echo "FAIL: $*" >&2
  failed=1
}

for f in \
  bin/cbm-desk \
  bin/cbm-serve \
  "$libexecdir/cbm-pdf-helper" \
  "share/applications/$app_id.desktop" \
  "share/metainfo/$app_id.metainfo.xml" \
  "share/glib-2.0/schemas/$app_id.gschema.xml" \
  "share/icons/hicolor/scalable/apps/$app_id.svg" \
  "share/icons/hicolor/symbolic/apps/$app_id-symbolic.svg" \
  share/locale/en/LC_MESSAGES/cbm-desk.mo \
  share/locale/es/LC_MESSAGES/cbm-desk.mo \
  share/locale/fr/LC_MESSAGES/cbm-desk.mo \
  share/locale/pt/LC_MESSAGES/cbm-desk.mo \
  share/cbm-desk/sample-repository/v1/index.json \
  share/cbm-desk/sample-repository/v1/events.json
do
  if [ ! -f "$root/$f" ] || [ ! -s "$root/$f" ]; then
    fail "missing or empty: $prefix/$f"
  fi
done

for f in bin/cbm-desk bin/cbm-serve "$libexecdir/cbm-pdf-helper"; do
  [ -f "$root/$f" ] && [ ! -x "$root/$f" ] && fail "not executable: $prefix/$f"
done

# The bundled repository: the index lists the 35 member states, and each one's file and
# every document it references are installed.
repo=$root/share/cbm-desk/sample-repository/v1
if [ -f "$repo/index.json" ]; then
  python3 - "$repo" <<'EOF' || failed=1
import hashlib, json, os, sys
repo = sys.argv[1]
index = json.load(open(os.path.join(repo, 'index.json'), encoding='utf-8'))
countries = index.get('countries', [])
problems = []
if len(countries) != 35:
    problems.append(f'index.json lists {len(countries)} countries, not 35')
n_docs = 0
for c in countries:
    path = os.path.join(repo, c['href'])
    if not os.path.isfile(path):
        problems.append(f'missing country file {c["href"]}')
        continue
    country = json.load(open(path, encoding='utf-8'))
    for doc in country.get('documents', []):
        for f in doc.get('files', [doc]):
            href = f.get('href')
            if href and not href.startswith('http'):
                n_docs += 1
                doc_path = os.path.normpath(os.path.join(os.path.dirname(path), href))
                if not os.path.isfile(doc_path):
                    problems.append(f'missing document {href} of {c["code"]}')
                elif f.get('sha256') and hashlib.sha256(open(doc_path, 'rb').read()).hexdigest() != f['sha256']:
                    problems.append(f'document {href} of {c["code"]} does not match its sha256')
for p in problems:
    print('FAIL: ' + p, file=sys.stderr)
print(f'sample repository: {len(countries)} countries, {n_docs} local documents')
sys.exit(1 if problems else 0)
EOF
fi

# Nothing may land outside the prefix.
outside=$(cd "$stage" && find . -mindepth 1 \( -type f -o -type l \) | sed 's|^\.||' | grep -v "^$prefix/")
if [ -n "$outside" ]; then
  fail "installed outside $prefix:"
  echo "$outside" >&2
fi

# Catalogs must be real, compiled message catalogs.
for lang in en es fr pt; do
  mo=$root/share/locale/$lang/LC_MESSAGES/cbm-desk.mo
  if [ -f "$mo" ] && command -v msgunfmt >/dev/null 2>&1; then
    msgunfmt "$mo" >/dev/null 2>&1 || fail "not a valid catalog: $mo"
  fi
done

n=$(cd "$stage" && find . -type f | wc -l)
if [ $failed -ne 0 ]; then
  echo "install check failed ($n files installed)" >&2
  exit 1
fi
echo "install check passed: $n files under $prefix"
