"""check_site.py --external end to end, against a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import json
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from conftest import ENV
from test_checker import CHECK, clean


class Handler(BaseHTTPRequestHandler):
    def do_HEAD(self):  # noqa: N802
        self.respond(body=False)

    def do_GET(self):  # noqa: N802
        self.respond(body=True)

    def respond(self, body: bool):
        path = self.path
        if path.startswith("/doi/"):  # a DOI resolver that redirects to the "publisher"
            self.send_response(302)
            self.send_header("Location", "/ok")
            self.end_headers()
            return
        if path.startswith("/crossref/"):
            payload = json.dumps(
                {"message": {"title": ["A randomised trial used only in tests"]}}
            ).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            if body:
                self.wfile.write(payload)
            return
        code = 404 if path.startswith("/gone") else 200
        self.send_response(code)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def run_external(site, server, *extra):
    # Only loopback is reachable here: drop the fixture's PubMed and PMC identifiers.
    bib = site.dir / "docs" / "references.yaml"
    lines = bib.read_text().splitlines(keepends=True)
    bib.write_text("".join(x for x in lines if not x.lstrip().startswith(("PMID", "PMCID"))))
    cmd = [
        *CHECK,
        "--root",
        str(site.dir),
        "--format",
        "json",
        "--external",
        "--doi-resolver",
        f"{server}/doi/",
        "--crossref-api",
        f"{server}/crossref/",
        "--cache",
        "",
        "--timeout",
        "5",
        "--deadline",
        "60",
        "--today",
        "2026-11-26",
        *extra,
    ]
    proc = subprocess.run(cmd, capture_output=True, text=True, env=ENV, cwd=site.dir)
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc.returncode, json.loads(proc.stdout)


def test_external_links_and_dois(fixture_site, server):
    pages = clean(fixture_site)
    text = pages["index.md"] + f"\n[ok]({server}/fine)\n[gone]({server}/gone)\n"
    fixture_site.write("en/index.md", text)
    code, data = run_external(fixture_site, server)
    broken = [f for f in data["findings"] if f["rule"] == "link-external"]
    assert [(f["file"], f["line"], f["target"]) for f in broken] == [
        ("docs/en/index.md", 16, f"{server}/gone")
    ]
    assert code == 1
    assert data["stats"]["external"]["broken"] == 1
    assert data["stats"]["external"]["ok"] >= 2  # the good link and the DOI


def test_changed_since_reports_only_new_links(fixture_site, server):
    pages = clean(fixture_site)
    fixture_site.write("en/index.md", pages["index.md"] + f"\n[old]({server}/gone/old)\n")
    git = ["git", "-c", "user.email=t@t", "-c", "user.name=t"]
    subprocess.run(["git", "init", "-q"], cwd=fixture_site.dir, check=True)
    subprocess.run([*git, "add", "-A"], cwd=fixture_site.dir, check=True)
    subprocess.run([*git, "commit", "-qm", "base"], cwd=fixture_site.dir, check=True)
    current = (fixture_site.dir / "docs" / "en" / "index.md").read_text()
    fixture_site.write("en/index.md", current + f"[new]({server}/gone/new)\n")
    code, data = run_external(fixture_site, server, "--changed-since", "HEAD")
    targets = [f["target"] for f in data["findings"] if f["rule"] == "link-external"]
    assert targets == [f"{server}/gone/new"] and code == 1
