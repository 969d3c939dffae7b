"""Input as people and attackers send it over Telegram: a forged button of every kind, from
anyone; markup typed where it is shown back; a message too long for Telegram; text or a
sticker where a button is wanted; a dialog button no window has. Each gets a polite answer in
the person's language and loses nothing; none reaches the error handler. (The recording
session refuses what Telegram refuses: HTML with a bare `<` or `&`, a text past 4096
characters, a caption past 1024, as tests/harness.py says.)"""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from aiogram.filters.callback_data import CallbackData
from aiogram.methods import AnswerCallbackQuery
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

import handlers
from bot.commands import commands_for
from bot.config import Settings
from bot.jobs import JobContext
from bot.services.clock import FrozenClock
from models import Activity, Broadcast, OutboxMessage, Role
from tests import pairs_flows
from tests.conftest import ADMIN_ID
from tests.flows import MENTEE_ANSWERS, MENTOR_ANSWERS, found_organisation, invite, join
from tests.harness import Harness, Person
from tests.pairs_fixture import Kindergarten, active_pair, kindergarten_with_pair, named, with_plan
from tests.test_every_button import walk

APOLOGIES = ("что-то пошло не так", "went wrong")


def failures(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [record.getMessage() for record in caplog.records if record.name == "nastavnik.errors"]


def apologies(person: Person) -> list[str]:
    return [text for text in person.texts() if any(word in text for word in APOLOGIES)]


# --- every plain button, forged -----------------------------------------------------------------


def callback_kinds() -> list[type[CallbackData]]:
    """Every CallbackData of the bot (handlers/ and bot/), as the routers import them."""
    handlers.get_routers()
    found: list[type[CallbackData]] = []
    pending = list(CallbackData.__subclasses__())
    while pending:
        kind = pending.pop()
        pending += kind.__subclasses__()
        if kind.__module__.startswith(("handlers.", "bot.")):
            found.append(kind)
    return found


WORDS = [
    *("open", "ack", "changes", "extend", "replace", "early", "complete", "answer", "close"),
    *("rate", "pass", "edit", "continue", "go", "pick", "tog", "done", "send", "ru", "en"),
    *("", "zz", "x" * 40),
]


def forgeries(kind: type[CallbackData], ids: list[int]) -> list[str]:
    """Each field in turn given what no button carries, the others a value of theirs."""
    numbers = [str(number) for number in (*ids, 0, -1, 2**63, 10**30, 999_999)] + ["x", "1.5"]
    fields = list(kind.model_fields.items())
    base = {name: "1" if field.annotation in (int, "int", bool, "bool") else "open"
            for name, field in fields}  # fmt: skip
    forged = [kind.__prefix__, f"{kind.__prefix__}:", f"{kind.__prefix__}:1:2:3:4:5:6:7"]
    for name, field in fields:
        if field.annotation in (int, "int"):
            values = numbers
        elif field.annotation in (bool, "bool"):
            values = ["1", "0", "x"]
        else:
            values = list(WORDS)
        for value in values:
            parts = [value if other == name else base[other] for other, _ in fields]
            forged.append(":".join([kind.__prefix__, *parts])[:64])
    return forged


async def second_kindergarten(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession], clock: FrozenClock
) -> list[int]:
    """Another organisation with a pair and a plan item: the ids of its records."""
    curator = await found_organisation(app)  # the administrator, now in a second organisation
    mentor = await join(app, await invite(curator, "наставник"), 602, MENTOR_ANSWERS)
    mentee = await join(
        app, await invite(curator, "наставляемый"), 503, named(MENTEE_ANSWERS, "Орлова Ева")
    )
    pair_id = await active_pair(sessionmaker, clock, mentor, [mentee])
    garden = Kindergarten(curator, mentor, [mentee], pair_id)
    items = await with_plan(
        sessionmaker, garden, clock.now(), [("Чужая встреча", clock.now().date())]
    )
    return [pair_id, *items]


async def test_every_plain_button_forged_by_anyone_gets_a_polite_answer(
    app: Harness,
    sessionmaker: async_sessionmaker[AsyncSession],
    clock: FrozenClock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Every CallbackData the bot has, pressed with ids of this organisation and another's, 0,
    negative,
    past 64 bits, not a number, an unknown action, a field missing or too many, by the mentor,
    the mentee, the curator and a stranger: each tap is answered (no spinner left), never by
    the error handler, and the other organisation's records stay as they were."""
    garden = await kindergarten_with_pair(app, sessionmaker, clock)
    mine = await with_plan(sessionmaker, garden, clock.now(), [("Встреча", clock.now().date())])
    theirs = await second_kindergarten(app, sessionmaker, clock)
    stranger = app.person(9999, name="Чужой")
    await stranger.sends("/start")
    caplog.set_level(logging.ERROR, logger="nastavnik.errors")
    kinds = callback_kinds()
    assert len(kinds) >= 20, [kind.__name__ for kind in kinds]
    unanswered = []
    for person in (garden.mentor, garden.mentee, stranger, garden.curator):
        for kind in kinds:
            for data in forgeries(kind, [garden.pair_id, *mine, *theirs]):
                before = len(app.session.calls_of(AnswerCallbackQuery))
                await person.presses(data)
                if len(app.session.calls_of(AnswerCallbackQuery)) == before:
                    unanswered.append((person.telegram_id, data))
    assert unanswered == []
    assert failures(caplog) == []
    assert [apologies(p) for p in (garden.mentor, garden.mentee, stranger)] == [[], [], []]
    async with sessionmaker() as session:
        other = await session.get(Activity, theirs[1])
        assert other is not None and other.status == "open" and other.result is None


async def test_a_notice_s_open_button_is_answered_and_opens_the_item_below(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession], clock: FrozenClock
) -> None:
    """«Открыть пункт» on a notice: the tap is answered (no spinner), the card comes below and
    the notice stays as it was."""
    garden = await kindergarten_with_pair(app, sessionmaker, clock)
    [item] = await with_plan(sessionmaker, garden, clock.now(), [("Встреча", clock.now().date())])
    mentor = garden.mentor
    await mentor.sends("/help")  # a message to carry the button, as a notice would
    tapped = mentor.last_reply()
    before = len(app.session.calls_of(AnswerCallbackQuery))
    await mentor.presses(f"plan_item:{item}", tapped)
    assert len(app.session.calls_of(AnswerCallbackQuery)) == before + 1
    assert tapped is not None and "/plan" in tapped.text  # the message tapped stays
    assert "Встреча" in mentor.texts()[-1] and mentor.last_reply() is not tapped


# --- markup typed, shown back -------------------------------------------------------------------

MARKUP = "<b>x</b> & <i>"


def with_markup(answers: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Free-text answers with markup typed into them (the name and numbers stay as they are)."""
    return [
        (kind, f"{value} {MARKUP}" if free else value)
        for index, (kind, value) in enumerate(answers)
        for free in [kind == "text" and index > 0 and not value[:1].isdigit()]
    ]


@pytest.mark.parametrize("role", [Role.CURATOR, Role.MENTOR, Role.MENTEE])
async def test_markup_typed_anywhere_is_shown_as_typed(
    app: Harness,
    sessionmaker: async_sessionmaker[AsyncSession],
    clock: FrozenClock,
    caplog: pytest.LogCaptureFixture,
    role: Role,
) -> None:
    """An organisation named with `&` and `<…>`, profiles and a plan item with tags typed in:
    every screen of every command shows them as typed (Telegram refuses a message whose HTML
    has a bare `<` or `&`: /help and /invite did, for the organisation's short name)."""
    caplog.set_level(logging.ERROR, logger="nastavnik.errors")
    admin = app.person(ADMIN_ID, name="Админ")
    await admin.sends("/neworg")
    await admin.sends(f"МБДОУ {MARKUP}")
    await admin.sends(f"Д/с {MARKUP}")
    await admin.taps("Москва")
    await admin.taps("Я сам")
    mentor = await join(app, await invite(admin, "наставник"), 601, with_markup(MENTOR_ANSWERS))
    mentee = await join(app, await invite(admin, "наставляемый"), 501, with_markup(MENTEE_ANSWERS))
    pair_id = await active_pair(sessionmaker, clock, mentor, [mentee])
    garden = Kindergarten(admin, mentor, [mentee], pair_id)
    await with_plan(sessionmaker, garden, clock.now(), [(f"Встреча {MARKUP}", clock.now().date())])
    person = {Role.CURATOR: admin, Role.MENTOR: mentor}.get(role, mentee)
    tapped: set[str] = set()
    for command in commands_for({role}, is_admin=False):
        if command not in ("cancel", "privacy"):
            await walk(person, command, tapped, [120])
            await person.sends("/cancel")
    assert failures(caplog) == [] and apologies(person) == []
    shown = "\n".join(person.texts())
    assert "&lt;b&gt;x&lt;/b&gt; &amp; &lt;i&gt;" in shown and "<b>x</b>" not in shown


# --- a message Telegram would not take ----------------------------------------------------------


async def test_a_broadcast_too_long_for_telegram_is_said_before_it_is_sent(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession], clock: FrozenClock
) -> None:
    """The longest text, place and organisation name each pass its own check, but together
    with the message's head and the event's line they pass Telegram's 4096: the preview says
    by how much instead of failing, offers to write it shorter, and nothing is sent."""
    admin = app.person(ADMIN_ID, name="Админ")
    await admin.sends("/neworg")
    await admin.sends("Сад & " + "Я" * 294)  # the longest name, 300
    await admin.sends("Д/с № 5")
    await admin.taps("Москва")
    await admin.taps("Я сам")
    mentor = await join(app, await invite(admin, "наставник"), 601, MENTOR_ANSWERS)
    mentee = await join(app, await invite(admin, "наставляемый"), 501, MENTEE_ANSWERS)
    await active_pair(sessionmaker, clock, mentor, [mentee])
    await admin.sends("/broadcast")
    await admin.taps("Событие с записью")
    await admin.sends("Т" * 3500)  # the longest text
    day = clock.now().date() + timedelta(days=3)
    await admin.taps(f"{day.day:02d}")
    await admin.sends("15:30")
    await admin.sends("М" * 300)  # the longest place
    preview = await admin.taps("Участникам активных пар")
    assert preview is not None and "4\xa0096 знаков, а здесь больше на 152" in preview.text
    assert not any("Отправить" in label for label in preview.buttons)
    await admin.taps("Написать короче")
    await admin.sends("&" * 3500)  # 3500 characters (17 500 of HTML): within the limit
    assert "В какой день" in admin.texts()[-1]
    await admin.sends("/cancel")
    await admin.sends("/broadcast")
    await admin.taps("Событие с записью")
    await admin.sends("Круглый стол & чай")
    await admin.taps(f"{day.day:02d}")
    await admin.sends("15:30")
    await admin.sends("М" * 300)
    preview = await admin.taps("Участникам активных пар")
    assert preview is not None and "Круглый стол &amp; чай" in preview.text
    await admin.taps("Отправить")
    assert "Круглый стол &amp; чай" in mentee.texts()[-1]
    async with sessionmaker() as session:
        assert await session.scalar(select(func.count()).select_from(Broadcast)) == 1
        sent = await session.scalars(select(OutboxMessage.text))
        assert not any("ТТТТ" in (text or "") for text in sent)


# --- what a dialog's window does not take -------------------------------------------------------


async def test_text_or_a_sticker_in_a_window_of_buttons_is_answered_in_the_chosen_language(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession], clock: FrozenClock
) -> None:
    """A window of buttons (the reminders, the plan, the bank) used to swallow a text or a
    sticker and draw itself again without a word: now it says a button is wanted, in the
    person's language, and shows the window again below. /requests with nothing open is a
    plain answer, not a window with nothing to tap."""
    garden = await kindergarten_with_pair(app, sessionmaker, clock)
    mentee, curator = garden.mentee, garden.curator
    await mentee.sends("/language")
    await mentee.taps("English")
    await mentee.sends("/reminders")
    window = mentee.texts()[-1]
    await mentee.sends("turn them off")
    assert mentee.texts()[-2:] == [
        "Please answer with a button under the message; /cancel leaves.",
        window,
    ]
    await mentee.sends_sticker()
    assert "button under the message" in mentee.texts()[-2] and mentee.texts()[-1] == window
    await curator.sends("/bank")
    await curator.sends_photo()
    assert "кнопкой под сообщением" in curator.texts()[-2]
    await curator.sends("/cancel")
    await curator.sends("/requests")
    assert curator.texts()[-1] == "Открытых запросов о помощи нет."
    await curator.sends("что-нибудь")
    assert "Не понял сообщение" in curator.texts()[-1]  # no window was left open
    assert apologies(mentee) == [] and apologies(curator) == []


async def test_a_dialog_button_no_window_has_is_refused_and_the_step_stays(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession], clock: FrozenClock
) -> None:
    """Forged widgets within a live dialog: a widget id that no window has gets the polite
    alert (aiogram-dialog answered nothing); an audience no list offered is refused and the
    step stays (it closed the dialog, and the text typed was lost); a person ticked who was
    never offered is not a recipient, and «Готово» is not stuck on them."""
    garden = await kindergarten_with_pair(app, sessionmaker, clock)
    curator = garden.curator
    await curator.sends("/broadcast")
    await curator.taps("Объявление")
    await curator.sends("Собрание в пятницу")
    await curator.taps("Выбрать людей")
    screen = curator.last_reply()
    shown = len(curator.transcript)
    done = curator.callback_data("Готово")
    intent = done.split("\x1d")[0]
    await curator.presses(f"{intent}\x1dno_such_widget")
    assert curator.was_alerted("уже не действует") and len(curator.transcript) == shown
    await curator.presses(f"{intent}\x1dbroadcast_pick:nobody", screen)  # no such role
    assert len(curator.alerts()) == 2 and len(curator.transcript) == shown  # the step stays
    await curator.presses(f"{intent}\x1dbroadcast_people:x", screen)
    await curator.presses(f"{intent}\x1dbroadcast_people:{2**70}", screen)
    await curator.presses(done, screen)
    assert curator.was_alerted("Отметьте хотя бы одного")
    await curator.taps("Смирнова")
    await curator.taps("Готово")
    preview = curator.last_reply()
    assert preview is not None and "1 получатель" in preview.text
    assert apologies(curator) == []


# --- a reply without «Ответить» -----------------------------------------------------------------


async def test_a_photo_sent_without_answer_to_an_open_request_is_told_how(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession], clock: FrozenClock
) -> None:
    """Text typed without «Ответить» goes to the one open thread (tests/test_help.py); a photo
    is not guessed into it, but the mentor is told how to send it, rather than «not
    understood». With no thread open, a photo is not understood, as before."""
    garden = await kindergarten_with_pair(app, sessionmaker, clock)
    mentor, mentee = garden.mentor, garden.mentee
    await mentor.sends_photo()
    assert "Не понял" in mentor.texts()[-1]
    await mentee.sends("/sos Как быть с тихим часом?")
    await mentor.sends_photo(file_id="schedule")
    assert "нажмите «✍️ Ответить» под запросом" in mentor.texts()[-1]
    assert [sent.kind for sent in mentee.transcript].count("photo") == 0
    await mentor.taps("Ответить")
    await mentor.sends_photo(file_id="schedule")
    assert mentee.last_reply() is not None and mentee.last_reply().file_id == "schedule"  # type: ignore[union-attr]


async def test_a_form_ticked_that_no_screen_offered_does_not_stick_the_pair_form(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    """A forged tick of a form is refused when tapped and not kept: «Готово» refused it
    again and again (no button shows it, so it could not be unticked), and the curator had
    to start over."""
    garden = await pairs_flows.Kindergarten.found(app)
    await garden.mentor(601)
    await garden.mentee(501, "Петрова Анна Сергеевна")
    curator = garden.curator
    await pairs_flows.to_forms(curator, ["Петрова"], "Смирнова")
    forms = curator.last_reply()
    await curator.presses(pairs_flows.forged(curator, "Готово", "pair_forms", "zzz"), forms)
    assert curator.was_alerted("уже не действует")
    reply = await curator.taps("Готово")
    assert reply is not None and "🗓 Ноябрь 2026" in reply.buttons  # on to the start date
    assert apologies(curator) == []


async def test_an_event_s_text_quoted_in_other_messages_shows_as_typed(
    app: Harness,
    sessionmaker: async_sessionmaker[AsyncSession],
    clock: FrozenClock,
    settings: Settings,
) -> None:
    """A broadcast keeps the curator's formatting as HTML; quoted in /events, the reminder
    and the notice of a cancellation it was escaped again, so «Чай & пироги» read
    «Чай &amp; пироги»."""
    garden = await kindergarten_with_pair(app, sessionmaker, clock)
    curator, mentee = garden.curator, garden.mentee
    await curator.sends("/broadcast")
    await curator.taps("Событие с записью")
    await curator.sends("Чай & пироги <после> собрания")
    day = clock.now().date() + timedelta(days=3)
    await curator.taps(f"{day.day:02d}")
    await curator.sends("15:30")
    await curator.taps("Пропустить")
    await curator.taps("Участникам активных пар")
    await curator.taps("Отправить")
    shown = "Чай &amp; пироги &lt;после&gt; собрания"
    assert shown in mentee.texts()[-1]
    await mentee.sends("/events")
    assert shown in mentee.texts()[-1]
    await mentee.taps("Приду")
    clock.advance(days=2, hours=4)  # the event is 23.5 hours ahead
    await app.run_jobs(JobContext(app.bot, sessionmaker, clock, app.i18n_core(), settings))
    assert "Завтра" in mentee.texts()[-1] and shown in mentee.texts()[-1]
    await curator.taps("Отменить событие")
    await app.deliver()
    assert "отменено" in mentee.texts()[-1] and shown in mentee.texts()[-1]
