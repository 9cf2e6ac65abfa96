"""Data files: schema validation with file and line, and the rendered tables."""

from __future__ import annotations

import shutil

from conftest import FIXTURES, page
from selectolax.lexbor import LexborHTMLParser as HTMLParser


def use_fixture_trials(site, text=None):
    target = site.dir / "docs" / "data" / "trials.yaml"
    if text is None:
        shutil.copy(FIXTURES / "trials.yaml", target)
    else:
        target.write_text(text, encoding="utf-8")


def test_trials_table_renders_with_citations_and_flags(fixture_site):
    use_fixture_trials(fixture_site)
    fixture_site.write("en/index.md", page("Home", "Intro [@beta2021review].\n\n[[data:trials]]"))
    build = fixture_site.build()
    assert build.returncode == 0, build.output
    tree = HTMLParser((fixture_site.dir / "site" / "index.html").read_text(encoding="utf-8"))
    table = tree.css_first("table#table-trials")
    rows = table.css("tbody tr")
    assert len(rows) == 3
    first = rows[0]
    assert first.css_first("a").attributes["href"] == "http://127.0.0.1:9/NCT00000001"
    assert "status-badge--retracted" in first.html  # the retracted publication is flagged
    assert "12 (planned)" in rows[1].text()
    assert "90 (actual)" in rows[0].text()
    # table sources join the page's numbered reference list, after the prose citation
    listed = [li.attributes["id"] for li in tree.css("ol.references li")]
    assert listed == ["ref-beta2021review", "ref-alpha2020trial", "ref-gone2019pooled"]
    assert tree.css_first("input#table-trials-filter") is not None
    assert len(table.css("thead th button")) == 10


def test_table_labels_are_localized(fixture_site):
    use_fixture_trials(fixture_site)
    fixture_site.write("en/index.md", page("Home", "[[data:trials]]"))
    fixture_site.write("es/index.md", page("Inicio", "[[data:trials]]"))
    assert fixture_site.build().returncode == 0
    html = (fixture_site.dir / "site" / "es" / "index.html").read_text(encoding="utf-8")
    assert "Fase" in html and "Finalizado" in html and "Filtrar filas" in html
    assert "Un ensayo de prueba traducido" in html and "TEPT" in html  # row translations
    en = (fixture_site.dir / "site" / "index.html").read_text(encoding="utf-8")
    assert "A translated fixture trial" in en and "Un ensayo" not in en


def test_schema_violation_names_file_and_line(fixture_site):
    text = (FIXTURES / "trials.yaml").read_text().replace("status: recruiting", "status: ongoing")
    use_fixture_trials(fixture_site, text)
    fixture_site.write("en/index.md", page("Home", "[[data:trials]]"))
    build = fixture_site.build()
    assert build.returncode != 0
    assert "docs/data/trials.yaml:29: row 'NCT00000002': status: 'ongoing' is not one of" in (
        build.output
    )
    assert "Traceback" not in build.output


def test_unknown_source_key_in_data(fixture_site):
    text = (FIXTURES / "trials.yaml").read_text().replace("gone2019pooled", "gone2019poold")
    use_fixture_trials(fixture_site, text)
    fixture_site.write("en/index.md", page("Home", "[[data:trials]]"))
    build = fixture_site.build()
    assert build.returncode != 0 and "unknown bibliography key 'gone2019poold'" in build.output


def test_unknown_table_name(fixture_site):
    fixture_site.write("en/index.md", page("Home", "[[data:trails]]"))
    build = fixture_site.build()
    assert build.returncode != 0 and "unknown data table 'trails'" in build.output
