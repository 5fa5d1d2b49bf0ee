"""Which files a build may read: regular files inside the project, never an editor's scratch files.

One walk over the source folders serves two purposes: the build's no-op
fingerprint (names, sizes, mtimes) and its safety check. Pelican follows
symbolic links when it reads pages and copies static files, so a link to a
system file would be published; a link that leads nowhere, a named pipe or a
device would crash or hang the build. Each stops the build with
`path: what — how` instead. Editors' own files (Emacs locks and backups, Vim
swap files, macOS's .DS_Store) are skipped everywhere: Pelican's
IGNORE_FILES, the fingerprint and the devserver's watcher all use
`EDITOR_FILES`.

Standard library only: the no-op build imports this and nothing else.
"""

from __future__ import annotations

import fnmatch
import os
import stat
from pathlib import Path

# Emacs: `.#page.md` (a lock: a symlink to nowhere while a buffer has unsaved
# changes), `#page.md#` (auto-save), `page.md~` (backup). Vim: `.page.md.swp`
# (and .swo, .swx…), and `4913`, the file it creates to test a folder. macOS:
# `.DS_Store` and `._page.md` (resource forks on foreign disks).
EDITOR_FILES = (".#*", "#*#", "*~", ".*.sw?", "4913", ".DS_Store", "._*")

# What is checked in each folder the fingerprint covers. content/ and theme/
# reach the site: everything. data/ is read by data.py, which reports a link to
# nowhere itself; a link out of the project or a pipe (which would hang it) is
# refused here. The plugin's code is only fingerprinted.
CHECKS = {"content": "all", "theme": "all", "data": "outside", "plugins": None}

KINDS = {stat.S_IFIFO: "a named pipe (FIFO)", stat.S_IFCHR: "a device", stat.S_IFBLK: "a device", stat.S_IFSOCK: "a socket"}


def is_editor_file(name: str) -> bool:
    """An editor's lock, backup or swap file (a base name), never read by the build."""
    return any(fnmatch.fnmatchcase(name, pattern) for pattern in EDITOR_FILES)


def pages(content: Path) -> list[Path]:
    """The Markdown pages under content/, in order: what an editor wrote, not their tools' lock files."""
    return sorted(p for p in content.rglob("*.md") if not is_editor_file(p.name))


def _inside(path: str, root: str) -> bool:
    return path == root or path.startswith(root + os.sep)


def scan(root: Path, folders=("content", "theme", "data")) -> tuple[list[str], list[tuple[str, str, str]]]:
    """Every file under `folders` of `root` (editor files skipped), and the problems found.

    Returns (stamps, problems): one `path\\0size\\0mtime` line per entry, for the
    fingerprint, and (path, what, how) for each entry the build must refuse.
    """
    root_str = str(root)
    real_root = os.path.realpath(root)
    stamps: list[str] = []
    problems: list[tuple[str, str, str]] = []

    def shown(path: str) -> str:
        return os.path.relpath(path, root_str)

    def check(path: str, checks: str | None):
        """The stat of what `path` names, or None (and a problem, per `checks`) when it must not be read."""
        try:
            st = os.lstat(path)
        except OSError:
            return None  # deleted while we walked
        if stat.S_ISLNK(st.st_mode):
            target = os.path.realpath(path)
            if not os.path.exists(target):
                if checks == "all":
                    problems.append((shown(path), f"this is a link to `{os.readlink(path)}`, which does not exist", "delete the link, or put back the file it names"))
                return None
            if not _inside(target, real_root):
                if checks:
                    problems.append((
                        shown(path),
                        f"this is a link to `{target}`, outside the project; the build publishes only files inside it",
                        "copy the file into the project instead of linking to it, or delete the link",
                    ))
                return None
            st = os.stat(path)
        kind = KINDS.get(stat.S_IFMT(st.st_mode))
        if kind:
            if checks:
                problems.append((shown(path), f"this is {kind}, not a regular file", "delete it; the build reads only regular files"))
            return None
        if checks == "all" and stat.S_ISREG(st.st_mode) and st.st_nlink > 1:
            # A hard link is the very file it links to, wherever that is (/etc/passwd, say).
            problems.append((
                shown(path),
                f"this file is also elsewhere under {st.st_nlink - 1} other name(s) (a hard link), maybe outside the project",
                "replace it with a copy of its own (cp --remove-destination SOURCE this-file), or delete it",
            ))
            return None
        return st

    for folder in folders:
        checks = CHECKS.get(folder, "all")
        top = os.path.join(root_str, folder)
        if not os.path.lexists(top) or (os.path.islink(top) and check(top, checks) is None):
            continue
        seen: set[str] = set()
        for dirpath, dirs, names in os.walk(top, followlinks=True):
            real = os.path.realpath(dirpath)
            if real in seen:  # a link back up the tree: walk it once
                dirs[:] = []
                continue
            seen.add(real)
            keep = []
            for name in sorted(dirs):
                path = os.path.join(dirpath, name)
                if name == "__pycache__" or is_editor_file(name):
                    continue
                if os.path.islink(path) and check(path, checks) is None:
                    stamps.append(f"{path}\0!")
                    continue
                keep.append(name)
            dirs[:] = keep
            for name in sorted(names):
                if is_editor_file(name):
                    continue
                path = os.path.join(dirpath, name)
                st = check(path, checks)
                if st is None:
                    # Still in the fingerprint, so that adding or removing it triggers a build.
                    stamps.append(f"{path}\0!")
                else:
                    stamps.append(f"{path}\0{st.st_size}\0{st.st_mtime_ns}")
    return stamps, problems


def tree_entries(folder: Path):
    """Every entry under `folder` that is not a folder (files, links), as os.scandir gives them."""
    stack = [str(folder)]
    while stack:
        with os.scandir(stack.pop()) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    stack.append(entry.path)
                else:
                    yield entry


def tree_stamps(folder: Path) -> list[str]:
    """Name, size and mtime of every file under `folder`: cheap, and changes with any edit or deletion."""
    found = []
    for entry in tree_entries(folder):
        st = entry.stat(follow_symlinks=False)
        found.append(f"{entry.path}\0{st.st_size}\0{st.st_mtime_ns}")
    return sorted(found)
