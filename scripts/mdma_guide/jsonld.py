"""Machine-readable page facts: schema.org ``MedicalWebPage`` as JSON-LD.

Search engines and health-information crawlers read the review date and the cited works
from this block instead of guessing them from the text. The template only prints
:func:`script_body`; everything is decided here.
"""

from __future__ import annotations

import datetime as dt
import json


def identifiers(entry: dict) -> list[str]:
    """A cited work's identifiers as URLs, the most stable first: DOI, PubMed, PMC, URL."""
    ids = []
    if entry.get("DOI"):
        ids.append(f"https://doi.org/{entry['DOI']}")
    if entry.get("PMID"):
        ids.append(f"https://pubmed.ncbi.nlm.nih.gov/{entry['PMID']}/")
    if entry.get("PMCID"):
        ids.append(f"https://pmc.ncbi.nlm.nih.gov/articles/{entry['PMCID']}/")
    if entry.get("URL") and not ids:
        ids.append(str(entry["URL"]))
    return ids


def citation(entry: dict) -> dict:
    """One cited work by its most stable identifier (``@id``). Titles and other identifiers
    are left to the reference list: on a page citing sixty works they would add several
    kilobytes to every first visit (the 100 kB budget), and the identifier resolves to them."""
    ids = identifiers(entry)
    return {"@type": "CreativeWork", "@id": ids[0]} if ids else {"@type": "CreativeWork"}


def medical_web_page(
    *,
    name: str,
    url: str,
    lang: str,
    last_reviewed: dt.date | None,
    description: str | None = None,
    site_name: str | None = None,
    site_url: str | None = None,
    cited: list[dict] | tuple = (),
) -> dict:
    """The page's JSON-LD object (``cited``: bibliography entries in order of first use)."""
    data: dict = {
        "@context": "https://schema.org",
        "@type": "MedicalWebPage",
        "name": name,
        "url": url,
        "inLanguage": lang,
    }
    if description:
        data["description"] = description
    if last_reviewed:
        data["lastReviewed"] = last_reviewed.isoformat()
    if site_name:
        data["isPartOf"] = {"@type": "WebSite", "name": site_name}
        if site_url:
            data["isPartOf"]["url"] = site_url
    works = [citation(entry) for entry in cited]
    if works:
        data["citation"] = works
    return data


def script_body(data: dict) -> str:
    """JSON safe to place between ``<script type="application/ld+json">`` tags: ``<``, ``>``
    and ``&`` are written as JSON escapes, so no ``</script>`` or ``<!--`` can end it early."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
