"""A person's own data: export it, or withdraw consent and erase it."""

from __future__ import annotations

import html
import json
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Text, and_, cast, delete, false, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services import final_reports, pairing, profile_form, programmes
from bot.services.name_forms import name_forms
from bot.services.people import Recipient
from bot.services.personal_data import MARKER, typed_columns
from bot.services.questionnaires import campaigns
from models import (
    Activity,
    AppState,
    Broadcast,
    Consent,
    ConsentKind,
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
    Pair,
    PairConfirmation,
    PairEvent,
    PairMentee,
    PairStatus,
    Profile,
    Programme,
    ReminderMute,
    RoadmapStage,
    Role,
    SupportReferral,
    User,
)
from models.enums import LIVE_PAIR_STATUSES
from models.outbox import DeliveryState, OutboxMessage
from models.questionnaires import (
    QuestionnaireVersion,
    SurveyAnswer,
    SurveyCampaign,
    SurveyResponse,
)

# Profile fields that identify a person; all are cleared on withdrawal. What stays (role,
# category, dates of joining) lets the organisation's yearly statistics still count the row.
PERSONAL_FIELDS = (
    "full_name",
    "position",
    "phone",
    "birth_year",
    "education",
    "experience_years",
    "main_request",
    "difficulties",
    "difficulties_other",
    "competencies",
    "competencies_other",
    "achievements",
    "interests",
    "preferred_mentee",
    "hours_per_month",
)
# What the profile form stores as a code of one of its choices: no quote of anybody.
CHOICE_CODES = frozenset((*profile_form.POSITIONS, *profile_form.EDUCATION))
EXPORTED_FIELDS = (
    *PERSONAL_FIELDS,
    "started_on",
    "mentee_category",
    "mentor_consent_at",
)


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


async def export(session: AsyncSession, user: User) -> bytes:
    """Everything stored about this user, as JSON."""
    rows = (
        await session.execute(
            select(Membership, Organisation, Profile)
            .join(Organisation, Organisation.id == Membership.organisation_id)
            .outerjoin(Profile, Profile.membership_id == Membership.id)
            .where(Membership.user_id == user.id)
            .order_by(Membership.id)
        )
    ).all()
    memberships = []
    for membership, organisation, profile in rows:
        consents = await session.scalars(
            select(Consent).where(Consent.membership_id == membership.id).order_by(Consent.id)
        )
        memberships.append(
            {
                "organisation": organisation.name,
                "role": membership.role,
                "status": membership.status,
                "joined_at": _plain(membership.joined_at),
                "withdrawn_at": _plain(membership.withdrawn_at),
                "profile": (
                    {name: _plain(getattr(profile, name)) for name in EXPORTED_FIELDS}
                    if profile is not None
                    else None
                ),
                "consents": [
                    {
                        "kind": consent.kind,
                        "text_version": consent.text_version,
                        "given_at": _plain(consent.given_at),
                        "withdrawn_at": _plain(consent.withdrawn_at),
                    }
                    for consent in consents
                ],
                "questionnaires": await _questionnaire_answers(session, membership.id),
            }
            | await _records(session, membership.id)
        )
    document = {
        "telegram_id": user.telegram_id,
        "language": user.language,
        "memberships": memberships,
        "messages": await _messages_to(session, user.telegram_id),
    }
    return json.dumps(document, ensure_ascii=False, indent=2).encode()


# The kinds of record in the copy of one's data, each a section (Fluent: export-section-<kind>).
EXPORT_SECTIONS = (
    "pair_confirmations",
    "pair_events",
    "programmes",
    "activities",
    "meetings",
    "help_messages",
    "referrals",
    "final_reports",
)


def _row(obj: Any, *names: str) -> dict[str, Any]:
    return {name: _plain(getattr(obj, name)) for name in names if getattr(obj, name) is not None}


async def _records(session: AsyncSession, membership_id: int) -> dict[str, list[dict[str, Any]]]:
    """What the map lists for this membership, beyond the profile and the questionnaires."""
    ids = [membership_id]
    pair_ids = await _pairs_of(session, ids)
    attended = select(MeetingAttendee.meeting_id).where(
        MeetingAttendee.membership_id == membership_id
    )
    threads = select(HelpRequest.id).where(HelpRequest.mentee_membership_id == membership_id)
    return {
        "pair_confirmations": [
            _row(c, "pair_id", "accepted", "reason", "decided_at")
            for c in await session.scalars(
                select(PairConfirmation)
                .where(PairConfirmation.membership_id == membership_id)
                .order_by(PairConfirmation.id)
            )
        ],
        "pair_events": [
            _row(e, "pair_id", "kind", "reason", "note", "created_at")
            for e in await session.scalars(
                select(PairEvent)
                .where(
                    or_(
                        PairEvent.pair_id.in_(pair_ids),
                        PairEvent.actor_membership_id == membership_id,
                    )
                )
                .order_by(PairEvent.id)
            )
        ],
        "programmes": [
            _row(
                p,
                "pair_id",
                "status",
                "goal",
                "tasks",
                "planned_results",
                "form",
                "change_request",
            )
            for p in await session.scalars(
                select(Programme).where(Programme.pair_id.in_(pair_ids)).order_by(Programme.id)
            )
        ],
        "activities": [
            _row(
                a,
                "position",
                "content",
                "due_on",
                "expected_result",
                "status",
                "result",
                "evidence_file_id",
                "reopen_reason",
            )
            for a in await session.scalars(
                select(Activity)
                .join(Programme, Programme.id == Activity.programme_id)
                .where(Programme.pair_id.in_(pair_ids))
                .order_by(Activity.id)
            )
        ],
        "meetings": [
            _row(m, "pair_id", "held_on", "format", "duration_minutes", "notes", "next_steps")
            for m in await session.scalars(
                select(Meeting)
                .where(
                    or_(
                        Meeting.pair_id.in_(pair_ids),
                        Meeting.logged_by_membership_id == membership_id,
                        Meeting.id.in_(attended),
                    )
                )
                .order_by(Meeting.id)
            )
        ],
        "help_messages": [
            _row(h, "request_id", "content_type", "text", "file_id", "created_at")
            | {"mine": h.author_membership_id == membership_id}
            for h in await session.scalars(
                select(HelpMessage)
                .where(
                    or_(
                        HelpMessage.request_id.in_(threads),
                        HelpMessage.author_membership_id == membership_id,
                    )
                )
                .order_by(HelpMessage.id)
            )
        ],
        "referrals": [
            _row(r, "note", "created_at", "closed_at")
            for r in await session.scalars(
                select(SupportReferral)
                .where(SupportReferral.mentee_membership_id == membership_id)
                .order_by(SupportReferral.id)
            )
        ],
        "final_reports": [  # the reports they wrote (and, in them, what they said of others)
            _row(r, *FINAL_REPORT_FIELDS)
            for r in await session.scalars(
                select(FinalReport)
                .where(FinalReport.author_membership_id == membership_id)
                .order_by(FinalReport.id)
            )
        ],
    }


FINAL_REPORT_FIELDS = (
    "pair_id",
    "role",
    "due_on",
    "fulfilment",
    "results",
    "recommendations",
    "how_it_went",
    "helped",
    "missing",
    "evaluation",
    "comment",
    "submitted_at",
)


async def _messages_to(session: AsyncSession, telegram_id: int) -> list[dict[str, Any]]:
    return [
        _row(o, "purpose", "kind", "text", "file_id", "state", "created_at", "sent_at")
        for o in await session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.chat_id == telegram_id)
            .order_by(OutboxMessage.id)
        )
    ]


def readable(document: dict[str, Any], translate: Callable[[str], str]) -> bytes:
    """The copy as a text document in the person's words (`translate(key)`, their language):
    roles, the profile's questions and the choices from their lists named (the JSON copy keeps
    the codes, for a machine); each kind of record its own section."""
    lines: list[str] = []

    def answer(field: str, value: Any) -> Any:
        question = profile_form.BY_FIELD.get(field)
        if question is None or not question.options:
            return value
        if isinstance(value, list):
            return ", ".join(str(answer(field, one)) for one in value)
        known = value in question.options and value != profile_form.OTHER
        return translate(f"opt-{field}-{value}") if known else value

    def label(field: str) -> str:
        return translate(f"field-{field}") if field in profile_form.BY_FIELD else field

    def section(kind: str, records: list[dict[str, Any]]) -> None:
        if not records:
            return
        lines.extend(["", f"== {translate(f'export-section-{kind}')} ==", ""])
        for record in records:
            lines.extend(f"{name}: {value}" for name, value in record.items())
            lines.append("")

    lines.append(f"Telegram: {document['telegram_id']}")
    for membership in document["memberships"]:
        role = translate(f"role-{membership['role']}")
        lines.extend(["", f"### {membership['organisation']} — {role}"])
        if membership["profile"]:
            answers = membership["profile"].items()
            section("profile", [{label(k): answer(k, v) for k, v in answers if v is not None}])
        section("consents", membership["consents"])
        section("questionnaires", membership["questionnaires"])
        for kind in EXPORT_SECTIONS:
            section(kind, membership[kind])
    section("messages", document["messages"])
    return "\n".join(lines).encode()


async def _questionnaire_answers(
    session: AsyncSession, membership_id: int
) -> list[dict[str, Any]]:
    """The person's own questionnaire responses with every value they gave."""
    rows = (
        await session.execute(
            select(SurveyResponse, QuestionnaireVersion.code, SurveyAnswer)
            .join(
                QuestionnaireVersion,
                QuestionnaireVersion.id == SurveyResponse.questionnaire_version_id,
            )
            .outerjoin(SurveyAnswer, SurveyAnswer.response_id == SurveyResponse.id)
            .where(SurveyResponse.membership_id == membership_id)
            .order_by(SurveyResponse.id, SurveyAnswer.id)
        )
    ).all()
    responses: dict[int, dict[str, Any]] = {}
    for response, code, answer in rows:
        entry = responses.setdefault(
            response.id,
            {
                "questionnaire": code,
                "version": response.version,
                "phase": response.phase,
                "status": response.status,
                "submitted_at": _plain(response.submitted_at),
                "answers": [],
            },
        )
        if answer is not None:
            given = {
                "option": answer.option,
                "number": answer.number,
                "text": answer.text,
                "date": _plain(answer.day),
            }
            entry["answers"].append(
                {"question": answer.question_id}
                | {name: value for name, value in given.items() if value is not None}
            )
    return list(responses.values())


# The pair's end when a participant withdraws consent (see bot.services.lifecycle).
CONSENT_WITHDRAWN = "consent_withdrawn"
# bot.commands keeps the menu of a chat with no account under this prefix (services do not
# import the bot's layer).
CHAT_MENU_KEY = "menus.chat."


@dataclass(frozen=True)
class Withdrawal:
    organisation_id: int
    roles: list[str]
    ended_pairs: list[int] = field(default_factory=list)
    # Who is told that the pairs ended (the other participants, the curators and the heads).
    told: list[Recipient] = field(default_factory=list)
    left_groups: list[int] = field(default_factory=list)  # groups that go on without them
    told_left: list[Recipient] = field(default_factory=list)
    # Others' open dialogs that name them are closed (bot.fsm_storage.close_dialogs_naming):
    # those of the organisation's people (`chats`) holding their name or phone (`needles`), and
    # those of the people who pick them by id (`near`: the desk and their pairs) holding one of
    # their memberships (`ids`).
    needles: frozenset[str] = frozenset()
    chats: list[int] = field(default_factory=list)
    ids: list[int] = field(default_factory=list)
    near: list[int] = field(default_factory=list)
    # Of the groups left: proposed ones that everyone left has consented to, now gone on
    # (to the head or active), and active ones whose programme every mentee left has now read.
    consented: list[int] = field(default_factory=list)
    agreed: list[int] = field(default_factory=list)
    # Mentees a psychologist who withdrew was supporting: their referrals closed, so the curator
    # may hand them to another psychologist (who would otherwise never see them).
    unsupported: list[int] = field(default_factory=list)
    # Ended pairs whose final reports are all in now that theirs, never sent, is no longer due.
    reports_in: list[int] = field(default_factory=list)


def placeholder_id() -> int:
    """A Telegram id that is nobody's: negative (people's ids are positive) and random."""
    return -(secrets.randbelow(2**62) + 1)


async def withdraw(
    session: AsyncSession, user: User, organisation_id: int, now: datetime
) -> Withdrawal:
    """Withdraw consent in one organisation, in the caller's transaction, as
    bot.services.personal_data maps it: free texts by and about the person erased (both sides
    of their help threads), files dropped, messages to them deleted or emptied, their pairs
    ended, threads and referrals closed, and the memberships moved to an anonymous account
    (role and dates stay for the statistics). The caller then calls `forget_account`."""
    memberships = list(
        await session.scalars(
            select(Membership).where(
                Membership.user_id == user.id,
                Membership.organisation_id == organisation_id,
                Membership.status == MembershipStatus.ACTIVE,
            )
        )
    )
    ids = [membership.id for membership in memberships]
    if not ids:
        return Withdrawal(organisation_id, [])
    texts: set[str] = set()  # what others' messages may quote: erased from the outbox too
    files: set[str] = set()
    names: set[str] = set()  # how others' texts name them: replaced by the marker there
    for membership in memberships:
        membership.status = MembershipStatus.WITHDRAWN
        membership.withdrawn_at = now
        profile = await session.scalar(
            select(Profile).where(Profile.membership_id == membership.id)
        )
        if profile is not None:
            texts.update(
                str(getattr(profile, name))
                for name in PERSONAL_FIELDS
                if isinstance(getattr(profile, name), str)
            )
            names.update(await _names_of(session, organisation_id, ids, profile.full_name))
            _collect(names, profile.phone)
            for name in PERSONAL_FIELDS:
                setattr(profile, name, None)
            profile.skipped = []
            profile.anonymised_at = now
            profile.updated_at = now
    await campaigns.forget_member(session, ids)  # open questionnaires closed, typed answers erased
    await session.execute(
        update(Consent)
        .where(Consent.membership_id.in_(ids), Consent.withdrawn_at.is_(None))
        .values(withdrawn_at=now)
        .execution_options(synchronize_session=False)
    )
    pair_ids = await _pairs_of(session, ids)
    # A group goes on for its other mentees: the person leaves it. Their own words in it
    # (confirmation, history notes, meetings they attended) are erased all the same.
    left = await _leave_groups(session, pair_ids, ids, now)
    consented, agreed = await _go_on_without(session, left, ids, now)
    ending = [pair_id for pair_id in pair_ids if pair_id not in left]
    ended, told = await _end_pairs(session, ending, ids, organisation_id, now)
    told_left = await _participants_and_desk(session, sorted(left), ids, organisation_id)
    await _erase_pair_texts(session, ending, ids, texts, files)
    await _erase_reports(session, pair_ids, ids)
    reports_in = await _drop_unsent_reports(session, ids)
    await _erase_help(session, ids, now, texts, files)
    for referral in await session.scalars(
        select(SupportReferral).where(SupportReferral.mentee_membership_id.in_(ids))
    ):
        _collect(texts, referral.note)
        referral.note = None
        referral.closed_at = referral.closed_at or now
    unsupported = await _drop_support(session, ids, now)
    await _erase_desk(session, ids)
    await session.execute(  # the curator names someone else for the stage
        update(RoadmapStage)
        .where(RoadmapStage.responsible_membership_id.in_(ids))
        .values(responsible_membership_id=None)
        .execution_options(synchronize_session=False)
    )
    await _redact_names(session, organisation_id, names)
    elsewhere = await session.scalar(
        select(Membership.id).where(
            Membership.user_id == user.id, Membership.organisation_id != organisation_id
        )
    )
    await _erase_outbox(
        session, user.telegram_id, organisation_id, elsewhere is None, texts, names, files
    )
    # Their dialog state (fsm_records) is cleared by the caller's FSM context.
    await session.execute(
        delete(AppState).where(AppState.key == f"{CHAT_MENU_KEY}{user.telegram_id}")
    )
    anonymous = User(telegram_id=placeholder_id(), language=None, created_at=now)
    session.add(anonymous)
    await session.flush()
    await session.execute(
        update(Membership)
        .where(Membership.id.in_(ids))
        .values(user_id=anonymous.id)
        .execution_options(synchronize_session=False)
    )
    for membership in memberships:
        membership.user_id = anonymous.id
    await session.execute(  # the links they made here are the anonymous account's too
        update(Invitation)
        .where(
            Invitation.organisation_id == organisation_id, Invitation.created_by_user_id == user.id
        )
        .values(created_by_user_id=anonymous.id)
        .execution_options(synchronize_session=False)
    )
    session.info[CHECKPOINT] = True
    chats = await _people_chats(session, organisation_id)
    pairs_told = {person.telegram_id for person in [*told, *told_left]}
    return Withdrawal(
        organisation_id,
        [m.role for m in memberships],
        ended,
        told,
        sorted(left),
        told_left,
        frozenset(_needles(names, shortest=5)),
        sorted({chat for chat, _ in chats}),
        ids,
        sorted({chat for chat, role in chats if role in DESK_ROLES} | pairs_told),
        consented=consented,
        agreed=agreed,
        reports_in=reports_in,
        unsupported=unsupported,
    )


# Who picks people by id in a dialog (pairs, announcements, referrals, questionnaires).
DESK_ROLES = (Role.CURATOR, Role.HEAD, Role.PSYCHOLOGIST)


async def _people_chats(session: AsyncSession, organisation_id: int) -> list[tuple[int, str]]:
    """The chats of the organisation's people, each with a role (the anonymous accounts have
    none)."""
    rows = await session.execute(
        select(User.telegram_id, Membership.role)
        .join(Membership, Membership.user_id == User.id)
        .where(
            Membership.organisation_id == organisation_id,
            Membership.status == MembershipStatus.ACTIVE,
            User.telegram_id > 0,
        )
    )
    return [(chat, role) for chat, role in rows]


# The free texts of a programme, of a plan item (beside its content, which is kept marked) and
# of a final report.
PROGRAMME_TEXTS = ("goal", "tasks", "planned_results", "form", "change_request")
ACTIVITY_TEXTS = ("expected_result", "result", "reopen_reason")
REPORT_TEXTS = ("results", "recommendations", "how_it_went", "helped", "missing", "comment")

# session.info: an erasure was made; bot.db.wal_checkpoint runs after the commit (SQLite).
CHECKPOINT = "personal_data_erased"


async def forget_account(session: AsyncSession, user: User) -> bool:
    """After `withdraw`: the account (and its Telegram id) goes when no membership needs it."""
    remaining = await session.scalar(select(Membership.id).where(Membership.user_id == user.id))
    if remaining is not None:
        return False
    await session.flush()
    await session.execute(
        delete(User).where(User.id == user.id).execution_options(synchronize_session=False)
    )
    session.expunge(user)
    return True


async def _erase_desk(session: AsyncSession, ids: list[int]) -> None:
    """Their answers to events go; the announcements they wrote stay the organisation's, tied
    to nobody (no author, no chat of theirs for the live report)."""
    await session.execute(delete(EventAnswer).where(EventAnswer.membership_id.in_(ids)))
    await session.execute(
        update(Broadcast)
        .where(Broadcast.author_membership_id.in_(ids))
        .values(author_membership_id=None, report_chat_id=None, report_message_id=None)
        .execution_options(synchronize_session=False)
    )


def _collect(texts: set[str], value: str | None) -> None:
    if value:
        texts.add(value)


async def _pairs_of(session: AsyncSession, ids: list[int]) -> list[int]:
    mentored = select(Pair.id).where(Pair.mentor_membership_id.in_(ids))
    mentee_of = select(PairMentee.pair_id).where(PairMentee.mentee_membership_id.in_(ids))
    return sorted(set(await session.scalars(mentored)) | set(await session.scalars(mentee_of)))


async def _leave_groups(
    session: AsyncSession, pair_ids: list[int], ids: list[int], now: datetime
) -> set[int]:
    """Live groups in which the person is one mentee of several: they leave, the group goes on."""
    left: set[int] = set()
    for pair in await session.scalars(
        select(Pair).where(
            Pair.id.in_(pair_ids),
            Pair.status.in_(LIVE_PAIR_STATUSES),
            Pair.mentor_membership_id.not_in(ids),
        )
    ):
        mentees = list(
            await session.scalars(
                select(PairMentee.mentee_membership_id).where(PairMentee.pair_id == pair.id)
            )
        )
        if not set(mentees) - set(ids):
            continue  # nobody stays: the pair ends
        await session.execute(
            delete(PairMentee).where(
                PairMentee.pair_id == pair.id, PairMentee.mentee_membership_id.in_(ids)
            )
        )
        session.add(
            PairEvent(
                pair_id=pair.id,
                kind="mentee_left",
                actor_membership_id=None,
                reason=CONSENT_WITHDRAWN,
                details={},
                created_at=now,
            )
        )
        left.add(pair.id)
    return left


async def _go_on_without(
    session: AsyncSession, left: set[int], ids: list[int], now: datetime
) -> tuple[list[int], list[int]]:
    """The groups a mentee left wait no longer for that mentee: a proposed one goes on once the
    others have all consented; an active one's programme drops the change the mentee asked for
    and is agreed once the others have read it."""
    consented: list[int] = []
    agreed: list[int] = []
    for pair in await session.scalars(select(Pair).where(Pair.id.in_(left)).order_by(Pair.id)):
        if await pairing.move_on_when_all_consented(session, pair, now):
            consented.append(pair.id)
        elif pair.status == PairStatus.ACTIVE and await programmes.agree_if_all_read(
            session, pair.id, ids, now
        ):
            agreed.append(pair.id)
    return consented, agreed


async def _end_pairs(
    session: AsyncSession, pair_ids: list[int], ids: list[int], organisation_id: int, now: datetime
) -> tuple[list[int], list[Recipient]]:
    """Live pairs end: an active one ended early, a proposed one refused; people are told."""
    pairs = list(
        await session.scalars(
            select(Pair)
            .where(Pair.id.in_(pair_ids), Pair.status.in_(LIVE_PAIR_STATUSES))
            .with_for_update()
        )
    )
    for pair in pairs:
        ended_early = pair.status == PairStatus.ACTIVE
        pair.status = PairStatus.ENDED_EARLY if ended_early else PairStatus.REFUSED
        pair.ended_at = now
        pair.end_reason = CONSENT_WITHDRAWN
        session.add(
            PairEvent(
                pair_id=pair.id,
                kind="ended_early" if ended_early else "declined",
                actor_membership_id=None,
                reason=CONSENT_WITHDRAWN,
                details={},
                created_at=now,
            )
        )
    recipients = await _participants_and_desk(
        session, [pair.id for pair in pairs], ids, organisation_id
    )
    return [pair.id for pair in pairs], recipients


async def _participants_and_desk(
    session: AsyncSession, pair_ids: list[int], ids: list[int], organisation_id: int
) -> list[Recipient]:
    """Who is told of a change to these pairs: their participants and the organisation's
    curators and heads, but not the person withdrawing."""
    if not pair_ids:
        return []
    told = list(
        await session.scalars(select(Pair.mentor_membership_id).where(Pair.id.in_(pair_ids)))
    )
    told.extend(
        await session.scalars(
            select(PairMentee.mentee_membership_id).where(PairMentee.pair_id.in_(pair_ids))
        )
    )
    told.extend(
        await session.scalars(
            select(Membership.id).where(
                Membership.organisation_id == organisation_id,
                Membership.role.in_([Role.CURATOR, Role.HEAD]),
            )
        )
    )
    rows = await session.execute(
        select(User.telegram_id, User.language)
        .join(Membership, Membership.user_id == User.id)
        .where(
            Membership.id.in_([i for i in told if i not in ids]),
            Membership.status == MembershipStatus.ACTIVE,
        )
        .order_by(Membership.id)
    )
    return list(dict.fromkeys(Recipient(tid, lang) for tid, lang in rows))


async def _erase_pair_texts(
    session: AsyncSession, pair_ids: list[int], ids: list[int], texts: set[str], files: set[str]
) -> None:
    """What was written in or about the person's pairs, by anyone, and their notes elsewhere."""
    for confirmation in await session.scalars(
        select(PairConfirmation).where(
            or_(PairConfirmation.pair_id.in_(pair_ids), PairConfirmation.membership_id.in_(ids))
        )
    ):
        _collect(texts, confirmation.reason)
        confirmation.reason = None
    for event in await session.scalars(
        select(PairEvent).where(
            or_(PairEvent.pair_id.in_(pair_ids), PairEvent.actor_membership_id.in_(ids)),
            PairEvent.note.is_not(None),
        )
    ):
        _collect(texts, event.note)
        event.note = None
    for programme in await session.scalars(
        select(Programme).where(Programme.pair_id.in_(pair_ids))
    ):
        for name in PROGRAMME_TEXTS:
            _collect(texts, getattr(programme, name))
            setattr(programme, name, None)
        for activity in await session.scalars(
            select(Activity).where(Activity.programme_id == programme.id)
        ):
            for name in ACTIVITY_TEXTS:
                _collect(texts, getattr(activity, name))
                setattr(activity, name, None)
            _collect(texts, activity.content)
            activity.content = MARKER
            _collect(files, activity.evidence_file_id)
            activity.evidence_file_id = None
    attended = select(MeetingAttendee.meeting_id).where(MeetingAttendee.membership_id.in_(ids))
    for meeting in await session.scalars(
        select(Meeting).where(
            or_(
                Meeting.pair_id.in_(pair_ids),
                Meeting.logged_by_membership_id.in_(ids),
                Meeting.id.in_(attended),
            )
        )
    ):
        _collect(texts, meeting.notes)
        _collect(texts, meeting.next_steps)
        meeting.notes = meeting.next_steps = None


async def erase_pair_texts(session: AsyncSession, pair_ids: list[int]) -> None:
    """Everything written in these pairs (reasons, notes, programme, plan, meetings), by
    anyone: the retention job's work once a programme has been over long enough."""
    await _erase_pair_texts(session, pair_ids, [], set(), set())


async def _erase_reports(session: AsyncSession, pair_ids: list[int], ids: list[int]) -> None:
    """Final reports by the person, and those of their pairs which speak of them, emptied: all
    of the pairs they mentored, the mentor's of those they were a mentee in (another mentee's
    report of a group speaks of the mentor and stays, their name redacted as in any text);
    the kinds of reminder they muted forgotten."""
    mentored = select(Pair.id).where(Pair.id.in_(pair_ids), Pair.mentor_membership_id.in_(ids))
    await session.execute(
        update(FinalReport)
        .where(
            or_(
                FinalReport.author_membership_id.in_(ids),
                FinalReport.pair_id.in_(mentored),
                and_(FinalReport.pair_id.in_(pair_ids), FinalReport.role == Role.MENTOR),
            )
        )
        .values(fulfilment={}, evaluation={}, **dict.fromkeys(REPORT_TEXTS))
        .execution_options(synchronize_session=False)
    )
    await session.execute(
        delete(ReminderMute)
        .where(ReminderMute.membership_id.in_(ids))
        .execution_options(synchronize_session=False)
    )


async def _drop_support(session: AsyncSession, ids: list[int], now: datetime) -> list[int]:
    """The open referrals of a psychologist who withdraws are closed; returns their mentees."""
    referrals = list(
        await session.scalars(
            select(SupportReferral)
            .where(
                SupportReferral.psychologist_membership_id.in_(ids),
                SupportReferral.closed_at.is_(None),
            )
            .order_by(SupportReferral.id)
        )
    )
    for referral in referrals:
        referral.closed_at = now
    return [referral.mentee_membership_id for referral in referrals]


async def _drop_unsent_reports(session: AsyncSession, ids: list[int]) -> list[int]:
    """The final reports they had still to write are due no more: the pair waits only for the
    others. Returns the pairs whose reports are thereby all in."""
    pair_ids = set(
        await session.scalars(
            select(FinalReport.pair_id).where(
                FinalReport.author_membership_id.in_(ids), FinalReport.submitted_at.is_(None)
            )
        )
    )
    if not pair_ids:
        return []
    await session.execute(
        delete(FinalReport)
        .where(FinalReport.author_membership_id.in_(ids), FinalReport.submitted_at.is_(None))
        .execution_options(synchronize_session=False)
    )
    return [
        pair_id
        for pair_id in sorted(pair_ids)
        if await final_reports.completed_pair(session, pair_id) is not None
    ]


async def _erase_help(
    session: AsyncSession, ids: list[int], now: datetime, texts: set[str], files: set[str]
) -> None:
    """Their threads (both sides) closed and emptied; what they wrote in others' emptied."""
    threads = list(
        await session.scalars(select(HelpRequest).where(HelpRequest.mentee_membership_id.in_(ids)))
    )
    for request in threads:
        if request.status != HelpStatus.CLOSED:
            request.status = HelpStatus.CLOSED
            request.closed_at = now
    for message in await session.scalars(
        select(HelpMessage).where(
            or_(
                HelpMessage.request_id.in_([request.id for request in threads]),
                HelpMessage.author_membership_id.in_(ids),
            )
        )
    ):
        _collect(texts, message.text)
        _collect(files, message.file_id)
        message.text = message.file_id = message.delivery_error = None


async def _erase_outbox(
    session: AsyncSession,
    telegram_id: int,
    organisation_id: int,
    last: bool,
    texts: set[str],
    names: set[str],
    files: set[str],
) -> None:
    """This organisation's queued messages to them deleted, its sent ones emptied and
    unlinked (those of no organisation too when this was their `last` one: another
    organisation's stay theirs); messages to others that quote them (their name, their words
    unless others wrote the same, their files) deleted while still queued (an emptied one would
    go out as an empty message, which Telegram refuses), emptied once sent."""
    theirs = and_(
        OutboxMessage.chat_id == telegram_id,
        or_(
            OutboxMessage.organisation_id == organisation_id,
            OutboxMessage.organisation_id.is_(None) if last else false(),
        ),
    )
    await session.execute(
        delete(OutboxMessage).where(theirs, OutboxMessage.state == DeliveryState.QUEUED)
    )
    for row in await session.scalars(select(OutboxMessage).where(theirs)):
        row.chat_id = placeholder_id()
        if str(telegram_id) in row.key.split(":"):  # else the key names ids, and counts on
            row.key = f"withdrawn:{row.id}"  # (a broadcast's report: delivered to one more)
        row.user_id = None
        row.text = row.file_id = row.markup = row.last_error = None
    quoted = texts - await _shared(session, organisation_id, texts)
    needles = _needles(quoted | names, shortest=3)
    ours = or_(
        OutboxMessage.organisation_id == organisation_id,
        OutboxMessage.organisation_id.is_(None),
    )
    columns = (OutboxMessage.text, OutboxMessage.markup)  # a button's label may quote them too
    searches = _chunks([_naming(column, n) for n in needles for column in columns])
    if files:
        searches.append([OutboxMessage.file_id.in_(files)])
    found: dict[int, OutboxMessage] = {}
    for quoting in searches:
        for row in await session.scalars(select(OutboxMessage).where(ours, or_(*quoting))):
            found[row.id] = row
    for row in found.values():
        if row.state == DeliveryState.QUEUED:
            await session.delete(row)
        else:
            row.text = row.file_id = row.markup = None


def _needles(texts: set[str], shortest: int) -> set[str]:
    """The texts of at least `shortest` characters as stored and as an HTML message shows them
    (escaped, its quotes kept or not)."""
    return {
        form
        for text in texts
        if len(text) >= shortest
        for form in (text, html.escape(text, quote=False), html.escape(text))
    }


# Conditions ORed, or values listed, in one statement: SQLite refuses an expression deeper
# than 1000 terms, and both databases more than 32766 parameters.
CHUNK = 400


def _chunks(items: list[Any]) -> list[list[Any]]:
    return [items[start : start + CHUNK] for start in range(0, len(items), CHUNK)]


async def _shared(session: AsyncSession, organisation_id: int, texts: set[str]) -> set[str]:
    """Which of the person's texts are not theirs alone: others of the organisation wrote the
    same (a template's plan item, a common phrase, a choice of the profile form), so a message
    holding one does not quote the person."""
    if not texts:
        return set()
    shared = texts & CHOICE_CODES
    for model, columns, theirs in texts_naming(organisation_id):
        found = [
            getattr(model, column)
            for column in columns
            if not isinstance(getattr(model, column).type, JSON)  # a whole text, not a part
        ]
        for part in _chunks(sorted(texts)) if found else []:
            same = or_(*(column.in_(part) for column in found))
            for row in await session.execute(select(*found).where(theirs, same)):
                shared.update(texts.intersection(row))
    return shared


async def _names_of(
    session: AsyncSession, organisation_id: int, ids: list[int], full_name: str | None
) -> set[str]:
    """The person's name forms, less the short ones another member of the organisation
    shares (their «Петрова А. С.» is someone else's too)."""
    forms = name_forms(full_name)
    if not forms:
        return forms
    others = await session.scalars(
        select(Profile.full_name)
        .join(Membership, Membership.id == Profile.membership_id)
        .where(
            Membership.organisation_id == organisation_id,
            Membership.id.not_in(ids),
            Profile.full_name.is_not(None),
            Profile.full_name != full_name,
        )
    )
    return forms - {form for other in others for form in name_forms(other)}


def texts_naming(organisation_id: int) -> list[tuple[Any, tuple[str, ...], Any]]:
    """The organisation's texts that may name a person (a model, the columns people write in,
    read from the map by personal_data.typed_columns, and which of its rows are the
    organisation's): what others wrote stays, the person's name goes. The delivery queue is
    searched on its own (_erase_outbox)."""
    people = select(Membership.id).where(Membership.organisation_id == organisation_id)
    pairs = select(Pair.id).where(Pair.organisation_id == organisation_id)
    programmes = select(Programme.id).where(Programme.pair_id.in_(pairs))
    threads = select(HelpRequest.id).where(HelpRequest.organisation_id == organisation_id)
    responses = (
        select(SurveyResponse.id)
        .join(SurveyCampaign, SurveyCampaign.id == SurveyResponse.campaign_id)
        .where(SurveyCampaign.organisation_id == organisation_id)
    )
    theirs = (
        (Profile, Profile.membership_id.in_(people)),
        (Pair, Pair.organisation_id == organisation_id),
        (Broadcast, Broadcast.organisation_id == organisation_id),
        (RoadmapStage, RoadmapStage.organisation_id == organisation_id),
        (Programme, Programme.pair_id.in_(pairs)),
        (Activity, Activity.programme_id.in_(programmes)),
        (Meeting, Meeting.pair_id.in_(pairs)),
        (PairEvent, PairEvent.pair_id.in_(pairs)),
        (PairConfirmation, PairConfirmation.pair_id.in_(pairs)),
        (FinalReport, FinalReport.pair_id.in_(pairs)),
        (HelpMessage, HelpMessage.request_id.in_(threads)),
        (SupportReferral, SupportReferral.organisation_id == organisation_id),
        (SurveyAnswer, SurveyAnswer.response_id.in_(responses)),
    )
    return [(model, typed_columns(model.__tablename__), rows) for model, rows in theirs]


def _naming(column: Any, needle: str) -> Any:
    """`column` holds `needle`: a text as written, JSON as json.dumps wrote it (\\u-escaped)."""
    if isinstance(column.type, JSON):
        return cast(column, Text).contains(json.dumps(needle)[1:-1], autoescape=True)
    return column.contains(needle, autoescape=True)


async def _redact_names(session: AsyncSession, organisation_id: int, names: set[str]) -> None:
    """The person's name and phone where others' texts in the organisation name them (an
    announcement, the roadmap, another pair's plan or notes, a report's reasons, an answer to a
    questionnaire): replaced by the marker, the rest of each text kept. The rows are found by
    the database. (Dialogs that name them are closed by the caller: `Withdrawal.needles`.)"""
    needles = sorted(_needles(names, shortest=5), key=len, reverse=True)
    if not needles:
        return

    def redacted(value: Any) -> Any:
        if isinstance(value, str):
            for needle in needles:
                value = value.replace(needle, MARKER)
            return value
        if isinstance(value, list):
            return [redacted(item) for item in value]
        if isinstance(value, dict):
            return {key: redacted(item) for key, item in value.items()}
        return value

    for model, columns, theirs in texts_naming(organisation_id):
        for naming in _chunks([_naming(getattr(model, c), n) for c in columns for n in needles]):
            for row in await session.scalars(select(model).where(theirs, or_(*naming))):
                for column in columns:
                    value = getattr(row, column)
                    if value is not None and (changed := redacted(value)) != value:
                        setattr(row, column, changed)


async def active_consent(session: AsyncSession, membership_id: int) -> Consent | None:
    return await session.scalar(
        select(Consent)
        .where(
            Consent.membership_id == membership_id,
            Consent.kind == ConsentKind.PERSONAL_DATA,
            Consent.withdrawn_at.is_(None),
        )
        .order_by(Consent.given_at.desc())
        .limit(1)
    )
