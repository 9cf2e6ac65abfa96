"""The terminology list: its matcher, its schema, and the check over pages and data files."""

from __future__ import annotations

import sys

from conftest import LANGS, ROOT, page
from test_checker import clean, findings, run

sys.path.insert(0, str(ROOT / "scripts"))
from mdma_guide import terminology  # noqa: E402
from mdma_guide.project import load_project  # noqa: E402

TERMS = """\
- id: handout
  en:
    use: handout
  de:
    use: Merkblatt
    avoid: ["Handzettel*"]
  es:
    use: hoja informativa
    avoid: ["re:folletos?\\\\b"]
"""


def write_terms(site, text: str = TERMS):
    (site.dir / "docs" / "data" / "terminology.yaml").write_text(text, encoding="utf-8")


def test_phrase_wildcard_and_regex_variants():
    variant = terminology._compile("Handzettel*")
    assert variant.search("Die Handzetteln liegen bereit")
    assert not variant.search("Kein Zettel")
    exact = terminology._compile("über den Mund")
    assert exact.search("Es wird über  den Mund eingenommen")
    assert not exact.search("über den Mundraum")
    assert terminology._compile("re:retirada\\s+de\\s+medicaci[oó]n").search(
        "Retirada de medicación"
    )


def test_yaml_lines_are_judged_by_their_language_key():
    variants = [
        terminology.Variant(
            "handout", "de", "Handzettel", "Merkblatt", terminology._compile("Handzettel*")
        )
    ]
    text = (
        "- id: x\n  en:\n    term: Handzettel in English is fine\n"
        "  de:\n    term: ok\n    definition: >-\n      ein Handzettel hier\n"
        "de:\n  label: Handzettel\n"
    )
    found = terminology.scan_yaml(text, "docs/data/glossary.yaml", {"de": variants})
    assert [p.line for p in found] == [7, 9]


def test_the_real_list_is_valid_and_the_real_sources_use_it():
    variants, problems = terminology.load(ROOT)
    assert not problems
    assert {v.lang for v in variants} >= set(LANGS[1:])  # every translation has a list
    found = terminology.check(load_project(ROOT))
    assert not found, "\n".join(str(p) for p in found[:20])


def test_checker_reports_each_variant_at_file_and_line(fixture_site):
    clean(fixture_site)
    write_terms(fixture_site)
    fixture_site.write(
        "de/start-here/index.md",
        page(
            "Start",
            "## Labels { #evidence-labels }\n\nDer Handzettel zum Ausdrucken.\n\n"
            "`Handzettel` im Code.",
        ).replace("---\n\n#", "translated_from: stale\n---\n\n#", 1),
    )
    code, data, _ = run(fixture_site)
    terms = findings(data, "terminology")
    assert code == 1
    assert [(f["file"], f["line"]) for f in terms] == [("docs/de/start-here/index.md", 14)]
    assert "use 'Merkblatt'" in terms[0]["message"]


def test_a_broken_list_is_a_finding_not_a_crash(fixture_site):
    clean(fixture_site)
    write_terms(fixture_site, "- id: x\n  de:\n    avoid: [Zettel]\n")
    code, data, _ = run(fixture_site)
    assert code == 1
    bad = [f for f in findings(data) if f["file"] == "docs/data/terminology.yaml"]
    assert bad and bad[0]["line"] == 1
