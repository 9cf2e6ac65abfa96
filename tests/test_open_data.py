"""Open data: every table as CSV and JSON with a valid Frictionless data package."""

from __future__ import annotations

import csv
import json
import sys

from conftest import LANGS, ROOT
from selectolax.lexbor import LexborHTMLParser as HTMLParser

sys.path.insert(0, str(ROOT / "scripts"))
from mdma_guide import datatables, opendata  # noqa: E402


def test_data_package_validates_with_frictionless(site):
    from frictionless import validate

    package = site / opendata.OUT_DIR / opendata.PACKAGE
    report = validate(str(package))
    assert report.valid, report.flatten(["title", "type", "message"])
    descriptor = json.loads(package.read_text(encoding="utf-8"))
    names = {r["name"] for r in descriptor["resources"]}
    for table in opendata.TABLES:
        assert {table, f"{table}-json"} <= names
    for resource in descriptor["resources"]:
        assert resource["schema"]["fields"]
        assert resource["licenses"] and resource["sources"]
        assert resource["lastChecked"]


def test_files_hold_every_row_with_translations(site):
    for table in opendata.TABLES:
        rows, _ = datatables.load(ROOT, table)
        with (site / "data" / f"{table}.csv").open(encoding="utf-8", newline="") as f:
            csv_rows = list(csv.DictReader(f))
        json_rows = json.loads((site / "data" / f"{table}.json").read_text(encoding="utf-8"))
        assert [r["id"] for r in csv_rows] == [r["id"] for r in rows]
        assert [r["id"] for r in json_rows] == [r["id"] for r in rows]
    with (site / "data" / "legal-status.csv").open(encoding="utf-8", newline="") as f:
        by_id = {r["id"]: r for r in csv.DictReader(f)}
    assert by_id["ch"]["jurisdiction_de"] == "Schweiz"
    assert by_id["ch"]["jurisdiction_es"] == "Suiza"
    for lang in LANGS[1:]:  # every translated language has its columns, filled
        assert by_id["ch"][f"jurisdiction_{lang}"], lang


def test_every_table_links_its_csv_and_json(site, html_pages):
    checked = 0
    for rel, html in html_pages.items():
        tree = HTMLParser(html)
        tables = tree.css(".data-table-wrapper, .emergency-numbers")
        downloads = tree.css("p.data-download")
        assert len(downloads) == len(tables), rel
        for p in downloads:
            hrefs = [a.attributes["href"] for a in p.css("a")]
            assert [h.rsplit(".", 1)[1] for h in hrefs] == ["csv", "json"], rel
            for href in hrefs:
                assert ((site / rel).parent / href).resolve().is_file(), (rel, href)
            checked += 1
    assert checked >= 3 * 5  # five tables, three languages


def test_fields_follow_the_json_schema():
    entry = {
        "required": ["id", "n", "refs"],
        "properties": {
            "id": {"type": "string"},
            "n": {"type": "integer"},
            "refs": {"type": "array", "items": {"type": "string"}},
            "checked": {"type": "string", "format": "date", "pattern": "^\\d{4}-\\d{2}-\\d{2}$"},
            "kind": {"enum": ["a", "b"]},
            "translations": {
                "type": "object",
                "additionalProperties": {"properties": {"kind_text": {"type": "string"}}},
            },
        },
    }
    fields = opendata.fields(entry, ("es", "de", "pt-BR"))
    assert [(f["name"], f["type"]) for f in fields] == [
        ("id", "string"),
        ("n", "integer"),
        ("refs", "string"),
        ("checked", "date"),
        ("kind", "string"),
        ("kind_text_es", "string"),
        ("kind_text_de", "string"),
        ("kind_text_pt-BR", "string"),
    ]
    assert (
        fields[-1]["description"]
        == "'kind_text' in Portuguese (Brazil) (empty when not translated)."
    )
    assert "required" not in fields[2].get("constraints", {})  # a list may be empty
    rows = [{"id": "x", "n": 3, "refs": ["a", "b"], "translations": {"de": {"kind_text": "K"}}}]
    assert opendata.records(rows, fields, ("es", "de", "pt-BR")) == [
        {
            "id": "x",
            "n": 3,
            "refs": "a; b",
            "checked": None,
            "kind": None,
            "kind_text_es": None,
            "kind_text_de": "K",
            "kind_text_pt-BR": None,
        }
    ]
