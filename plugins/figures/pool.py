"""The drawing processes: matplotlib imported once, while Pelican loads.

matplotlib takes ~0.4 s to import. `warm_up()` (called by the build before it
imports Pelican) starts a fork server that imports it once; every drawing
process is then forked from that server with matplotlib already loaded, so a
second, third… process costs milliseconds, not another import. Jobs are
handed to the processes by a thread: starting a process waits until the
server is ready, and the build has better things to do meanwhile.

Kept apart from charts.py so that `warm_up` loads only this module and the
standard library.
"""

from __future__ import annotations

import os
from pathlib import Path

# What the fork server imports before it forks any drawing process. matplotlib
# comes first, so that it is preloaded even if the package cannot be found.
PRELOAD = ["matplotlib.figure", "matplotlib.backends.backend_svg", "matplotlib.backends.backend_agg", "PIL.PngImagePlugin", f"{__package__}.preload"]
_STATE: dict = {}


def warm_up() -> None:
    """Start the fork server now (it imports matplotlib); returns at once.

    The build calls this only when data, the chart style or the drawing code
    changed since the last build, i.e. when some chart will probably be redrawn.
    """
    from multiprocessing import forkserver

    _context()
    # The server is a fresh interpreter: tell it where this package lives.
    home = str(Path(__file__).resolve().parents[len(__package__.split("."))])
    saved = os.environ.get("PYTHONPATH")
    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [home, saved]))
    try:
        forkserver.ensure_running()
    finally:
        if saved is None:
            del os.environ["PYTHONPATH"]
        else:
            os.environ["PYTHONPATH"] = saved
    _STATE["server"] = True


def _context():
    import multiprocessing

    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(PRELOAD)
    return context


def submit(fn, *args):
    """Queue a drawing without waiting; `.result().result()` waits for it."""
    if "handover" not in _STATE:
        from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

        if "server" not in _STATE:
            warm_up()  # not started early (the chart stamp said nothing changed, yet a drawing is missing)

        # Processes are started as jobs arrive, up to one per core.
        _STATE["processes"] = ProcessPoolExecutor(max_workers=os.cpu_count() or 1, mp_context=_context(), initializer=_import_drawing)
        _STATE["handover"] = ThreadPoolExecutor(max_workers=1, thread_name_prefix="figures-drawing")
    return _STATE["handover"].submit(_STATE["processes"].submit, fn, *args)


def shut_down() -> None:
    """Stop the drawing processes; drawings not yet started are dropped (a failed build)."""
    for name in ("handover", "processes"):
        if name in _STATE:
            _STATE.pop(name).shutdown(wait=True, cancel_futures=True)
    if _STATE.pop("server", False):
        _stop_server()


def _stop_server() -> None:
    """Stop the fork server at once. Left alone, it would exit only after the build,
    spending ~80 ms tearing down matplotlib and numpy while holding the caller's
    output open; it holds nothing worth saving."""
    import signal
    from multiprocessing import forkserver

    pid = getattr(getattr(forkserver, "_forkserver", None), "_forkserver_pid", None)
    if pid:
        os.kill(pid, signal.SIGKILL)


def _import_drawing():
    import importlib

    importlib.import_module(".preload", __package__)  # already done, unless the server could not


def _draw_in_worker(spec, folder, style_dir, what):
    from . import drawing

    drawing.draw_into(spec, Path(folder), Path(style_dir), what)
    return spec["id"]
