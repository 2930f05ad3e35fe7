#!/usr/bin/env python3
# check-flatpak-manifest.py MANIFEST — checks what the sandbox and the sources promise:
# the exact finish-args (network and display only, no file system access), pinned archives,
# and the app module built with meson from the source tree.
#
# Copyright 2026 The CBM Desk authors
# SPDX-License-Identifier: GPL-3.0-or-later

import json
import re
import sys

EXPECTED_FINISH_ARGS = [
    "--share=network",
    "--share=ipc",
    "--socket=wayland",
    "--socket=fallback-x11",
    "--device=dri",
]


def fail(msg):
    print("FAIL: " + msg, file=sys.stderr)
    sys.exit(1)


with open(sys.argv[1], encoding="utf-8") as f:
    manifest = json.load(f)

if manifest.get("id") != "io.github.cbmdesk.CbmDesk":
    fail("unexpected id %r" % manifest.get("id"))
if manifest.get("command") != "cbm-desk":
    fail("command must be cbm-desk")
if (manifest.get("runtime"), manifest.get("sdk")) != ("org.gnome.Platform", "org.gnome.Sdk"):
    fail("runtime/sdk must be org.gnome.Platform/org.gnome.Sdk")
if manifest.get("finish-args") != EXPECTED_FINISH_ARGS:
    fail("finish-args differ from %r: %r" % (EXPECTED_FINISH_ARGS, manifest.get("finish-args")))

modules = manifest.get("modules", [])
names = [m.get("name") for m in modules]
if names != ["poppler-data", "poppler", "cbm-desk"]:
    fail("unexpected module order %r" % names)

for module in modules:
    for source in module.get("sources", []):
        if source.get("type") in ("archive", "file"):
            if not source.get("url", "").startswith("https://"):
                fail("%s: source url must be https" % module["name"])
            if not re.fullmatch(r"[0-9a-f]{64}", source.get("sha256", "")):
                fail("%s: source must be pinned by sha256" % module["name"])
        elif source.get("type") == "git":
            if not re.fullmatch(r"[0-9a-f]{40}", source.get("commit", "")):
                fail("%s: git source must be pinned by commit" % module["name"])

app = modules[-1]
if app.get("buildsystem") != "meson":
    fail("the app module must use meson")
if app.get("sources") != [s for s in app.get("sources", []) if s.get("type") == "dir" and s.get("path") == ".."]:
    fail("the app module must build the source tree (type dir, path ..)")

print("OK: %d modules, finish-args %s" % (len(modules), " ".join(EXPECTED_FINISH_ARGS)))
