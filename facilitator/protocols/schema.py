"""The shape of a protocol file, validated strictly: unknown keys are errors, not ignored."""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

Key = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_-]{0,47}$")]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4000)]


class FieldType(StrEnum):
    TEXT = "text"
    SHORTTEXT = "shorttext"
    CHOICE = "choice"
    CHECKLIST = "checklist"
    RATING = "rating"
    ATTENDANCE = "attendance"
    FINDINGS = "findings"
    ACTIONS = "actions"
    REGIEVOERDER = "regievoerder"
    REVIEW_ACTIONS = "review_actions"
    CONSENT_CHECK = "consent_check"
    BUILDING_BLOCKS = "building_blocks"


#: Field types that hold free text and so pass through the personal-data guard.
FREE_TEXT_TYPES = {FieldType.TEXT, FieldType.SHORTTEXT}


#: Field types about one case: they make no sense in a step that is held once per meeting.
CASE_ONLY_TYPES = {"regievoerder", "consent_check"}


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Prompt(Strict):
    text: Text
    #: Who the question is addressed to, if anyone in particular.
    to: Literal["inbrenger", "deelnemers", "procesbegeleider"] | None = None


class StepField(Strict):
    key: Key
    type: FieldType
    label: Text
    help: str = ""
    required: bool = False
    #: The options of a choice or checklist field.
    options: list[Text] = Field(default_factory=list)

    @model_validator(mode="after")
    def _options_fit_the_type(self) -> StepField:
        needs_options = self.type in (FieldType.CHOICE, FieldType.CHECKLIST)
        if needs_options and len(self.options) < 2:
            raise ValueError("a choice or checklist field needs at least two options")
        if not needs_options and self.options:
            raise ValueError(f"a {self.type.value} field takes no options")
        return self


class Step(Strict):
    key: Key
    title: Text
    #: "meeting": once; "case": repeated for every case on the agenda.
    scope: Literal["meeting", "case"]
    minutes: int = Field(ge=1, le=240)
    guidance: Text
    prompts: list[Prompt] = Field(default_factory=list)
    fields: list[StepField] = Field(default_factory=list)
    #: Questions put to the candidate (the client) in a case step, shown on the facilitation
    #: screen only when the candidate is recorded present for that case.
    to_candidate: list[Text] = Field(default_factory=list, max_length=12)

    @property
    def reviews_actions(self) -> bool:
        return any(f.type == FieldType.REVIEW_ACTIONS for f in self.fields)

    @model_validator(mode="after")
    def _fields_fit_the_step(self) -> Step:
        keys = [f.key for f in self.fields]
        duplicates = sorted({k for k in keys if keys.count(k) > 1})
        if duplicates:
            raise ValueError(f"field keys used twice: {', '.join(duplicates)}")
        if self.scope == "meeting":
            per_case = sorted({f.type.value for f in self.fields} & CASE_ONLY_TYPES)
            if per_case:
                raise ValueError(f"{', '.join(per_case)} fields belong in a case step")
            if self.to_candidate:
                raise ValueError("to_candidate questions belong in a case step")
        return self


class PreparationQuestion(Strict):
    """A question of the handreiking: answered by the inbrenger before the meeting."""

    key: Key
    question: Text
    help: Annotated[str, StringConstraints(strip_whitespace=True, max_length=1000)] = ""
    #: The preparation of a case counts as done once every required question is answered.
    required: bool = False


#: The most questions a handreiking may ask: it is read before a meeting, not filled in as one.
MAX_PREPARATION = 12


class Protocol(Strict):
    id: Key
    version: Annotated[str, StringConstraints(pattern=r"^\d+(\.\d+){0,2}$")]
    title: Text
    summary: Text
    source: Text
    duration_minutes: int = Field(ge=5, le=480)
    steps: list[Step] = Field(min_length=1)
    #: The handreiking: what the one who brings a case answers before the meeting. The answers
    #: are shown in the case's first step, its presentation (facilitator.preparation).
    preparation: list[PreparationQuestion] = Field(default_factory=list, max_length=MAX_PREPARATION)

    @model_validator(mode="after")
    def _preparation_keys_are_unique(self) -> Protocol:
        keys = [q.key for q in self.preparation]
        duplicates = sorted({k for k in keys if keys.count(k) > 1})
        if duplicates:
            raise ValueError(f"preparation keys used twice: {', '.join(duplicates)}")
        return self

    @model_validator(mode="after")
    def _steps_are_consistent(self) -> Protocol:
        keys = [s.key for s in self.steps]
        duplicates = sorted({k for k in keys if keys.count(k) > 1})
        if duplicates:
            raise ValueError(f"step keys used twice: {', '.join(duplicates)}")
        scopes = "".join("c" if s.scope == "case" else "m" for s in self.steps)
        if not re.fullmatch(r"m*c*m*", scopes):
            raise ValueError(
                "the case steps must follow each other, between opening and closing steps"
            )
        return self

    @property
    def opening_steps(self) -> list[Step]:
        return self._meeting_steps(before_cases=True)

    @property
    def case_steps(self) -> list[Step]:
        return [s for s in self.steps if s.scope == "case"]

    @property
    def presentation_step(self) -> Step | None:
        """The step in which a case is presented: the first case step, where the preparation
        answers are shown beside the fields."""
        return next(iter(self.case_steps), None)

    @property
    def closing_steps(self) -> list[Step]:
        return self._meeting_steps(before_cases=False)

    def _meeting_steps(self, *, before_cases: bool) -> list[Step]:
        first_case = next((i for i, s in enumerate(self.steps) if s.scope == "case"), None)
        if first_case is None:
            return list(self.steps) if before_cases else []
        part = self.steps[:first_case] if before_cases else self.steps[first_case:]
        return [s for s in part if s.scope == "meeting"]

    def minutes_per_case(self) -> int:
        return sum(s.minutes for s in self.case_steps)

    def fixed_minutes(self) -> int:
        return sum(s.minutes for s in self.steps if s.scope == "meeting")

    @property
    def reviews_per_case(self) -> bool:
        """Whether a case step reviews the open actions of its case."""
        return any(step.reviews_actions for step in self.case_steps)

    @property
    def reviews_group(self) -> bool:
        """Whether a meeting step reviews the open actions of the group."""
        return any(step.reviews_actions for step in self.steps if step.scope == "meeting")


class MeetingProtocol(Protocol):
    """A protocol as a meeting runs it: with a review of the open actions for the group, added
    by the application when the file has none (:mod:`facilitator.protocols.review`)."""

    #: The key of the step the application added for that review; "" when the file has one.
    added_review: str = ""
