"""Citations: rendering rules (unit) and the strict build on fixture sites."""

from __future__ import annotations

import re
import sys

import pytest
from conftest import FIXTURES, ROOT, page
from selectolax.lexbor import LexborHTMLParser as HTMLParser

sys.path.insert(0, str(ROOT / "scripts"))
from mdma_guide import bibliography, citations  # noqa: E402
from mdma_guide.errors import SourceError  # noqa: E402
from mdma_guide.project import load_project  # noqa: E402
from mdma_guide.strings import load_strings, strings_for  # noqa: E402
from mdma_guide.yamlio import load_yaml  # noqa: E402

BIB = bibliography.load(FIXTURES.parent, "fixtures/references.yaml")
EN = strings_for(str(ROOT), "en")


def render(md: str, lang: str = "en"):
    return citations.render(md, BIB, "docs/en/x.md", lang, strings_for(str(ROOT), lang), 8)


def markers(html: str) -> list[str]:
    return re.findall(r'<sup class="cite">(.*?)</sup>', html)


def test_single_citation_is_numbered_and_listed():
    text, cited, problems = render("A claim [@alpha2020trial].")
    assert problems == []
    assert markers(text) == ['<a href="#ref-alpha2020trial">1</a>']
    assert '<li id="ref-alpha2020trial">' in text
    assert "https://doi.org/10.5555/fixture.alpha" in text
    assert "https://pubmed.ncbi.nlm.nih.gov/1/" in text
    assert "https://pmc.ncbi.nlm.nih.gov/articles/PMC1/" in text


def test_multiple_citations_and_order_of_first_use():
    text, cited, _ = render("One [@beta2021review; @alpha2020trial].\nTwo [@alpha2020trial].")
    assert cited.order == ["beta2021review", "alpha2020trial"]
    first, second = markers(text)
    assert first == '<a href="#ref-beta2021review">1</a>,<a href="#ref-alpha2020trial">2</a>'
    assert second == '<a href="#ref-alpha2020trial">2</a>'  # the same work keeps its number
    listed = re.findall(r'<li id="ref-([\w-]+)">', text)
    assert listed == ["beta2021review", "alpha2020trial"]


def test_locator():
    text, _, problems = render("Claim [@alpha2020trial, p. 4].")
    assert problems == []
    assert '<span class="cite-locator">(p. 4)</span>' in text


def test_citations_in_code_are_left_alone():
    md = "Use `[@nokey]` like this.\n\n```\n[@nokey]\n```\n"
    text, cited, problems = render(md)
    assert problems == [] and cited.order == [] and text == md


def test_unknown_key_names_file_and_line_and_suggests():
    _, _, [problem] = render("\nClaim [@alpha2020tral].")
    assert (problem.file, problem.line) == ("docs/en/x.md", 9)
    assert "unknown citation key '@alpha2020tral'" in problem.message
    assert "did you mean '@alpha2020trial'" in problem.message


def test_malformed_citation_is_reported():
    _, _, [problem] = render("Claim [@alpha2020trial; beta].")
    assert problem.rule == "citation-syntax"


@pytest.mark.parametrize("key", ["gone2019pooled", "wd2022paper"])
def test_retracted_or_withdrawn_cited_plainly_fails(key):
    _, _, [problem] = render(f"Claim [@{key}].")
    assert problem.rule == "citation-retracted" and f"[@{key}]{{.retracted}}" in problem.message


def test_retracted_cited_knowingly_shows_badge_at_marker_and_in_list():
    text, _, problems = render("Claim [@gone2019pooled]{.retracted}.")
    assert problems == []
    badge = "status-badge--retracted"
    marker_line = text.split("\n")[0]
    assert badge in marker_line and "Retracted, 10 August 2024" in marker_line
    assert 'href="https://doi.org/10.5555/fixture.gone.notice"' in marker_line
    assert text.count(badge) == 2


def test_retracted_marker_on_a_sound_work_is_an_error():
    _, _, [problem] = render("Claim [@alpha2020trial]{.retracted}.")
    assert "no retracted/withdrawn status" in problem.message


@pytest.mark.parametrize(
    "key, label",
    [
        ("corr2019study", "Corrected, 15 January 2020"),
        ("eoc2018study", "Expression of concern, 1 February 2019"),
        ("wd2022paper", "Withdrawn, 5 May 2023"),
    ],
)
def test_every_status_label(key, label):
    attr = "{.retracted}" if key == "wd2022paper" else ""
    text, _, problems = render(f"Claim [@{key}]{attr}.")
    assert problems == [] and label in text


def test_localized_output():
    es, _, _ = render("Afirmación [@gone2019pooled]{.retracted}.", "es")
    de, _, _ = render("Aussage [@gone2019pooled]{.retracted}.", "de")
    assert "## Referencias { #references }" in es and "Retractado, 10 de agosto de 2024" in es
    assert "## Literatur { #references }" in de and "Zurückgezogen, 10. August 2024" in de


def test_identifiers_seen_only_on_a_copy_are_marked_in_every_language():
    en, _, _ = render("One [@beta2021review]. Two [@alpha2020trial].")
    es, _, _ = render("Uno [@beta2021review].", "es")
    beta, alpha = (
        re.search(r'<li id="ref-beta2021review">.*?</li>', en).group(0),
        re.search(r'<li id="ref-alpha2020trial">.*?</li>', en).group(0),
    )
    assert "(identifiers checked on a copy of the record)" in beta
    assert "ref-copy" not in alpha
    assert "(identificadores comprobados en una copia del registro)" in es


def test_checked_on_accepts_only_copy(tmp_path):
    bad = (FIXTURES / "references.yaml").read_text().replace("checked-on: copy", "checked-on: pdf")
    (tmp_path / "references.yaml").write_text(bad)
    with pytest.raises(SourceError) as err:
        bibliography.load(tmp_path, "references.yaml")
    assert any("checked-on" in p.message for p in err.value.problems)


def test_truncated_author_lists_end_in_et_al():
    entry = dict(BIB["alpha2020trial"], author=[{"family": n, "given": "A"} for n in "ABC"])
    entry["authors-truncated"] = True
    assert "A A, B A, C A, et al." in bibliography.format_entry(entry, "en")
    assert "u.\xa0a." in bibliography.format_entry(entry, "de")


# Bibliography validation ----------------------------------------------------------------


def bib_problems(text: str):
    return bibliography.validate(load_yaml(text, "docs/references.yaml"))[1]


GOOD = (FIXTURES / "references.yaml").read_text(encoding="utf-8")


def test_fixture_bibliography_is_valid():
    assert [p for p in bib_problems(GOOD) if p.severity == "error"] == []


def test_entry_without_identifier_is_rejected_with_line():
    bad = GOOD.replace("  DOI: 10.5555/fixture.beta\n", "")
    [problem] = bib_problems(bad)
    assert problem.line == 18 and "needs at least one of DOI, PMID or URL" in problem.message


def test_bad_doi_and_duplicate_doi():
    bad = GOOD.replace("DOI: 10.5555/fixture.beta", "DOI: doi.org/10.5555/x")
    assert any("DOI" in p.message and p.line == 26 for p in bib_problems(bad))  # its field
    dup = GOOD.replace("DOI: 10.5555/fixture.beta", "DOI: 10.5555/fixture.alpha")
    assert any(p.rule == "bibliography-duplicate" for p in bib_problems(dup))


def test_status_needs_a_date():
    bad = GOOD.replace("  status-date: 2023-05-05\n", "")
    assert any("status-date" in p.message for p in bib_problems(bad))


# Fixture sites: the strict build -------------------------------------------------------


def test_build_renders_citations_and_references_page(fixture_site):
    fixture_site.write("en/index.md", page("Home", "Claim [@alpha2020trial; @beta2021review]."))
    fixture_site.write("en/other.md", page("Other", "Again [@beta2021review]."))
    fixture_site.write("en/references/index.md", page("References", "[[bibliography]]"))
    fixture_site.write("es/index.md", page("Inicio", "Afirmación [@alpha2020trial]."))
    build = fixture_site.build()
    assert build.returncode == 0, build.output
    home = (fixture_site.dir / "site" / "es" / "index.html").read_text(encoding="utf-8")
    assert 'id="references"' in home and "Referencias" in home
    refs = HTMLParser(
        (fixture_site.dir / "site" / "references" / "index.html").read_text(encoding="utf-8")
    )
    item = refs.css_first("li#beta2021review")
    backlinks = {a.text() for a in item.css(".cited-on a")}
    assert backlinks == {"Home", "Other"}
    assert refs.css_first("h2#neurochemistry") is not None


@pytest.mark.parametrize(
    "body, expected",
    [
        ("Claim [@alpha2020tral].", "docs/en/index.md:11: unknown citation key"),
        ("Claim [@gone2019pooled].", "docs/en/index.md:11: '@gone2019pooled' is retracted"),
    ],
)
def test_build_fails_with_file_and_line(fixture_site, body, expected):
    fixture_site.write("en/index.md", page("Home", body))
    build = fixture_site.build()
    assert build.returncode != 0 and expected in build.output, build.output
    assert "Traceback" not in build.output


def test_build_fails_on_malformed_bibliography(fixture_site):
    path = fixture_site.dir / "docs" / "references.yaml"
    path.write_text(GOOD.replace("  title: A review used only in tests\n", "  title: [x\n"))
    fixture_site.write("en/index.md", page("Home"))
    build = fixture_site.build()
    assert build.returncode != 0 and "docs/references.yaml:" in build.output, build.output
    assert "Traceback" not in build.output


# Formatting classes (CSL): each shape of entry, in every language with interface strings ---

LANGS = list(load_strings(str(ROOT)))  # every language with interface strings
WEB = {
    "id": "web",
    "type": "webpage",
    "title": "A page used only in tests",
    "author": [{"literal": "Fixture Agency"}],
    "container-title": "Fixture Agency",
    "URL": "https://example.org/page",
    "accessed": {"date-parts": [[2026, 11, 26]]},
}
NO_AUTHOR = {
    "id": "noauthor",
    "type": "article-journal",
    "title": "An article whose authors are not recorded",
    "container-title": "Journal of Fixtures",
    "issued": {"date-parts": [[2023, 9]]},
}
EDITED = {
    "id": "edited",
    "type": "chapter",
    "title": "A chapter used only in tests",
    "editor": [{"family": "Keen", "given": "Mia"}],
    "container-title": "Fixture Pearls",
    "issued": {"date-parts": [[2024]]},
}


def plain(entry: dict, lang: str) -> str:
    return re.sub(r"<[^>]+>", "", bibliography.format_entry(entry, lang))


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("entry", [NO_AUTHOR, EDITED, WEB], ids=lambda e: e["id"])
def test_a_substituted_name_or_title_is_printed_once(entry, lang):
    text = plain(entry, lang)
    assert text.count(entry["title"]) == 1, text
    for name in ("Keen M", "Fixture Agency"):
        assert text.count(name) <= 1, text


def test_csl_terms_are_worded_as_each_language_writes_them():
    assert "Accessed November 26, 2026" in plain(WEB, "en")
    assert "Consultado el 26 de noviembre de 2026" in plain(WEB, "es")
    assert "Zugriff am 26. November 2026" in plain(WEB, "de")
    assert "Published online September 2023" in plain(NO_AUTHOR, "en")
    assert "Publicado en línea septiembre de 2023" in plain(NO_AUTHOR, "es")
    assert "Online veröffentlicht September 2023" in plain(NO_AUTHOR, "de")
    law = {**NO_AUTHOR, "type": "legislation", "volume": "156", "issued": {"date-parts": [[2021]]}}
    expected = {
        "en": "Vol 156",
        "es": "Vol. 156",
        "de": "Bd. 156",
        "fr": "Vol. 156",
        "pt-BR": "V. 156",
    }
    for lang in LANGS:  # a new language needs its example here (KeyError names it)
        found = re.search(r"\b(Vol\.?|Bd\.?|V\.) 156", plain(law, lang))
        assert found and found.group(0) == expected[lang], (lang, plain(law, lang))
    assert "Consulté le 26 novembre 2026" in plain(WEB, "fr")
    assert "Acessado em 26 de novembro de 2026" in plain(WEB, "pt-BR")


def test_pages_without_a_volume_are_not_an_online_publication():
    entry = {**NO_AUTHOR, "author": [{"family": "Alpha", "given": "A"}], "page": "513-521"}
    entry["issued"] = {"date-parts": [[2000]]}
    assert "Journal of Fixtures. 2000:513-521." in plain(entry, "en")


def test_a_question_mark_is_not_followed_by_the_delimiter_period():
    entry = dict(BIB["alpha2020trial"], title="Is this a test?")
    assert "Is this a test? Journal of Fixtures." in plain(entry, "en")


def test_title_case_capitalizes_the_first_letter_after_a_bracket():
    report = {**WEB, "type": "report", "title": "Barriers to research (accessible version)"}
    assert "Barriers to Research (Accessible Version)" in plain(report, "en")


@pytest.mark.parametrize("lang", LANGS)
def test_the_first_of_a_month_is_written_as_the_language_writes_it(lang):
    """citeproc-py falls back to English ordinal terms: German read "1st Juli 2004"."""
    entry = {**NO_AUTHOR, "issued": {"date-parts": [[2004, 7, 1]]}}
    text = plain(entry, lang)
    if lang != "en":
        assert not re.search(r"\b1(st|nd|rd|th)\b", text), text
    expected = {"de": "1. Juli 2004", "fr": "1er juillet 2004", "pt-BR": "1º de julho de 2004"}
    if lang in expected:
        assert expected[lang] in text, text


@pytest.mark.parametrize("lang", load_project(ROOT).languages)
def test_journal_articles_without_confirmed_authors_say_so_in_every_language(lang):
    """A journal article printed without authors (none could be confirmed) says why, in the
    page's language, on the real bibliography; an article with authors does not."""
    real = bibliography.load(ROOT)
    strings = strings_for(str(ROOT), lang)
    note = strings["authors_not_confirmed"]
    assert note and (lang == "en" or note != EN["authors_not_confirmed"])
    articles = [k for k, e in real.entries.items() if e.get("type") == "article-journal"]
    for key in articles:
        entry = real[key]
        mark = bibliography.copy_mark(entry, strings)
        assert (note in mark) == (not entry.get("author")), key
