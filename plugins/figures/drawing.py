"""Draw one chart with matplotlib, in every variant a page needs.

This is the only module that imports matplotlib, and charts.py imports it
only when a chart is missing from the cache: a rebuild that changes no chart
never pays matplotlib's import time.
"""

from __future__ import annotations

import functools
import io
import os
import re
from pathlib import Path

import matplotlib
import matplotlib.style
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

# No pyplot: a Figure saved directly needs no window manager or backend
# switching, and leaves ~15 ms of imports out (matplotlib's advice for servers).

# Byte-identical output: no dates, no version strings.
SVG_METADATA = {"Date": None, "Creator": None}


def _declarations(css: str) -> list[tuple[str, str]]:
    pairs = (decl.partition(":") for decl in css.split(";"))
    return [(name.strip(), value.strip()) for name, _, value in pairs if name.strip()]


def _style_to_attributes(svg: str) -> str:
    """CSS in `style` attributes and a <style> element -> SVG presentation attributes.

    The site's Content-Security-Policy (`style-src 'self'`) blocks inline CSS in an
    SVG opened on its own; presentation attributes draw the same and are allowed.
    """
    sheet = re.search(r"\s*<defs>\s*<style[^>]*>\*\{([^}]*)\}</style>\s*</defs>", svg)
    if sheet:
        inherited = "".join(f' {name}="{value}"' for name, value in _declarations(sheet.group(1)))
        svg = svg.replace(sheet.group(0), "", 1)
        svg = re.sub(r"<svg\b", lambda m: "<svg" + inherited, svg, count=1)

    def tag(match: re.Match) -> str:
        text = match.group(0)
        style = re.search(r' style="([^"]*)"', text)
        if not style:
            return text
        present = set(re.findall(r" ([\w:-]+)=", text))
        attributes = "".join(f' {name}="{value}"' for name, value in _declarations(style.group(1)) if name not in present)
        return text.replace(style.group(0), attributes, 1)

    return re.sub(r"<[a-zA-Z][^>]*>", tag, svg)


def tidy_svg(svg: str) -> str:
    """Drop what a browser never uses, size the picture in CSS pixels (not points), no inline CSS."""
    svg = re.sub(r"<\?xml[^>]*>\s*<!DOCTYPE[^>]*>\s*", "", svg, flags=re.S)
    svg = re.sub(r"\s*<metadata>.*?</metadata>", "", svg, flags=re.S)
    svg = re.sub(r'(width|height)="([\d.]+)pt"', lambda m: f'{m.group(1)}="{round(float(m.group(2)))}"', svg, count=2)
    svg = re.sub(r'\s*<g id="patch_1">\s*<path d="[^"]*"\s*style="fill: none"/>\s*</g>', "", svg, flags=re.S)
    svg = svg.replace(' xmlns:xlink="http://www.w3.org/1999/xlink"', "") if "xlink:" not in svg.split(">", 1)[1] else svg
    svg = re.sub(r' transform="rotate\(-?0 [^"]*\)"', "", svg)  # text is never rotated
    # One-element groups exist only to carry matplotlib's ids, which nothing uses.
    svg = re.sub(r'<g id="(?:patch|text|line2d)_\d+">\s*(<(?:path|text)\b.*?(?:/>|</text>))\s*</g>', r"\1", svg, flags=re.S)
    # Tenths of a pixel are plenty — in coordinates only, never in the text
    # ("más de 448.000" is a number as Spanish writes it).
    svg = re.sub(r"<[^>]+>", lambda tag: re.sub(r"(\d+\.\d)\d+", r"\1", tag.group()), svg)
    return _style_to_attributes(svg)


class Canvas:
    """Draw on a figure in pixels from its top left, with no Axes.

    Every position comes from charts.layout(), so Axes (their ticks, limits and
    transforms) would only cost time: about half of each drawing.
    """

    def __init__(self, fig, layout: dict):
        from matplotlib.lines import Line2D
        from matplotlib.patches import FancyArrowPatch, Rectangle

        self.fig, self.w, self.h = fig, layout["width"], layout["height"]
        self.transform = fig.transSubfigure
        self._line, self._arrow, self._rect = Line2D, FancyArrowPatch, Rectangle
        self.colors = [c["color"] for c in matplotlib.rcParams["axes.prop_cycle"]]
        self.ink = matplotlib.rcParams["axes.edgecolor"]

    def _xy(self, x, y):
        return x / self.w, 1 - y / self.h

    def text(self, x, y, text, **kw):
        self.fig.text(*self._xy(x, y), text, transform=self.transform, **kw)

    def rect(self, x, y, w, h, **kw):
        self.fig.add_artist(self._rect(self._xy(x, y + h), w / self.w, h / self.h, transform=self.transform, **kw))

    def line(self, xs, ys, **kw):
        points = [self._xy(x, y) for x, y in zip(xs, ys, strict=True)]
        self.fig.add_artist(self._line([p[0] for p in points], [p[1] for p in points], transform=self.transform, **kw))

    def arrow(self, start, end, **kw):
        self.fig.add_artist(self._arrow(self._xy(*start), self._xy(*end), transform=self.transform, **kw))


def _bars(fig, layout: dict, rows: list) -> None:
    """Horizontal bars, a label above each, the value at its end."""
    c = Canvas(fig, layout)
    biggest = max(r["value"] for r in rows)
    # Room on the right for the value label, whose width the browser decides.
    longest_px = layout["width"] / layout["x_room"]
    for row, place in zip(rows, layout["rows"], strict=True):
        color = c.colors[1] if row["is_part"] else c.colors[0]
        bar_px = max(row["value"] / biggest * longest_px, 1.5)
        middle = place["bar_middle"]
        c.text(0, place["label_top"], "\n".join(place["label_lines"]), va="top", ha="left", linespacing=1.15)
        c.rect(0, middle - layout["bar_px"] / 2, bar_px, layout["bar_px"], color=color, linewidth=0)
        c.text(bar_px + 6, middle, row["value_text"], va="center", ha="left", fontweight="bold")


def _columns(fig, layout: dict, rows: list) -> None:
    """Vertical columns with the value on top and a short label below."""
    c = Canvas(fig, layout)
    biggest = max(r["value"] for r in rows)
    slot = layout["width"] / len(rows)
    base = layout["top_px"] + layout["plot_px"]
    for i, row in enumerate(rows):
        height = max(row["value"] / biggest * layout["plot_px"], 1.5)
        middle = slot * (i + 0.5)
        c.rect(middle - slot * 0.31, base - height, slot * 0.62, height, color=c.colors[0], linewidth=0)
        c.text(middle, base - height - 4, row["value_text"], ha="center", va="bottom", fontweight="bold", fontsize=layout["font_px"])
        c.text(middle, base + 6, "\n".join(layout["label_lines"][i]), ha="center", va="top", fontsize=layout["font_px"], linespacing=1.15)
    c.line([0, layout["width"]], [base, base], color=c.ink, linewidth=1)


def _timeline(fig, layout: dict, rows: list) -> None:
    """A vertical line of dated events."""
    c = Canvas(fig, layout)
    x = layout["date_px"] + 8
    ys = [p["y"] for p in layout["rows"]]
    c.line([x, x], [ys[0] + 9, ys[-1] + 9], color=c.colors[0], linewidth=2)
    for place in layout["rows"]:
        y = place["y"]
        c.line([x], [y + 9], marker="o", markersize=9, color=c.colors[1], linestyle="none")
        c.text(x - 14, y, "\n".join(place["date_lines"]), ha="right", va="top", fontsize="small", linespacing=1.25)
        c.text(x + 14, y, "\n".join(place["title_lines"]), ha="left", va="top", fontweight="bold", linespacing=1.25)


def _flow(fig, layout: dict, stages: list) -> None:
    """Boxes joined by arrows, each listing the figures that sit at that stage."""
    c = Canvas(fig, layout)
    pad = layout["pad"]
    width = layout["width"]
    for i, place in enumerate(layout["stages"]):
        top = place["top"]
        c.rect(1, top, width - 2, place["height"], fill=False, edgecolor=c.colors[0], linewidth=1.5)
        y = top + pad
        c.text(pad, y, "\n".join(place["name_lines"]), ha="left", va="top", fontweight="bold", fontsize="large", linespacing=1.2)
        y += 19 * len(place["name_lines"])
        c.text(pad, y, "\n".join(place["text_lines"]), ha="left", va="top", linespacing=1.25)
        y += 19 * len(place["text_lines"]) + 6
        for lines in place["figure_lines"]:
            c.rect(pad, y + 2, 6, 19 * len(lines) - 4, color=c.colors[1], linewidth=0)
            c.text(pad + 14, y, "\n".join(lines), ha="left", va="top", fontweight="bold", linespacing=1.25)
            y += 19 * len(lines) + 4
        if i < len(stages) - 1:
            start = top + place["height"] + 2
            c.arrow((width / 2, start), (width / 2, start + 26), arrowstyle="-|>", mutation_scale=16, color=c.colors[0], linewidth=1.5)


def _claims(fig, layout: dict, rows: list) -> None:
    """Each claimed number (an outline: words, not a count) beside the counts it rests on
    (filled, stacked, each with a key naming its time basis), all on one scale."""
    c = Canvas(fig, layout)
    biggest = max(r["value"] for r in rows)
    longest = layout["width"] - 4
    for row, place in zip(rows, layout["rows"], strict=True):
        basis = row["kind"] == "basis"
        c.text(0, place["label_top"], "\n".join(place["label_lines"]), va="top", ha="left", linespacing=1.15, fontweight="bold" if basis else "normal")
        top, height = place["bar_top"], layout["bar_px"]
        if basis:
            x = 0.0
            for i, segment in enumerate(row["segments"]):
                length = max(segment["value"] / biggest * longest, 1.5)
                color = c.colors[i % len(c.colors)]
                c.rect(x, top, length, height, color=color, linewidth=0)
                x += length
                if i < len(place["keys"]):  # a key for each part of a stack; one figure needs none
                    key = place["keys"][i]
                    c.rect(0, key["top"] + 4, 12, 12, color=color, linewidth=0)
                    c.text(20, key["top"], "\n".join(key["lines"]), va="top", ha="left", fontsize="small", linespacing=1.2)
        else:
            length = max(row["value"] / biggest * longest, 1.5)
            c.rect(1, top + 1, length - 2, height - 2, fill=False, edgecolor=c.ink, linewidth=1.5, linestyle=(0, (4, 2)))


KINDS = {"bars": _bars, "columns": _columns, "timeline": _timeline, "flow": _flow, "claims": _claims}


def dark_colors(style_dir: Path) -> dict:
    """Light colour -> dark colour, from the two house style sheets."""
    # Cached by the sheets' sizes and times: an edited sheet is read again, even in the same process.
    sheets = [style_dir / "house.mplstyle", style_dir / "house-dark.mplstyle"]
    return _dark_colors(style_dir, tuple((p.stat().st_size, p.stat().st_mtime_ns) for p in sheets))


@functools.cache
def _dark_colors(style_dir: Path, stamps: tuple) -> dict:
    from matplotlib import rc_params_from_file
    from matplotlib.colors import to_hex

    light = rc_params_from_file(str(style_dir / "house.mplstyle"), use_default_template=False)
    dark = rc_params_from_file(str(style_dir / "house-dark.mplstyle"), use_default_template=False)
    mapping = {}
    for key in dark:
        if key == "axes.prop_cycle":
            # A dark sheet with fewer colours than the light one maps the ones that pair up, as before.
            for a, b in zip(light[key].by_key()["color"], dark[key].by_key()["color"], strict=False):
                mapping[to_hex(a)] = to_hex(b)
        elif key.endswith("color"):
            mapping[to_hex(light[key])] = to_hex(dark[key])
    return mapping


def recolor(svg: str, mapping: dict) -> str:
    """The dark variant is the light drawing with the dark palette: same layout, half the drawing time."""
    return re.sub(r"#[0-9a-f]{6}\b", lambda m: mapping.get(m.group(), m.group()), svg)


def _draw_svg(spec: dict, layout: dict, style_dir: Path) -> str:
    with matplotlib.style.context([str(style_dir / "house.mplstyle")]):
        dpi = matplotlib.rcParams["savefig.dpi"]
        fig = Figure(figsize=(layout["width"] / dpi, layout["height"] / dpi))
        KINDS[spec["kind"]](fig, layout, spec["rows"])
        buffer = io.StringIO()
        fig.savefig(buffer, format="svg", metadata=SVG_METADATA)
    return tidy_svg(buffer.getvalue())


SITE_LINE_PX = 17  # the site's name and short address, in the band above the title


def _draw_social(spec: dict, layout: dict, style_dir: Path, target) -> None:
    """A social card: white, the title, then the figures as bars (or a timeline's events)."""
    with matplotlib.style.context([str(style_dir / "house.mplstyle")]):
        dpi = matplotlib.rcParams["savefig.dpi"]
        fig = Figure(figsize=(layout["width"] / dpi, layout["height"] / dpi))
        c = Canvas(fig, layout)
        pad, title_px, text_px = layout["pad"], layout["title_px"], layout["text_px"]
        c.text(pad, layout["foot_top"], layout["source_line"], va="top", ha="left", fontsize=layout["foot_px"], color=c.colors[0])
        c.rect(0, 0, layout["width"], 10, color=c.colors[1], linewidth=0)
        if layout.get("site_line"):  # whose card it is, and where to find it: it travels without its page
            c.text(pad, 18, layout["site_line"], va="top", ha="left", fontsize=SITE_LINE_PX, color="#444444")
        c.text(pad, layout["title_top"], "\n".join(layout["title_lines"]), va="top", ha="left", fontsize=title_px, fontweight="bold", linespacing=1.1)
        biggest = max((b["value"] for b in layout["bars"]), default=1)
        left = pad + layout.get("bar_left", 0)
        for bar in layout["bars"]:
            length = max(bar["value"] / biggest * layout["longest_px"], 3)
            middle = bar["bar_middle"]
            if layout["labels_beside"]:
                c.text(pad, middle, bar["label_lines"][0], va="center", ha="left", fontsize=text_px)
            else:
                c.text(pad, bar["label_top"], "\n".join(bar["label_lines"]), va="top", ha="left", fontsize=text_px, linespacing=1.1)
            c.rect(left, middle - layout["bar_px"] / 2, length, layout["bar_px"], color=c.colors[1] if bar["is_part"] else c.colors[0], linewidth=0)
            c.text(left + length + 12, middle, bar["value_text"], va="center", ha="left", fontsize=text_px, fontweight="bold")
        for event in layout["events"]:
            c.text(pad, event["top"], event["date"], va="top", ha="left", fontsize=text_px, fontweight="bold", color=c.colors[1])
            c.text(pad, event["title_top"], "\n".join(event["title_lines"]), va="top", ha="left", fontsize=text_px, linespacing=1.15)
        fig.set_facecolor("white")
        canvas = FigureCanvasAgg(fig)
        canvas.draw()
    # Opaque, so RGB (a quarter less to compress than RGBA); fast zlib level: a card
    # is fetched once per share but drawn on every change. Pillow adds no metadata.
    from PIL import Image

    Image.frombuffer("RGBA", canvas.get_width_height(), canvas.buffer_rgba()).convert("RGB").save(target, format="PNG", compress_level=1)


def _write_atomic(path: Path, data) -> None:
    """Write beside, then rename: a reader (or a crash) never sees half a file."""
    scratch = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    if isinstance(data, str):
        scratch.write_text(data, encoding="utf-8")
    else:
        scratch.write_bytes(data)
    os.replace(scratch, path)


def _draw_download(spec: dict, style_dir: Path) -> tuple[str, bytes]:
    """The stable download (charts.download_spec): SVG and a 2× PNG, light, on white.

    Title, caption, the chart, then its sources, licence and address: drawn into the file,
    and also given as the SVG's <title>/<desc> and the PNG's text chunks, so the file says
    where it came from when it travels alone.
    """
    from html import escape

    from matplotlib.gridspec import GridSpec
    from PIL import PngImagePlugin

    lay, body = spec["layout"], spec["body"]
    with matplotlib.style.context([str(style_dir / "house.mplstyle")]):
        dpi = matplotlib.rcParams["savefig.dpi"]
        fig = Figure(figsize=(lay["width"] / dpi, lay["height"] / dpi))
        fig.set_facecolor("white")
        c = Canvas(fig, lay)
        pad = lay["pad"]
        c.text(pad, lay["title_top"], "\n".join(lay["title_lines"]), va="top", ha="left", fontsize=lay["title_px"], fontweight="bold", linespacing=1.25)
        c.text(pad, lay["caption_top"], "\n".join(lay["caption_lines"]), va="top", ha="left", fontsize=lay["text_px"], linespacing=1.35)
        c.text(pad, lay["foot_top"], "\n".join(lay["foot_lines"]), va="top", ha="left", fontsize=lay["foot_px"], linespacing=1.35, color=c.colors[0])
        # The chart itself, as on the page, in a subfigure placed where the layout put it.
        rest_w, rest_h = lay["width"] - pad - body["width"], lay["height"] - lay["body_top"] - body["height"]
        grid = GridSpec(3, 3, figure=fig, width_ratios=[pad, body["width"], rest_w], height_ratios=[lay["body_top"], body["height"], rest_h],
                        wspace=0, hspace=0, left=0, right=1, top=1, bottom=0)
        KINDS[spec["kind"]](fig.add_subfigure(grid[1, 1], facecolor="none"), body, spec["rows"])
        buffer = io.StringIO()
        fig.savefig(buffer, format="svg", metadata=SVG_METADATA, facecolor="white", transparent=False)
        svg = tidy_svg(buffer.getvalue())
        about = f"{spec['caption']} {spec['source_line']}. {spec['credit']}"
        svg = re.sub(r"(<svg\b[^>]*>)", lambda m: f"{m.group(1)}\n <title>{escape(spec['title'])}</title>\n <desc>{escape(about)}</desc>", svg, count=1)
        fig.set_dpi(dpi * 2)  # charts.PNG_SCALE: slides want more pixels than a page
        canvas = FigureCanvasAgg(fig)
        canvas.draw()
    from PIL import Image

    info = PngImagePlugin.PngInfo()
    for key, value in (("Title", spec["title"]), ("Description", spec["caption"]), ("Source", spec["source_line"]), ("Copyright", spec["credit"])):
        info.add_itxt(key, value)  # iTXt: UTF-8, for "más de" and the dashes
    # Fast zlib level, as the social card: drawn on every change of the chart, fetched rarely.
    png = io.BytesIO()
    Image.frombuffer("RGBA", canvas.get_width_height(), canvas.buffer_rgba()).convert("RGB").save(png, format="PNG", pnginfo=info, compress_level=1)
    return svg, png.getvalue()


def draw_into(spec: dict, folder: Path, style_dir: Path, what: str) -> None:
    """Draw the page variants ("svg": light and dark, wide and narrow), the social card or the download."""
    if what == "download":
        svg, png = _draw_download(spec, style_dir)
        _write_atomic(folder / f"{spec['stem']}.svg", svg)
        _write_atomic(folder / f"{spec['stem']}.png", png)
        return
    if what == "social":
        buffer = io.BytesIO()
        _draw_social(spec, spec["layouts"]["social"], style_dir, buffer)
        _write_atomic(folder / "social.png", buffer.getvalue())
        return
    to_dark = dark_colors(style_dir)
    # The variants are the spec's page layouts (charts.VARIANTS): each dark one is its light twin recoloured.
    variants = [name for name in spec["layouts"] if name != "social"]
    light = {name.removeprefix("light-"): _draw_svg(spec, spec["layouts"][name], style_dir) for name in variants if name.startswith("light-")}
    for name in variants:
        scheme, size = name.split("-", 1)
        _write_atomic(folder / f"{name}.svg", light[size] if scheme == "light" else recolor(light[size], to_dark))


def warm() -> None:
    """Load fonts and renderers once, while the build is busy elsewhere: the first real
    drawing is then as fast as the rest."""
    fig = Figure(figsize=(2, 1))
    fig.text(0.1, 0.5, "0 more than", fontweight="bold")
    fig.text(0.1, 0.2, "0 more than")
    fig.savefig(io.StringIO(), format="svg")
    fig.savefig(io.BytesIO(), format="png")

