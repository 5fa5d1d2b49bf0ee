"""Claims: what was said since about the alert's figures, set beside what the reports count.

data/claims.yaml holds each claim (who, when, where, the words, the number said),
the fact-checkers' verdicts, figures often confused with the alert's, and the
period the counts cover. This module checks it at load time (every problem at its
line), and computes what no editor types:

- a claim's basis: the figures it rests on, added (`how: sum`: "more than 323,000",
  the qualifier carried) or standing for it (`how: figure`);
- the fiscal years counted, split by administration from dates, in months and days;
- the views templates, references, the chart, the downloads and the typed-number
  check use, in each edition's language.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import textwrap
from pathlib import Path

from . import formatting
from .formatting import Edition

# ---- load-time checks ----------------------------------------------------------

_NUMBER_IN_QUOTE = re.compile(r"\d{1,3}(?:,\d{3})+|\d+")


def check(document, data, check) -> None:
    """Check data/claims.yaml against the other data files; fill data.claims and the rest."""
    doc, display = document
    from .data import parse_date

    seen: dict = {}
    check.unique_ids(doc["claims"], display, seen)
    # Claims and confused figures share the `{{ claim:id }}` references, so their ids too.
    check.unique_ids(doc["confused"], display, seen)
    figure_ids = ", ".join(data.figures)
    source_ids = ", ".join(data.sources)

    def sources(record, owner, key="sources"):
        for i, sid in enumerate(record[key]):
            if sid not in data.sources:
                check.add(display, record[key].item_lines[i], f"{owner} cites an unknown source `{sid}`", f"use an id from data/sources.yaml: {source_ids}")

    for claim in doc["claims"]:
        cid = claim["id"]
        data.claims.setdefault(cid, claim)
        data.where[("claim", cid)] = (display, claim.line)
        if parse_date(claim["date"]) is None:
            check.add(display, claim.key_lines["date"], f"`date` of {cid} is not a real day: `{claim['date']}`", 'write the day it was said as "YYYY-MM-DD"')
        sources(claim, f"claim {cid}")
        by = claim.get("quoted_by")
        if by is not None and by not in claim["sources"]:
            check.add(
                display, claim.key_lines["quoted_by"], f"claim {cid} is quoted from `{by}`, which is not among its sources", f"add {by} to its `sources:`, or correct `quoted_by:`"
            )
        if "up_to" in claim and claim["up_to"] <= claim["value"]:
            check.add(
                display,
                claim.key_lines["up_to"],
                f"the range of {cid} runs backwards: {claim['value']} to {claim['up_to']}",
                "put the smaller number in `value:` and the larger in `up_to:`",
            )
        said = {claim["value"], claim.get("up_to")}
        for typed in _NUMBER_IN_QUOTE.findall(claim["quote"]):
            number = int(typed.replace(",", ""))
            if number >= 1_000 and number not in said:
                check.add(
                    display,
                    claim.key_lines["value"],
                    f"the value of {cid} ({claim['value']}) is not the number in its quote ({typed})",
                    "a quote is the speaker's own words: take the value and the quote from the sheet together",
                )
        _check_basis(claim, data, check, display, figure_ids)

    for verdict in doc["verdicts"]:
        owner = f"the verdict by {verdict['by']}"
        if verdict["by"] not in data.sources:
            check.add(
                display,
                verdict.key_lines["by"],
                f"a verdict names an unknown source `{verdict['by']}`",
                f"use the id in data/sources.yaml of the fact-checker's page: {source_ids}",
            )
        if "quote" not in verdict and "rating" not in verdict:
            check.add(display, verdict.line, f"{owner} has neither a `quote:` nor a `rating:`", "copy the fact-checker's words into `quote:`, or its rating into `rating:`")
        for i, cid in enumerate(verdict["claims"]):
            if cid not in data.claims:
                check.add(display, verdict["claims"].item_lines[i], f"{owner} is about an unknown claim `{cid}`", f"use ids from `claims:` in this file: {', '.join(data.claims)}")
        data.verdicts.append(verdict)

    for item in doc["confused"]:
        data.confused.setdefault(item["id"], item)
        data.where[("confused", item["id"])] = (display, item.line)
        if parse_date(item["as_of"]) is None:
            check.add(display, item.key_lines["as_of"], f"`as_of` of {item['id']} is not a valid date: `{item['as_of']}`", "write it as YYYY-MM-DD or YYYY-MM, e.g. 2023-02")
        sources(item, item["id"])

    period = doc["period"]
    sources(period, "the period")
    whole = data.figures.get(period["figure"])
    change = parse_date(period["change"])
    if whole is None:
        check.add(display, period.key_lines["figure"], f"the period names an unknown figure `{period['figure']}`", f"use an id from data/figures.yaml: {figure_ids}")
    elif "period" not in whole:
        check.add(
            display,
            period.key_lines["figure"],
            f"the figure {period['figure']} counts no fiscal years, so there is no period to split",
            "name a figure with `period: {fiscal_years: [first, last]}`",
        )
    elif change is None:
        check.add(display, period.key_lines["change"], f"`change` of the period is not a real day: `{period['change']}`", 'write the day as "YYYY-MM-DD"')
    else:
        start, end = fiscal_span(whole)
        if not start < change <= end:
            check.add(
                display,
                period.key_lines["change"],
                f"the day {period['change']} is outside the fiscal years of {period['figure']} ({start} to {end}), so it splits nothing",
                "write the day the presidency changed hands within those years",
            )
        else:
            data.claims_period.update({**period, "start": start, "end": end, "change_date": change})
    data.where[("claims_period", "")] = (display, period.line)

    for chart in data.charts.values():
        for i, cid in enumerate(chart.get("claims", [])):
            if cid not in data.claims:
                chart_display, _ = data.where[("chart", chart["id"])]
                check.add(
                    chart_display, chart["claims"].item_lines[i], f"chart {chart['id']} uses an unknown claim `{cid}`", f"use an id from data/claims.yaml: {', '.join(data.claims)}"
                )
            elif "rests_on" not in data.claims[cid]:
                chart_display, _ = data.where[("chart", chart["id"])]
                check.add(
                    chart_display,
                    chart["claims"].item_lines[i],
                    f"chart {chart['id']} draws the claim {cid}, which rests on no figure",
                    "draw only claims with `rests_on:` and `how:`",
                )


def _check_basis(claim, data, check, display, figure_ids) -> None:
    """`rests_on` names known figures, and `how` can be computed from them."""
    cid = claim["id"]
    rests_on, how = claim.get("rests_on"), claim.get("how")
    if rests_on is None:
        if how is not None:
            check.add(
                display,
                claim.key_lines["how"],
                f"`how: {how}` of {cid} cannot be computed: the claim names no figures in `rests_on:`",
                "add `rests_on: [figure ids]`, or remove `how:`",
            )
        return
    unknown = [(i, f) for i, f in enumerate(rests_on) if f not in data.figures]
    for i, fid in unknown:
        hint = f"use ids from data/figures.yaml: {figure_ids}"
        if fid in data.derived:
            hint = f"`{fid}` is computed, not counted: name the figures it is computed from; {hint}"
        check.add(display, rests_on.item_lines[i], f"claim {cid} rests on an unknown figure `{fid}`", hint)
    if unknown:
        return
    if how is None:
        check.add(
            display, claim.key_lines["rests_on"], f"claim {cid} names the figures it rests on but not `how:`", "add `how: sum` (the figures added) or `how: figure` (one figure)"
        )
    elif how == "sum" and len(rests_on) < 2:
        check.add(display, claim.key_lines["how"], f"`how: sum` of {cid} cannot be computed from one figure", "name two or more figures in `rests_on:`, or write `how: figure`")
    elif how == "figure" and len(rests_on) != 1:
        check.add(
            display, claim.key_lines["how"], f"`how: figure` of {cid} needs one figure in `rests_on:`, not {len(rests_on)}", "name one figure, or write `how: sum` to add them"
        )
    elif how == "sum":
        units = {data.figures[f]["unit"] for f in rests_on}
        if len(units) > 1:
            check.add(
                display,
                claim.key_lines["how"],
                f"`how: sum` of {cid} cannot be computed: its figures count different things ({', '.join(sorted(units))})",
                "name figures that count the same thing",
            )
        elif computed_sum(claim, data)["value"] > 999_999_999_999:
            check.add(display, claim.key_lines["how"], f"`how: sum` of {cid} is larger than any figure can be", "check the figures in `rests_on:`")


def fiscal_span(figure) -> tuple[dt.date, dt.date]:
    """First and last day of a figure's fiscal years: FY2019 runs from October 1, 2018."""
    first, last = figure["period"]["fiscal_years"]
    return dt.date(first - 1, 10, 1), dt.date(last, 9, 30)


# ---- what the build computes -----------------------------------------------------


def computed_sum(claim, data) -> dict | None:
    """The counts a claim rests on, computed: value, qualifier and each figure (None if it
    rests on none)."""
    if "rests_on" not in claim:
        return None
    figures = [data.figures[f] for f in claim["rests_on"]]
    qualifiers = {f["qualifier"] for f in figures}
    # "more than" + "more than" is "more than"; an "about" makes the sum approximate.
    qualifier = "about" if "about" in qualifiers else "more than" if "more than" in qualifiers else "exactly"
    return {"how": claim["how"], "value": sum(f["value"] for f in figures), "qualifier": qualifier, "figures": figures}


def basis(claim, data, edition: Edition) -> dict | None:
    """computed_sum, with its text in the edition's words."""
    found = computed_sum(claim, data)
    return found and {**found, "text": formatting.with_qualifier(found, edition)}


def number_text(claim, edition: Edition) -> str:
    """The number as said: "320,000", "more than 450,000", or a range "about 75,000–80,000"."""
    text = formatting.number(claim["value"], edition)
    if "up_to" in claim:
        text += "–" + formatting.number(claim["up_to"], edition)
    return edition.phrases[claim.get("qualifier", "exactly")].format(n=text)


def _months_between(start: dt.date, end: dt.date) -> tuple[int, int]:
    """Whole months and the days left from `start` up to (not including) `end`."""
    months = (end.year - start.year) * 12 + end.month - start.month
    while True:
        year, month = divmod(start.month - 1 + months, 12)
        anchor = dt.date(start.year + year, month + 1, min(start.day, 28))
        if anchor <= end:
            return months, (end - anchor).days
        months -= 1


def _duration(months: int, days: int, edition: Edition) -> str:
    p = edition.phrases
    m = p["months"][months != 1].format(n=months)
    if not days:
        return m
    return p["and"].format(a=m, b=p["days"][days != 1].format(n=days))


def period_split(data, edition: Edition) -> dict | None:
    """The fiscal years counted, before and after the change of president, in months and days."""
    period = data.claims_period
    if not period:
        return None
    day_after = period["end"] + dt.timedelta(days=1)
    before = _months_between(period["start"], period["change_date"])
    after = _months_between(period["change_date"], day_after)
    total = _months_between(period["start"], day_after)
    return {
        "figure": period["figure"],
        "start": period["start"].isoformat(),
        "end": period["end"].isoformat(),
        "change": period["change"],
        "start_text": formatting.date_text(period["start"].isoformat(), edition),
        "end_text": formatting.date_text(period["end"].isoformat(), edition),
        "change_text": formatting.date_text(period["change"], edition),
        "before": period["before"],
        "after": period["after"],
        "before_months": before,
        "after_months": after,
        "before_text": _duration(*before, edition),
        "after_text": _duration(*after, edition),
        "total_text": _duration(*total, edition),
        "sources": list(period["sources"]),
    }


# ---- references: {{ claim:id }} in pages ----------------------------------------

CLAIM_ATTRS = ("", "number", "basis", "speaker", "date")
CONFUSED_ATTRS = ("", "number", "label")


def reference_problem(ref_id: str, attr: str, data) -> tuple[str, str] | None:
    if ref_id in data.claims:
        allowed = CLAIM_ATTRS
        if attr == "basis" and "rests_on" not in data.claims[ref_id]:
            return (f"the claim `{ref_id}` rests on no figure, so it has no `.basis`", f"write {{{{ claim:{ref_id} }}}}, or give it `rests_on:` and `how:` in data/claims.yaml")
    elif ref_id in data.confused:
        allowed = CONFUSED_ATTRS
    else:
        return (f"unknown claim `{ref_id}` in {{{{ claim:{ref_id} }}}}", f"use an id from data/claims.yaml: {', '.join([*data.claims, *data.confused]) or '(none yet)'}")
    if attr not in allowed:
        return (f"the claim `{ref_id}` has no `.{attr}`", "use one of: " + ", ".join(f"{{{{ claim:{ref_id}.{a} }}}}" if a else f"{{{{ claim:{ref_id} }}}}" for a in allowed))
    return None


def plain(ref_id: str, attr: str, data, edition: Edition) -> str:
    if ref_id in data.confused:
        item = data.confused[ref_id]
        if attr == "number":
            return formatting.number(item["value"], edition)
        return item["label"] if attr == "label" else formatting.with_qualifier(item, edition)
    claim = data.claims[ref_id]
    if attr == "basis":
        return basis(claim, data, edition)["text"]
    if attr == "speaker":
        return claim["speaker"]
    if attr == "date":
        return formatting.date_text(claim["date"], edition)
    return number_text(claim, edition)


def policed(data) -> list[tuple[int, str]]:
    """(value, reference) for every number this file gives, for the typed-number check."""
    found = []
    for cid, claim in data.claims.items():
        found.append((claim["value"], f"claim:{cid}"))
        if "up_to" in claim:
            found.append((claim["up_to"], f"claim:{cid}"))
    for cid, claim in data.claims.items():
        if "rests_on" in claim and all(f in data.figures for f in claim["rests_on"]):
            found.append((computed_sum(claim, data)["value"], f"claim:{cid}.basis"))
    found += [(item["value"], f"claim:{cid}") for cid, item in data.confused.items()]
    return found


_WORD_RE = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
SHINGLE = 6  # this many words of a stored quotation in a row, in a page, are a retyped quotation


def _words(text: str) -> list[tuple[str, int]]:
    return [(m.group().lower().replace("’", "'"), m.start()) for m in _WORD_RE.finditer(text)]


_QUOTED_RE = re.compile(r"“[^”\n]*”|\"[^\"\n]*\"")


def retyped_quotes(paths, data, display) -> list:
    """Quotations of data/claims.yaml typed into a page (inside quotation marks): kept once, in
    data, they cannot drift from the sheet. Six words in a row of one, or all of a shorter one."""
    from .errors import EditorError

    owners: dict = {}
    quoted = [(f"claim {cid}", c["quote"]) for cid, c in data.claims.items()]
    quoted += [(f"claim {cid}", c["translation"]) for cid, c in data.claims.items() if c.get("translation")]
    quoted += [(f"the verdict by {v['by']}", v[k]) for v in data.verdicts for k in ("quote", "translation") if v.get(k)]
    for owner, text in quoted:
        words = [w for w, _ in _words(text)]
        size = min(SHINGLE, len(words))
        for i in range(len(words) - size + 1):
            owners.setdefault(tuple(words[i : i + size]), owner)
    sizes = {len(key) for key in owners}
    errors = []
    for path in paths:
        text = Path(path).read_text(encoding="utf-8", errors="replace")
        reported = set()
        for span in _QUOTED_RE.finditer(text):
            words = [(w, span.start() + at) for w, at in _words(span.group())]
            hit = next(
                (
                    (owners[key], i, size)
                    for size in sorted(sizes, reverse=True)
                    for i in range(len(words) - size + 1)
                    if (key := tuple(w for w, _ in words[i : i + size])) in owners
                ),
                None,
            )
            if hit is None:
                continue
            owner, i, size = hit
            line = text.count("\n", 0, span.start()) + 1
            if (owner, line) in reported:
                continue
            reported.add((owner, line))
            shown = " ".join(span.group().strip('“”"').split()[:8])
            errors.append(
                EditorError(
                    display(path),
                    line,
                    f"the quotation “{shown}…” of {owner} is typed into the page",
                    "quotations are kept once, in data/claims.yaml, and the claims page shows them: paraphrase here, or cut it",
                )
            )
    return errors


def reference_text(ref: str, data) -> str:
    """ "320,000" for `claim:vance_debate`, as the typed-number check's message shows it
    (in English, the language of the checks' messages)."""
    ref_id, _, attr = ref.partition(":")[2].partition(".")
    return plain(ref_id, attr, data, formatting.edition("en", ""))


# ---- views for templates ---------------------------------------------------------


def _source(data, sid: str, edition: Edition) -> dict:
    s = data.sources[sid]
    return {**s, "date_text": formatting.date_text(s["date"], edition)}


def views(data, edition: Edition) -> dict:
    """Everything the claims page shows, formatted in the edition's language."""
    verdicts = []
    for v in data.verdicts:
        verdicts.append(
            {
                "by": _source(data, v["by"], edition),
                "who": v.get("who", ""),
                "lead": " ".join(v["lead"].split()),
                "quote": " ".join(v.get("quote", "").split()),
                "translation": " ".join(v.get("translation", "").split()),
                "rating": v.get("rating", ""),
                "rating_translation": v.get("rating_translation", ""),
                # A full stop after the quotation, unless the quoted words end a sentence (or a translation follows).
                "needs_stop": bool(v.get("translation") or v.get("rating_translation")) or not re.search(r"[.!?]['’”]?$", (v.get("quote") or v.get("rating", "")).strip()),
                "claims": list(v["claims"]),
            }
        )
    claims = []
    for cid, c in sorted(data.claims.items(), key=lambda item: item[1]["date"]):
        b = basis(c, data, edition)
        claims.append(
            {
                "id": cid,
                "date": c["date"],
                "date_text": formatting.date_text(c["date"], edition),
                "speaker": c["speaker"],
                "role": " ".join(c["role"].split()),
                "venue": " ".join(c["venue"].split()),
                "quote": " ".join(c["quote"].split()),
                "translation": " ".join(c.get("translation", "").split()),
                "quoted_by": _source(data, c["quoted_by"], edition) if c.get("quoted_by") else None,
                "note": " ".join(c.get("note", "").split()),
                "grade": c["grade"],
                "kind": c["kind"],
                "value": c["value"],
                "number": number_text(c, edition),
                "sources": [_source(data, s, edition) for s in c["sources"]],
                "basis": None
                if b is None
                else {
                    "how": b["how"],
                    "value": b["value"],
                    "text": b["text"],
                    "figures": [
                        {
                            "id": f,
                            "text": formatting.with_qualifier(data.figures[f], edition),
                            "label": data.figures[f]["label"],
                            "period": formatting.period(data.figures[f], edition),
                        }
                        for f in c["rests_on"]
                    ],
                },
                "verdicts": [v for v in verdicts if cid in v["claims"]],
            }
        )
    confused = [
        {
            "id": fid,
            "value": item["value"],
            "text": formatting.with_qualifier(item, edition),
            "label": item["label"],
            "meaning": " ".join(item["meaning"].split()),
            "as_of_text": formatting.date_text(item["as_of"], edition),
            "sources": [_source(data, s, edition) for s in item["sources"]],
        }
        for fid, item in data.confused.items()
    ]
    split = period_split(data, edition)
    if split:
        split["source_views"] = [_source(data, s, edition) for s in split["sources"]]
    return {
        "split_notes": split_notes,
        "missing": [c for c in claims if c["kind"] == "missing"],
        "located": [c for c in claims if c["kind"] == "located"],
        "all": claims,
        "verdicts": verdicts,
        "confused": confused,
        "period": split,
    }


_NOTES_RE = re.compile(r'<section\b[^>]*\bclass="source-notes"')


def split_notes(html: str) -> tuple[str, str]:
    """A page's words and its source notes (which Markdown appends), so the claims go between."""
    found = _NOTES_RE.search(html)
    return (html, "") if found is None else (html[: found.start()], html[found.start() :])


# ---- the chart: each claimed number beside the counts it rests on ------------------


def chart_rows(chart, data, edition: Edition) -> list[dict]:
    """One group per basis (the same figures, the same way): its counts stacked, then each claim.

    Bars are flat rows (label, value, period…) so the social card reads them like any bars.
    """
    groups: dict = {}
    for cid in chart["claims"]:
        claim = data.claims[cid]
        groups.setdefault((claim["how"], tuple(claim["rests_on"])), []).append(claim)
    rows = []
    for (how, rests_on), claims in groups.items():
        b = basis(claims[0], data, edition)
        segments = [
            {
                "id": f,
                "label": data.figures[f]["label"],
                "value": data.figures[f]["value"],
                "value_text": formatting.with_qualifier(data.figures[f], edition),
                "period": formatting.period(data.figures[f], edition),
            }
            for f in rests_on
        ]
        period = "; ".join(dict.fromkeys(s["period"] for s in segments))
        # One figure standing for the number: its own label and period, no key needed.
        label = edition.phrases["sum_label"] if how == "sum" else f"{segments[0]['label']}, {period}"
        table_label = edition.phrases["sum_label"] if how == "sum" else segments[0]["label"]
        rows.append(
            {
                "id": "+".join(rests_on),
                "kind": "basis",
                "label": label,
                "table_label": table_label,
                "value": b["value"],
                "value_text": b["text"],
                "period": period,
                "is_part": False,
                "segments": segments,
            }
        )
        for claim in sorted(claims, key=lambda c: (c["value"], c["date"])):
            date = formatting.date_text(claim["date"], edition)
            rows.append(
                {
                    "id": claim["id"],
                    "kind": "claim",
                    "label": claim["speaker"],
                    "table_label": claim["speaker"],
                    "value": claim["value"],
                    "value_text": number_text(claim, edition),
                    # Coloured apart from the counts on the social card, which draws every row as a bar.
                    "period": edition.phrases["said_on"].format(date=date),
                    "is_part": True,
                    "segments": [],
                }
            )
    return rows


def chart_table(rows: list[dict]) -> dict:
    from .i18n import N_

    table_rows, csv_rows = [], []
    for row in rows:
        for s in row["segments"] if len(row["segments"]) > 1 else ():
            table_rows.append([{"text": s["label"]}, {"text": s["value_text"], "value": s["value"]}, {"text": s["period"]}])
            csv_rows.append({"id": s["id"], "label": s["label"], "value": s["value"], "as_written": s["value_text"], "period": s["period"]})
        table_rows.append([{"text": row["table_label"]}, {"text": row["value_text"], "value": row["value"]}, {"text": row["period"]}])
        csv_rows.append({"id": row["id"], "label": row["table_label"], "value": row["value"], "as_written": row["value_text"], "period": row["period"]})
    return {"columns": [N_("Figure"), N_("Value"), N_("Period")], "rows": table_rows, "csv": csv_rows}


LINE_PX, BAR_PX, KEY_PX, GAP_PX, GROUP_GAP_PX = 19, 22, 19, 6, 26
CHAR_PX = 8.3


def _wrap(text: str, width_px: float, char_px: float = CHAR_PX) -> list[str]:
    return textwrap.wrap(text, max(8, int(width_px / char_px))) or [""]


def layout(rows: list[dict], width: int) -> dict:
    """Every row: its label (with the number) above a bar; a basis bar is stacked, a key under it.

    One scale for every bar, so 450,000 and 323,000 are compared by length; labels carry the
    numbers, so nothing is written beside a bar and the 360 px variant needs no room on the right.
    """
    y, placed = 4.0, []
    for i, row in enumerate(rows):
        if row["kind"] == "basis" and i:
            y += GROUP_GAP_PX
        said = f"{row['label']}, {row['period']}" if row["kind"] == "claim" else row["label"]
        label = _wrap(f"{said}: {row['value_text']}", width - 4, 9.0 if row["kind"] == "basis" else CHAR_PX)
        top = y
        y += LINE_PX * len(label) + 2
        bar_top = y
        y += BAR_PX + GAP_PX
        keys = []
        for s in row["segments"] if len(row["segments"]) > 1 else ():
            lines = _wrap(f"{s['value_text']}: {s['label']}, {s['period']}", width - 22, 7.6)
            keys.append({"top": y, "lines": lines})
            y += KEY_PX * len(lines) + 2
        placed.append({"label_top": top, "label_lines": label, "bar_top": bar_top, "keys": keys})
        y += 8
    return {"width": width, "height": int(y), "bar_px": BAR_PX, "rows": placed}


def chart_sources(chart, data) -> list[str]:
    """The first source of each figure the chart's claims rest on, then each claim's first source."""
    found = []
    for cid in chart.get("claims", []):
        claim = data.claims.get(cid)
        if claim is None:
            continue
        found += [data.figures[f]["sources"][0] for f in claim.get("rests_on", []) if f in data.figures]
    for cid in chart.get("claims", []):
        if cid in data.claims:
            found.append(data.claims[cid]["sources"][0])
    return list(dict.fromkeys(found))


# ---- downloads -----------------------------------------------------------------

CLAIM_COLUMNS = [
    "id",
    "date",
    "speaker",
    "role",
    "venue",
    "quote",
    "quoted_by",
    "grade",
    "kind",
    "qualifier",
    "value",
    "up_to",
    "as_written",
    "rests_on",
    "how",
    "basis_value",
    "basis_qualifier",
    "basis_as_written",
    "sources",
    "source_urls",
    "verdicts",
]


def download_rows(data, edition: Edition) -> list[dict]:
    rows = []
    for cid, c in data.claims.items():
        b = basis(c, data, edition)
        rows.append(
            {
                "id": cid,
                "date": c["date"],
                "speaker": c["speaker"],
                "role": " ".join(c["role"].split()),
                "venue": " ".join(c["venue"].split()),
                "quote": " ".join(c["quote"].split()),
                "quoted_by": c.get("quoted_by", ""),
                "grade": c["grade"],
                "kind": c["kind"],
                "value": c["value"],
                "up_to": c.get("up_to", ""),
                "qualifier": formatting.value_word(c.get("qualifier", "exactly"), edition),
                "as_written": number_text(c, edition),
                "rests_on": list(c.get("rests_on", [])),
                "how": c.get("how", ""),
                "basis_value": b["value"] if b else "",
                "basis_qualifier": formatting.value_word(b["qualifier"], edition) if b else "",
                "basis_as_written": b["text"] if b else "",
                "sources": list(c["sources"]),
                "source_urls": [data.sources[s]["url"] for s in c["sources"] if data.sources[s].get("url")],
                "verdicts": [
                    f"{data.sources[v['by']]['short']} ({v['by']}): " + " ".join(filter(None, [v.get("rating", ""), " ".join(v.get("quote", "").split())]))
                    for v in data.verdicts
                    if cid in v["claims"]
                ],
            }
        )
    return rows


def downloads(data, edition: Edition, csv_text) -> dict[str, str]:
    """<prefix>downloads/claims.csv and claims.json (claims, verdicts, confused figures, period),
    by name; downloads.write writes them with the rest."""
    if not data.claims:
        return {}
    prefix = edition.prefix
    rows = download_rows(data, edition)
    split = period_split(data, edition)
    document = {
        "claims": rows,
        "verdicts": [
            {
                "by": v["by"],
                "who": v.get("who", ""),
                "quote": " ".join(v.get("quote", "").split()),
                "rating": v.get("rating", ""),
                "claims": list(v["claims"]),
                "date": data.sources[v["by"]]["date"],
            }
            for v in data.verdicts
        ],
        "confused": [
            {
                "id": fid,
                "value": i["value"],
                "qualifier": formatting.value_word(i["qualifier"], edition),
                "as_written": formatting.with_qualifier(i, edition),
                "as_of": i["as_of"],
                "label": i["label"],
                "meaning": " ".join(i["meaning"].split()),
                "sources": list(i["sources"]),
            }
            for fid, i in data.confused.items()
        ],
        "period": None if split is None else {k: split[k] for k in ("figure", "start", "end", "change", "before", "after", "before_months", "after_months", "sources")},
    }
    return {
        f"{prefix}downloads/claims.csv": csv_text(rows, CLAIM_COLUMNS),
        f"{prefix}downloads/claims.json": json.dumps(document, ensure_ascii=False, indent=1, sort_keys=True) + "\n",
    }


# ---- other editions ----------------------------------------------------------------

VERDICT_FIELDS = (("lead", "translation"), ("who", "rating"))


def check_translation(doc, display: str, site, error) -> list:
    """The verdicts of data/<lang>.yaml: a list in the English order, one entry per verdict."""
    errors = []
    if not site.verdicts:
        return errors
    block = doc.get("verdicts")
    if not isinstance(block, list):
        return [error(display, doc.line, "there is no `verdicts:` section", "add `verdicts:` with one entry per verdict of data/claims.yaml, in the same order")]
    if len(block) != len(site.verdicts):
        return [error(display, block.line, f"`verdicts:` has {len(block)} entries, data/claims.yaml has {len(site.verdicts)}", "give one entry per verdict, in the same order")]
    required, optional = VERDICT_FIELDS
    for i, (english, entry) in enumerate(zip(site.verdicts, block, strict=True)):
        line = block.item_lines[i]
        if not isinstance(entry, dict):
            errors.append(error(display, line, f"verdict {i + 1} should be a set of fields", f"give it {', '.join(required)}"))
            continue
        for key in required + tuple(k for k in optional if k in english):
            if key == "translation" and "quote" not in english:
                continue
            if not (isinstance(entry.get(key), str) and entry[key].strip()):
                errors.append(
                    error(
                        display, entry.key_lines.get(key, line), f"verdicts entry {i + 1} (by {english['by']}) has no translated `{key}`", f"add `{key}:` with the translated text"
                    )
                )
        for key in entry:
            if key not in (*required, *optional, "by"):
                errors.append(error(display, entry.key_lines[key], f"`{key}` is not a field we translate for verdicts", f"the fields are: {', '.join((*required, *optional))}"))
        if "by" in entry and entry["by"] != english["by"]:
            errors.append(
                error(
                    display, entry.key_lines["by"], f"verdicts entry {i + 1} is by {english['by']} in data/claims.yaml, not {entry['by']}", "keep the entries in the English order"
                )
            )
    return errors


def localize(out, doc) -> None:
    """The verdicts' texts in the translation's language (a list, which translations.SECTIONS,
    keyed by id, does not cover; the claims' own texts are localized from that table)."""
    for english, entry in zip(out.verdicts, doc.get("verdicts") or [], strict=False):
        for key in ("lead", "translation", "who"):
            if key in entry:
                english[key] = entry[key]
        if "rating" in entry:  # the fact-checker's own word stays, beside ours
            english["rating_translation"] = entry["rating"]
