"""The drawing processes: matplotlib imported once, while Pelican loads.

matplotlib takes ~0.4 s to import. `warm_up()` (called by the build before it
imports Pelican) starts a fork server that imports it once; every drawing
process is then forked from that server with matplotlib already loaded, so a
second, third… process costs milliseconds, not another import. Jobs are
handed to the processes by a thread: starting a process waits until the
server is ready, and the build has better things to do meanwhile.

No process outlives its build: the fork server and every drawing process ask
the kernel to kill them when their parent dies (even by kill -9), and they
ignore Ctrl-C, which the build answers for all of them.

Kept apart from charts.py so that `warm_up` loads only this module and the
standard library.
"""

from __future__ import annotations

import os
from pathlib import Path

# What the fork server imports before it forks any drawing process: our preload
# first (it ties the server's life to the build's), then matplotlib, which is so
# preloaded even if the package cannot be found.
PRELOAD = [f"{__package__}.preload", "matplotlib.figure", "matplotlib.backends.backend_svg", "matplotlib.backends.backend_agg", "PIL.PngImagePlugin"]
_STATE: dict = {}
# Set in the devserver's warm worker (worker.py), which imported matplotlib itself: a
# build forked from it forks its drawing processes straight from itself, no server needed.
FORK_FROM_WARM = False


def warm_up() -> None:
    """Start the fork server now (it imports matplotlib); returns at once.

    The build calls this only when data, the chart style or the drawing code
    changed since the last build, i.e. when some chart will probably be redrawn.
    """
    import signal
    import threading
    from multiprocessing import forkserver, resource_tracker

    if FORK_FROM_WARM:
        return
    _context()
    # The server is a fresh interpreter: tell it where this package lives, and
    # which process is its parent (see die_with_parent).
    home = str(Path(__file__).resolve().parents[len(__package__.split("."))])
    saved = {name: os.environ.get(name) for name in ("PYTHONPATH", PARENT)}
    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [home, saved["PYTHONPATH"]]))
    os.environ[PARENT] = str(os.getpid())
    # Started with Ctrl-C ignored, which Python keeps and the drawing processes
    # inherit: a Ctrl-C reaches every process of the build, and only the build
    # itself should answer it (with one line, not a traceback per process). It is
    # blocked meanwhile, not lost: Linux keeps a blocked signal pending even while
    # it is ignored, and the build answers it once its own handler is back. The
    # resource tracker is started first: starting, it unblocks Ctrl-C itself.
    main = threading.current_thread() is threading.main_thread()
    resource_tracker.ensure_running()
    if main:
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
        interrupt = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        forkserver.ensure_running()
    finally:
        if main:
            signal.signal(signal.SIGINT, interrupt)
            signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def _context():
    import multiprocessing

    if FORK_FROM_WARM:
        return multiprocessing.get_context("fork")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(PRELOAD)
    return context


def submit(fn, *args):
    """Queue a drawing without waiting; `.result().result()` waits for it."""
    if "handover" not in _STATE:
        from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

        warm_up()  # at once, if the chart stamp said nothing changed, yet a drawing is missing

        # Processes are started as jobs arrive, up to one per core.
        _STATE["processes"] = ProcessPoolExecutor(max_workers=os.cpu_count() or 1, mp_context=_context(), initializer=_import_drawing)
        _STATE["handover"] = ThreadPoolExecutor(max_workers=1, thread_name_prefix="figures-drawing")
    return _STATE["handover"].submit(_STATE["processes"].submit, fn, *args)


def shut_down() -> None:
    """Stop the drawing processes; drawings not yet started are dropped (a failed build).

    The fork server is left to die with the build (die_with_parent): it holds
    nothing worth saving, and its own teardown of matplotlib would cost ~80 ms.
    """
    for name in ("handover", "processes"):
        if name in _STATE:
            _STATE.pop(name).shutdown(wait=True, cancel_futures=True)


# The pid each process expects as its parent: the build's, for the fork server;
# the fork server's, for the drawing processes forked from it.
PARENT = "FIGURES_BUILD_PID"
SERVER = "FIGURES_FORKSERVER_PID"


def die_with_parent(parent_variable: str) -> None:
    """Have the kernel kill this process as soon as its parent dies, however it dies.

    Linux's prctl(PR_SET_PDEATHSIG), through ctypes. Without it a build killed
    with kill -9 left the fork server and its drawing processes (~230 MB) running
    forever. If the parent is already gone (it died before we got here), go now.
    Elsewhere (no prctl), the fork server still ends when the build's pipe closes.
    """
    import ctypes
    import signal

    try:
        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return
    PR_SET_PDEATHSIG = 1
    prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    expected = os.environ.get(parent_variable)
    if expected and os.getppid() != int(expected):
        os.kill(os.getpid(), signal.SIGKILL)


def let_go_of_output_at_exit() -> None:
    """When the fork server exits (the build has ended), it first lets go of the build's output.

    The server shares the build's stdout and stderr; whoever reads them (a
    terminal pipe, `subprocess.run`, `make bench`) waits until every copy is
    closed. The server usually dies with the build (die_with_parent), but it may
    see the build's end first and exit normally: tearing down matplotlib and
    numpy then takes ~80 ms, which nobody should wait for.
    """
    import atexit

    def let_go():
        null = os.open(os.devnull, os.O_WRONLY)
        for fd in (1, 2):
            os.dup2(null, fd)  # not closed: the teardown's own flushes must not fail

    atexit.register(let_go)  # registered after multiprocessing's: runs before it


def _import_drawing():
    import importlib
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the build answers Ctrl-C (the fork server's are born so)
    die_with_parent(SERVER)  # forked from the fork server: dies with it
    importlib.import_module(".preload", __package__)  # already done, unless the server could not


def _draw_in_worker(spec, folder, style_dir, what):
    from . import drawing

    drawing.draw_into(spec, Path(folder), Path(style_dir), what)
    return spec["id"]
