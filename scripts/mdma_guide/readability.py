"""How hard the key points and the body of a page are to read, per language.

Each language has its own formula, computed from words, sentences and syllables. A formula
rewards short words and sentences, not clarity: the score is a warning light for editors,
never a reason to write worse. Targets are for the "Key points" box, which every reader
meets first; the body stays precise for clinicians and is reported, not judged.

Formulas and targets for the key points (sources in brackets):

- en: Flesch–Kincaid grade level, 0.39 × words/sentence + 11.8 × syllables/word − 15.59
  (Kincaid, Fishburne, Rogers & Chissom 1975, US Navy research branch report 8-75);
  target grade ≤ 8.
- es: Fernández-Huerta reading ease, 206.84 − 60 × syllables/word − 1.02 × words/sentence
  (Fernández Huerta 1959, with the coefficients as corrected by G. Law in 2011); ≥ 70.
- de: Wiener Sachtextformel, first formula, 0.1935 × MS + 0.1672 × SL + 0.1297 × IW −
  0.0327 × ES − 0.875, where MS is the % of words of three or more syllables, SL the words
  per sentence, IW the % of words longer than six letters and ES the % of one-syllable
  words (Bamberger & Vanecek 1984); ≤ 8.
- fr: Kandel–Moles reading ease, 207 − 1.015 × words/sentence − 73.6 × syllables/word
  (Kandel & Moles 1958); ≥ 70.
- pt: Flesch reading ease as adapted by Martins et al. (1996), 248.835 − 1.015 ×
  words/sentence − 84.6 × syllables/word; ≥ 50.

Syllables: the larger of two counts, both offline: the hyphenation points of pyphen's
dictionaries (which ship inside the package) plus one, and the number of vowel groups
(English drops a silent final "e"). Hyphenation keeps its default of at least two letters
before and after a break (with one, "small" splits as "s-mall"), so alone it undercounts a
word like "e-mer-gen-cy"; the vowel groups catch those. An acronym in capitals
("MDMA", "PTSD") is read letter by letter, one syllable a letter. Numbers are not words.
"""

from __future__ import annotations

import hashlib
import json
import re
import statistics
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .errors import Problem

FENCE = re.compile(r"^\s*(```|~~~)")
KEY_POINTS = re.compile(r"^!!!\s+key-points\b")
WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
VOWELS = {
    "en": "aeiouy",
    "es": "aeiouáéíóúü",
    "de": "aeiouyäöü",
    "fr": "aeiouyàâéèêëîïôûùüÿœæ",
    "pt": "aeiouáâãàéêíóôõúü",
}
PYPHEN_LANG = {"en": "en_US", "es": "es", "de": "de_DE", "fr": "fr", "pt": "pt_BR"}
# Abbreviations whose full stop does not end a sentence.
ABBREVIATIONS = re.compile(
    r"\b(?:e\.g|i\.e|vs|etc|et al|approx|Dr|Prof|p\. ej|p\.ej|aprox|z\. B|z\.B|d\. h|d\.h|"
    r"bzw|ca|u\. a|u\.a|Nr|S|p|pp|vol|Bd|cf|ibid)\.",
    re.IGNORECASE,
)
_SILENT_EN = re.compile(r"(?<!l)(?<=[^aeiouy])e$|[^aeiouytd]ed$|[^aeiouysxzhcg]es$")
SENTENCE_END = re.compile(r"(?<=[.!?…])[\"'»”)\]]*\s+")


@dataclass(frozen=True)
class Target:
    formula: str
    limit: float
    higher_is_easier: bool

    def met(self, score: float) -> bool:
        return score >= self.limit if self.higher_is_easier else score <= self.limit

    def describe(self) -> str:
        return f"{self.formula} {'≥' if self.higher_is_easier else '≤'} {self.limit:g}"


TARGETS = {
    "en": Target("Flesch–Kincaid", 8, False),
    "es": Target("Fernández-Huerta", 70, True),
    "de": Target("Wiener Sachtextformel 1", 8, False),
    "fr": Target("Kandel–Moles", 70, True),
    "pt": Target("Flesch (Martins)", 50, True),
}


@dataclass(frozen=True)
class Counts:
    words: int
    sentences: int
    syllables: int
    polysyllables: int  # words of three or more syllables
    monosyllables: int
    long_words: int  # words of more than six letters


def base(lang: str) -> str:
    return lang.split("-")[0].split("_")[0].lower()


@lru_cache(maxsize=8)
def _dictionary(lang: str):
    import pyphen  # imported on first use: the checker stays fast when no text is scored

    return pyphen.Pyphen(lang=PYPHEN_LANG[lang])


def syllables(word: str, lang: str) -> int:
    if len(word) > 1 and word.isupper():
        return len(word)  # an acronym, read letter by letter
    return _syllables(word.lower(), base(lang))


@lru_cache(maxsize=65536)
def _syllables(lower: str, lang: str) -> int:
    groups = len(re.findall(f"[{VOWELS[lang]}]+", lower))
    # English silent endings: "care", "cared", "cares" (but "table", "wanted", "boxes").
    if lang == "en" and groups > 1 and _SILENT_EN.search(lower):
        groups -= 1
    if lang in ("es", "pt"):
        # A stressed í or ú next to another vowel is a syllable of its own: "día", "baúl".
        groups += len(re.findall(r"[íú](?=[aeo])|(?<=[aeo])[íú]", lower))
    hyphenated = sum(len(_dictionary(lang).positions(part)) + 1 for part in lower.split("-"))
    return max(1, groups, hyphenated)


def sentences_of(text: str) -> list[str]:
    protected = ABBREVIATIONS.sub(lambda m: m.group().replace(".", "\u2024"), text)
    return [s for s in SENTENCE_END.split(protected) if WORD.search(s)]


def count(units: list[str], lang: str) -> Counts:
    """Counts over text units (a bullet, a paragraph), each one sentence or more."""
    words = sentences = syl = poly = mono = long_ = 0
    for unit in units:
        sentences += len(sentences_of(unit))
        for word in WORD.findall(unit):
            n = syllables(word, lang)
            words += 1
            syl += n
            poly += n >= 3
            mono += n == 1
            long_ += len(word) > 6
    return Counts(words, sentences, syl, poly, mono, long_)


def score(counts: Counts, lang: str) -> float | None:
    """The language's formula over the counts; None for text without words."""
    if not counts.words or not counts.sentences:
        return None
    wps = counts.words / counts.sentences
    spw = counts.syllables / counts.words
    lang = base(lang)
    if lang == "en":
        return 0.39 * wps + 11.8 * spw - 15.59
    if lang == "es":
        return 206.84 - 60 * spw - 1.02 * wps
    if lang == "de":
        ms = 100 * counts.polysyllables / counts.words
        iw = 100 * counts.long_words / counts.words
        es = 100 * counts.monosyllables / counts.words
        return 0.1935 * ms + 0.1672 * wps + 0.1297 * iw - 0.0327 * es - 0.875
    if lang == "fr":
        return 207 - 1.015 * wps - 73.6 * spw
    if lang == "pt":
        return 248.835 - 1.015 * wps - 84.6 * spw
    return None


# Markdown to plain text -----------------------------------------------------------------

_CITATION = re.compile(r"\[(?:[^\[\]]*;\s*)?@[^\]]*\](?:\{[^}]*\})?")
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_ATTRS = re.compile(r"\{[^}]*\}")
_HTML = re.compile(r"<[^>]+>")
_EMPHASIS = re.compile(r"(\*\*|__|\*|_)(?=\S)(.+?)(?<=\S)\1")


def plain(markdown: str) -> str:
    text = _CITATION.sub("", markdown)
    text = _LINK.sub(r"\1", text)
    text = _ATTRS.sub("", text)
    text = _HTML.sub(" ", text)
    text = re.sub(r"`([^`]*)`", r"\1", text)
    text = _EMPHASIS.sub(r"\2", text)
    return re.sub(r"\s+", " ", text).strip()


@dataclass
class PageText:
    key_points: list[str]
    key_points_line: int | None
    body: list[str]


def split_page(text: str) -> PageText:
    """The key-points bullets and the body's paragraphs and list items of a Markdown page."""
    lines = text.split("\n")
    start = 0
    if lines and lines[0].strip() == "---":
        for i in range(1, len(lines)):
            if lines[i].strip() == "---":
                start = i + 1
                break
    key_points: list[str] = []
    key_line = None
    body: list[str] = []
    current: list[str] = []
    target = body
    in_fence = in_box = False

    def flush():
        if current:
            target.append(plain(" ".join(current)))
            current.clear()

    for number, line in enumerate(lines[start:], start=start + 1):
        if FENCE.match(line):
            in_fence = not in_fence
            continue
        if in_fence:
            continue
        stripped = line.strip()
        if KEY_POINTS.match(line):
            flush()
            in_box, key_line, target = True, number, key_points
            continue
        if in_box and stripped and not line.startswith(("    ", "\t")):
            flush()
            in_box, target = False, body
        if line.startswith(("!!!", "???")) or (not in_box and line.startswith("    ")):
            flush()
            continue
        if not stripped or stripped.startswith(("#", "|", "<", "--8<--", "*[", "[^")):
            flush()
            continue
        if re.match(r"^(?:[-*+]|\d+\.)\s", stripped):
            flush()
            stripped = re.sub(r"^(?:[-*+]|\d+\.)\s+", "", stripped)
        current.append(stripped)
    flush()
    return PageText(
        [u for u in key_points if u], key_line, [u for u in body if WORD.search(u or "")]
    )


# The report ------------------------------------------------------------------------------


@dataclass(frozen=True)
class PageScore:
    file: str
    lang: str
    key_points: float | None
    body: float | None
    line: int | None

    def meets(self) -> bool | None:
        target = TARGETS.get(base(self.lang))
        if target is None or self.key_points is None:
            return None
        return target.met(self.key_points)


def is_content_page(page: str, text: str = "") -> bool:
    """Content pages carry key points; section indexes and About pages do not have to (an
    index page that has a key-points box, like the emergency page, is scored too)."""
    if page.startswith("about/"):
        return False
    return not page.endswith("index.md") or any(KEY_POINTS.match(line) for line in text.split("\n"))


def score_page(text: str, file: str, lang: str) -> PageScore:
    parts = split_page(text)
    kp = score(count(parts.key_points, lang), lang) if parts.key_points else None
    body = score(count(parts.body, lang), lang) if parts.body else None
    return PageScore(file, lang, kp, body, parts.key_points_line)


CACHE = ".cache/readability.json"
CACHE_VERSION = 2  # bump when counting or a formula changes


def _cached_scorer(root: Path):
    """score_page with results kept per file content in .cache/ (loading the hyphenation
    dictionaries alone takes about a second per language)."""
    path = root / CACHE
    try:
        cache = json.loads(path.read_text(encoding="utf-8"))
        if cache.get("version") != CACHE_VERSION:
            cache = {}
    except (OSError, ValueError):
        cache = {}
    pages = cache.get("pages", {}) if isinstance(cache.get("pages"), dict) else {}
    fresh: dict = {}

    def scorer(text: str, file: str, lang: str) -> PageScore:
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
        hit = pages.get(file)
        if isinstance(hit, dict) and hit.get("hash") == digest:
            result = PageScore(file, lang, hit.get("kp"), hit.get("body"), hit.get("line"))
        else:
            result = score_page(text, file, lang)
        fresh[file] = {
            "hash": digest,
            "kp": result.key_points,
            "body": result.body,
            "line": result.line,
        }
        return result

    def save():
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps({"version": CACHE_VERSION, "pages": fresh}), "utf-8")
        except OSError:
            pass  # a cache that cannot be written only costs time

    return scorer, save


def check(project) -> tuple[list[Problem], dict]:
    """A warning for each content page whose key points miss its language's target (or that
    has none), and a per-language summary with every page's scores for the report."""
    problems: list[Problem] = []
    summary: dict = {}
    scorer, save = _cached_scorer(project.root)
    for lang in project.languages:
        target = TARGETS.get(base(lang))
        if target is None or base(lang) not in VOWELS or base(lang) not in PYPHEN_LANG:
            problems.append(
                Problem(
                    "scripts/mdma_guide/readability.py",
                    None,
                    f"no readability formula for '{lang}' (built in mkdocs.yml): add its "
                    "TARGETS, VOWELS and PYPHEN_LANG entries and its formula in score(); "
                    "its pages are not scored",
                    rule="readability",
                    severity="warning",
                )
            )
            continue
        scores = []
        for page, path in project.pages(lang).items():
            try:
                text = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                continue  # reported by the encoding check
            if not is_content_page(page, text):
                continue
            result = scorer(text, project.rel(path), lang)
            scores.append(result)
            if result.key_points is None:
                problems.append(
                    Problem(
                        result.file,
                        None,
                        "content page without key points",
                        rule="readability",
                        severity="warning",
                    )
                )
            elif not result.meets():
                problems.append(
                    Problem(
                        result.file,
                        result.line,
                        f"key points read at {target.formula} {result.key_points:.1f}; "
                        f"target {target.describe()} (body {_fmt(result.body)})",
                        rule="readability",
                        severity="warning",
                    )
                )
        summary[lang] = _summary(scores, target)
    save()
    return problems, summary


def _fmt(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.1f}"


def _summary(scores: list[PageScore], target: Target) -> dict:
    kp = [s.key_points for s in scores if s.key_points is not None]
    body = [s.body for s in scores if s.body is not None]
    return {
        "formula": target.formula,
        "target": target.describe(),
        "pages": len(scores),
        "meeting_target": sum(bool(s.meets()) for s in scores),
        "key_points": _stats(kp),
        "body": _stats(body),
        "scores": {
            Path(s.file).as_posix(): {"key_points": _round(s.key_points), "body": _round(s.body)}
            for s in scores
        },
    }


def _stats(values: list[float]) -> dict:
    if not values:
        return {}
    return {
        "median": round(statistics.median(values), 1),
        "min": round(min(values), 1),
        "max": round(max(values), 1),
    }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)
