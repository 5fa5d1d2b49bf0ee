"""Benchmark the build against a bare Pelican build of the same content (`make bench`).

Every run happens in a fresh process on a temporary copy of the project, the
way an editor's `make html` does. Each case is run several times; we report
the median and its ratio to the floor:

    floor          bare Pelican: same content/, no plugins, default theme
    clean          our build after `make clean` (no output, no cache: every chart drawn)
    no-op          our build again with nothing changed
    edit page      our build after editing one page
    edit figure    our build after editing one figure (its charts redrawn)

Then the devserver loop: from the file write to the reload event the open
pages receive, for a page edit and a figure edit (`--devserver-only` for it alone).

Then the bytes each page costs a reader: HTML + CSS + the images it shows.

Then a synthetic site at 1x, 2x and 4x of (1,000 figures, 200 charts, 100
pages), built clean and then no-op, to show cost growing linearly.

    python scripts/bench.py [--runs 9] [--scale 1,2,4] [--devserver-only]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SKIP = shutil.ignore_patterns(".venv", "output", ".output-*", ".cache", ".git", "__pycache__", "node_modules", "screenshots", "tests", ".pytest_cache")

BARE_SETTINGS = """
PATH = "content"
OUTPUT_PATH = "bare-output"
SITENAME = "bare"
SITEURL = ""
RELATIVE_URLS = True
PAGE_PATHS = ["pages"]
ARTICLE_PATHS = ["updates"]
TIMEZONE = "UTC"
FEED_ALL_ATOM = None
CATEGORY_FEED_ATOM = None
LOAD_CONTENT_CACHE = False
"""


CPU: dict[str, list[float]] = {}  # case -> CPU seconds of the build's own process, per run


def run(cmd: list[str], cwd: Path, env: dict, case: str = "") -> float:
    """Wall time of one fresh process; its CPU time (user + system) goes to CPU[case].

    CPU time is what a shared machine changes least: other people's work stretches the
    wall time, not the CPU time. It counts the build's own process (and what it waited
    for), not the drawing processes, which are forked from a server that outlives it.
    """
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    result = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)
    took = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode != 0:
        sys.exit(f"benchmark step failed: {' '.join(cmd)}\n{result.stdout}\n{result.stderr}")
    if case:
        CPU.setdefault(case, []).append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return took


def make_bare_content(project: Path) -> Path:
    """The same pages without our template names (the default theme has none of them)."""
    bare = project / "bare"
    shutil.copytree(project / "content", bare / "content")
    for page in (bare / "content").rglob("*.md"):
        page.write_text(re.sub(r"(?im)^template:.*\n", "", page.read_text()))
    (bare / "bare.py").write_text(BARE_SETTINGS)
    return bare


def touch_page(project: Path, n: int) -> None:
    page = project / "content" / "pages" / "about-the-data.md"
    # A paragraph, not an HTML comment: pages are Markdown only (pages.py refuses raw HTML).
    page.write_text(page.read_text() + f"\nBench edit {n}.\n")


def edit_figure(project: Path, n: int) -> None:
    """Change the value of one figure (and its quote, as an editor must), differently each time."""
    path = project / "data" / "figures.yaml"
    text = path.read_text()
    value = 32000 + n + 1
    text = re.sub(r"value: 32\d\d\d\n", f"value: {value}\n", text, count=1)
    text = re.sub(r"more than 32,\d\d\d UCs", f"more than {value:,} UCs", text, count=1)
    path.write_text(text)


def page_bytes(output: Path) -> list[tuple[str, int]]:
    """HTML + CSS + images shown (light, wide variant), per page."""
    from html.parser import HTMLParser

    class Refs(HTMLParser):
        def __init__(self):
            super().__init__()
            self.refs = []

        def handle_starttag(self, tag, attrs):
            a = dict(attrs)
            if tag == "link" and a.get("rel") == "stylesheet":
                self.refs.append(a["href"])
            if tag == "img" and a.get("src"):
                self.refs.append(a["src"])

    costs = []
    for page in sorted(output.rglob("*.html")):
        parser = Refs()
        html = page.read_text(encoding="utf-8")
        parser.feed(html)
        total = len(html.encode())
        for ref in parser.refs:
            target = (page.parent / ref).resolve()
            if target.exists():
                total += target.stat().st_size
        costs.append((str(page.relative_to(output)), total))
    return costs


def tag(n: int) -> str:
    """A name in letters (a, b, …, ba): a number in a synthetic text would be a typed figure to the build."""
    letters = ""
    while True:
        n, r = divmod(n, 26)
        letters = "abcdefghijklmnopqrstuvwxyz"[r] + letters
        if n == 0:
            return letters


def make_synthetic(project: Path, scale: int) -> None:
    """Add to the real site, per unit of scale, 1,000 figures, 200 charts and 100 pages."""
    figures_n, charts_n, pages_n = 1000 * scale, 200 * scale, 100 * scale
    data = project / "data"
    lines = []
    for i in range(figures_n):
        lines += [
            f"  - id: figure_{i}",
            f"    value: {1000 + i * 7}",
            "    qualifier: more than",
            "    unit: children",
            "    period: {fiscal_years: [2019, 2023]}",
            f"    label: Synthetic figure {tag(i)}",
            f"    meaning: What synthetic figure {tag(i)} counts.",
            "    sources: [oig_24_46]",
        ]
    figures = data / "figures.yaml"
    figures.write_text(figures.read_text().replace("figures:\n", "figures:\n" + "\n".join(lines) + "\n\n", 1))
    lines = []
    for c in range(charts_n):
        ids = ", ".join(f"figure_{(c * 5 + k) % figures_n}" for k in range(4))
        lines += [
            f"  - id: chart_{c}",
            "    kind: bars",
            f"    figures: [{ids}]",
            f"    title: Synthetic chart {tag(c)}",
            f"    caption: Four figures, the first {{{{ figure_{(c * 5) % figures_n} }}}}.",
            f"    alt: Bars for {{{{ figure_{(c * 5) % figures_n}.label }}}} and three more.",
        ]
    charts = data / "charts.yaml"
    charts.write_text(charts.read_text() + "\n" + "\n".join(lines) + "\n")
    spanish = data / "es.yaml"
    if spanish.exists():
        text = spanish.read_text()
        figs = "".join(
            f"  figure_{i}:\n    label: Cifra sintética {tag(i)}\n    unit: niños\n    meaning: Lo que cuenta la cifra sintética {tag(i)}.\n"
            for i in range(figures_n)
        )
        charts_es = "".join(
            f"  chart_{c}:\n    title: Gráfico sintético {tag(c)}\n    caption: Cuatro cifras.\n    alt: Barras de cuatro cifras.\n"
            for c in range(charts_n)
        )
        text = text.replace("\nfigures:\n", "\nfigures:\n" + figs, 1).replace("\ncharts:\n", "\ncharts:\n" + charts_es, 1)
        spanish.write_text(text)
    pages = project / "content" / "pages"
    for p in range(pages_n):
        body = [f"Title: Synthetic page {tag(p)}", f"Slug: page-{p}", f"Description: Synthetic page {tag(p)} of the benchmark.", ""]
        for k in range(10):
            body.append(f"Paragraph {tag(k)} mentions {{{{ figure_{(p * 10 + k) % figures_n} }}}} and {{{{ figure_{(p * 10 + k + 1) % figures_n}.label }}}}.\n")
        body.append(f"{{{{ chart:chart_{(2 * p) % charts_n} }}}}\n")
        body.append(f"{{{{ chart:chart_{(2 * p + 1) % charts_n} }}}}\n")
        (pages / f"page-{p}.md").write_text("\n".join(body))


def scale_runs(scales: list[int], env: dict) -> None:
    python = sys.executable
    print("Synthetic site (per unit: 1,000 figures, 200 charts, 100 pages), one run each:")
    print(f"  {'size':<6}{'figures':>9}{'charts':>8}{'pages':>7}{'clean s':>9}{'no-op s':>9}{'clean CPU':>11}")
    for scale in scales:
        work = Path(tempfile.mkdtemp(prefix="bench-scale-"))
        try:
            project = work / "project"
            shutil.copytree(ROOT, project, ignore=SKIP)
            make_synthetic(project, scale)
            env2 = {**env, "PYTHONPATH": str(project), "MPLCONFIGDIR": str(project / ".cache" / "matplotlib")}
            build = [python, "-m", "plugins.figures.cli", "build"]
            clean = run(build, project, env2, f"clean {scale}x")
            noop = run(build, project, env2)
            cpu = CPU[f"clean {scale}x"][-1]
            print(f"  {scale}x{'':<4}{1000 * scale:>9,}{200 * scale:>8}{100 * scale:>7}{clean:>9.2f}{noop:>9.3f}{cpu:>11.2f}")
        finally:
            shutil.rmtree(work, ignore_errors=True)


# ---- the devserver loop (issue #17): from the file write to the open pages' reload event ----


def devserver_runs(runs: int, env: dict) -> dict[str, list[float]]:
    """Seconds from writing a file to the devserver's `reload` event, for a page edit and a figure edit.

    The devserver runs on its own copy of the project, as `make devserver` does; the event
    stream is read as an open page reads it (GET /_preview/events). Timed on this side: the
    file write, then the first `event: reload` line that follows.
    """
    import signal
    import socket
    import urllib.request

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    work = Path(tempfile.mkdtemp(prefix="bench-devserver-"))
    times: dict[str, list[float]] = {"edit page": [], "edit figure": []}
    project = work / "project"
    shutil.copytree(ROOT, project, ignore=SKIP)
    env = {**env, "PYTHONPATH": str(project), "MPLCONFIGDIR": str(project / ".cache" / "matplotlib")}
    process = subprocess.Popen(
        [sys.executable, "-u", "-m", "plugins.figures.cli", "devserver", "--port", str(port)],
        cwd=project, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True,
    )
    try:
        for line in process.stdout:  # the first build, then serving
            if f"localhost:{port}/_preview/" in line:  # printed once the watcher is armed
                break
        else:
            sys.exit("benchmark step failed: the devserver did not start")
        threading.Thread(target=lambda: [None for _ in process.stdout], daemon=True).start()  # keep its pipe drained
        # The build a page was served at (the live script's data-generation): events after it only.
        served = urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=60).read().decode()
        since = re.search(r'data-generation="(\d+)"', served).group(1)
        events = urllib.request.urlopen(f"http://127.0.0.1:{port}/_preview/events?since={since}", timeout=120)

        def next_event() -> tuple[str, dict]:
            name = ""
            while True:
                line = events.readline().decode()
                if line.startswith("event: "):
                    name = line.split(" ", 1)[1].strip()
                elif line.startswith("data: ") and name:
                    return name, json.loads(line.removeprefix("data: "))

        for n in range(runs):
            for case, edit in (("edit page", touch_page), ("edit figure", edit_figure)):
                time.sleep(0.5)  # the watcher settles: one write, one build
                started = time.perf_counter()
                edit(project, 100 + n)
                name, news = next_event()
                if name != "reload":
                    sys.exit(f"benchmark step failed: {case} did not build")
                times[case].append(time.perf_counter() - started)
                while news["later"]:  # the downloads and cards no page shows: drawn before the next edit
                    name, news = next_event()
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait()
        shutil.rmtree(work, ignore_errors=True)
    return times


def print_devserver(times: dict[str, list[float]]) -> None:
    print(f"Devserver: from the file write to the pages' reload event, median of {len(times['edit page'])} (seconds):")
    print(f"  {'case':<14}{'median':>8}{'min':>8}{'max':>8}")
    for case, samples in times.items():
        print(f"  {case:<14}{statistics.median(samples):>8.3f}{min(samples):>8.3f}{max(samples):>8.3f}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--scale", default="1,2,4", help="synthetic sizes to build; empty to skip")
    parser.add_argument("--devserver-only", action="store_true", help="only the devserver loop (issue #17)")
    args = parser.parse_args(argv)
    python = sys.executable
    work = Path(tempfile.mkdtemp(prefix="bench-"))
    try:
        project = work / "project"
        shutil.copytree(ROOT, project, ignore=SKIP)
        bare = make_bare_content(project)
        # matplotlib's font list lives in the project's .cache/ (as the Makefile sets it): a clean build rebuilds it.
        env = {**os.environ, "PYTHONPATH": str(project), "MPLCONFIGDIR": str(project / ".cache" / "matplotlib")}
        env.pop("FIGURES_CACHE_PATH", None)
        env.pop("PYTHONDONTWRITEBYTECODE", None)  # as `make` runs builds: compiled modules are kept
        build = [python, "-m", "plugins.figures.cli", "build"]
        if args.devserver_only:
            print_devserver(devserver_runs(args.runs, env))
            return 0
        times: dict[str, list[float]] = {k: [] for k in ("floor", "clean", "no-op", "edit page", "edit figure")}
        for n in range(args.runs):
            shutil.rmtree(bare / "bare-output", ignore_errors=True)
            times["floor"].append(run([python, "-m", "pelican", "content", "-s", "bare.py", "-q"], bare, env, "floor"))
            shutil.rmtree(project / "output", ignore_errors=True)
            shutil.rmtree(project / ".cache", ignore_errors=True)  # as `make clean` does
            times["clean"].append(run(build, project, env, "clean"))
            times["no-op"].append(run(build, project, env, "no-op"))
            touch_page(project, n)
            times["edit page"].append(run(build, project, env, "edit page"))
            edit_figure(project, n)
            times["edit figure"].append(run(build, project, env, "edit figure"))
        floor = statistics.median(times["floor"])
        print(f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()}")
        # Others' work on a shared machine stretches wall times: say how busy it was.
        print("Load average (1, 5, 15 min) at the end of these runs: " + ", ".join(f"{x:.1f}" for x in os.getloadavg()))
        print(f"Median of {args.runs} runs, each a fresh process (wall time, seconds):")
        print(f"  {'case':<14}{'median':>8}{'min':>8}{'max':>8}{'× floor':>9}{'CPU s':>8}{'× floor':>9}")
        cpu_floor = statistics.median(CPU["floor"])
        for case, samples in times.items():
            med, cpu = statistics.median(samples), statistics.median(CPU[case])
            print(f"  {case:<14}{med:>8.3f}{min(samples):>8.3f}{max(samples):>8.3f}{med / floor:>8.2f}×{cpu:>8.3f}{cpu / cpu_floor:>8.2f}×")
        print("  (CPU s: user + system time of the build's own process, median; drawing processes not included)")
        print_devserver(devserver_runs(args.runs, env))
        print("Bytes per page (HTML + CSS + images shown):")
        for name, size in page_bytes(project / "output"):
            print(f"  {name:<40}{size / 1024:>8.1f} KB")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if args.scale:
        scale_runs([int(x) for x in args.scale.split(",")], env)
    return 0


if __name__ == "__main__":
    sys.exit(main())
