"""formatting.py: numbers, qualifiers, periods and derived shares, the way a reporter writes them."""

from __future__ import annotations

from fractions import Fraction

import pytest

from plugins.figures import formatting

ENGLISH = formatting.edition("en", "")


def figure(**kw):
    return {"value": 32000, "qualifier": "more than", **kw}


@pytest.mark.parametrize(
    "qualifier, expected",
    [("more than", "more than 32,000"), ("about", "about 32,000"), ("exactly", "32,000")],
)
def test_qualifier_and_grouping(qualifier, expected):
    assert formatting.with_qualifier(figure(qualifier=qualifier), ENGLISH) == expected


def test_number_uses_babel_grouping():
    assert formatting.number(448000, ENGLISH) == "448,000"
    assert formatting.number(1234567, ENGLISH) == "1,234,567"


@pytest.mark.parametrize(
    "record, expected",
    [
        ({"period": {"fiscal_years": [2019, 2023]}}, "fiscal years 2019–2023"),
        ({"period": {"fiscal_years": [2021, 2021]}}, "fiscal year 2021"),
        ({"as_of": "2024-05"}, "as of May 2024"),
        ({"as_of": "2023-12-08"}, "as of December 8, 2023"),
        ({"as_of": "late 2023"}, "as of late 2023"),
        ({"as_of": "mid 2024"}, "as of mid-2024"),
        ({"period": {"fiscal_years": [2019, 2023]}, "as_of": "2024-05"}, "fiscal years 2019–2023, as of May 2024"),
    ],
)
def test_period(record, expected):
    assert formatting.period(record, ENGLISH) == expected


@pytest.mark.parametrize(
    "as_of, expected",
    [("late 2023", "a finales de 2023"), ("early 2024", "a principios de 2024"), ("2024-05", "en mayo de 2024"), ("2023-12-08", "al 8 de diciembre de 2023")],
)
def test_period_in_spanish(as_of, expected):
    assert formatting.period({"as_of": as_of}, formatting.edition("es", "es/")) == expected


@pytest.mark.parametrize(
    "value, words",
    [
        (291000 / 448000, "about two in three"),
        (0.5, "about half"),
        (0.26, "about one in four"),
        (32000 / 448000, "about one in 14"),
        (1.5, "about 150%"),
        (0.34, "about one in three"),
    ],
)
def test_ratio_words(value, words):
    assert formatting.ratio_words(value, ENGLISH) == words


def test_nearest_fraction_prefers_small_denominators():
    assert formatting.nearest_simple_fraction(0.6496) == Fraction(2, 3)
    assert formatting.nearest_simple_fraction(0.75) == Fraction(3, 4)
    assert formatting.nearest_simple_fraction(0.013) == Fraction(1, 77)


def test_ratio_percent_rounds_to_whole_percent():
    assert formatting.ratio_percent(291000 / 448000, ENGLISH) == "about 65%"
