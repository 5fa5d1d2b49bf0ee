"""The theme's static files: CSS under a content-hashed name, and the favicon.

A hashed name lets hosts cache the stylesheet forever; a changed stylesheet
gets a new name, so no reader sees a stale one.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path


def css_name(theme: Path) -> str:
    css = (theme / "static" / "site.css").read_bytes()
    return f"theme/site.{hashlib.sha256(css).hexdigest()[:10]}.css"


def write(theme: Path, output: Path) -> None:
    target = output / css_name(theme)
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(theme / "static" / "site.css", target)
    shutil.copyfile(theme / "static" / "favicon.svg", output / "favicon.svg")
