"""Emergency numbers by country: the data file, its schema and the rendered lists."""

from __future__ import annotations

import sys

import pytest
from conftest import LANGS, ROOT
from selectolax.lexbor import LexborHTMLParser as HTMLParser

sys.path.insert(0, str(ROOT / "scripts"))
from mdma_guide import datatables, emergency  # noqa: E402
from mdma_guide.records import load_records  # noqa: E402

SCHEMA = ROOT / "docs" / "data" / "schemas" / "emergency-numbers.schema.json"


def data_rows():
    rows, problems = datatables.load(ROOT, emergency.NAME)
    assert problems == []
    return rows


def page_path(site, lang, rel):
    return site / ("" if lang == "en" else lang) / rel


@pytest.mark.parametrize("lang", LANGS)
def test_emergency_page_lists_every_number_as_a_tel_link(site, lang):
    tree = HTMLParser(page_path(site, lang, "emergency/index.html").read_text(encoding="utf-8"))
    assert tree.css_first("h2#numbers") is not None
    links = tree.css('#emergency-numbers a[href^="tel:"]')
    assert len(links) >= 15
    shown = {
        li.attributes["id"].removeprefix("tel-"): [
            a.attributes["href"] for a in li.css('a[href^="tel:"]')
        ]
        for li in tree.css("#emergency-numbers li[id]")
    }
    expected = {
        row["id"]: [emergency.tel_href(n["number"]) for n in row["numbers"]] for row in data_rows()
    }
    assert shown == expected
    # sorted by the country's name in the page's language
    names = [li.css_first("strong").text() for li in tree.css("#emergency-numbers li[id]")]
    assert names == sorted(names, key=emergency.sort_key)
    assert emergency.country_name("de", lang) in names


@pytest.mark.parametrize("lang", LANGS)
def test_handout_has_the_list_instead_of_a_blank_line(site, lang):
    rel = "clinicians/handouts/risks-and-emergencies/index.html"
    html = page_path(site, lang, rel).read_text(encoding="utf-8")
    assert "____" not in html
    assert len(HTMLParser(html).css('#emergency-numbers a[href^="tel:"]')) >= 15


def test_every_page_links_to_the_numbers(html_pages):
    for rel, html in html_pages.items():
        if rel.endswith("404.html"):
            continue
        link = HTMLParser(html).css_first("a.guide-emergency--numbers")
        assert link is not None, rel
        assert link.attributes["href"].endswith("#numbers"), rel


def test_country_names_follow_the_language():
    assert emergency.country_name("ch", "de") == "Schweiz"
    assert emergency.country_name("ch", "es") == "Suiza"
    assert emergency.tel_href("01 406 43 43") == "tel:014064343"
    assert emergency.tel_href("+43 1 406 43 43") == "tel:+4314064343"
    rows = [{"id": "at", "numbers": []}, {"id": "de", "numbers": []}, {"id": "ch", "numbers": []}]
    assert [r["name"] for r in emergency.entries(rows, "de")] == [
        "Deutschland",
        "Österreich",
        "Schweiz",
    ]


@pytest.mark.parametrize(
    "row",
    [
        # no source at all
        '- id: xx\n  country: Xland\n  numbers: [{number: "112", service: general}]\n'
        "  checked: 2026-12-06\n",
        # a number with letters or too short, an unknown service, a source that is not https
        '- id: xx\n  country: Xland\n  numbers: [{number: "11a", service: general}]\n'
        "  urls: [https://example.org/]\n  checked: 2026-12-06\n",
        '- id: xx\n  country: Xland\n  numbers: [{number: "1", service: general}]\n'
        "  urls: [https://example.org/]\n  checked: 2026-12-06\n",
        '- id: xx\n  country: Xland\n  numbers: [{number: "112", service: taxi}]\n'
        "  urls: [https://example.org/]\n  checked: 2026-12-06\n",
        '- id: xx\n  country: Xland\n  numbers: [{number: "112", service: general}]\n'
        "  urls: [http://example.org/]\n  checked: 2026-12-06\n",
        # empty source lists do not count as sources
        '- id: xx\n  country: Xland\n  numbers: [{number: "112", service: general}]\n'
        "  sources: []\n  urls: []\n  checked: 2026-12-06\n",
    ],
)
def test_schema_rejects_a_bad_row(tmp_path, row):
    path = tmp_path / "emergency-numbers.yaml"
    path.write_text(row, encoding="utf-8")
    _, problems = load_records(path, "emergency-numbers.yaml", SCHEMA)
    assert problems, row


def test_schema_accepts_a_good_row(tmp_path):
    path = tmp_path / "emergency-numbers.yaml"
    path.write_text(
        '- id: xx\n  country: Xland\n  numbers: [{number: "112", service: general}]\n'
        "  urls: [https://example.org/]\n  checked: 2026-12-06\n",
        encoding="utf-8",
    )
    assert load_records(path, "emergency-numbers.yaml", SCHEMA)[1] == []
