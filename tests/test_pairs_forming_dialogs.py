"""The bank and the pair form as dialogs: Back, /cancel, a restart in the middle, a double tap,
stale and forged buttons, the calendar in Russian; what the curator sees and what is stored."""

from __future__ import annotations

from datetime import date

from aiogram.types import InlineKeyboardMarkup
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.app import create_dispatcher
from bot.config import Settings
from bot.services.clock import FrozenClock
from models import Pair
from tests.harness import Harness, Person
from tests.pairs_flows import Kindergarten, forged, only_pair

STALE = "уже не действует"


def day(person: Person, label: str) -> str:
    """The calendar's button of that day (other buttons have dates in them too)."""
    sent = person.transcript[-1]
    assert isinstance(sent.markup, InlineKeyboardMarkup)
    found = [
        b.callback_data for row in sent.markup.inline_keyboard for b in row if b.text == label
    ]
    assert found and found[0] is not None, sent.buttons
    return found[0]


async def pair_count(sessionmaker: async_sessionmaker[AsyncSession]) -> int:
    async with sessionmaker() as session:
        return await session.scalar(select(func.count()).select_from(Pair)) or 0


async def restarted(app: Harness, settings: Settings, sessionmaker, clock: FrozenClock) -> Harness:  # type: ignore[no-untyped-def]
    """The bot restarted: a new Dispatcher on the same database and the same chats."""
    again = Harness(create_dispatcher(settings, sessionmaker, clock=clock), app.session)
    await again.start()
    return again


async def test_bank_card_back_cancel_restart_and_forged_buttons(
    app: Harness,
    settings: Settings,
    sessionmaker: async_sessionmaker[AsyncSession],
    clock: FrozenClock,
) -> None:
    garden = await Kindergarten.found(app)
    await garden.mentor(601)
    await garden.mentee(501, "Петрова Анна Сергеевна")
    curator = garden.curator
    await curator.sends("/bank")
    shown = len(curator.transcript)
    reply = await curator.taps("Наставляемые")
    assert reply is not None and "• Наставляемые" in reply.buttons
    assert len(curator.transcript) == shown  # one message, edited in place
    person = curator.callback_data("Петрова")
    reply = await curator.taps("Петрова")
    assert reply is not None and "<b>ФИО:</b> Петрова Анна Сергеевна" in reply.text
    await curator.presses(person)  # a double tap: the list is under the card now
    assert curator.was_alerted(STALE)
    reply = await curator.taps("К списку")  # back, with the filter kept
    assert reply is not None and "Наставляемые · стр. 1/1" in reply.text

    again = (await restarted(app, settings, sessionmaker, clock)).person(curator.telegram_id)
    await again.taps("Все")
    reply = await again.taps("Смирнова")  # the bot restarted: the list still works
    assert reply is not None and "<b>Карточка</b>: наставник" in reply.text
    assert not any("Подобрать наставника" in label for label in reply.buttons)
    back = again.callback_data("К списку")

    await again.sends("/cancel")
    assert "Вы вышли из диалога" in again.texts()[-1]
    await again.presses(back)  # the card's button after /cancel
    assert again.was_alerted(STALE)
    await again.sends("/bank")
    await again.presses(forged(again, "Все", "bank_filter", "nonsense"))
    assert "<b>Банк</b>: 2 · Все" in again.texts()[-1]  # an unknown filter: all
    await again.presses(forged(again, "Все", "bank_person", "x" * 20))
    assert again.was_alerted(STALE)
    assert not [text for text in again.texts() if "что-то пошло не так" in text]


async def test_pair_form_back_keeps_the_choice_and_the_calendar_speaks_russian(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    garden = await Kindergarten.found(app)
    await garden.mentor(601)
    await garden.mentee(501, "Петрова Анна Сергеевна")
    curator = garden.curator
    await curator.sends("/pair")
    await curator.taps("Петрова")
    await curator.taps("Далее")
    reply = await curator.taps("Назад")
    assert reply is not None and "Отмечено: 1" in reply.text
    assert any(label.startswith("✅ Петрова") for label in reply.buttons)
    await curator.taps("Далее")
    await curator.taps("Смирнова")
    reply = await curator.taps("Готово")
    assert reply is not None and "🗓 Ноябрь 2026" in reply.buttons and "Пн" in reply.buttons
    await curator.presses(day(curator, "30"))  # 30.11.2026 on the calendar
    reply = curator.last_reply()
    assert reply is not None and "Начало — 30.11.2026" in reply.text
    assert "🗓 Декабрь 2026" in reply.buttons  # the end's calendar opens on the first day offered
    await curator.presses(day(curator, "30"))  # 30.12.2026: the shortest term
    reply = curator.last_reply()
    assert reply is not None and "Срок: с 30.11.2026 по 30.12.2026" in reply.text
    send = curator.callback_data("Отправить на согласие")
    await curator.presses(send)
    await curator.presses(send)  # a double tap: one pair
    assert curator.was_alerted(STALE)
    pair = await only_pair(sessionmaker)
    assert (pair.starts_on, pair.ends_on) == (date(2026, 11, 30), date(2026, 12, 30))
    assert await pair_count(sessionmaker) == 1


async def test_pair_form_cancel_restart_forged_and_from_the_bank(
    app: Harness,
    settings: Settings,
    sessionmaker: async_sessionmaker[AsyncSession],
    clock: FrozenClock,
) -> None:
    garden = await Kindergarten.found(app)
    await garden.mentor(601)
    await garden.mentee(501, "Петрова Анна Сергеевна")
    curator = garden.curator
    await curator.sends("/pair")
    await curator.taps("Петрова")
    again = (await restarted(app, settings, sessionmaker, clock)).person(curator.telegram_id)
    reply = await again.taps("Далее")  # the bot restarted in the middle: the choice is kept
    assert reply is not None and "Подходящие наставники" in reply.text
    await again.taps("Смирнова")
    await again.presses(forged(again, "Готово", "pair_forms", "lunch"))  # not a form
    assert again.was_alerted(STALE)  # refused when tapped, and not kept
    ready = again.callback_data("Готово")
    reply = await again.taps("Готово")
    assert reply is not None and "Формы: традиционная" in reply.text  # the tick left out
    await again.sends("/cancel")
    await again.presses(ready)
    assert again.was_alerted(STALE)
    assert await pair_count(sessionmaker) == 0

    await again.sends("/bank")  # from a mentee's card, and back to it when cancelled
    await again.taps("Петрова")
    reply = await again.taps("Подобрать наставника")
    assert reply is not None and "Петрова Анна Сергеевна" in reply.text
    await again.presses(forged(again, "Назад", "pair_mentor", 2**70))
    assert again.was_alerted(STALE)
    assert await pair_count(sessionmaker) == 0


async def test_the_calendar_speaks_the_persons_language(app: Harness) -> None:
    garden = await Kindergarten.found(app)
    await garden.mentor(601)
    await garden.mentee(501, "Петрова Анна Сергеевна")
    curator = garden.curator
    await curator.sends("/language")
    await curator.taps("English")
    await curator.sends("/pair")
    await curator.taps("Петрова")
    await curator.taps("Next")
    await curator.taps("Смирнова")
    reply = await curator.taps("Done")
    assert reply is not None and "🗓 November 2026" in reply.buttons and "Mo" in reply.buttons
