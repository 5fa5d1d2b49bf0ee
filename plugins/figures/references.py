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
    {{ claim:vance_debate }}        320,000                   (the number said, from data/claims.yaml)
    {{ claim:vance_debate.basis }}  more than 323,000         (the counts it rests on, computed)
"""

from __future__ import annotations

import re
import unicodedata

from . import formatting

# A well-formed reference. Only ASCII spaces inside: a no-break or zero-width space
# makes it a near miss, reported, rather than text that silently differs.
_GOOD = r"\{\{[ \t]*(?:(?P<kind>chart|term|claim)[ \t]*:[ \t]*)?(?P<id>[A-Za-z0-9_\-]*)(?:\.(?P<attr>[A-Za-z_]+))?[ \t]*\}\}"
_OPEN, _CLOSE = "{\uff5b\ufe5b", "}\uff5d\ufe5c"  # with the full-width and small forms
# Anything else that looks like a reference and would be published as typed, the figure lost:
# three braces; `{{` without its `}}` (a brace missing, or a character in the id that cannot be
# there, e.g. an invisible one); `}}` without its `{{`; a full-width brace; `{ figure_id }`.
_NEAR = (
    r"\{\{\{[^{}\n]{0,80}?\}+"
    rf"|[{_OPEN}][ \t]*[{_OPEN}][^{{}}\n]{{0,80}}?(?:[{_CLOSE}][ \t]*[{_CLOSE}]?|(?=\n)|$)"
    rf"|[{_OPEN}]?[^\S\n]*[^\s{{}}]{{0,80}}?[^\S\n]*[{_CLOSE}][ \t]*[{_CLOSE}]"
    rf"|[{_OPEN[1:]}{_CLOSE[1:]}]"
    r"|\{[ \t]*(?:(?:chart|term|claim)[ \t]*:[ \t]*)?(?P<single>[A-Za-z_][A-Za-z0-9_\-]*)(?:\.[A-Za-z_]+)?[ \t]*\}"
)
# One pattern for both, so every reader of references (pages, metadata, data texts, the
# Markdown extension) meets near misses too: `problem()` reports them, nothing renders them.
REFERENCE_RE = re.compile(rf"{_GOOD}|(?P<bad>{_NEAR})")
WELL_FORMED_RE = re.compile(_GOOD)
# Every reference and near miss holds one of these braces. Most lines hold none, and a text
# without any is passed at once: REFERENCE_RE tries, at each character, a `}}` up to 80 ahead.
_BRACE_RE = re.compile(f"[{_OPEN}{_CLOSE}]")


def finditer(text: str):
    """REFERENCE_RE.finditer(text): every reference and near miss in `text`."""
    return REFERENCE_RE.finditer(text) if _BRACE_RE.search(text) else iter(())


def search(text: str) -> re.Match | None:
    """REFERENCE_RE.search(text): the first reference or near miss in `text`, or None."""
    return REFERENCE_RE.search(text) if _BRACE_RE.search(text) else None


# Pelican's own placeholders in links ({filename}page.md, {static}x.png, {index}): not ours.
PELICAN_PLACEHOLDERS = {"filename", "static", "attach", "index", "tag", "category", "author", "root", "lang"}

FIGURE_ATTRS = ("", "number", "words", "label", "period", "unit", "meaning")
DERIVED_ATTRS = ("", "percent", "label", "meaning", "caveat")
TERM_ATTRS = ("", "plural")


def problem(match: re.Match, data, allow_charts: bool) -> tuple[str, str] | None:
    """(what is wrong, how to fix it) for one reference, or None if it is fine."""
    if match.group("bad") is not None:
        return near_miss(match)
    if not match.group("id"):
        return (f"an empty reference `{match.group(0)}`", "put an id between the braces, e.g. {{ failed_to_appear }}, or delete it")
    ref_id, attr, kind = match.group("id"), (match.group("attr") or "").lower(), match.group("kind")
    if kind is None and ref_id[:1].isupper():
        ref_id = ref_id[:1].lower() + ref_id[1:]
    if kind == "term":
        if ref_id not in data.terms:
            return (f"unknown glossary term `{ref_id}` in {match.group(0)}", f"use an id from data/glossary.yaml: {', '.join(data.terms)}")
        if attr not in TERM_ATTRS or (attr == "plural" and "plural" not in data.terms[ref_id]):
            return (f"the term `{ref_id}` has no `.{attr}`", f"add `{attr}:` to it in data/glossary.yaml, or write {{{{ term:{ref_id} }}}}")
        return None
    if kind == "claim":
        from . import claims

        return claims.reference_problem(ref_id, attr, data)
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


def near_miss(match: re.Match) -> tuple[str, str] | None:
    """(what, how) for text that looks like a reference but is not one; None for Pelican's {filename}."""
    if match.group("single") in PELICAN_PLACEHOLDERS:
        return None
    shown = match.group(0).strip()
    invisible = next((c for c in shown if c not in " \t" and unicodedata.category(c) in ("Cf", "Zs", "Zl", "Zp", "Cc")), None)
    example = "write two braces on each side and only the id between them, e.g. {{ failed_to_appear }} or {{ failed_to_appear.period }}"
    if any(c in shown for c in _OPEN[1:] + _CLOSE[1:]):
        return (f"`{shown}` uses full-width braces, so it is not read as a reference", "type the braces as plain { and } (a Latin keyboard layout)")
    if invisible is not None:
        name = unicodedata.name(invisible, "an invisible character")
        shown = "".join(f"<U+{ord(c):04X}>" if c == invisible else c for c in shown)
        return (
            f"`{shown}` contains an invisible character (U+{ord(invisible):04X} {name}), so it is not read as a reference",
            "delete the reference and type it again, e.g. {{ failed_to_appear }}",
        )
    if match.group("single"):
        return (f"`{shown}` has single braces, so it is not read as a reference", example)
    return (f"`{shown}` is not a complete reference", example)


def problems_in_text(text: str, data, allow_charts: bool = False):
    """Yield (line offset within text, what, how) for every bad reference or near miss.

    With `allow_charts` the text is one line of a page: a chart must be alone on it.
    """
    for match in finditer(text):
        found = problem(match, data, allow_charts)
        if found is None and allow_charts and match.group("kind") == "chart" and text.strip() != match.group(0):
            found = (f"the chart {match.group(0)} shares its line with other text", "put it on a line of its own, with an empty line above and below")
        if found:
            yield (text.count("\n", 0, match.start()), *found)


def plain(ref_id: str, attr: str, data, edition: formatting.Edition, kind: str | None = None) -> str:
    """The text a reference stands for, without markup."""
    if attr[:1].isupper() or ref_id[:1].isupper():
        text = plain(ref_id[:1].lower() + ref_id[1:], attr.lower(), data, edition, kind)
        return text[:1].upper() + text[1:]
    if kind == "claim":
        from . import claims

        return claims.plain(ref_id, attr, data, edition)
    if kind == "term":
        term = data.terms[ref_id]
        return term["plural"] if attr == "plural" else term["term"]
    if ref_id in data.derived:
        item = data.derived[ref_id]
        if attr in ("", "percent"):
            return formatting.derived_text(item, data.figures, edition, attr)
        return item[attr]
    figure = data.figures[ref_id]
    if attr == "":
        return formatting.with_qualifier(figure, edition)
    if attr == "number":
        return formatting.number(figure["value"], edition)
    if attr == "words":
        return formatting.count_words(figure["value"], edition)
    if attr == "period":
        return formatting.period(figure, edition)
    return figure[attr]


def render_plain(text: str, data, edition: formatting.Edition) -> str:
    """Replace every (valid) reference in `text` with its plain text."""
    if not _BRACE_RE.search(text):
        return text
    return REFERENCE_RE.sub(lambda m: m.group(0) if m.group("bad") is not None else plain(m.group("id"), m.group("attr") or "", data, edition, m.group("kind")), text)


def squash(text: str) -> str:
    """Collapse YAML's folded whitespace for use in attributes and tables."""
    return " ".join(text.split())
