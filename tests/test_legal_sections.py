"""Legal status by country: one section per country, in every language, readable on a phone.

Languages come from the build (every built copy of the page), not from a list in the test.
"""

from __future__ import annotations

import re
import shutil
import sys

from conftest import ROOT
from selectolax.lexbor import LexborHTMLParser as HTMLParser
from test_checker import clean, findings, run

sys.path.insert(0, str(ROOT / "scripts"))
from mdma_guide import datatables, process_words  # noqa: E402
from mdma_guide.project import load_project  # noqa: E402
from mdma_guide.strings import load_strings  # noqa: E402

PROJECT = load_project(ROOT)
ROWS, PROBLEMS = datatables.load(ROOT, "legal-status")
STRINGS = load_strings(str(ROOT))
ISO_ID = re.compile(r"^[a-z]{2}$")


def built_pages(site):
    """(language, parsed page) for every built copy of the by-country page."""
    found = []
    for path in sorted(site.rglob("legality/by-country/index.html")):
        rel = path.relative_to(site).parts
        lang = rel[0] if len(rel) > 3 else PROJECT.default
        found.append((lang, HTMLParser(path.read_text(encoding="utf-8"))))
    return found


def sections(tree):
    """Each country section: its h3 and the nodes up to the next heading."""
    out = {}
    for h3 in tree.css("article h3[id]"):
        if not ISO_ID.match(h3.attributes["id"]):
            continue
        nodes, node = [], h3.next
        while node is not None and node.tag not in ("h2", "h3"):
            if node.tag in ("p", "ul"):
                nodes.append(node)
            node = node.next
        out[h3.attributes["id"]] = nodes
    return out


def test_data_is_valid_and_consistent():
    assert PROBLEMS == []
    assert len(ROWS) >= 24
    for row in ROWS:
        cited = [k for keys in (row.get("cites") or {}).values() for k in keys]
        cited += [k for change in row.get("changes") or [] for k in change["sources"]]
        assert sorted(set(cited)) == sorted(row["sources"]), row["id"]
        assert set(row.get("secondary") or []) <= set(row["sources"]), row["id"]
        for field in datatables.LEGAL_FIELDS:
            assert bool(row.get(field)) == bool((row.get("cites") or {}).get(field)), (
                f"{row['id']}: '{field}' needs both a text and its sources, or neither"
            )
        for lang in PROJECT.languages[1:]:
            t = (row.get("translations") or {}).get(lang, {})
            assert t.get("jurisdiction"), f"{row['id']}: no {lang} name"
            for field in datatables.LEGAL_FIELDS:
                assert bool(t.get(field)) == bool(row.get(field)), f"{row['id']} {lang} {field}"
            assert len(t.get("changes_text") or []) == len(row.get("changes") or [])


def test_every_language_is_built_with_every_country(site):
    pages = built_pages(site)
    assert sorted(lang for lang, _ in pages) == sorted(PROJECT.languages)
    ids = {row["id"] for row in ROWS}
    for lang, tree in pages:
        found = sections(tree)
        assert set(found) == ids, f"{lang}: sections {sorted(set(found) ^ ids)}"
        assert len(found) >= 24
        picker = [a.attributes["href"] for a in tree.css("nav.country-picker a")]
        assert sorted(picker) == sorted(f"#{i}" for i in ids), lang
        table = [
            a.attributes["href"] for a in tree.css("#table-legal-status tbody td:first-child a")
        ]
        assert sorted(table) == sorted(f"#{i}" for i in ids), lang


def test_every_field_is_filled_and_cites_a_source_or_says_not_confirmed(site):
    for lang, tree in built_pages(site):
        legal = STRINGS[lang]["legal"]
        labels = legal["labels"]
        unknown = tuple(legal[k].split("{date}")[0] for k in ("not_confirmed", "no_changes"))
        claims = {labels[k] for k in ("status", "medical_access_detail", "possession")}
        for ident, nodes in sections(tree).items():
            fields = {}  # label -> list of (text, cited)
            current = None
            for node in nodes:
                if node.tag == "ul":
                    fields[current] += [
                        (li.text(separator=" ", strip=True), li.css_first("sup.cite") is not None)
                        for li in node.css("li")
                    ]
                    continue
                label = node.css_first("strong")
                full = " ".join(label.text(separator=" ").split())
                current = full.rstrip(":")
                text = " ".join(node.text(separator=" ").split())[len(full) :]
                fields[current] = [(text.strip(), node.css_first("sup.cite") is not None)]
            want = claims | {labels["changes"], labels["sources"], labels["checked"]}
            assert set(fields) == want, f"{lang} #{ident}: fields {sorted(fields)}"
            for name, values in fields.items():
                if name == labels["changes"]:
                    values = values[1:]  # the label's own paragraph; the items follow
                    assert values, f"{lang} #{ident}: no change and no 'not confirmed'"
                for text, cited in values:
                    assert text, f"{lang} #{ident}: empty field '{name}'"
                    if name in claims or name == labels["changes"]:
                        assert cited or text.startswith(unknown), (
                            f"{lang} #{ident}: '{name}' neither cites a source nor says "
                            f"it is not confirmed: {text[:80]}"
                        )
                    elif name == labels["sources"]:
                        assert cited or text == legal["no_sources"], f"{lang} #{ident}"


def test_dates_are_written_as_each_language_writes_them(site):
    expected = {
        "en": "6 December 2026",
        "es": "6 de diciembre de 2026",
        "de": "6. Dezember 2026",
        "fr": "6 décembre 2026",
        "pt-BR": "6 de dezembro de 2026",
    }
    for lang, tree in built_pages(site):
        text = " ".join(n.text(separator=" ") for ns in sections(tree).values() for n in ns)
        assert expected[lang] in text, lang
        assert not re.search(r"\b20\d\d-\d\d-\d\d\b", text), lang


def test_secondary_sources_are_named_as_such(site):
    rows = {row["id"]: row for row in ROWS}
    for lang, tree in built_pages(site):
        label = STRINGS[lang]["legal"]["secondary"]
        for ident, nodes in sections(tree).items():
            text = " ".join(n.text(separator=" ") for n in nodes)
            assert (label in text) == bool(rows[ident].get("secondary")), f"{lang} #{ident}"


def test_real_site_has_no_process_words(site):
    assert process_words.check(PROJECT, site) == []


def test_process_words_rule_reports_a_seeded_word_at_its_line(fixture_site):
    pages = clean(fixture_site)
    shutil.copy(ROOT / process_words.WORDS_FILE, fixture_site.dir / process_words.WORDS_FILE)
    fixture_site.write(
        "en/index.md", pages["index.md"] + "\nThis was seen only in a stored copy.\n"
    )
    code, data, _ = run(fixture_site)
    assert code == 1
    found = findings(data, "process-words")
    phrases = sorted(re.search(r"'([^']+)'", f["message"]).group(1) for f in found)
    assert phrases == ["seen only", "stored copy", "was seen"]
    assert {(f["file"], f["line"], f["severity"]) for f in found} == {
        ("docs/en/index.md", 15, "error")
    }
    assert all(f["target"] == "/" for f in found)


def test_process_words_found_in_data_are_traced_to_the_data_file(tmp_path):
    root = tmp_path
    (root / "docs" / "data").mkdir(parents=True)
    (root / "docs" / "data" / "demo.yaml").write_text(
        "- id: x\n  notes: stored copy only\n  status: A stored copy said so.\n",
        encoding="utf-8",
    )
    pattern = process_words._pattern("stored copy")
    assert process_words.locate(root, None, pattern) == [("docs/data/demo.yaml", 3)]
