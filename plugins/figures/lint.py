"""Checks that run on every build beyond the data's own schema.

- References inside data text (chart titles, captions, alt text) must name
  known figures.
- No figure may be typed into content/ or theme/: a numeral equal to a
  figure's value (or its formatted form) must be a {{ reference }} instead,
  or one edit to data/ would leave a stale copy behind.
"""

from __future__ import annotations

import re
from pathlib import Path

from . import formatting, references
from .errors import EditorError

CHART_TEXT_FIELDS = ("title", "caption", "alt")

# Values below this are too common as ordinary numbers (dates, list items) to police.
SMALLEST_POLICED_VALUE = 10

# 32,000 (English), 32.000 (Spanish) or 32000; not part of a longer word, path or decimal.
NUMERAL_RE = re.compile(r"(?<![\w.,\-/#])\d{1,3}(?:[,.]\d{3})+(?![\w,\-/]|[.,]\d)|(?<![\w.,\-/#])\d+(?![\w,\-/]|[.,]\d)")


def check_data_texts(data) -> list[EditorError]:
    """References inside data text: chart titles, captions, alt text, stages; timeline events."""
    errors = []

    def check(record, key, display, owner):
        for match in references.REFERENCE_RE.finditer(record[key]):
            found = references.problem(match, data, allow_charts=False)
            if found:
                # Folded text (`>-`) runs over several lines: name the one with the reference.
                line = data.line_of(display, record.key_lines[key], match.group(0))
                errors.append(EditorError(display, line, f"in the {key} of {owner}, {found[0]}", found[1]))

    for chart_id, chart in data.charts.items():
        display, _ = data.where[("chart", chart_id)]
        for key in CHART_TEXT_FIELDS:
            check(chart, key, display, f"chart {chart_id}")
        for stage in chart.get("stages", []):
            check(stage, "text", display, f"chart {chart_id}")
    for event_id, event in data.events.items():
        display, _ = data.where[("event", event_id)]
        for key in ("title", "text"):
            check(event, key, display, f"event {event_id}")
    return errors


def typed_figures(paths: list[Path], data, display) -> list[EditorError]:
    """Every numeral in these files that equals a figure's value."""
    values = {}
    for fid, figure in data.figures.items():
        if figure["value"] >= SMALLEST_POLICED_VALUE:
            values.setdefault(figure["value"], fid)
    errors = []
    for path in paths:
        text = path.read_text(encoding="utf-8", errors="replace")
        for number, line in enumerate(text.splitlines(), start=1):
            for match in NUMERAL_RE.finditer(line):
                value = int(match.group().replace(",", "").replace(".", ""))
                fid = values.get(value)
                if fid is not None:
                    errors.append(
                        EditorError(
                            display(path),
                            number,
                            f"the number {match.group()} is typed in; it is the figure {fid} ({formatting.with_qualifier(data.figures[fid])})",
                            f"write {{{{ {fid} }}}} (or {{{{ {fid}.number }}}}) so it follows data/figures.yaml",
                        )
                    )
    return errors
