"""Review metadata: parsing rules (unit) and the strict build failing on bad pages (fixtures)."""

from __future__ import annotations

import datetime as dt
import sys

import pytest
from conftest import ROOT, page

sys.path.insert(0, str(ROOT / "scripts"))
from mdma_guide import frontmatter  # noqa: E402

TODAY = dt.date(2026, 11, 26)


def problems(text: str):
    _, found = frontmatter.read_and_validate(text, "docs/en/x.md", today=TODAY)
    return found


def test_valid_front_matter_has_no_problems():
    assert problems(page("Fine")) == []


def test_missing_field_is_named():
    text = page("X").replace("last_reviewed: 2026-11-01\n", "")
    [problem] = problems(text)
    assert "lacks 'last_reviewed'" in problem.message and problem.file == "docs/en/x.md"


def test_malformed_date_names_its_line():
    text = page("X").replace("next_review: 2027-05-01", "next_review: soon")
    [problem] = problems(text)
    assert problem.line == 5 and "ISO date" in problem.message


def test_next_review_must_follow_last_reviewed():
    text = page("X").replace("next_review: 2027-05-01", "next_review: 2026-01-01")
    messages = [p.message for p in problems(text)]
    assert any("must be after" in m for m in messages)


def test_overdue_review_is_a_warning():
    text = page("X").replace("next_review: 2027-05-01", "next_review: 2026-11-02")
    [problem] = problems(text)
    assert problem.severity == "warning" and problem.rule == "review-overdue"


def test_unknown_evidence_level():
    text = page("X").replace("evidence: low", "evidence: medium")
    [problem] = problems(text)
    assert "'evidence' must be one of" in problem.message


def test_broken_yaml_names_file_and_line():
    text = page("X").replace("description: A fixture page.", "description: [unclosed")
    [problem] = problems(text)
    assert problem.file == "docs/en/x.md" and problem.line in (3, 4)
    assert "invalid YAML" in problem.message


def test_no_front_matter():
    [problem] = problems("# Title\n")
    assert "no front matter" in problem.message


# The strict build on fixture sites ----------------------------------------------------


def test_fixture_site_builds_when_valid(fixture_site):
    fixture_site.write("en/index.md", page("Home", "[Start](start-here/index.md#evidence-labels)"))
    build = fixture_site.build()
    assert build.returncode == 0, build.output


def test_build_fails_without_last_reviewed(fixture_site):
    fixture_site.write("en/index.md", page("Home").replace("last_reviewed: 2026-11-01\n", ""))
    build = fixture_site.build()
    assert build.returncode != 0
    assert "docs/en/index.md:1: front matter lacks 'last_reviewed'" in build.output
    assert "Traceback" not in build.output


def test_build_fails_on_broken_front_matter_with_line(fixture_site):
    fixture_site.write("en/index.md", page("Home").replace("evidence: low", "evidence: [low"))
    build = fixture_site.build()
    assert build.returncode != 0
    assert "docs/en/index.md:" in build.output and "invalid YAML" in build.output
    assert "Traceback" not in build.output


@pytest.mark.parametrize(
    "link, expected",
    [
        ("[missing](nowhere.md)", "nowhere.md"),
        ("[bad anchor](start-here/index.md#no-such-anchor)", "no-such-anchor"),
    ],
)
def test_build_fails_on_broken_internal_links(fixture_site, link, expected):
    fixture_site.write("en/index.md", page("Home", link))
    build = fixture_site.build()
    assert build.returncode != 0
    assert expected in build.output


def test_fallback_notice_only_where_a_page_is_not_translated(fixture_site):
    fixture_site.write("en/index.md", page("Home"))
    fixture_site.write("en/other.md", page("Other"))
    fixture_site.write("es/index.md", page("Inicio"))
    build = fixture_site.build()
    assert build.returncode == 0, build.output
    site = fixture_site.dir / "site"

    def notice(rel):
        return "guide-fallback" in (site / rel).read_text(encoding="utf-8")

    assert notice("es/other/index.html") and notice("de/index.html")
    assert not notice("es/index.html") and not notice("index.html")
    assert not notice("other/index.html")
    html = (site / "es" / "other" / "index.html").read_text(encoding="utf-8")
    assert "Esta página aún no está traducida" in html and 'lang="es"' in html
