"""Languages as a phone user meets them: someone who switched to English (or whose Telegram
speaks English) sees no Russian on any screen, and the people told of what they did read it in
their own language; Russian screens carry no English. Names, the organisation's name and what
people typed are theirs and stay as written."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest
from aiogram.methods import SetMyCommands
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.commands import commands_for
from bot.services.clock import FrozenClock
from models import Pair, PairMentee, Role
from tests.flows import MENTEE_ANSWERS, MENTOR_ANSWERS, answer, invite
from tests.harness import Harness, Person, Sent
from tests.pairs_fixture import MENTEE_NAMES, kindergarten_with_pair, with_plan
from tests.test_locales import variables
from tests.test_survey_campaigns import ENTRY_ANSWERS
from tests.test_survey_support import answer as answer_survey
from tests.test_survey_support import launch

CYRILLIC = re.compile(r"[А-Яа-яЁё]")
# What people wrote (names, the organisation, typed answers) and names cut to initials.
TYPED = sorted(
    {
        "МБДОУ «Детский сад № 5»",
        "Д/с № 5",
        *MENTEE_NAMES,
        *(value for kind, value in MENTEE_ANSWERS + MENTOR_ANSWERS if kind == "text"),
    },
    key=len,
    reverse=True,
)
INITIALS = re.compile(r"[А-ЯЁ][а-яё]+ [А-ЯЁ]\. ?[А-ЯЁ]\.")
# Words a Russian screen may show in Latin letters.
LATIN_WORD = re.compile(r"\b(?!(?:Telegram|Excel|Word|HTML|Markdown|SWOT|ID)\b)[A-Za-z]{3,}\b")
# Not words: tags, commands, links and time zones (Europe/Moscow).
NOT_WORDS = re.compile(r"<[^>]+>|/[a-z_]+|https?://\S+|\b[A-Z][a-z]+/[A-Za-z_]+")
TAPS = 2  # buttons tapped on a command's first screen; keeps the walk under a few seconds
FILES = {"export", "report", "site"}
ENGLISH_MENTEE_ANSWERS = [
    ("text", "Petrova Anna"),
    ("tap", "Teacher"),
    ("contact", "+79123456789"),
    ("text", "1999"),
    ("tap", "Higher, in teaching"),
    ("text", "1"),
    ("tap", "Today"),
    ("tap", "Young specialist"),
    ("text", "How to run a parents' meeting"),
    ("tap", "Working with parents"),
    ("tap", "Done"),
]
NOT_TAPPED = ("Отозвать", "Withdraw", "Покинуть", "Leave", "Русский", "English")


def people_wrote_removed(text: str) -> str:
    for typed in TYPED:
        text = text.replace(typed, "")
    return INITIALS.sub("", text)


def seen_since(app: Harness, person: Person, start: int) -> list[str]:
    """Every text and button label sent or edited into the person's chat since call `start`,
    alerts included, without what people wrote."""
    seen: list[str] = []
    for call in app.session.calls[start:]:
        if str(getattr(call, "chat_id", "")) == str(person.telegram_id):
            seen.append(getattr(call, "text", None) or getattr(call, "caption", None) or "")
            markup = getattr(call, "reply_markup", None)
            rows = getattr(markup, "inline_keyboard", None) or getattr(markup, "keyboard", None)
            seen += [button.text for row in rows or [] for button in row]
    seen += person.alerts()
    return [people_wrote_removed(text) for text in seen if text]


def buttons(sent: Sent) -> list[tuple[str, str]]:
    rows = getattr(sent.markup, "inline_keyboard", None) or []
    return [(b.text, b.callback_data) for row in rows for b in row if b.callback_data]


async def open_every_screen(person: Person, role: Role, skip: set[str]) -> None:
    """Each command of the person's menu, and the first buttons of its first screen, once
    (files aside: tests/test_exports.py reads them)."""
    for command in commands_for({role}, is_admin=False):
        if command in skip:
            continue
        skip.add(command)  # a command everyone has is walked once
        screen = await person.sends(f"/{command}")
        labels = [label for label, _ in buttons(screen)] if screen else []
        for label in labels[:TAPS] if command not in FILES else []:
            if screen is None or any(word in label for word in NOT_TAPPED):
                continue
            await person.presses(dict(buttons(screen)).get(label, ""), screen)
            screen = await person.sends(f"/{command}")  # the screen afresh, for the next one


async def test_english_screens_have_no_russian_and_notices_come_in_the_readers_language(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession], clock: FrozenClock
) -> None:
    garden = await kindergarten_with_pair(app, sessionmaker, clock)
    await with_plan(sessionmaker, garden, clock.now(), [("Read", date(2026, 12, 1))])
    curator, mentor, mentee = garden.curator, garden.mentor, garden.mentee
    # The mentee switches in the middle of logging a meeting, and the dialog goes on in English.
    await mentee.sends("/meeting")
    await mentee.taps("Сегодня")
    await mentee.sends("/language")
    start = len(app.session.calls)
    switched = await mentee.taps("English")
    assert switched is not None and "🆘 Need help" in switched.buttons  # the standing button
    await mentee.taps("Очно")  # the button of the screen before the switch
    assert any("Which plan item did the meeting serve?" in text for text in mentee.texts())
    await mentee.taps("Not tied to the plan")
    await mentee.taps("45")
    await mentee.taps("Skip")
    await mentee.taps("Skip")
    assert any("The meeting is logged" in text for text in mentee.texts())
    # The mentor, still Russian, reads the notice in Russian.
    notice = mentor.texts()[-1]
    assert "записал(а) встречу" in notice and "Очно" in notice
    assert LATIN_WORD.findall(people_wrote_removed(notice)) == []
    since = {mentee.telegram_id: start}
    for person in (curator, mentor):
        await person.sends("/language")
        since[person.telegram_id] = len(app.session.calls)
        await person.taps("English")
    # The menu of commands in the chat follows the language.
    menus = [call for call in app.session.calls[start:] if isinstance(call, SetMyCommands)]
    chats = {call.scope.chat_id: call.commands for call in menus}  # type: ignore[union-attr]
    assert set(chats) == {curator.telegram_id, mentor.telegram_id, mentee.telegram_id}
    assert all(not CYRILLIC.search(c.description) for cs in chats.values() for c in cs)
    walked = {"cancel", "language"}
    for person, role in ((mentee, Role.MENTEE), (mentor, Role.MENTOR), (curator, Role.CURATOR)):
        await open_every_screen(person, role, walked)
    seen = {
        person.telegram_id: seen_since(app, person, since[person.telegram_id])
        for person in (curator, mentor, mentee)
    }
    russian = {
        who: [text for text in texts if CYRILLIC.search(text.replace("Русский", ""))]
        for who, texts in seen.items()
    }
    assert russian == {who: [] for who in since}
    assert not any("— min" in text for text in seen[curator.telegram_id])  # no median: a dash
    assert all(len(texts) > 30 for texts in seen.values()), "too few screens to mean anything"


async def test_a_teacher_whose_telegram_speaks_english_joins_in_english(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession], clock: FrozenClock
) -> None:
    garden = await kindergarten_with_pair(app, sessionmaker, clock)
    code = await invite(garden.curator, "наставляемый")
    teacher = app.person(777, language="en", name="Jane")
    await teacher.sends(f"/start {code}")
    await teacher.taps("I agree")
    await answer(teacher, ENGLISH_MENTEE_ANSWERS)
    assert "Profile complete" in teacher.texts()[-1]
    await teacher.sends("/profile")
    russian = [text for text in seen_since(app, teacher, 0) if CYRILLIC.search(text)]
    assert russian == []
    # The curator, who reads Russian, hears of the newcomer in Russian.
    news = garden.curator.texts()[-1]
    assert "новый участник: Petrova Anna, наставляемый" in news


async def test_russian_screens_have_no_english(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession], clock: FrozenClock
) -> None:
    garden = await kindergarten_with_pair(app, sessionmaker, clock)
    await with_plan(sessionmaker, garden, clock.now(), [("Прочитать", date(2026, 12, 1))])
    people = (
        (garden.mentee, Role.MENTEE),
        (garden.mentor, Role.MENTOR),
        (garden.curator, Role.CURATOR),
    )
    walked = {"cancel", "language"}
    for person, role in people:
        await open_every_screen(person, role, walked)
    english = {
        person.telegram_id: [
            text
            for text in seen_since(app, person, 0)
            if LATIN_WORD.search(NOT_WORDS.sub("", text))
        ]
        for person, _ in people
    }
    assert english == {person.telegram_id: [] for person, _ in people}


async def test_dates_are_the_kindergartens_own_day_after_midnight_there(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession], clock: FrozenClock
) -> None:
    garden = await kindergarten_with_pair(app, sessionmaker, clock)
    # 22:30 in UTC is already 01:30 on the 1st of December in Moscow.
    clock.moment = datetime(2026, 11, 30, 22, 30, tzinfo=UTC)
    await with_plan(sessionmaker, garden, clock.now(), [("Прочитать", date(2026, 12, 10))])
    plan = await garden.mentee.sends("/plan")
    assert plan is not None and "отправлена наставляемому 01.12.2026" in plan.text
    await garden.mentee.sends("/meeting")
    calendar = await garden.mentee.taps("Другая дата")
    assert calendar is not None and "🗓 Декабрь 2026" in calendar.buttons  # today's month there


COUNTS = (1, 2, 5, 11, 21, 22, 25)
RUSSIAN_FORMS = {  # message and its count: the word after each of COUNTS
    ("deadline-activity-before", "days"): "день дня дней дней день дня дней",
    ("programme-plan-title", "count"): "пункт пункта пунктов пунктов пункт пункта пунктов",
    ("stats-waiting-line", "days"): "день дня дней дней день дня дней",
    ("invite-uses", "count"): "человек человека человек человек человек человека человек",
    # after «из» the genitive: «из 1 мероприятия», «из 21 мероприятия», «из 22 мероприятий»
    ("export-plan-done", "total"): "мероприятия мероприятий мероприятий мероприятий"
    " мероприятия мероприятий мероприятий",
    ("help-history-more", "total"): "сообщения сообщений сообщений сообщений"
    " сообщения сообщений сообщений",
}
ENGLISH_FORMS = {
    ("stats-waiting-line", "days"): "day",
    ("deadline-activity-before", "days"): "day",
    ("programme-plan-title", "count"): "item",
    ("survey-swot-hidden", "count"): "person",
}


def render(app: Harness, locale: str, key: str, count_name: str, count: int) -> str:
    args: dict[str, object] = {name: "X" for name in variables(locale, key)}
    args.update({name: 1 for name in ("done", "shown", "minimum") if name in args})
    args[count_name] = count
    return str(app.i18n_core().get(key, locale, **args))


@pytest.mark.parametrize(("key", "count_name"), list(RUSSIAN_FORMS))
def test_russian_counts_take_the_right_form(app: Harness, key: str, count_name: str) -> None:
    said = [render(app, "ru", key, count_name, count) for count in COUNTS]
    wanted = RUSSIAN_FORMS[(key, count_name)].split()
    assert [
        f"{count} {word}" in text for count, word, text in zip(COUNTS, wanted, said, strict=True)
    ] == [True] * len(COUNTS), said


@pytest.mark.parametrize(("key", "count_name"), list(ENGLISH_FORMS))
def test_english_counts_of_one_are_singular(app: Harness, key: str, count_name: str) -> None:
    one = render(app, "en", key, count_name, 1)
    assert re.search(rf"\b(1|One|one) {ENGLISH_FORMS[(key, count_name)]}\b", one), one


async def test_the_copy_of_ones_data_to_read_is_in_ones_language(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession], clock: FrozenClock
) -> None:
    garden = await kindergarten_with_pair(app, sessionmaker, clock)
    mentor = garden.mentor
    await mentor.sends("/privacy")
    await mentor.taps("Выгрузить")
    files = {m.document_name: m.document or b"" for m in mentor.transcript if m.document}
    readable = files["nastavnik-my-data.txt"].decode()
    assert "МБДОУ «Детский сад № 5» — наставник" in readable
    assert "Должность: Старший воспитатель" in readable
    assert "Компетенции: Работа с родителями, Подготовка к конкурсам" in readable
    assert "senior_educator" not in readable and "full_name" not in readable
    assert '"position": "senior_educator"' in files["nastavnik-my-data.json"].decode()  # codes


async def test_a_pairs_number_is_never_grouped_like_a_quantity(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession], clock: FrozenClock
) -> None:
    """«Пара № 1234», not «Пара № 1 234»: a number that names something is not a quantity."""
    garden = await kindergarten_with_pair(app, sessionmaker, clock)
    async with sessionmaker() as session, session.begin():  # the same pair, numbered 1234
        pair = await session.get(Pair, garden.pair_id)
        assert pair is not None
        columns = {c.key: getattr(pair, c.key) for c in Pair.__mapper__.column_attrs}
        session.add(Pair(**{**columns, "id": 1234}))
        await session.flush()
        await session.execute(
            update(PairMentee).where(PairMentee.pair_id == pair.id).values(pair_id=1234)
        )
        await session.delete(pair)
    garden.pair_id = 1234
    await with_plan(sessionmaker, garden, clock.now(), [("Прочитать", date(2026, 11, 20))])
    overdue = await garden.curator.sends("/overdue")
    assert overdue is not None and "Пара № 1234:" in overdue.text


async def test_a_file_is_stamped_with_the_kindergartens_own_time(
    app: Harness, sessionmaker: async_sessionmaker[AsyncSession], clock: FrozenClock
) -> None:
    garden = await kindergarten_with_pair(app, sessionmaker, clock)
    await launch(garden.curator, "Входная диагностика", "Наставляемые (1)")
    await garden.mentee.taps("Начать")
    await answer_survey(garden.mentee, ENTRY_ANSWERS)
    clock.moment = datetime(2026, 11, 30, 22, 30, tzinfo=UTC)  # 01:30 on 1 December in Moscow
    await garden.curator.taps("Выгрузка XLSX")
    names = [sent.document_name or "" for sent in garden.curator.transcript if sent.document]
    assert len(names) == 1 and names[0].endswith("_2026-12-01_01-30.xlsx"), names
