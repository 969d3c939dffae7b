"""Locales: ru and en say the same, every key the code asks for exists, all of it renders."""

from __future__ import annotations

import ast
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest
from aiogram_i18n.cores import FluentRuntimeCore
from fluent.syntax import ast as fluent
from fluent.syntax import parse
from fluent.syntax.visitor import Visitor

from bot.commands import ADMIN, BY_ROLE, DESK, EVERYONE
from bot.i18n import LANGUAGES, FluentCore
from bot.services import deadlines, final_reports, lifecycle, meetings, programmes, roadmap, rules
from bot.services.bank import BankFilter
from bot.services.organisations import RUSSIAN_ZONES
from bot.services.profile_form import QUESTIONS
from handlers.start import CODE_PROBLEMS
from models import PairStatus, Phase, ProgrammeStatus, Role

PROJECT_ROOT = Path(__file__).resolve().parents[1]
LOCALES_DIR = PROJECT_ROOT / "locales"
CODE_DIRS = ("bot", "handlers")
TRANSLATORS = {"i18n", "core"}


# --- the .ftl files ---------------------------------------------------------------------------


def ftl_files(locale: str) -> list[Path]:
    return sorted((LOCALES_DIR / locale).glob("*.ftl"))


@cache
def messages(locale: str) -> dict[str, fluent.Message]:
    """Message id -> message, over all files of the locale."""
    found: dict[str, fluent.Message] = {}
    for path in ftl_files(locale):
        for entry in parse(path.read_text(encoding="utf-8")).body:
            if isinstance(entry, fluent.Message):
                found[entry.id.name] = entry
    return found


class References(Visitor):
    """Variables ($name) and messages ({ other-message }) a pattern refers to."""

    def __init__(self) -> None:
        self.variables: set[str] = set()
        self.messages: set[str] = set()

    def visit_VariableReference(self, node: fluent.VariableReference) -> None:
        self.variables.add(node.id.name)

    def visit_MessageReference(self, node: fluent.MessageReference) -> None:
        self.messages.add(node.id.name)


def variables(locale: str, key: str, seen: frozenset[str] = frozenset()) -> set[str]:
    """The arguments a message needs, including those of the messages it includes."""
    references = References()
    references.visit(messages(locale)[key])
    needed = set(references.variables)
    for other in references.messages - seen - {key}:
        if other in messages(locale):
            needed |= variables(locale, other, seen | {key})
    return needed


def test_every_language_has_a_directory() -> None:
    assert sorted(path.name for path in LOCALES_DIR.iterdir() if path.is_dir()) == sorted(
        LANGUAGES
    )


@pytest.mark.parametrize("locale", LANGUAGES)
def test_files_parse_without_junk(locale: str) -> None:
    assert ftl_files(locale), f"no .ftl files for {locale}"
    problems = []
    for path in ftl_files(locale):
        for entry in parse(path.read_text(encoding="utf-8")).body:
            if isinstance(entry, fluent.Junk):
                notes = "; ".join(str(annotation.message) for annotation in entry.annotations)
                problems.append(f"{path.relative_to(PROJECT_ROOT)}: {notes}: {entry.content!r}")
    assert problems == []


@pytest.mark.parametrize("locale", LANGUAGES)
def test_no_message_defined_twice(locale: str) -> None:
    ids = [
        entry.id.name
        for path in ftl_files(locale)
        for entry in parse(path.read_text(encoding="utf-8")).body
        if isinstance(entry, fluent.Message | fluent.Term)
    ]
    assert sorted({key for key in ids if ids.count(key) > 1}) == []


def test_locales_have_the_same_messages() -> None:
    ru, en = set(messages("ru")), set(messages("en"))
    assert sorted(ru - en) == [], "only in ru"
    assert sorted(en - ru) == [], "only in en"


def test_locales_use_the_same_variables() -> None:
    differing = {
        key: (sorted(variables("ru", key)), sorted(variables("en", key)))
        for key in set(messages("ru")) & set(messages("en"))
        if variables("ru", key) != variables("en", key)
    }
    assert differing == {}


# --- keys the code uses -----------------------------------------------------------------------


@dataclass(frozen=True)
class KeyUse:
    where: str
    key: str
    is_prefix: bool  # an f-string: only the literal start of the key is known
    arguments: frozenset[str] | None  # keyword names passed; None when **kwargs hides them


def python_files() -> Iterator[Path]:
    for directory in CODE_DIRS:
        yield from sorted((PROJECT_ROOT / directory).rglob("*.py"))


def is_translation_call(call: ast.Call) -> bool:
    func = call.func
    if isinstance(func, ast.Attribute) and func.attr == "get":
        return isinstance(func.value, ast.Name) and func.value.id in TRANSLATORS
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
    return name == "UserFacingError"


def literal_keys(node: ast.expr) -> list[tuple[str, bool]]:
    """(key or prefix, is_prefix) for a literal key argument; [] when it is computed."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [(node.value, False)]
    if isinstance(node, ast.JoinedStr):
        first = node.values[0] if node.values else None
        prefix = first.value if isinstance(first, ast.Constant) else ""
        return [(str(prefix), True)]
    if isinstance(node, ast.IfExp):  # "a" if condition else "b"
        return literal_keys(node.body) + literal_keys(node.orelse)
    return []


@cache
def keys_in_code() -> tuple[KeyUse, ...]:
    uses = []
    for path in python_files():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and node.args and is_translation_call(node)):
                continue
            names = [keyword.arg for keyword in node.keywords]
            arguments = None if None in names else frozenset(str(name) for name in names)
            where = f"{path.relative_to(PROJECT_ROOT)}:{node.lineno}"
            for key, is_prefix in literal_keys(node.args[0]):
                uses.append(KeyUse(where, key, is_prefix, arguments))
    return tuple(uses)


def test_code_keys_were_found() -> None:
    """Guards the scan itself: if it found nothing, the checks below would pass for nothing."""
    keys = {use.key for use in keys_in_code()}
    assert {"error-stale-button", "error-text-too-long", "role-", "command-"} <= keys
    assert len(keys) > 50


@pytest.mark.parametrize("locale", LANGUAGES)
def test_every_key_in_code_exists(locale: str) -> None:
    known = set(messages(locale))
    missing = [
        f"{use.where}: {use.key}{'…' if use.is_prefix else ''}"
        for use in keys_in_code()
        if (
            not any(key.startswith(use.key) for key in known)
            if use.is_prefix
            else use.key not in known
        )
    ]
    assert missing == []


def test_computed_keys_have_a_literal_prefix() -> None:
    """f"{x}" as a key could be anything; f"role-{x}" at least names a family of keys."""
    assert [use.where for use in keys_in_code() if use.is_prefix and not use.key] == []


@pytest.mark.parametrize("locale", LANGUAGES)
def test_code_passes_every_variable_a_message_needs(locale: str) -> None:
    known = messages(locale)
    short = {
        f"{use.where}: {use.key} needs {sorted(variables(locale, use.key) - use.arguments)}"
        for use in keys_in_code()
        if not use.is_prefix and use.arguments is not None and use.key in known
        if variables(locale, use.key) - use.arguments
    }
    assert sorted(short) == []


STAGES = ("soon", "overdue")  # bot.services.deadlines.STEPS of the 10-day and 30-day rules


def enumerated_keys() -> list[str]:
    """Keys built at run time from closed sets of values."""
    keys = [f"role-{role.value}" for role in Role]
    for question in QUESTIONS:
        keys += [f"q-{question.field}", f"field-{question.field}"]
        keys += [f"opt-{question.field}-{code}" for code in question.options]
    keys += [f"command-{name}" for name in (*EVERYONE, *DESK, *ADMIN)]
    keys += [f"command-{name}" for names in BY_ROLE.values() for name in names]
    keys += [f"bank-filter-{option.value}" for option in BankFilter]
    keys += [f"tz-{zone.replace('/', '-')}" for zone in RUSSIAN_ZONES]
    keys += [f"language-{code}" for code in LANGUAGES]
    keys += list(CODE_PROBLEMS.values())
    # questionnaires: the stage of a before/after response, in lists and in the export
    keys += [f"survey-phase-{phase.value}" for phase in (Phase.BEFORE, Phase.AFTER)]
    keys += [f"survey-xlsx-phase-{phase.value}" for phase in Phase]
    # deadline reminders: each kind at each stage
    kinds = ("programme", "mentor", "mentor-pending")
    keys += [f"reminder-{kind}-{stage}" for kind in kinds for stage in STAGES]
    # deadlines (bot/jobs/deadlines.py): each step of the kinds whose key names the step
    for kind in (deadlines.ACTIVITY, deadlines.ROADMAP, deadlines.SURVEY):
        keys += [f"deadline-{kind}-{step}" for step, _ in deadlines.STEPS[kind].steps]
    keys += [f"deadline-year-{step}" for step, *_ in deadlines.YEAR_PROMPTS]
    # the term's end told to the head when there is no curator (bot/jobs/deadlines.py)
    keys += [f"{key}-head" for key in ("deadline-term-end", "deadline-term-end-again")]
    keys += [f"deadline-stage-{code}" for code in (*roadmap.STAGES, *roadmap.RETIRED_STAGES)]
    keys += [f"roadmap-template-{code}" for code in roadmap.STAGES]
    keys += [f"roadmap-stage-{state}" for state in roadmap.STATES]
    # pairs: forms, states, history and the reasons of the lifecycle
    keys += [f"pair-form-{form}" for form in rules.FORMS]
    keys += [f"pair-status-{status.value}" for status in PairStatus]
    keys += [f"pair-programme-{status.value}" for status in ProgrammeStatus]
    keys += [f"pair-event-{kind}" for kind in lifecycle.EVENT_KINDS]
    keys += [
        f"pair-reason-{reason}"
        for reason in (
            *rules.EXTENSION_REASONS,
            *rules.REPLACEMENT_REASONS,
            *rules.EARLY_END_REASONS,
            lifecycle.COMPLETION_REASON,
        )
    ]
    # programmes and meetings: fields, what a programme lacks, history, evidence, formats
    keys += [f"programme-field-{field.replace('_', '-')}" for field in programmes.FIELDS]
    parts = (*programmes.FIELDS, "activities")
    keys += [f"programme-missing-{part.replace('_', '-')}" for part in parts]
    keys += [f"pair-event-{kind}" for kind in programmes.EVENT_KINDS]
    keys += [f"plan-evidence-{kind}" for kind in programmes.EVIDENCE_KINDS]
    keys += [f"meeting-format-{code}" for code in meetings.FORMATS]
    # final reports: the criteria of the mentor's evaluation, the marks, whose report
    keys += [f"final-report-criterion-{code}" for code in final_reports.EVALUATION_CRITERIA]
    for mark in final_reports.FULFILMENT_MARKS:
        keys += [f"final-report-mark-{mark}", f"final-report-mark-button-{mark}"]
    for role in (final_reports.MENTOR, final_reports.MENTEE):
        keys += [f"final-report-role-{role}", f"final-report-title-{role}"]
        keys += [f"final-report-invite-{role}"]
    return keys


@cache
def strings_in_code() -> tuple[frozenset[str], frozenset[str]]:
    """Every string literal of the code, and the literal starts of its f-strings: a key may be
    named anywhere (a widget, a dict of labels), not only in a translation call."""
    literals: set[str] = set()
    starts: set[str] = set()
    for path in python_files():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                literals.add(node.value)
            elif isinstance(node, ast.JoinedStr) and node.values:
                first = node.values[0]
                if isinstance(first, ast.Constant) and str(first.value):
                    starts.add(str(first.value))
    starts |= {text for text in literals if text.endswith("-")}  # "prefix-" + code
    return frozenset(literals), frozenset(starts)


@pytest.mark.parametrize("locale", LANGUAGES)
def test_no_message_is_left_unused(locale: str) -> None:
    """A text nothing shows any more is dead weight that translators keep in step for nothing."""
    literals, starts = strings_in_code()
    included = set()
    for message in messages(locale).values():
        references = References()
        references.visit(message)
        included |= references.messages
    used = literals | included | set(enumerated_keys())
    unused = [
        key
        for key in sorted(messages(locale))
        if key not in used and not any(key.startswith(start) for start in starts)
    ]
    assert unused == []


@pytest.mark.parametrize("locale", LANGUAGES)
def test_enumerated_keys_exist(locale: str) -> None:
    assert sorted(set(enumerated_keys()) - set(messages(locale))) == []


# --- rendering --------------------------------------------------------------------------------


@pytest.fixture
async def core() -> AsyncIterator[FluentRuntimeCore]:
    core = FluentCore(LOCALES_DIR / "{locale}")  # the app's, which keeps formatted texts
    await core.startup()
    yield core
    await core.shutdown()


@pytest.mark.parametrize("locale", LANGUAGES)
def test_every_message_renders(core: FluentRuntimeCore, locale: str) -> None:
    failures = []
    for key in sorted(messages(locale)):
        arguments = dict.fromkeys(variables(locale, key), 2)
        try:
            text = core.get(key, locale, **arguments)
        except Exception as error:
            failures.append(f"{key}: {error!r}")
            continue
        if not text.strip():
            failures.append(f"{key}: renders empty")
    assert failures == []


@pytest.mark.parametrize(
    ("locale", "count", "expected"),
    [
        ("ru", 1, "1 человек"),
        ("ru", 2, "2 человека"),
        ("ru", 3, "3 человека"),
        ("ru", 4, "4 человека"),
        ("ru", 5, "5 человек"),
        ("ru", 11, "11 человек"),
        ("ru", 21, "21 человек"),
        ("ru", 22, "22 человека"),
        ("en", 1, "1 person"),
        ("en", 2, "2 people"),
        ("en", 5, "5 people"),
    ],
)
def test_invite_uses_plural(
    core: FluentRuntimeCore, locale: str, count: int, expected: str
) -> None:
    assert core.get("invite-uses", locale, count=count) == expected


def test_kept_texts_never_mix_languages_or_arguments(core: FluentRuntimeCore) -> None:
    for _ in range(2):  # the second round comes from what was kept
        assert core.get("invite-uses", "ru", count=1) == "1 человек"
        assert core.get("invite-uses", "ru", count=2) == "2 человека"
        assert core.get("invite-uses", "en", count=2) == "2 people"
        assert core.get("invite-uses", "ru", count="2") == "2 человек"  # a str is not plural
