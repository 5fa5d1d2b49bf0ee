"""What the preview desk (`/_preview/`, devserver only) shows, read from the built site and data/.

The charts, cards and pages come from the site as built (what readers would get); the figures,
the claims and the rules' findings from data/ and content/ as saved now. A claim is shown through
claims.views(), the function the claims page is rendered from (the number as said, the counts it
rests on, the computed basis, the verdicts), with links to it on the claims page of each edition
that has it, and the typed-figure check's findings that name it. While data/ does not load, the
figures and claims are those of the last good build (its downloads). Nothing here writes a file.
"""

from __future__ import annotations

import html
import os
import re
import urllib.parse
from pathlib import Path

from . import charts

CODE_ROOT = Path(__file__).resolve().parents[2]
# Light before dark, wide before narrow: the order an editor reads them in.
VARIANTS = sorted(charts.VARIANTS, key=lambda name: (name.startswith("dark"), name.endswith("narrow")))
EDITIONS = (("en", ""), ("es", "es/"))  # edition, its folder in the output

_TITLE_RE = re.compile(r"<title>(.*?)</title>", re.S)
_LANG_RE = re.compile(r'<html[^>]*\slang="([^"]+)"')
_META_RE = re.compile(r'<meta\s+property="og:([a-z:_]+)"\s+content="([^"]*)"')
_CHART_RE = re.compile(r'id="chart-([a-z0-9_]+)"')
# Where a page shows a figure: in the text, its source note, a home card, About the data's list.
_FIGURE_RE = re.compile(r'id="(ref|note|card|figure)-([a-z0-9_]+)"')
# A claim on the claims page: <article class="claim" id="claim-<id>"> (its heading's id goes on with "-title").
_CLAIM_RE = re.compile(r'id="claim-([a-z0-9_]+)"')
# A typed-figure or retyped-quotation finding naming a claim: "it is the figure claim:<id>",
# "the quotation … of claim <id> is typed into the page".
_NAMES_CLAIM_RE = re.compile(r"\bclaim[: ]([a-z0-9_]+)")
_CHART_TITLE_RE = re.compile(r'<figcaption class="chart-title" id="chart-([a-z0-9_]+)-title">(.*?)</figcaption>', re.S)
_SIZE_RE = re.compile(r'<svg[^>]*?\swidth="([\d.]+)(?:pt|px)?"\s+height="([\d.]+)(?:pt|px)?"')


def _url(output: Path, page: Path) -> str:
    rel = page.relative_to(output).as_posix()
    return "/" + (rel[: -len("index.html")] if rel.endswith("index.html") else rel)


def built_pages(output: Path) -> list[dict]:
    """Every built page: its address, language, title, social card (og:*), the charts, figures and claims it shows."""
    pages = []
    for page in sorted(output.rglob("*.html")):
        text = page.read_text(encoding="utf-8", errors="replace")
        title = _TITLE_RE.search(text)
        og = {key: html.unescape(value) for key, value in _META_RE.findall(text)}
        figures: dict[str, str] = {}
        for kind, fid in _FIGURE_RE.findall(text):
            figures.setdefault(fid, f"{kind}-{fid}")  # the first place it appears on the page
        lang = _LANG_RE.search(text)
        pages.append({
            "url": _url(output, page),
            "lang": lang.group(1) if lang else "",
            "title": html.unescape(title.group(1)) if title else page.name,
            "og": og,
            "card": _local(output, og.get("image", "")),
            "charts": list(dict.fromkeys(_CHART_RE.findall(text))),
            "chart_titles": {cid: html.unescape(re.sub(r"<[^>]+>", "", title)) for cid, title in _CHART_TITLE_RE.findall(text)},
            "figures": figures,
            "claims": set(_CLAIM_RE.findall(text)),
        })
    return pages


def _local(output: Path, address: str) -> str:
    """An absolute og:image address as the devserver serves it ('' if the file is not in the output)."""
    path = urllib.parse.urlsplit(address).path
    return path if path and (output / path.lstrip("/")).is_file() else ""


def _size(svg: Path) -> tuple[str, str]:
    found = _SIZE_RE.search(svg.read_text(encoding="utf-8", errors="replace")[:1000])
    return found.groups() if found else ("", "")


def chart_files(output: Path, chart_id: str) -> list[dict]:
    """Each edition's four variants of a chart (as built) and its social card."""
    editions = []
    for lang, folder in EDITIONS:
        base = output / folder / "charts"
        variants = []
        for variant in VARIANTS:
            found = sorted(base.glob(f"{chart_id}.*.{variant}.svg"))
            if found:
                width, height = _size(found[-1])
                variants.append({"name": variant, "src": "/" + found[-1].relative_to(output).as_posix(), "width": width, "height": height, "dark": variant.startswith("dark")})
        cards = sorted(base.glob(f"{chart_id}.*.social.png"))
        if variants or cards:
            editions.append({"lang": lang, "variants": variants, "card": "/" + cards[-1].relative_to(output).as_posix() if cards else ""})
    return editions


def page_url(source: Path, content: Path, output: Path) -> str:
    """The address of the page built from a Markdown file, as the settings make it ('' if not built)."""
    head = source.read_text(encoding="utf-8", errors="replace").split("\n\n", 1)[0]
    meta = {k.lower(): v.strip() for k, v in re.findall(r"^(\w+):(.*)$", head, re.M)}
    if "url" in meta:
        url = "/" + meta["url"]
    else:
        slug = meta.get("slug") or source.stem
        lang = meta.get("lang", "en")
        update = "updates" in source.relative_to(content).parts
        url = "/" + (f"{lang}/" if lang != "en" else "") + (f"updates/{slug}/" if update else f"{slug}/")
    target = output / url.lstrip("/")
    return url if (target / "index.html").is_file() or target.is_file() else ""


def findings(root: Path, output: Path) -> tuple[list[dict], object]:
    """The data's problems if it does not load; else the typed-figure and house-style findings now."""
    from . import files, lint
    from .data import load
    from .errors import EditorErrors

    try:
        data = load(root / "data", display_prefix="data")
    except EditorErrors as exc:
        return [{"line": e.one_line(), "url": "", "names": set()} for e in exc.errors], None
    theme = root / "theme" if (root / "theme" / "templates").is_dir() else CODE_ROOT / "theme"
    languages = ("en", "es") if (root / "data" / "es.yaml").exists() else ("en",)
    display = lambda p: os.path.relpath(p, root)  # noqa: E731
    # Its own cache of the per-file findings: the build's is keyed by the build's copy of the data classes.
    cache = root / ".cache" / "desk"
    found = lint.check_site_texts(root / "content", root / "data", theme, data, display, languages, settings=root / "pelicanconf.py", cache=cache)
    urls = {display(p): page_url(p, root / "content", output) for p in files.pages(root / "content")}
    return [{"line": e.one_line(), "url": urls.get(e.path, ""), "names": set(_NAMES_CLAIM_RE.findall(e.message))} for e in found], data


def _built(output: Path, name: str) -> dict:
    """A download of the last good build (downloads/<name>.json), {} if there is none."""
    import json

    try:
        found = json.loads((output / "downloads" / f"{name}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return found if isinstance(found, dict) else {}


def _built_figures(output: Path) -> list[dict]:
    """The figures as the last good build published them (downloads/figures.json)."""
    figures = _built(output, "figures").get("figures")
    return figures if isinstance(figures, list) else []


def _built_source_names(output: Path) -> dict:
    """Each source's short name ("AP") as the last good build published it (downloads/sources.csv)."""
    import csv

    try:
        with (output / "downloads" / "sources.csv").open(encoding="utf-8", newline="") as file:
            return {row["id"]: row["short"] for row in csv.DictReader(file) if row.get("id") and row.get("short")}
    except (OSError, KeyError, csv.Error):
        return {}


def _built_claims(output: Path) -> list[dict]:
    """The claims as the last good build published them (downloads/claims.json, written from the same
    data by claims.download_rows), in the shape of claims.views()'s, as far as the download has it."""
    from .data import parse_date
    from .formatting import date_text, edition

    english = edition("en", "")
    # Formatted only if a real date (date_text refuses anything else; a download may hold anything).
    when = lambda value: date_text(value, english) if isinstance(value, str) and parse_date(value) is not None else str(value)  # noqa: E731
    document = _built(output, "claims")
    shorts = _built_source_names(output)
    figures = _built_figures(output)
    labels = {f.get("id"): f.get("label", "") for f in figures}
    texts = {f.get("id"): f.get("as_written", "") for f in figures}
    rows = document.get("claims") if isinstance(document.get("claims"), list) else []
    found = []
    for row in sorted(rows, key=lambda r: str(r.get("date", ""))):
        cid = row.get("id", "")
        found.append({
            "id": cid,
            "speaker": row.get("speaker", ""),
            "date": row.get("date", ""),
            "date_text": when(row.get("date", "")),
            "value": row.get("value", ""),
            "number": row.get("as_written", ""),
            "basis": {
                "how": row.get("how", ""),
                "text": row.get("basis_as_written", ""),
                "figures": [{"id": f, "text": texts.get(f, ""), "label": labels.get(f, ""), "period": ""} for f in row.get("rests_on", [])],
            } if row.get("rests_on") else None,
            "verdicts": [
                {
                    "by": {"short": shorts.get(v.get("by", ""), v.get("by", "")), "date_text": when(v.get("date", ""))},
                    "who": v.get("who", ""), "lead": "", "quote": v.get("quote", ""), "rating": v.get("rating", ""),
                }
                for v in document.get("verdicts", []) if isinstance(v, dict) and cid in v.get("claims", [])
            ],
        })
    return found


def _claim_links(claim_id: str, pages: list[dict]) -> list[dict]:
    """The claim on each built page that shows it (the claims page of each edition), English first."""
    found = [{"url": p["url"], "lang": p["lang"], "anchor": f"claim-{claim_id}"} for p in pages if claim_id in p["claims"]]
    return sorted(found, key=lambda link: (not link["lang"].startswith("en"), link["url"]))


def desk_context(root: Path, output: Path) -> dict:
    """Everything desk.html shows."""
    from . import claims as claims_module
    from .context import figure_view
    from .formatting import edition

    english = edition("en", "")  # the desk speaks the editors' language

    pages = built_pages(output)
    problems, data = findings(root, output)
    chart_ids = list(data.charts) if data is not None else sorted({p.name.split(".")[0] for p in output.glob("charts/*.svg")})
    # While data/ does not load, what the last good build showed (English titles come first).
    in_order = sorted(pages, key=lambda p: not p["url"].startswith("/es/"))  # English last: it wins
    built_titles = {cid: title for p in in_order for cid, title in p["chart_titles"].items()}
    charts = []
    for chart_id in chart_ids:
        chart = data.charts[chart_id] if data is not None else {}
        charts.append({
            "id": chart_id,
            "title": chart["title"] if data is not None else built_titles.get(chart_id, ""),
            "figures": list(chart.get("figures", [])),
            "editions": chart_files(output, chart_id),
            "pages": [{"url": p["url"], "title": p["title"], "anchor": f"chart-{chart_id}"} for p in pages if chart_id in p["charts"]],
        })
    # Each claim as the claims page shows it (claims.views: the same numbers, basis and verdicts).
    claim_views = claims_module.views(data, english)["all"] if data is not None else _built_claims(output)
    claims = []
    for view in claim_views:
        claims.append({
            **view,
            "links": _claim_links(view["id"], pages),
            "typed": [f for f in problems if view["id"] in f["names"]],
        })
    # Which claims rest on each figure: the ones whose basis counts it.
    resting = {}
    for claim in claims:
        for counted in (claim["basis"] or {}).get("figures", []):
            resting.setdefault(counted["id"], []).append({"id": claim["id"], "links": claim["links"]})
    figures = []
    if data is not None:
        for fid in [*data.figures, *data.derived]:
            view = figure_view(fid, data, english)
            figures.append({
                "id": fid,
                "label": view["label"],
                "text": view["text"],
                "period": view.get("period", ""),
                "derived": view["derived"],
                "pages": [{"url": p["url"], "title": p["title"], "anchor": p["figures"][fid]} for p in pages if fid in p["figures"]],
                "charts": [c["id"] for c in charts if fid in c["figures"]],
                "claims": resting.get(fid, []),
            })
    else:
        for record in _built_figures(output):
            fid = record["id"]
            figures.append({
                "id": fid, "label": record.get("label", ""), "text": record.get("as_written", ""), "period": "", "derived": False,
                "pages": [{"url": p["url"], "title": p["title"], "anchor": p["figures"][fid]} for p in pages if fid in p["figures"]],
                "charts": [],
                "claims": resting.get(fid, []),
            })
    cards = [p for p in pages if p["og"].get("image")]
    stylesheet = sorted(output.glob("theme/site.*.css"))
    return {
        "charts": charts,
        "cards": cards,
        "figures": figures,
        "claims": claims,
        "findings": problems,
        "data_loads": data is not None,
        "stylesheet": "/" + stylesheet[-1].relative_to(output).as_posix() if stylesheet else "",
    }
