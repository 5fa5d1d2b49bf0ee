"""The drawing processes: started early, before anything heavy is imported.

Kept apart from charts.py so that starting them (`warm_up`, called by the
build before it imports Pelican) forks a small process: only this module and
the standard library are loaded when the worker begins importing matplotlib.
"""

from __future__ import annotations

import os
from pathlib import Path

# Fewer drawings than this go to one worker: a second would spend longer
# importing matplotlib (~0.4 s) than it saves, and compete with Pelican for a core.
MANY_DRAWINGS = 12
_POOLS: dict = {}


def warm_up() -> None:
    """Start one drawing process now, importing matplotlib, before Pelican is even imported.

    The build calls this only when data, the chart style or the drawing code
    changed since the last build, i.e. when some chart will probably be redrawn:
    matplotlib's import then overlaps with Pelican's work.
    """
    _pool("first").submit(int)  # start the worker (and its import) now


def _pool(name: str, workers: int = 1):
    if name not in _POOLS:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        # fork: workers start at once, without re-importing this process's modules.
        _POOLS[name] = ProcessPoolExecutor(
            max_workers=workers, mp_context=multiprocessing.get_context("fork"), initializer=_import_drawing
        )
    return _POOLS[name]


def _import_drawing():
    from . import drawing  # imports matplotlib once per worker

    drawing.warm()


def _draw_in_worker(spec, folder, style_dir, what):
    from . import drawing

    drawing.draw_into(spec, Path(folder), Path(style_dir), what)
    return spec["id"]
