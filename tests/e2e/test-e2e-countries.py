#!/usr/bin/python3
# End-to-end: start CBM Desk on a fresh data folder, type a search through the accessibility
# tree (AT-SPI, as a screen reader or a person would reach it) and check what the list shows.
import os
import subprocess
import sys
import tempfile
import time

os.environ.pop("NO_AT_BRIDGE", None)
# dogtail refuses to start unless GNOME's accessibility setting or this variable says AT-SPI
# is on; GTK 4 always exports its tree, so only dogtail's own check needs it.
os.environ["GTK_MODULES"] = "gail:atk-bridge"

from dogtail import tree  # noqa: E402

env = dict(os.environ, XDG_DATA_HOME=tempfile.mkdtemp(prefix="cbm-e2e-"),
           LANGUAGE="en", GSETTINGS_BACKEND="memory")
env.pop("GTK_MODULES")
env["GTK_A11Y"] = "atspi"
proc = subprocess.Popen([sys.argv[1]], env=env)


def wait_for(predicate, what, seconds=60):
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            value = predicate()
            if value:
                return value
        except Exception:
            pass
        time.sleep(0.5)
    raise AssertionError("timed out waiting for " + what)


def find_app():
    for app in tree.root.applications():
        if app.name == "cbm-desk":
            return app
    return None


def country_rows(app):
    # Each row carries an accessible label "Name, N documents · N contacts, N of 6 …".
    return [n.name for n in app.findChildren(lambda n: "measures implemented" in (n.name or ""))]


status = 1
try:
    app = wait_for(find_app, "the application on the accessibility bus")
    print("found the application", flush=True)

    # First start: the bundled repository is imported and the member states are listed.
    rows = wait_for(lambda: (lambda r: r if len(r) >= 10 else None)(country_rows(app)), "the country rows")
    print("rows listed:", len(rows), flush=True)

    entry = wait_for(lambda: app.findChild(lambda n: n.name == "Search countries"
                                           and n.roleName != "label", retry=False,
                                           requireResult=False),
                     "the search entry")
    # GTK 4.8 does not report screen positions over AT-SPI, so type through the entry's
    # editable-text interface rather than by clicking at its position.
    entry.text = "bresil"
    rows = wait_for(lambda: (lambda r: r if len(r) == 1 else None)(country_rows(app)),
                    "exactly one country for 'bresil'", 20)
    assert rows[0].startswith("Brazil,"), rows
    print("ok: 'bresil' finds", rows[0], flush=True)
    status = 0
except AssertionError as error:
    print("FAIL:", error, flush=True)
finally:
    proc.terminate()
    try:
        proc.wait(5)
    except subprocess.TimeoutExpired:
        proc.kill()

sys.exit(status)
