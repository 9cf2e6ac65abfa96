"""Every built page is valid HTML: the W3C Nu HTML Checker, errors only, over the whole site.

The checker (npm package vnu-jar, pinned in tests/vnu/package-lock.json; `make test` installs it
with `npm ci`) runs on Java. One run checks every HTML file of the built site, the 404 pages of
every language included, in one JVM start (about 30 to 60 seconds). Without Java or the jar the
test is skipped with a loud reason, except under CI=true, where that is a failure.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess

import pytest
from conftest import ROOT

VNU_JAR = ROOT / "tests" / "vnu" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def require_vnu() -> str:
    java = shutil.which("java")
    missing = []
    if java is None:
        missing.append("Java is not installed (`apt-get install default-jre-headless`, as .ci/run)")
    if not VNU_JAR.is_file():
        missing.append(
            f"the Nu HTML Checker is not installed ({VNU_JAR.relative_to(ROOT)}; "
            "`npm ci --prefix tests/vnu`, which `make test` runs)"
        )
    if not missing:
        return java
    message = "HTML validity cannot be checked: " + "; ".join(missing) + "."
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message)
    pytest.skip(message)


def where(message: dict, site) -> str:
    """file:line of a checker message, the file relative to the site folder."""
    path = message.get("url", "?").removeprefix("file:")
    if path.startswith("/"):
        path = os.path.relpath(path, site)
    return f"{path}:{message.get('lastLine', '?')}"


def test_every_page_is_valid_html(site):
    java = require_vnu()
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 100, pages
    proc = subprocess.run(
        [java, "-jar", str(VNU_JAR), "--errors-only", "--skip-non-html", "--format", "json"]
        + ["--stdout", str(site)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    try:
        messages = json.loads(proc.stdout)["messages"]
    except ValueError:
        pytest.fail(f"the Nu HTML Checker gave no report (exit {proc.returncode}):\n{proc.stderr}")
    errors = [f"{where(m, site)}: {m.get('message', m)}" for m in messages]
    assert errors == [], f"{len(errors)} HTML errors:\n" + "\n".join(errors)
    assert proc.returncode == 0, proc.stderr
