"""The checker's registry-stale rule: pages reviewed before a cited trial's record changed.

The registry watch's result file is a fixture here (no network); the pages are a fixture
project, checked the way tests/test_checker.py checks them.
"""

from __future__ import annotations

import json
import sys

from conftest import LANGS, ROOT, page
from test_checker import clean, findings, run, translated

sys.path.insert(0, str(ROOT / "scripts"))
from mdma_guide import registry_staleness as rs  # noqa: E402
from mdma_guide.bibliography import Bibliography  # noqa: E402
from mdma_guide.project import Project  # noqa: E402


def result_file(path, updates: dict[str, str]):
    """A watch result as scripts/trials_watch.py writes it (only what the checker reads)."""
    trials = {
        nct: {"row": nct, "line": 2, "outcome": "ok", "record": {"last_update": date}}
        for nct, date in updates.items()
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"trials": trials, "findings": [], "stats": {}}), encoding="utf-8")
    return path


def project_with(tmp_path, pages: dict[str, str]) -> Project:
    for rel, text in pages.items():
        path = tmp_path / "docs" / "en" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return Project(tmp_path, ("en",), tmp_path / "docs")


BODY = (
    "Intro.\n\n"  # line 11 of the page (front matter and a blank line 1-8, title 9)
    "The first trial (NCT00000012) enrolled adults.\n\n"  # line 13
    "A cited registry record [@ctgov2020mapp].\n\n"  # line 15
    "[The record](https://clinicaltrials.gov/study/NCT00000013) again NCT00000012.\n\n"
    "```\nNCT00000014 in a code block is not a mention\n```\n"
)
BIB = Bibliography(
    {
        "ctgov2020mapp": {"URL": "https://clinicaltrials.gov/ct2/show/NCT00000011"},
        "paper2020": {"URL": "https://doi.org/10.1/x"},
    }
)


def test_warns_at_the_first_mention_of_each_changed_trial(tmp_path):
    project = project_with(tmp_path, {"research/trials.md": page("Trials", BODY)})
    result_file(
        tmp_path / ".cache" / "trials-watch.json",
        {
            "NCT00000011": "2026-11-20",  # cited through the bibliography: changed after review
            "NCT00000012": "2026-11-02",  # mentioned in text: changed after review
            "NCT00000013": "2026-10-31",  # linked: changed before the review, no warning
            "NCT00000014": "2026-12-01",  # only in a code block: not a mention
        },
    )
    problems = rs.check(project, BIB, None)
    assert [(p.file, p.line, p.target) for p in problems] == [
        ("docs/en/research/trials.md", 13, "NCT00000012"),
        ("docs/en/research/trials.md", 15, "NCT00000011"),
    ]
    assert all(p.rule == "registry-stale" and p.severity == "warning" for p in problems)
    assert str(problems[0]) == (
        "docs/en/research/trials.md:13: NCT00000012's registry record changed on 2026-11-02 "
        "(last update posted), after this page was reviewed on 2026-11-01; re-check the page"
    )


def test_dates_compare_at_the_precision_given(tmp_path):
    project = project_with(tmp_path, {"a.md": page("A", "See NCT00000012.")})
    path = result_file(tmp_path / "r.json", {"NCT00000012": "2026-11"})
    assert rs.check(project, None, path) == []  # same month as the review: not after it


def test_no_result_file_means_no_check(tmp_path):
    project = project_with(tmp_path, {"a.md": page("A", "See NCT00000012.")})
    assert rs.check(project, None, None) == []


def test_unusable_result_file_is_one_warning(tmp_path):
    project = project_with(tmp_path, {"a.md": page("A", "See NCT00000012.")})
    for content, expected in [
        (None, "cannot read"),
        ("{not json", "not valid JSON"),
        ('{"findings": []}', "no 'trials' object"),
    ]:
        path = tmp_path / "r.json"
        path.unlink(missing_ok=True)
        if content is not None:
            path.write_text(content, encoding="utf-8")
        [problem] = rs.check(project, None, path)
        assert (problem.file, problem.rule, problem.severity) == (
            "r.json",
            "watch-result",
            "warning",
        )
        assert expected in problem.message


def test_checker_reports_stale_pages_in_every_language(fixture_site):
    pages = clean(fixture_site)
    en = pages["index.md"] + "\nThe registered trial NCT00000012 is cited here.\n"
    fixture_site.write("en/index.md", en)
    for lang in LANGS[1:]:
        translated(fixture_site, f"{lang}/index.md", en, en)
    result_file(
        fixture_site.dir / "results" / "watch.json",
        {"NCT00000012": "2026-11-15", "NCT00000099": "2026-11-20"},
    )
    code, data, stderr = run(fixture_site, "--watch-result", "results/watch.json")
    assert code == 0, stderr  # warnings only
    stale = findings(data, "registry-stale")
    # translations one line lower: the translated_from stamp
    assert {(f["file"], f["line"]) for f in stale} == {("docs/en/index.md", 15)} | {
        (f"docs/{lang}/index.md", 16) for lang in LANGS[1:]
    }
    assert stale[0]["message"] == (
        "NCT00000012's registry record changed on 2026-11-15 (last update posted), after "
        "this page was reviewed on 2026-11-01; re-check the page"
    )
    assert [f for f in data["findings"] if f["rule"] != "registry-stale"] == []
