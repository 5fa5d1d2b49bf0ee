"""The plugin's settings: one `FIGURES = {...}` in pelicanconf.py, defaults here, checked at the start of a run.

As Pelican's sitemap plugin does with `SITEMAP`: editors set only what differs from
`DEFAULTS`; publishconf.py overrides keys with `FIGURES = {**FIGURES, "key": value}`.
A mistake stops the build with `pelicanconf.py:LINE: FIGURES["key"]: what — how`.
Pelican's own settings (SITENAME, PATH, THEME…) and the theme's (MAIN_MENU, PUBLISHER…)
stay where Pelican and the templates expect them.
"""

from __future__ import annotations

import difflib
import os
import re
from dataclasses import dataclass
from pathlib import Path

from .errors import EditorError, EditorErrors

# key: (default, the type it must have, what it does). None as a default: computed from
# the project (see `check`). The README's settings table is this one, written out.
SETTINGS = {
    "languages": (None, list, "every edition, the default language first; default: [DEFAULT_LANG]"),
    "root": (None, str, "the project folder; default: the folder above PATH"),
    "data_path": (None, str, "where data/*.yaml are; default: <root>/data"),
    "style_path": (None, str, "the chart style sheets; default: <root>/theme/charts"),
    "cache_path": (None, str, "the chart drawings' cache; default: $FIGURES_CACHE_PATH, else <root>/.cache/charts"),
    "content_security_policy": ("default-src 'self'", str, "the Content-Security-Policy, in each page's <meta> and in _headers"),
    "referrer_policy": ("strict-origin-when-cross-origin", str, "the Referrer-Policy, in each page's <meta> and in _headers"),
    "frame_ancestors": ("'none'", str, "added to the policy in _headers only (a <meta> cannot carry it); '' for none"),
    "embed_frame_ancestors": ("*", str, "who may frame the embed pages (/embed/<id>/), in _headers only; every other page keeps `frame_ancestors`"),
    "http_headers": ({}, dict, "further headers for every file in _headers, {name: value}"),
    "immutable_paths": ([], list, "paths in _headers whose files are cached for `immutable_cache` (hashed names only)"),
    "immutable_cache": ("public, max-age=31536000, immutable", str, "the Cache-Control of `immutable_paths`"),
}
TYPE_WORDS = {list: "a list, e.g. [\"en\"]", str: "text in quotes", dict: "a dict, e.g. {\"Name\": \"value\"}"}


@dataclass(frozen=True)
class Config:
    """The checked settings, defaults filled in, paths absolute."""

    languages: tuple[str, ...]
    root: Path
    data_path: Path
    style_path: Path
    cache_path: Path
    content_security_policy: str
    referrer_policy: str
    frame_ancestors: str
    embed_frame_ancestors: str
    http_headers: dict
    immutable_paths: tuple[str, ...]
    immutable_cache: str

    def as_dict(self) -> dict:
        """For templates: `FIGURES.content_security_policy`."""
        return {name: getattr(self, name) for name in SETTINGS}


def check(settings: dict, settings_file: Path | None = None) -> Config:
    """`settings["FIGURES"]` checked and completed; EditorErrors naming the settings file's line."""
    from . import formatting

    root_guess = Path(settings.get("PATH", ".")).parent
    files = [Path(settings_file)] if settings_file else []
    files += [p for p in (root_guess / "pelicanconf.py",) if p not in files]
    display = _display(files, root_guess)
    given = settings.get("FIGURES", {})
    if not isinstance(given, dict):
        where, line = display("FIGURES")
        raise EditorErrors([EditorError(where, line, f"FIGURES is {type(given).__name__}, not a dict", 'write FIGURES = {"languages": ["en"]} (or delete it to use the defaults)')])
    errors = []
    values = {}
    for key, value in given.items():
        where, line = display(key)
        if key not in SETTINGS:
            near = difflib.get_close_matches(str(key), SETTINGS, n=1)
            how = f"did you mean {near[0]!r}?" if near else f"use one of {', '.join(SETTINGS)}"
            errors.append(EditorError(where, line, f"FIGURES[{key!r}]: no such setting", how + " (plugins/figures/README.md lists them)"))
            continue
        kind = SETTINGS[key][1]
        if kind is str and isinstance(value, Path):
            value = str(value)
        if not isinstance(value, kind) or (kind is list and not all(isinstance(v, str) for v in value)):
            what = {list: "a list of texts", str: "a text", dict: "a dict"}[kind]
            errors.append(EditorError(where, line, f"FIGURES[{key!r}] is {value!r}, not {what}", f"write {TYPE_WORDS[kind]}"))
            continue
        values[key] = value
    default_lang = settings.get("DEFAULT_LANG", "en")
    languages = values.get("languages") or [default_lang]
    if "languages" in values:
        where, line = display("languages")
        unknown = [lang for lang in languages if lang not in formatting.LOCALES]
        if unknown:
            known = ", ".join(map(repr, formatting.LOCALES))
            what = f"FIGURES['languages']: no number and date formats for {', '.join(map(repr, unknown))}"
            errors.append(EditorError(where, line, what, f"use languages the build knows: {known}"))
        elif languages[0] != default_lang:
            errors.append(EditorError(where, line, f"FIGURES['languages'] starts with {languages[0]!r}, but DEFAULT_LANG is {default_lang!r}", f"put {default_lang!r} first"))
    if errors:
        raise EditorErrors(errors)
    root = Path(values.get("root") or root_guess)
    cache = values.get("cache_path") or os.environ.get("FIGURES_CACHE_PATH") or root / ".cache" / "charts"
    return Config(
        languages=tuple(languages),
        root=root,
        data_path=Path(values.get("data_path") or root / "data"),
        style_path=Path(values.get("style_path") or root / "theme" / "charts"),
        cache_path=Path(cache),
        content_security_policy=values.get("content_security_policy", SETTINGS["content_security_policy"][0]),
        referrer_policy=values.get("referrer_policy", SETTINGS["referrer_policy"][0]),
        frame_ancestors=values.get("frame_ancestors", SETTINGS["frame_ancestors"][0]),
        embed_frame_ancestors=values.get("embed_frame_ancestors", SETTINGS["embed_frame_ancestors"][0]),
        http_headers=dict(values.get("http_headers", SETTINGS["http_headers"][0])),
        immutable_paths=tuple(values.get("immutable_paths", SETTINGS["immutable_paths"][0])),
        immutable_cache=values.get("immutable_cache", SETTINGS["immutable_cache"][0]),
    )


def _display(files: list[Path], root: Path):
    """(file, line) of a key of FIGURES, as editors see them: the first settings file that writes it."""

    def where(key: str) -> tuple[str, int | None]:
        pattern = re.compile(r"^FIGURES\s*=" if key == "FIGURES" else rf"""["']{re.escape(str(key))}["']\s*:""")
        for path in files:
            try:
                lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
            except OSError:
                continue
            for number, text in enumerate(lines, start=1):
                if pattern.search(text):
                    return _relative(path, root), number
        return (_relative(files[0], root) if files else "pelicanconf.py"), None

    return where


def _relative(path: Path, root: Path) -> str:
    try:
        return os.path.relpath(path, root)
    except ValueError:
        return str(path)
