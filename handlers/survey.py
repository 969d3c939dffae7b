"""/survey and answering a questionnaire (aiogram-dialog): one question on screen, a window per
kind (each also takes a typed answer the question allows), each answer stored as it is given,
so /cancel or a restart resumes at the same question. Every button carries its question, so a
double tap or an old screen cannot answer the next one. Then a summary to review and change
answers, and "Send": the response is final. An invitation's button (SurveyCb) opens the dialog
once the response is found to be the person's.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from operator import itemgetter
from typing import Any

from aiogram import Router
from aiogram.filters import Command
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message
from aiogram_dialog import Dialog, DialogManager, ShowMode, StartMode, Window
from aiogram_dialog.widgets.kbd import Button, Column, Group, Multiselect, Row, Select
from aiogram_dialog.widgets.text import Format, Multi
from aiogram_i18n import I18nContext
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.clock import Clock
from bot.services.errors import UserFacingError
from bot.services.people import Actor
from bot.services.questionnaires import answering, campaigns, schema
from bot.services.questionnaires.answering import Form
from bot.services.questionnaires.versions import check_questionnaires
from bot.survey_invite import SurveyCb
from bot.survey_text import answer_text, hint_text, offered, question_moves, waiting_line
from bot.ui import MESSAGE_LIMIT, button, error_text, esc, keyboard
from handlers.dialog_kit import (
    Fl,
    Gone,
    bounded_text,
    choice,
    ctx,
    owned,
    say,
    start_id,
    text_input,
    today,
)
from models import ResponseStatus

CHECK = "✅ "
CLOSED = ("survey-error-sent", "survey-error-closed", "survey-error-expired")


class SurveyAnswer(StatesGroup):  # choice: one option or yes/no; typed: a number, date or text
    choice, multi, scale, typed, summary = State(), State(), State(), State(), State()


# --- the dialog ------------------------------------------------------------------------------

Action = Callable[[AsyncSession, Form], Awaitable[schema.Question | None]]


def window_of(question: schema.Question | None) -> State:
    if question is None:
        return SurveyAnswer.summary
    if isinstance(question, schema.MultiQuestion):
        return SurveyAnswer.multi
    if isinstance(question, schema.SingleQuestion | schema.YesNoQuestion):
        return SurveyAnswer.choice
    return SurveyAnswer.scale if isinstance(question, schema.ScaleQuestion) else SurveyAnswer.typed


async def form_of(manager: DialogManager) -> Form:
    return await owned(manager, answering.own_form, start_id(manager))


async def act(event: CallbackQuery | Message, manager: DialogManager, action: Action) -> None:
    """Do `action` on the person's open response, then show where it leads; a refusal is
    told (an alert for a tap; for a message, the answer and the step again below it)."""
    data = manager.middleware_data
    form = await form_of(manager)
    try:
        answering.check_open(form.response, data["clock"].now())
        following = await action(data["session"], form)
    except UserFacingError as error:
        await say(event, manager, error_text(data["i18n"], error))
        if error.key in CLOSED:
            await manager.done()
        else:
            await manager.switch_to(window_of(form.current))
        return
    await manager.switch_to(window_of(following))


async def on_item(query: CallbackQuery, widget: Any, manager: DialogManager, item: str) -> None:
    """A tap on an option, a point, a tick, a move (Back, Skip, Done, Keep) or a summary line."""
    kind = widget.widget_id.removeprefix("survey_")
    await act(query, manager, lambda session, form: answering.tap(session, form, kind, item))


async def on_typed(message: Message, _: Any, manager: DialogManager, text: str) -> None:
    async def typed(session: AsyncSession, form: Form) -> schema.Question | None:
        if form.current is None:
            raise UserFacingError("survey-error-on-summary")
        return await answering.answer_typed(session, form, text, today(manager))

    await act(message, manager, typed)


async def on_summary(query: CallbackQuery, button: Button, manager: DialogManager) -> None:
    """Back to the last question, or send: then the response is final."""
    form = await form_of(manager)  # its response is the one `act` changes (one session)

    async def step(session: AsyncSession, form: Form) -> schema.Question | None:
        if button.widget_id == "survey_summary_back":
            return answering.back(form, answering.SUMMARY)
        await answering.submit(session, form, manager.middleware_data["clock"].now())
        return None

    await act(query, manager, step)
    if form.response.status == ResponseStatus.SUBMITTED and isinstance(query.message, Message):
        i18n: I18nContext = manager.middleware_data["i18n"]
        title = esc(form.questionnaire.title.get(i18n.locale))
        await manager.done()
        await query.message.answer(i18n.get("survey-sent", title=title))


async def question_getter(
    dialog_manager: DialogManager, i18n: I18nContext, **_: Any
) -> dict[str, Any]:
    form = await form_of(dialog_manager)
    question = form.current
    if question is None:  # the screen is behind the response: reopen it from /survey
        raise Gone
    locale, multi = i18n.locale, isinstance(question, schema.MultiQuestion)
    key = f"{[q.id for q in form.questionnaire.questions].index(question.id)}."
    options, picked = offered(i18n, form, question)
    if multi:  # the ticks shown are the ones stored
        ticks = dialog_manager.find("survey_tick")
        assert ticks is not None
        await ticks.reset_checked()
        for code in picked:
            await ticks.set_checked(key + code, True)
    moves = question_moves(i18n, form, question)
    number, total = form.position(question)
    return {
        "number": number,
        "total": total,
        "title": esc(form.questionnaire.title.get(locale)),
        "question": esc(question.text.get(locale)),
        "hint": hint_text(i18n, question),
        "answer": answer_text(i18n, form, question) if moves and moves[-1][0] == "keep" else "",
        "options": [
            (key + code, (CHECK if code in picked and not multi else "") + label)
            for code, label in options
        ],
        "moves": [(key + step, label) for step, label in moves],
    }


async def summary_getter(
    dialog_manager: DialogManager, i18n: I18nContext, **_: Any
) -> dict[str, Any]:
    form = await form_of(dialog_manager)
    visible = form.visible()
    lines = [
        i18n.get(
            "survey-summary-line",
            number=number,
            question=esc(question.label(i18n.locale)),
            answer=answer_text(i18n, form, question),
        )
        for number, question in enumerate(visible, start=1)
    ]
    return {
        "title": esc(form.questionnaire.title.get(i18n.locale)),
        "lines": "\n".join(lines),
        "edits": [(question.id, f"✏️ {number}") for number, question in enumerate(visible, 1)],
    }


def taps(widget_id: str, items: str = "options") -> Select[str]:
    return choice(widget_id, items, on_item)


def question_window(state: State, *choices: Any) -> Window:
    return Window(
        Multi(
            Fl("survey-question-head"),
            Format("{question}"),
            Format("<i>{hint}</i>", when="hint"),
            Fl("survey-current-answer", when="answer"),
            sep="\n\n",
        ),
        *choices,
        Row(taps("survey_move", "moves")),
        *text_input("survey_typed_answer", on_typed, bounded_text(MESSAGE_LIMIT)),
        state=state,
        getter=question_getter,
    )


def answering_dialog() -> Dialog:
    ticks = Multiselect(
        Format(CHECK + "{item[1]}"),
        Format("{item[1]}"),
        "survey_tick",
        itemgetter(0),
        "options",
        on_click=on_item,
    )
    return Dialog(
        question_window(SurveyAnswer.choice, Column(taps("survey_option"))),
        question_window(SurveyAnswer.multi, Column(ticks)),
        question_window(SurveyAnswer.scale, Group(taps("survey_point"), width=5)),
        question_window(SurveyAnswer.typed),
        Window(
            Fl("survey-summary-head"),
            Format("\n{lines}"),
            Group(taps("survey_edit", "edits"), width=5),
            Button(Fl("survey-back"), id="survey_summary_back", on_click=on_summary),
            Button(Fl("survey-send"), id="survey_send", on_click=on_summary),
            *text_input("survey_typed_answer", on_typed, bounded_text(MESSAGE_LIMIT)),
            state=SurveyAnswer.summary,
            getter=summary_getter,
        ),
    )


# --- opening: an invitation's button, /survey ---------------------------------------------


async def open_questionnaire(
    query: CallbackQuery, callback_data: SurveyCb, dialog_manager: DialogManager
) -> None:
    """Any questionnaire button outside the dialog (an invitation's "Start", a list's line, a
    button of an old screen) opens the person's response where it stopped."""
    c = ctx(dialog_manager)
    i18n, now = c.i18n, c.clock.now()
    try:
        form = await answering.open_own(c.session, c.actor, callback_data.r, now)
    except UserFacingError as error:
        await query.answer(error_text(i18n, error), show_alert=True)
        return
    await query.answer()
    first_time = form.response.status == ResponseStatus.ASSIGNED
    question = answering.begin(form, now)
    if first_time and isinstance(query.message, Message):
        questionnaire, locale = form.questionnaire, i18n.locale
        intro = esc(questionnaire.intro.get(locale)) if questionnaire.intro else ""
        title = esc(questionnaire.title.get(locale))
        text = i18n.get("survey-intro", title=title, intro=intro, count=len(form.visible()))
        await query.message.answer(text)
    start = {"id": form.response.id}
    await dialog_manager.start(window_of(question), start, StartMode.RESET_STACK, ShowMode.SEND)


async def survey_command(
    message: Message, session: AsyncSession, actor: Actor, clock: Clock, i18n: I18nContext
) -> None:
    """The questionnaires waiting for the person, a line and a button each."""
    waiting = await campaigns.waiting_for(session, actor, clock.now())
    if not waiting:
        await message.answer(i18n.get("survey-none"))
        return
    lines, rows = [i18n.get("survey-list-head", count=len(waiting)), ""], []
    for item in waiting:
        lines.append(waiting_line(i18n, item, actor.timezone))
        title = item.questionnaire.title.get(i18n.locale)
        rows.append([button("📝 " + title, SurveyCb(a="go", r=item.response_id))])
    await message.answer("\n".join(lines), reply_markup=keyboard(*rows))


def router() -> Router:
    router = Router(name=__name__)
    router.startup.register(check_questionnaires)
    router.message.register(survey_command, Command("survey"))
    router.callback_query.register(open_questionnaire, SurveyCb.filter())
    return router


def dialogs() -> list[Dialog]:
    return [answering_dialog()]
