"""A questionnaire as the person answering it reads it: a stored answer and a question's hint
in their words, the options a question offers, the list of questionnaires waiting (all escaped
for HTML). handlers/survey.py shapes them into its windows."""

from __future__ import annotations

from aiogram_i18n import I18nContext

from bot.services.questionnaires import answering, campaigns, schema
from bot.services.questionnaires.answering import Form
from bot.ui import esc, format_date, format_day
from models import Phase, ResponseStatus


def answer_text(i18n: I18nContext, form: Form, question: schema.Question) -> str:
    """The stored answer in words."""
    if form.is_skipped(question):
        return i18n.get("survey-answer-skipped")
    values = form.values(question)
    if not values:
        return "—"
    locale = i18n.locale
    if isinstance(question, schema.SingleQuestion | schema.MultiQuestion):
        names = {option.id: option.text.get(locale) for option in question.options}
        parts = [
            i18n.get("survey-answer-other", text=esc(value.text or ""))
            if value.option == schema.OTHER
            else esc(names.get(value.option or "", value.option or ""))
            for value in values
        ]
        return ", ".join(parts)
    value = values[0]
    if isinstance(question, schema.YesNoQuestion):
        return i18n.get("survey-yes") if value.option == schema.YES else i18n.get("survey-no")
    if isinstance(question, schema.ScaleQuestion):
        return i18n.get("survey-answer-scale", value=int(value.number or 0), high=question.max)
    if isinstance(question, schema.NumberQuestion):
        return answering.format_number(value.number or 0)
    if isinstance(question, schema.DateQuestion):
        return format_date(value.day)
    text = value.text or ""
    return esc(text if len(text) <= 120 else text[:119] + "…")


def hint_text(i18n: I18nContext, question: schema.Question) -> str:
    locale = i18n.locale
    if question.hint is not None:
        hint = esc(question.hint.get(locale))
    elif isinstance(question, schema.ScaleQuestion):
        hint = i18n.get(
            "survey-hint-scale",
            low=question.min,
            high=question.max,
            low_label=esc(question.labels.low.get(locale)),
            high_label=esc(question.labels.high.get(locale)),
        )
    elif isinstance(question, schema.MultiQuestion):
        hint = i18n.get("survey-hint-multi-other" if question.other else "survey-hint-multi")
    elif isinstance(question, schema.SingleQuestion):
        hint = i18n.get("survey-hint-single-other") if question.other else ""
    elif isinstance(question, schema.NumberQuestion):
        hint = i18n.get(
            "survey-hint-number",
            low=answering.format_number(question.min),
            high=answering.format_number(question.max),
        )
    elif isinstance(question, schema.DateQuestion):
        hint = i18n.get("survey-hint-date")
    elif isinstance(question, schema.TextQuestion):
        hint = i18n.get("survey-hint-text", limit=question.max_length)
    else:
        hint = ""
    if question.optional:
        hint = (hint + "\n" if hint else "") + i18n.get("survey-hint-optional")
    return hint


def offered(
    i18n: I18nContext, form: Form, question: schema.Question
) -> tuple[list[tuple[str, str]], set[str]]:
    """The question's buttons `(code, label)` (a typed «other» last, for a multiple choice),
    and the codes its stored answer picks."""
    locale, picked = i18n.locale, set(form.picked(question))
    offered: list[tuple[str, str]] = []
    if isinstance(question, schema.SingleQuestion | schema.MultiQuestion):
        offered = [(o.id, o.text.get(locale)) for o in question.options]
    elif isinstance(question, schema.YesNoQuestion):
        offered = [(schema.YES, i18n.get("survey-yes")), (schema.NO, i18n.get("survey-no"))]
    elif isinstance(question, schema.ScaleQuestion):
        offered = [(str(p), str(p)) for p in range(question.min, question.max + 1)]
        picked = {str(int(v.number)) for v in form.values(question) if v.number is not None}
    other = form.other_text(question) if isinstance(question, schema.MultiQuestion) else None
    if other is not None:
        offered.append((schema.OTHER, i18n.get("survey-other-button", text=other[:40])))
    return offered, picked


def question_moves(
    i18n: I18nContext, form: Form, question: schema.Question
) -> list[tuple[str, str]]:
    """The question's moves `(step, label)`: back, skip, done (ticks), keep the answer."""
    multi = isinstance(question, schema.MultiQuestion)
    return [
        (step, i18n.get(f"survey-{step}"))
        for step, shown in (
            ("back", form.previous() is not None),
            ("skip", question.optional),
            ("done", multi),
            ("keep", form.is_answered(question) and not multi),
        )
        if shown
    ]


def waiting_line(i18n: I18nContext, item: campaigns.Waiting, timezone: str) -> str:
    """A line of /survey: a questionnaire waiting for the person, its phase, term, progress."""
    phase, due = item.phase, item.due_at
    return i18n.get(
        "survey-list-line",
        title=esc(item.questionnaire.title.get(i18n.locale)),
        phase="" if phase == Phase.ONCE else " " + i18n.get(f"survey-phase-{phase}"),
        due=i18n.get("survey-due", date=format_day(due, timezone)) if due else "",
        started=str(item.status == ResponseStatus.IN_PROGRESS).lower(),
        answered=item.answered,
        total=len(item.questionnaire.questions),
    )
