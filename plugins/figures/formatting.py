"""Turn figure records into the words and numbers readers see.

Numbers, percentages and dates go through Babel and number words through
num2words, so a second locale needs only its phrases below, not new code.
"""

from __future__ import annotations

import functools
from fractions import Fraction

from babel.dates import format_date, format_skeleton
from babel.numbers import format_decimal, format_percent

from .data import approximate_date, evaluate_formula, parse_date

LOCALE = "en_US"
# Site language (as in a page's `Lang:`) -> Babel locale. Spanish pages declare lang="es-US",
# and the US Spanish press writes numbers as es_US does: "más de 32,000", "65%",
# "20 de agosto de 2024" (plain "es" would give Spain's "32.000" and "65 %").
LOCALES = {"en": "en_US", "es": "es_US"}

PHRASES = {
    "en_US": {
        "more than": "more than {n}",
        "about": "about {n}",
        "exactly": "{n}",
        "fiscal_years": "fiscal years {first}–{last}",
        "fiscal_year": "fiscal year {first}",
        "as_of": "as of {date}",
        # A part of a year (`as_of: late 2023`), when the source gives no month.
        "early": "early {year}",
        "mid": "mid-{year}",
        "late": "late {year}",
        "ratio": "about {n} in {d}",
        "half": "about half",
        "percent": "about {p}",
        "source": "Source: {sources}",
    },
    "es": {
        "more than": "más de {n}",
        "about": "aproximadamente {n}",
        "exactly": "{n}",
        "fiscal_years": "años fiscales {first}–{last}",
        "fiscal_year": "año fiscal {first}",
        "as_of": "en {date}",
        "as_of_day": "al {date}",
        "as_of_part": "a {date}",
        "early": "principios de {year}",
        "mid": "mediados de {year}",
        "late": "finales de {year}",
        "ratio": "aproximadamente {n} de cada {d}",
        "half": "aproximadamente la mitad",
        "percent": "aproximadamente el {p}",
        "source": "Fuente: {sources}",
        # The values downloads write in words (the English edition writes the identifiers
        # themselves). Qualifiers come from the phrases above; "exactly" has no word there.
        "values": {
            "exactly": "exactamente",
            "matches": "coincide", "differs": "difiere", "unverified": "sin verificar", "derived": "calculada",
            "share": "proporción",
            "primary": "fuente primaria", "news": "noticia", "analysis": "análisis", "court": "tribunal",
            "press_release": "comunicado de prensa",
        },
    },
}
# Phrases are the language's; the Babel locale only changes how numbers are written.
PHRASES["es_US"] = PHRASES["es"]


def value_word(value: str, locale: str = LOCALE) -> str:
    """A data value (qualifier, verdict, unit, source kind) in the edition's words, for downloads.

    English keeps the identifiers as written in data/ ("more than", "press_release").
    """
    phrases = PHRASES[locale]
    if "values" not in phrases:
        return value
    if value in ("more than", "about") and value in phrases:
        return phrases[value].replace("{n}", "").strip()
    return phrases["values"][value]


def number(value: int, locale: str = LOCALE) -> str:
    return format_decimal(value, locale=locale)


def with_qualifier(figure, locale: str = LOCALE) -> str:
    """'more than 32,000' — the figure as the source words it."""
    return PHRASES[locale][figure["qualifier"]].format(n=number(figure["value"], locale))


@functools.lru_cache(maxsize=4096)
def date_text(text: str, locale: str = LOCALE) -> str:
    """'May 2024' for 2024-05, 'December 8, 2023' for 2023-12-08, 'late 2023' for late 2023."""
    approximate = approximate_date(text)
    if approximate:
        part, year = approximate
        return PHRASES[locale][part].format(year=year)
    date = parse_date(text)
    if len(text) == 7:
        return format_skeleton("yMMMM", date, locale=locale)
    return format_date(date, "long", locale=locale)


def period(figure, locale: str = LOCALE) -> str:
    """'fiscal years 2019–2023' or 'as of May 2024' (or both, joined)."""
    phrases = PHRASES[locale]
    parts = []
    years = figure.get("period", {}).get("fiscal_years")
    if years:
        first, last = years
        key = "fiscal_year" if first == last else "fiscal_years"
        parts.append(phrases[key].format(first=first, last=last))
    as_of = figure.get("as_of")
    if as_of and approximate_date(as_of):
        # "as of late 2023", "a finales de 2023": only the part of the year the source gives.
        key = "as_of_part" if "as_of_part" in phrases else "as_of"
        parts.append(phrases[key].format(date=date_text(as_of, locale)))
    elif as_of:
        key = "as_of_day" if len(as_of) > 7 and "as_of_day" in phrases else "as_of"
        parts.append(phrases[key].format(date=date_text(as_of, locale)))
    return ", ".join(parts)


def nearest_simple_fraction(value: float, tolerance: float = 0.1) -> Fraction | None:
    """The plainest fraction a reporter would say for a share, or None.

    The smallest denominator up to ten within `tolerance` (relative) wins, so
    0.6496 reads as two in three rather than thirteen in twenty; small shares
    become "one in N" (0.0714 -> one in 14). None when nothing is close enough.
    """
    if not 0 < value < 1:
        return None
    for denominator in range(2, 11):
        candidate = Fraction(round(value * denominator), denominator)
        if candidate.numerator and abs(float(candidate) - value) <= tolerance * value:
            return candidate
    candidate = Fraction(1, round(1 / value))
    if abs(float(candidate) - value) <= tolerance * value:
        return candidate
    return None


# Words for small numbers, remembered between builds (the build sets the file): num2words
# loads every language it knows on import, which is not worth paying for "eight" again.
WORDS_FILE = None
_words: dict | None = None


def _spelt(n: int, lang: str) -> str:
    global _words
    if _words is None:
        import json

        try:
            _words = json.loads(WORDS_FILE.read_text()) if WORDS_FILE else {}
        except (OSError, ValueError):
            _words = {}
    key = f"{lang}:{n}"
    if key not in _words:
        from num2words import num2words

        _words[key] = num2words(n, lang=lang)
        if WORDS_FILE is not None:
            import json

            WORDS_FILE.parent.mkdir(parents=True, exist_ok=True)
            WORDS_FILE.write_text(json.dumps(_words, sort_keys=True, ensure_ascii=False))
    return _words[key]


def count_words(n: int, locale: str) -> str:
    """Newsroom style: one to nine in words, 10 and up in figures."""
    if n < 10:
        return _spelt(n, locale.split("_")[0])
    return number(n, locale)


def derived_value(item, figures: dict) -> float:
    return evaluate_formula(item["formula"], {k: f["value"] for k, f in figures.items()})


def ratio_words(value: float, locale: str = LOCALE) -> str:
    """'about two in three' for 0.65; the percentage when no fraction is close."""
    phrases = PHRASES[locale]
    fraction = nearest_simple_fraction(value)
    if fraction is None:
        return ratio_percent(value, locale)
    if fraction == Fraction(1, 2):
        return phrases["half"]
    return phrases["ratio"].format(n=count_words(fraction.numerator, locale), d=count_words(fraction.denominator, locale))


def ratio_percent(value: float, locale: str = LOCALE) -> str:
    """'about 65%' — rounded to whole percent because the inputs are lower bounds."""
    return PHRASES[locale]["percent"].format(p=format_percent(round(value, 2), locale=locale))
