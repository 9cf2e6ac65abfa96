"""Gate B: ProperDocs, the maintained fork of MkDocs 1.6.1, writes the very same site.

Gate A is the session's MkDocs build (the ``site`` fixture); gate B builds the same mkdocs.yml
once with ProperDocs, in .venv-properdocs (installed by `make test` from
requirements-properdocs.txt, which leaves MkDocs out). The two trees must be identical, names
and bytes, except for the generator tag and gzip headers (scripts/engines.py).
"""

from __future__ import annotations

import datetime as dt
import gzip
import re
import subprocess
import sys
import time

import pytest
from conftest import ENV, ROOT, page

sys.path.insert(0, str(ROOT / "scripts"))
import engines  # noqa: E402

PD_VENV = ROOT / ".venv-properdocs"
PROPERDOCS = PD_VENV / "bin" / "properdocs"


def require_venv():
    if not PROPERDOCS.exists():
        pytest.fail(f"{PROPERDOCS.relative_to(ROOT)} is missing: run `make test` (it installs it)")


def properdocs_build(project, out, env=ENV):
    require_venv()
    start = time.perf_counter()
    proc = subprocess.run(
        [str(PROPERDOCS), "build", "-f", "mkdocs.yml", "--strict", "--clean", "-d", str(out)],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    return proc, time.perf_counter() - start


def build_date_env(site) -> dict[str, str]:
    """Gate A's build date for gate B: the sitemaps' <lastmod> is the build date (UTC), which
    would differ if the two builds straddled midnight."""
    date = re.search(r"<lastmod>(\d{4}-\d{2}-\d{2})</lastmod>", (site / "sitemap.xml").read_text())
    if date is None:
        return ENV
    day = dt.datetime.fromisoformat(date[1]).replace(tzinfo=dt.UTC)
    return {**ENV, "SOURCE_DATE_EPOCH": str(int(day.timestamp()))}


@pytest.fixture(scope="module")
def site_b(site, tmp_path_factory):
    out = tmp_path_factory.mktemp("site-properdocs")
    proc, seconds = properdocs_build(ROOT, out, build_date_env(site))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    print(f"gate B: ProperDocs build in {seconds:.1f} s")
    return out


def test_properdocs_writes_the_same_site_as_mkdocs(site, site_b):
    problems = engines.diff_trees(site, site_b)
    assert not problems, f"{len(problems)} differences (A: MkDocs, B: ProperDocs):\n" + "\n".join(
        problems[:20]
    )


def test_properdocs_venv_has_no_mkdocs():
    """The gate proves the site builds without the unmaintained package, not beside it."""
    proc = subprocess.run(
        [
            str(PD_VENV / "bin" / "python"),
            "-c",
            "import importlib.metadata as m; m.version('mkdocs')",
        ],
        capture_output=True,
        text=True,
    )
    assert proc.returncode != 0 and "PackageNotFoundError" in proc.stderr, proc.stderr


def test_hook_errors_fail_the_properdocs_build(fixture_site):
    """The hooks log under `mkdocs.hooks.*`; ProperDocs must still count them in --strict."""
    fixture_site.write("en/index.md", page("Home", "Claim [@alpha2020tral]."))
    proc, _ = properdocs_build(fixture_site.dir, fixture_site.dir / "site")
    output = proc.stdout + proc.stderr
    assert proc.returncode != 0, output
    assert "docs/en/index.md:11: unknown citation key" in output, output
    assert "Traceback" not in output


# The diff itself, on tiny trees: it must catch one byte and ignore only what it may ignore.


def tree(base, files):
    for name, data in files.items():
        path = base / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return base


HTML = b'<html>\n<head>\n<meta name="generator" content="X">\n</head>\n<p>Dose 75 mg</p>\n</html>\n'


def test_diff_identical_trees(tmp_path):
    a = tree(tmp_path / "a", {"index.html": HTML, "es/x.json": b"{}"})
    b = tree(tmp_path / "b", {"index.html": HTML, "es/x.json": b"{}"})
    assert engines.diff_trees(a, b) == []


def test_diff_fails_on_one_byte(tmp_path):
    a = tree(tmp_path / "a", {"index.html": HTML, "es/x.json": b"{}"})
    b = tree(tmp_path / "b", {"index.html": HTML.replace(b"75", b"76"), "es/x.json": b"{}"})
    problems = engines.diff_trees(a, b)
    assert len(problems) == 1
    assert problems[0].startswith("differs: index.html\n")
    assert "-<p>Dose 75 mg</p>" in problems[0] and "+<p>Dose 76 mg</p>" in problems[0]


def test_diff_reports_missing_and_extra_files(tmp_path):
    a = tree(tmp_path / "a", {"index.html": HTML, "de/index.html": HTML})
    b = tree(tmp_path / "b", {"index.html": HTML, "de/extra.html": HTML})
    assert engines.diff_trees(a, b) == ["only in A: de/index.html", "only in B: de/extra.html"]


def test_diff_ignores_only_the_generator_tag(tmp_path):
    other = HTML.replace(b'content="X"', b'content="ProperDocs 1.6.7"')
    a = tree(tmp_path / "a", {"index.html": HTML})
    b = tree(tmp_path / "b", {"index.html": other})
    assert engines.diff_trees(a, b) == []
    b = tree(tmp_path / "b", {"index.html": other.replace(b"<head>", b"<head >")})
    assert engines.diff_trees(a, b) != []


def test_diff_compares_gzip_content_not_its_mtime(tmp_path):
    xml = b"<urlset><url><loc>/</loc></url></urlset>"
    a = tree(tmp_path / "a", {"sitemap.xml.gz": gzip.compress(xml, mtime=1)})
    b = tree(tmp_path / "b", {"sitemap.xml.gz": gzip.compress(xml, mtime=2)})
    assert engines.diff_trees(a, b) == []
    tree(b, {"sitemap.xml.gz": gzip.compress(xml.replace(b"/<", b"/es/<"), mtime=1)})
    assert engines.diff_trees(a, b)[0].startswith("differs: sitemap.xml.gz")
