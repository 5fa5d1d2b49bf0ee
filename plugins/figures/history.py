"""A published value never changes silently: git's last commit is the record.

When a figure's `value:` differs from the one in the last committed
data/figures.yaml (`git show HEAD:…`), the figure must carry a `history:` entry
for the value it replaced (its date, why — a correction or a newer count — and
its source); else the build stops at the `value:` line saying what to add.
Without git, or outside a repository, or before the file's first commit, there
is no record to compare with: the build says so (on stdout, a notice, not a
problem) and goes on.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from .errors import EditorError

FILE = "figures.yaml"


def committed_text(data_dir: Path) -> tuple[str | None, str]:
    """(the last committed figures.yaml, "") or (None, why there is none)."""
    try:
        result = subprocess.run(
            # `./` makes the path relative to data_dir, wherever the repository's top is.
            ["git", "-C", str(data_dir), "show", f"HEAD:./{FILE}"],
            capture_output=True, timeout=20, stdin=subprocess.DEVNULL,
        )
    except FileNotFoundError:
        return None, "git is not installed"
    except (OSError, subprocess.TimeoutExpired) as exc:
        return None, f"git could not be run ({type(exc).__name__})"
    if result.returncode != 0:
        err = result.stderr.decode("utf-8", "replace").lower()
        if "not a git repository" in err:
            return None, "the project is not a git repository"
        return None, f"{FILE} has no committed version yet"
    return result.stdout.decode("utf-8", "replace"), ""


def committed_values(text: str, display: str) -> dict[str, int] | None:
    """id -> value in the committed file (None if that file cannot be read: nothing to compare)."""
    import yaml

    from .yamlfile import _Loader

    loader = _Loader(text)
    loader.name = display
    try:
        document = loader.get_single_data()
    except (yaml.YAMLError, EditorError, RecursionError):
        return None
    finally:
        loader.dispose()
    figures = document.get("figures") if isinstance(document, dict) else None
    if not isinstance(figures, list):
        return None
    return {
        f["id"]: f["value"]
        for f in figures
        if isinstance(f, dict) and isinstance(f.get("id"), str) and isinstance(f.get("value"), int) and not isinstance(f.get("value"), bool)
    }


def check(data_dir: Path, data, display: str) -> tuple[list[EditorError], str]:
    """Problems (a changed value without its history entry) and a notice ("" when compared)."""
    text, why = committed_text(data_dir)
    if text is None:
        return [], f"Notice: {display}: {why}, so changed values were not checked against the last commit (figure history)."
    current = Path(data_dir / FILE).read_text(encoding="utf-8")
    if text == current:
        return [], ""
    before = committed_values(text, display)
    if before is None:
        return [], f"Notice: {display}: the last committed version cannot be read, so changed values were not checked against it (figure history)."
    errors = []
    for fid, figure in data.figures.items():
        old = before.get(fid)
        if old is None or old == figure["value"]:
            continue
        if any(entry["value"] == old for entry in figure.get("history", [])):
            continue
        errors.append(EditorError(
            display, figure.key_lines["value"],
            f"the value of {fid} changed from {old} (last committed) to {figure['value']} without a history entry",
            f"add under {fid} `history:` an entry `- value: {old}` with `date:` (the day it was replaced), "
            "`why:` (correction or newer count) and `source:` (where it came from), or restore the value",
        ))
    return errors, ""
