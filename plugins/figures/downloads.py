"""The data as files readers can take away: CSV and JSON, with sources.

Written from the same records as the pages, so a download never disagrees
with the page that links to it. Rows are in data order and keys sorted, so
the bytes are the same on every build.

A figure can have several sources: `sources` (their ids) and `source_urls`
(the addresses of those that have one) are lists in figures.json, and in
figures.csv one cell each, its entries joined by `; ` (SEPARATOR). Neither an
id nor an address can contain that separator (ids are lowercase words;
data.address_problem refuses spaces in addresses), so splitting the cell on
it gives the list back.

Column names are stable identifiers, in English in every edition, so a script
reads any edition's file the same way. The values are in the edition's language:
the Spanish files write "más de", "difiere", "comunicado de prensa" where the
English write "more than", "differs", "press_release" (formatting.value_word,
from the phrases in formatting.py and the texts of data/es.yaml); ids, numbers,
ISO dates and addresses are the same in both.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from . import charts, claims, formatting
from .data import approximate_date
from .i18n import N_

FIGURE_COLUMNS = [
    "id", "value", "qualifier", "as_written", "unit", "label", "first_fiscal_year", "last_fiscal_year",
    "as_of", "part_of", "meaning", "sources", "source_urls", "quote", "verification", "verification_note",
    "earlier_values",
]
# One row per earlier published value of a figure (data/figures.yaml `history:`).
HISTORY_COLUMNS = ["id", "value", "replaced_on", "why", "source", "source_url"]
# What each chart's CSV adds to its rows that are figures: how the source words it, the
# period it covers and where it comes from, so the file says so when it travels alone.
PROVENANCE_COLUMNS = ["qualifier", "first_fiscal_year", "last_fiscal_year", "as_of", "sources", "source_urls"]


# How a CSV cell lists several values (see the module's docstring).
SEPARATOR = "; "


def _cell(value):
    return SEPARATOR.join(value) if isinstance(value, list) else value


def _csv(rows: list[dict], columns: list[str]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: _cell(row.get(k, "")) for k in columns})
    return buffer.getvalue()


def _squash(text) -> str:
    return " ".join(str(text).split()) if text else ""


def figure_rows(data, edition: formatting.Edition) -> list[dict]:
    rows = []
    for fid, f in data.figures.items():
        years = f.get("period", {}).get("fiscal_years") or ["", ""]
        verification = f.get("verification") or {}
        rows.append(
            {
                "id": fid,
                "value": f["value"],
                "qualifier": formatting.value_word(f["qualifier"], edition),
                "as_written": formatting.with_qualifier(f, edition),
                "unit": f["unit"],
                "label": f["label"],
                "first_fiscal_year": years[0],
                "last_fiscal_year": years[1],
                "as_of": _as_of(f, edition),
                "part_of": f.get("part_of", ""),
                "meaning": _squash(f["meaning"]),
                "sources": list(f["sources"]),
                "source_urls": [data.sources[s]["url"] for s in f["sources"] if data.sources[s].get("url")],
                "quote": _squash(f.get("quote", "")),
                "verification": formatting.value_word(verification.get("verdict", "matches"), edition),
                "verification_note": _squash(verification.get("note", "")),
                "earlier_values": [str(h["value"]) for h in f.get("history", [])],
                "history": history_rows(fid, f, data, edition),  # figures.json only
            }
        )
    for did, d in data.derived.items():
        rows.append(
            {
                "id": did,
                "value": formatting.derived_number(d, data.figures),
                "qualifier": formatting.value_word("about" if d["show_as"] == "ratio" else "exactly", edition),
                "as_written": formatting.derived_text(d, data.figures, edition),
                "unit": formatting.value_word("share", edition) if d["show_as"] == "ratio" else "",
                "label": d["label"],
                "meaning": _squash(d["meaning"]),
                "sources": [],
                "source_urls": [],
                "quote": "",
                "verification": formatting.value_word("derived", edition),
                "verification_note": f"{d['formula']}. {_squash(d['caveat'])}",
            }
        )
    return rows


def history_rows(fid: str, f, data, edition: formatting.Edition) -> list[dict]:
    return [
        {
            "id": fid,
            "value": h["value"],
            "replaced_on": h["date"],
            "why": formatting.value_word(h["why"], edition),
            "source": h["source"],
            "source_url": data.sources[h["source"]].get("url", ""),
        }
        for h in f.get("history", [])
    ]


def _as_of(f, edition: formatting.Edition) -> str:
    """An ISO date as written; a part of a year ("late 2023") in the edition's words."""
    return formatting.date_text(f["as_of"], edition) if approximate_date(f.get("as_of", "")) else f.get("as_of", "")


def _provenance(f, data, edition: formatting.Edition) -> dict:
    years = f.get("period", {}).get("fiscal_years") or ["", ""]
    return {
        "qualifier": formatting.value_word(f["qualifier"], edition),
        "first_fiscal_year": years[0],
        "last_fiscal_year": years[1],
        "as_of": _as_of(f, edition),
        "sources": list(f["sources"]),
        "source_urls": [data.sources[s]["url"] for s in f["sources"] if data.sources[s].get("url")],
    }


def chart_rows(chart, data, edition: formatting.Edition) -> tuple[list[dict], list[str]]:
    """A chart's CSV rows and columns: its table's, plus each figure's qualifier, period and sources.

    A row is a figure (bars, columns, a flow's stage, a claim's basis), an event (its
    sources) or a claim (its sources and the day it was said); the columns are the
    union, in a fixed order, so every chart of one kind has the same header.
    """
    table = charts.resolve(chart, data, edition)["table"]["csv"]
    rows = []
    for row in table:
        fid = row.get("figure_id") or row.get("id")
        extra: dict = {}
        if fid in data.figures:
            extra = _provenance(data.figures[fid], data, edition)
        elif fid in data.events:
            sources = data.events[fid]["sources"]
            extra = {"sources": list(sources), "source_urls": [data.sources[s]["url"] for s in sources if data.sources[s].get("url")]}
        elif fid in data.claims:
            claim = data.claims[fid]
            extra = {
                "qualifier": formatting.value_word(claim.get("qualifier", "exactly"), edition),
                "as_of": claim["date"],
                "sources": list(claim["sources"]),
                "source_urls": [data.sources[s]["url"] for s in claim["sources"] if data.sources[s].get("url")],
            }
        elif fid and "+" in fid:  # a claim's basis: the figures added
            parts = [data.figures[p] for p in fid.split("+") if p in data.figures]
            provenance = [_provenance(p, data, edition) for p in parts]
            qualifiers = {p["qualifier"] for p in parts}  # carried as claims.basis carries it
            carried = "about" if "about" in qualifiers else "more than" if "more than" in qualifiers else "exactly"
            extra = {
                "qualifier": formatting.value_word(carried, edition),
                "sources": list(dict.fromkeys(s for p in provenance for s in p["sources"])),
                "source_urls": list(dict.fromkeys(u for p in provenance for u in p["source_urls"])),
            }
        rows.append({**row, **extra})
    kind = chart["kind"]
    wanted = ["sources", "source_urls"] if kind == "timeline" else PROVENANCE_COLUMNS
    columns = list(table[0]) + [c for c in wanted if c not in table[0]]
    return rows, columns


SOURCE_COLUMNS = ["id", "short", "kind", "title", "publisher", "date", "url", "summary_url", "description"]


def write(data, output_dir: Path, edition: formatting.Edition, site: dict | None = None) -> list[str]:
    """Write <prefix>downloads/ and one CSV per chart; return the paths written.

    Each edition gets its own files: labels and written-out figures in its
    language, the same values, ids and sources. With `site` (name, tagline,
    address, publisher, email), also datapackage.json and README.md, and a copy of
    each chart's CSV under downloads/charts/ (a data package's paths may not
    lead above its folder).
    """
    written = {}
    prefix = edition.prefix
    rows = figure_rows(data, edition)
    written[f"{prefix}downloads/figures.csv"] = _csv(rows, FIGURE_COLUMNS)
    sources = [{**{k: s.get(k, "") for k in SOURCE_COLUMNS}, "kind": formatting.value_word(s["kind"], edition)} for s in data.sources.values()]
    written[f"{prefix}downloads/sources.csv"] = _csv(sources, SOURCE_COLUMNS)
    written[f"{prefix}downloads/figures.json"] = json.dumps(
        {"figures": rows, "sources": sources}, ensure_ascii=False, indent=1, sort_keys=True
    ) + "\n"
    written.update(claims.downloads(data, edition, _csv))
    history = [h for row in rows for h in row.get("history", [])]
    written[f"{prefix}downloads/history.csv"] = _csv(history, HISTORY_COLUMNS)
    t = edition.gettext
    tables = {
        "figures": ("figures.csv", t(N_("Every figure")), rows, FIGURE_COLUMNS),
        "sources": ("sources.csv", t(N_("The sources")), sources, SOURCE_COLUMNS),
        "history": ("history.csv", t(N_("Earlier published values")), history, HISTORY_COLUMNS),
    }
    if data.claims:
        tables["claims"] = ("claims.csv", t(N_("Claims and the figures they rest on")), claims.download_rows(data, edition), claims.CLAIM_COLUMNS)
    for chart_id, chart in data.charts.items():
        chart_csv, columns = chart_rows(chart, data, edition)
        text = _csv(chart_csv, columns)
        written[charts.file_names(chart_id, "", prefix)["csv"]] = text
        if site is not None:
            written[f"{prefix}downloads/charts/{chart_id}.csv"] = text
            title = charts.resolve(chart, data, edition)["title"]
            tables[f"chart-{chart_id}".replace("_", "-")] = (f"charts/{chart_id}.csv", title, chart_csv, columns)
    if site is not None:
        written[f"{prefix}downloads/datapackage.json"] = json.dumps(package(data, edition, site, tables), ensure_ascii=False, indent=1) + "\n"
        names = ["datapackage.json", *(path for path, *_ in tables.values()), "figures.json", *(["claims.json"] if data.claims else [])]
        written[f"{prefix}downloads/README.md"] = readme(edition, site, names)
    for name, text in written.items():
        path = output_dir / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return sorted(written)


# ---- the data package (downloads/datapackage.json) and its README -------------------------

LICENSE = {"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/", "title": "Creative Commons Attribution 4.0"}

# Each column the downloads write: its Table Schema type and what it holds (the names are the
# same English identifiers in every edition, so they are described once, in English).
FIELDS = {
    "id": ("string", "The record's identifier, the same in every edition and file"),
    "value": ("number", "The number, digits only"),
    "qualifier": ("string", "How the source words the number: more than, about or exactly"),
    "as_written": ("string", "The number as the site writes it, with its qualifier"),
    "unit": ("string", "What is counted"),
    "label": ("string", "A short name for the figure"),
    "first_fiscal_year": ("integer", "The first fiscal year the count covers"),
    "last_fiscal_year": ("integer", "The last fiscal year the count covers"),
    "as_of": ("string", "The date of the count as the source gives it (YYYY-MM-DD, YYYY-MM or a part of a year)"),
    "part_of": ("string", "The id of the larger figure this one is part of"),
    "meaning": ("string", "What the number says, in one sentence"),
    "sources": ("string", "The ids of its sources (sources.csv), separated by '; '"),
    "source_urls": ("string", "The addresses of its sources, separated by '; '"),
    "quote": ("string", "The source's own words supporting the figure"),
    "verification": ("string", "Whether the article and the primary source agree"),
    "verification_note": ("string", "What differs, or how a derived figure is computed"),
    "earlier_values": ("string", "Values published earlier, separated by '; ' (history.csv)"),
    "replaced_on": ("date", "The day the earlier value was replaced on the site"),
    "why": ("string", "Why it changed: a correction or a newer count"),
    "source": ("string", "The id of the source the earlier value came from"),
    "source_url": ("string", "The address of that source"),
    "short": ("string", "The source's short name"),
    "kind": ("string", "The kind of source"),
    "title": ("string", "The source's title"),
    "publisher": ("string", "Who published it"),
    "date": ("string", "Its date (YYYY-MM-DD or YYYY-MM)"),
    "url": ("string", "Its address"),
    "summary_url": ("string", "The address of its summary page"),
    "description": ("string", "What it is"),
    "period": ("string", "The period the count covers, in words"),
    "event": ("string", "What happened"),
    "stage": ("string", "The stage of a child's path"),
    "what_happens": ("string", "What happens at this stage"),
    "figure_id": ("string", "The id of a figure at this stage (figures.csv)"),
}


def _schema(columns: list[str], rows: list[dict]) -> dict:
    fields = []
    for name in columns:
        kind, text = FIELDS.get(name, ("string", ""))
        # A claim's date or an ISO period column that holds words in another edition stays a string.
        if kind in ("integer", "number", "date") and any(not _fits(row.get(name, ""), kind) for row in rows):
            kind = "string"
        fields.append({"name": name, "type": kind, **({"description": text} if text else {})})
    return {"fields": fields, "missingValues": [""]}


def _fits(value, kind: str) -> bool:
    if value in ("", None):
        return True
    if kind == "date":
        return isinstance(value, str) and len(value) == 10 and value[4] == "-"
    return isinstance(value, (int, float)) and not isinstance(value, bool) and (kind == "number" or isinstance(value, int))


def _resource(name: str, path: str, title: str, rows: list[dict], columns: list[str]) -> dict:
    return {
        "name": name, "path": path, "title": title, "profile": "tabular-data-resource", "format": "csv",
        "mediatype": "text/csv", "encoding": "utf-8", "schema": _schema(columns, rows),
    }


def package(data, edition: formatting.Edition, site: dict, tables: dict) -> dict:
    """downloads/datapackage.json: every CSV of the edition, its fields, licence, sources, citation.

    `tables`: resource name -> (path under downloads/, title, rows, columns).
    """
    t = edition.gettext
    # Marked outside the f-strings: Python 3.11's tokenizer hides calls inside them from Babel.
    data_word, license_word = t(N_("data")), t(N_("License:"))
    address = f"{site['address']}/{edition.prefix}downloads/"
    primary = next(s for s in data.sources.values() if s["kind"] == "primary")
    return {
        "profile": "tabular-data-package",
        "name": f"oig-figures{'-' + edition.lang if edition.prefix else ''}",
        "title": site["name"],
        "description": site["tagline"],
        "homepage": f"{site['address']}/{edition.prefix}",
        "id": address,
        "language": edition.html_lang,
        "licenses": [LICENSE],
        "contributors": [{"title": site["publisher"], "role": "publisher", "email": site["email"]}],
        "sources": [{"title": s["title"], "path": s["url"]} for s in data.sources.values() if s.get("url")],
        "citation": f"{site['publisher']}. {site['name']}: {data_word}. {address}. {license_word} CC BY 4.0.",
        "citation_primary_source": f"{primary['publisher']}. {primary['title']} ({primary['short']}). {primary['date']}. {primary['url']}",
        "resources": [_resource(name, path, title, rows, columns) for name, (path, title, rows, columns) in tables.items()],
    }


def readme(edition: formatting.Edition, site: dict, names: list[str]) -> str:
    """downloads/README.md: what the files are, how they are written, the licence and how to cite."""
    t = edition.gettext
    data_word, license_word, cite_word = t(N_("data")), t(N_("License:")), t(N_("Cite as:"))
    lines = [
        f"# {site['name']}: {data_word}",
        "",
        t(N_("Every figure on the site, its sources and the data of each chart, as published at")) + f" {site['address']}/{edition.prefix}.",
        "",
        *(f"- `{name}`" for name in names),
        "",
        t(N_("datapackage.json describes every file and column (a Frictionless Data Package).")),
        t(N_("Column names are the same English identifiers in every edition; lists in one cell are separated by '; '.")),
        t(N_("history.csv lists values published earlier, when each was replaced and why.")),
        "",
        f"{license_word} CC BY 4.0, {LICENSE['path']}",
        f"{cite_word} {site['publisher']}. {site['name']}. {site['address']}/{edition.prefix}downloads/",
        "",
    ]
    return "\n".join(lines)
