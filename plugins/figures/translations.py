"""Other languages: data/<lang>.yaml holds the reader-visible text of data/ in that language.

`load()` checks that every text has its translation (and no translation is
stale), pointing at lines; `localize()` returns a copy of the site data with
the texts swapped, so every other module works unchanged in any language.
Values, dates, ids and quotes are never translated: they come from the one
record in data/, so one edit to a figure changes every edition.
"""

from __future__ import annotations

import copy
from pathlib import Path

from .data import Mapping, Sequence, SiteData, load_yaml
from .errors import EditorError, EditorErrors

# section -> (where the English records are, the fields to translate, fields needed only if English has them)
SECTIONS = {
    "figures": ("figures", ("label", "unit", "meaning"), ("not_meaning", "verification_note")),
    "derived": ("derived", ("label", "meaning", "caveat"), ()),
    "charts": ("charts", ("title", "caption", "alt"), ("stages",)),
    "terms": ("terms", ("term", "definition"), ("plural", "also_called")),
    "events": ("events", ("title", "text"), ()),
    "sources": ("sources", ("description",), ()),
}
# words-house: the corrections log's notes (data/corrections.yaml).
SECTIONS["corrections"] = ("corrections", ("text",), ())
# claims (data/claims.yaml): each claim's role, venue and our translation of its quote; the
# confused figures' texts. Verdicts are a list, checked by claims.check_translation.
SECTIONS["claims"] = ("claims", ("role", "venue", "translation"), ("note",))
SECTIONS["confused"] = ("confused", ("label", "meaning"), ())
# Fields a translation may give but need not: a source's title is its own (English) title,
# shown in English and tagged lang="en", unless it is one we wrote, which we translate.
MAY_TRANSLATE = {"sources": ("title",), "claims": ("speaker",)}  # claims: an agency speaking, by its name in Spanish


def _english_has(record, key) -> bool:
    if key == "verification_note":
        return bool(record.get("verification"))
    return key in record


def load(path: Path, display: str, site: SiteData) -> Mapping:
    """Read and check one translation file against the English records."""
    if not path.exists():
        raise EditorErrors([EditorError(display, None, "the translation file is missing", "restore it from the last published version (git checkout)")])
    try:
        doc = load_yaml(path, display)
    except EditorError as exc:
        raise EditorErrors([exc]) from None
    errors = []
    if not isinstance(doc, Mapping):
        raise EditorErrors([EditorError(display, 1, "the file should start with `figures:`", "restore the first line from the last published version")])
    for section, (attr, required, optional) in SECTIONS.items():
        records = getattr(site, attr)
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
            may = MAY_TRANSLATE.get(section, ())
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


def localize(site: SiteData, doc: Mapping, display: str) -> SiteData:
    """A copy of the site data with every text in the translation's language.

    Chart and event texts point at the translation file's lines, so a bad
    reference in them is reported where the translator can fix it.
    """
    out = copy.deepcopy(site)
    for fid, record in out.figures.items():
        entry = doc["figures"][fid]
        for key in ("label", "unit", "meaning", "not_meaning"):
            if key in entry:
                record[key] = entry[key]
        if record.get("verification"):
            record["verification"] = {**record["verification"], "note": entry["verification_note"]}
    for did, record in out.derived.items():
        record.update({k: doc["derived"][did][k] for k in ("label", "meaning", "caveat")})
    for cid, record in out.charts.items():
        entry = doc["charts"][cid]
        record.update({k: entry[k] for k in ("title", "caption", "alt")})
        record.key_lines = {**record.key_lines, **entry.key_lines}
        out.where[("chart", cid)] = (display, entry.line)
        if "stages" in record:
            stages = Sequence()
            stages.line, stages.item_lines = record["stages"].line, record["stages"].item_lines
            for english, spanish in zip(record["stages"], entry["stages"], strict=True):
                stage = Mapping({**english, "name": spanish["name"], "text": spanish["text"]})
                stage.line, stage.key_lines = english.line, english.key_lines
                stages.append(stage)
            record["stages"] = stages
    for tid, record in out.terms.items():
        entry = doc["terms"][tid]
        for key in ("term", "definition", "plural", "also_called"):
            if key in entry:
                record[key] = entry[key]
    for eid, record in out.events.items():
        entry = doc["events"][eid]
        record.update({k: entry[k] for k in ("title", "text")})
        record.key_lines = {**record.key_lines, **entry.key_lines}
        out.where[("event", eid)] = (display, entry.line)
    for sid, record in out.sources.items():
        record["description"] = doc["sources"][sid]["description"]
        if "title" in doc["sources"][sid]:
            record["title"] = doc["sources"][sid]["title"]
            record["title_translated"] = True
    # words-house: corrections, pointing at the translation's lines like events.
    for cid, record in out.corrections.items():
        entry = doc["corrections"][cid]
        record["text"] = entry["text"]
        record.key_lines = {**record.key_lines, **entry.key_lines}
        out.where[("correction", cid)] = (display, entry.line)
    from . import claims

    claims.localize(out, doc)
    return out
