"""A campaign's results, aggregated in the database.

Every query groups in SQL (portable to SQLite and PostgreSQL) and returns rows per question
and value, never per answer: results of 100,000 responses cost the bot no more memory than
those of 10,000. A median is read off the cumulative counts of each value.

Small groups: in an anonymous questionnaire answered by fewer than MIN_GROUP people, nothing
that could tell who answered what is shown (typed answers, per-person rows, the raw export).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, TypeVarTuple

from sqlalchemy import (
    ColumnElement,
    Select,
    and_,
    case,
    func,
    literal,
    or_,
    select,
    tuple_,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from bot.services.questionnaires.schema import (
    OTHER,
    DateQuestion,
    MultiQuestion,
    NumberQuestion,
    Question,
    Questionnaire,
    ScaleQuestion,
    SingleQuestion,
    Swot,
    TextQuestion,
    YesNoQuestion,
)
from bot.services.questionnaires.versions import definition_by_id
from models import (
    Membership,
    MembershipStatus,
    Phase,
    Profile,
    ResponseStatus,
    Role,
    SurveyAnswer,
    SurveyCampaign,
    SurveyResponse,
)

MIN_GROUP = 3
# Questions whose stored values are few and known: counted value by value in one pass.
BOUNDED = (SingleQuestion, MultiQuestion, YesNoQuestion, ScaleQuestion)
Columns = TypeVarTuple("Columns")
TEXT_SAMPLES = 5  # typed answers quoted per question in chat (all of them go to the export)
SWOT_ITEMS = 12
SWOT_YEAR = timedelta(days=365)
REPORT_PEOPLE = 10  # people whose before and after the chat report names


@dataclass(frozen=True)
class NumberStats:
    count: int
    mean: float
    median: float
    minimum: float
    maximum: float


@dataclass
class QuestionResult:
    question: Question
    answered: int = 0
    options: dict[str, int] = field(default_factory=dict)  # option id -> count
    points: dict[int, int] = field(default_factory=dict)  # a scale's point -> count
    stats: NumberStats | None = None
    first_day: date | None = None
    last_day: date | None = None
    # the most frequent typed answers (and typed "other"), with how many gave each
    samples: list[tuple[str, int]] = field(default_factory=list)


@dataclass(frozen=True)
class ImpactItem:
    question_id: str
    people: int  # participants with both a before and an after
    before: float
    after: float
    improved: int

    @property
    def change(self) -> float:
        return self.after - self.before


@dataclass(frozen=True)
class PersonChange:
    membership_id: int
    pair_id: int | None
    name: str | None
    role: Role
    items: dict[str, tuple[float, float]]  # question id -> (before, after)


@dataclass
class Results:
    campaign: SurveyCampaign
    questionnaire: Questionnaire
    respondents: int
    assigned: int
    by_phase: dict[Phase, int] = field(default_factory=dict)
    questions: list[QuestionResult] = field(default_factory=list)
    impact: list[ImpactItem] = field(default_factory=list)

    @property
    def small_group(self) -> bool:
        return self.respondents < MIN_GROUP

    @property
    def may_identify(self) -> bool:
        """Whether what one person answered may be shown (quotes, per-person rows, export)."""
        return not self.questionnaire.anonymous or not self.small_group

    @property
    def names_people(self) -> bool:
        return not self.questionnaire.anonymous


def _submitted(campaign_ids: list[int]) -> ColumnElement[bool]:
    return and_(
        SurveyResponse.campaign_id.in_(campaign_ids),
        SurveyResponse.status == ResponseStatus.SUBMITTED,
    )


async def submitted_count(session: AsyncSession, campaign_id: int) -> int:
    query = select(func.count()).where(_submitted([campaign_id])).select_from(SurveyResponse)
    return int(await session.scalar(query) or 0)


def _with_responses(query: Select[*Columns]) -> Select[*Columns]:
    """Answers joined to their responses, for filtering on campaign and status."""
    return query.join(SurveyResponse, SurveyResponse.id == SurveyAnswer.response_id)


HAS_VALUE = or_(
    SurveyAnswer.option.is_not(None),
    SurveyAnswer.number.is_not(None),
    SurveyAnswer.text.is_not(None),
    SurveyAnswer.day.is_not(None),
)


async def _medians(
    session: AsyncSession, campaign_id: int, question_ids: list[str]
) -> dict[str, float]:
    """Median per question, from the counts of each value in order (no answer leaves SQL).

    For numbers typed freely; a scale's few points are counted anyway (_stats_of_points).
    """
    counts = (
        _with_responses(
            select(
                SurveyAnswer.question_id.label("question_id"),
                SurveyAnswer.number.label("value"),
                func.count().label("n"),
            )
        )
        .where(
            _submitted([campaign_id]),
            SurveyAnswer.question_id.in_(question_ids),
            SurveyAnswer.number.is_not(None),
        )
        .group_by(SurveyAnswer.question_id, SurveyAnswer.number)
        .subquery()
    )
    upto = func.sum(counts.c.n).over(
        partition_by=counts.c.question_id, order_by=counts.c.value, rows=(None, 0)
    )
    total = func.sum(counts.c.n).over(partition_by=counts.c.question_id)
    cumulative = select(
        counts.c.question_id,
        counts.c.value,
        counts.c.n,
        upto.label("upto"),
        total.label("total"),
    ).subquery()
    # The value group holding the middle position(s): for n answers the positions
    # ceil(n/2) and floor(n/2)+1; a group spans positions upto-n+1 .. upto.
    middle = (
        select(cumulative.c.question_id, func.avg(cumulative.c.value))
        .where(
            2 * cumulative.c.upto >= cumulative.c.total,
            2 * (cumulative.c.upto - cumulative.c.n) <= cumulative.c.total,
        )
        .group_by(cumulative.c.question_id)
    )
    return {question_id: float(value) for question_id, value in await session.execute(middle)}


def _stats_of_points(points: dict[int, int]) -> NumberStats:
    """Mean and median of a scale from the count of each point (at most ten of them)."""
    count = sum(points.values())
    ordered = sorted(points.items())
    total = sum(point * n for point, n in ordered)
    middle: list[int] = []
    seen = 0
    for point, n in ordered:
        # positions seen+1 .. seen+n hold `point`; the middle ones are (count+1)//2 and
        # count//2+1 (the same position when count is odd)
        for position in {(count + 1) // 2, count // 2 + 1}:
            if seen < position <= seen + n:
                middle.append(point)
        seen += n
    return NumberStats(
        count, total / count, sum(middle) / len(middle), ordered[0][0], ordered[-1][0]
    )


async def _samples(
    session: AsyncSession, campaign_id: int, question_ids: list[str]
) -> dict[str, list[tuple[str, int]]]:
    """The most frequent typed answers per question with how many gave each.

    Equal answers are counted together and ties go alphabetically, so the order tells nothing
    about who answered when.
    """
    if not question_ids:
        return {}
    grouped = (
        _with_responses(
            select(
                SurveyAnswer.question_id.label("question_id"),
                SurveyAnswer.text.label("text"),
                func.count().label("n"),
            )
        )
        .where(
            _submitted([campaign_id]),
            SurveyAnswer.question_id.in_(question_ids),
            SurveyAnswer.text.is_not(None),
        )
        .group_by(SurveyAnswer.question_id, SurveyAnswer.text)
        .subquery()
    )
    ranked = select(
        grouped.c.question_id,
        grouped.c.text,
        grouped.c.n,
        func.row_number()
        .over(partition_by=grouped.c.question_id, order_by=(grouped.c.n.desc(), grouped.c.text))
        .label("rank"),
    ).subquery()
    rows = await session.execute(
        select(ranked.c.question_id, ranked.c.text, ranked.c.n)
        .where(ranked.c.rank <= TEXT_SAMPLES)
        .order_by(ranked.c.question_id, ranked.c.rank)
    )
    found: dict[str, list[tuple[str, int]]] = {}
    for question_id, text, count in rows:
        found.setdefault(question_id, []).append((text, int(count)))
    return found


async def results(session: AsyncSession, campaign: SurveyCampaign) -> Results:
    questionnaire = await definition_by_id(session, campaign.questionnaire_version_id)
    phase_rows = await session.execute(
        select(SurveyResponse.phase, SurveyResponse.status, func.count())
        .where(
            SurveyResponse.campaign_id == campaign.id,
            SurveyResponse.status != ResponseStatus.CLOSED,
        )
        .group_by(SurveyResponse.phase, SurveyResponse.status)
    )
    result = Results(campaign, questionnaire, respondents=0, assigned=0)
    for phase, status, count in phase_rows:
        result.assigned += count
        if status == ResponseStatus.SUBMITTED:
            result.respondents += count
            result.by_phase[Phase(phase)] = result.by_phase.get(Phase(phase), 0) + count
    by_id = {q.id: QuestionResult(q) for q in questionnaire.questions}
    result.questions = list(by_id.values())
    if result.respondents == 0:
        return result
    submitted = _submitted([campaign.id])
    questions = questionnaire.questions
    bounded = [q.id for q in questions if isinstance(q, BOUNDED)]
    unbounded = [q.id for q in questions if not isinstance(q, BOUNDED)]
    multi = {q.id for q in questions if isinstance(q, MultiQuestion)}

    # Choices and scales: one pass counting each option and each point (a few rows each).
    if bounded:
        counts = (
            _with_responses(
                select(
                    SurveyAnswer.question_id,
                    SurveyAnswer.option,
                    SurveyAnswer.number,
                    func.count(),
                )
            )
            .where(
                submitted,
                SurveyAnswer.question_id.in_(bounded),
                or_(SurveyAnswer.option.is_not(None), SurveyAnswer.number.is_not(None)),
            )
            .group_by(SurveyAnswer.question_id, SurveyAnswer.option, SurveyAnswer.number)
        )
        for question_id, option, number, count in await session.execute(counts):
            item = by_id[question_id]
            if option is not None:
                item.options[option] = count
            elif number is not None:
                item.points[int(number)] = count
            if question_id not in multi:  # one row per person otherwise
                item.answered += count
        for question_id in bounded:
            item = by_id[question_id]
            if item.points:
                item.stats = _stats_of_points(item.points)

    # Everything else, and how many people ticked anything in a multiple choice.
    distinct = [*unbounded, *multi]
    if distinct:
        answered = (
            _with_responses(
                select(
                    SurveyAnswer.question_id,
                    func.count(func.distinct(SurveyAnswer.response_id)),
                )
            )
            .where(submitted, SurveyAnswer.question_id.in_(distinct), HAS_VALUE)
            .group_by(SurveyAnswer.question_id)
        )
        for question_id, count in await session.execute(answered):
            by_id[question_id].answered = count

    number_ids = [q.id for q in questions if isinstance(q, NumberQuestion)]
    if number_ids:
        numeric = (
            _with_responses(
                select(
                    SurveyAnswer.question_id,
                    func.count(SurveyAnswer.number),
                    func.avg(SurveyAnswer.number),
                    func.min(SurveyAnswer.number),
                    func.max(SurveyAnswer.number),
                )
            )
            .where(
                submitted,
                SurveyAnswer.question_id.in_(number_ids),
                SurveyAnswer.number.is_not(None),
            )
            .group_by(SurveyAnswer.question_id)
        )
        medians = await _medians(session, campaign.id, number_ids)
        for question_id, count, mean, low, high in await session.execute(numeric):
            by_id[question_id].stats = NumberStats(
                count, float(mean), medians.get(question_id, float(mean)), low, high
            )

    date_ids = [q.id for q in questions if isinstance(q, DateQuestion)]
    if date_ids:
        days = (
            _with_responses(
                select(
                    SurveyAnswer.question_id,
                    func.min(SurveyAnswer.day),
                    func.max(SurveyAnswer.day),
                )
            )
            .where(submitted, SurveyAnswer.question_id.in_(date_ids))
            .group_by(SurveyAnswer.question_id)
        )
        for question_id, first, last in await session.execute(days):
            by_id[question_id].first_day, by_id[question_id].last_day = first, last

    if result.may_identify:
        typed = [
            q.id
            for q in questionnaire.questions
            if (isinstance(q, TextQuestion) and q.swot is None)
            or (isinstance(q, SingleQuestion | MultiQuestion) and q.other)
        ]
        for question_id, texts in (await _samples(session, campaign.id, typed)).items():
            by_id[question_id].samples = texts

    if any(phase is not Phase.ONCE for phase in result.by_phase):
        result.impact = await impact_items(session, campaign.id)
    return result


# --- monitoring stage 2: before and after ----------------------------------------------------


@dataclass(frozen=True)
class _Linked:
    """Each person's before and after answer to the same item, joined in SQL."""

    before: type[SurveyResponse]
    before_answer: type[SurveyAnswer]
    after_answer: type[SurveyAnswer]

    def select(self, *columns: Any, campaign_id: int) -> Select[Any]:
        after = aliased(SurveyResponse)
        return (
            select(*columns)
            .select_from(self.before)
            .join(
                after,
                and_(
                    after.campaign_id == self.before.campaign_id,
                    after.membership_id == self.before.membership_id,
                    after.pair_id == self.before.pair_id,
                    after.phase == Phase.AFTER,
                    after.status == ResponseStatus.SUBMITTED,
                ),
            )
            .join(self.before_answer, self.before_answer.response_id == self.before.id)
            .join(
                self.after_answer,
                and_(
                    self.after_answer.response_id == after.id,
                    self.after_answer.question_id == self.before_answer.question_id,
                ),
            )
            .where(
                self.before.campaign_id == campaign_id,
                self.before.phase == Phase.BEFORE,
                self.before.status == ResponseStatus.SUBMITTED,
                self.before_answer.number.is_not(None),
                self.after_answer.number.is_not(None),
            )
        )


def _linked() -> _Linked:
    return _Linked(aliased(SurveyResponse), aliased(SurveyAnswer), aliased(SurveyAnswer))


async def impact_items(session: AsyncSession, campaign_id: int) -> list[ImpactItem]:
    """Per item: the mean before, the mean after and how many improved, over linked people."""
    link = _linked()
    was, now = link.before_answer.number, link.after_answer.number
    query = link.select(
        link.before_answer.question_id,
        func.count(),
        func.avg(was),
        func.avg(now),
        func.sum(case((now > was, 1), else_=0)),
        campaign_id=campaign_id,
    ).group_by(link.before_answer.question_id)
    return [
        ImpactItem(question_id, people, float(mean_before), float(mean_after), int(up or 0))
        for question_id, people, mean_before, mean_after, up in await session.execute(query)
    ]


async def impact_people(
    session: AsyncSession, campaign_id: int, limit: int, offset: int = 0
) -> tuple[list[PersonChange], int]:
    """Before and after of each linked person (a page of them), and how many there are."""
    link = _linked()
    people = (
        link.select(link.before.membership_id, link.before.pair_id, campaign_id=campaign_id)
        .join(Membership, Membership.id == link.before.membership_id)
        .where(Membership.status == MembershipStatus.ACTIVE)  # see impact_people_pages
        .distinct()
        .subquery()
    )
    total = int(await session.scalar(select(func.count()).select_from(people)) or 0)
    page = (
        select(people.c.membership_id, people.c.pair_id, Profile.full_name, Membership.role)
        .join(Membership, Membership.id == people.c.membership_id)
        .outerjoin(Profile, Profile.membership_id == Membership.id)
        .order_by(Profile.full_name, people.c.membership_id, people.c.pair_id)
        .offset(offset)
        .limit(limit)
    )
    listed = [
        PersonChange(membership_id, pair_id, name, Role(role), {})
        for membership_id, pair_id, name, role in await session.execute(page)
    ]
    if not listed:
        return [], total
    await _fill_changes(session, campaign_id, {(p.membership_id, p.pair_id): p for p in listed})
    return listed, total


async def _fill_changes(
    session: AsyncSession, campaign_id: int, people: dict[tuple[int, int | None], PersonChange]
) -> None:
    """Each person's items: (before, after), in one query for them all."""
    link = _linked()
    values = link.select(
        link.before.membership_id,
        link.before.pair_id,
        link.before_answer.question_id,
        link.before_answer.number,
        link.after_answer.number,
        campaign_id=campaign_id,
    ).where(link.before.membership_id.in_({key[0] for key in people}))
    for membership_id, pair_id, question_id, was, now in await session.execute(values):
        person = people.get((membership_id, pair_id))
        if person is not None:
            person.items[question_id] = (float(was), float(now))


async def impact_people_pages(
    session: AsyncSession, campaign_id: int, page: int = 1000
) -> AsyncIterator[list[PersonChange]]:
    """Everyone's before and after, a page at a time, for the export: the "before" responses
    are read by keyset on their own unique index (campaign, person, phase, pair), then only
    that page's answers, so no page re-runs the campaign's join (people who have no "after"
    yet are left out). People who withdrew consent are left out too: a row of their own,
    even without a name, would tie their answers to them; the figures still count them."""
    after: tuple[Any, ...] = (0, 0)
    while responses := (
        await session.execute(
            select(
                SurveyResponse.membership_id,
                SurveyResponse.pair_id,
                Membership.role,
                Profile.full_name,
            )
            .join(Membership, Membership.id == SurveyResponse.membership_id)
            .outerjoin(Profile, Profile.membership_id == Membership.id)
            .where(
                Membership.status == MembershipStatus.ACTIVE,
                SurveyResponse.campaign_id == campaign_id,
                SurveyResponse.phase == Phase.BEFORE,
                SurveyResponse.status == ResponseStatus.SUBMITTED,
                SurveyResponse.pair_id.is_not(None),
                tuple_(SurveyResponse.membership_id, SurveyResponse.pair_id) > tuple_(*after),
            )
            .order_by(SurveyResponse.membership_id, SurveyResponse.pair_id)
            .limit(page)
        )
    ).all():
        after = (responses[-1][0], responses[-1][1])
        people = {
            (membership_id, pair_id): PersonChange(membership_id, pair_id, name, Role(role), {})
            for membership_id, pair_id, role, name in responses
        }
        await _fill_changes(session, campaign_id, people)
        yield [person for person in people.values() if person.items]


# --- SWOT ------------------------------------------------------------------------------------


@dataclass
class SwotTable:
    items: dict[Swot, list[tuple[str, int]]] = field(default_factory=dict)  # text, how many
    totals: dict[Swot, int] = field(default_factory=dict)
    hidden: int = 0  # answers withheld: small anonymous groups

    @property
    def empty(self) -> bool:
        return not any(self.totals.values())


async def swot(session: AsyncSession, campaigns: list[SurveyCampaign]) -> SwotTable:
    """The open answers tagged strengths, weaknesses, opportunities and threats, collated.

    Equal answers are counted together; each quadrant lists the most frequent first.
    """
    table = SwotTable()
    whens = []
    for campaign in campaigns:
        questionnaire = await definition_by_id(session, campaign.questionnaire_version_id)
        tagged: dict[Swot, list[str]] = {}
        for question in questionnaire.questions:
            if isinstance(question, TextQuestion) and question.swot is not None:
                tagged.setdefault(question.swot, []).append(question.id)
        if not tagged:
            continue
        respondents = await submitted_count(session, campaign.id)
        if questionnaire.anonymous and respondents < MIN_GROUP:
            table.hidden += respondents
            continue
        for quadrant, ids in tagged.items():
            whens.append(
                (
                    and_(
                        SurveyResponse.campaign_id == campaign.id,
                        SurveyAnswer.question_id.in_(ids),
                    ),
                    literal(quadrant.value),
                )
            )
    if not whens:
        return table
    quadrant_of = case(*whens, else_=None)
    grouped = (
        _with_responses(
            select(
                quadrant_of.label("quadrant"),
                SurveyAnswer.text.label("text"),
                func.count().label("n"),
            )
        )
        .where(
            _submitted([c.id for c in campaigns]),
            SurveyAnswer.text.is_not(None),
            quadrant_of.is_not(None),
        )
        .group_by(quadrant_of, SurveyAnswer.text)
        .subquery()
    )
    ranked = select(
        grouped.c.quadrant,
        grouped.c.text,
        grouped.c.n,
        func.row_number()
        .over(partition_by=grouped.c.quadrant, order_by=(grouped.c.n.desc(), grouped.c.text))
        .label("rank"),
        func.sum(grouped.c.n).over(partition_by=grouped.c.quadrant).label("total"),
    ).subquery()
    rows = await session.execute(
        select(ranked.c.quadrant, ranked.c.text, ranked.c.n, ranked.c.total)
        .where(ranked.c.rank <= SWOT_ITEMS)
        .order_by(ranked.c.quadrant, ranked.c.rank)
    )
    for name, text, count, total in rows:
        key = Swot(name)
        table.items.setdefault(key, []).append((text, int(count)))
        table.totals[key] = int(total)
    return table


async def year_swot(session: AsyncSession, organisation_id: int, now: datetime) -> SwotTable:
    """The SWOT of the organisation's campaigns launched in the last year."""
    recent = await session.scalars(
        select(SurveyCampaign)
        .where(
            SurveyCampaign.organisation_id == organisation_id,
            SurveyCampaign.created_at >= now - SWOT_YEAR,
        )
        .order_by(SurveyCampaign.id)
    )
    return await swot(session, list(recent))


@dataclass(frozen=True)
class Report:
    """What the chat shows of a campaign: its results, a page of people's before and after
    (a named questionnaire), and its SWOT (when it has SWOT questions one may see)."""

    results: Results
    people: list[PersonChange]
    people_total: int
    swot: SwotTable | None


async def report(session: AsyncSession, campaign: SurveyCampaign) -> Report:
    result = await results(session, campaign)
    people: tuple[list[PersonChange], int] = ([], 0)
    if result.impact and result.names_people:
        people = await impact_people(session, campaign.id, limit=REPORT_PEOPLE)
    questions = result.questionnaire.questions
    tagged = any(isinstance(q, TextQuestion) and q.swot is not None for q in questions)
    table = await swot(session, [campaign]) if result.may_identify and tagged else None
    return Report(result, *people, table)


def choice_labels(question: Question, locale: str) -> list[tuple[str, str]]:
    """(stored value, label) of a choice question, in the order the questionnaire gives."""
    if isinstance(question, YesNoQuestion):
        return []  # the handler names yes and no from locales
    if isinstance(question, SingleQuestion | MultiQuestion):
        labels = [(option.id, option.text.get(locale)) for option in question.options]
        return labels + ([(OTHER, "")] if question.other else [])
    return []
