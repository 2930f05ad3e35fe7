#!/usr/bin/env python3
# check-icons.py APP_SVG SYMBOLIC_SVG — the app icon is a 128×128 SVG; the symbolic icon is a
# 16×16 SVG painted only in #2e3436, so that GTK can recolour it.
#
# Copyright 2026 The CBM Desk authors
# SPDX-License-Identifier: GPL-3.0-or-later

import re
import sys
import xml.etree.ElementTree as ET

SVG = "{http://www.w3.org/2000/svg}svg"


def check_size(path, size):
    root = ET.parse(path).getroot()
    if root.tag != SVG:
        sys.exit("FAIL: %s: root element is %s" % (path, root.tag))
    want = (str(size), str(size), "0 0 %d %d" % (size, size))
    got = (root.get("width"), root.get("height"), root.get("viewBox"))
    if got != want:
        sys.exit("FAIL: %s: size %r, expected %r" % (path, got, want))
    return root


check_size(sys.argv[1], 128)
symbolic = check_size(sys.argv[2], 16)
for element in symbolic.iter():
    for attr in ("fill", "stroke"):
        value = element.get(attr)
        if value not in (None, "none", "#2e3436"):
            sys.exit("FAIL: symbolic icon uses colour %s=%s" % (attr, value))
    if re.search(r"(fill|stroke)\s*:\s*(?!none|#2e3436)", element.get("style", "")):
        sys.exit("FAIL: symbolic icon uses a colour in a style attribute")
print("OK: icons")
