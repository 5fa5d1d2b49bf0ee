"""Draw one chart with matplotlib, in every variant a page needs.

This is the only module that imports matplotlib, and charts.py imports it
only when a chart is missing from the cache: a rebuild that changes no chart
never pays matplotlib's import time.
"""

from __future__ import annotations

import io
import os
import re
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # a style sheet cannot set the backend
import matplotlib.pyplot as plt  # noqa: E402

# Byte-identical output: no dates, no version strings.
SVG_METADATA = {"Date": None, "Creator": None}
PNG_METADATA = {"Software": None}


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
    return _style_to_attributes(svg)


def _bars(ax, layout: dict, rows: list) -> None:
    """Horizontal bars, a label above each, the value at its end.

    The y axis is in pixels from the top, laid out by charts.layout(), so the
    page knows each picture's size without drawing it.
    """
    colors = [c["color"] for c in plt.rcParams["axes.prop_cycle"]]
    biggest = max(r["value"] for r in rows)
    for row, place in zip(rows, layout["rows"]):
        color = colors[1] if row["is_part"] else colors[0]
        ax.text(0, place["label_top"], "\n".join(place["label_lines"]), va="top", ha="left", linespacing=1.15)
        ax.barh(place["bar_middle"], row["value"], height=layout["bar_px"], color=color, left=0)
        ax.text(row["value"] + biggest * 0.02, place["bar_middle"], row["value_text"], va="center", ha="left", fontweight="bold")
    # Room on the right for the value label, whose width the browser decides.
    ax.set_xlim(0, biggest * layout["x_room"])
    ax.set_ylim(layout["height"], 0)
    ax.set_axis_off()


KINDS = {"bars": _bars}


def draw(spec: dict, out_dir: Path, style_dir: Path) -> None:
    """Write every variant of one chart into out_dir (which must exist)."""
    for name, layout in spec["layouts"].items():
        styles = ["house", "house-dark"] if name.startswith("dark") else ["house"]
        with plt.style.context([str(style_dir / f"{s}.mplstyle") for s in styles]):
            dpi = plt.rcParams["savefig.dpi"]
            if name == "social":
                # A social card is 1200 x 630 px with the title on it.
                fig = plt.figure(figsize=(1200 / dpi, 630 / dpi))
                fig.text(0.04, 0.93, spec["title"], fontsize=32, fontweight="bold", va="top", ha="left", wrap=True)
                ax = fig.add_axes((0.04, 0.06, 0.92, 0.72))
                with plt.rc_context({"font.size": 24}):
                    KINDS[spec["kind"]](ax, layout, spec["rows"])
                fig.savefig(out_dir / "social.png", format="png", metadata=PNG_METADATA, facecolor="white", transparent=False)
            else:
                fig = plt.figure(figsize=(layout["width"] / dpi, layout["height"] / dpi))
                ax = fig.add_axes((0, 0, 1, 1))
                KINDS[spec["kind"]](ax, layout, spec["rows"])
                buffer = io.StringIO()
                fig.savefig(buffer, format="svg", metadata=SVG_METADATA)
                (out_dir / f"{name}.svg").write_text(tidy_svg(buffer.getvalue()), encoding="utf-8")
            plt.close(fig)


def draw_job(args) -> str:
    """Entry point for a worker process: (spec, out_dir, style_dir)."""
    spec, out_dir, style_dir = args
    os.makedirs(out_dir, exist_ok=True)
    draw(spec, Path(out_dir), Path(style_dir))
    return spec["id"]
