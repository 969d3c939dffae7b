"""Answering a questionnaire: one question at a time, every answer stored as it is given.

The response row remembers the question on screen, so an interruption, /cancel or a restart
resumes at the same place. Once sent, a response is final.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.errors import UserFacingError
from bot.services.people import Actor
from bot.services.questionnaires.schema import (
    NO,
    OTHER,
    YES,
    DateQuestion,
    MultiQuestion,
    NumberQuestion,
    Question,
    Questionnaire,
    ScaleQuestion,
    SingleQuestion,
    TextQuestion,
    YesNoQuestion,
)
from bot.services.questionnaires.versions import definition_by_id
from models import Membership, MembershipStatus, ResponseStatus, SurveyAnswer, SurveyResponse
from models.questionnaires import OPEN_STATUSES

SUMMARY = ""  # current_question while the person reviews their answers
DATE_FORMATS = ("%d.%m.%Y", "%d.%m.%y", "%Y-%m-%d", "%d/%m/%Y")
YES_WORDS = {"да", "yes", "д", "y", "ага"}
NO_WORDS = {"нет", "no", "н", "n"}


@dataclass(frozen=True)
class Value:
    """One stored value; a skipped question is stored as a Value with nothing in it."""

    option: str | None = None
    number: float | None = None
    text: str | None = None
    day: date | None = None

    @property
    def empty(self) -> bool:
        return (
            self.option is None
            and self.number is None
            and self.text is None
            and (self.day is None)
        )


@dataclass
class Form:
    """A response being answered, with its questionnaire and the answers stored so far."""

    response: SurveyResponse
    questionnaire: Questionnaire
    answers: dict[str, list[Value]] = field(default_factory=dict)

    # --- what is on screen -------------------------------------------------------------------

    def visible(self) -> list[Question]:
        """Questions in order, without those whose condition the answers so far do not meet."""
        shown: list[Question] = []
        shown_ids: set[str] = set()
        for question in self.questionnaire.questions:
            condition = question.show_if
            if condition is not None:
                given = {value.option for value in self.answers.get(condition.question, [])}
                if condition.question not in shown_ids or not given & set(condition.equals):
                    continue
            shown.append(question)
            shown_ids.add(question.id)
        return shown

    @property
    def current(self) -> Question | None:
        """The question on screen; None while reviewing the summary."""
        if not self.response.current_question:
            return None
        for question in self.visible():
            if question.id == self.response.current_question:
                return question
        return None

    def position(self, question: Question) -> tuple[int, int]:
        ids = [item.id for item in self.visible()]
        return ids.index(question.id) + 1, len(ids)

    def is_answered(self, question: Question) -> bool:
        return question.id in self.answers

    def is_skipped(self, question: Question) -> bool:
        values = self.answers.get(question.id, [])
        return bool(values) and all(value.empty for value in values)

    def values(self, question: Question) -> list[Value]:
        return [value for value in self.answers.get(question.id, []) if not value.empty]

    def picked(self, question: Question) -> list[str]:
        return [value.option for value in self.values(question) if value.option]

    def other_text(self, question: Question) -> str | None:
        for value in self.values(question):
            if value.option == OTHER:
                return value.text
        return None

    def missing(self) -> list[Question]:
        """Required questions still without an answer."""
        return [q for q in self.visible() if not q.optional and not self.values(q)]

    def previous(self) -> Question | None:
        visible = self.visible()
        current = self.current
        if current is None:
            return visible[-1] if visible else None
        index = [q.id for q in visible].index(current.id)
        return visible[index - 1] if index > 0 else None


# --- loading ---------------------------------------------------------------------------------


async def load(session: AsyncSession, response: SurveyResponse) -> Form:
    questionnaire = await definition_by_id(session, response.questionnaire_version_id)
    rows = await session.scalars(
        select(SurveyAnswer)
        .where(SurveyAnswer.response_id == response.id)
        .order_by(SurveyAnswer.id)
    )
    form = Form(response, questionnaire)
    for row in rows:
        form.answers.setdefault(row.question_id, []).append(
            Value(row.option, row.number, row.text, row.day)
        )
    return form


async def own_form(session: AsyncSession, actor: Actor, response_id: int) -> Form | None:
    """The loader for `owned`: a response of this person's active membership, else None."""
    response = await session.get(SurveyResponse, response_id)
    membership = (
        await session.get(Membership, response.membership_id) if response is not None else None
    )
    if (
        response is None
        or membership is None
        or actor.user is None
        or membership.user_id != actor.user.id
        or membership.status != MembershipStatus.ACTIVE
    ):
        return None
    return await load(session, response)


def check_open(response: SurveyResponse, now: datetime) -> None:
    """A response still open to answers; otherwise why not, for the person to read."""
    if response.status == ResponseStatus.SUBMITTED:
        raise UserFacingError("survey-error-sent")
    if response.status not in OPEN_STATUSES:
        raise UserFacingError("survey-error-closed")
    if response.due_at is not None and response.due_at < now:
        raise UserFacingError("survey-error-expired")


async def open_own(session: AsyncSession, actor: Actor, response_id: int, now: datetime) -> Form:
    """The person's own response, still open to answers; otherwise why not, for them to read."""
    form = await own_form(session, actor, response_id)
    if form is None:
        raise UserFacingError("survey-error-not-found")
    check_open(form.response, now)
    return form


def begin(form: Form, now: datetime) -> Question | None:
    """Open the response: the question to show (where it stopped), or None for the summary."""
    response = form.response
    if response.status == ResponseStatus.ASSIGNED:
        response.status = ResponseStatus.IN_PROGRESS
        response.started_at = now
        response.current_question = form.visible()[0].id
    elif response.current_question and form.current is None:
        # The question on screen was hidden by a changed answer: go on from the first gap.
        response.current_question = _first_unanswered(form, None) or SUMMARY
    return form.current


# --- changing answers ------------------------------------------------------------------------


async def _store(
    session: AsyncSession, form: Form, question: Question, values: list[Value]
) -> None:
    await session.execute(
        delete(SurveyAnswer).where(
            SurveyAnswer.response_id == form.response.id,
            SurveyAnswer.question_id == question.id,
        )
    )
    session.add_all(
        SurveyAnswer(
            response_id=form.response.id,
            question_id=question.id,
            option=value.option,
            number=value.number,
            text=value.text,
            day=value.day,
        )
        for value in values
    )
    if values:
        form.answers[question.id] = list(values)
    else:
        form.answers.pop(question.id, None)
    await session.flush()


def _first_unanswered(form: Form, after: Question | None) -> str | None:
    visible = form.visible()
    start = 0
    if after is not None and after.id in [q.id for q in visible]:
        start = [q.id for q in visible].index(after.id) + 1
    for question in visible[start:] + visible[:start]:
        if not form.is_answered(question):
            return question.id
    return None


def _advance(form: Form, question: Question) -> Question | None:
    """After an answer: the next question not answered yet, else the summary (None)."""
    form.response.current_question = _first_unanswered(form, question) or SUMMARY
    return form.current


def _require_current(form: Form, question_id: str) -> Question:
    """The question a button or a typed answer is for must be the one on screen."""
    current = form.current
    if current is None or current.id != question_id:
        raise UserFacingError("survey-error-stale")
    return current


async def pick(session: AsyncSession, form: Form, question_id: str, value: str) -> Question | None:
    """A tap on a single choice, a yes/no or a point of a scale."""
    question = _require_current(form, question_id)
    if (isinstance(question, SingleQuestion) and value in [o.id for o in question.options]) or (
        isinstance(question, YesNoQuestion) and value in (YES, NO)
    ):
        stored = Value(option=value)
    elif isinstance(question, ScaleQuestion) and value.isdigit():
        stored = Value(number=float(_scale_point(question, value)))
    else:
        raise UserFacingError("survey-error-stale")
    await _store(session, form, question, [stored])
    return _advance(form, question)


async def toggle(session: AsyncSession, form: Form, question_id: str, option: str) -> None:
    """Tick or untick one option of a multiple choice; the question stays on screen."""
    question = _require_current(form, question_id)
    if not isinstance(question, MultiQuestion):
        raise UserFacingError("survey-error-stale")
    known = [o.id for o in question.options]
    other = form.other_text(question)
    picked = set(form.picked(question)) - {OTHER}
    if option == OTHER and other is not None:
        other = None  # unticking the typed-in answer removes it
    elif option in known:
        picked ^= {option}
    else:
        raise UserFacingError("survey-error-stale")
    values = [Value(option=code) for code in known if code in picked]
    if other is not None:
        values.append(Value(option=OTHER, text=other))
    await _store(session, form, question, values)


async def finish_multi(session: AsyncSession, form: Form, question_id: str) -> Question | None:
    """The "Done" of a multiple choice."""
    question = _require_current(form, question_id)
    if not isinstance(question, MultiQuestion):
        raise UserFacingError("survey-error-stale")
    if not form.values(question):
        if not question.optional:
            raise UserFacingError(
                "survey-error-pick-or-type" if question.other else "survey-error-pick"
            )
        await _store(session, form, question, [Value()])
    return _advance(form, question)


async def skip(session: AsyncSession, form: Form, question_id: str) -> Question | None:
    question = _require_current(form, question_id)
    if not question.optional:
        raise UserFacingError("survey-error-required")
    await _store(session, form, question, [Value()])
    return _advance(form, question)


def keep(form: Form, question_id: str) -> Question | None:
    """Leave an answer given before as it is and go on."""
    question = _require_current(form, question_id)
    if not form.is_answered(question):
        raise UserFacingError("survey-error-stale")
    return _advance(form, question)


def back(form: Form, question_id: str) -> Question:
    current = form.current
    if (current.id if current is not None else SUMMARY) != question_id:
        raise UserFacingError("survey-error-stale")
    previous = form.previous()
    if previous is None:
        raise UserFacingError("survey-error-stale")
    form.response.current_question = previous.id
    return previous


def review(form: Form, question_id: str) -> Question:
    """From the summary, open one question to change its answer."""
    if form.current is not None:
        raise UserFacingError("survey-error-stale")
    for question in form.visible():
        if question.id == question_id:
            form.response.current_question = question.id
            return question
    raise UserFacingError("survey-error-stale")


async def tap(session: AsyncSession, form: Form, kind: str, item: str) -> Question | None:
    """A button of the answering screen: `kind` is its widget (an answer, "tick", "move", or a
    summary line's "edit"), `item` its question by place and its value: `3.parents`."""
    if kind == "edit":
        return review(form, item)
    index, _, value = item.partition(".")
    questions = form.questionnaire.questions
    if not index.isdigit() or int(index) >= len(questions):
        raise UserFacingError("survey-error-stale")
    question_id = questions[int(index)].id
    if kind == "tick":
        await toggle(session, form, question_id, value)
        return form.current
    if kind != "move":
        return await pick(session, form, question_id, value)
    if value in ("skip", "done"):
        return await (skip if value == "skip" else finish_multi)(session, form, question_id)
    if value in ("keep", "back"):
        return (keep if value == "keep" else back)(form, question_id)
    raise UserFacingError("survey-error-stale")


async def answer_typed(
    session: AsyncSession, form: Form, text: str | None, today: date
) -> Question | None:
    """A typed message as the answer to the question on screen.

    Returns the question to show next (the same one when a multiple choice took a typed
    "other"), or None for the summary. Wrong input raises UserFacingError and changes nothing.
    """
    question = form.current
    if question is None:
        raise UserFacingError("survey-error-use-buttons")
    if isinstance(question, MultiQuestion):
        if not question.other:
            raise UserFacingError("survey-error-use-buttons")
        other = clean_text(text, 300)
        values = [value for value in form.values(question) if value.option != OTHER]
        await _store(session, form, question, [*values, Value(option=OTHER, text=other)])
        return question
    value = parse_typed(question, text, today)
    await _store(session, form, question, [value])
    return _advance(form, question)


async def submit(session: AsyncSession, form: Form, now: datetime) -> None:
    if form.current is not None:
        raise UserFacingError("survey-error-stale")
    missing = form.missing()
    if missing:
        form.response.current_question = missing[0].id
        raise UserFacingError("survey-error-missing")
    shown = {question.id for question in form.visible()}
    hidden = [question_id for question_id in form.answers if question_id not in shown]
    if hidden:  # answers to questions a later change hid are not part of what was sent
        await session.execute(
            delete(SurveyAnswer).where(
                SurveyAnswer.response_id == form.response.id,
                SurveyAnswer.question_id.in_(hidden),
            )
        )
        for question_id in hidden:
            form.answers.pop(question_id, None)
    form.response.status = ResponseStatus.SUBMITTED
    form.response.submitted_at = now
    form.response.current_question = None


# --- typed input -----------------------------------------------------------------------------


def clean_text(text: str | None, limit: int) -> str:
    value = (text or "").strip()
    if not value:
        raise UserFacingError("survey-error-text-empty")
    if len(value) > limit:
        raise UserFacingError("survey-error-text-too-long", limit=limit, length=len(value))
    return value


def _scale_point(question: ScaleQuestion, text: str) -> int:
    value = text.strip()
    if not re.fullmatch(r"\d{1,3}", value) or not question.min <= int(value) <= question.max:
        raise UserFacingError("survey-error-scale", low=question.min, high=question.max)
    return int(value)


def format_number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def parse_number(question: NumberQuestion, text: str | None) -> float:
    raw = (text or "").strip().replace(",", ".").replace(" ", "")
    low, high = format_number(question.min), format_number(question.max)
    if not re.fullmatch(r"-?\d{1,9}(\.\d{1,6})?", raw):
        raise UserFacingError("survey-error-number", low=low, high=high)
    number = float(raw)
    if question.integer and not number.is_integer():
        raise UserFacingError("survey-error-integer", low=low, high=high)
    if not question.min <= number <= question.max:
        raise UserFacingError("survey-error-number", low=low, high=high)
    return number


def parse_day(text: str | None, today: date) -> date:
    """A real calendar date typed as DD.MM.YYYY (or a few other usual ways)."""
    raw = (text or "").strip()
    for date_format in DATE_FORMATS:
        try:
            day = datetime.strptime(raw, date_format).date()
            break
        except ValueError:
            continue
    else:
        raise UserFacingError("survey-error-date")
    if not 1900 <= day.year <= today.year + 50:
        raise UserFacingError("survey-error-date")
    return day


def parse_date(question: DateQuestion, text: str | None, today: date) -> date:
    day = parse_day(text, today)
    if question.when == "past" and day > today:
        raise UserFacingError("survey-error-date-future")
    if question.when == "future" and day < today:
        raise UserFacingError("survey-error-date-past")
    return day


def parse_typed(question: Question, text: str | None, today: date) -> Value:
    """The stored value of a typed answer, or a UserFacingError saying what was wrong."""
    if isinstance(question, TextQuestion):
        return Value(text=clean_text(text, question.max_length))
    if isinstance(question, NumberQuestion):
        return Value(number=parse_number(question, text))
    if isinstance(question, ScaleQuestion):
        return Value(number=float(_scale_point(question, text or "")))
    if isinstance(question, DateQuestion):
        return Value(day=parse_date(question, text, today))
    word = (text or "").strip().lower().rstrip(".!")
    if isinstance(question, YesNoQuestion):
        if word in YES_WORDS:
            return Value(option=YES)
        if word in NO_WORDS:
            return Value(option=NO)
        raise UserFacingError("survey-error-use-buttons")
    assert isinstance(question, SingleQuestion)
    for option in question.options:
        if word in (option.text.ru.lower(), option.text.en.lower()):
            return Value(option=option.id)
    if question.other:
        return Value(option=OTHER, text=clean_text(text, 300))
    raise UserFacingError("survey-error-use-buttons")
