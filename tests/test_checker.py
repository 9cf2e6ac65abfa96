"""The checker on fixture projects: one fault class per test, asserting rule, file and line."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest
from conftest import ENV, FIXTURES, LANGS, ROOT, page

sys.path.insert(0, str(ROOT / "scripts"))
from mdma_guide.project import content_hash  # noqa: E402

CHECK = [sys.executable, str(ROOT / "scripts" / "check_site.py")]


def translated(site, rel: str, en_text: str, text: str):
    """Write a translation stamped with the English version it was made from."""
    stamped = text.replace("---\n\n#", f"translated_from: {content_hash(en_text)}\n---\n\n#", 1)
    site.write(rel, stamped)


def clean(site):
    """A fixture project with zero findings: every page in every language, all cited."""
    pages = {
        "index.md": page("Home", "A claim [@alpha2020trial].\n\n[Start](start-here/index.md)"),
        "emergency/index.md": page(
            "Emergency", "## Numbers { #numbers }\n\n## Signs { #signs }\n\nCall for help."
        ),
        "start-here/index.md": page("Start", "## Labels { #evidence-labels }\n\nText."),
        "about/quick-exit.md": page("Quick exit", "Text."),
    }
    for rel, text in pages.items():
        site.write(f"en/{rel}", text)
        for lang in LANGS[1:]:
            translated(site, f"{lang}/{rel}", text, text)
    bib = (FIXTURES / "references.yaml").read_text(encoding="utf-8")
    keep = bib.split("- id: beta2021review")[0]  # only the entry the pages cite
    (site.dir / "docs" / "references.yaml").write_text(keep, encoding="utf-8")
    return pages


def run(site, *args):
    proc = subprocess.run(
        [*CHECK, "--root", str(site.dir), "--format", "json", "--today", "2026-11-26", *args],
        capture_output=True,
        text=True,
        env=ENV,
        timeout=600,
    )
    assert "Traceback" not in proc.stderr, proc.stderr
    data = json.loads(proc.stdout) if proc.stdout.strip().startswith("{") else None
    return proc.returncode, data, proc.stderr


def findings(data, rule=None):
    return [f for f in data["findings"] if rule is None or f["rule"] == rule]


def test_clean_fixture_has_zero_findings(fixture_site):
    clean(fixture_site)
    code, data, _ = run(fixture_site)
    assert code == 0 and data["findings"] == [], data["findings"]
    assert data["stats"]["pages"] == {lang: 4 for lang in LANGS}


def test_broken_markdown_link_reported_at_its_line(fixture_site):
    pages = clean(fixture_site)
    fixture_site.write("en/index.md", pages["index.md"] + "\n[Gone](missing/index.md)\n")
    code, data, _ = run(fixture_site)
    assert code == 1
    [f] = findings(data, "link-internal")
    assert (f["file"], f["line"], f["target"]) == ("docs/en/index.md", 15, "missing/index.md")


def test_broken_anchor_in_a_translation(fixture_site):
    pages = clean(fixture_site)
    text = pages["index.md"] + "\n[Bad](emergency/index.md#nope)\n"
    translated(fixture_site, "es/index.md", pages["index.md"], text)
    code, data, _ = run(fixture_site)
    [f] = findings(data, "link-anchor")
    assert (f["file"], f["line"], f["severity"]) == ("docs/es/index.md", 16, "error")


def test_translation_faults(fixture_site):
    pages = clean(fixture_site)
    en = pages["emergency/index.md"].replace("Call for help.", "Call for help now.")
    fixture_site.write("en/emergency/index.md", en)  # the English page changes: stale
    fixture_site.write(
        "es/emergency/index.md", pages["emergency/index.md"].replace("{ #signs }", "{ #senales }")
    )  # anchor not kept (and no version recorded)
    (fixture_site.dir / "docs" / "de" / "start-here" / "index.md").unlink()  # missing
    fixture_site.write("de/orphan.md", page("Orphan"))  # orphaned
    code, data, _ = run(fixture_site)
    rules = {(f["rule"], f["file"]) for f in data["findings"]}
    assert ("translation-stale", "docs/de/emergency/index.md") in rules
    assert ("translation-anchor", "docs/es/emergency/index.md") in rules
    assert ("translation-unversioned", "docs/es/emergency/index.md") in rules
    assert ("translation-missing", "docs/en/start-here/index.md") in rules
    assert ("translation-orphaned", "docs/de/orphan.md") in rules
    assert code == 1


def test_translation_cites_what_the_english_page_cites(fixture_site):
    """A citation dropped in a translation leaves a claim unsourced in that language; one
    added sources a claim the English page does not make. Both are errors at the page."""
    pages = clean(fixture_site)
    en = pages["index.md"]
    dropped, added = LANGS[1], LANGS[-1]
    translated(fixture_site, f"{dropped}/index.md", en, en.replace(" [@alpha2020trial]", ""))
    translated(
        fixture_site,
        f"{added}/index.md",
        en,
        en.replace("[@alpha2020trial]", "[@alpha2020trial]\n\nMore [@corr2019study]."),
    )
    shutil.copy(FIXTURES / "references.yaml", fixture_site.dir / "docs" / "references.yaml")
    code, data, _ = run(fixture_site)
    found = {(f["file"], f["line"], f["message"]) for f in findings(data, "translation-citations")}
    line = next(n for n, text in enumerate(en.split("\n"), 1) if "@alpha2020trial" in text)
    assert (
        f"docs/{dropped}/index.md",
        None,
        f"does not cite @alpha2020trial, which the English page cites (docs/en/index.md:{line})",
    ) in found, found
    assert any(
        file == f"docs/{added}/index.md" and line and "cites @corr2019study" in message
        for file, line, message in found
    ), found
    assert code == 1


def test_citation_faults(fixture_site):
    pages = clean(fixture_site)
    fixture_site.write(
        "en/index.md",
        pages["index.md"].replace("[@alpha2020trial]", "[@alpha2020trail] and [@gone2019pooled]"),
    )
    (fixture_site.dir / "docs" / "references.yaml").write_text(
        (FIXTURES / "references.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    code, data, _ = run(fixture_site, "--site", str(build_ok(fixture_site)))
    by_rule = {f["rule"]: f for f in data["findings"]}
    assert by_rule["citation-unknown"]["line"] == 11
    assert by_rule["citation-retracted"]["file"] == "docs/en/index.md"
    assert by_rule["citation-unused"]["severity"] == "warning"
    assert code == 1


def build_ok(site):
    """A built copy of the clean fixture, for faults that stop MkDocs itself."""
    out = site.dir.parent / "prebuilt"
    if not out.exists():
        subprocess.run(
            [sys.executable, "-m", "mkdocs", "build", "--no-strict", "-q", "-d", str(out)],
            cwd=site.dir,
            env=ENV,
            check=False,
            capture_output=True,
        )
    return out


def test_duplicate_doi_and_malformed_bibliography(fixture_site):
    clean(fixture_site)
    site = build_ok(fixture_site)
    bib = fixture_site.dir / "docs" / "references.yaml"
    bib.write_text(
        bib.read_text() + "- id: zz2020copy\n  type: article-journal\n"
        "  topic: research\n  title: Same work again\n  issued: {date-parts: "
        "[[2020]]}\n  DOI: 10.5555/FIXTURE.ALPHA\n  verified: fixture only\n"
    )
    code, data, _ = run(fixture_site, "--site", str(site))
    [dup] = findings(data, "bibliography-duplicate")
    assert dup["file"] == "docs/references.yaml" and dup["line"] == 23  # the DOI field
    bib.write_text("- id: x\n  title: [unclosed\n")
    code, data, _ = run(fixture_site, "--site", str(site))
    [bad] = findings(data, "source")
    assert bad["file"] == "docs/references.yaml" and bad["line"] in (2, 3) and code == 1


def test_front_matter_faults_and_overdue(fixture_site):
    pages = clean(fixture_site)
    site = build_ok(fixture_site)
    fixture_site.write("en/index.md", pages["index.md"].replace("last_reviewed: 2026-11-01\n", ""))
    overdue = pages["start-here/index.md"].replace(
        "next_review: 2027-05-01", "next_review: 2026-11-02"
    )
    fixture_site.write("en/start-here/index.md", overdue)
    code, data, _ = run(fixture_site, "--site", str(site))
    assert any(f["message"] == "front matter lacks 'last_reviewed'" for f in data["findings"])
    [late] = findings(data, "review-overdue")
    assert late["severity"] == "warning" and late["line"] == 5
    code, data, _ = run(fixture_site, "--site", str(site), "--fail-overdue")
    [late] = findings(data, "review-overdue")
    assert late["severity"] == "error" and code == 1


def test_data_file_fault(fixture_site):
    clean(fixture_site)
    site = build_ok(fixture_site)
    text = (FIXTURES / "trials.yaml").read_text().replace('phase: "2"', "phase: II")
    (fixture_site.dir / "docs" / "data" / "trials.yaml").write_text(text)
    code, data, _ = run(fixture_site, "--site", str(site))
    [f] = [f for f in findings(data, "data") if "phase" in f["message"]]
    assert (f["file"], f["line"]) == ("docs/data/trials.yaml", 25) and code == 1  # the field's line


def test_bad_encoding_is_a_finding(fixture_site):
    clean(fixture_site)
    site = build_ok(fixture_site)
    (fixture_site.dir / "docs" / "en" / "latin1.md").write_bytes(b"---\ntitle: caf\xe9\n---\n")
    code, data, _ = run(fixture_site, "--site", str(site))
    [f] = findings(data, "encoding")
    assert f["file"] == "docs/en/latin1.md" and code == 1


@pytest.mark.parametrize("fmt", ["github", "sarif", "text"])
def test_output_formats(fixture_site, fmt):
    pages = clean(fixture_site)
    fixture_site.write("en/index.md", pages["index.md"] + "\n[Gone](missing/index.md)\n")
    proc = subprocess.run(
        [*CHECK, "--root", str(fixture_site.dir), "--format", fmt],
        capture_output=True,
        text=True,
        env=ENV,
    )
    assert proc.returncode == 1
    if fmt == "github":
        assert "::error file=docs/en/index.md,line=15,title=link-internal::" in proc.stdout
    elif fmt == "sarif":
        sarif = json.loads(proc.stdout)
        assert sarif["version"] == "2.1.0"
        [result] = [r for r in sarif["runs"][0]["results"] if r["ruleId"] == "link-internal"]
        region = result["locations"][0]["physicalLocation"]["region"]
        assert result["ruleId"] == "link-internal" and region == {"startLine": 15}
    else:
        assert "docs/en/index.md" in proc.stdout and "1 error(s)" in proc.stdout


def test_usage_errors_exit_2(tmp_path):
    proc = subprocess.run(
        [*CHECK, "--site", str(tmp_path)], capture_output=True, text=True, env=ENV
    )
    assert proc.returncode == 2 and "not a built site" in proc.stderr
    proc = subprocess.run(
        [*CHECK, "--changed-since", "HEAD"], capture_output=True, text=True, env=ENV
    )
    assert proc.returncode == 2 and "needs --external" in proc.stderr
    proc = subprocess.run([*CHECK, "--format", "xml"], capture_output=True, text=True, env=ENV)
    assert proc.returncode == 2


def test_html_links_are_attributed_to_the_file_that_produced_them(tmp_path):
    from mdma_guide import checker
    from mdma_guide.project import Project

    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text(
        '<html><body><header><a href="nowhere/">x</a></header><article>'
        '<div class="data-table-wrapper" id="table-trials-wrapper"><a href="gone/">t</a></div>'
        '<ol class="references"><li><a href="#missing-ref">r</a></li></ol></article>'
        "</body></html>"
    )
    project = Project(tmp_path, ("en",), tmp_path / "docs")
    found = checker.check_html_links(project, checker.SiteIndex(site), set())
    by_target = {p.target: p.file for p in found}
    assert by_target == {
        "nowhere/": "overrides/ (theme templates)",
        "gone/": "docs/data/trials.yaml",
        "#missing-ref": "docs/references.yaml",
    }
