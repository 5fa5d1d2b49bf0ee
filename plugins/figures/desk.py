"""What the preview desk (`/_preview/`, devserver only) shows, read from the built site and data/.

The charts, cards and pages come from the site as built (what readers would get); the figures
and the rules' findings from data/ and content/ as saved now. Nothing here writes a file.
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
_META_RE = re.compile(r'<meta\s+property="og:([a-z:_]+)"\s+content="([^"]*)"')
_CHART_RE = re.compile(r'id="chart-([a-z0-9_]+)"')
# Where a page shows a figure: in the text, its source note, a home card, About the data's list.
_FIGURE_RE = re.compile(r'id="(ref|note|card|figure)-([a-z0-9_]+)"')
_CHART_TITLE_RE = re.compile(r'<figcaption class="chart-title" id="chart-([a-z0-9_]+)-title">(.*?)</figcaption>', re.S)
_SIZE_RE = re.compile(r'<svg[^>]*?\swidth="([\d.]+)(?:pt|px)?"\s+height="([\d.]+)(?:pt|px)?"')


def _url(output: Path, page: Path) -> str:
    rel = page.relative_to(output).as_posix()
    return "/" + (rel[: -len("index.html")] if rel.endswith("index.html") else rel)


def built_pages(output: Path) -> list[dict]:
    """Every built page: its address, title, social card (og:*), the charts and figures it shows."""
    pages = []
    for page in sorted(output.rglob("*.html")):
        text = page.read_text(encoding="utf-8", errors="replace")
        title = _TITLE_RE.search(text)
        og = {key: html.unescape(value) for key, value in _META_RE.findall(text)}
        figures: dict[str, str] = {}
        for kind, fid in _FIGURE_RE.findall(text):
            figures.setdefault(fid, f"{kind}-{fid}")  # the first place it appears on the page
        pages.append({
            "url": _url(output, page),
            "title": html.unescape(title.group(1)) if title else page.name,
            "og": og,
            "card": _local(output, og.get("image", "")),
            "charts": list(dict.fromkeys(_CHART_RE.findall(text))),
            "chart_titles": {cid: html.unescape(re.sub(r"<[^>]+>", "", title)) for cid, title in _CHART_TITLE_RE.findall(text)},
            "figures": figures,
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
        return [{"line": e.one_line(), "url": ""} for e in exc.errors], None
    theme = root / "theme" if (root / "theme" / "templates").is_dir() else CODE_ROOT / "theme"
    languages = ("en", "es") if (root / "data" / "es.yaml").exists() else ("en",)
    display = lambda p: os.path.relpath(p, root)  # noqa: E731
    # Its own cache of the per-file findings: the build's is keyed by the build's copy of the data classes.
    cache = root / ".cache" / "desk"
    found = lint.check_site_texts(root / "content", root / "data", theme, data, display, languages, settings=root / "pelicanconf.py", cache=cache)
    urls = {display(p): page_url(p, root / "content", output) for p in files.pages(root / "content")}
    return [{"line": e.one_line(), "url": urls.get(e.path, "")} for e in found], data


def _built_figures(output: Path) -> list[dict]:
    """The figures as the last good build published them (downloads/figures.json)."""
    import json

    try:
        return json.loads((output / "downloads" / "figures.json").read_text(encoding="utf-8"))["figures"]
    except (OSError, ValueError, KeyError, TypeError):
        return []


def desk_context(root: Path, output: Path) -> dict:
    """Everything desk.html shows."""
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
            })
    else:
        for record in _built_figures(output):
            fid = record["id"]
            figures.append({
                "id": fid, "label": record.get("label", ""), "text": record.get("as_written", ""), "period": "", "derived": False,
                "pages": [{"url": p["url"], "title": p["title"], "anchor": p["figures"][fid]} for p in pages if fid in p["figures"]],
                "charts": [],
            })
    cards = [p for p in pages if p["og"].get("image")]
    stylesheet = sorted(output.glob("theme/site.*.css"))
    return {
        "charts": charts,
        "cards": cards,
        "figures": figures,
        "findings": problems,
        "data_loads": data is not None,
        "stylesheet": "/" + stylesheet[-1].relative_to(output).as_posix() if stylesheet else "",
    }
