"""The checker's blind spots (issue #16): every bad input is a finding at its file and line.

One fixture per fault. For each, the real checker runs in its default mode (it builds the
site first) in a subprocess with a time limit, writing all four formats at once (stdout in
one of them, the others through ``--report``); each format must name the file, the line of
the bad field and the message, with no traceback, and the exit code must be 1 (findings).
A finding planted in another file must still be reported next to it. Where MkDocs is
involved, ``mkdocs build --strict`` must fail naming the same file and line.
"""

from __future__ import annotations

import contextlib
import json
import os
import resource
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import ENV, ROOT, page
from test_checker import clean

CHECK = [sys.executable, str(ROOT / "scripts" / "check_site.py")]
FORMATS = ("text", "json", "github", "sarif")
# CPU seconds (user + system, the build included) for one checker run or one strict build
# of a fixture: CPU time, not wall time, so a busy machine does not fail the tests. Before
# the fixes, an alias bomb took 76-146 s to a MemoryError and a folder loop 190-240 s.
TIME_LIMIT = 60.0
FAST_LIMIT = 15.0  # the alias bombs and symlink loops: seconds, not minutes
WALL_LIMIT = 180.0  # a generous wall-clock bound on top
# Planted in every fixture (at the end of the emergency page, see prepare): it must be
# reported whatever else is wrong.
PLANTED = "\n[Gone](gone.md)\n"
OTHER_FILE, OTHER_MESSAGE = "docs/en/emergency/index.md", "link to a page that does not exist"


def planted_line(emergency_page: str) -> int:
    """The line of the planted link once appended to the fixture's emergency page."""
    return (emergency_page + PLANTED).count("\n")


@dataclass
class Expect:
    file: str
    line: int | None
    message: str
    strict: bool = True  # `mkdocs build --strict` must fail naming it too
    limit: float = TIME_LIMIT
    others: bool = True  # the planted broken link is reported too (the site builds)


def line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


def bomb(indent: str = "") -> str:
    """A "billion laughs" YAML block: nine levels of ten aliases each (10^9 strings)."""
    lines = [f"{indent}l0: &l0 [{', '.join(['lol'] * 10)}]"]
    for i in range(1, 10):
        lines.append(f"{indent}l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 10)}]")
    return "\n".join(lines) + "\n"


def write_bytes(site, rel: str, data: bytes) -> None:
    path = site.dir / "docs" / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def references(site) -> Path:
    return site.dir / "docs" / "references.yaml"


# Each fault: (site, pages of the clean fixture) -> what must be reported -------------------


def binary_page(site, pages):
    text = page("Binary", "Text.\n\nMore text.")
    data = text.encode().replace(b"More text.", b"More \0\0\x01 text.")
    write_bytes(site, "en/binary.md", data)
    return Expect("docs/en/binary.md", line_of(text, "More text."), "binary file")


def invalid_utf8_page(site, pages):
    text = pages["index.md"] + "\nCaf\xe9 au lait.\n"
    write_bytes(site, "en/index.md", text.encode("utf-8").replace(b"\xc3\xa9", b"\xe9"))
    return Expect("docs/en/index.md", line_of(text, "Caf"), "not valid UTF-8 at column 4")


def alias_bomb_front_matter(site, pages):
    text = pages["index.md"].replace("evidence: low\n", "evidence: low\n" + bomb(), 1)
    site.write("en/index.md", text)
    return Expect("docs/en/index.md", line_of(text, "l5:"), "alias bomb", limit=FAST_LIMIT)


def alias_bomb_references(site, pages):
    path = references(site)
    text = path.read_text(encoding="utf-8") + "- id: zzz\n" + bomb("  ")
    path.write_text(text, encoding="utf-8")
    return Expect("docs/references.yaml", line_of(text, "  l5:"), "alias bomb", limit=FAST_LIMIT)


def symlink_to_itself(site, pages):
    os.symlink("loop.md", site.dir / "docs" / "en" / "loop.md")
    return Expect("docs/en/loop.md", None, "symbolic link loop", limit=FAST_LIMIT)


def folder_linking_to_parent(site, pages):
    os.symlink("..", site.dir / "docs" / "en" / "up")
    return Expect("docs/en/up", None, "symbolic link loop", limit=FAST_LIMIT)


INTERACTION = """- id: fixture-drug
  drug: A fixture drug
  category: other-medicine
  effect: An effect.
  mechanism: A mechanism.
  severity: {severity}
  evidence: pharmacology
  refs: [alpha2020trial]
"""
LEGAL = """- id: xx
  jurisdiction: Fixture Land
  status: A status.
  category: {category}
  medical_access: none
  medical_access_detail: None at all.
  sources: [alpha2020trial]
  last_verified: "2026-11-01"
"""


def table_page(site, name: str, rows: str) -> str:
    path = site.dir / "docs" / "data" / f"{name}.yaml"
    path.write_text(rows, encoding="utf-8")
    site.write(f"en/{name}.md", page(name, f"[[data:{name}]]"))
    return rows


def enum_typo_interactions(site, pages):
    rows = table_page(site, "interactions", INTERACTION.format(severity="majr"))
    return Expect("docs/data/interactions.yaml", line_of(rows, "severity"), "'majr' is not one of")


def enum_typo_legal_status(site, pages):
    rows = table_page(site, "legal-status", LEGAL.format(category="prohibitted"))
    return Expect("docs/data/legal-status.yaml", line_of(rows, "category"), "'prohibitted'")


GLOSSARY = """- id: fixture-term
  en:
    term: Fixture term
    definition: A term that exists only in the tests.
  es:
    definition: Un término que solo existe en las pruebas.
"""


def glossary_entry_without_term(site, pages):
    (site.dir / "docs" / "data" / "glossary.yaml").write_text(GLOSSARY, encoding="utf-8")
    site.write("es/index.md", pages["index.md"] + "\nUn término.\n")
    line = line_of(GLOSSARY, "  es:")
    return Expect("docs/data/glossary.yaml", line, "'term' is a required property")


def malformed_doi(site, pages):
    path = references(site)
    text = path.read_text(encoding="utf-8").replace(
        "DOI: 10.5555/fixture.alpha", "DOI: doi 10.5555 fixture alpha", 1
    )
    path.write_text(text, encoding="utf-8")
    return Expect("docs/references.yaml", line_of(text, "DOI: doi"), "DOI: 'doi 10.5555")


def duplicate_id(site, pages):
    path = references(site)
    text = path.read_text(encoding="utf-8")
    text += "- type: book\n  topic: research\n  title: Again\n  id: alpha2020trial\n"
    text += "  URL: https://example.org/\n"
    path.write_text(text, encoding="utf-8")
    line = line_of(text, "  id: alpha2020trial")
    return Expect("docs/references.yaml", line, "duplicate id 'alpha2020trial'")


def broken_front_matter(site, pages):
    text = pages["index.md"].replace("title: Home", "title: [Home", 1)
    site.write("es/index.md", text)
    return Expect("docs/es/index.md", line_of(text, "description:"), "invalid YAML")


def citation_after_blank_line(site, pages):
    text = pages["start-here/index.md"] + "\nA claim [@nobody1999].\n"
    site.write("en/start-here/index.md", text)
    return Expect("docs/en/start-here/index.md", line_of(text, "A claim"), "nobody1999")


def broken_strings(site, pages):
    path = site.dir / "docs" / "data" / "strings.yaml"
    text = path.read_text(encoding="utf-8").replace(
        "  next_review: Next review due", "  next_review: [Next review due", 1
    )
    path.write_text(text, encoding="utf-8")
    line = line_of(text, "  review_overdue:")  # where the parser notices
    return Expect("docs/data/strings.yaml", line, "invalid YAML", others=False)


FAULTS = [
    binary_page,
    invalid_utf8_page,
    alias_bomb_front_matter,
    alias_bomb_references,
    symlink_to_itself,
    folder_linking_to_parent,
    enum_typo_interactions,
    enum_typo_legal_status,
    glossary_entry_without_term,
    malformed_doi,
    duplicate_id,
    broken_front_matter,
    citation_after_blank_line,
    broken_strings,
]


def prepare(site):
    """The clean fixture, a translation-status page (its hook reads every page) and one
    planted broken link elsewhere."""
    pages = clean(site)
    site.write("en/about/translation-status.md", page("Status", "[[translation-status]]"))
    site.write("en/emergency/index.md", pages["emergency/index.md"] + PLANTED)
    return pages


def run_checker(site, stdout_format: str, tmp: Path):
    reports = {f: tmp / f"report.{f}" for f in FORMATS if f != stdout_format}
    args = [*CHECK, "--root", str(site.dir), "--format", stdout_format, "--today", "2026-11-26"]
    for fmt, path in reports.items():
        args += ["--report", f"{fmt}:{path}"]
    with timed() as elapsed:
        proc = subprocess.run(
            args, capture_output=True, text=True, env={**ENV, "NO_COLOR": "1"}, timeout=300
        )
    outputs = {fmt: path.read_text(encoding="utf-8") for fmt, path in reports.items()}
    outputs[stdout_format] = proc.stdout
    return proc, outputs, elapsed["cpu"]


@contextlib.contextmanager
def timed():
    """CPU seconds of the subprocesses finished inside the block (and their children)."""
    before, wall = resource.getrusage(resource.RUSAGE_CHILDREN), time.monotonic()
    out: dict = {}
    yield out
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    out["cpu"] = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    out["wall"] = time.monotonic() - wall
    assert out["wall"] < WALL_LIMIT, f"{out['wall']:.0f} s wall time"


def assert_in_every_format(outputs: dict, file: str, line: int | None, message: str):
    findings = json.loads(outputs["json"])["findings"]
    assert any(
        f["file"] == file and f["line"] == line and message in f["message"] for f in findings
    ), f"{file}:{line} {message!r} not in {json.dumps(findings, indent=1)}"
    where = f"file={file}" + (f",line={line}" if line else ",title=")
    assert any(where in row and message in row for row in outputs["github"].splitlines()), outputs[
        "github"
    ]
    results = json.loads(outputs["sarif"])["runs"][0]["results"]
    assert any(
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == file
        and r["locations"][0]["physicalLocation"].get("region", {}).get("startLine") == line
        and message in r["message"]["text"]
        for r in results
    ), json.dumps(results, indent=1)
    text = outputs["text"]
    assert f"\n{file}\n" in f"\n{text}", text
    section = text.split(f"{file}\n", 1)[1]
    number = f"{line}" if line else "-"
    assert any(
        row.strip().startswith(f"{number} ") and message in row for row in section.splitlines()
    ), text


@pytest.mark.parametrize("fault", FAULTS, ids=[f.__name__ for f in FAULTS])
def test_fault_is_a_finding_at_its_line_in_every_format(fixture_site, tmp_path, fault):
    pages = prepare(fixture_site)
    expect = fault(fixture_site, pages)
    stdout_format = FORMATS[FAULTS.index(fault) % len(FORMATS)]  # each format on stdout too
    proc, outputs, elapsed = run_checker(fixture_site, stdout_format, tmp_path)
    everything = proc.stdout + proc.stderr + "".join(outputs.values())
    assert "Traceback" not in everything, everything
    assert proc.returncode == 1, f"exit {proc.returncode}: {proc.stderr}"
    assert elapsed < expect.limit, f"{elapsed:.1f} CPU s"
    assert_in_every_format(outputs, expect.file, expect.line, expect.message)
    if expect.others:
        other_line = planted_line(pages["emergency/index.md"])
        assert_in_every_format(outputs, OTHER_FILE, other_line, OTHER_MESSAGE)
    else:  # the site cannot build: said as a finding, not as "could not run" (exit 2)
        assert_in_every_format(outputs, "mkdocs.yml", None, "the site does not build")

    if expect.strict:
        with timed() as spent:
            build = fixture_site.build()
        elapsed = spent["cpu"]
        assert build.returncode == 1, build.output
        assert "Traceback" not in build.output, build.output
        where = f"{expect.file}:{expect.line}: " if expect.line else f"{expect.file}: "
        assert any(where in row and expect.message in row for row in build.output.splitlines()), (
            build.output
        )
        assert elapsed < expect.limit, f"strict build: {elapsed:.1f} CPU s"


def test_broken_link_on_an_english_only_page_is_reported_once(fixture_site, tmp_path):
    prepare(fixture_site)
    text = page("Only English", "Text.\n\n[Nowhere](nowhere/index.md)\n")
    fixture_site.write("en/only-english.md", text)
    proc, outputs, _ = run_checker(fixture_site, "json", tmp_path)
    findings = json.loads(outputs["json"])["findings"]
    mine = [f for f in findings if f["target"] == "nowhere/index.md"]
    assert [(f["file"], f["line"]) for f in mine] == [
        ("docs/en/only-english.md", line_of(text, "[Nowhere]"))
    ], mine


def test_a_site_that_cannot_be_built_is_exit_2_with_valid_empty_reports(fixture_site, tmp_path):
    clean(fixture_site)
    config = fixture_site.dir / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + "\ntheme: [\n", encoding="utf-8")
    proc, outputs, _ = run_checker(fixture_site, "json", tmp_path)
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stdout + proc.stderr
    assert "check_site:" in proc.stderr
    assert json.loads(outputs["json"])["findings"] == []
    sarif = json.loads(outputs["sarif"])
    assert sarif["runs"][0]["results"] == []
    assert sarif["runs"][0]["invocations"][0]["executionSuccessful"] is False


# The pieces, in-process (fast) ---------------------------------------------------------

sys.path.insert(0, str(ROOT / "scripts"))
from mdma_guide import check_cli, checker  # noqa: E402
from mdma_guide.errors import SourceError  # noqa: E402
from mdma_guide.sources import read_source, safe_walk  # noqa: E402
from mdma_guide.yamlio import load_yaml  # noqa: E402


def test_alias_bomb_is_refused_before_it_is_built():
    started = time.process_time()
    with pytest.raises(SourceError) as caught:
        load_yaml("a: 1\n" + bomb(), "bomb.yaml")
    assert time.process_time() - started < 2
    [problem] = caught.value.problems
    assert (problem.file, problem.line) == ("bomb.yaml", 7) and "alias bomb" in problem.message
    assert load_yaml("x: &a [1, 2]\ny: *a\n", "ok.yaml")["y"] == [1, 2]  # aliases still work


def test_walk_never_leaves_docs_or_loops(tmp_path):
    docs = tmp_path / "docs"
    (docs / "en" / "sub").mkdir(parents=True)
    (docs / "en" / "a.md").write_text("a")
    (tmp_path / "secret.md").write_text("outside")
    links = {
        "out.md": "../../secret.md",
        "self.md": "self.md",
        "up": "..",
        "root": "../..",
        "dangling.md": "nowhere.md",
        "alias": "sub",  # a folder inside docs, not an ancestor: followed
    }
    for name, target in links.items():
        os.symlink(target, docs / "en" / name)
    skipped = {}
    listed = {
        os.path.relpath(os.path.join(folder, name), docs)
        for folder, _, names in safe_walk(str(docs), lambda p, why: skipped.update({p: why}))
        for name in names
    }
    assert listed == {"en/a.md"}
    assert {os.path.basename(p): why.split(" (")[0] for p, why in skipped.items()} == {
        "out.md": "symbolic link to outside the docs folder",
        "self.md": "symbolic link loop",
        "up": "symbolic link loop",
        "root": "symbolic link to outside the docs folder",
        "dangling.md": "broken symbolic link",
    }


def test_a_checker_crash_is_exit_2_not_findings(tmp_path, monkeypatch, capsys):
    """A bug in the checker must never look like "findings found" (exit 1)."""
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "index.html").write_text("<html></html>")

    def crash(project):
        raise RuntimeError("a checker bug")

    monkeypatch.setattr(checker, "check_files", crash)
    code = check_cli.main(
        ["--root", str(ROOT), "--site", str(tmp_path / "site"), "--format", "sarif"]
    )
    out, err = capsys.readouterr()
    assert code == 2
    assert "internal error (RuntimeError: a checker bug)" in err and "Traceback" not in out + err
    run = json.loads(out)["runs"][0]
    assert run["results"] == [] and run["invocations"][0]["executionSuccessful"] is False


def test_sources_are_read_as_mkdocs_reads_them(tmp_path):
    """Byte-order mark dropped, CRLF newlines; a bad byte is reported at its line."""
    path = tmp_path / "page.md"
    path.write_bytes(b"\xef\xbb\xbf---\r\ntitle: x\r\n---\r\nok\r\n")
    assert read_source(path, "page.md").text == "---\ntitle: x\n---\nok\n"
    path.write_bytes(b"\xef\xbb\xbf---\r\ntitle: x\r\n---\r\nok\r\nbad \xff\r\n")
    problem = read_source(path, "page.md").problem
    assert (problem.line, problem.rule) == (5, "encoding") and "column 5" in problem.message
