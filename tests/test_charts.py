"""Charts: the social card's layout and picture, and the drawing processes (charts.py, drawing.py, pool.py)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from conftest import REPO, terminal_ctrl_c

from plugins.figures import charts, formatting, translations
from plugins.figures.data import load

STYLE = REPO / "theme" / "charts"


def editions():
    data = load(REPO / "data")
    spanish = translations.localize(data, translations.load(REPO / "data" / "es.yaml", "data/es.yaml", data), "data/es.yaml")
    return {"en": data, "es": spanish}


def all_specs():
    return [(locale, cid, charts.resolve(chart, data, formatting.edition(locale, ""))) for locale, data in editions().items() for cid, chart in data.charts.items()]


@pytest.mark.parametrize("locale,chart_id,spec", all_specs(), ids=lambda v: v if isinstance(v, str) else "")
def test_social_card_fits_below_its_title_and_keeps_every_figure(locale, chart_id, spec):
    card = spec["layouts"]["social"]
    title_bottom = card["pad"] + round(card["title_px"] * 1.2) * len(card["title_lines"])
    rows = card["bars"] or card["events"]
    assert rows, chart_id
    tops = [r["label_top"] if "label_top" in r else r["top"] for r in rows]
    assert min(tops) >= title_bottom, "the figures would run into the title"
    line_px = card["text_px"] * 1.3
    bottoms = [b["bar_middle"] + card["bar_px"] / 2 for b in card["bars"]] + [e["top"] + line_px * (1 + len(e["title_lines"])) for e in card["events"]]
    assert max(bottoms) <= card["foot_top"], "the last figure runs into the source line or off the card"
    assert "OIG-24-46" in card["source_line"], "the card does not name its source"
    if spec["kind"] == "timeline":
        assert card["events"][0]["date"] == spec["rows"][0]["date_text"]
        assert card["events"][-1]["date"] == spec["rows"][-1]["date_text"]
    else:
        shown = [b["value_text"] for b in card["bars"]]
        figures = [f for st in spec["rows"] for f in st["figures"]] if spec["kind"] == "flow" else spec["rows"]
        assert shown == [f["value_text"] for f in figures], "a figure was left off the card"
        for bar, figure in zip(card["bars"], figures, strict=True):
            assert figure["period"].lower() in " ".join(bar["label_lines"]).lower(), "a figure without its period"


@pytest.mark.parametrize("locale,chart_id,spec", all_specs(), ids=lambda v: v if isinstance(v, str) else "")
def test_social_card_alt_says_what_the_card_shows(locale, chart_id, spec):
    data = editions()[locale]
    alt = charts.social_alt(data.charts[chart_id], data, formatting.edition(locale, ""))
    card = spec["layouts"]["social"]
    assert alt.startswith(spec["title"]) and alt.endswith(card["source_line"] + ".")
    for bar in card["bars"]:
        assert f"{bar['label']}: {bar['value_text']}" in alt
    for event in card["events"]:
        assert f"{event['date']}: {event['title']}" in alt
    shown_dates = {e["date"] for e in card["events"]}
    assert not any(r["date_text"] in alt for r in spec["rows"] if spec["kind"] == "timeline" and r["date_text"] not in shown_dates), "describes events the card leaves off"


def test_a_long_timeline_card_keeps_its_first_and_last_events():
    rows = [{"date_text": f"Day {i}", "title": f"Event {i}, which needs a long explanation that wraps onto a second line of the card"} for i in range(9)]
    card = charts._layout_social("timeline", "A title long enough to wrap onto a second line of the card", rows)
    dates = [e["date"] for e in card["events"]]
    assert dates[0] == "Day 0" and dates[-1] == "Day 8" and len(dates) >= 2
    last = card["events"][-1]
    assert last["top"] + card["text_px"] * 1.3 * (1 + len(last["title_lines"])) <= card["foot_top"]
    assert len(rows) == 9, "the chart's own rows were changed"


def test_social_card_is_1200_by_630_with_a_clear_band_under_the_title(tmp_path):
    """Drawn for real: nothing is painted between the title and the first figure."""
    from PIL import Image

    from plugins.figures import drawing

    spec = charts.resolve(editions()["en"].charts["path_through_custody"], editions()["en"], formatting.edition("en", ""))
    drawing.draw_into(spec, tmp_path, STYLE, "social")
    image = Image.open(tmp_path / "social.png").convert("L")
    assert image.size == charts.SOCIAL_SIZE
    card = spec["layouts"]["social"]
    title_bottom = card["pad"] + round(card["title_px"] * 1.2) * len(card["title_lines"])
    first = card["bars"][0]["label_top"]
    band = image.crop((0, title_bottom + 2, image.width, first - 2))
    assert band.getextrema() == (255, 255), "something is drawn across the gap under the title"
    assert image.crop((0, first, image.width, first + 40)).getextrema()[0] < 100, "the first label is missing"


def _where_am_i():
    return os.getpid(), os.getppid(), "matplotlib.figure" in sys.modules


def _slow_where_am_i():
    import time

    time.sleep(0.3)
    return _where_am_i()


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="one core: nothing to draw in parallel")
def test_drawings_run_in_parallel_in_processes_forked_from_one_server():
    """Each drawing process is forked from the fork server, matplotlib already imported."""
    from plugins.figures import pool

    pool.warm_up()
    try:
        handed = [pool.submit(_slow_where_am_i) for _ in range(2)] + [pool.submit(_where_am_i)]
        answers = [h.result().result(timeout=120) for h in handed]
    finally:
        pool.shut_down()
    pids, parents, loaded = zip(*answers, strict=True)
    assert len(set(pids)) >= 2, "two slow drawings ran one after the other"
    assert len(set(parents)) == 1 and parents[0] != os.getpid(), "not forked from the fork server"
    assert all(loaded)


def test_a_ctrl_c_while_the_fork_server_starts_is_answered_not_lost():
    """The fork server is started with Ctrl-C ignored (its drawing processes inherit that); a Ctrl-C
    in that moment still stops the build."""
    code = (
        "import os, signal\n"
        "from multiprocessing import forkserver\n"
        "from plugins.figures import pool\n"
        "start = forkserver.ensure_running\n"
        "def press_ctrl_c_then_start():\n"
        "    os.kill(os.getpid(), signal.SIGINT)\n"
        "    start()\n"
        "forkserver.ensure_running = press_ctrl_c_then_start\n"
        "try:\n"
        "    pool.warm_up()\n"
        "    print('lost')\n"
        "except KeyboardInterrupt:\n"
        "    print('answered')\n"
        "finally:\n"
        "    pool.shut_down()\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=60,
                            preexec_fn=terminal_ctrl_c)
    assert result.stdout == "answered\n", result.stdout + result.stderr
