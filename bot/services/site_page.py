"""The «Наставничество» page for the organisation's site, as HTML and as Markdown: news of the
desk's events, cases of ended programmes, and the list of the regulation's documents.

Only programmes completed in full become cases. A case names its people only when each of them
agreed to be named on the site (a consent of its own, given and taken back in /privacy);
otherwise it speaks of "the mentor" and "the young teacher". Nothing else personal is shown:
no contacts, no free texts of the people, only the programme's goal and the plan's figures.
"""

from __future__ import annotations

import html
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import (
    Activity,
    ActivityStatus,
    Broadcast,
    BroadcastKind,
    Consent,
    ConsentKind,
    Membership,
    MembershipStatus,
    Organisation,
    Pair,
    PairMentee,
    PairStatus,
    Profile,
    Programme,
)

Label = Callable[..., str]
NEWS_DAYS = 365
DOCUMENTS = ("regulation", "order", "roadmap", "programmes", "report")
MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|>])")


PUBLICATION_TEXT_VERSION = "1"


async def named_on_site(session: AsyncSession, membership_ids: list[int]) -> bool:
    return bool(
        await session.scalar(
            select(func.count(Consent.id)).where(
                Consent.membership_id.in_(membership_ids),
                Consent.kind == ConsentKind.PUBLICATION,
                Consent.withdrawn_at.is_(None),
            )
        )
    )


async def set_named_on_site(
    session: AsyncSession, membership_ids: list[int], named: bool, locale: str, now: datetime
) -> None:
    """The person's consent to be named on the site's page (cases), given or taken back."""
    current = list(
        await session.scalars(
            select(Consent).where(
                Consent.membership_id.in_(membership_ids),
                Consent.kind == ConsentKind.PUBLICATION,
                Consent.withdrawn_at.is_(None),
            )
        )
    )
    if not named:
        for consent in current:
            consent.withdrawn_at = now
        return
    have = {consent.membership_id for consent in current}
    for membership_id in membership_ids:
        if membership_id not in have:
            session.add(
                Consent(
                    membership_id=membership_id,
                    kind=ConsentKind.PUBLICATION,
                    text_version=PUBLICATION_TEXT_VERSION,
                    locale=locale,
                    given_at=now,
                )
            )


@dataclass(frozen=True)
class News:
    when: datetime
    text: str
    place: str | None
    cancelled: bool


def case_anchor(pair_id: int) -> str:
    """The case's place on the page (the banks' «link to a case» points there)."""
    return f"case-{pair_id}"


@dataclass(frozen=True)
class Case:
    pair_id: int
    forms: list[str]
    starts_on: date | None
    ended_on: date | None
    goal: str | None
    done: int
    total: int
    mentee_count: int
    mentor: str | None  # the name, when every participant agreed to be named
    mentees: list[str]


@dataclass(frozen=True)
class SitePage:
    html: str
    markdown: str


async def _news(session: AsyncSession, organisation: Organisation, now: datetime) -> list[News]:
    rows = await session.scalars(
        select(Broadcast)
        .where(
            Broadcast.organisation_id == organisation.id,
            Broadcast.kind == BroadcastKind.EVENT,
            Broadcast.event_at >= now - timedelta(days=NEWS_DAYS),
        )
        .order_by(Broadcast.event_at.desc())
    )
    return [
        News(event.event_at, event.text, event.place, event.cancelled_at is not None)
        for event in rows
        if event.event_at is not None
    ]


async def _named(session: AsyncSession, membership_ids: set[int]) -> dict[int, str]:
    """The names of those who agreed to be named on the site (and have not withdrawn)."""
    if not membership_ids:
        return {}
    rows = await session.execute(
        select(Membership.id, Profile.full_name)
        .join(Profile, Profile.membership_id == Membership.id)
        .join(Consent, Consent.membership_id == Membership.id)
        .where(
            Membership.id.in_(membership_ids),
            Membership.status == MembershipStatus.ACTIVE,
            Consent.kind == ConsentKind.PUBLICATION,
            Consent.withdrawn_at.is_(None),
            Profile.full_name.is_not(None),
        )
    )
    return {member: name for member, name in rows if name}


async def _cases(session: AsyncSession, organisation: Organisation) -> list[Case]:
    done = func.sum(case((Activity.status == ActivityStatus.DONE, 1), else_=0))
    rows = (
        await session.execute(
            select(Pair, Programme.goal, done, func.count(Activity.id))
            .outerjoin(Programme, Programme.pair_id == Pair.id)
            .outerjoin(Activity, Activity.programme_id == Programme.id)
            .where(Pair.organisation_id == organisation.id, Pair.status == PairStatus.COMPLETED)
            .group_by(Pair.id, Programme.goal)
            .order_by(Pair.ended_at.desc())
        )
    ).all()
    mentees: dict[int, list[int]] = defaultdict(list)
    for pair_id, mentee in await session.execute(
        select(PairMentee.pair_id, PairMentee.mentee_membership_id).where(
            PairMentee.pair_id.in_([row[0].id for row in rows])
        )
    ):
        mentees[pair_id].append(mentee)
    people = {row[0].mentor_membership_id for row in rows} | {
        member for members in mentees.values() for member in members
    }
    names = await _named(session, people)
    zone = ZoneInfo(organisation.timezone)
    cases = []
    for pair, goal, done_count, total in rows:
        everyone = [pair.mentor_membership_id, *mentees[pair.id]]
        all_named = all(member in names for member in everyone)
        cases.append(
            Case(
                pair_id=pair.id,
                forms=list(pair.forms),
                starts_on=pair.starts_on,
                ended_on=pair.ended_at.astimezone(zone).date() if pair.ended_at else pair.ends_on,
                goal=goal,
                done=int(done_count or 0),
                total=int(total or 0),
                mentee_count=len(mentees[pair.id]),
                mentor=names[pair.mentor_membership_id] if all_named else None,
                mentees=[names[member] for member in mentees[pair.id]] if all_named else [],
            )
        )
    return cases


def _day(value: date | datetime | None) -> str:
    return value.strftime("%d.%m.%Y") if value else "—"


def _case_lines(case_: Case, label: Label) -> tuple[str, list[str]]:
    """The case's title and its lines, as plain text (the caller escapes)."""
    if case_.mentor:
        title = label("site-case-named", mentor=case_.mentor, mentees=", ".join(case_.mentees))
    else:
        title = label("site-case-anonymous", mentees=case_.mentee_count)
    forms = ", ".join(label(f"pair-form-{form}") for form in case_.forms) or "—"
    lines = [
        label("site-case-term", first=_day(case_.starts_on), last=_day(case_.ended_on)),
        label("site-case-forms", forms=forms),
    ]
    if case_.goal:
        lines.append(label("site-case-goal", goal=case_.goal))
    if case_.total:
        lines.append(label("site-case-plan", done=case_.done, total=case_.total))
    return title, lines


def _markdown(text: str) -> str:
    return MARKDOWN_SPECIAL.sub(r"\\\1", text)


def render(
    organisation: Organisation, news: list[News], cases: list[Case], label: Label
) -> SitePage:
    zone = ZoneInfo(organisation.timezone)
    h = html.escape
    title = label("site-title", organisation=organisation.name)
    page = [f"<h1>{h(title)}</h1>", f"<p>{h(label('site-intro'))}</p>"]
    markdown = [f"# {_markdown(title)}", "", _markdown(label("site-intro")), ""]

    page.append(f"<h2>{h(label('site-news'))}</h2>")
    markdown += [f"## {_markdown(label('site-news'))}", ""]
    if not news:
        page.append(f"<p>{h(label('site-no-news'))}</p>")
        markdown += [_markdown(label("site-no-news")), ""]
    if news:
        page.append("<ul>")
    for item in news:
        when = item.when.astimezone(zone).strftime("%d.%m.%Y %H:%M")
        note = f" ({label('site-cancelled')})" if item.cancelled else ""
        place = f", {item.place}" if item.place else ""
        line = f"{when}{place}{note}: {item.text}"
        page.append(f"<li>{h(line)}</li>")
        markdown.append(f"- {_markdown(line)}")
    if news:
        page.append("</ul>")
        markdown.append("")

    page.append(f"<h2>{h(label('site-cases'))}</h2>")
    markdown += [f"## {_markdown(label('site-cases'))}", ""]
    if not cases:
        page.append(f"<p>{h(label('site-no-cases'))}</p>")
        markdown += [_markdown(label("site-no-cases")), ""]
    for case_ in cases:
        case_title, lines = _case_lines(case_, label)
        anchor = case_anchor(case_.pair_id)
        page.append(f'<h3 id="{anchor}">{h(case_title)}</h3><ul>')
        page += [f"<li>{h(line)}</li>" for line in lines]
        page.append("</ul>")
        markdown += [f'<a id="{anchor}"></a>', "", f"### {_markdown(case_title)}", ""]
        markdown += [f"- {_markdown(line)}" for line in lines]
        markdown.append("")

    page.append(f"<h2>{h(label('site-documents'))}</h2><ul>")
    markdown += [f"## {_markdown(label('site-documents'))}", ""]
    for document in DOCUMENTS:
        text = label(f"site-document-{document}")
        page.append(f"<li>{h(text)}</li>")
        markdown.append(f"- {_markdown(text)}")
    page.append("</ul>")
    return SitePage("\n".join(page) + "\n", "\n".join(markdown).rstrip() + "\n")


async def site_page(
    session: AsyncSession, organisation: Organisation, now: datetime, label: Label
) -> SitePage:
    return render(
        organisation,
        await _news(session, organisation, now),
        await _cases(session, organisation),
        label,
    )
