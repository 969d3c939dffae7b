"""A big organisation put straight into the database: hundreds of members, pairs and records.

`big_organisation` fills an organisation founded through the real onboarding (its curator is
the administrator) with `size` members of the bank and what they would have after half a year:
pairs and groups in every state, programmes with plans, meetings, help threads, questionnaire
campaigns with answers, broadcasts with their deliveries and answers, final reports, referrals
and the roadmap. Names are numbered, so the first page of a list is the same at any size.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.services.broadcasts import message_key
from bot.services.questionnaires.campaigns import impact_campaign
from bot.services.questionnaires.versions import current_row
from bot.services.roadmap import STAGES
from models import (
    Activity,
    ActivityStatus,
    Broadcast,
    BroadcastKind,
    CampaignPurpose,
    Consent,
    ConsentKind,
    DeliveryState,
    EventAnswer,
    FinalReport,
    HelpMessage,
    HelpRequest,
    HelpStatus,
    Invitation,
    Meeting,
    MeetingAttendee,
    Membership,
    MembershipStatus,
    Organisation,
    OutboxMessage,
    Pair,
    PairEvent,
    PairMentee,
    PairStatus,
    Phase,
    Profile,
    Programme,
    ProgrammeStatus,
    ResponseStatus,
    RoadmapStage,
    Role,
    SupportReferral,
    SurveyAnswer,
    SurveyCampaign,
    SurveyResponse,
    User,
)

# Telegram ids, added to the organisation's base: the desk, then the members (mentors first).
CURATOR, HEAD, PSYCHOLOGIST, FIRST_MEMBER = 1, 2, 3, 10_000
STATES = (  # a pair's status by its number (mod 10): most are active
    PairStatus.PROPOSED,
    PairStatus.AWAITING_APPROVAL,
    PairStatus.COMPLETED,
    PairStatus.ENDED_EARLY,
    PairStatus.REFUSED,
)
CATEGORIES = ("young_specialist", "new_technology", "new_to_team", "non_pedagogical")
AREAS = ("planning", "methods", "parents", "group_management", "documentation", "digital")


@dataclass(frozen=True)
class Big:
    organisation_id: int
    size: int
    base: int  # the Telegram ids of its people start here
    mentor: int  # the Telegram id of a mentor with an active pair and a programme
    mentee: int  # the Telegram id of a mentee of that pair
    pair_ids: list[int]

    @property
    def curator(self) -> int:
        return self.base + CURATOR

    @property
    def head(self) -> int:
        return self.base + HEAD

    @property
    def psychologist(self) -> int:
        return self.base + PSYCHOLOGIST


async def _ids(session: AsyncSession, model: Any, rows: list[dict[str, Any]]) -> list[int]:
    if not rows:
        return []
    result = await session.execute(
        insert(model).returning(model.id, sort_by_parameter_order=True), rows
    )
    return list(result.scalars())


async def _rows(session: AsyncSession, model: Any, rows: list[dict[str, Any]]) -> None:
    if rows:
        await session.execute(insert(model), rows)


async def _member(
    session: AsyncSession, organisation_id: int, telegram_id: int, role: Role, now: datetime
) -> int:
    [user_id] = await _ids(
        session,
        User,
        [
            {
                "telegram_id": telegram_id,
                "language": "ru",
                "active_organisation_id": organisation_id,
                "created_at": now,
            }
        ],
    )
    [membership_id] = await _ids(
        session,
        Membership,
        [
            {
                "user_id": user_id,
                "organisation_id": organisation_id,
                "role": role,
                "status": MembershipStatus.ACTIVE,
                "joined_at": now,
            }
        ],
    )
    await _rows(
        session,
        Profile,
        [
            {
                "membership_id": membership_id,
                "full_name": f"Иванова Елена ({role})",
                "skipped": [],
                "completed_at": now,
                "updated_at": now,
            }
        ],
    )
    return membership_id


async def big_organisation(
    sessionmaker: async_sessionmaker[AsyncSession], size: int, now: datetime, base: int
) -> Big:
    """A kindergarten with a curator, a head and a psychologist (Telegram ids `base` + 1, 2,
    3), `size` members of the bank (a quarter mentors), a third as many pairs, and the rest."""
    today = now.date()
    async with sessionmaker() as session, session.begin():
        [organisation_id] = await _ids(
            session,
            Organisation,
            [
                {
                    "name": f"МБДОУ «Детский сад № {base}»",
                    "short_name": f"Д/с № {base}",
                    "timezone": "Europe/Moscow",
                    "created_at": now - timedelta(days=200),
                }
            ],
        )
        curator_id = await _member(session, organisation_id, base + CURATOR, Role.CURATOR, now)
        await _member(session, organisation_id, base + HEAD, Role.HEAD, now)
        psychologist_id = await _member(
            session, organisation_id, base + PSYCHOLOGIST, Role.PSYCHOLOGIST, now
        )
        mentors = size // 4
        people = list(range(size))
        user_ids = await _ids(
            session,
            User,
            [
                {
                    "telegram_id": base + FIRST_MEMBER + i,
                    "active_organisation_id": organisation_id,
                    "language": "ru",
                    "created_at": now,
                    "blocked_bot": _blocked(i),
                }
                for i in people
            ],
        )
        withdrawn = {i for i in people if i >= mentors and i % 20 == 19}
        member_ids = await _ids(
            session,
            Membership,
            [
                {
                    "user_id": user_ids[i],
                    "organisation_id": organisation_id,
                    "role": Role.MENTOR if i < mentors else Role.MENTEE,
                    "status": MembershipStatus.WITHDRAWN if i in withdrawn else "active",
                    "joined_at": now - timedelta(days=100 - i % 90),
                    "withdrawn_at": now if i in withdrawn else None,
                }
                for i in people
            ],
        )
        await _rows(
            session,
            Profile,
            [
                {
                    "membership_id": member_ids[i],
                    "full_name": None
                    if i in withdrawn
                    else f"{'Смирнова' if i < mentors else 'Петрова'} Анна {i:05d}",
                    "position": "educator",
                    "phone": f"+7900{i:07d}",
                    "birth_year": 1970 + i % 30,
                    "education": "higher_pedagogical",
                    "experience_years": i % 30,
                    "started_on": today - timedelta(days=i % 200),
                    "mentee_category": None if i < mentors else CATEGORIES[i % 4],
                    "main_request": None if i < mentors else "Как провести родительское собрание",
                    "difficulties": None if i < mentors else [AREAS[i % 6], AREAS[(i + 1) % 6]],
                    "competencies": [AREAS[i % 6], AREAS[(i + 2) % 6]] if i < mentors else None,
                    "achievements": "Победитель конкурса" if i < mentors else None,
                    "hours_per_month": 4 + i % 10 if i < mentors else None,
                    "mentor_consent_at": now if i < mentors else None,
                    "skipped": [],
                    "completed_at": now,
                    "anonymised_at": now if i in withdrawn else None,
                    "updated_at": now,
                }
                for i in people
            ],
        )
        await _rows(
            session,
            Consent,
            [
                {
                    "membership_id": member_ids[i],
                    "kind": ConsentKind.PERSONAL_DATA,
                    "text_version": "1",
                    "locale": "ru",
                    "given_at": now,
                    "withdrawn_at": now if i in withdrawn else None,
                }
                for i in people
            ],
        )
        # Pairs: a third as many as members; every tenth is a group of two.
        mentees = [i for i in people if i >= mentors and i not in withdrawn]
        pair_specs: list[tuple[int, list[int], PairStatus]] = []
        cursor = 0
        for number in range(size // 3):
            state = STATES[number % 10] if number % 10 < len(STATES) else PairStatus.ACTIVE
            group = number % 10 == 7
            taken = mentees[cursor : cursor + (2 if group else 1)]
            if len(taken) < (2 if group else 1):
                break
            cursor += len(taken)
            pair_specs.append((number % mentors, taken, state))
        ended = (PairStatus.COMPLETED, PairStatus.ENDED_EARLY)
        pair_ids = await _ids(
            session,
            Pair,
            [
                {
                    "organisation_id": organisation_id,
                    "mentor_membership_id": member_ids[mentor],
                    "status": state,
                    "forms": ["group"] if len(taken) > 1 else ["traditional"],
                    "starts_on": today - timedelta(days=60),
                    "ends_on": today + timedelta(days=120),
                    "created_by_membership_id": curator_id,
                    "approved_at": now - timedelta(days=60),
                    "activated_at": now - timedelta(days=60)
                    if state in (PairStatus.ACTIVE, *ended)
                    else None,
                    "ended_at": now - timedelta(days=3) if state in ended else None,
                    "end_reason": "plan_fulfilled" if state in ended else None,
                    "created_at": now - timedelta(days=61),
                }
                for mentor, taken, state in pair_specs
            ],
        )
        await _rows(
            session,
            PairMentee,
            [
                {"pair_id": pair_id, "mentee_membership_id": member_ids[mentee]}
                for pair_id, (_, taken, _) in zip(pair_ids, pair_specs, strict=True)
                for mentee in taken
            ],
        )
        await _rows(
            session,
            PairEvent,
            [
                {
                    "pair_id": pair_id,
                    "kind": kind,
                    "actor_membership_id": curator_id,
                    "note": "Всё по плану",
                    "details": {},
                    "created_at": now - timedelta(days=days),
                }
                for pair_id in pair_ids
                for kind, days in (("proposed", 61), ("approved", 60))
            ],
        )
        running = [
            (pair_id, spec)
            for pair_id, spec in zip(pair_ids, pair_specs, strict=True)
            if spec[2] in (PairStatus.ACTIVE, *ended)
        ]
        programme_ids = await _ids(
            session,
            Programme,
            [
                {
                    "pair_id": pair_id,
                    "status": ProgrammeStatus.ACKNOWLEDGED,
                    "goal": "Освоить работу с родителями",
                    "tasks": "Провести собрание",
                    "due_on": today - timedelta(days=50),
                    "submitted_at": now - timedelta(days=52),
                    "acknowledged_at": now - timedelta(days=51),
                    "created_at": now - timedelta(days=55),
                    "updated_at": now - timedelta(days=51),
                }
                for pair_id, _ in running
            ],
        )
        activity_ids = await _ids(
            session,
            Activity,
            [
                {
                    "programme_id": programme_id,
                    "position": position,
                    "content": f"Пункт плана {position + 1}: консультация по собранию",
                    "due_on": today + timedelta(days=20 * position - 30),
                    "expected_result": "Конспект собрания",
                    "status": ActivityStatus.DONE if position == 0 else ActivityStatus.OPEN,
                    "result": "Сделано" if position == 0 else None,
                    "done_at": now - timedelta(days=35) if position == 0 else None,
                    "created_at": now - timedelta(days=55),
                }
                for programme_id in programme_ids
                for position in range(5)
            ],
        )
        meeting_rows = [
            {
                "pair_id": pair_id,
                "held_on": today - timedelta(days=7 * week + 1),
                "format": "in_person",
                "activity_id": activity_ids[5 * index],
                "duration_minutes": 45,
                "notes": "Обсудили план собрания",
                "next_steps": "Подготовить памятку",
                "logged_by_membership_id": member_ids[spec[0]],
                "confirmed_at": now if week else None,
                "confirmed_by_membership_id": member_ids[spec[1][0]] if week else None,
                "created_at": now - timedelta(days=7 * week + 1),
            }
            for index, (pair_id, spec) in enumerate(running)
            for week in range(2)
        ]
        meeting_ids = await _ids(session, Meeting, meeting_rows)
        await _rows(
            session,
            MeetingAttendee,
            [
                {"meeting_id": meeting_id, "membership_id": row["logged_by_membership_id"]}
                for meeting_id, row in zip(meeting_ids, meeting_rows, strict=True)
            ],
        )
        await _rows(
            session,
            FinalReport,
            [
                {
                    "pair_id": pair_id,
                    "author_membership_id": member_ids[author],
                    "role": role,
                    "due_on": today + timedelta(days=7),
                    "fulfilment": {},
                    "results": "Освоила" if role == "mentor" else None,
                    "how_it_went": "Хорошо" if role == "mentee" else None,
                    "evaluation": {"support": 5, "clarity": 4} if role == "mentee" else {},
                    "submitted_at": now - timedelta(days=1) if author % 2 else None,
                    "created_at": now - timedelta(days=3),
                }
                for pair_id, (mentor, taken, state) in running
                if state in ended
                for author, role in ((mentor, "mentor"), *((m, "mentee") for m in taken))
            ],
        )
        # Help: a thread for every third running pair, half of them open.
        helped = running[::3]
        request_ids = await _ids(
            session,
            HelpRequest,
            [
                {
                    "organisation_id": organisation_id,
                    "mentee_membership_id": member_ids[spec[1][0]],
                    "pair_id": pair_id,
                    "helper_membership_id": member_ids[spec[0]],
                    "status": HelpStatus.OPEN if index % 2 else HelpStatus.CLOSED,
                    "answer_due_at": now - timedelta(hours=2),
                    "answered_at": None if index % 2 else now - timedelta(hours=1),
                    "escalated_at": now - timedelta(hours=1) if index % 4 == 1 else None,
                    "created_at": now - timedelta(hours=6 + index),
                    "closed_at": None if index % 2 else now,
                }
                for index, (pair_id, spec) in enumerate(helped)
            ],
        )
        await _rows(
            session,
            HelpMessage,
            [
                {
                    "request_id": request_id,
                    "author_membership_id": member_ids[spec[1][0] if turn % 2 == 0 else spec[0]],
                    "content_type": "text",
                    "text": f"Сообщение {turn} о собрании",
                    "delivered": True,
                    "created_at": now - timedelta(hours=5 - turn),
                }
                for request_id, (_, spec) in zip(request_ids, helped, strict=True)
                for turn in range(3)
            ],
        )
        await _rows(
            session,
            SupportReferral,
            [
                {
                    "organisation_id": organisation_id,
                    "mentee_membership_id": member_ids[mentee],
                    "psychologist_membership_id": psychologist_id,
                    "note": "Нужна поддержка",
                    "created_at": now - timedelta(days=2),
                    "closed_at": None if index % 2 else now,
                }
                for index, mentee in enumerate(mentees[cursor : cursor + 12 + size // 20])
            ],
        )
        await _rows(
            session,
            Invitation,
            [
                {
                    "organisation_id": organisation_id,
                    "role": Role.MENTEE,
                    "code": f"scale{base}x{index}",
                    "max_uses": None,
                    "used_count": index,
                    "expires_at": now + timedelta(days=10),
                    "created_at": now - timedelta(days=4),
                }
                for index in range(3 + size // 50)
            ],
        )
        # Questionnaires: a campaign to every mentee (half answered), and stage 2.
        version = await current_row(session, "quality_mentee", now)
        [campaign_id] = await _ids(
            session,
            SurveyCampaign,
            [
                {
                    "organisation_id": organisation_id,
                    "questionnaire_version_id": version.id,
                    "purpose": CampaignPurpose.MANUAL,
                    "audience": {"kind": "role", "role": "mentee", "count": len(mentees)},
                    "deadline": now + timedelta(days=5),
                    "created_by_membership_id": curator_id,
                    "created_at": now - timedelta(days=2),
                }
            ],
        )
        response_ids = await _ids(
            session,
            SurveyResponse,
            [
                {
                    "campaign_id": campaign_id,
                    "membership_id": member_ids[mentee],
                    "questionnaire_version_id": version.id,
                    "version": version.version,
                    "phase": Phase.ONCE,
                    "status": ResponseStatus.SUBMITTED if mentee % 2 else ResponseStatus.ASSIGNED,
                    "due_at": now + timedelta(days=5),
                    "created_at": now - timedelta(days=2),
                    "invited_at": now - timedelta(days=2),
                    "submitted_at": now - timedelta(days=1) if mentee % 2 else None,
                    "reminders": 0,
                }
                for mentee in mentees
            ],
        )
        scales = [q.id for q in version_questions(version.definition, "scale")]
        await _rows(
            session,
            SurveyAnswer,
            [
                {"response_id": response_id, "question_id": question, "number": 1 + mentee % 5}
                for response_id, mentee in zip(response_ids, mentees, strict=True)
                if mentee % 2
                for question in scales
            ],
        )
        impact = await impact_campaign(session, organisation_id, now)
        impact_version = impact.questionnaire_version_id
        impact_rows = [
            {
                "campaign_id": impact.id,
                "membership_id": member_ids[person],
                "questionnaire_version_id": impact_version,
                "version": 1,
                "phase": phase,
                "pair_id": pair_id,
                "status": ResponseStatus.SUBMITTED,
                "created_at": now - timedelta(days=60),
                "submitted_at": now - timedelta(days=50),
                "reminders": 0,
            }
            for pair_id, (mentor, taken, state) in running
            for person in (mentor, *taken)
            for phase in ((Phase.BEFORE, Phase.AFTER) if state in ended else (Phase.BEFORE,))
        ]
        impact_ids = await _ids(session, SurveyResponse, impact_rows)
        await _rows(
            session,
            SurveyAnswer,
            [
                {"response_id": response_id, "question_id": question, "number": 3}
                for response_id in impact_ids
                for question in ("engagement", "satisfaction", "climate")
            ],
        )
        # Broadcasts: an announcement and two events, to every active member, delivered.
        active = [i for i in people if i not in withdrawn]
        for number, kind in enumerate(
            (BroadcastKind.ANNOUNCEMENT, BroadcastKind.EVENT, BroadcastKind.EVENT)
        ):
            members = [member_ids[i] for i in active]
            [broadcast_id] = await _ids(
                session,
                Broadcast,
                [
                    {
                        "organisation_id": organisation_id,
                        "author_membership_id": curator_id,
                        "kind": kind,
                        "text": f"Семинар наставников № {number}",
                        "audience": {
                            "kind": "everyone",
                            "count": len(members),
                            "members": members,
                        },
                        "recipients": len(members),
                        "event_at": now + timedelta(days=3 + number)
                        if kind == BroadcastKind.EVENT
                        else None,
                        "place": "Методический кабинет" if kind == BroadcastKind.EVENT else None,
                        "created_at": now - timedelta(days=1),
                    }
                ],
            )
            await _rows(
                session,
                OutboxMessage,
                [
                    {
                        "key": message_key(broadcast_id, member_ids[i]),
                        "chat_id": base + FIRST_MEMBER + i,
                        "user_id": user_ids[i],
                        "organisation_id": organisation_id,
                        "purpose": "broadcast",
                        "urgent": False,
                        "kind": "text",
                        "text": f"Семинар наставников № {number}",
                        "state": _delivery_state(i),
                        "attempts": 1,
                        "not_before": now - timedelta(days=1),
                        "created_at": now - timedelta(days=1),
                        "sent_at": None if _blocked(i) else now - timedelta(hours=20),
                        "last_error": "Forbidden" if _blocked(i) else None,
                    }
                    for i in active
                ],
            )
            if kind == BroadcastKind.EVENT:
                await _rows(
                    session,
                    EventAnswer,
                    [
                        {
                            "broadcast_id": broadcast_id,
                            "membership_id": member_ids[i],
                            "coming": i % 3 != 0,
                            "answered_at": now - timedelta(hours=10),
                        }
                        for i in active[::2]
                    ],
                )
        await _rows(
            session,
            RoadmapStage,
            [
                {
                    "organisation_id": organisation_id,
                    "year": 2026,
                    "position": position,
                    "code": code,
                    "actions": "Собрать банк наставников",
                    "due_on": date(2026, 9, 1) + timedelta(days=40 * position),
                    "responsible_membership_id": member_ids[position],
                    "updated_at": now,
                }
                for position, code in enumerate(STAGES, start=1)
            ],
        )
    mentor, taken, _state = next(spec for _, spec in running if spec[2] is PairStatus.ACTIVE)
    return Big(
        organisation_id,
        size,
        base,
        base + FIRST_MEMBER + mentor,
        base + FIRST_MEMBER + taken[0],
        pair_ids,
    )


def _blocked(i: int) -> bool:
    """Every seventh member blocked the bot: more than /delivery lists by name at 240."""
    return i % 7 == 3


def _delivery_state(i: int) -> DeliveryState:
    if _blocked(i):
        return DeliveryState.UNREACHABLE
    if i % 41 == 7:
        return DeliveryState.FAILED
    return DeliveryState.SENT


def version_questions(definition: dict[str, Any], kind: str) -> list[Any]:
    """The questions of one type in a stored questionnaire definition."""

    @dataclass(frozen=True)
    class Question:
        id: str

    return [Question(q["id"]) for q in definition.get("questions", []) if q.get("type") == kind]
