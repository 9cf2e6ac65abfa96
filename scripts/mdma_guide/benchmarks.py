"""The benchmark tables of about/quality, in each language.

scripts/bench.py measures and writes the numbers to docs/data/benchmarks.json (data only);
the page's ``[[benchmarks]]`` line becomes this module's Markdown in the page's language:
prose, headers and labels from docs/data/strings.yaml (``bench``), numbers and dates in
the language's own format (babel).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from babel.numbers import format_decimal

from .strings import date_locale, long_date

DATA_FILE = Path("docs/data/benchmarks.json")
MARKER = "[[benchmarks]]"


def load(root: Path) -> dict:
    return json.loads((Path(root) / DATA_FILE).read_text(encoding="utf-8"))


def table(header: list, rows: list[list]) -> str:
    """A Markdown table, '|' in cells escaped."""
    lines = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    lines += ["| " + " | ".join(str(c).replace("|", "\\|") for c in row) + " |" for row in rows]
    return "\n".join(lines)


def render(data: dict, lang: str, t: dict) -> str:
    """Markdown of every section of ``data`` (benchmarks.json) in ``lang``; ``t`` is that
    language's ``bench`` strings."""
    locale = date_locale(lang)

    def num(value, digits: int = 1) -> str:
        return format_decimal(value, format="#,##0." + "0" * digits, locale=locale)

    def secs(value, digits: int = 1) -> str:
        return f"{num(value, digits)} s"

    def kb(value) -> str:
        return f"{num(value)} kB"

    sections = []
    build = data.get("build")
    if build:
        s = t["build"]
        status = s["failed"].format(error=build["error"]) if build["error"] else s["ok"]
        header = [*s["columns"], *(s["pages"].format(lang=code) for code in build["pages"])]
        row = [status, secs(build["seconds"]), *build["pages"].values()]
        sections.append((s["note"], header, [row]))
        if build.get("baseline"):
            s, base = t["build_languages"], build["baseline"]
            rows = [
                [", ".join(build["pages"]), secs(build["seconds"]), f"{num(build['ratio'], 2)}×"],
                [", ".join(base["languages"]), secs(base["seconds"]), f"{num(1, 2)}×"],
            ]
            note, core = s["note"], build.get("before_core")
            if core:  # the same languages built by the code before the engine-neutral core
                languages = ", ".join(core["languages"])
                label = s["before_core"].format(languages=languages, ref=core["ref"])
                rows.append([label, secs(core["seconds"]), f"{num(core['ratio'], 2)}×"])
                note += " " + s["core_note"].format(ref=core["ref"])
            sections.append((note, s["columns"], rows))
    if data.get("transfer"):
        s = t["transfer"]
        rows = []
        for r in data["transfer"]:
            path = s["home"] if r["path"] == "/" else r["path"]
            label = s[r["kind"]].format(path=path)
            rows.append(
                [label, r["requests"], r["network"], kb(r["server_kb"]), kb(r["playwright_kb"])]
            )
        sections.append((s["note"], s["columns"], rows))
    if data.get("search"):
        s = t["search"]
        rows = [
            [r["index"] or s["combined"], r["documents"], kb(r["raw_kb"]), kb(r["gzip_kb"])]
            for r in data["search"]
        ]
        sections.append((s["note"], s["columns"], rows))
    lighthouse = data.get("lighthouse") or {}
    if lighthouse.get("rows"):
        s = t["lighthouse"]
        rows = []
        for r in lighthouse["rows"]:
            if r["error"]:
                rows.append([r["page"], s["failed"].format(error=r["error"])] + [""] * 6)
                continue
            scores = ["–" if v is None else v for v in r["scores"]]
            lcp, tbt = secs(r["lcp_ms"] / 1000), f"{format_decimal(r['tbt_ms'], locale=locale)} ms"
            rows.append([r["page"], *scores, lcp, tbt, ", ".join(r["failing"]) or s["none"]])
        note = s["note"].format(version=lighthouse["version"])
        sections.append((note, s["columns"], rows))
    if data.get("checkers"):
        s = t["checkers"]
        rows = []
        for r in data["checkers"]:
            name = s["ours"] if r["tool"] == "ours" else f"{r['tool']} {r['version']}".strip()
            how = s["how"][r["tool"]].format(
                offline=secs(r.get("offline_seconds", 0), 2),
                links=secs(r.get("links_seconds", 0), 2),
            )
            if r["error"]:
                rows.append([name, r["error"], "–", "", how])
            else:
                ratio = "–" if r["ratio"] is None else f"{num(r['ratio'])}×"
                rows.append([name, secs(r["seconds"], 2), ratio, r["problems"], how])
        sections.append((s["note"], s["columns"], rows))
    if data.get("readability"):
        s = t["readability"]
        rows = []
        for code, r in data["readability"].items():
            kp, body = r.get("key_points") or {}, r.get("body") or {}
            span = f"{num(kp['median'])} ({num(kp['min'])}–{num(kp['max'])})" if kp else "–"
            rows.append(
                [
                    code,
                    r["target"],
                    f"{r['meeting_target']}/{r['pages']}",
                    span,
                    num(body["median"]) if body else "–",
                ]
            )
        sections.append((s["note"], s["columns"], rows))
    faults = data.get("faults")
    if faults:
        s = t["faults"]
        tools = [t["checkers"]["ours"] if x == "ours" else x for x in faults["tools"]]
        rows = [
            [s["labels"][r["fault"]], *(s["results"][v] for v in r["results"])]
            for r in faults["rows"]
        ]
        rows.append([s["total"], *faults["totals"]])
        note = s["note"]
        if faults["not_seeded"]:
            labels = ", ".join(s["labels"][f] for f in faults["not_seeded"])
            note += " " + s["not_seeded"].format(labels=labels)
        sections.append((note, [s["fault"], *tools], rows))
    intro = t["intro"].format(
        date=long_date(dt.date.fromisoformat(data["measured_on"]), lang),
        cores=data["cores"],
        cpu=data["cpu"],
        chromium=data["chromium"],
        minutes=num(data["minutes"]),
    )
    body = "\n\n".join(f"{note}\n\n{table(h, rows)}" for note, h, rows in sections if rows)
    return f"{intro}\n\n{body}\n"
