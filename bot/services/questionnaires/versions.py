"""The stored copy of each questionnaire version people answer."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.services.clock import Clock
from bot.services.questionnaires.loader import QuestionnaireFileError, builtin
from bot.services.questionnaires.schema import Questionnaire
from models import QuestionnaireVersion
from models.base import startup_turn


def _structure(definition: dict[str, Any]) -> list[tuple[Any, ...]]:
    """What answers depend on: ids, types, options, bounds and conditions, not the wording."""
    return [
        (
            question["id"],
            question["type"],
            [option["id"] for option in question.get("options", [])],
            question.get("other"),
            question.get("min"),
            question.get("max"),
            question.get("integer"),
            question.get("show_if"),
        )
        for question in definition["questions"]
    ]


async def ensure_version(
    session: AsyncSession, questionnaire: Questionnaire, now: datetime
) -> QuestionnaireVersion:
    """Store this version on first use; a wording fix in the same version updates the copy.

    Changing questions or options without raising `version` would mix answers to different
    questions under one version, so it is refused.
    """
    definition = questionnaire.model_dump(mode="json")
    query = select(QuestionnaireVersion).where(
        QuestionnaireVersion.code == questionnaire.id,
        QuestionnaireVersion.version == questionnaire.version,
    )
    row = await session.scalar(query)
    if row is None:
        # Start-up stores every current version before any update runs, so two updates
        # racing to store the same one first cannot happen in practice.
        row = QuestionnaireVersion(
            code=questionnaire.id,
            version=questionnaire.version,
            definition=definition,
            created_at=now,
        )
        session.add(row)
        await session.flush()
        return row
    if row.definition != definition:
        if _structure(row.definition) != _structure(definition):
            raise QuestionnaireFileError(
                f"questionnaire {questionnaire.id!r} version {questionnaire.version} changed "
                "its questions or options: give the file a new version"
            )
        row.definition = definition
    return row


async def sync_builtin(session: AsyncSession, now: datetime) -> list[QuestionnaireVersion]:
    """At start-up: every questionnaire file valid, and stored as its current version."""
    return [await ensure_version(session, item, now) for item in builtin().values()]


async def check_questionnaires(
    sessionmaker: async_sessionmaker[AsyncSession], clock: Clock
) -> None:
    """At start-up (the survey router's): refuse to start with a broken questionnaire file
    (before any transaction), and store each current version."""
    builtin()
    async with sessionmaker.begin() as session:
        await startup_turn(session)  # processes starting at once store them in turns
        await sync_builtin(session, clock.now())


async def current_row(session: AsyncSession, code: str, now: datetime) -> QuestionnaireVersion:
    return await ensure_version(session, builtin()[code], now)


def definition_of(row: QuestionnaireVersion) -> Questionnaire:
    """The questionnaire as that version was; the file's own copy when it is the same one."""
    current = builtin().get(row.code)
    if current is not None and current.version == row.version:
        return current
    return Questionnaire.model_validate(row.definition)


async def definition_by_id(session: AsyncSession, version_id: int) -> Questionnaire:
    row = await session.get(QuestionnaireVersion, version_id)
    if row is None:
        raise LookupError(f"questionnaire version {version_id} not found")
    return definition_of(row)
