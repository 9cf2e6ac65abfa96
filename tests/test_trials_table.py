"""The trials table: registry dates and check dates shown per row, every cell filled, dates
written as each language writes them, no research notes in what readers see."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from conftest import LANGS, ROOT, page
from selectolax.lexbor import LexborHTMLParser as HTMLParser

from test_data_tables import use_fixture_trials

sys.path.insert(0, str(ROOT / "scripts"))
from mdma_guide import datatables  # noqa: E402

CHECKED = {
    "en": "registry checked on",
    "es": "registro consultado el",
    "de": "Register geprüft am",
    "fr": "registre consulté le",
    "pt-BR": "registro consultado em",
}
ISO = re.compile(r"(?<![\w/.-])\d{4}-\d{2}(?:-\d{2})?(?![\w/.-])")
# Research-process wording that belongs in `verified`/`note`, never in a rendered cell.
PROCESS = re.compile(
    r"\bseen\b|mirror|stored|second pass|record version|excerpt|not retrieved|"
    r"se vio|se vieron|\bespejo\b|\bcopia\b|eingesehen|ersichtlich|\bKopie\b|\bSpiegel\b",
    re.I,
)
BANNED = {
    "es": [
        "sobrecalentamiento",
        "sin graduar",
        "Retirada de medicación",
        "Durabilidad",
        "coaches y pares",
    ],
    "de": [
        "Therapiepaar",
        "Handzettel",
        "über den Mund eingenommen",
        "Dosierungssitzung",
        "konkurrierende Interessen",
    ],
}
TEXT_FIELDS = ("title", "condition", "population", "dose_regimen", "status_detail", "n_detail")


def page_path(site: Path, lang: str, rel: str) -> Path:
    return site / ("" if lang == "en" else lang) / rel / "index.html"


def tables(site: Path):
    """Every data table on every built page: (page, table node)."""
    for path in sorted(site.rglob("*.html")):
        html = path.read_text(encoding="utf-8")
        if "data-table" not in html:
            continue
        for table in HTMLParser(html).css("table.data-table"):
            yield path.relative_to(site), table


# --- data files -------------------------------------------------------------------------


def test_data_files_validate_and_every_row_has_a_check_date():
    rows, problems = datatables.load(ROOT, "trials")
    assert problems == []
    assert len(rows) >= 39
    for row in rows:
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", row["checked"]), row["id"]
        assert row["verified"].strip(), row["id"]
    excluded, problems = datatables.load(ROOT, "trials-excluded")
    assert problems == []
    assert excluded, "the exclusions list is empty"
    for row in excluded:
        assert row["reason"] in (
            "no-mdma-given",
            "healthy-volunteers",
            "duplicate",
            "not-on-registry",
        )
        assert row["detail"].strip() and row["checked"], row["id"]
    # a study is either a row or an exclusion, never both
    assert not {r["id"] for r in rows} & {r["id"] for r in excluded}


@pytest.mark.parametrize("name", ["trials", "trials-excluded"])
def test_every_row_is_translated(name):
    rows, _ = datatables.load(ROOT, name)
    fields = TEXT_FIELDS + ("detail",)
    for row in rows:
        for lang in LANGS[1:]:  # every language but the default (English, the source)
            tr = (row.get("translations") or {}).get(lang, {})
            missing = [f for f in fields if row.get(f) and f not in tr]
            assert not missing, f"{row['id']} lacks {lang} {missing}"


def test_flagged_words_are_not_used():
    rows, _ = datatables.load(ROOT, "trials")
    for lang, words in BANNED.items():
        text = (ROOT / "docs" / lang / "research" / "trials.md").read_text(encoding="utf-8")
        text += " ".join(
            str(v) for r in rows for v in (r.get("translations") or {}).get(lang, {}).values()
        )
        for word in words:
            assert word.lower() not in text.lower(), f"{lang}: '{word}'"


def test_dates_are_written_as_each_language_writes_them():
    assert datatables.date_text("2026-12-06", "en") == "6 December 2026"
    assert datatables.date_text("2026-12-06", "es") == "6 de diciembre de 2026"
    assert datatables.date_text("2026-12-06", "de") == "6. Dezember 2026"
    assert datatables.date_text("2026-02", "es") == "febrero de 2026"
    assert datatables.date_text("2026-02", "de") == "Februar 2026"
    assert datatables.date_text("2026-12-06", "fr") == "6 décembre 2026"
    assert datatables.date_text("2026-12-06", "pt-BR") == "6 de dezembro de 2026"
    # a month is only over once it has ended
    assert datatables.compare_dates("2026-12", "2026-12-06") == 0
    assert datatables.compare_dates("2026-10-15", "2026-12-06") == -1
    assert datatables.compare_dates("2028-08", "2026-12-06") == 1


# --- the real site ----------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_each_row_shows_its_registry_check_date(site, lang):
    rows = {r["id"]: r for r in datatables.load(ROOT, "trials")[0]}
    html = page_path(site, lang, "research/trials").read_text(encoding="utf-8")
    table = HTMLParser(html).css_first("table#table-trials")
    shown = table.css("tbody tr")
    assert len(shown) == len(rows)
    for tr in shown:
        row = rows[tr.css_first("td").css_first("a").text(strip=True)]
        expected = f"{CHECKED[lang]} {datatables.date_text(row['checked'], lang)}"
        assert expected in tr.text(separator=" "), (lang, row["id"])
    assert HTMLParser(html).css_first("table#table-trials-excluded") is not None


def test_no_empty_cells_in_any_data_table(site):
    seen = 0
    for rel, table in tables(site):
        for i, td in enumerate(table.css("tbody td")):
            seen += 1
            assert td.text(strip=True) or td.css_first("a, sup"), f"{rel}: empty cell {i}"
    assert seen > 500


def test_no_iso_dates_in_table_cells(site):
    for rel, table in tables(site):
        for td in table.css("tbody td"):
            for link in td.css("a"):
                link.decompose()  # registry links and citation numbers are not dates
            text = td.text(separator=" ")
            assert not ISO.search(text), f"{rel}: ISO date in '{text[:120]}'"


def test_no_research_notes_in_trials_tables(site):
    # The legal-status table's "not confirmed" notes are reader-facing by design and are
    # reworded separately; the trials tables must carry none.
    for rel, table in tables(site):
        if not table.attributes.get("id", "").startswith("table-trials"):
            continue
        text = table.text(separator=" ")
        found = PROCESS.search(text)
        assert not found, f"{rel}: '{found.group(0)}' in a rendered table"


# --- fixture site: notices ---------------------------------------------------------------


def test_overdue_completion_and_localized_dates(fixture_site):
    use_fixture_trials(fixture_site)
    fixture_site.write("en/index.md", page("Home", "[[data:trials]]"))
    fixture_site.write("de/index.md", page("Start", "[[data:trials]]"))
    assert fixture_site.build().returncode == 0
    en = HTMLParser((fixture_site.dir / "site" / "index.html").read_text(encoding="utf-8"))
    rows = en.css("table#table-trials tbody tr")
    assert "Results posted: 1 February 2021" in rows[0].text(separator=" ")
    assert "registry checked on 6 December 2026" in rows[0].text(separator=" ")
    text = rows[1].text(separator=" ")
    assert (
        "the planned completion date (15 October 2026) has passed with no update on the "
        "registry since 22 November 2024"
    ) in text
    assert "not confirmed in the registry record" in rows[2].text(separator=" ")
    de = (fixture_site.dir / "site" / "de" / "index.html").read_text(encoding="utf-8")
    assert "Register geprüft am 26. November 2026" in de
    assert "2026-12-06" not in HTMLParser(de).css_first("table#table-trials").text()
