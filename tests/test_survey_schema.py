"""Questionnaire files: the built-in ones are valid; a broken one is refused with its file
and line; a new version keeps the answers given to an older one readable."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.services.clock import FrozenClock
from bot.services.questionnaires import answering, campaigns, results
from bot.services.questionnaires.campaigns import Audience, AudienceKind
from bot.services.questionnaires.loader import (
    QUESTIONNAIRES_DIR,
    QuestionnaireFileError,
    builtin,
    load_directory,
    parse,
)
from bot.services.questionnaires.schema import Questionnaire
from bot.services.questionnaires.versions import definition_by_id, ensure_version
from models import QuestionnaireVersion, Role
from tests.test_survey_support import organisation_with_people

GOOD = """\
id: sample
version: 1
purpose: quality
anonymous: true
title: {ru: Пример, en: Sample}
questions:
  - id: liked
    type: yes_no
    text: {ru: "Понравилось?", en: "Did you like it?"}
  - id: why
    type: text
    show_if: {question: liked, equals: yes}
    text: {ru: "Почему?", en: "Why?"}
  - id: score
    type: scale
    max: 5
    text: {ru: Оценка, en: Score}
    labels:
      low: {ru: плохо, en: bad}
      high: {ru: отлично, en: great}
"""


def test_every_built_in_file_is_valid_in_both_languages() -> None:
    loaded = load_directory(QUESTIONNAIRES_DIR)
    assert loaded == builtin()
    for questionnaire in loaded.values():
        for question in questionnaire.questions:
            assert question.text.ru and question.text.en


def test_a_good_file_reads_unquoted_yes_as_the_yes_option() -> None:
    sample = parse(GOOD, "sample.yaml")
    why = sample.question("why")
    assert why is not None and why.show_if is not None and why.show_if.equals == ["yes"]


@pytest.mark.parametrize(
    ("broken", "line", "says"),
    [
        (GOOD.replace("max: 5", "max: 7"), 16, "questions.2.scale.max"),
        (GOOD.replace('en: "Why?"', 'de: "Warum?"'), 13, "questions.1.text.text.en"),
        (GOOD.replace("type: yes_no", "type: maybe"), 7, "questions.0"),
        (GOOD.replace("question: liked", "question: score"), 12, "show_if must name an earlier"),
        (GOOD.replace("equals: yes", "equals: perhaps"), 12, "'liked' has no option perhaps"),
        (GOOD.replace("id: why", "id: liked"), 10, "question id 'liked' is used twice"),
        (GOOD.replace("id: score", "id: Score!"), 14, "String should match pattern"),
        (GOOD.replace("version: 1", "version: 0"), 2, "version"),
        (GOOD.replace("  - id: why", "  - id: why\n  oops: [1, 2"), 11, ""),
    ],
)
def test_a_broken_file_is_refused_with_its_file_and_line(
    tmp_path: Path, broken: str, line: int, says: str
) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text(broken, encoding="utf-8")
    (tmp_path / "fine.yaml").write_text(GOOD.replace("id: sample", "id: fine"), "utf-8")
    with pytest.raises(QuestionnaireFileError) as refused:
        load_directory(tmp_path)
    message = str(refused.value)
    assert f"broken.yaml:{line}:" in message, message
    assert says in message
    assert "fine.yaml" not in message


def test_two_files_with_one_id_are_refused(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(GOOD, "utf-8")
    (tmp_path / "b.yaml").write_text(GOOD, "utf-8")
    with pytest.raises(QuestionnaireFileError, match=r"b\.yaml:1: id 'sample' is also used"):
        load_directory(tmp_path)


def _edited(questionnaire: Questionnaire, **changes: object) -> Questionnaire:
    data = questionnaire.model_dump(mode="json")
    data.update(changes)
    return Questionnaire.model_validate(data)


async def test_a_new_version_keeps_older_answers_readable(
    sessionmaker: async_sessionmaker[AsyncSession], clock: FrozenClock
) -> None:
    now = clock.now()
    sample = parse(GOOD, "sample.yaml")
    async with sessionmaker() as session:
        first = await ensure_version(session, sample, now)
        # a wording fix in the same version updates the stored copy
        retitled = _edited(sample, title={"ru": "Пример анкеты", "en": "A sample"})
        assert (await ensure_version(session, retitled, now)).id == first.id
        assert first.definition["title"]["ru"] == "Пример анкеты"
        # changing the questions without a new version is refused
        data = sample.model_dump(mode="json")
        data["questions"] = data["questions"][:2]
        with pytest.raises(QuestionnaireFileError, match="give the file a new version"):
            await ensure_version(session, Questionnaire.model_validate(data), now)
        # version 2 drops a question and adds one; version 1 is still there as it was
        data["version"] = 2
        data["questions"].append(
            {"id": "again", "type": "yes_no", "text": {"ru": "Ещё раз?", "en": "Again?"}}
        )
        second = await ensure_version(session, Questionnaire.model_validate(data), now)
        assert second.id != first.id
        old = await definition_by_id(session, first.id)
        assert old.version == 1 and old.ids == ["liked", "why", "score"]
        assert (await definition_by_id(session, second.id)).ids == ["liked", "why", "again"]


async def test_a_response_answers_the_version_it_was_given(
    sessionmaker: async_sessionmaker[AsyncSession], clock: FrozenClock
) -> None:
    """An answered version 1 of a built-in questionnaire survives the file's version 2."""
    now = clock.now()
    async with sessionmaker() as session:
        organisation_id, _ = await organisation_with_people(session, now, 1)
        campaign, (response,) = await campaigns.launch(
            session,
            organisation_id=organisation_id,
            code="mentee_entry",
            audience=Audience(AudienceKind.ROLE, role=Role.MENTEE),
            deadline=now + timedelta(days=7),
            created_by_membership_id=None,
            now=now,
        )
        current = builtin()["mentee_entry"]
        newer = current.model_dump(mode="json")
        newer["version"] = current.version + 1
        newer["questions"] = newer["questions"][1:]  # "category" removed in the new version
        await ensure_version(session, Questionnaire.model_validate(newer), now)

        form = await answering.load(session, response)
        assert form.questionnaire.version == 1 and form.questionnaire.ids[0] == "category"
        answering.begin(form, now)
        await answering.pick(session, form, "category", "new_to_team")
        assert response.version == 1
        stored = await session.scalar(
            select(QuestionnaireVersion)
            .where(QuestionnaireVersion.code == "mentee_entry")
            .order_by(QuestionnaireVersion.version)
        )
        assert stored is not None and stored.id == response.questionnaire_version_id
        result = await results.results(session, campaign)
        assert result.questionnaire.ids[0] == "category"


def test_deadline_is_the_end_of_the_chosen_day_in_the_kindergartens_zone() -> None:
    deadline = campaigns.deadline_at(date(2026, 12, 2), "Asia/Omsk")
    assert deadline.astimezone(UTC) == datetime(2026, 12, 2, 17, 59, 59, tzinfo=UTC)
