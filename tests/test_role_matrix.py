"""Every command × every kind of person (domain.md, roles): what each one sees, that what a
person's /help lists never answers «not allowed», that everything else refuses politely and
stores nothing, and the desk's buttons pressed by everyone who is not at the desk.

The people: a mentee and a mentor in a pair, the curator (not an administrator), the head, the
psychologist, an administrator without a membership, a stranger, one who has not given consent
yet, one who withdrew it, a member of another kindergarten and one whose membership ended."""

from __future__ import annotations

from datetime import date

import pytest
from aiogram.methods import SetMyCommands
from aiogram.types import ReplyKeyboardMarkup, ReplyKeyboardRemove
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.commands import ADMIN, BY_ROLE, EVERYONE
from bot.config import Settings
from bot.help_relay import HelpCb
from bot.reminder_buttons import (
    ActivityDone,
    ActivityMove,
    PairComplete,
    PairEndEarly,
    PairExtend,
    PlanOpen,
    ReportOpen,
)
from bot.services.clock import FrozenClock
from handlers.help import BUTTONS
from handlers.pair_consent import PairApproveCb, PairConfirmCb, PairDeclineCb, PairRejectCb
from handlers.pair_lifecycle import LifeCb
from handlers.programme_view import ProgCb
from models import (
    HelpRequest,
    Invitation,
    Membership,
    Organisation,
    Pair,
    Role,
    SurveyCampaign,
    User,
)
from tests.conftest import ADMIN_ID, TOKEN
from tests.flows import MENTEE_ANSWERS, MENTOR_ANSWERS, invite, join
from tests.harness import Harness, Person
from tests.pairs_fixture import Kindergarten, active_pair, named, with_plan
from tests.pairs_flows import STAFF_ANSWERS, forged
from tests.test_menus import chat_calls
from tests.test_roles_and_ownership import NOT_ALLOWED, STALE, buttons, set_memberships, stored
from tests.test_survey_support import launch

# The polite refusals of a button not the presser's: stale, the role, the record, the request.
POLITE_NO = (
    STALE,
    NOT_ALLOWED,
    "Запись не найдена или вам недоступна.",
    "Этот запрос вам недоступен.",
)
OTHER_ADMIN = 101  # founds the second kindergarten
ALL_COMMANDS = sorted({*EVERYONE, *ADMIN, *(name for names in BY_ROLE.values() for name in names)})
# Answers that only say no: none of them may come from a command the person's /help lists.
REFUSALS = (
    NOT_ALLOWED,
    "Объявления отправляет куратор",
    "Рейтинг наставников видят куратор и заведующий",
    "Сначала нужна организация",
)
MEMBERS = ("mentee", "mentor", "curator", "head", "psychologist", "other_org")
NOBODY = ("admin", "stranger", "no_consent", "withdrew", "ended")
DESK_SEEN = {  # a desk command: what the curator and the head see
    "bank": "<b>Банк</b>",
    "pairs": "Пары и группы",
    "surveys": "Анкеты и мониторинг",
    "roadmap": "Дорожная карта",
    "stats": "Наставничество с 01.09.2026",
    "ratings": "Рейтинг наставников</b>",
    "export": "Выгрузка в Excel",
    "report": "Итоговый аналитический отчёт",
    "site": "Страница «Наставничество»",
    "settings": "Настройки: Сад А",
    "delivery": "Доставка сообщений",
    "overdue": "Просроченных пунктов",
}
# command: {person: what they see}; a person not named gets NOT_ALLOWED.
SEEN: dict[str, dict[str, str]] = {
    **{name: {"curator": seen, "head": seen} for name, seen in DESK_SEEN.items()},
    "pair": {"curator": "Новая пара или группа"},
    "invite": {"curator": "Кого пригласить", "head": "Кого пригласить"},
    "invites": {"curator": "Действующие приглашения", "head": "Действующие приглашения"},
    "broadcast": {"curator": "Что отправить?", "head": "Объявления отправляет куратор"},
    "sos": {"mentee": "Я сразу передам вашему наставнику", "other_org": "Наставника у вас"},
    "plan": {
        "mentee": "План наставничества",
        "mentor": "План наставничества",
        "other_org": "нет действующей пары",
    },
    "meeting": {
        "mentee": "Новая встреча",
        "mentor": "Новая встреча",
        "other_org": "нет действующей пары",
    },
    "final_report": {who: "нет итоговых отчётов" for who in ("mentee", "mentor", "other_org")},
    "programme": {"mentor": "Программа наставничества"},
    "support": {"psychologist": "никого не передали"},
    "neworg": {"admin": "Полное название организации"},
}
RATINGS_REFUSED = REFUSALS[2]  # mentors see them where the organisation allows (off here)
EVERYONE_SEES: dict[str, tuple[str, str]] = {  # command: (a member sees, nobody sees)
    "profile": ("Мой профиль", "Вы пока не участник"),
    "privacy": ("Мои данные", "О вас ничего не хранится"),
    "org": ("Выберите организацию", "Вы пока не участник"),
    "reminders": ("О чём я напоминаю", "Напоминания приходят участникам"),
    "survey": ("Сейчас анкет для вас нет", "Сейчас анкет для вас нет"),
    "events": ("Ближайших событий нет", "Ближайших событий нет"),
    "language": ("Выберите язык", "Выберите язык"),
    "requests": ("Открытых запросов о помощи нет", "Открытых запросов о помощи нет"),
    "cancel": ("Сейчас нечего отменять", "Сейчас нечего отменять"),
}


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(
        _env_file=None,
        bot_token=TOKEN,
        database_url=database_url,
        admin_ids=[ADMIN_ID, OTHER_ADMIN],
        redis_url=None,
    )


async def found_by_link(app: Harness, admin_id: int, curator_id: int, name: str) -> Person:
    """An administrator founds a kindergarten and hands its curator a link; returns the curator."""
    admin = app.person(admin_id, name="Админ")
    await admin.sends("/neworg")
    await admin.sends(f"МБДОУ «{name}»")
    await admin.sends(name)
    await admin.taps("Москва")
    reply = await admin.taps("Назначу по ссылке")
    assert reply is not None
    code = reply.text.split("?start=")[1].split()[0]
    return await join(app, code, curator_id, STAFF_ANSWERS)


async def world(
    app: Harness,
    sessionmaker: async_sessionmaker[AsyncSession],
    clock: FrozenClock,
    engine: AsyncEngine,
) -> dict[str, Person]:
    curator = await found_by_link(app, ADMIN_ID, 700, "Сад А")
    head = await join(app, await invite(curator, "заведующ"), 300, STAFF_ANSWERS)
    psychologist = await join(app, await invite(curator, "психолог"), 400, STAFF_ANSWERS)
    mentor = await join(app, await invite(curator, "наставник"), 601, MENTOR_ANSWERS)
    mentee = await join(app, await invite(curator, "наставляемый"), 501, MENTEE_ANSWERS)
    await active_pair(sessionmaker, clock, mentor, [mentee])
    no_consent = app.person(901)
    await no_consent.sends(f"/start {await invite(curator, 'наставляемый')}")
    withdrew = await join(
        app,
        await invite(curator, "наставляемый"),
        902,
        named(MENTEE_ANSWERS, "Иванова Юлия Юрьевна"),
    )
    await withdrew.sends("/privacy")
    await withdrew.taps("Отозвать согласие")
    await withdrew.taps("Да, отозвать")
    ended = await join(
        app, await invite(curator, "наставник"), 904, named(MENTOR_ANSWERS, "Павлова И. И.")
    )
    await set_memberships(engine, 904, "withdrawn")  # as a console would: they left
    curator_b = await found_by_link(app, OTHER_ADMIN, 710, "Сад Б")
    other = await join(
        app, await invite(curator_b, "наставляемый"), 903, named(MENTEE_ANSWERS, "Орлова Н. О.")
    )
    return {
        "mentee": mentee,
        "mentor": mentor,
        "curator": curator,
        "head": head,
        "psychologist": psychologist,
        "admin": app.person(ADMIN_ID, name="Админ"),
        "stranger": app.person(900),
        "no_consent": no_consent,
        "withdrew": withdrew,
        "other_org": other,
        "ended": ended,
    }


def expected(command: str, who: str) -> str:
    if command in EVERYONE_SEES:
        member, nobody = EVERYONE_SEES[command]
        return member if who in MEMBERS else nobody
    if command == "start":
        return {
            "admin": "Вы администратор бота",
            "other_org": "С возвращением! МБДОУ «Сад Б»",
        }.get(who, "С возвращением! МБДОУ «Сад А»" if who in MEMBERS else "ссылка-приглашение")
    if command == "help":
        return "/start — начать"
    if command == "ratings":
        return SEEN[command].get(who, RATINGS_REFUSED)
    return SEEN.get(command, {}).get(who, NOT_ALLOWED)


async def listed_by_help(person: Person) -> list[str]:
    reply = await person.sends("/help")
    assert reply is not None
    return [line.split(" — ")[0][1:] for line in reply.text.splitlines() if line.startswith("/")]


def menu_of(app: Harness, telegram_id: int) -> list[str]:
    """The command menu Telegram shows the person: their own, as last set, or the default."""
    calls = chat_calls(app.session, telegram_id)
    if not calls or not isinstance(calls[-1], SetMyCommands):
        return list(EVERYONE)
    return [command.command for command in calls[-1].commands]


async def test_every_command_for_every_person(
    app: Harness,
    sessionmaker: async_sessionmaker[AsyncSession],
    clock: FrozenClock,
    engine: AsyncEngine,
) -> None:
    """Each cell answers as the domain says; /help and the command menu list no command that
    refuses, and /help every one of the person's own; a refusal stores nothing."""
    people = await world(app, sessionmaker, clock, engine)
    wrong: list[tuple[object, ...]] = []
    for who, person in people.items():
        listed = await listed_by_help(person)
        if not set(menu_of(app, person.telegram_id)) <= set(listed):
            wrong.append((who, "menu", menu_of(app, person.telegram_id), listed))
        for command in ALL_COMMANDS:
            want = expected(command, who)
            refused = any(want.startswith(text) for text in REFUSALS)
            before = await stored(sessionmaker) if refused else None
            person.forget()
            await person.sends(f"/{command}")
            seen = person.texts()[0] if person.texts() else ""
            if want not in seen:
                wrong.append((who, command, want, seen[:90]))
            if refused and await stored(sessionmaker) != before:
                wrong.append((who, command, "stored something", ""))
            if refused and command in listed:
                wrong.append((who, command, "refused, yet listed by /help", ""))
            if not refused and who in SEEN.get(command, {}) and command not in listed:
                wrong.append((who, command, "theirs, yet not listed by /help", ""))
            await person.sends("/cancel")
    assert wrong == [], "\n".join(map(str, wrong))
    async with sessionmaker() as session:  # no membership came of anything tried
        active = select(User.telegram_id).join(Membership, Membership.user_id == User.id)
        joined = set(await session.scalars(active.where(Membership.status == "active")))
    assert joined.isdisjoint({ADMIN_ID, 900, 901, 902, 904})


async def invite_roles(person: Person) -> list[str]:
    screen = await person.sends("/invite")
    assert screen is not None
    labels = [label for label, _ in buttons(screen)]
    await person.sends("/cancel")
    return labels


async def test_the_head_appoints_the_curator_and_the_curator_brings_in_the_rest(
    app: Harness,
    sessionmaker: async_sessionmaker[AsyncSession],
    clock: FrozenClock,
    engine: AsyncEngine,
) -> None:
    """domain.md: the head appoints the curator; the curator keeps the bank. The head invites
    a curator or a head; the curator mentees, mentors, the psychologist, and the head only
    while the kindergarten has none. A forged role, another's live invitation: refused."""
    curator = await found_by_link(app, ADMIN_ID, 700, "Сад А")
    assert await invite_roles(curator) == [
        "наставляемый",
        "наставник",
        "педагог-психолог",
        "заведующий",
    ]
    head = await join(app, await invite(curator, "заведующ"), 300, STAFF_ANSWERS)
    assert await invite_roles(curator) == ["наставляемый", "наставник", "педагог-психолог"]
    assert await invite_roles(head) == ["куратор", "заведующий"]
    await invite(curator, "наставляемый")
    second = await join(app, await invite(head, "куратор"), 701, STAFF_ANSWERS)
    listing = await curator.sends("/invites")  # the curator sees the mentees' link, not the head's
    assert listing is not None and "наставляемый" in listing.text
    assert "куратор" not in listing.text and "заведующий" not in listing.text
    listing = await head.sends("/invites")
    assert listing is not None and "куратор" in listing.text
    assert "наставляемый" not in listing.text
    before = await stored(sessionmaker)
    await curator.sends("/invite")
    roles = [forged(curator, "наставник", "invite_role", role) for role in ("curator", "head")]
    for data in roles:  # a forged role on the curator's own screen
        curator.forget()
        await curator.presses(data)
        assert curator.alerts()[-1] == STALE and curator.texts() == []
    await curator.sends("/cancel")
    async with sessionmaker() as session:
        mentees = await session.scalar(select(Invitation).where(Invitation.role == Role.MENTEE))
        assert mentees is not None
    await head.sends("/invites")
    data = forged(head, "Отозвать № 1", "invite_revoke", mentees.id)
    head.forget()
    await head.presses(data)
    assert head.alerts()[-1] == STALE and head.texts() == []
    assert await stored(sessionmaker) == before
    assert await invite_roles(second) == ["наставляемый", "наставник", "педагог-психолог"]


async def test_the_head_sees_monitoring_and_the_curator_runs_it(
    app: Harness,
    sessionmaker: async_sessionmaker[AsyncSession],
    clock: FrozenClock,
    engine: AsyncEngine,
) -> None:
    """domain.md: the curator runs monitoring, the head sees reports. The head's /surveys has
    the campaigns and their results, no «launch» and no «remind»; forged, both refuse and
    nothing is stored (before, the head launched questionnaires and reminded people)."""
    people = await world(app, sessionmaker, clock, engine)
    curator, head = people["curator"], people["head"]
    await launch(curator, "Качество программы — наставляемый", "Наставляемые")
    card = curator.last_reply()
    assert card is not None and "Напомнить" in " ".join(card.buttons)
    screen = await head.sends("/surveys")
    assert screen is not None and not any("Запустить" in label for label in screen.buttons)
    assert "Анкеты запускает куратор" in screen.text
    card = await head.taps("Качество программы")
    assert card is not None and "Итоги" in " ".join(card.buttons)
    assert not any("Напомнить" in label for label in card.buttons)
    before = await stored(sessionmaker)
    for data in (
        forged(head, "Итоги", "campaign_remind", "").rstrip(":"),
        forged(head, "Итоги", "desk_launch", "").rstrip(":"),
    ):
        head.forget()
        await head.presses(data)
        assert head.alerts()[-1] in (STALE, NOT_ALLOWED), data
        assert head.texts() == []
    assert await stored(sessionmaker) == before
    async with sessionmaker() as session:
        assert len(list(await session.scalars(select(SurveyCampaign)))) == 1


async def test_desk_buttons_pressed_by_anyone_not_at_the_desk(
    app: Harness,
    sessionmaker: async_sessionmaker[AsyncSession],
    clock: FrozenClock,
    engine: AsyncEngine,
) -> None:
    """Every button of the curator's desk screens (/bank, /pairs, /pair, /surveys, /invite,
    /invites, /settings, /roadmap, /broadcast, /export, /report, /overdue), pressed by each
    person who is not at the desk: the polite refusal, nothing shown, nothing stored."""
    people = await world(app, sessionmaker, clock, engine)
    curator = people["curator"]
    pressed: list[tuple[str, str]] = []
    for command in ("bank", "pairs", "pair", "surveys", "invite", "invites", "settings",
                    "roadmap", "broadcast", "export", "report", "overdue"):  # fmt: skip
        screen = await curator.sends(f"/{command}")
        assert screen is not None
        pressed += [(command, data) for _, data in buttons(screen)]
    assert len(pressed) > 30
    before = await stored(sessionmaker)
    for who, person in people.items():
        if who in ("curator", "head"):
            continue
        for command, data in pressed:
            person.forget()
            await person.presses(data)
            alert = person.alerts()[-1] if person.alerts() else ""
            assert alert in (STALE, NOT_ALLOWED), (who, command, alert)
            assert person.texts() == [], (who, command)
    assert await stored(sessionmaker) == before


async def test_an_administrator_founds_and_acts_inside_by_roles_held(
    app: Harness,
    sessionmaker: async_sessionmaker[AsyncSession],
    clock: FrozenClock,
    engine: AsyncEngine,
) -> None:
    """The administrator's flag opens /neworg; inside a kindergarten they act by what they
    hold there. Before, one without a membership had every desk command in /help and /stats
    or /site failed with «something went wrong»; one who is a mentee read the bank."""
    people = await world(app, sessionmaker, clock, engine)
    admin, curator = people["admin"], people["curator"]
    listed = await listed_by_help(admin)
    assert listed == ["start", "help", "neworg", *EVERYONE[2:]]
    await join(app, await invite(curator, "наставляемый"), ADMIN_ID, MENTEE_ANSWERS)
    before = await stored(sessionmaker)
    for command in ("bank", "stats", "site", "pair", "invite", "settings"):
        admin.forget()
        await admin.sends(f"/{command}")
        assert admin.texts() == [NOT_ALLOWED], command
    assert await stored(sessionmaker) == before
    assert "sos" in await listed_by_help(admin) and "neworg" in await listed_by_help(admin)


async def test_what_a_setting_allows_is_listed_once_it_is_on(
    app: Harness,
    sessionmaker: async_sessionmaker[AsyncSession],
    clock: FrozenClock,
    engine: AsyncEngine,
) -> None:
    """/ratings for mentors and /broadcast for the head depend on the organisation's settings:
    /help lists them when the curator switched them on, and they then work."""
    people = await world(app, sessionmaker, clock, engine)
    mentor, head, curator = people["mentor"], people["head"], people["curator"]
    assert "ratings" not in await listed_by_help(mentor)
    assert "broadcast" not in await listed_by_help(head)
    await curator.sends("/settings")
    await curator.taps("Включить: рейтинг для наставников")
    await curator.taps("Включить: объявления от заведующего")
    async with sessionmaker() as session:
        organisation = await session.scalar(
            select(Organisation).where(Organisation.short_name == "Сад А")
        )
        assert organisation is not None
        assert organisation.ratings_for_mentors and organisation.head_may_broadcast
    assert "ratings" in await listed_by_help(mentor)
    assert "broadcast" in await listed_by_help(head)
    reply = await mentor.sends("/ratings")
    assert reply is not None and "Рейтинг наставников</b>" in reply.text
    reply = await head.sends("/broadcast")
    assert reply is not None and "Что отправить?" in reply.text


async def test_a_person_of_two_kindergartens_acts_in_the_one_chosen(
    app: Harness,
    sessionmaker: async_sessionmaker[AsyncSession],
    clock: FrozenClock,
    engine: AsyncEngine,
) -> None:
    """The mentor of A joins B as a mentee: in B they are a mentee without a pair (/sos, no
    /programme), switched back to A the mentor of their pair; /help follows the choice."""
    people = await world(app, sessionmaker, clock, engine)
    mentor = people["mentor"]
    code = await invite(app.person(710), "наставляемый")
    await join(app, code, 601, named(MENTEE_ANSWERS, "Смирнова Ольга Ивановна"))
    listed = await listed_by_help(mentor)
    assert "sos" in listed and "programme" not in listed
    reply = await mentor.sends("/programme")
    assert reply is not None and reply.text == NOT_ALLOWED
    screen = await mentor.sends("/org")
    assert screen is not None
    await mentor.presses(next(d for label, d in buttons(screen) if "Сад А" in label), screen)
    listed = await listed_by_help(mentor)
    assert "programme" in listed and "sos" not in listed
    reply = await mentor.sends("/programme")
    assert reply is not None and "Программа наставничества" in reply.text


async def test_a_pairs_buttons_pressed_by_everyone_outside_it(
    app: Harness,
    sessionmaker: async_sessionmaker[AsyncSession],
    clock: FrozenClock,
    engine: AsyncEngine,
) -> None:
    """A mentor reads and changes only their own pair, a mentee only their own programme: the
    pair's plan, programme, plan item, final report, lifecycle, consent and approval buttons,
    and the mentee's help request, pressed by a second mentor and a mentee without a pair of
    the same kindergarten, the psychologist and everyone without a membership here: refused,
    nothing shown, nothing stored. The pair's own mentor then opens the item."""
    people = await world(app, sessionmaker, clock, engine)
    curator, mentor, mentee = people["curator"], people["mentor"], people["mentee"]
    lone = await join(
        app, await invite(curator, "наставляемый"), 502, named(MENTEE_ANSWERS, "Кузнецова Д. О.")
    )
    second = await join(
        app, await invite(curator, "наставник"), 602, named(MENTOR_ANSWERS, "Сергеева А. А.")
    )
    async with sessionmaker() as session:
        pair = await session.scalar(select(Pair))
        assert pair is not None
    garden = Kindergarten(curator, mentor, [mentee], pair.id)
    [item] = await with_plan(sessionmaker, garden, clock.now(), [("Беседа", date(2026, 12, 6))])
    await mentee.sends("/sos")
    await mentee.sends("Как начать родительское собрание?")
    async with sessionmaker() as session:
        request = await session.scalar(select(HelpRequest))
        assert request is not None
    presses = [
        PlanOpen(pair_id=pair.id).pack(),
        ProgCb(action="open", pair_id=pair.id).pack(),
        ProgCb(action="ack", pair_id=pair.id).pack(),
        ActivityDone(activity_id=item).pack(),
        ActivityMove(activity_id=item).pack(),
        ReportOpen(pair_id=pair.id).pack(),
        PairComplete(pair_id=pair.id).pack(),
        PairExtend(pair_id=pair.id).pack(),
        PairEndEarly(pair_id=pair.id).pack(),
        LifeCb(action="early", pair_id=pair.id).pack(),
        PairConfirmCb(pair_id=pair.id).pack(),
        PairDeclineCb(pair_id=pair.id).pack(),
        PairApproveCb(pair_id=pair.id).pack(),
        PairRejectCb(pair_id=pair.id).pack(),
        *(HelpCb(action=action, request_id=request.id).pack() for action in BUTTONS),
    ]
    outsiders = {"lone_mentee": lone, "second_mentor": second}
    outsiders |= {who: people[who] for who in ("psychologist", "other_org", *NOBODY)}
    before = await stored(sessionmaker)
    for who, person in outsiders.items():
        for data in presses:
            person.forget()
            await person.presses(data)
            alert = person.alerts()[-1] if person.alerts() else ""
            assert alert in POLITE_NO, (who, data, alert)
            assert person.texts() == [], (who, data, person.texts())
    assert await stored(sessionmaker) == before
    await mentor.presses(ActivityDone(activity_id=item).pack())
    assert "Беседа" in mentor.texts()[-1]


async def test_two_roles_in_one_kindergarten_give_both_and_nothing_more(
    app: Harness,
    sessionmaker: async_sessionmaker[AsyncSession],
    clock: FrozenClock,
    engine: AsyncEngine,
) -> None:
    """A curator who also mentors (a senior teacher often does): /help lists the desk and the
    mentor's commands, the bank and /programme both open, the profile is the mentor's (the
    bank's); the head's and the mentee's commands stay refused."""
    curator = await found_by_link(app, ADMIN_ID, 700, "Сад А")
    await join(app, await invite(curator, "наставник"), 700, MENTOR_ANSWERS)
    listed = await listed_by_help(curator)
    assert {"bank", "pair", "invite", "programme", "plan", "meeting"} <= set(listed)
    assert "sos" not in listed and "support" not in listed
    reply = await curator.sends("/bank")
    assert reply is not None and "Смирнова Ольга Ивановна · наставник" in " ".join(reply.buttons)
    reply = await curator.sends("/programme")
    assert reply is not None and "нет утверждённой пары" in reply.text
    reply = await curator.sends("/profile")
    assert reply is not None and "(наставник)" in reply.text
    for command in ("sos", "support"):
        reply = await curator.sends(f"/{command}")
        assert reply is not None and reply.text == NOT_ALLOWED


async def test_the_standing_help_button_of_one_no_longer_a_mentee_is_taken_away(
    app: Harness,
    sessionmaker: async_sessionmaker[AsyncSession],
    clock: FrozenClock,
    engine: AsyncEngine,
) -> None:
    """«🆘 Нужна помощь» stays under a mentee's keyboard; once their membership ended, a press
    is told who asks for help and the keyboard is removed (before: «not understood», and the
    button stayed). No request is stored."""
    people = await world(app, sessionmaker, clock, engine)
    mentee = people["mentee"]
    reply = await mentee.sends("/help")
    assert reply is not None and isinstance(reply.markup, ReplyKeyboardMarkup)
    [label] = reply.buttons
    await set_memberships(engine, mentee.telegram_id, "withdrawn")
    before = await stored(sessionmaker)
    reply = await mentee.sends(label)
    assert reply is not None and "могут наставляемые" in reply.text
    assert isinstance(reply.markup, ReplyKeyboardRemove)
    assert await stored(sessionmaker) == before
