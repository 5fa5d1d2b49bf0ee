"""Where the drawing time of a build goes: every drawing job timed, one after another, in one process.

Builds a temporary copy of the project clean (as `make bench` does), then after editing one
figure (`failed_to_appear`, as bench.py's "edit figure"), with each drawing the build asks
for made inline in this process instead of in the drawing processes, and prints its CPU
seconds (`time.process_time()` around `drawing.draw_into`): per kind ("svg": a chart's
four page variants; "social": its card; "download": its stable SVG and 2× PNG) and per
chart. CPU time, because wall time on a shared machine says more about the others' work.
The build's own work is not counted (see `make bench` for it).

    python scripts/drawing_profile.py [--profile 25]

`--profile N` adds cProfile's N most expensive functions inside the drawings of the clean build.
"""

from __future__ import annotations

import argparse
import collections
import concurrent.futures
import cProfile
import io
import os
import pstats
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
import bench  # noqa: E402 — the same project copy and figure edit as `make bench`


def main(argv=None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--profile", type=int, default=0, help="show cProfile's N most expensive functions in the clean build's drawings")
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="drawing-profile-"))
    try:
        project = work / "project"
        shutil.copytree(ROOT, project, ignore=bench.SKIP)
        os.chdir(project)
        os.environ["MPLCONFIGDIR"] = str(project / ".cache" / "matplotlib")
        os.environ.pop("FIGURES_CACHE_PATH", None)  # the copy's own, empty cache: every chart is drawn
        sys.path.insert(0, str(project))
        from plugins.figures import charts, cli, drawing, pool

        drawing.warm()  # as the fork server does before any drawing process is forked
        jobs: list[tuple[str, str, float]] = []
        profiler = cProfile.Profile() if args.profile else None

        def inline(fn, *job):
            """Draw now, in this process, timed; hand back what pool.submit would (a future of a future)."""
            spec, _, _, what = job
            if profiler:
                profiler.enable()
            started = time.process_time()
            fn(*job)
            jobs.append((spec["id"], what, time.process_time() - started))
            if profiler:
                profiler.disable()
            done, handed_over = concurrent.futures.Future(), concurrent.futures.Future()
            done.set_result(spec["id"])
            handed_over.set_result(done)
            return handed_over

        charts.submit = inline
        pool.warm_up = lambda: None  # no fork server: nothing is drawn elsewhere
        for case in ("clean", "edit figure"):
            if case == "edit figure":
                bench.edit_figure(project, 1)
            jobs.clear()
            quiet = io.StringIO()
            stdout, sys.stdout = sys.stdout, quiet
            try:
                status = cli._build("pelicanconf.py", project / "output", project, case == "clean", False)
            finally:
                sys.stdout = stdout
            if status != 0:
                sys.exit(f"the {case} build failed:\n{quiet.getvalue()}")
            report(case, jobs)
            if profiler:
                pstats.Stats(profiler, stream=sys.stdout).sort_stats("tottime").print_stats(args.profile)
                profiler = None  # the clean build's drawings only
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


def report(case: str, jobs: list[tuple[str, str, float]]) -> None:
    kinds: dict = collections.defaultdict(lambda: [0, 0.0])
    per_chart: dict = collections.defaultdict(float)
    for chart_id, what, seconds in jobs:
        kinds[what][0] += 1
        kinds[what][1] += seconds
        per_chart[chart_id, what] += seconds
    total = sum(seconds for _, _, seconds in jobs)
    print(f"{case}: {len(jobs)} drawings, {total:.3f} s of CPU (both editions)")
    for what, (count, seconds) in sorted(kinds.items(), key=lambda item: -item[1][1]):
        print(f"  {what:<10}{count:>4} drawings {seconds:>7.3f} s  {seconds / total:>4.0%}")
    print("  per chart (both editions):")
    for (chart_id, what), seconds in sorted(per_chart.items(), key=lambda item: -item[1])[:12]:
        print(f"    {chart_id:<34}{what:<10}{seconds * 1000:>6.0f} ms")


if __name__ == "__main__":
    sys.exit(main())
