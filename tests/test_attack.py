"""The bot as an attacker or a clumsy user meets it: updates from where the bot does not work
(a group, a channel), taps and messages at once, commands and odd content in the middle of a
dialog. Each is answered politely in the person's language, loses nothing typed, stores
nothing it should not and never reaches the error handler."""

from __future__ import annotations

import asyncio
import itertools
import logging
from datetime import UTC, datetime

import pytest
from aiogram.methods import AnswerCallbackQuery
from aiogram.types import CallbackQuery, Chat, Message, Update, User
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.services.clock import FrozenClock
from models import HelpMessage, HelpRequest, HelpStatus, PairEvent
from models import User as UserRow
from tests import pairs_flows
from tests.flows import invite
from tests.harness import BOT_ID, Harness, Person
from tests.pairs_fixture import kindergarten_with_pair
from tests.test_help import cast as help_cast

APOLOGIES = ("что-то пошло не так", "went wrong")
_ids = itertools.count(9_000_000)


def failures(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [record.getMessage() for record in caplog.records if record.name == "nastavnik.errors"]


def update(**content: object) -> Update:
    return Update(update_id=next(_ids), **content)  # type: ignore[arg-type]


def in_chat(chat: Chat, text: str, person: Person | None = None) -> Update:
    """A message in `chat`: from the person, or on behalf of the chat itself (no sender)."""
    message = Message(
        message_id=next(_ids),
        date=datetime.now(UTC),
        chat=chat,
        from_user=person.user if person else None,
        sender_chat=None if person else chat,
        text=text,
    )
    return update(channel_post=message) if chat.type == "channel" else update(message=message)


async def users(sessionmaker: async_sessionmaker[AsyncSession]) -> int:
    async with sessionmaker() as session:
        return int(await session.scalar(select(func.count()).select_from(UserRow)) or 0)


# --- where the bot does not work ----------------------------------------------------------------

GROUP = Chat(id=-100_123, type="supergroup", title="Педсовет")
CHANNEL = Chat(id=-100_999, type="channel", title="Новости сада")


async def test_in_a_group_the_bot_shows_nothing_personal_and_points_to_the_private_chat(
    app: Harness,
    sessionmaker: async_sessionmaker[AsyncSession],
    clock: FrozenClock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Added to a group, the bot answered /profile (phone and all) and /bank for the whole
    group to read, let a stranger join by an invitation there, and a message sent on behalf
    of a channel reached the error handler. Now a command in a group gets one line pointing
    to the private chat, in the person's language; the rest is passed over; nothing is
    stored."""
    caplog.set_level(logging.ERROR, logger="nastavnik.errors")
    garden = await kindergarten_with_pair(app, sessionmaker, clock)
    mentee, curator = garden.mentee, garden.curator
    code = await invite(curator, "наставляемый")
    await mentee.sends("/language")
    await mentee.taps("English")
    private = list(mentee.texts())
    before = await users(sessionmaker)
    stranger = app.person(777, name="Чужой")
    for person, text in [
        (mentee, "/profile"),
        (mentee, "/sos Помогите"),
        (curator, "/bank"),
        (curator, "/privacy"),
        (stranger, f"/start {code}"),
        (stranger, "привет"),
    ]:
        await app.feed(in_chat(GROUP, text, person))
    await app.feed(in_chat(GROUP, "/start"))  # an anonymous admin: no sender at all
    await app.feed(in_chat(CHANNEL, "/start"))
    shown = [sent.text for sent in app.session.chats[GROUP.id]]
    english = "I only work in a private chat: write to me at @nastavnik_test_bot."
    russian = "Я работаю только в личном чате: напишите мне @nastavnik_test_bot."
    assert shown == [english, english, russian, russian, russian, russian]
    assert app.session.chats[CHANNEL.id] == []
    assert mentee.texts() == private and stranger.texts() == []
    assert await users(sessionmaker) == before  # the stranger did not join
    assert failures(caplog) == []


async def test_a_button_tapped_in_a_group_is_answered_and_does_nothing(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession], clock: FrozenClock
) -> None:
    """A bot's message forwarded or left in a group: a tap there changes nothing and says
    where the bot works, rather than leaving the spinner."""
    garden = await kindergarten_with_pair(app, sessionmaker, clock)
    curator = garden.curator
    await curator.sends("/invite")
    data = curator.callback_data("наставляемый")
    message = Message(
        message_id=1,
        date=datetime.now(UTC),
        chat=GROUP,
        from_user=User(id=BOT_ID, is_bot=True, first_name="Nastavnik"),
        text="…",
    )
    query = CallbackQuery(
        id="group-tap", from_user=curator.user, chat_instance="g", message=message, data=data
    )
    shown = len(curator.transcript)
    await app.feed(update(callback_query=query))
    [answer] = [
        call
        for call in app.session.calls_of(AnswerCallbackQuery)
        if call.callback_query_id == "group-tap"
    ]
    assert answer.text is not None and "личном чате" in answer.text
    assert len(curator.transcript) == shown and app.session.chats[GROUP.id] == []


# --- at the same moment -------------------------------------------------------------------------


def tap_update(person: Person, label: str) -> Update:
    """A tap on the newest button labelled `label`, as an update not yet fed."""
    sent = next(s for s in reversed(person.transcript) if any(label in b for b in s.buttons))
    data = person.callback_data(label)
    message = Message(
        message_id=sent.message_id,
        date=datetime.now(UTC),
        chat=person.chat,
        from_user=User(id=BOT_ID, is_bot=True, first_name="Nastavnik"),
        text=sent.text,
        reply_markup=sent.markup,  # type: ignore[arg-type]
    )
    query = CallbackQuery(
        id=str(next(_ids)), from_user=person.user, chat_instance="ci", message=message, data=data
    )
    return update(callback_query=query)


async def at_once(app: Harness, *updates: Update) -> None:
    """The updates handled concurrently, as long polling hands a batch to tasks."""
    await asyncio.gather(*(app.dispatcher.feed_update(app.bot, each) for each in updates))
    await app.deliver()


async def test_two_heads_approving_one_pair_at_once_approve_it_once(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession], caplog: pytest.LogCaptureFixture
) -> None:
    """Two heads send the order for the same pair at the same moment: on SQLite both read the
    pair as awaiting approval (FOR UPDATE is not SQLite's) and both approved it, so it was
    approved and activated twice and the mentor was told twice. Now the second waits for the
    first, sees the decision and says so."""
    caplog.set_level(logging.ERROR, logger="nastavnik.errors")
    garden = await pairs_flows.Kindergarten.found(app)
    heads = [
        await garden.staff(300, "заведующий", "Иванова Мария Петровна"),
        await garden.staff(301, "заведующий", "Сидорова Мария Петровна"),
    ]
    mentor = await garden.mentor(601)
    mentee = await garden.mentee(501, "Петрова Анна Сергеевна")
    await pairs_flows.propose(garden.curator, ["Петрова"], "Смирнова")
    await pairs_flows.all_confirm(mentor, mentee)
    for head in heads:
        await head.taps("Утвердить")
    await at_once(app, heads[0].text_update("№ 45"), heads[1].text_update("№ 46"))
    async with sessionmaker() as session:
        kinds = list(await session.scalars(select(PairEvent.kind).order_by(PairEvent.id)))
        pair_id = await session.scalar(select(PairEvent.pair_id).limit(1))
    answers = sorted(head.texts()[-1] for head in heads)
    assert answers == [
        f"Пара № {pair_id} утверждена, участники получили сообщение.",
        "По этой паре решение уже принято.",
    ]
    assert kinds[-2:] == ["approved", "activated"] and kinds.count("approved") == 1
    assert sum("начала работу" in text for text in mentor.texts()) == 1
    assert failures(caplog) == []


async def test_mentor_and_mentee_closing_one_request_at_once_close_it_once(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession], caplog: pytest.LogCaptureFixture
) -> None:
    """Both tap «Закрыть запрос» at the same moment: one closes it, the other is told it is
    closed already, and neither is told of the other's closing twice."""
    caplog.set_level(logging.ERROR, logger="nastavnik.errors")
    people = await help_cast(app, sessionmaker)
    mentee, mentor = people.mentee, people.mentor
    await mentee.sends("/sos Родители снова просят встречу")
    await at_once(app, tap_update(mentee, "Закрыть запрос"), tap_update(mentor, "Закрыть запрос"))
    async with sessionmaker() as session:
        request = await session.scalar(select(HelpRequest))
    assert request is not None and request.status == HelpStatus.CLOSED
    number = f"№{request.id}"
    both = mentee.texts() + mentor.texts()
    assert sum(f"Запрос {number} закрыт. Закрыл(а)" in text for text in both) == 1
    assert sum(f"Запрос {number} закрыт. Спасибо" in text for text in both) == 1
    assert mentee.alerts().count(f"Запрос {number} уже закрыт.") == 1  # the bot's alerts, all told
    assert failures(caplog) == []


# --- what nobody sees ---------------------------------------------------------------------------


async def help_texts(sessionmaker: async_sessionmaker[AsyncSession]) -> list[str | None]:
    async with sessionmaker() as session:
        return list(await session.scalars(select(HelpMessage.text).order_by(HelpMessage.id)))


async def test_a_text_nobody_would_see_is_refused_and_an_override_is_taken_out(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession], clock: FrozenClock
) -> None:
    """A help request of zero-width characters or a Hangul filler looked empty and still went
    to the mentor as a blank request; a right-to-left override turned the line round. Now an
    invisible text is asked again (typed in the dialog, after /sos, or as a stray reply), and
    the override and control characters are taken out of what is kept and relayed."""
    garden = await kindergarten_with_pair(app, sessionmaker, clock)
    mentee, mentor = garden.mentee, garden.mentor
    seen_by_mentor = len(mentor.transcript)
    await mentee.sends("/sos \u3164")  # a Hangul filler: the dialog asks instead
    assert "Опишите ситуацию" in mentee.texts()[-1]
    await mentee.sends("\u200b\u2060\ufeff")
    assert mentee.texts()[-2].startswith("Нужен текст от 1")
    assert "Опишите ситуацию" in mentee.texts()[-1]
    assert await help_texts(sessionmaker) == [] and len(mentor.transcript) == seen_by_mentor
    await mentee.sends("\u202eКак быть с тихим часом?\x00")
    assert "передан наставнику" in mentee.texts()[-1]
    assert mentor.texts()[-1].endswith("\nКак быть с тихим часом?")
    await mentor.sends("\u200b")  # a stray reply, outside any dialog
    assert "Не понял" in mentor.texts()[-1]
    assert await help_texts(sessionmaker) == ["Как быть с тихим часом?"]
