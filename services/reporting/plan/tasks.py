"""A plan's tasks (section II: nhiệm vụ và giải pháp), who carries them out (section IV: tổ
chức thực hiện), and where the 2025 reform moved an agency's part. Contributions report
against these, and the province's document follows their order."""

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StrictBool

from services.reporting.agency.kinds import AgencyKind

Text = Annotated[str, Field(min_length=1, max_length=2000)]
TaskCode = Annotated[str, Field(pattern=r"^\d{1,2}$", description="The task group's number")]


class TaskItem(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: str = Field(pattern=r"^[a-zđ]$", description="The sub-item's letter: a, b, c...")
    text_vi: Text


class PlanTask(BaseModel):
    """A numbered task group of section II, with its lettered sub-items."""

    model_config = ConfigDict(extra="forbid")

    code: TaskCode
    title_vi: str = Field(min_length=1, max_length=500)
    items: list[TaskItem] = Field(default_factory=list, max_length=30)


class Responsibility(BaseModel):
    """A numbered entry of section IV: one agency, or a class of them (`group`)."""

    model_config = ConfigDict(extra="forbid")

    code: str = Field(pattern=r"^[IVX]+\.\d{1,2}$", description="e.g. IV.1")
    agency_vi: str = Field(min_length=1, max_length=300)
    kind: AgencyKind
    lead: StrictBool = Field(description="The lead department, which compiles the report")
    group: StrictBool = Field(description="Names a class of agencies, not one agency")
    duties_vi: list[Text] = Field(max_length=20)
    tasks: list[TaskCode] = Field(
        max_length=20, description="The task groups of section II its duties serve"
    )
    note_vi: str | None = Field(default=None, max_length=1000)


class Successor(BaseModel):
    model_config = ConfigDict(extra="forbid")

    agency_vi: str = Field(min_length=1, max_length=300)
    kind: AgencyKind
    group: StrictBool


class ReformChange(BaseModel):
    """Who carries a responsibility now that its agency is gone or changed (2025 reform)."""

    model_config = ConfigDict(extra="forbid")

    responsibility: str = Field(max_length=10, description="The section IV entry's code")
    now: list[Successor] = Field(min_length=1, max_length=10)
    note_vi: str = Field(min_length=1, max_length=1000)
    source_vi: str = Field(min_length=1, max_length=500, description="The legal source")


class PlanStructure(BaseModel):
    """The part of a plan that says what is done and by whom; consistent within itself."""

    tasks: list[PlanTask] = Field(default_factory=list, max_length=30)
    responsibilities: list[Responsibility] = Field(default_factory=list, max_length=40)
    reform: list[ReformChange] = Field(default_factory=list, max_length=40)

    def problems(self) -> list[str]:
        found = []
        tasks = [t.code for t in self.tasks]
        codes = [r.code for r in self.responsibilities]
        for name, values in (("task", tasks), ("responsibility", codes)):
            if len(set(values)) != len(values):
                found.append(f"{name} codes must be unique")
        for task in self.tasks:
            letters = [i.code for i in task.items]
            if len(set(letters)) != len(letters):
                found.append(f"task {task.code} repeats an item letter")
        for entry in self.responsibilities:
            if unknown := sorted(set(entry.tasks) - set(tasks)):
                found.append(f"{entry.code} names tasks the plan does not have: {unknown}")
        if sum(r.lead for r in self.responsibilities) > 1:
            found.append("a plan has one lead department")
        for change in self.reform:
            if change.responsibility not in codes:
                found.append(f"reform names {change.responsibility}, not in responsibilities")
        return found
