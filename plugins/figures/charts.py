"""Charts: resolve specs from data, cache drawings by hash, write them into the site.

A chart's drawing is cached under .cache/charts/<hash>/, where the hash covers
the resolved spec (its numbers and words), the drawing code and the house
style. An unchanged chart is copied from the cache without importing
matplotlib; missing charts are drawn in parallel, one process per core.
After a successful build, `prune()` deletes the drawings no chart uses any more.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
import shutil
import textwrap
from pathlib import Path

from . import claims, formatting, references
from .files import is_editor_file
from .i18n import N_

HERE = Path(__file__).parent
DRAWING_CODE = HERE / "drawing.py"
WIDE_PX, NARROW_PX = 720, 360
SOCIAL_SIZE = (1200, 630)  # the size social networks show a link's picture at


# Layout in CSS pixels (the house style draws 1 pt = 1 px). Every position is
# computed here, before drawing, so a page knows each picture's size without
# drawing it, and the hash of the spec covers the layout too.
LINE_PX, GAP_PX, BAR_PX, AFTER_PX, TOP_PX = 19, 6, 26, 24, 4
# The four drawings of a chart, each in its own file, in the order a <picture> offers them
# (the first whose media query matches is shown; the last, with none, is the <img> every
# browser falls back to). A dark variant is its light twin recoloured. The one definition:
# layouts, drawing, file names, the HTML and the tests all take the names from here.
VARIANTS = {
    "dark-narrow": {"width": NARROW_PX, "media": "screen and (prefers-color-scheme: dark) and (max-width: 40em)"},
    "dark-wide": {"width": WIDE_PX, "media": "screen and (prefers-color-scheme: dark)"},
    "light-narrow": {"width": NARROW_PX, "media": "(max-width: 40em)"},
    "light-wide": {"width": WIDE_PX, "media": None},
}
CHAR_PX = 8.3  # average width of a 15 px character, for wrapping
# The light drawings, wide (the <img> every browser falls back to) and narrow: what the
# stable download and the embed page's height are made from.
LIGHT_WIDE = next(name for name, v in VARIANTS.items() if v["media"] is None)
LIGHT_NARROW = next(name for name, v in VARIANTS.items() if v["width"] == NARROW_PX and "dark" not in v["media"])


def _wrap(text: str, width_px: float, char_px: float = CHAR_PX) -> list[str]:
    return textwrap.wrap(text, max(8, int(width_px / char_px))) or [""]


def _layout_bars(rows: list, width: int) -> dict:
    """Horizontal bars: a label above each bar, the value at its end."""
    y = TOP_PX
    placed = []
    for row in rows:
        lines = _wrap(row["label"], width * 0.8)
        label_top = y
        y += LINE_PX * len(lines) + GAP_PX
        placed.append({"label_lines": lines, "label_top": label_top, "bar_middle": y + BAR_PX / 2})
        y += BAR_PX + AFTER_PX
    # Leave room right of the longest bar for its value label (~9.5 px per bold character).
    label_px = max(len(r["value_text"]) for r in rows) * 9.5 + 16
    x_room = width / max(width - label_px, width * 0.3)
    return {"width": width, "height": int(y - AFTER_PX + TOP_PX * 2), "bar_px": BAR_PX, "rows": placed, "x_room": round(x_room, 3)}


def _layout_columns(rows: list, width: int) -> dict:
    """Vertical columns, one per figure: value on top, label below."""
    slot = width / len(rows)
    labels = [_wrap(r["short_label"], slot - 6, 7.6) for r in rows]
    label_px = LINE_PX * max(len(lines) for lines in labels) + 8
    plot_px = 220 if width > 500 else 190
    top_px = 30
    return {
        "width": width,
        "height": int(top_px + plot_px + label_px),
        "top_px": top_px,
        "plot_px": plot_px,
        "label_lines": labels,
        "font_px": "medium" if slot > 90 else "small",
    }


def _layout_timeline(rows: list, width: int) -> dict:
    """Events down the page, spaced by date but never closer than their text needs."""
    date_px = 150 if width > 500 else 96
    text_px = width - date_px - 28
    # Spacing grows with the time between events, but is capped: five quiet years
    # must not squeeze the busy months that follow into an unreadable knot.
    y = TOP_PX + 10.0
    placed = []
    previous_bottom = y
    previous_ordinal = rows[0]["ordinal"]
    for row in rows:
        days = row["ordinal"] - previous_ordinal
        y = previous_bottom + 14 + min(days / 365 * 40, 70) if placed else y
        title = _wrap(row["title"], text_px, 9.4)  # bold
        date = _wrap(row["date_text"], date_px - 10, 7.6)
        lines = max(len(title), len(date))
        placed.append({"y": round(y, 1), "title_lines": title, "date_lines": date})
        previous_bottom = y + LINE_PX * lines
        previous_ordinal = row["ordinal"]
    return {"width": width, "height": int(previous_bottom + 12), "date_px": date_px, "rows": placed}


def _layout_flow(stages: list, width: int) -> dict:
    """Stages as boxes down the page, joined by arrows; each lists its figures."""
    pad, arrow_px = 12, 30
    inner = width - 2 * pad - 4
    y = 2.0
    placed = []
    for stage in stages:
        name = _wrap(stage["name"], inner, 9.0)
        text = _wrap(stage["text"], inner)
        figs = [_wrap(f"{f['label']}: {f['value_text']}", inner - 16, 8.6) for f in stage["figures"]]
        height = pad + LINE_PX * (len(name) + len(text)) + sum(LINE_PX * len(f) + 4 for f in figs) + pad + (6 if figs else 0)
        placed.append({"top": y, "height": height, "name_lines": name, "text_lines": text, "figure_lines": figs})
        y += height + arrow_px
    return {"width": width, "height": int(y - arrow_px + 2), "pad": pad, "stages": placed}


# The social card: type big enough to read when a feed shows the card ~500 px wide.
SOCIAL_PAD, SOCIAL_TITLE_PX, SOCIAL_BAR_PX, SOCIAL_FOOT_PX = 56, 44, 30, 20
SOCIAL_TEXT_SIZES = (26, 24, 22, 20)  # the largest at which every figure fits


def _layout_social(kind: str, title: str, rows: list, source_line: str = "") -> dict:
    """A social card: the title, the chart's figures as bars (each with its period),
    its sources at the foot. A card travels without the page, so it carries them.

    A timeline shows its first and last events and as many between as fit (the
    page has them all).
    """
    width, height = SOCIAL_SIZE
    inner = width - 2 * SOCIAL_PAD
    title_lines = _wrap(title, inner, 0.63 * SOCIAL_TITLE_PX)[:3]
    top = SOCIAL_PAD + round(SOCIAL_TITLE_PX * 1.2) * len(title_lines) + 24
    bottom = height - SOCIAL_PAD - SOCIAL_FOOT_PX
    card = {"width": width, "height": height, "pad": SOCIAL_PAD, "title_px": SOCIAL_TITLE_PX, "title_top": SOCIAL_PAD - 8, "title_lines": title_lines,
            "foot_px": SOCIAL_FOOT_PX, "foot_top": height - SOCIAL_PAD + 4 - SOCIAL_FOOT_PX, "source_line": source_line}
    if kind == "timeline":
        text_px = SOCIAL_TEXT_SIZES[0]
        line_px = round(text_px * 1.3)
        chosen = list(rows) if len(rows) <= 4 else [rows[0], rows[len(rows) // 3], rows[2 * len(rows) // 3], rows[-1]]
        lines = {id(row): _wrap(row["title"], inner, 0.56 * text_px)[:2] for row in chosen}
        # Fewer events between the first and the last, until they fit.
        while len(chosen) > 2 and top + sum(line_px * (1 + len(lines[id(r)])) + 14 for r in chosen) - 14 > bottom:
            chosen.pop(len(chosen) // 2)
        events, y = [], top
        for row in chosen:
            events.append({"top": y, "date": row["date_text"], "title": row["title"], "title_top": y + line_px, "title_lines": lines[id(row)]})
            y += line_px * (1 + len(lines[id(row)])) + 14
        return {**card, "text_px": text_px, "events": events, "bars": []}
    figures = [f for stage in rows for f in stage["figures"]] if kind == "flow" else rows
    for text_px in SOCIAL_TEXT_SIZES:
        bars = _social_bars(figures, inner, top, bottom, text_px, all_one_colour=kind == "columns")
        if len(bars["bars"]) == len(figures):
            break
    return {**card, "text_px": text_px, "events": [], **bars}


def _social_bars(figures: list, inner: int, top: float, bottom: float, text_px: int, all_one_colour: bool) -> dict:
    """Bars with their labels (each with its period, unless the label says it) and values."""
    char_px, line_px = 0.56 * text_px, round(text_px * 1.25)
    labels = [r["label"] if r["period"].lower() in r["label"].lower() else f"{r['label']}, {r['period']}" for r in figures]
    # Short labels (years) sit left of their bars; longer ones above them.
    label_px = max(len(label) for label in labels) * char_px
    beside = label_px <= inner / 3
    bars, y = [], top
    for row, label in zip(figures, labels, strict=True):
        lines = [label] if beside else _wrap(label, inner, char_px)[:3]
        above_px = 0 if beside else line_px * len(lines) + 4
        if y + above_px + SOCIAL_BAR_PX > bottom:
            break
        bars.append({"label": label, "label_lines": lines, "label_top": y, "bar_middle": y + above_px + SOCIAL_BAR_PX / 2,
                     # Coloured as on the page, where columns are all one colour.
                     "value": row["value"], "value_text": row["value_text"], "is_part": row["is_part"] and not all_one_colour})
        y += above_px + SOCIAL_BAR_PX + (12 if beside else 16)
    # Room right of the longest bar for its value (~0.62 em per bold character).
    value_px = max((len(b["value_text"]) for b in bars), default=0) * 0.62 * text_px + 16
    bar_left = round(label_px + 16) if beside else 0
    return {"bars": bars, "bar_px": SOCIAL_BAR_PX, "labels_beside": beside, "bar_left": bar_left, "longest_px": round(inner - bar_left - value_px)}


def _figure_row(fid: str, data, edition: formatting.Edition) -> dict:
    figure = data.figures[fid]
    years = figure.get("period", {}).get("fiscal_years")
    return {
        "id": fid,
        "label": figure["label"],
        "short_label": f"FY{years[0]}" if years and years[0] == years[1] else figure["label"],
        "value": figure["value"],
        "value_text": formatting.with_qualifier(figure, edition),
        "period": formatting.period(figure, edition),
        "is_part": bool(figure.get("part_of")),
    }


def resolve(chart, data, edition: formatting.Edition) -> dict:
    """The chart as plain values: everything the drawing and the table need, nothing else.

    Memoised on the data object, which lives as long as the build (a copy, such as another
    edition's data, has its own id and so its own entries).
    """
    key = (id(data), chart["id"], edition)
    if key not in data.resolved:
        data.resolved[key] = _resolve(chart, data, edition)
    return data.resolved[key]


def _text(text: str, data, edition: formatting.Edition) -> str:
    return references.squash(references.render_plain(text, data, edition))


def _resolve(chart, data, edition: formatting.Edition) -> dict:
    kind = chart["kind"]
    spec = {"id": chart["id"], "kind": kind, "title": _text(chart["title"], data, edition)}
    if kind in ("bars", "columns"):
        rows = [_figure_row(fid, data, edition) for fid in chart["figures"]]
        layout = _layout_bars if kind == "bars" else _layout_columns
        spec["rows"] = rows
        spec["table"] = {
            "columns": [N_("Figure"), N_("Value"), N_("Period")],
            "rows": [[{"text": r["label"]}, {"text": r["value_text"], "value": r["value"]}, {"text": r["period"]}] for r in rows],
            "csv": [{"id": r["id"], "label": r["label"], "value": r["value"], "as_written": r["value_text"], "period": r["period"]} for r in rows],
        }
    elif kind == "timeline":
        events = sorted((data.events[e] for e in chart["events"]), key=lambda e: e["date"])
        rows = [
            {
                "id": e["id"],
                "ordinal": formatting.parse_date(e["date"]).toordinal(),
                "date": e["date"],
                "date_text": formatting.date_text(e["date"], edition),
                "title": _text(e["title"], data, edition),
            }
            for e in events
        ]
        layout = _layout_timeline
        spec["rows"] = rows
        spec["table"] = {
            "columns": [N_("Date"), N_("Event")],
            "rows": [[{"text": r["date_text"], "date": r["date"]}, {"text": r["title"]}] for r in rows],
            "csv": [{"id": r["id"], "date": r["date"], "event": r["title"]} for r in rows],
        }
    elif kind == "claims":  # each claimed number beside the counts it rests on: claims.py
        layout = claims.layout
        spec["rows"] = claims.chart_rows(chart, data, edition)
        spec["table"] = claims.chart_table(spec["rows"])
    else:  # flow
        stages = []
        for stage in chart["stages"]:
            figures = [_figure_row(fid, data, edition) for fid in stage.get("figures", [])]
            stages.append({"name": stage["name"], "text": _text(stage["text"], data, edition), "figures": figures})
        layout = _layout_flow
        spec["rows"] = stages
        spec["table"] = {
            "columns": [N_("Stage"), N_("What happens"), N_("Figures at this stage")],
            "rows": [[{"text": st["name"]}, {"text": st["text"]}, {"text": "; ".join(f"{f['label']}: {f['value_text']}" for f in st["figures"]) or "—"}] for st in stages],
            "csv": [
                {"stage": st["name"], "what_happens": st["text"], "figure_id": f["id"], "label": f["label"], "value": f["value"], "as_written": f["value_text"]}
                for st in stages for f in (st["figures"] or [{"id": "", "label": "", "value": "", "value_text": ""}])
            ],
        }
    spec["layouts"] = {name: layout(spec["rows"], variant["width"]) for name, variant in VARIANTS.items()}
    sources = ", ".join(data.sources[sid]["short"] for sid in chart_sources(chart, data))
    spec["layouts"]["social"] = _layout_social(kind, spec["title"], spec["rows"], edition.phrases["source"].format(sources=sources))
    return spec


# The stable download (charts/<id>.svg and .png): the light wide drawing with what it needs to
# travel alone drawn around it: title, caption (its qualifiers and periods), sources, licence
# and address. CSS pixels; the PNG is drawn at 2× for slides.
DOWNLOAD_PAD, DOWNLOAD_TITLE_PX, DOWNLOAD_TEXT_PX, DOWNLOAD_FOOT_PX = 24, 20, 14, 13
PNG_SCALE = 2


def download_spec(spec: dict, caption_text: str, credit: str) -> dict:
    """What the stable download draws: the chart's rows and LIGHT_WIDE layout, with text around it.

    `credit` (licence, publisher, address) comes from the settings, so it is not in the page
    spec: the download is cached beside the page variants under a name hashed from this spec.
    """
    body = spec["layouts"][LIGHT_WIDE]
    pad, width = DOWNLOAD_PAD, body["width"]
    title = _wrap(spec["title"], width, 0.64 * DOWNLOAD_TITLE_PX)
    caption_lines = _wrap(caption_text, width, 0.58 * DOWNLOAD_TEXT_PX)
    foot = _wrap(spec["layouts"]["social"]["source_line"] + ".", width, 0.58 * DOWNLOAD_FOOT_PX) + _wrap(credit, width, 0.58 * DOWNLOAD_FOOT_PX)
    y = pad
    title_top, y = y, y + round(DOWNLOAD_TITLE_PX * 1.25) * len(title) + 8
    caption_top, y = y, y + round(DOWNLOAD_TEXT_PX * 1.35) * len(caption_lines) + 16
    body_top, y = y, y + body["height"] + 16
    foot_top, y = y, y + round(DOWNLOAD_FOOT_PX * 1.35) * len(foot) + pad
    return {
        "id": spec["id"], "kind": spec["kind"], "rows": spec["rows"], "body": body,
        "title": spec["title"], "caption": caption_text, "source_line": spec["layouts"]["social"]["source_line"], "credit": credit,
        "layout": {"width": width + 2 * pad, "height": int(y), "pad": pad, "title_px": DOWNLOAD_TITLE_PX, "text_px": DOWNLOAD_TEXT_PX, "foot_px": DOWNLOAD_FOOT_PX,
                   "title_top": title_top, "title_lines": title, "caption_top": caption_top, "caption_lines": caption_lines,
                   "body_top": body_top, "foot_top": foot_top, "foot_lines": foot},
    }


def sizes(spec: dict) -> dict:
    return {name: (lay["width"], lay["height"]) for name, lay in spec["layouts"].items()}


def alt_text(chart, data, edition: formatting.Edition) -> str:
    """The alt template, plus, for a timeline, every event (so a date is never typed twice)."""
    text = _text(chart["alt"], data, edition)
    if chart["kind"] == "timeline":
        rows = resolve(chart, data, edition)["rows"]
        text += " " + " ".join(f"{r['date_text']}: {r['title']}." for r in rows)
    return text


def social_alt(chart, data, edition: formatting.Edition) -> str:
    """What the social card shows, in words: its title, each figure or event on it, its sources."""
    spec = resolve(chart, data, edition)
    card = spec["layouts"]["social"]
    shown = [f"{b['label']}: {b['value_text']}" for b in card["bars"]] + [f"{e['date']}: {e['title']}" for e in card["events"]]
    return f"{spec['title']}. {'; '.join(shown)}. {card['source_line']}."


def caption(chart, data, edition: formatting.Edition) -> str:
    return _text(chart["caption"], data, edition)


def chart_sources(chart, data) -> list[str]:
    """The ids of the sources a chart's figures (or events) come from, first source of each, in order."""
    figure_ids = list(chart.get("figures", [])) + [f for st in chart.get("stages", []) for f in st.get("figures", [])]
    first = [data.figures[fid]["sources"][0] for fid in figure_ids]
    first += [sid for eid in chart.get("events", []) for sid in data.events[eid]["sources"][:1]]
    first += claims.chart_sources(chart, data)
    return list(dict.fromkeys(first))


def _code_digest(style_dir: Path) -> bytes:
    """The drawing code and the house style: a change to either redraws every chart."""
    files = [DRAWING_CODE, *sorted(s for s in style_dir.glob("*.mplstyle") if not is_editor_file(s.name))]
    # Cached by each file's name, size and mtime: an edited style sheet is read again,
    # even by a second build in the same process.
    return _digest_of(tuple((path, path.stat().st_size, path.stat().st_mtime_ns) for path in files))


@functools.cache
def _digest_of(stamps: tuple) -> bytes:
    digest = hashlib.sha256()
    for path, _, _ in stamps:
        digest.update(path.read_bytes())
    return digest.digest()


def spec_hash(spec: dict, style_dir: Path) -> str:
    digest = hashlib.sha256(_code_digest(Path(style_dir)))
    digest.update(json.dumps(spec, sort_keys=True).encode())
    return digest.hexdigest()[:16]


HASH_NAME = re.compile(r"[0-9a-f]{16}")  # a cache folder's name, as spec_hash() makes it


def prune(cache_dir: Path, used) -> list[str]:
    """Delete the cached drawings that none of the `used` cache folders is; return their names.

    Only folders named like a content hash are ours to delete: anything else put in the
    cache folder stays. A folder that cannot be deleted stays too (`ignore_errors`): it is
    only a cache, and the next successful build tries again.
    """
    keep = {Path(folder).name for folder in used}
    gone = []
    for folder in sorted(cache_dir.iterdir()) if cache_dir.is_dir() else ():
        if HASH_NAME.fullmatch(folder.name) and folder.name not in keep and folder.is_dir() and not folder.is_symlink():
            shutil.rmtree(folder, ignore_errors=True)
            gone.append(folder.name)
    return gone


def file_names(chart_id: str, digest: str, prefix: str = "") -> dict:
    """Output names carry the hash, so browsers may cache them forever.

    `prefix` is the language folder ("es/") for editions other than the default.
    """
    short = digest[:10]
    base = f"{prefix}charts/{chart_id}"
    names = {v: f"{base}.{short}.{v}.svg" for v in VARIANTS}
    names["social"] = f"{base}.{short}.social.png"
    names["csv"] = f"{base}.csv"
    # The stable downloads: the same address whatever the data say (so never cached as immutable).
    names["download-svg"] = f"{base}.svg"
    names["download-png"] = f"{base}.png"
    return names


def chart_page(chart_id: str, prefix: str = "") -> str:
    """The chart's own page (its address, ending in a slash); its file is this + index.html."""
    return f"{prefix}charts/{chart_id}/"


def embed_page(chart_id: str, prefix: str = "") -> str:
    """The chart's embed page: a folder of its own, so one `_headers` rule lets it be framed."""
    return f"{prefix}embed/{chart_id}/"


from .pool import _draw_in_worker, submit, warm_up  # noqa: E402,F401 — the drawing processes


def _cost(spec: dict, what: str) -> float:
    """Roughly how many milliseconds a drawing takes (measured on the real charts): page
    variants grow with their text, a social card is mostly its fixed 1200 × 630 pixels."""
    text = len(json.dumps(spec["rows"]))
    if what == "download":  # a page variant's text and a 2× PNG
        return 60 + text / 40
    return 30 + text / 200 if what == "social" else text / 40


class Drawing:
    """Charts drawn in worker processes while Pelican reads and writes pages.

    Drawings are requested as soon as the data is loaded (the page variants,
    and the social cards of the charts a quick scan finds first on a page),
    and again once Pelican has read the pages and we know which charts are
    each page's card. `wait()` runs just before charts are copied into the
    site. When every drawing is in the cache, no process starts and
    matplotlib is never imported.
    """

    def __init__(self, specs: dict, cache_dir: Path, style_dir: Path, downloads: dict | None = None):
        self.specs = specs
        self.style_dir = style_dir
        self.folders = {cid: cache_dir / spec_hash(spec, style_dir) for cid, spec in specs.items()}
        # Each chart's stable download (download_spec), drawn into the chart's own cache folder
        # (so pruning keeps it) under a name hashed from what it draws: "download.<hash>".
        self.downloads = downloads or {}
        self.download_names = {key: f"download.{spec_hash(spec, style_dir)[:10]}" for key, spec in self.downloads.items()}
        self.pending = []
        self.requested: set = set()
        self.later: list = []  # (chart id, what) drawn by finish(), after the site is in place
        self.kept_for_later: set = set()  # the kinds ("social", "download") request() keeps for finish()

    def request(self, wanted) -> None:
        """Draw each (chart id, "svg", "social" or "download") in `wanted`, unless cached or already
        asked for; the kinds in `kept_for_later` are only noted, for finish()."""
        jobs = []
        for chart_id, what in wanted:
            if (chart_id, what) in self.requested:
                continue  # already drawn or on its way
            if what in self.kept_for_later:
                if (chart_id, what) not in self.later:
                    self.later.append((chart_id, what))
                continue
            self.requested.add((chart_id, what))
            folder = self.folders[chart_id]
            spec = self.specs[chart_id]
            if what == "svg":
                names = [f"{v}.svg" for v in VARIANTS]
            elif what == "download":
                stem = self.download_names[chart_id]
                names, spec = [f"{stem}.svg", f"{stem}.png"], {**self.downloads[chart_id], "stem": stem}
            else:
                names = ["social.png"]
            if not all((folder / n).exists() for n in names):
                folder.mkdir(parents=True, exist_ok=True)
                jobs.append((spec, str(folder), str(self.style_dir), what))
        # Longest first, so that no process is left drawing a big chart alone at the end.
        for job in sorted(jobs, key=lambda job: -_cost(job[0], job[3])):
            self.pending.append(submit(_draw_in_worker, *job))

    def idle(self) -> bool:
        """Whether every drawing asked for so far is done (the processes are free for other work)."""
        return all(h.done() and h.exception() is None and h.result().done() for h in self.pending)

    def wait(self) -> dict:
        """Block until every requested drawing is in the cache; return id -> cache folder."""
        for handed_over in self.pending:
            handed_over.result().result()
        self.pending = []
        return self.folders

    def files(self, prefixes: dict | None = None, only=None):
        """(key, {variant: site file name}, {site file name: its drawing in the cache}) for each chart.

        `only`: the (chart id, what) drawings to list, e.g. those kept for later.
        """
        for key, folder in self.folders.items():
            lang, chart_id = key if isinstance(key, tuple) else (None, key)
            names = file_names(chart_id, folder.name, (prefixes or {}).get(lang, ""))
            stem = self.download_names.get(key)
            drawn = {}
            for variant, name in names.items():
                if variant == "csv" or (only is not None and (key, DRAWN_BY.get(variant, "svg")) not in only):
                    continue
                if variant.startswith("download-"):
                    if stem:
                        drawn[name] = folder / f"{stem}.{variant.removeprefix('download-')}"
                else:
                    drawn[name] = folder / (variant + (".png" if variant == "social" else ".svg"))
            yield key, names, drawn

    def to_come(self, prefixes: dict | None = None) -> set[str]:
        """The site's files that finish() will put in place (the link check counts them as there)."""
        return {name for _, _, drawn in self.files(prefixes, set(self.later)) for name, source in drawn.items() if not source.exists()}

    def finish(self, site: Path, prefixes: dict | None = None) -> None:
        """Draw what was kept for later and put it into the (live) site, each file written beside and renamed."""
        later, self.later, self.kept_for_later = set(self.later), [], set()
        self.request(sorted(later, key=repr))
        self.wait()
        for _, _, drawn in self.files(prefixes, later):
            for name, source in drawn.items():
                if (site / name).exists():
                    continue  # in the cache already when the site was written: it is there
                scratch = site / f"{name}.{os.getpid()}.tmp"
                shutil.copyfile(source, scratch)
                os.replace(scratch, site / name)


DRAWN_BY = {"social": "social", "download-svg": "download", "download-png": "download"}  # which drawing makes a site file (else "svg")


def write(output_dir: Path, drawing: Drawing, prefixes: dict | None = None) -> dict:
    """Copy the drawn charts into the site; return key -> {variant: file name}.

    Keys are chart ids, or (lang, chart id) for several editions, whose files
    go under each edition's prefix (e.g. "es/charts/"). A drawing kept for later
    (Drawing.finish) is not in the cache yet: it is left out here.
    """
    drawing.wait()
    placed = {}
    for key, names, drawn in drawing.files(prefixes):
        for name, source in drawn.items():
            if source.exists():
                (output_dir / name).parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(source, output_dir / name)
        placed[key] = names
    return placed


def figure_ids(chart) -> list[str]:
    """The figures a chart draws, in order, each once (a timeline or claims chart may have none)."""
    return list(dict.fromkeys([*chart.get("figures", []), *(f for st in chart.get("stages", []) for f in st.get("figures", []))]))


# The embed page (theme/templates/embed.html) in CSS pixels, as site.css sets it, to size
# the <iframe> snippet: the title above the picture, the source line below, padding round
# them. Per-character widths are generous (bold system fonts are wide), so the height is
# an upper bound: tests/browser/test_embeds.py frames the snippet and checks it fits.
EMBED_PAD, EMBED_TITLE_LINE, EMBED_TITLE_CHAR, EMBED_FOOT_LINE, EMBED_FOOT_CHAR = 8, 26, 11.5, 25, 8.5
NARROWEST_COLUMN, EMBED_MAX_WIDTH = 300, WIDE_PX
BREAKPOINT_PX = 640  # VARIANTS' 40em: the widest column that shows the narrow drawing


def embed_heights(spec: dict, source_text: str) -> dict:
    """The height the embed page needs in a column up to 40em (640 px) wide ("narrow", where the
    narrow picture shows) and in a wider one ("wide"), and the larger, which fits any width."""

    def needed(column: float, picture_w: int, picture_h: int) -> int:
        inner = column - 2 * EMBED_PAD
        title = len(_wrap(spec["title"], inner, EMBED_TITLE_CHAR))
        foot = len(_wrap(source_text, inner, EMBED_FOOT_CHAR))
        shown_h = picture_h * min(1, inner / picture_w)  # never wider than drawn
        return int(2 * EMBED_PAD + title * EMBED_TITLE_LINE + 8 + shown_h + 8 + foot * EMBED_FOOT_LINE + 16)

    narrow, wide = spec["layouts"][LIGHT_NARROW], spec["layouts"][LIGHT_WIDE]
    heights = {
        "narrow": max(needed(NARROWEST_COLUMN, narrow["width"], narrow["height"]), needed(BREAKPOINT_PX, narrow["width"], narrow["height"])),
        "wide": max(needed(BREAKPOINT_PX + 1, wide["width"], wide["height"]), needed(EMBED_MAX_WIDTH, wide["width"], wide["height"])),
    }
    heights["any"] = max(heights.values())
    return heights


def view(chart, data, style_dir: Path, edition: formatting.Edition, root: str, link: bool = True) -> dict:
    """What the `chart_figure` macro (theme/templates/macros.html) writes: title, the
    pictures of every variant, alt text, caption, sources, data table and CSV link, and
    (`link`) a link to the chart's own page. `root` begins every address (a page's
    "{root}", or a template's SITEURL)."""
    spec = resolve(chart, data, edition)
    names = file_names(chart["id"], spec_hash(spec, style_dir), edition.prefix)
    pictures = [
        {"media": variant["media"], "url": f"{root}/{names[name]}", "width": spec["layouts"][name]["width"], "height": spec["layouts"][name]["height"]}
        for name, variant in VARIANTS.items()
    ]
    return {
        "id": chart["id"],
        "title": spec["title"],
        "pictures": pictures,
        "alt": alt_text(chart, data, edition),
        "caption": caption(chart, data, edition),
        "sources": [data.sources[sid] for sid in chart_sources(chart, data)],
        "table": spec["table"],
        "csv": f"{root}/{names['csv']}",
        "svg": f"{root}/{names['download-svg']}",
        "png": f"{root}/{names['download-png']}",
        "page": f"{root}/{chart_page(chart['id'], edition.prefix)}" if link else "",
        "embed": f"{root}/{embed_page(chart['id'], edition.prefix)}",
        "figure_ids": figure_ids(chart),
        "sizes": sizes(spec),
    }


def html(chart, data, style_dir: Path, edition: formatting.Edition, templates: Path, root: str = "{root}", bytecode_cache=None, link: bool = True) -> str:
    """The <figure> for a chart, as the theme's `chart_figure` macro writes it."""
    from . import macros

    return macros.render(templates, edition, "chart_figure", view(chart, data, style_dir, edition, root, link), edition.lang, bytecode_cache=bytecode_cache)
