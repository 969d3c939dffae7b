"""The numbered rules of the Положение, each with its test."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from bot.services import rules
from bot.services.errors import UserFacingError


def test_term_from_one_month_to_one_year() -> None:
    rules.check_term(date(2026, 1, 31), date(2026, 2, 28))  # a month, short February
    rules.check_term(date(2026, 9, 1), date(2027, 9, 1))  # a year
    with pytest.raises(UserFacingError) as short:
        rules.check_term(date(2026, 9, 1), date(2026, 9, 30))
    assert short.value.key == "rule-term-too-short"
    with pytest.raises(UserFacingError) as long:
        rules.check_term(date(2026, 9, 1), date(2027, 9, 2))
    assert long.value.key == "rule-term-too-long"


def test_a_mentor_has_at_most_three_mentees() -> None:
    rules.check_capacity(2)
    rules.check_capacity(0, adding=3)
    with pytest.raises(UserFacingError) as error:
        rules.check_capacity(3)
    assert error.value.key == "rule-mentor-capacity" and error.value.args_["limit"] == 3
    with pytest.raises(UserFacingError):
        rules.check_capacity(1, adding=3)


def test_mentor_approved_within_30_days_of_starting_work() -> None:
    assert rules.mentor_deadline(date(2026, 9, 1)) == date(2026, 10, 1)
    assert rules.days_to_mentor_deadline(date(2026, 9, 1), date(2026, 9, 25)) == 6
    assert rules.days_to_mentor_deadline(date(2026, 9, 1), date(2026, 10, 3)) == -2
    assert rules.days_to_mentor_deadline(None, date(2026, 10, 3)) is None


def test_programme_within_10_days_and_report_within_10_days_of_the_end() -> None:
    assert rules.programme_due(date(2026, 11, 25)) == date(2026, 12, 5)
    assert rules.report_due(date(2027, 5, 31)) == date(2027, 6, 10)


def test_dates_inside_the_term() -> None:
    rules.check_inside_term(date(2026, 10, 1), date(2026, 9, 1), date(2027, 5, 31))
    with pytest.raises(UserFacingError) as error:
        rules.check_inside_term(date(2027, 6, 1), date(2026, 9, 1), date(2027, 5, 31))
    assert error.value.args_ == {"start": "01.09.2026", "end": "31.05.2027"}


def test_working_hours_skip_evenings_and_weekends() -> None:
    moscow = "Europe/Moscow"
    # Wednesday 10:00 Moscow (07:00 UTC) + 4 h = 14:00 Moscow.
    start = datetime(2026, 11, 25, 7, 0, tzinfo=UTC)
    assert rules.add_working_hours(start, 4, moscow, 9, 18) == datetime(
        2026, 11, 25, 11, 0, tzinfo=UTC
    )
    # Friday 16:00 Moscow + 4 h: 2 h on Friday, 2 h on Monday -> Monday 11:00 Moscow.
    friday = datetime(2026, 11, 27, 13, 0, tzinfo=UTC)
    assert rules.add_working_hours(friday, 4, moscow, 9, 18) == datetime(
        2026, 11, 30, 8, 0, tzinfo=UTC
    )
    # Saturday night counts from Monday's opening.
    saturday = datetime(2026, 11, 28, 20, 0, tzinfo=UTC)
    assert rules.add_working_hours(saturday, 1, moscow, 9, 18) == datetime(
        2026, 11, 30, 7, 0, tzinfo=UTC
    )
