"""Where a build's files land: written in memory, placed beside the site, swapped in.

Pelican and the plugin write a whole new site on every build (a few hundred files in
sixty-odd folders). On the disks we build on, making a new file or folder costs 0.1 to
0.9 ms, in memory (tmpfs) ~0.03 ms, and a hard link ~0.02 ms: writing the site straight
to disk was a third of a page edit's build. So the build writes into a folder in memory
(`scratch`), and `land` makes the folder beside the site hold exactly those files, each
one the last site holds with the same bytes being a link to it (after a page edit, all
but a handful). That folder is the site before last, kept for the purpose (`-spare`):
its folders exist already, and a file it shares with the live site stays as it is.
`swap_in` then replaces the site in renames, so it is never half-written; the replaced
site becomes the next spare.

Nothing writes into a built file in place: a file that changes is unlinked and written
anew, so a link shared with the live site (or the spare) is never changed under it.
Without a writable tmpfs the build writes into a fresh folder beside the site, as before.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
import tempfile
from pathlib import Path

from .files import tree_entries

MEMORY = Path("/dev/shm")  # tmpfs on Linux; elsewhere (or not writable) the build writes beside the site
MEMORY_NEEDED = 256 * 2**20  # free in the tmpfs, at least (and four times the last site)


def _memory_prefix(target: Path) -> str:
    """Scratch folders in memory are named for the site they build: leftovers are found by it."""
    return f"figures-{hashlib.sha256(str(target.resolve()).encode()).hexdigest()[:12]}-"


def _spare(target: Path) -> Path:
    return target.parent / f".{target.name}-spare"


def folders(target: Path) -> tuple[Path | None, Path]:
    """(the folder the build writes into, in memory or None; the folder beside the site it lands in).

    The landing folder is made (or taken) first: a site whose folder cannot be written
    is refused before any work, naming that folder.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    memory = None
    if MEMORY.is_dir() and os.access(MEMORY, os.W_OK | os.X_OK) and _room_in_memory(target):
        try:
            memory = Path(tempfile.mkdtemp(prefix=_memory_prefix(target), dir=MEMORY))
        except OSError:  # a full or read-only tmpfs: build beside the site, as without one
            memory = None
    spare = _spare(target)
    if memory is not None and spare.is_dir() and os.access(spare, os.W_OK | os.X_OK):
        return memory, spare
    try:
        return memory, Path(tempfile.mkdtemp(prefix=f".{target.name}-building-", dir=target.parent))
    except OSError as exc:  # name the folder, not the scratch folder that could not be made
        if memory is not None:
            shutil.rmtree(memory, ignore_errors=True)
        raise OSError(exc.errno, exc.strerror, str(target.parent)) from None


def _room_in_memory(target: Path) -> bool:
    """Whether the tmpfs has room for a new site: a small one (a container's 64 MB) is left alone."""
    try:
        st = os.statvfs(MEMORY)
    except OSError:
        return False
    files = tree_entries(target) if target.is_dir() else ()
    size = sum(entry.stat().st_size for entry in files if entry.is_file(follow_symlinks=False))
    return st.f_bavail * st.f_frsize >= max(MEMORY_NEEDED, 4 * size)


def land(built: Path, into: Path, previous: Path) -> None:
    """Make `into` hold exactly the files of `built`: each one `previous` holds with the same bytes as a link to it."""
    wanted: dict[str, set[str]] = {}  # folder (relative) -> names in it
    for folder, dirs, names in os.walk(built):
        rel = os.path.relpath(folder, built)
        wanted[rel] = set(dirs) | set(names)
        here = str(into) if rel == "." else os.path.join(into, rel)
        if rel != ".":
            if os.path.islink(here) or (os.path.lexists(here) and not os.path.isdir(here)):
                os.unlink(here)
            if not os.path.isdir(here):
                os.mkdir(here)
        old_folder = os.path.join(previous, rel)
        for name in names:
            _place(os.path.join(folder, name), os.path.join(here, name), os.path.join(old_folder, name))
    # What the spare holds that the new site does not: gone, deepest first.
    for folder, dirs, names in os.walk(into, topdown=False):
        keep = wanted.get(os.path.relpath(folder, into))
        for name in (*names, *dirs):
            if keep is None or name not in keep:
                path = os.path.join(folder, name)
                if os.path.isdir(path) and not os.path.islink(path):
                    os.rmdir(path)  # its contents went first (bottom-up)
                else:
                    os.unlink(path)


def _lstat(path: str):
    try:
        return os.lstat(path)
    except OSError:
        return None


def _place(source: str, target: str, old: str) -> None:
    with open(source, "rb") as handle:
        data = handle.read()
    st = _lstat(old)
    same = st is not None and stat.S_ISREG(st.st_mode) and st.st_size == len(data)
    if same:
        with open(old, "rb") as handle:
            same = handle.read() == data
    here = _lstat(target)
    if same and here is not None and (here.st_ino, here.st_dev) == (st.st_ino, st.st_dev):
        return  # the spare already shares this file with the site
    if here is not None:
        if stat.S_ISDIR(here.st_mode):
            shutil.rmtree(target)
        else:
            os.unlink(target)  # never written in place: it may be a link shared with the site
    if same and _link(old, target):
        return
    with open(target, "xb") as handle:
        handle.write(data)


def _link(old: str, target: str) -> bool:
    try:
        os.link(old, target)
    except OSError:  # a file system without hard links: the file is written instead
        return False
    return True


def swap_in(new: Path, target: Path, keep_spare: bool) -> None:
    """Replace target with new in renames, so it is never half-written; the old site becomes the spare (or goes)."""
    old = None
    if target.exists():
        old = target.parent / f".{target.name}-old-{os.getpid()}"
        os.rename(target, old)
    os.rename(new, target)
    os.chmod(target, 0o755)
    if old is not None:
        spare = _spare(target)
        if keep_spare and not spare.exists():
            os.rename(old, spare)
        else:
            shutil.rmtree(old, ignore_errors=True)


def clear_leftovers(target: Path) -> None:
    """What a killed build left beside the site and in memory (the caller holds the build's lock)."""
    olds = sorted(target.parent.glob(f".{target.name}-old-*"), key=lambda p: p.stat().st_mtime)
    if olds and not target.exists():
        # Killed between the renames of the swap: the old site is still whole.
        os.rename(olds.pop(), target)
    for path in [*target.parent.glob(f".{target.name}-building-*"), *olds, *in_memory(target)]:
        shutil.rmtree(path, ignore_errors=True)


def in_memory(target: Path) -> list[Path]:
    """The scratch folders in memory of builds of this site (none once a build has ended)."""
    return list(MEMORY.glob(f"{_memory_prefix(target)}*")) if MEMORY.is_dir() else []


def abandon(folder: Path, target: Path) -> None:
    """The landing folder of a build that failed: a fresh one goes; the spare stays, for the next build."""
    if folder != _spare(target):
        discard(folder)


def discard(path: Path | None) -> None:
    if path is not None:
        shutil.rmtree(path, ignore_errors=True)
