"""Reading questionnaires/*.yaml: a broken file is refused with its name and line."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from pathlib import Path

import yaml
from pydantic import ValidationError

from bot.services.questionnaires.schema import Questionnaire, semantic_problems

QUESTIONNAIRES_DIR = Path(__file__).resolve().parents[3] / "questionnaires"


class QuestionnaireFileError(ValueError):
    """A questionnaire file that cannot be used, with every problem as `file:line: message`."""


def _line_of(node: yaml.Node | None, location: Iterable[str | int]) -> int:
    """The line (1-based) of the deepest YAML node the error location reaches.

    Locations pydantic reports may hold steps that are not in the file (the tag of a union
    member); those are stepped over.
    """
    if node is None:
        return 1
    line = node.start_mark.line + 1
    for step in location:
        child: yaml.Node | None = None
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode) and key.value == str(step):
                    child = value
                    break
        elif (
            isinstance(node, yaml.SequenceNode)
            and isinstance(step, int)
            and 0 <= step < len(node.value)
        ):
            child = node.value[step]
        if child is None:
            continue
        node = child
        line = node.start_mark.line + 1
    return line


def _where(location: Iterable[str | int]) -> str:
    return ".".join(str(step) for step in location) or "(top)"


def parse(text: str, name: str) -> Questionnaire:
    """Validate one questionnaire's YAML text; `name` is how errors name the file."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark is not None else 1
        raise QuestionnaireFileError(f"{name}:{line}: {error.problem or error}") from error
    if not isinstance(data, dict):
        raise QuestionnaireFileError(f"{name}:1: the file must be a mapping of fields")
    try:
        questionnaire = Questionnaire.model_validate(data)
    except ValidationError as error:
        lines = [
            f"{name}:{_line_of(node, problem['loc'])}: {_where(problem['loc'])}: {problem['msg']}"
            for problem in error.errors()
        ]
        raise QuestionnaireFileError("\n".join(lines)) from error
    problems = semantic_problems(questionnaire)
    if problems:
        lines = [
            f"{name}:{_line_of(node, location)}: {_where(location)}: {message}"
            for location, message in problems
        ]
        raise QuestionnaireFileError("\n".join(lines))
    return questionnaire


def load_file(path: Path) -> Questionnaire:
    return parse(path.read_text(encoding="utf-8"), str(path))


def load_directory(directory: Path) -> dict[str, Questionnaire]:
    """Every questionnaire of a directory by id; all problems of all files in one error."""
    found: dict[str, Questionnaire] = {}
    where: dict[str, Path] = {}
    problems: list[str] = []
    for path in sorted(directory.glob("*.yaml")):
        try:
            questionnaire = load_file(path)
        except QuestionnaireFileError as error:
            problems.append(str(error))
            continue
        if questionnaire.id in found:
            problems.append(
                f"{path}:1: id {questionnaire.id!r} is also used by {where[questionnaire.id]}"
            )
            continue
        found[questionnaire.id] = questionnaire
        where[questionnaire.id] = path
    if problems:
        raise QuestionnaireFileError("\n".join(problems))
    if not found:
        raise QuestionnaireFileError(f"{directory}: no questionnaires (*.yaml) found")
    return found


@cache
def builtin() -> dict[str, Questionnaire]:
    """The questionnaires of this repository, read once; start-up calls it to fail early."""
    return load_directory(QUESTIONNAIRES_DIR)
