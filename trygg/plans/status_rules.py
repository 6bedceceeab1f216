"""The six activity statuses and the rules that relate them to dates. Plain Python, no database.

Rules (from the reference report's legend):
- an activity whose planned start lies after the follow-up date has not started (`not_started`);
- an activity past its planned end that is not finished is `delayed`.
The edit form warns, it does not block, when a chosen status contradicts the dates.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class Status(StrEnum):
    NOT_STARTED = "not_started"
    ONGOING = "ongoing"
    ONGOING_DEVIATION = "ongoing_deviation"
    DONE = "done"
    DONE_DEVIATION = "done_deviation"
    DELAYED = "delayed"


LABELS: dict[Status, str] = {
    Status.NOT_STARTED: "Ej påbörjad",
    Status.ONGOING: "Pågående",
    Status.ONGOING_DEVIATION: "Pågående med avvikelse",
    Status.DONE: "Avslutat",
    Status.DONE_DEVIATION: "Avslutat med avvikelse",
    Status.DELAYED: "Försenat",
}

# The legend as the reference report words it (section 1 Inledning).
LEGEND: dict[Status, str] = {
    Status.NOT_STARTED: "Streck = Ej påbörjad (startdatum ligger längre fram i mandatperioden)",
    Status.ONGOING: "Pågående, grön = Arbete med genomförandet pågår",
    Status.ONGOING_DEVIATION: "Pågående, gul = Arbete med genomförandet pågår, med avvikelse",
    Status.DONE: "Avslutat, grön bock = Genomförandet klart enligt plan",
    Status.DONE_DEVIATION: "Avslutat, röd bock = Genomförandet avslutat med avvikelse",
    Status.DELAYED: (
        "Försenat, rött utropstecken = Genomförandet inte avslutat och har passerat planerat avslutningsdatum"
    ),
}

ORDER: tuple[Status, ...] = tuple(Status)
FINISHED = frozenset({Status.DONE, Status.DONE_DEVIATION})


def parse_status(value: str) -> Status:
    """Return the Status for a code; raise ValueError with a Swedish message for anything else."""
    try:
        return Status(value)
    except ValueError:
        allowed = ", ".join(s.value for s in Status)
        raise ValueError(f"Okänd status ”{value}”. Tillåtna värden: {allowed}.") from None


def derived_status(
    planned_start: date | None, planned_end: date | None, on: date, reported: Status | None = None
) -> Status | None:
    """The status the dates imply on `on`, given what was reported (None when the dates imply nothing).

    A finished activity stays finished. Otherwise a start after `on` means not started, and an end
    before `on` means delayed.
    """
    if reported in FINISHED:
        return reported
    if planned_start is not None and planned_start > on:
        return Status.NOT_STARTED
    if planned_end is not None and planned_end < on:
        return Status.DELAYED
    return None


def date_warnings(
    status: Status, planned_start: date | None, planned_end: date | None, on: date
) -> list[str]:
    """Swedish warnings when `status` contradicts the planned dates on `on` (empty list when consistent)."""
    warnings: list[str] = []
    started = planned_start is None or planned_start <= on
    if not started and status is not Status.NOT_STARTED:
        warnings.append(
            f"Planerad start är {planned_start:%Y-%m-%d}, efter uppföljningsdatumet {on:%Y-%m-%d}: "
            f"status brukar då vara ”{LABELS[Status.NOT_STARTED]}”."
        )
    if started and status is Status.NOT_STARTED and planned_start is not None:
        warnings.append(
            f"Planerad start ({planned_start:%Y-%m-%d}) har passerats men status är ”{LABELS[status]}”."
        )
    overdue = planned_end is not None and planned_end < on
    if overdue and status not in FINISHED and status is not Status.DELAYED:
        warnings.append(
            f"Planerat slut ({planned_end:%Y-%m-%d}) har passerats utan att aktiviteten är avslutad: "
            f"status bör vara ”{LABELS[Status.DELAYED]}”."
        )
    if status is Status.DELAYED and not overdue:
        warnings.append("Status ”Försenat” men planerat slutdatum har inte passerats.")
    return warnings


@dataclass(frozen=True)
class StatusCounts:
    counts: dict[Status, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def items(self) -> list[tuple[Status, int]]:
        return [(s, self.counts.get(s, 0)) for s in ORDER]


def count_statuses(statuses: Iterable[Status | str | None]) -> StatusCounts:
    """Counts per status in the legend's order; activities without a status are not counted."""
    counter = Counter(Status(s) for s in statuses if s)
    return StatusCounts({s: counter.get(s, 0) for s in ORDER})
