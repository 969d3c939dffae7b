"""/survey and answering a questionnaire: one question a message, stored as answered.

Taps answer choices, scales and yes/no; a multiple choice ticks options and ends with "Done";
numbers, dates and free text are typed. Back, skip where optional, a summary to review and
change answers, then "Send": after that the response is final.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from aiogram import F, Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardButton, Message
from aiogram_i18n import I18nContext
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.services.clock import Clock
from bot.services.errors import UserFacingError
from bot.services.people import Actor
from bot.services.questionnaires import answering, campaigns
from bot.services.questionnaires.answering import Form
from bot.services.questionnaires.loader import builtin
from bot.services.questionnaires.schema import (
    NO,
    OTHER,
    YES,
    DateQuestion,
    MultiQuestion,
    NumberQuestion,
    Question,
    ScaleQuestion,
    SingleQuestion,
    TextQuestion,
    YesNoQuestion,
)
from bot.services.questionnaires.versions import sync_builtin
from bot.survey_invite import SurveyCb
from bot.ui import button, error_text, esc, format_date, keyboard
from models import Phase, ResponseStatus

CHECK = "✅ "
SUMMARY_EDIT_ROW = 5


class SurveyForm(StatesGroup):
    answering = State()  # data: response_id (the question on screen is in the database)


async def check_questionnaires(
    sessionmaker: async_sessionmaker[AsyncSession], clock: Clock
) -> None:
    """Refuse to start with a broken questionnaire file, and store each current version."""
    builtin()
    async with sessionmaker.begin() as session:
        await sync_builtin(session, clock.now())


# --- words for values ------------------------------------------------------------------------


def phase_note(i18n: I18nContext, phase: Phase | str) -> str:
    return "" if phase == Phase.ONCE else " " + i18n.get(f"survey-phase-{phase}")


def due_text(i18n: I18nContext, due_at: datetime | None, timezone: str) -> str:
    if due_at is None:
        return ""
    return i18n.get("survey-due", date=format_date(due_at.astimezone(ZoneInfo(timezone)).date()))


def answer_text(i18n: I18nContext, form: Form, question: Question) -> str:
    """The stored answer in words (already escaped for HTML)."""
    if form.is_skipped(question):
        return i18n.get("survey-answer-skipped")
    values = form.values(question)
    if not values:
        return "—"
    locale = i18n.locale
    if isinstance(question, SingleQuestion | MultiQuestion):
        names = {option.id: option.text.get(locale) for option in question.options}
        parts = [
            i18n.get("survey-answer-other", text=esc(value.text or ""))
            if value.option == OTHER
            else esc(names.get(value.option or "", value.option or ""))
            for value in values
        ]
        return ", ".join(parts)
    value = values[0]
    if isinstance(question, YesNoQuestion):
        return i18n.get("survey-yes") if value.option == YES else i18n.get("survey-no")
    if isinstance(question, ScaleQuestion):
        return i18n.get("survey-answer-scale", value=int(value.number or 0), high=question.max)
    if isinstance(question, NumberQuestion):
        return answering.format_number(value.number or 0)
    if isinstance(question, DateQuestion):
        return format_date(value.day)
    text = value.text or ""
    return esc(text if len(text) <= 120 else text[:119] + "…")


def hint_text(i18n: I18nContext, form: Form, question: Question) -> str:
    locale = i18n.locale
    if question.hint is not None:
        hint = esc(question.hint.get(locale))
    elif isinstance(question, ScaleQuestion):
        hint = i18n.get(
            "survey-hint-scale",
            low=question.min,
            high=question.max,
            low_label=esc(question.labels.low.get(locale)),
            high_label=esc(question.labels.high.get(locale)),
        )
    elif isinstance(question, MultiQuestion):
        hint = i18n.get("survey-hint-multi-other" if question.other else "survey-hint-multi")
    elif isinstance(question, SingleQuestion):
        hint = i18n.get("survey-hint-single-other") if question.other else ""
    elif isinstance(question, NumberQuestion):
        hint = i18n.get(
            "survey-hint-number",
            low=answering.format_number(question.min),
            high=answering.format_number(question.max),
        )
    elif isinstance(question, DateQuestion):
        hint = i18n.get("survey-hint-date")
    elif isinstance(question, TextQuestion):
        hint = i18n.get("survey-hint-text", limit=question.max_length)
    else:
        hint = ""
    if question.optional:
        hint = (hint + "\n" if hint else "") + i18n.get("survey-hint-optional")
    return hint


# --- asking ----------------------------------------------------------------------------------


def question_rows(
    i18n: I18nContext, form: Form, question: Question
) -> list[list[InlineKeyboardButton]]:
    response_id, locale = form.response.id, i18n.locale

    def cb(action: str, value: str = "") -> SurveyCb:
        return SurveyCb(a=action, r=response_id, q=question.id, v=value)

    picked = set(form.picked(question))
    rows: list[list[InlineKeyboardButton]] = []
    if isinstance(question, SingleQuestion):
        rows = [
            [button((CHECK if o.id in picked else "") + o.text.get(locale), cb("pick", o.id))]
            for o in question.options
        ]
    elif isinstance(question, MultiQuestion):
        rows = [
            [button((CHECK if o.id in picked else "") + o.text.get(locale), cb("tog", o.id))]
            for o in question.options
        ]
        other = form.other_text(question)
        if other is not None:
            label = i18n.get("survey-other-button", text=other[:40])
            rows.append([button(CHECK + label, cb("tog", OTHER))])
        rows.append([button(i18n.get("survey-done"), cb("done"))])
    elif isinstance(question, ScaleQuestion):
        chosen = {str(int(v.number)) for v in form.values(question) if v.number is not None}
        points = [str(point) for point in range(question.min, question.max + 1)]
        buttons = [button((CHECK if p in chosen else "") + p, cb("pick", p)) for p in points]
        rows = [buttons[:5], buttons[5:]]
    elif isinstance(question, YesNoQuestion):
        rows = [
            [
                button((CHECK if YES in picked else "") + i18n.get("survey-yes"), cb("pick", YES)),
                button((CHECK if NO in picked else "") + i18n.get("survey-no"), cb("pick", NO)),
            ]
        ]
    navigation = []
    if form.previous() is not None:
        navigation.append(button(i18n.get("survey-back"), cb("back")))
    if question.optional:
        navigation.append(button(i18n.get("survey-skip"), cb("skip")))
    if form.is_answered(question) and not isinstance(question, MultiQuestion):
        navigation.append(button(i18n.get("survey-keep"), cb("keep")))
    rows.append(navigation)
    return rows


async def ask(message: Message, i18n: I18nContext, form: Form, question: Question) -> None:
    number, total = form.position(question)
    parts = [
        i18n.get(
            "survey-question-head",
            number=number,
            total=total,
            title=esc(form.questionnaire.title.get(i18n.locale)),
        ),
        esc(question.text.get(i18n.locale)),
    ]
    hint = hint_text(i18n, form, question)
    if hint:
        parts.append(f"<i>{hint}</i>")
    if form.is_answered(question) and not isinstance(question, MultiQuestion):
        parts.append(i18n.get("survey-current-answer", answer=answer_text(i18n, form, question)))
    await message.answer(
        "\n\n".join(parts), reply_markup=keyboard(*question_rows(i18n, form, question))
    )


async def show_summary(message: Message, i18n: I18nContext, form: Form) -> None:
    visible = form.visible()
    lines = [
        i18n.get("survey-summary-head", title=esc(form.questionnaire.title.get(i18n.locale))),
        "",
    ]
    for number, question in enumerate(visible, start=1):
        lines.append(
            i18n.get(
                "survey-summary-line",
                number=number,
                question=esc(question.label(i18n.locale)),
                answer=answer_text(i18n, form, question),
            )
        )
    edits = [
        button(f"✏️ {number}", SurveyCb(a="edit", r=form.response.id, v=question.id))
        for number, question in enumerate(visible, start=1)
    ]
    rows = [edits[i : i + SUMMARY_EDIT_ROW] for i in range(0, len(edits), SUMMARY_EDIT_ROW)]
    rows.append([button(i18n.get("survey-back"), SurveyCb(a="back", r=form.response.id))])
    rows.append([button(i18n.get("survey-send"), SurveyCb(a="send", r=form.response.id))])
    await message.answer("\n".join(lines), reply_markup=keyboard(*rows))


async def show(message: Message, i18n: I18nContext, form: Form, question: Question | None) -> None:
    if question is None:
        await show_summary(message, i18n, form)
    else:
        await ask(message, i18n, form, question)


async def open_form(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    actor: Actor,
    clock: Clock,
    i18n: I18nContext,
    response_id: int,
) -> None:
    """Start or resume a response where it stopped (after an interruption or a restart)."""
    form = await answering.open_own(
        session, response_id, actor.user.id if actor.user else None, clock.now()
    )
    first_time = form.response.status == ResponseStatus.ASSIGNED
    question = answering.begin(form, clock.now())
    await state.set_state(SurveyForm.answering)
    await state.set_data({"response_id": form.response.id})
    if first_time:
        intro = form.questionnaire.intro
        await message.answer(
            i18n.get(
                "survey-intro",
                title=esc(form.questionnaire.title.get(i18n.locale)),
                intro=esc(intro.get(i18n.locale)) if intro else "",
                count=len(form.visible()),
            )
        )
    await show(message, i18n, form, question)


# --- /survey ---------------------------------------------------------------------------------


async def survey_command(
    message: Message, session: AsyncSession, actor: Actor, clock: Clock, i18n: I18nContext
) -> None:
    if actor.user is None or actor.organisation is None:
        await message.answer(i18n.get("survey-none"))
        return
    waiting = await campaigns.waiting_for(
        session, actor.user.id, actor.organisation.id, clock.now()
    )
    if not waiting:
        await message.answer(i18n.get("survey-none"))
        return
    timezone = actor.organisation.timezone
    lines = [i18n.get("survey-list-head", count=len(waiting)), ""]
    rows = []
    for item in waiting:
        title = item.questionnaire.title.get(i18n.locale)
        lines.append(
            i18n.get(
                "survey-list-line",
                title=esc(title),
                phase=phase_note(i18n, item.phase),
                due=due_text(i18n, item.due_at, timezone),
                started=str(item.status == ResponseStatus.IN_PROGRESS).lower(),
                answered=item.answered,
                total=len(item.questionnaire.questions),
            )
        )
        label = "📝 " + title
        rows.append([button(label, SurveyCb(a="go", r=item.response_id))])
    await message.answer("\n".join(lines), reply_markup=keyboard(*rows))


# --- answering -------------------------------------------------------------------------------


async def _form_for_message(
    state: FSMContext, session: AsyncSession, actor: Actor, clock: Clock
) -> Form:
    data = await state.get_data()
    if "response_id" not in data:
        raise UserFacingError("survey-error-not-found")
    return await answering.open_own(
        session, int(data["response_id"]), actor.user.id if actor.user else None, clock.now()
    )


async def typed_answer(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    actor: Actor,
    clock: Clock,
    i18n: I18nContext,
) -> None:
    try:
        form = await _form_for_message(state, session, actor, clock)
    except UserFacingError as error:
        await state.clear()
        await message.answer(error_text(i18n, error))
        return
    if form.current is None:
        await message.answer(i18n.get("survey-error-on-summary"))
        await show_summary(message, i18n, form)
        return
    timezone = actor.organisation.timezone if actor.organisation else "Europe/Moscow"
    try:
        following = await answering.answer_typed(
            session, form, message.text, clock.today(timezone)
        )
    except UserFacingError as error:
        await message.answer(error_text(i18n, error))
        await ask(message, i18n, form, form.current)
        return
    await show(message, i18n, form, following)


async def not_text(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    actor: Actor,
    clock: Clock,
    i18n: I18nContext,
) -> None:
    """A sticker, photo or voice where the question wants a tap or words."""
    await message.answer(i18n.get("survey-error-expected-text"))
    try:
        form = await _form_for_message(state, session, actor, clock)
    except UserFacingError:
        await state.clear()
        return
    await show(message, i18n, form, form.current)


async def go(
    query: CallbackQuery,
    callback_data: SurveyCb,
    state: FSMContext,
    session: AsyncSession,
    actor: Actor,
    clock: Clock,
    i18n: I18nContext,
) -> None:
    if not isinstance(query.message, Message):
        await query.answer(i18n.get("error-stale-button"), show_alert=True)
        return
    try:
        await open_form(query.message, state, session, actor, clock, i18n, callback_data.r)
    except UserFacingError as error:
        await query.answer(error_text(i18n, error), show_alert=True)
        return
    await query.answer()


async def tapped(
    query: CallbackQuery,
    callback_data: SurveyCb,
    state: FSMContext,
    session: AsyncSession,
    actor: Actor,
    clock: Clock,
    i18n: I18nContext,
) -> None:
    message = query.message
    if not isinstance(message, Message):
        await query.answer(i18n.get("error-stale-button"), show_alert=True)
        return
    action, question_id, value = callback_data.a, callback_data.q, callback_data.v
    try:
        form = await answering.open_own(
            session, callback_data.r, actor.user.id if actor.user else None, clock.now()
        )
        if action == "tog":
            await answering.toggle(session, form, question_id, value)
            await query.answer()
            current = form.current
            assert current is not None
            await message.edit_reply_markup(
                reply_markup=keyboard(*question_rows(i18n, form, current))
            )
            await state.set_state(SurveyForm.answering)
            await state.set_data({"response_id": form.response.id})
            return
        if action == "send":
            await answering.submit(session, form, clock.now())
        else:
            following = await _navigate(session, form, action, question_id, value)
    except UserFacingError as error:
        await query.answer(error_text(i18n, error), show_alert=True)
        if error.key == "survey-error-missing":  # back to the first question left unanswered
            await state.set_state(SurveyForm.answering)
            await state.set_data({"response_id": callback_data.r})
            await message.edit_reply_markup(reply_markup=None)
            await show(message, i18n, form, form.current)
        return
    await query.answer()
    await message.edit_reply_markup(reply_markup=None)
    if action == "send":
        await state.clear()
        await message.answer(
            i18n.get("survey-sent", title=esc(form.questionnaire.title.get(i18n.locale)))
        )
        return
    await state.set_state(SurveyForm.answering)
    await state.set_data({"response_id": form.response.id})
    await show(message, i18n, form, following)


async def _navigate(
    session: AsyncSession, form: Form, action: str, question_id: str, value: str
) -> Question | None:
    if action == "pick":
        return await answering.pick(session, form, question_id, value)
    if action == "done":
        return await answering.finish_multi(session, form, question_id)
    if action == "skip":
        return await answering.skip(session, form, question_id)
    if action == "keep":
        return answering.keep(form, question_id)
    if action == "back":
        return answering.back(form, question_id)
    if action == "edit":
        return answering.review(form, value)
    raise UserFacingError("survey-error-stale")


def router() -> Router:
    router = Router(name=__name__)
    router.startup.register(check_questionnaires)
    router.message.register(survey_command, Command("survey"))
    router.callback_query.register(go, SurveyCb.filter(F.a == "go"))
    router.callback_query.register(tapped, SurveyCb.filter())
    # Typed answers to a questionnaire, on a router of their own: other states skip it.
    form = Router(name=f"{__name__}.form")
    form.message.filter(StateFilter(SurveyForm))
    form.message.register(typed_answer, SurveyForm.answering, F.text, ~F.text.startswith("/"))
    form.message.register(not_text, SurveyForm.answering, ~F.text)
    router.include_router(form)
    return router
