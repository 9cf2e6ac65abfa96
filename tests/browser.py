"""Helpers for the browser tests: a local server for the built site and Debian's Chromium.

Chromium comes from Debian (/usr/bin/chromium); Playwright's own browser download does not
work here. Without it the browser tests are skipped with a loud reason, except under
CI=true, where a missing browser is a failure.
"""

from __future__ import annotations

import functools
import gzip
import os
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
# Without the background-networking flags Chromium calls Google's hosts at every start.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
]
COMPRESSIBLE = (".html", ".css", ".js", ".json", ".svg", ".xml", ".txt")


def require_chromium() -> None:
    if CHROMIUM.exists():
        return
    message = (
        "Debian's Chromium is not installed (/usr/bin/chromium): the browser tests "
        "cannot run. Install it with `apt-get install chromium` (.ci/run does)."
    )
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message)
    pytest.skip(message)


class SiteHandler(SimpleHTTPRequestHandler):
    """Static files, gzip when the client asks for it (as a real host would), and the site's
    404 page for missing paths (as GitHub Pages does). Counts what it sends on the server
    (``sent``: status line, headers and body, as on the wire; ``responses``)."""

    def log_message(self, *args):
        pass

    def end_headers(self):
        with self.server.lock:  # status line and headers, + the blank line that ends them
            self.server.responses += 1
            self.server.sent += sum(map(len, self._headers_buffer)) + 2
        super().end_headers()

    def copyfile(self, source, outputfile):
        data = source.read()
        with self.server.lock:
            self.server.sent += len(data)
        outputfile.write(data)

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not self.path.split("?")[0].endswith("/"):
                return super().send_head()
            path = path / "index.html"
        status = 200
        if not path.is_file():
            path, status = Path(self.directory) / "404.html", 404
        data = path.read_bytes()
        gzip_ok = "gzip" in self.headers.get("Accept-Encoding", "")
        if gzip_ok and path.suffix in COMPRESSIBLE:
            data = gzip.compress(data, 6)
        self.send_response(status)
        self.send_header("Content-Type", self.guess_type(str(path)))
        if gzip_ok and path.suffix in COMPRESSIBLE:
            self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        from io import BytesIO

        return BytesIO(data)


class SiteServer:
    def __init__(self, root: Path):
        handler = functools.partial(SiteHandler, directory=str(root))
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.httpd.sent, self.httpd.responses, self.httpd.lock = 0, 0, threading.Lock()
        self.origin = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()
