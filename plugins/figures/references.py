"""The one syntax editors use to put a figure anywhere: ``{{ figure_id }}``.

It works the same in Markdown pages, page metadata and the text fields of
data/charts.yaml (titles, captions, alt text):

    {{ failed_to_appear }}          more than 32,000
    {{ Failed_to_appear }}          More than 32,000         (a capital first letter: to start a sentence)
    {{ failed_to_appear.number }}   32,000
    {{ failed_to_appear.label }}    Children who missed an immigration court hearing
    {{ failed_to_appear.period }}   fiscal years 2019–2023
    {{ failed_to_appear.Period }}   Fiscal years 2019–2023   (a capital first letter: to start a sentence)
    {{ failed_to_appear.unit }}     children
    {{ share_never_served_nta }}    about two in three        (derived figures)
    {{ share_never_served_nta.percent }}  about 65%
    {{ term:notice_to_appear }}     notice to appear, linked to the glossary
    {{ term:notice_to_appear.plural }}  notices to appear, linked to the glossary
    {{ chart:children_transferred_and_after }}   a chart (Markdown only, on a line of its own)
"""

from __future__ import annotations

import re

from . import formatting

REFERENCE_RE = re.compile(r"\{\{\s*(?:(?P<kind>chart|term)\s*:\s*)?(?P<id>[A-Za-z0-9_\-]*)(?:\.(?P<attr>[A-Za-z_]+))?\s*\}\}")

FIGURE_ATTRS = ("", "number", "words", "label", "period", "unit", "meaning")
DERIVED_ATTRS = ("", "percent", "label", "meaning", "caveat")
TERM_ATTRS = ("", "plural")


def problem(match: re.Match, data, allow_charts: bool) -> tuple[str, str] | None:
    """(what is wrong, how to fix it) for one reference, or None if it is fine."""
    ref_id, attr, kind = match.group("id"), (match.group("attr") or "").lower(), match.group("kind")
    if kind is None and ref_id[:1].isupper():
        ref_id = ref_id[:1].lower() + ref_id[1:]
    if kind == "term":
        if ref_id not in data.terms:
            return (f"unknown glossary term `{ref_id}` in {match.group(0)}", f"use an id from data/glossary.yaml: {', '.join(data.terms)}")
        if attr not in TERM_ATTRS or (attr == "plural" and "plural" not in data.terms[ref_id]):
            return (f"the term `{ref_id}` has no `.{attr}`", f"add `{attr}:` to it in data/glossary.yaml, or write {{{{ term:{ref_id} }}}}")
        return None
    if kind == "chart":
        if not allow_charts:
            return (f"a chart ({match.group(0)}) can only be placed in a page", "remove it from this text")
        if ref_id not in data.charts:
            return (f"unknown chart `{ref_id}` in {match.group(0)}", f"use an id from data/charts.yaml: {', '.join(data.charts) or '(none yet)'}")
        return None
    if ref_id in data.figures:
        allowed = FIGURE_ATTRS
    elif ref_id in data.derived:
        allowed = DERIVED_ATTRS
    else:
        return (f"unknown figure `{ref_id}` in {match.group(0)}", f"use an id from data/figures.yaml: {', '.join([*data.figures, *data.derived])}")
    if attr not in allowed:
        return (f"`{ref_id}` has no `.{attr}`", "use one of: " + ", ".join(f"{{{{ {ref_id}.{a} }}}}" if a else f"{{{{ {ref_id} }}}}" for a in allowed))
    return None


def problems_in_text(text: str, data, allow_charts: bool = False):
    """Yield (line offset within text, what, how) for every bad reference."""
    for match in REFERENCE_RE.finditer(text):
        found = problem(match, data, allow_charts)
        if found:
            yield (text.count("\n", 0, match.start()), *found)


def plain(ref_id: str, attr: str, data, locale: str = formatting.LOCALE, kind: str | None = None) -> str:
    """The text a reference stands for, without markup."""
    if attr[:1].isupper() or ref_id[:1].isupper():
        text = plain(ref_id[:1].lower() + ref_id[1:], attr.lower(), data, locale, kind)
        return text[:1].upper() + text[1:]
    if kind == "term":
        term = data.terms[ref_id]
        return term["plural"] if attr == "plural" else term["term"]
    if ref_id in data.derived:
        item = data.derived[ref_id]
        value = formatting.derived_value(item, data.figures)
        if attr == "" and item["show_as"] == "count":
            return formatting.number(round(value), locale)
        if attr == "":
            return formatting.ratio_words(value, locale)
        if attr == "percent":
            return formatting.ratio_percent(value, locale)
        return item[attr]
    figure = data.figures[ref_id]
    if attr == "":
        return formatting.with_qualifier(figure, locale)
    if attr == "number":
        return formatting.number(figure["value"], locale)
    if attr == "words":
        return formatting.count_words(figure["value"], locale)
    if attr == "period":
        return formatting.period(figure, locale)
    return figure[attr]


def render_plain(text: str, data, locale: str = formatting.LOCALE) -> str:
    """Replace every (valid) reference in `text` with its plain text."""
    return REFERENCE_RE.sub(lambda m: plain(m.group("id"), m.group("attr") or "", data, locale, m.group("kind")), text)


def squash(text: str) -> str:
    """Collapse YAML's folded whitespace for use in attributes and tables."""
    return " ".join(text.split())
