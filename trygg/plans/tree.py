"""Load a plan with one follow-up's statuses as a tree, in a constant number of queries.

Used by the overview page and the report builder, so both see the same data the same way.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .models import Activity, ActivityStatus, Area, FollowUp, Intervention, Plan
from .status_rules import StatusCounts, count_statuses


@dataclass
class ActivityNode:
    activity: Activity
    status: str  # "" when not reported in this follow-up
    comment: str
    number: str  # "4.1.1.3" style position, for display

    @property
    def units(self):
        return self.activity.units.all()  # prefetched


@dataclass
class InterventionNode:
    intervention: Intervention
    activities: list[ActivityNode] = field(default_factory=list)

    @property
    def counts(self) -> StatusCounts:
        return count_statuses(a.status for a in self.activities)


@dataclass
class AreaNode:
    area: Area
    interventions: list[InterventionNode] = field(default_factory=list)

    @property
    def activities(self) -> list[ActivityNode]:
        return [a for i in self.interventions for a in i.activities]

    @property
    def counts(self) -> StatusCounts:
        return count_statuses(a.status for a in self.activities)


@dataclass
class PlanTree:
    plan: Plan
    follow_up: FollowUp | None
    areas: list[AreaNode]

    @property
    def activities(self) -> list[ActivityNode]:
        return [a for area in self.areas for a in area.activities]

    @property
    def counts(self) -> StatusCounts:
        return count_statuses(a.status for a in self.activities)

    def filtered(
        self,
        *,
        status: str = "",
        unit_id: int | None = None,
        political: bool | None = None,
        unit_ids: set[int] | None = None,
        unreported: bool = False,
    ):
        """A copy holding only matching activities; areas and interventions left empty are dropped.

        unit_ids: keep activities of any of these units ("Mina aktiviteter"); unreported: keep activities
        without a status in this follow-up ("Ej rapporterade i år")."""

        def keep(node: ActivityNode) -> bool:
            if status and node.status != status:
                return False
            if unreported and node.status:
                return False
            if unit_id is not None and unit_id not in {u.pk for u in node.units}:
                return False
            if unit_ids is not None and not (unit_ids & {u.pk for u in node.units}):
                return False
            return political is None or node.activity.political_assignment == political

        areas = []
        for area in self.areas:
            interventions = [
                InterventionNode(i.intervention, [a for a in i.activities if keep(a)])
                for i in area.interventions
            ]
            interventions = [i for i in interventions if i.activities]
            if interventions:
                areas.append(AreaNode(area.area, interventions))
        return PlanTree(self.plan, self.follow_up, areas)


def load_plan_tree(plan: Plan, follow_up: FollowUp | None) -> PlanTree:
    """Five queries whatever the plan's size: areas, interventions, activities, their units, statuses."""
    areas = list(Area.objects.filter(plan=plan).order_by("number"))
    interventions = list(Intervention.objects.filter(area__plan=plan).order_by("area__number", "number"))
    activities = list(Activity.objects.for_plan(plan).prefetch_related("units").order_by("order", "pk"))
    statuses: dict[int, ActivityStatus] = {}
    if follow_up is not None:
        statuses = {s.activity_id: s for s in ActivityStatus.objects.filter(follow_up=follow_up)}

    area_nodes = {a.pk: AreaNode(a) for a in areas}
    intervention_nodes: dict[int, InterventionNode] = {}
    for intervention in interventions:
        node = InterventionNode(intervention)
        intervention_nodes[intervention.pk] = node
        area_nodes[intervention.area_id].interventions.append(node)
    for activity in activities:
        node = intervention_nodes[activity.intervention_id]
        area = area_nodes[node.intervention.area_id].area
        # Attach the already-loaded parents so templates and builders never query them again.
        node.intervention.area = area
        activity.intervention = node.intervention
        reported = statuses.get(activity.pk)
        node.activities.append(
            ActivityNode(
                activity=activity,
                status=reported.status if reported else "",
                comment=reported.comment if reported else "",
                number=f"{area.number}.{node.intervention.number}.{len(node.activities) + 1}",
            )
        )
    return PlanTree(plan, follow_up, list(area_nodes.values()))
