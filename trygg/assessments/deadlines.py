"""The law's deadlines as plain functions (no database): what each duty of lag (2023:196) requires by a given
day, and whether it is met (green), coming up or not yet done (due), or late (overdue).

Rules (docs/assessments.md says why):
- 4 § and 6 §: a lägesbild (kartläggning) at least every second year; the first by 1 July 2024.
- 5 §: an åtgärdsplan decided from the lägesbild; the first by 1 July 2024. A plan decided before the latest
  lägesbild is due for a new decision.
- 6 §: the åtgärdsplan followed up at least every second year (counted from the decision or the last
  follow-up, whichever is later).
- 13 §: kommunstyrelsen reports to fullmäktige. The law sets no interval; Trygg expects a report within
  three months of each plan decision and follow-up, and at least every second year.
- 8–10 §: agreements (samverkansöverenskommelser) and a strategic council: the municipality shall work for
  them, so a missing one is "due", never "overdue"; an agreement past its revision date is overdue.
- 11–12 §: a samordningsfunktion, required since 1 July 2023.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

LAW_IN_FORCE = dt.date(2023, 7, 1)
FIRST_DEADLINE = dt.date(2024, 7, 1)  # the first lägesbild and åtgärdsplan
CYCLE_YEARS = 2
WARN = dt.timedelta(days=90)  # "due" this long before a deadline
REPORT_WITHIN = dt.timedelta(days=90)  # report to fullmäktige after a decision or follow-up
COUNCIL_MEETS_WITHIN = dt.timedelta(days=365)


class State(StrEnum):
    OK = "ok"
    DUE = "due"
    OVERDUE = "overdue"

    @property
    def label(self) -> str:
        return {"ok": "Uppfyllt", "due": "Ska göras", "overdue": "Försenat"}[self.value]


@dataclass(frozen=True)
class Facts:
    """What the municipality has recorded, as of today."""

    lagesbild_on: dt.date | None = None
    plan_decided_on: dt.date | None = None
    plan_decided_by: str = ""
    last_follow_up_on: dt.date | None = None
    last_council_report_on: dt.date | None = None
    agreements_in_force: int = 0
    next_agreement_revision: dt.date | None = None
    strategic_council: str = ""
    council_last_meeting: dt.date | None = None
    coordination_function: str = ""


@dataclass(frozen=True)
class Duty:
    key: str
    paragraph: str  # "4 och 6 §"
    title: str
    state: State
    evidence: str  # Swedish: what Trygg found
    due: dt.date | None = None  # the next deadline, when there is one


def add_years(day: dt.date, years: int) -> dt.date:
    """The same day `years` later (29 February becomes 28 February)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def _by(due: dt.date, today: dt.date) -> State:
    if today > due:
        return State.OVERDUE
    return State.DUE if today >= due - WARN else State.OK


def _d(day: dt.date | None) -> str:
    return f"{day:%Y-%m-%d}" if day else "–"


def lagesbild(facts: Facts, today: dt.date) -> Duty:
    if facts.lagesbild_on is None:
        state = State.OVERDUE if today > FIRST_DEADLINE else State.DUE
        return Duty("lagesbild", "4 och 6 §", "Lägesbild (kartläggning)", state, "Ingen fastställd lägesbild.",
                    FIRST_DEADLINE)  # fmt: skip
    due = add_years(facts.lagesbild_on, CYCLE_YEARS)
    return Duty(
        "lagesbild",
        "4 och 6 §",
        "Lägesbild (kartläggning)",
        _by(due, today),
        f"Senaste lägesbild fastställd {_d(facts.lagesbild_on)}; ska förnyas senast {_d(due)}.",
        due,
    )


def action_plan(facts: Facts, today: dt.date) -> Duty:
    title = "Åtgärdsplan beslutad"
    if facts.plan_decided_on is None:
        state = State.OVERDUE if today > FIRST_DEADLINE else State.DUE
        return Duty("atgardsplan", "5 §", title, state, "Ingen beslutad åtgärdsplan.", FIRST_DEADLINE)
    by = f" av {facts.plan_decided_by}" if facts.plan_decided_by else ""
    if facts.lagesbild_on and facts.plan_decided_on < facts.lagesbild_on:
        return Duty(
            "atgardsplan",
            "5 §",
            title,
            State.DUE,
            f"Åtgärdsplanen beslutades {_d(facts.plan_decided_on)}{by}, före den senaste lägesbilden "
            f"({_d(facts.lagesbild_on)}): besluta en ny plan utifrån den.",
        )
    return Duty("atgardsplan", "5 §", title, State.OK, f"Beslutad {_d(facts.plan_decided_on)}{by}.")


def follow_up(facts: Facts, today: dt.date) -> Duty:
    title = "Uppföljning av åtgärdsplanen"
    if facts.plan_decided_on is None:
        return Duty("uppfoljning", "6 §", title, State.DUE, "Ingen beslutad åtgärdsplan att följa upp ännu.")
    base = max(d for d in (facts.plan_decided_on, facts.last_follow_up_on) if d is not None)
    due = add_years(base, CYCLE_YEARS)
    last = (
        f"Senaste uppföljning {_d(facts.last_follow_up_on)}"
        if facts.last_follow_up_on and facts.last_follow_up_on >= facts.plan_decided_on
        else f"Ingen uppföljning sedan beslutet {_d(facts.plan_decided_on)}"
    )
    return Duty("uppfoljning", "6 §", title, _by(due, today), f"{last}; nästa senast {_d(due)}.", due)


def council_report(facts: Facts, today: dt.date) -> Duty:
    title = "Rapport till fullmäktige"
    events = [d for d in (facts.plan_decided_on, facts.last_follow_up_on) if d is not None and d <= today]
    latest = max(events) if events else None
    report = facts.last_council_report_on
    if latest is None:
        return Duty(
            "rapport", "13 §", title, State.DUE, "Inget beslut eller uppföljning att rapportera ännu."
        )
    if report is None or report < latest:
        due = latest + REPORT_WITHIN
        state = State.OVERDUE if today > due else State.DUE
        missing = f"Ingen rapport till fullmäktige efter {_d(latest)}"
        return Duty("rapport", "13 §", title, state, f"{missing}; ska rapporteras senast {_d(due)}.", due)
    due = add_years(report, CYCLE_YEARS)
    return Duty("rapport", "13 §", title, _by(due, today), f"Senast rapporterat {_d(report)}.", due)


def agreements(facts: Facts, today: dt.date) -> Duty:
    title = "Samverkansöverenskommelser"
    if not facts.agreements_in_force:
        return Duty("overenskommelser", "9 §", title, State.DUE, "Ingen överenskommelse gäller i dag.")
    revision = facts.next_agreement_revision
    text = f"{facts.agreements_in_force} gäller i dag"
    if revision is None:
        return Duty("overenskommelser", "9 §", title, State.OK, f"{text}.")
    return Duty("overenskommelser", "9 §", title, _by(revision, today), f"{text}; revideras senast {_d(revision)}.",
                revision)  # fmt: skip


def strategic_council(facts: Facts, today: dt.date) -> Duty:
    title = "Strategiskt råd"
    if not facts.strategic_council:
        return Duty("rad", "10 §", title, State.DUE, "Inget strategiskt råd registrerat.")
    last = facts.council_last_meeting
    if last is None or today - last > COUNCIL_MEETS_WITHIN:
        return Duty("rad", "10 §", title, State.DUE,
                    f"{facts.strategic_council}: inget möte det senaste året (senast {_d(last)}).")  # fmt: skip
    return Duty("rad", "10 §", title, State.OK, f"{facts.strategic_council}: senaste möte {_d(last)}.")


def coordination(facts: Facts, today: dt.date) -> Duty:
    title = "Samordningsfunktion"
    if facts.coordination_function:
        return Duty("samordning", "11–12 §", title, State.OK, facts.coordination_function)
    state = State.OVERDUE if today >= LAW_IN_FORCE else State.DUE
    return Duty("samordning", "11–12 §", title, state, "Ingen samordningsfunktion med kontaktuppgifter.")


def checklist(facts: Facts, today: dt.date) -> list[Duty]:
    """Every duty of the law in the order of the law."""
    return [
        lagesbild(facts, today),
        action_plan(facts, today),
        follow_up(facts, today),
        agreements(facts, today),
        strategic_council(facts, today),
        coordination(facts, today),
        council_report(facts, today),
    ]


def overdue(facts: Facts, today: dt.date) -> list[Duty]:
    return [d for d in checklist(facts, today) if d.state is State.OVERDUE]


@dataclass(frozen=True)
class Milestone:
    date: dt.date
    text: str
    done: bool  # a recorded event (True) or a deadline to come or missed (False)
    state: State | None = None


def wheel(facts: Facts, today: dt.date, events: list[tuple[dt.date, str]] = ()) -> list[Milestone]:
    """The årshjul as a timeline: recorded events (lägesbild, decision, follow-up, reports, meetings …) and
    the deadlines that follow from them, in date order."""
    items = [Milestone(day, text, True) for day, text in events]
    for duty in checklist(facts, today):
        if duty.due is not None:
            items.append(Milestone(duty.due, f"{duty.title} ({duty.paragraph}) senast", False, duty.state))
    return sorted(items, key=lambda m: (m.date, m.done is False))
