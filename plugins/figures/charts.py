"""Charts: resolve specs from data, cache drawings by hash, write them into the site.

A chart's drawing is cached under .cache/charts/<hash>/, where the hash covers
the resolved spec (its numbers and words), the drawing code and the house
style. An unchanged chart is copied from the cache without importing
matplotlib; missing charts are drawn in parallel, one process per core.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import textwrap
from html import escape
from pathlib import Path

from . import formatting, references

HERE = Path(__file__).parent
DRAWING_CODE = HERE / "drawing.py"
WIDE_PX, NARROW_PX = 720, 360


# Layout in CSS pixels (the house style draws 1 pt = 1 px).
LINE_PX, GAP_PX, BAR_PX, AFTER_PX, TOP_PX = 19, 6, 26, 24, 4
VARIANT_WIDTHS = {"light-wide": (WIDE_PX, 58), "dark-wide": (WIDE_PX, 58), "light-narrow": (NARROW_PX, 30), "dark-narrow": (NARROW_PX, 30), "social": (WIDE_PX, 58)}


def layout(rows: list, width: int, wrap: int) -> dict:
    """Where each label and bar goes, so sizes are known before drawing."""
    y = TOP_PX
    placed = []
    for row in rows:
        lines = textwrap.wrap(row["label"], wrap)
        label_top = y
        y += LINE_PX * len(lines) + GAP_PX
        placed.append({"label_lines": lines, "label_top": label_top, "bar_middle": y + BAR_PX / 2})
        y += BAR_PX + AFTER_PX
    # Leave room right of the longest bar for its value label (~9.5 px per bold character).
    label_px = max(len(r["value_text"]) for r in rows) * 9.5 + 16
    x_room = width / max(width - label_px, width * 0.3)
    return {"width": width, "height": y - AFTER_PX + TOP_PX * 2, "bar_px": BAR_PX, "rows": placed, "x_room": round(x_room, 3)}


def resolve(chart, data, locale: str = formatting.LOCALE) -> dict:
    """The chart as plain values: everything the drawing needs, nothing else."""
    rows = []
    for fid in chart["figures"]:
        figure = data.figures[fid]
        rows.append(
            {
                "id": fid,
                "label": figure["label"],
                "value": figure["value"],
                "value_text": formatting.with_qualifier(figure, locale),
                "period": formatting.period(figure, locale),
                "is_part": bool(figure.get("part_of")),
            }
        )
    return {
        "id": chart["id"],
        "kind": chart["kind"],
        "title": references.squash(references.render_plain(chart["title"], data, locale)),
        "rows": rows,
        "layouts": {name: layout(rows, width, wrap) for name, (width, wrap) in VARIANT_WIDTHS.items()},
    }


def sizes(spec: dict) -> dict:
    return {name: (lay["width"], lay["height"]) for name, lay in spec["layouts"].items()}


def alt_text(chart, data, locale: str = formatting.LOCALE) -> str:
    return references.squash(references.render_plain(chart["alt"], data, locale))


def caption(chart, data, locale: str = formatting.LOCALE) -> str:
    return references.squash(references.render_plain(chart["caption"], data, locale))


def spec_hash(spec: dict, style_dir: Path) -> str:
    digest = hashlib.sha256()
    digest.update(json.dumps(spec, sort_keys=True).encode())
    digest.update(DRAWING_CODE.read_bytes())
    for style in sorted(style_dir.glob("*.mplstyle")):
        digest.update(style.read_bytes())
    return digest.hexdigest()[:16]


def file_names(chart_id: str, digest: str) -> dict:
    """Output names carry the hash, so browsers may cache them forever."""
    short = digest[:10]
    names = {v: f"charts/{chart_id}.{short}.{v}.svg" for v in ("light-wide", "dark-wide", "light-narrow", "dark-narrow")}
    names["social"] = f"charts/{chart_id}.{short}.social.png"
    names["csv"] = f"charts/{chart_id}.csv"
    return names


def ensure_drawn(specs: dict, cache_dir: Path, style_dir: Path) -> dict:
    """Draw every chart not yet in the cache; return id -> cache folder."""
    folders = {}
    missing = []
    for chart_id, spec in specs.items():
        folder = cache_dir / spec_hash(spec, style_dir)
        folders[chart_id] = folder
        if not (folder / "done").exists():
            missing.append((spec, folder))
    if missing:
        cache_dir.mkdir(parents=True, exist_ok=True)
        jobs = []
        for spec, folder in missing:
            scratch = tempfile.mkdtemp(prefix=".drawing-", dir=cache_dir)
            jobs.append((spec, scratch, str(style_dir)))
        if len(jobs) == 1 or (os.cpu_count() or 1) == 1:
            from .drawing import draw_job

            for job in jobs:
                draw_job(job)
        else:
            from concurrent.futures import ProcessPoolExecutor

            from .drawing import draw_job

            with ProcessPoolExecutor(max_workers=min(len(jobs), os.cpu_count() or 1)) as pool:
                list(pool.map(draw_job, jobs))
        for (spec, folder), (_, scratch, _) in zip(missing, jobs):
            Path(scratch, "done").write_text("")
            # Another build may have drawn it meanwhile: keep theirs.
            try:
                os.replace(scratch, folder)
            except OSError:
                shutil.rmtree(scratch, ignore_errors=True)
    return folders


def write(specs: dict, output_dir: Path, cache_dir: Path, style_dir: Path) -> dict:
    """Copy every chart into output_dir/charts; return id -> {variant: file name}."""
    folders = ensure_drawn(specs, cache_dir, style_dir)
    target = output_dir / "charts"
    target.mkdir(parents=True, exist_ok=True)
    placed = {}
    for chart_id, folder in folders.items():
        names = file_names(chart_id, folder.name)
        for variant, name in names.items():
            if variant != "csv":
                source = folder / (variant + (".png" if variant == "social" else ".svg"))
                shutil.copyfile(source, output_dir / name)
        placed[chart_id] = names
    return placed


def html(chart, data, style_dir: Path, root: str = "{root}") -> str:
    """The <figure> for a chart: title, picture (light/dark, wide/narrow), caption, table, CSV link.

    The title is the <figcaption>: HTML allows one only as the first or last child of a figure.
    """
    spec = resolve(chart, data)
    names = file_names(chart["id"], spec_hash(spec, style_dir))
    alt = alt_text(chart, data)
    url = lambda v: f"{root}/{names[v]}"  # noqa: E731
    (ww, wh), (nw, nh) = sizes(spec)["light-wide"], sizes(spec)["light-narrow"]
    sources = []
    for fid in chart["figures"]:
        for sid in data.figures[fid]["sources"][:1]:
            if sid not in sources:
                sources.append(sid)
    source_links = ", ".join(
        f'<a href="{escape(data.sources[s]["url"])}">{escape(data.sources[s]["short"])}</a>' if data.sources[s].get("url") else escape(data.sources[s]["short"])
        for s in sources
    )
    rows = "".join(
        f'<tr><th scope="row">{escape(r["label"])}</th><td><data value="{r["value"]}">{escape(r["value_text"])}</data></td><td>{escape(r["period"])}</td></tr>'
        for r in spec["rows"]
    )
    cid = escape(chart["id"])
    return (
        f'<figure class="chart" id="chart-{cid}" aria-labelledby="chart-{cid}-title">'
        f'<figcaption class="chart-title" id="chart-{cid}-title">{escape(spec["title"])}</figcaption>'
        "<picture>"
        f'<source media="(prefers-color-scheme: dark) and (max-width: 40em)" srcset="{url("dark-narrow")}" width="{nw}" height="{nh}">'
        f'<source media="(prefers-color-scheme: dark)" srcset="{url("dark-wide")}" width="{ww}" height="{wh}">'
        f'<source media="(max-width: 40em)" srcset="{url("light-narrow")}" width="{nw}" height="{nh}">'
        f'<img src="{url("light-wide")}" alt="{escape(alt)}" width="{ww}" height="{wh}" loading="lazy" decoding="async">'
        "</picture>"
        f'<p class="chart-caption">{escape(caption(chart, data))} <span class="chart-source">Source: {source_links}.</span></p>'
        '<table class="chart-data">'
        f"<caption>The numbers in this chart</caption>"
        '<thead><tr><th scope="col">Figure</th><th scope="col">Value</th><th scope="col">Period</th></tr></thead>'
        f"<tbody>{rows}</tbody></table>"
        f'<p class="chart-download"><a href="{url("csv")}" download>Download the data for this chart (CSV)</a></p>'
        "</figure>"
    )
