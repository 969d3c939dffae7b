"""The joining questionnaire as data, and the validation of each answer.

Each question fills one field of `models.Profile`. Locale keys derive from the names:
`q-<field>` is the question, `opt-<field>-<code>` a choice's label.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from bot.services.errors import UserFacingError
from models import Profile, Role


class Kind(StrEnum):
    TEXT = "text"
    NAME = "name"
    CHOICE = "choice"  # one of the options, or "other" typed in
    MULTI = "multi"  # several options plus an optional typed "other"
    PHONE = "phone"
    YEAR_OF_BIRTH = "birth_year"
    NUMBER = "number"
    DATE = "date"
    CONSENT = "consent"


OTHER = "other"
ALL_ROLES = frozenset(Role)
MENTEE = frozenset({Role.MENTEE})
MENTOR = frozenset({Role.MENTOR})
BANK = frozenset({Role.MENTOR, Role.MENTEE})

POSITIONS = (
    "educator",
    "senior_educator",
    "music_director",
    "pe_instructor",
    "speech_therapist",
    "defectologist",
    "psychologist",
    "additional_education",
    "methodist",
    OTHER,
)
EDUCATION = (
    "higher_pedagogical",
    "higher_other",
    "vocational_pedagogical",
    "vocational_other",
)
MENTEE_CATEGORIES = (
    "young_specialist",
    "new_technology",
    "new_to_team",
    "non_pedagogical",
)
DIFFICULTIES = (
    "planning",
    "methods",
    "parents",
    "group_management",
    "documentation",
    "inclusion",
    "digital",
    "health",
    "team",
)
COMPETENCIES = (
    "planning",
    "methods",
    "parents",
    "group_management",
    "documentation",
    "inclusion",
    "digital",
    "health",
    "contests",
    "research",
)

SHORT_TEXT = 200
LONG_TEXT = 1000


@dataclass(frozen=True)
class Question:
    field: str
    kind: Kind
    roles: frozenset[Role]
    options: tuple[str, ...] = ()
    other_field: str | None = None  # where the typed "other" of a MULTI goes
    optional: bool = False
    max_length: int = SHORT_TEXT
    bounds: tuple[int, int] = (0, 0)


QUESTIONS: tuple[Question, ...] = (
    Question("full_name", Kind.NAME, ALL_ROLES),
    Question("position", Kind.CHOICE, BANK, options=POSITIONS),
    Question("phone", Kind.PHONE, ALL_ROLES, optional=True),
    Question("birth_year", Kind.YEAR_OF_BIRTH, BANK),
    Question("education", Kind.CHOICE, BANK, options=EDUCATION),
    Question("experience_years", Kind.NUMBER, BANK, bounds=(0, 60)),
    Question("started_on", Kind.DATE, BANK),
    Question("mentee_category", Kind.CHOICE, MENTEE, options=MENTEE_CATEGORIES),
    Question("main_request", Kind.TEXT, MENTEE, max_length=LONG_TEXT),
    Question(
        "difficulties",
        Kind.MULTI,
        MENTEE,
        options=DIFFICULTIES,
        other_field="difficulties_other",
    ),
    Question(
        "competencies",
        Kind.MULTI,
        MENTOR,
        options=COMPETENCIES,
        other_field="competencies_other",
    ),
    Question("achievements", Kind.TEXT, MENTOR, max_length=LONG_TEXT),
    Question("interests", Kind.TEXT, MENTOR, max_length=LONG_TEXT),
    Question("preferred_mentee", Kind.TEXT, MENTOR, max_length=LONG_TEXT),
    Question("hours_per_month", Kind.NUMBER, MENTOR, bounds=(1, 80)),
    Question("mentor_consent_at", Kind.CONSENT, MENTOR),
)
BY_FIELD = {question.field: question for question in QUESTIONS}
# Choices whose `other` is typed in go straight into the field; multi "other" into other_field.
CHOICE_OPTIONS = {q.field: q.options for q in QUESTIONS if q.kind is Kind.CHOICE}


def option_text_key(field: str, value: str) -> str | None:
    """The Fluent text naming a stored choice (`opt-<field>-<code>`), or None for a value
    typed in (shown as typed)."""
    question = BY_FIELD.get(field)
    known = question is not None and value in question.options and value != OTHER
    return f"opt-{field}-{value}" if known else None


def questions_for(role: Role) -> list[Question]:
    return [question for question in QUESTIONS if role in question.roles]


def is_answered(profile: Profile, question: Question) -> bool:
    if question.field in (profile.skipped or []):
        return True
    value = getattr(profile, question.field)
    return value not in (None, "", [])


def next_question(profile: Profile, role: Role) -> Question | None:
    for question in questions_for(role):
        if not is_answered(profile, question):
            return question
    return None


def previous_question(role: Role, field: str) -> Question | None:
    questions = questions_for(role)
    index = [question.field for question in questions].index(field)
    return questions[index - 1] if index > 0 else None


def progress(role: Role, field: str) -> tuple[int, int]:
    questions = questions_for(role)
    return [question.field for question in questions].index(field) + 1, len(questions)


# --- validation of typed answers -------------------------------------------------------------

NAME_PATTERN = re.compile(r"^[A-Za-zА-Яа-яЁё][A-Za-zА-Яа-яЁё'’.\- ]*$")
DATE_FORMATS = ("%d.%m.%Y", "%d.%m.%y", "%Y-%m-%d", "%d/%m/%Y")
MIN_AGE, MAX_AGE = 16, 90


def clean_text(text: str | None, max_length: int) -> str:
    value = " ".join((text or "").split()) if max_length <= SHORT_TEXT else (text or "").strip()
    if not value:
        raise UserFacingError("error-text-empty")
    if len(value) > max_length:
        raise UserFacingError("error-text-too-long", limit=max_length, length=len(value))
    return value


def parse_full_name(text: str | None) -> str:
    value = clean_text(text, SHORT_TEXT)
    if not NAME_PATTERN.match(value) or len(value.split()) < 2:
        raise UserFacingError("error-name")
    return value


def parse_phone(text: str | None) -> str:
    raw = (text or "").strip()
    digits = re.sub(r"\D", "", raw)
    if not re.fullmatch(r"\+?[\d\s()\-]{7,25}", raw) or not 10 <= len(digits) <= 15:
        raise UserFacingError("error-phone")
    if len(digits) == 11 and digits[0] == "8":  # Russian trunk prefix
        digits = "7" + digits[1:]
    if len(digits) == 10:
        digits = "7" + digits
    return "+" + digits


def parse_birth_year(text: str | None, today: date) -> int:
    value = (text or "").strip()
    if not re.fullmatch(r"\d{4}", value):
        raise UserFacingError("error-year-format")
    year = int(value)
    age = today.year - year
    if not MIN_AGE <= age <= MAX_AGE:
        raise UserFacingError("error-year-age", low=MIN_AGE, high=MAX_AGE, age=age)
    return year


def parse_number(text: str | None, low: int, high: int) -> int:
    value = (text or "").strip()
    if not re.fullmatch(r"\d{1,4}", value):
        raise UserFacingError("error-number", low=low, high=high)
    number = int(value)
    if not low <= number <= high:
        raise UserFacingError("error-number", low=low, high=high)
    return number


def parse_date(text: str | None) -> date:
    value = (text or "").strip()
    for date_format in DATE_FORMATS:
        try:
            return datetime.strptime(value, date_format).date()
        except ValueError:
            continue
    raise UserFacingError("error-date")


def parse_start_date(text: str | None, today: date, birth_year: int | None) -> date:
    """Date the person started at this organisation: real, not in the future, after age 16."""
    started = parse_date(text)
    if started > today:
        raise UserFacingError("error-date-future")
    earliest = max(1950, (birth_year or 0) + MIN_AGE)
    if started.year < earliest:
        raise UserFacingError("error-date-too-early", year=earliest)
    return started


def check_experience(years: int, birth_year: int | None, today: date) -> int:
    if birth_year is not None and years > today.year - birth_year - MIN_AGE:
        raise UserFacingError("error-experience-age")
    return years
