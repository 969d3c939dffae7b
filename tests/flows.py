"""Steps shared by tests: set up an organisation, invite, join, fill the profile."""

from __future__ import annotations

from aiogram.types import ReplyKeyboardMarkup

from tests.conftest import ADMIN_ID
from tests.harness import BOT_USERNAME, Harness, Person

MENTEE_ANSWERS = [
    ("text", "Петрова Анна Сергеевна"),
    ("tap", "Воспитатель"),
    ("contact", "+79123456789"),
    ("text", "1999"),
    ("tap", "Высшее педагогическое"),
    ("text", "1"),
    ("text", "01.09.2026"),
    ("tap", "Молодой специалист"),
    ("text", "Как провести родительское собрание"),
    ("tap", "Работа с родителями"),
    ("tap", "Готово"),
]

MENTOR_ANSWERS = [
    ("text", "Смирнова Ольга Ивановна"),
    ("tap", "Старший воспитатель"),
    ("tap", "Пропустить"),  # phone: the reply-keyboard skip
    ("text", "1975"),
    ("tap", "Высшее педагогическое"),
    ("text", "25"),
    ("text", "15.08.2001"),
    ("tap", "Работа с родителями"),
    ("tap", "Подготовка к конкурсам"),
    ("tap", "Готово"),
    ("text", "Победитель конкурса «Воспитатель года» 2019"),
    ("text", "Игровые технологии"),
    ("text", "Молодые воспитатели младших групп"),
    ("text", "8"),
    ("tap", "Даю согласие быть наставником"),
]


async def found_organisation(app: Harness, zone: str = "Москва", number: int = 5) -> Person:
    """The administrator creates kindergarten № `number` in `zone` (a time-zone button) and
    becomes its curator."""
    admin = app.person(ADMIN_ID, name="Админ")
    await admin.sends("/neworg")
    await admin.sends(f"МБДОУ «Детский сад № {number}»")
    await admin.sends(f"Д/с № {number}")
    await admin.taps(zone)
    await admin.taps("Я сам")
    return admin


async def send_mentee_report(mentee: Person, how_it_went: str) -> None:
    """The mentee's final report from its invitation: every score 5, the optional skipped."""
    await mentee.taps("Заполнить отчёт")
    await mentee.sends(how_it_went)
    await mentee.sends("Разговоры")
    await mentee.taps("Пропустить")
    for _ in range(5):
        await mentee.taps("5")
    await mentee.taps("Пропустить")
    await mentee.taps("Отправить отчёт")
    assert "отправлен" in mentee.texts()[-1]


async def invite(curator: Person, role_label: str, limit_label: str = "Без ограничения") -> str:
    """The curator makes an invitation; returns its code."""
    await curator.sends("/invite")
    await curator.taps(role_label)
    reply = await curator.taps(limit_label)
    assert reply is not None
    prefix = f"https://t.me/{BOT_USERNAME}?start="
    link = next(word for word in reply.text.split() if word.startswith(prefix))
    return link.removeprefix(prefix)


def reply_button(person: Person, label: str) -> str | None:
    """The full text of a reply-keyboard button under the last message (a dialog's reply
    button carries its id in invisible characters after the label), if there is one."""
    last = person.last_reply()
    if last is None or not isinstance(last.markup, ReplyKeyboardMarkup):
        return None
    return next((text for text in last.buttons if text.startswith(label)), None)


async def answer(person: Person, answers: list[tuple[str, str]]) -> None:
    for kind, value in answers:
        if kind == "text":
            await person.sends(value)
        elif kind == "contact":
            await person.shares_contact(value)
        elif (pressed := reply_button(person, value)) is not None:
            await person.sends(pressed)  # a reply-keyboard button sends its text
        else:
            await person.taps(value)


async def join(
    app: Harness, code: str, telegram_id: int, answers: list[tuple[str, str]]
) -> Person:
    person = app.person(telegram_id)
    await person.sends(f"/start {code}")
    await person.taps("Согласен")
    await answer(person, answers)
    return person


async def withdraw(person: Person) -> None:
    """The person withdraws consent through /privacy, as anyone would."""
    await person.sends("/privacy")
    await person.taps("Отозвать согласие")
    reply = await person.taps("Да, отозвать")
    assert reply is not None and "обезличенная запись" in reply.text
