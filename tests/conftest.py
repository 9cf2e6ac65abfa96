"""Shared fixtures: the real site, built once per run, and tiny fixture sites.

Everything here builds real things with the real MkDocs, Material, i18n plugin and hooks.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
if str(ROOT / "scripts") not in sys.path:
    sys.path.insert(0, str(ROOT / "scripts"))
from mdma_guide.project import load_project  # noqa: E402

# The built languages, default first, as mkdocs.yml lists them: a language added there is
# tested everywhere without editing a test.
LANGS = load_project(ROOT).languages
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}


@dataclass
class Build:
    returncode: int
    output: str
    site: Path


def run_build(project: Path, site: Path) -> Build:
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--clean", "-d", str(site)],
        cwd=project,
        env=ENV,
        capture_output=True,
        text=True,
        timeout=900,
    )
    return Build(proc.returncode, proc.stdout + proc.stderr, site)


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Path:
    """The real site, built once with --strict."""
    out = tmp_path_factory.mktemp("site")
    build = run_build(ROOT, out)
    assert build.returncode == 0, build.output
    return out


@pytest.fixture(scope="session")
def html_pages(site) -> dict[str, str]:
    """Every built page (relative path -> HTML), 404 pages included."""
    return {
        str(p.relative_to(site)): p.read_text(encoding="utf-8")
        for p in sorted(site.rglob("*.html"))
    }


FRONT = """---
title: {title}
description: A fixture page.
last_reviewed: 2026-11-01
next_review: 2027-05-01
evidence: low
---

"""


def page(title: str, body: str = "", front: str | None = None) -> str:
    """A fixture page with valid front matter unless ``front`` replaces it."""
    head = FRONT.format(title=title) if front is None else front
    return f"{head}# {title}\n\n{body}\n"


class FixtureSite:
    """A small site with the real config, hooks, templates and data, and its own pages."""

    def __init__(self, base: Path):
        self.dir = base / "project"
        self.dir.mkdir()
        config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
        config = config.split("# Page tree", 1)[0]
        (self.dir / "mkdocs.yml").write_text(config, encoding="utf-8")
        for name in ("scripts", "overrides"):
            os.symlink(ROOT / name, self.dir / name)
        # Interface strings and schemas only: the real data tables cite the real bibliography.
        data = self.dir / "docs" / "data"
        shutil.copytree(ROOT / "docs" / "data" / "schemas", data / "schemas")
        shutil.copy(ROOT / "docs" / "data" / "strings.yaml", data / "strings.yaml")
        shutil.copy(FIXTURES / "references.yaml", self.dir / "docs" / "references.yaml")
        # The furniture links to these two pages (and their anchors) in every language.
        self.write("en/emergency/index.md", page("Emergency", "## Numbers { #numbers }"))
        self.write("en/start-here/index.md", page("Start", "## Labels { #evidence-labels }"))
        self.write("en/about/quick-exit.md", page("Quick exit"))

    def add_language(self, locale: str, name: str, strings: dict | None) -> None:
        """Build one more language through configuration and data only: an entry in the
        i18n plugin's languages (mkdocs.yml) and, unless ``strings`` is None, a section in
        strings.yaml (the English one with ``strings`` merged over it)."""
        config = self.dir / "mkdocs.yml"
        entry = f"        - locale: {locale}\n          name: {name}\n          build: true\n"
        text = config.read_text(encoding="utf-8")
        assert "\n\n# Hooks" in text, "mkdocs.yml: the i18n block no longer ends before # Hooks"
        config.write_text(text.replace("\n\n# Hooks", f"\n{entry}\n# Hooks", 1), "utf-8")
        if strings is None:
            return
        path = self.dir / "docs" / "data" / "strings.yaml"
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        data[locale] = _merged(data["en"], strings)
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")

    def write(self, rel: str, text: str) -> Path:
        path = self.dir / "docs" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    def build(self) -> Build:
        return run_build(self.dir, self.dir / "site")


def _merged(base: dict, over: dict) -> dict:
    out = dict(base)
    for key, value in over.items():
        both = isinstance(value, dict) and isinstance(base.get(key), dict)
        out[key] = _merged(base[key], value) if both else value
    return out


@pytest.fixture
def fixture_site(tmp_path) -> FixtureSite:
    return FixtureSite(tmp_path)


def visible_text(html: str) -> str:
    return re.sub(r"<[^>]+>", " ", html)


def pytest_collection_modifyitems(config, items):
    """Browser tests last: the quick tests report first, and Playwright's event loop (held
    for the whole session) starts only after every other test has run."""
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


@pytest.fixture(scope="session")
def offline_zips(site, tmp_path_factory) -> dict[str, Path]:
    """The offline copies of the real site (what `make offline` writes), by language."""
    sys.path.insert(0, str(ROOT / "scripts"))
    import make_offline

    out = tmp_path_factory.mktemp("dist")
    assert make_offline.main(["--site", str(site), "--out", str(out)]) == 0
    from mdma_guide.offline import zip_name

    zips = {p.name: p for p in out.glob("*.zip")}
    return {lang: zips[zip_name(lang)] for lang in LANGS if zip_name(lang) in zips}
