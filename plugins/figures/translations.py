"""Other languages: data/<lang>.yaml holds the reader-visible text of data/ in that language.

`load()` checks that every text has its translation (and no translation is
stale), pointing at lines; `localize()` returns a copy of the site data with
the texts swapped, so every other module works unchanged in any language.
Values, dates, ids and quotes are never translated: they come from the one
record in data/, so one edit to a figure changes every edition.
"""

from __future__ import annotations

import copy
import dataclasses
from pathlib import Path

from .data import Mapping, Sequence, SiteData
from .errors import EditorError, EditorErrors


@dataclasses.dataclass(frozen=True)
class Section:
    """What a translation file gives for one kind of record: the one table `load()` checks
    and `localize()` applies, so a field cannot be checked and then not shown, or the reverse."""

    records: str  # the SiteData attribute of the English records
    required: tuple[str, ...]  # fields every record's translation gives
    optional: tuple[str, ...] = ()  # fields needed only where the English record has them
    may: tuple[str, ...] = ()  # fields a translation may give but need not
    # Texts holding {{ references }}: the kind of record in SiteData.where, so an error in one
    # points at the translation file's line; None for texts without references.
    where: str | None = None

    @property
    def fields(self) -> tuple[str, ...]:
        return self.required + self.optional + self.may


SECTIONS = {
    "figures": Section("figures", ("label", "unit", "meaning"), ("not_meaning", "verification_note")),
    "derived": Section("derived", ("label", "meaning", "caveat")),
    "charts": Section("charts", ("title", "caption", "alt"), ("stages",), where="chart"),
    "terms": Section("terms", ("term", "definition"), ("plural", "also_called")),
    "events": Section("events", ("title", "text"), where="event"),
    # A source's title is its own (English) title, shown in English and tagged lang="en",
    # unless it is one we wrote, which we translate.
    "sources": Section("sources", ("description",), may=("title",)),
    # words-house: the corrections log's notes (data/corrections.yaml).
    "corrections": Section("corrections", ("text",), where="correction"),
    # claims (data/claims.yaml): each claim's role, venue and our translation of its quote (the
    # speaker only where an agency speaks: its name in Spanish); the confused figures' texts.
    # Verdicts are a list, checked by claims.check_translation and localized by claims.localize.
    "claims": Section("claims", ("role", "venue", "translation"), ("note",), may=("speaker",)),
    "confused": Section("confused", ("label", "meaning")),
}


def _english_has(record, key) -> bool:
    if key == "verification_note":
        return bool(record.get("verification"))
    return key in record


def load(path: Path, display: str, site: SiteData) -> Mapping:
    """Read and check one translation file against the English records."""
    if not path.exists():
        raise EditorErrors([EditorError(display, None, "the translation file is missing", "restore it from the last published version (git checkout)")])
    from .yamlfile import load_yaml

    try:
        doc = load_yaml(path, display)
    except EditorError as exc:
        raise EditorErrors([exc]) from None
    errors = []
    if not isinstance(doc, Mapping):
        raise EditorErrors([EditorError(display, 1, "the file should start with `figures:`", "restore the first line from the last published version")])
    for section, spec in SECTIONS.items():
        records, required, optional, may = getattr(site, spec.records), spec.required, spec.optional, spec.may
        block = doc.get(section)
        if not isinstance(block, Mapping):
            if records:
                errors.append(EditorError(display, doc.line, f"there is no `{section}:` section", f"add `{section}:` with the translation of each of its records"))
            continue
        for rid, record in records.items():
            if rid not in block:
                errors.append(EditorError(display, block.line, f"{section}.{rid} has no translation", f"add `{rid}:` under `{section}:` with its {', '.join(required)}"))
                continue
            entry = block[rid]
            line = block.key_lines[rid]
            if not isinstance(entry, Mapping):
                errors.append(EditorError(display, line, f"the translation of {rid} should be a set of fields", f"give it {', '.join(required)}"))
                continue
            for key in required + tuple(k for k in optional if _english_has(record, k)):
                value = entry.get(key)
                if key == "stages":
                    ok = isinstance(value, list) and len(value) == len(record["stages"]) and all(
                        isinstance(v, dict) and all(isinstance(v.get(k), str) and v[k].strip() for k in ("name", "text")) for v in value
                    )
                    hint = f"give the {len(record['stages'])} stages in order, each with `name:` and `text:`"
                elif key == "also_called":
                    ok = isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value)
                    hint = "list the other names in square brackets"
                else:
                    ok = isinstance(value, str) and bool(value.strip())
                    hint = f"add `{key}:` with the translated text"
                if not ok:
                    where = entry.key_lines.get(key, line)
                    errors.append(EditorError(display, where, f"{section}.{rid} has no translated `{key}`", hint))
            for key in entry:
                if key in may and not (isinstance(entry[key], str) and entry[key].strip()):
                    errors.append(EditorError(
                        display, entry.key_lines[key], f"{section}.{rid} has an empty translated `{key}`", f"write the translated {key}, or delete the line to show the original"
                    ))
                elif key not in required + optional + may:
                    errors.append(EditorError(
                        display, entry.key_lines[key], f"`{key}` is not a field we translate for {section}", f"the fields are: {', '.join(required + optional + may)}"
                    ))
        for rid in block:
            if rid not in records:
                errors.append(EditorError(
                    display, block.key_lines[rid], f"{section}.{rid} translates a record that does not exist", "delete it, or correct the id to match the English file"
                ))
    from . import claims

    errors += claims.check_translation(doc, display, site, EditorError)
    if errors:
        raise EditorErrors(errors)
    return doc


def load_localized(path: Path, display: str, site: SiteData, cache_dir: Path, data_display: str) -> SiteData:
    """load() and localize(): the site data in the translation's language, checked. Kept like
    data.load_cached (`site` comes from the same data files, read as `data_display`): a page
    edit does not read this, the largest data file, again."""
    from .data import cached_result

    return cached_result(
        path.parent, cache_dir, f"edition-{path.stem}", (data_display, display), (Path(__file__),),
        lambda: localize(site, load(path, display, site), display),
    )


def localize(site: SiteData, doc: Mapping, display: str) -> SiteData:
    """A copy of the site data with every text in the translation's language (SECTIONS).

    Texts with references point at the translation file's lines, so a bad
    reference in them is reported where the translator can fix it.
    """
    out = copy.deepcopy(site)
    for section, spec in SECTIONS.items():
        for rid, record in getattr(out, spec.records).items():
            entry = doc[section][rid]
            for key in spec.fields:
                # An optional field only where the English has it, as load() requires it.
                if key in entry and (key not in spec.optional or _english_has(record, key)):
                    _apply(record, key, entry[key])
                    if key in spec.may:
                        record[f"{key}_translated"] = True  # e.g. a source title we wrote: shown untagged
            if spec.where:
                record.key_lines = {**record.key_lines, **entry.key_lines}
                out.where[(spec.where, rid)] = (display, entry.line)
    from . import claims

    claims.localize(out, doc)
    return out


def _apply(record, key: str, value) -> None:
    """Put one translated field in its English record; most replace the English text."""
    if key == "verification_note":
        record["verification"] = {**record["verification"], "note": value}
    elif key == "stages":
        # Keep each stage's figures and lines: only its name and text are words.
        stages = Sequence()
        stages.line, stages.item_lines = record["stages"].line, record["stages"].item_lines
        for english, translated in zip(record["stages"], value, strict=True):
            stage = Mapping({**english, "name": translated["name"], "text": translated["text"]})
            stage.line, stage.key_lines = english.line, english.key_lines
            stages.append(stage)
        record["stages"] = stages
    else:
        record[key] = value
