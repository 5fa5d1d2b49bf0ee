"""Turn figure records into the words and numbers readers see.

Numbers, percentages and dates go through Babel, so a second language needs
only its phrases and number words below (and its `Edition`), not new code.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable
from fractions import Fraction

from babel.dates import format_date, format_skeleton
from babel.numbers import format_decimal, format_percent

from .data import approximate_date, evaluate_formula, parse_date

# Site language (as in a page's `Lang:`) -> Babel locale. Spanish pages declare lang="es-US",
# and the US Spanish press writes numbers as es_US does: "más de 32,000", "65%",
# "20 de agosto de 2024" (plain "es" would give Spain's "32.000" and "65 %").
LOCALES = {"en": "en_US", "es": "es_US"}

# Phrases are the language's (keyed like LOCALES); the Babel locale only changes how numbers are written.
PHRASES = {
    "en": {
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
        # The claims page and chart (claims.py): a period in months and days, the sum we computed.
        "months": ("{n} month", "{n} months"),
        "days": ("{n} day", "{n} days"),
        "and": "{a} and {b}",
        "sum_label": "The two counts added (our sum)",
        "said_on": "said on {date}",
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
        "months": ("{n} mes", "{n} meses"),
        "days": ("{n} día", "{n} días"),
        "and": "{a} y {b}",
        "sum_label": "Los dos recuentos sumados (nuestra suma)",
        "said_on": "dicho el {date}",
        # The values downloads write in words (the English edition writes the identifiers
        # themselves). Qualifiers come from the phrases above; "exactly" has no word there.
        "values": {
            "exactly": "exactamente",
            "matches": "coincide", "differs": "difiere", "unverified": "sin verificar", "derived": "calculada",
            "share": "proporción",
            "primary": "fuente primaria", "news": "noticia", "analysis": "análisis", "court": "tribunal",
            "press_release": "comunicado de prensa",
            "correction": "corrección", "newer count": "recuento más reciente",
        },
    },
}
# One to nine in words (newsroom style: 10 and up in figures), for "about two in three" and
# `{{ id.words }}`. A literal table: num2words, which a test compares it with, loads every
# language it knows on import, not worth paying for "eight".
NUMBER_WORDS = {
    "en": {1: "one", 2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight", 9: "nine"},
    "es": {1: "uno", 2: "dos", 3: "tres", 4: "cuatro", 5: "cinco", 6: "seis", 7: "siete", 8: "ocho", 9: "nueve"},
}


def untranslated(lang, message, **variables):
    """The translator of an edition without a catalogue: the message as written."""
    return message % variables if variables else message


@dataclasses.dataclass(frozen=True)
class Edition:
    """One language of the site: everything that writes a number, date or word for it.

    Passed to every function that formats or translates; none assumes English.
    `t(lang, message, **variables)` is the interface catalogue (i18n.Translator).
    """

    lang: str  # as in a page's `Lang:` ("es"); picks the phrases and number words
    locale: str  # the Babel locale numbers and dates are written in ("es_US")
    prefix: str  # the URL folder of its pages ("es/"; "" for the default language)
    t: Callable = dataclasses.field(default=untranslated, compare=False, repr=False)
    date_format: str = "long"  # Babel's: "August 20, 2024", "20 de agosto de 2024"
    month_format: str = "yMMMM"  # a Babel skeleton: "May 2024", "mayo de 2024"

    @property
    def html_lang(self) -> str:
        """What <html lang> declares: the locale numbers and dates are written in (en-US, es-US)."""
        return self.locale.replace("_", "-")

    @property
    def phrases(self) -> dict:
        return PHRASES[self.lang]

    def gettext(self, message: str, **variables) -> str:
        return self.t(self.lang, message, **variables)


def edition(lang: str, prefix: str, t: Callable = untranslated) -> Edition:
    """The edition of a site language, its locale from LOCALES."""
    return Edition(lang, LOCALES[lang], prefix, t)


def upper_first(text: str) -> str:
    """'Fiscal years 2019–2023' to start a sentence (the `upper_first` filter of the templates)."""
    return text[:1].upper() + text[1:]


def value_word(value: str, edition: Edition) -> str:
    """A data value (qualifier, verdict, unit, source kind) in the edition's words, for downloads.

    English keeps the identifiers as written in data/ ("more than", "press_release").
    """
    phrases = edition.phrases
    if "values" not in phrases:
        return value
    if value in ("more than", "about") and value in phrases:
        return phrases[value].replace("{n}", "").strip()
    return phrases["values"][value]


@functools.lru_cache(maxsize=4096)
def number(value: int, edition: Edition) -> str:
    # Babel takes ~0.1 ms a call, and a build writes the same few dozen numbers hundreds of times.
    return format_decimal(value, locale=edition.locale)


def with_qualifier(figure, edition: Edition) -> str:
    """'more than 32,000' — the figure as the source words it."""
    return edition.phrases[figure["qualifier"]].format(n=number(figure["value"], edition))


@functools.lru_cache(maxsize=4096)
def date_text(text: str, edition: Edition) -> str:
    """'May 2024' for 2024-05, 'December 8, 2023' for 2023-12-08, 'late 2023' for late 2023."""
    approximate = approximate_date(text)
    if approximate:
        part, year = approximate
        return edition.phrases[part].format(year=year)
    date = parse_date(text)
    if date is None:
        # Babel formats None as today's date: a wrong date on a page. The data checks refuse
        # such a date first, so this is the code's mistake, not an editor's.
        raise ValueError(f"not a date: {text!r}")
    if len(text) == 7:
        return format_skeleton(edition.month_format, date, locale=edition.locale)
    return format_date(date, edition.date_format, locale=edition.locale)


def period(figure, edition: Edition) -> str:
    """'fiscal years 2019–2023' or 'as of May 2024' (or both, joined)."""
    phrases = edition.phrases
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
        parts.append(phrases[key].format(date=date_text(as_of, edition)))
    elif as_of:
        key = "as_of_day" if len(as_of) > 7 and "as_of_day" in phrases else "as_of"
        parts.append(phrases[key].format(date=date_text(as_of, edition)))
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


def count_words(n: int, edition: Edition) -> str:
    """Newsroom style: one to nine in words, 10 and up in figures."""
    return NUMBER_WORDS[edition.lang][n] if 0 < n < 10 else number(n, edition)


def derived_value(item, figures: dict) -> float:
    return evaluate_formula(item["formula"], {k: f["value"] for k, f in figures.items()})


def derived_number(item, figures: dict) -> int | float:
    """A derived figure for machines (downloads, `<data value>`): a whole count, or a ratio to 4 places."""
    value = derived_value(item, figures)
    return round(value) if item["show_as"] == "count" else round(value, 4)


def derived_text(item, figures: dict, edition: Edition, attr: str = "") -> str:
    """A derived figure as readers see it, everywhere (pages, templates, downloads, checks).

    A count in figures ("1,234"); a ratio in words ("about two in three"), or with
    `attr="percent"` as a percentage ("about 65%").
    """
    value = derived_value(item, figures)
    if attr == "percent":
        return ratio_percent(value, edition)
    if item["show_as"] == "count":
        return number(round(value), edition)
    return ratio_words(value, edition)


def ratio_words(value: float, edition: Edition) -> str:
    """'about two in three' for 0.65; the percentage when no fraction is close."""
    phrases = edition.phrases
    fraction = nearest_simple_fraction(value)
    if fraction is None:
        return ratio_percent(value, edition)
    if fraction == Fraction(1, 2):
        return phrases["half"]
    return phrases["ratio"].format(n=count_words(fraction.numerator, edition), d=count_words(fraction.denominator, edition))


def ratio_percent(value: float, edition: Edition) -> str:
    """'about 65%' — rounded to whole percent because the inputs are lower bounds."""
    return edition.phrases["percent"].format(p=format_percent(round(value, 2), locale=edition.locale))
