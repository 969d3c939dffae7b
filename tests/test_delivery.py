"""The delivery queue and its sender: Telegram's limits, blocked people, refused messages,
outages, crashes, working hours, withdrawn consent, and several processes on one database."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from aiogram import Bot
from aiogram.exceptions import TelegramNetworkError, TelegramNotFound, TelegramRetryAfter
from aiogram.methods import SendMessage, TelegramMethod
from aiogram.methods.base import TelegramType
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.app import create_sender
from bot.config import Settings
from bot.db import create_engine, create_sessionmaker
from bot.delivery import Limits, SendWindow
from bot.scheduler import JobContext, one_pass_at_a_time, run_jobs
from bot.services import outbox
from bot.services.clock import Clock, FrozenClock
from bot.services.outbox import Outgoing, WorkingHours
from models import DeliveryState, Organisation, OutboxMessage, User
from tests.flows import MENTEE_ANSWERS, found_organisation, invite, join
from tests.harness import Harness, RecordingSession


class FlakyTelegram(RecordingSession):
    """Answers 429 (with retry_after) or a network error a set number of times first."""

    def __init__(self) -> None:
        super().__init__()
        self.too_many: int = 0
        self.retry_after: int = 7
        self.network_errors: int = 0
        self.not_found: int = 0  # a 404: Telegram answered, and not with the message

    async def make_request(
        self,
        bot: Bot,
        method: TelegramMethod[TelegramType],
        timeout: int | None = None,  # noqa: ASYNC109 - the signature aiogram calls
    ) -> TelegramType:
        if isinstance(method, SendMessage) and self.too_many:
            self.too_many -= 1
            wait = self.retry_after
            raise TelegramRetryAfter(method, f"Too Many Requests: retry after {wait}", wait)
        if isinstance(method, SendMessage) and self.network_errors:
            self.network_errors -= 1
            raise TelegramNetworkError(method, "connection reset")
        if isinstance(method, SendMessage) and self.not_found:
            self.not_found -= 1
            raise TelegramNotFound(method, "Not Found")
        return await super().make_request(bot, method, timeout)


async def queue(
    sessionmaker: async_sessionmaker[AsyncSession],
    now: datetime,
    *messages: Outgoing,
    hours: WorkingHours | None = None,
) -> None:
    async with sessionmaker.begin() as session:
        for message in messages:
            await outbox.enqueue(session, message, now, hours)


def note(chat_id: int, key: str, text: str = "Напоминание", urgent: bool = True) -> Outgoing:
    return Outgoing(chat_id=chat_id, key=key, purpose="notice", text=text, urgent=urgent)


async def rows(sessionmaker: async_sessionmaker[AsyncSession]) -> list[OutboxMessage]:
    async with sessionmaker() as session:
        return list(await session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def texts_to(session: RecordingSession, chat_id: int) -> list[str]:
    return [sent.text for sent in session.chats[chat_id]]


async def test_a_429_is_waited_out_and_the_same_message_sent_again(
    settings: Settings, sessionmaker: async_sessionmaker[AsyncSession], clock: FrozenClock
) -> None:
    telegram = FlakyTelegram()
    app = await started(settings, sessionmaker, clock, telegram)
    await queue(sessionmaker, clock.now(), note(501, "a"), note(502, "b"), note(503, "c"))
    telegram.too_many = 1
    await app.deliver()
    first, *_ = await rows(sessionmaker)
    assert first.state == DeliveryState.QUEUED and first.attempts == 0  # not a failed try
    assert first.not_before == clock.now() + timedelta(seconds=7)
    assert texts_to(telegram, 501) == []
    clock.advance(seconds=7)
    await app.deliver()
    assert [row.state for row in await rows(sessionmaker)] == [DeliveryState.SENT] * 3
    assert texts_to(telegram, 501) == ["Напоминание"]  # delivered after the wait, once
    assert texts_to(telegram, 502) == texts_to(telegram, 503) == ["Напоминание"]


async def test_the_sender_waits_retry_after_for_every_chat(
    settings: Settings, sessionmaker: async_sessionmaker[AsyncSession], clock: FrozenClock
) -> None:
    telegram = FlakyTelegram()
    app = await started(settings, sessionmaker, clock, telegram)
    sender = create_sender(app.dispatcher, app.bot)
    await queue(sessionmaker, clock.now(), note(501, "a"))
    telegram.too_many = 1
    stop = asyncio.Event()
    running = asyncio.create_task(sender.run(stop))
    for _ in range(100):
        if sender.paused_until:
            break
        await asyncio.sleep(0.01)
    stop.set()
    await running
    assert sender.paused_until - asyncio.get_running_loop().time() > 5  # about 7 s from now


async def test_a_person_who_blocked_the_bot_is_marked_and_the_curator_told_once(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession], clock: FrozenClock
) -> None:
    curator = await found_organisation(app)
    mentee = await join(app, await invite(curator, "наставляемый"), 501, MENTEE_ANSWERS)
    curator.forget()
    app.session.blocked.add(mentee.telegram_id)
    await queue(sessionmaker, clock.now(), note(501, "a"), note(501, "b"), note(501, "c"))
    calls = len(app.session.calls_of(SendMessage))
    await app.deliver()
    assert {row.state for row in await rows(sessionmaker) if row.chat_id == 501} == {
        DeliveryState.UNREACHABLE
    }
    warnings = [text for text in curator.texts() if "заблокировал(а) бота" in text]
    assert len(warnings) == 1 and "Петрова Анна Сергеевна" in warnings[0]
    tried = [c for c in app.session.calls_of(SendMessage)[calls:] if int(c.chat_id) == 501]
    assert len(tried) == 1  # the first refusal stops the others
    await queue(sessionmaker, clock.now(), note(501, "d"))  # later ones are not even tried
    calls = len(app.session.calls_of(SendMessage))
    await app.deliver()
    assert len(app.session.calls_of(SendMessage)) == calls
    app.session.blocked.clear()
    await mentee.sends("/help")  # writing to the bot makes them reachable again
    async with sessionmaker() as session:
        user = await session.scalar(select(User).where(User.telegram_id == 501))
        assert user is not None and not user.blocked_bot


async def test_other_errors_are_retried_with_backoff_then_marked_failed(
    settings: Settings, sessionmaker: async_sessionmaker[AsyncSession], clock: FrozenClock
) -> None:
    telegram = FlakyTelegram()
    app = await started(settings, sessionmaker, clock, telegram)
    await queue(sessionmaker, clock.now(), note(501, "a"))
    telegram.network_errors = 2
    await app.deliver()
    (row,) = await rows(sessionmaker)
    assert row.state == DeliveryState.QUEUED and row.attempts == 1 and row.last_error
    clock.advance(seconds=5)
    await app.deliver()
    clock.advance(seconds=10)
    await app.deliver()
    (row,) = await rows(sessionmaker)
    assert row.state == DeliveryState.SENT and texts_to(telegram, 501) == ["Напоминание"]

    await queue(sessionmaker, clock.now(), note(502, "b"))
    telegram.not_found = 100
    for _ in range(outbox.MAX_ATTEMPTS + 1):
        await app.deliver()
        clock.advance(minutes=11)
    failed = [row for row in await rows(sessionmaker) if row.chat_id == 502]
    assert failed[0].state == DeliveryState.FAILED
    assert failed[0].attempts == outbox.MAX_ATTEMPTS


async def test_a_crash_after_the_claim_sends_the_message_later_once(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession], clock: FrozenClock
) -> None:
    await queue(sessionmaker, clock.now(), note(501, "a"))
    async with sessionmaker.begin() as session:  # claimed, then the process died
        assert len(await outbox.claim(session, clock.now(), 10)) == 1
    await app.deliver()
    assert texts_to(app.session, 501) == []  # still claimed by the dead sender
    clock.advance(minutes=3)
    await app.deliver()
    assert texts_to(app.session, 501) == ["Напоминание"]


async def test_a_crash_after_sending_repeats_that_message_at_most_once(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession], clock: FrozenClock
) -> None:
    await queue(sessionmaker, clock.now(), note(501, "a"))
    async with sessionmaker.begin() as session:
        (row,) = await outbox.claim(session, clock.now(), 10)
    await app.bot.send_message(501, row.text or "")  # Telegram took it; the mark never came
    clock.advance(minutes=3)
    await app.deliver()
    await app.deliver()
    clock.advance(minutes=3)
    await app.deliver()
    assert texts_to(app.session, 501) == ["Напоминание", "Напоминание"]
    ((state,),) = [(r.state,) for r in await rows(sessionmaker)]
    assert state == DeliveryState.SENT


async def test_a_message_that_can_wait_waits_for_working_hours(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession], clock: FrozenClock
) -> None:
    moscow = WorkingHours("Europe/Moscow", 9, 18)
    friday_evening = datetime(2026, 11, 27, 17, 30, tzinfo=UTC)  # 20:30 in Moscow
    clock.moment = friday_evening
    await queue(
        sessionmaker,
        clock.now(),
        note(501, "later", "Можно подождать", urgent=False),
        note(502, "now", "Срочно"),
        hours=moscow,
    )
    await app.deliver()
    assert texts_to(app.session, 502) == ["Срочно"]
    assert texts_to(app.session, 501) == []
    clock.moment = datetime(2026, 11, 30, 5, 59, tzinfo=UTC)  # Monday, 8:59 in Moscow
    await app.deliver()
    assert texts_to(app.session, 501) == []
    clock.advance(minutes=1)
    await app.deliver()
    assert texts_to(app.session, 501) == ["Можно подождать"]


async def test_the_same_decision_twice_queues_one_message(
    sessionmaker: async_sessionmaker[AsyncSession], clock: FrozenClock
) -> None:
    await queue(sessionmaker, clock.now(), note(501, "reminder:7:due"))
    await queue(sessionmaker, clock.now(), note(501, "reminder:7:due", "другой текст"))
    assert [row.text for row in await rows(sessionmaker)] == ["Напоминание"]


async def test_the_sender_keeps_to_the_rate_in_all_and_per_chat(
    settings: Settings, sessionmaker: async_sessionmaker[AsyncSession], clock: FrozenClock
) -> None:
    app = await started(settings, sessionmaker, clock, RecordingSession())
    sender = create_sender(app.dispatcher, app.bot)
    sender.limits = Limits(per_second=20, chat_interval=0.3)
    sender.clock = Clock()  # the interval to a chat is also checked against sent_at: real time
    await queue(
        sessionmaker,
        clock.now(),
        *[note(600 + n, f"n{n}") for n in range(10)],
        *[note(501, f"same{n}") for n in range(3)],
    )
    stop = asyncio.Event()
    started_at = asyncio.get_running_loop().time()
    running = asyncio.create_task(sender.run(stop))
    for _ in range(1000):  # up to 20 s on a loaded machine; about 0.7 s when idle
        if all(row.state == DeliveryState.SENT for row in await rows(sessionmaker)):
            break
        await asyncio.sleep(0.02)
    took = asyncio.get_running_loop().time() - started_at
    stop.set()
    await running
    assert all(row.state == DeliveryState.SENT for row in await rows(sessionmaker))
    assert took >= 0.6  # three to one chat, 0.3 s apart; thirteen at 20 a second
    assert texts_to(app.session, 501) == ["Напоминание"] * 3


async def test_two_senders_on_postgresql_send_every_row_exactly_once(
    settings: Settings,
    sessionmaker: async_sessionmaker[AsyncSession],
    clock: FrozenClock,
    engine: AsyncEngine,
) -> None:
    if engine.dialect.name != "postgresql":
        pytest.skip("several senders share one database on PostgreSQL only")
    telegram = RecordingSession()
    app = await started(settings, sessionmaker, clock, telegram)
    await queue(sessionmaker, clock.now(), *[note(1000 + n, f"k{n}") for n in range(120)])
    senders = [create_sender(app.dispatcher, app.bot) for _ in range(2)]
    for sender in senders:
        sender.limits = Limits(per_second=30, chat_interval=1)
    stop = asyncio.Event()
    running = [asyncio.create_task(sender.run(stop)) for sender in senders]
    for _ in range(500):
        async with sessionmaker() as session:
            left = await session.scalar(
                select(func.count())
                .select_from(OutboxMessage)
                .where(OutboxMessage.state != DeliveryState.SENT)
            )
        if not left:
            break
        await asyncio.sleep(0.05)
    stop.set()
    await asyncio.gather(*running)
    sent = [int(call.chat_id) for call in telegram.calls_of(SendMessage)]
    assert sorted(sent) == [1000 + n for n in range(120)]  # each once, none lost


async def test_two_schedulers_on_postgresql_make_one_pass_at_a_time(
    app: Harness,
    sessionmaker: async_sessionmaker[AsyncSession],
    engine: AsyncEngine,
    clock: FrozenClock,
    settings: Settings,
) -> None:
    if engine.dialect.name != "postgresql":
        pytest.skip("one process runs the jobs on SQLite")
    async with sessionmaker() as first, one_pass_at_a_time(first) as ours:
        assert ours
        async with sessionmaker() as second, one_pass_at_a_time(second) as theirs:
            assert not theirs  # the other process skips its tick
        context = JobContext(app.bot, sessionmaker, clock, app.i18n_core(), settings)
        await run_jobs(context)  # returns at once, doing nothing
    async with sessionmaker() as again, one_pass_at_a_time(again) as ours_again:
        assert ours_again  # released


class DatabaseGoneOnce:
    """Sessions whose first transaction fails to begin, as when the database restarts."""

    def __init__(self, sessionmaker: async_sessionmaker[AsyncSession]) -> None:
        self.sessionmaker = sessionmaker
        self.failed = False

    def begin(self) -> Any:
        if not self.failed:
            self.failed = True
            raise ConnectionError("the database went away")
        return self.sessionmaker.begin()


async def started(
    settings: Settings,
    sessionmaker: async_sessionmaker[AsyncSession],
    clock: FrozenClock,
    telegram: RecordingSession,
) -> Harness:
    from bot.app import create_dispatcher

    app = Harness(create_dispatcher(settings, sessionmaker, clock=clock), telegram)
    await app.start()
    return app


async def test_the_curator_sees_what_waits_what_went_and_who_is_unreachable(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession], clock: FrozenClock
) -> None:
    curator = await found_organisation(app)
    mentee = await join(app, await invite(curator, "наставляемый"), 501, MENTEE_ANSWERS)
    app.session.blocked.add(mentee.telegram_id)
    async with sessionmaker() as session:
        organisation_id = await session.scalar(select(Organisation.id))
    later = Outgoing(
        chat_id=777, key="wait", purpose="reminder", text="—", organisation_id=organisation_id
    )
    blocked = Outgoing(
        chat_id=501, key="b", purpose="pair", text="—", organisation_id=organisation_id
    )
    async with sessionmaker.begin() as session:
        await outbox.enqueue(session, blocked, clock.now())
        await outbox.enqueue(session, later, clock.now() + timedelta(hours=1))
    await app.deliver()
    reply = await curator.sends("/delivery")
    assert reply is not None
    assert "В очереди: 1" in reply.text and "Недоступны (заблокировали бота): 1" in reply.text
    assert "Петрова Анна Сергеевна" in reply.text
    app.session.blocked.clear()
    refused = await mentee.sends("/delivery")  # not for a mentee
    assert refused is not None and "недоступно в вашей роли" in refused.text


async def test_the_sender_outlives_a_failing_claim(
    settings: Settings,
    sessionmaker: async_sessionmaker[AsyncSession],
    clock: FrozenClock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    app = await started(settings, sessionmaker, clock, RecordingSession())
    sender = create_sender(app.dispatcher, app.bot)
    sender.sessionmaker = DatabaseGoneOnce(sessionmaker)  # type: ignore[assignment]
    await queue(sessionmaker, clock.now(), note(501, "a"))
    stop = asyncio.Event()
    with caplog.at_level("ERROR", logger="bot.delivery"):
        running = asyncio.create_task(sender.run(stop))
        for _ in range(300):
            if texts_to(app.session, 501):
                break
            await asyncio.sleep(0.02)
        stop.set()
        await running
    assert texts_to(app.session, 501) == ["Напоминание"]
    assert "could not claim" in caplog.text


def test_the_window_counts_a_message_until_a_second_after_its_answer() -> None:
    """Telegram counts a message when it arrives: the sender's window never counts fewer. A 403
    is not counted by Telegram, so its place is free at once."""
    window = SendWindow()
    now = time.monotonic()
    taken, refused = window.take(), window.take()
    assert window.wait_seconds(now, capacity=2) > 0  # both on their way: the window is full
    window.answered(refused, counted=False)
    assert window.wait_seconds(time.monotonic(), capacity=2) == 0
    window.answered(taken, counted=True)
    window.take()
    wait = window.wait_seconds(time.monotonic(), capacity=2)
    assert 0.9 < wait <= 1.0  # the counted one leaves a second after its answer
    assert window.wait_seconds(time.monotonic() + 1.01, capacity=2) == 0


async def until_sent(sessionmaker: async_sessionmaker[AsyncSession], tries: int = 300) -> None:
    """Until no row waits or is on its way (at most `tries` looks, 20 ms apart)."""
    for _ in range(tries):
        async with sessionmaker() as session:
            left = await session.scalar(
                select(func.count())
                .select_from(OutboxMessage)
                .where(OutboxMessage.state.in_([DeliveryState.QUEUED, DeliveryState.SENDING]))
            )
        if not left:
            return
        await asyncio.sleep(0.02)


async def test_two_processes_on_one_database_send_every_row_exactly_once(
    settings: Settings,
    sessionmaker: async_sessionmaker[AsyncSession],
    clock: FrozenClock,
    database_url: str,
) -> None:
    """Two senders, each with its own engine (its own connections, as two processes have),
    claim the same queue at once: on SQLite too, no row goes out twice and none is lost."""
    telegram = RecordingSession()
    app = await started(settings, sessionmaker, clock, telegram)
    await queue(sessionmaker, clock.now(), *[note(1000 + n, f"k{n}") for n in range(60)])
    other_engine = create_engine(database_url)
    senders = [create_sender(app.dispatcher, app.bot) for _ in range(2)]
    senders[1].sessionmaker = create_sessionmaker(other_engine)
    for sender in senders:
        sender.limits = Limits(per_second=60, chat_interval=1)
    stop = asyncio.Event()
    running = [asyncio.create_task(sender.run(stop)) for sender in senders]
    await until_sent(sessionmaker)
    stop.set()
    await asyncio.gather(*running)
    await other_engine.dispose()
    sent = [int(call.chat_id) for call in telegram.calls_of(SendMessage)]
    assert sorted(sent) == [1000 + n for n in range(60)]  # each once, none lost
    assert {row.state for row in await rows(sessionmaker)} == {DeliveryState.SENT}


async def test_a_long_429_in_a_batch_sends_each_message_once(
    settings: Settings,
    sessionmaker: async_sessionmaker[AsyncSession],
    clock: FrozenClock,
) -> None:
    """Telegram asks to wait longer than a claim is held (it may say minutes on a big
    broadcast): the messages claimed but not yet sent go back to the queue for the wait, so
    neither this sender after the wait nor another process in the meantime repeats one."""
    telegram = FlakyTelegram()
    app = await started(settings, sessionmaker, clock, telegram)
    await queue(sessionmaker, clock.now(), *[note(700 + n, f"b{n}") for n in range(6)])
    sender = create_sender(app.dispatcher, app.bot)
    sender.limits = Limits(per_second=6, chat_interval=1)
    telegram.too_many, telegram.retry_after = 1, 1
    stop = asyncio.Event()
    running = asyncio.create_task(sender.run(stop))
    for _ in range(100):
        if sender.paused_until:
            break
        await asyncio.sleep(0.01)
    await asyncio.sleep(0.2)
    waiting = await rows(sessionmaker)
    assert DeliveryState.SENDING not in {row.state for row in waiting}  # none held in the wait
    clock.advance(minutes=3)  # the wait outlasts a claim: another process may take them now
    await app.deliver()
    await until_sent(sessionmaker)
    await asyncio.sleep(max(0.0, sender.paused_until - time.monotonic()) + 0.2)
    stop.set()  # the first sender, its wait over, found nothing left to send
    await running
    sent = sorted(int(call.chat_id) for call in telegram.calls_of(SendMessage))
    assert sent == [700 + n for n in range(6)]  # each once (the refused one after the wait)
    assert {row.state for row in await rows(sessionmaker)} == {DeliveryState.SENT}


async def test_what_telegram_refuses_fails_once_with_its_reason_and_is_counted(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession], clock: FrozenClock
) -> None:
    """A text too long or a file Telegram no longer knows (400): tried once, marked failed
    with Telegram's reason, which the curator reads in /delivery; the count is of all of them,
    not of the few listed."""
    curator = await found_organisation(app)
    async with sessionmaker() as session:
        organisation_id = await session.scalar(select(Organisation.id))
    long = [
        Outgoing(700 + n, f"long{n}", "notice", "я" * 4097, True, organisation_id=organisation_id)
        for n in range(11)
    ]
    photo = Outgoing(
        720, "photo", "pair", "Фото", True, None, organisation_id, "photo", "gone-file"
    )
    app.session.unknown_files.add("gone-file")
    await queue(sessionmaker, clock.now(), *long, photo)
    calls = len(app.session.calls)
    await app.deliver()
    for _ in range(3):  # later passes try none of them again
        clock.advance(minutes=15)
        await app.deliver()
    assert len(app.session.calls) - calls == 12
    failed = [row for row in await rows(sessionmaker) if row.chat_id >= 700]
    assert {row.state for row in failed} == {DeliveryState.FAILED}
    assert {row.attempts for row in failed} == {1}
    reply = await curator.sends("/delivery")
    assert reply is not None and "Не удалось отправить: 12" in reply.text
    assert "message is too long" in reply.text
    assert "пара или группа: Bad Request: wrong file identifier" in reply.text


async def test_nothing_queued_to_or_about_a_person_goes_out_after_they_withdraw(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession], clock: FrozenClock
) -> None:
    """Withdrawn consent: a message still waiting for them is not sent, and one to someone
    else that quotes them is not sent either (not even emptied: Telegram refuses an empty
    message, and the curator would read of a failure)."""
    curator = await found_organisation(app)
    mentee = await join(app, await invite(curator, "наставляемый"), 501, MENTEE_ANSWERS)
    async with sessionmaker() as session:
        organisation_id = await session.scalar(select(Organisation.id))
    about_her = Outgoing(
        curator.telegram_id,
        "about-her",
        "help",
        "Петрова Анна Сергеевна ждёт ответа",
        True,
        organisation_id=organisation_id,
    )
    await queue(sessionmaker, clock.now() + timedelta(hours=1), note(501, "to-her"), about_her)
    await mentee.sends("/privacy")
    await mentee.taps("Отозвать согласие")
    await mentee.taps("Да, отозвать")
    assert "данные в организации" in mentee.last_reply().text  # type: ignore[union-attr]
    curator.forget()
    mentee.forget()
    clock.advance(hours=2)
    await app.deliver()
    assert mentee.texts() == [] and curator.texts() == []
    reply = await curator.sends("/delivery")
    assert reply is not None and "Не удалось отправить: 0" in reply.text
    assert "В очереди: 0" in reply.text


async def test_a_message_outlives_hours_of_telegram_out_of_reach(
    settings: Settings, sessionmaker: async_sessionmaker[AsyncSession], clock: FrozenClock
) -> None:
    """Network errors for three hours (a 5xx or a cut line): not the message's fault, so it is
    tried again at most ten minutes apart and goes out once Telegram answers, not failed."""
    telegram = FlakyTelegram()
    app = await started(settings, sessionmaker, clock, telegram)
    await queue(sessionmaker, clock.now(), note(501, "a"))
    telegram.network_errors = 10**6
    outage_ends = clock.now() + timedelta(hours=3)
    while clock.now() < outage_ends:
        await app.deliver()
        clock.advance(minutes=5)
    (row,) = await rows(sessionmaker)
    assert row.state == DeliveryState.QUEUED and "connection reset" in (row.last_error or "")
    assert row.not_before <= clock.now() + timedelta(minutes=10)
    telegram.network_errors = 0
    clock.advance(minutes=10)
    await app.deliver()
    (row,) = await rows(sessionmaker)
    assert row.state == DeliveryState.SENT and texts_to(telegram, 501) == ["Напоминание"]


async def test_a_withdrawal_from_one_organisation_keeps_the_messages_of_another(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession], clock: FrozenClock
) -> None:
    """A curator of two kindergartens withdraws from one: what the other still has queued for
    them goes out; only the one they left loses its messages to them."""
    curator = await found_organisation(app)
    await curator.sends("/neworg")
    await curator.sends("МБДОУ «Детский сад № 7»")
    await curator.sends("Д/с № 7")
    await curator.taps("Москва")
    await curator.taps("Я сам")
    async with sessionmaker() as session:
        first, second = await session.scalars(select(Organisation.id).order_by(Organisation.id))
    kept, left = (
        Outgoing(curator.telegram_id, key, "reminder", text, True, organisation_id=organisation)
        for key, text, organisation in (
            ("kept", "Напоминание сада № 5", first),
            ("left", "Напоминание сада № 7", second),
        )
    )
    await queue(sessionmaker, clock.now() + timedelta(hours=1), kept, left)
    await curator.sends("/privacy")
    await curator.taps("Отозвать согласие")
    await curator.taps("Да, отозвать")
    assert "сад № 7» удалены" in curator.last_reply().text  # type: ignore[union-attr]
    curator.forget()
    clock.advance(hours=2)
    await app.deliver()
    assert curator.texts() == ["Напоминание сада № 5"]
