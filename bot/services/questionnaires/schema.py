"""What a questionnaire file may say: the pydantic schema of questionnaires/*.yaml.

Question and option ids go into callback data (64 bytes) and are the keys answers are stored
under, so they are short, lower-case and must stay the same from one version to the next.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

QUESTION_ID = r"^[a-z][a-z0-9_]{0,23}$"
OPTION_ID = r"^[a-z][a-z0-9_]{0,15}$"
BUTTON_TEXT = 60  # longer labels get cut on a phone's inline button
TEXT_LIMIT = 4000
OTHER = "other"  # the option id of a typed-in "other" answer
YES, NO = "yes", "no"


class QuestionType(StrEnum):
    SINGLE = "single"
    MULTI = "multi"
    SCALE = "scale"
    YES_NO = "yes_no"
    NUMBER = "number"
    DATE = "date"
    TEXT = "text"


class Purpose(StrEnum):
    DIAGNOSTICS = "diagnostics"  # a mentee's entry diagnostics
    CANDIDATES = "candidates"  # the mentor candidates' questionnaire
    IMPACT = "impact"  # monitoring stage 2: asked before and after the programme
    QUALITY = "quality"  # monitoring stage 1: the programme's quality, feeds the SWOT
    CURATOR = "curator"


class Swot(StrEnum):
    STRENGTHS = "strengths"
    WEAKNESSES = "weaknesses"
    OPPORTUNITIES = "opportunities"
    THREATS = "threats"


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class LocalText(Strict):
    """A text in both languages of the bot."""

    ru: str = Field(min_length=1, max_length=TEXT_LIMIT)
    en: str = Field(min_length=1, max_length=TEXT_LIMIT)

    def get(self, locale: str) -> str:
        return self.en if locale == "en" else self.ru


class ButtonText(LocalText):
    ru: str = Field(min_length=1, max_length=BUTTON_TEXT)
    en: str = Field(min_length=1, max_length=BUTTON_TEXT)


class Option(Strict):
    id: str = Field(pattern=OPTION_ID)
    text: ButtonText

    @field_validator("id")
    @classmethod
    def not_reserved(cls, value: str) -> str:
        if value == OTHER:
            raise ValueError('"other" is reserved: use `other: true` on the question')
        return value


class ShowIf(Strict):
    """Show a question only when an earlier answer has one of these values."""

    question: str = Field(pattern=QUESTION_ID)
    equals: list[str] = Field(min_length=1)

    @field_validator("equals", mode="before")
    @classmethod
    def as_list(cls, value: Any) -> Any:
        # YAML 1.1 reads an unquoted yes/no as a boolean: take it as the yes_no option it meant.
        values = value if isinstance(value, list) else [value]
        return [
            {True: YES, False: NO}.get(item, item) if isinstance(item, bool) else item
            for item in values
        ]


class QuestionBase(Strict):
    id: str = Field(pattern=QUESTION_ID)
    text: LocalText
    short: ButtonText | None = None  # a short label for summaries, tables and charts
    hint: LocalText | None = None
    optional: bool = False
    show_if: ShowIf | None = None

    def label(self, locale: str) -> str:
        return (self.short or self.text).get(locale)


class SingleQuestion(QuestionBase):
    type: Literal[QuestionType.SINGLE]
    options: list[Option] = Field(min_length=2, max_length=20)
    other: bool = False


class MultiQuestion(QuestionBase):
    type: Literal[QuestionType.MULTI]
    options: list[Option] = Field(min_length=2, max_length=20)
    other: bool = False


class ScaleLabels(Strict):
    low: LocalText
    high: LocalText


class ScaleQuestion(QuestionBase):
    type: Literal[QuestionType.SCALE]
    min: Literal[1] = 1
    max: Literal[5, 10]
    labels: ScaleLabels


class YesNoQuestion(QuestionBase):
    type: Literal[QuestionType.YES_NO]


class NumberQuestion(QuestionBase):
    type: Literal[QuestionType.NUMBER]
    min: float
    max: float
    integer: bool = True

    @model_validator(mode="after")
    def bounds_in_order(self) -> NumberQuestion:
        if self.min >= self.max:
            raise ValueError("min must be less than max")
        return self


class DateQuestion(QuestionBase):
    type: Literal[QuestionType.DATE]
    when: Literal["any", "past", "future"] = "any"  # past and future include today


class TextQuestion(QuestionBase):
    type: Literal[QuestionType.TEXT]
    max_length: int = Field(default=1000, ge=10, le=TEXT_LIMIT)
    swot: Swot | None = None  # an open question whose answers go to this quadrant


Question = Annotated[
    SingleQuestion
    | MultiQuestion
    | ScaleQuestion
    | YesNoQuestion
    | NumberQuestion
    | DateQuestion
    | TextQuestion,
    Field(discriminator="type"),
]
ChoiceQuestion = SingleQuestion | MultiQuestion
NumericQuestion = ScaleQuestion | NumberQuestion


def option_ids(question: Question) -> list[str]:
    """The values a choice question stores (with "other" when it may be typed in)."""
    if isinstance(question, YesNoQuestion):
        return [YES, NO]
    if isinstance(question, SingleQuestion | MultiQuestion):
        return [option.id for option in question.options] + ([OTHER] if question.other else [])
    return []


class Questionnaire(Strict):
    id: str = Field(pattern=QUESTION_ID)
    version: int = Field(ge=1)
    purpose: Purpose
    title: ButtonText
    intro: LocalText | None = None
    # Named questionnaires show the curator who answered what; anonymous ones never do.
    anonymous: bool
    questions: list[Question] = Field(min_length=1, max_length=40)

    def question(self, question_id: str) -> Question | None:
        for question in self.questions:
            if question.id == question_id:
                return question
        return None

    @property
    def ids(self) -> list[str]:
        return [question.id for question in self.questions]


def semantic_problems(questionnaire: Questionnaire) -> list[tuple[tuple[str | int, ...], str]]:
    """Rules across questions, with where each problem is: (location in the file, message)."""
    problems: list[tuple[tuple[str | int, ...], str]] = []
    seen: dict[str, Question] = {}
    for index, question in enumerate(questionnaire.questions):
        where: tuple[str | int, ...] = ("questions", index)
        if question.id in seen:
            problems.append(((*where, "id"), f"question id {question.id!r} is used twice"))
        if isinstance(question, SingleQuestion | MultiQuestion):
            ids = [option.id for option in question.options]
            for twice in sorted({i for i in ids if ids.count(i) > 1}):
                problems.append(((*where, "options"), f"option id {twice!r} is used twice"))
        condition = question.show_if
        if condition is not None:
            target = seen.get(condition.question)
            if target is None:
                problems.append(
                    (
                        (*where, "show_if", "question"),
                        f"show_if must name an earlier question, not {condition.question!r}",
                    )
                )
            elif not option_ids(target):
                problems.append(
                    (
                        (*where, "show_if", "question"),
                        "show_if must name a single, multiple choice or yes/no question",
                    )
                )
            else:
                unknown = [value for value in condition.equals if value not in option_ids(target)]
                if unknown:
                    problems.append(
                        (
                            (*where, "show_if", "equals"),
                            f"{condition.question!r} has no option {', '.join(unknown)}",
                        )
                    )
        seen.setdefault(question.id, question)
    if questionnaire.purpose is Purpose.IMPACT and not any(
        isinstance(question, ScaleQuestion) for question in questionnaire.questions
    ):
        problems.append((("questions",), "an impact questionnaire needs scale questions"))
    return problems
