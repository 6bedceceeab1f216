import pytest

from trygg.accounts.models import AuditEvent
from trygg.plans.actions import PlanError, do_set_activity_status, do_update_follow_up
from trygg.plans.models import ActivityStatus, StatusChange

from .builders import build_plan

pytestmark = pytest.mark.django_db


def test_status_change_records_who_when_old_and_new(personas):
    plan, follow_up = build_plan(areas=1, activities=1, with_statuses=False)
    activity = plan.areas.get().interventions.get().activities.get()
    user = personas["coordinator"]
    do_set_activity_status(activity, follow_up, "ongoing", "Första", acting_user=user)
    do_set_activity_status(activity, follow_up, "done", "Klart", acting_user=user)

    latest, first = StatusChange.objects.filter(activity=activity)
    assert (first.old_status, first.new_status, first.new_comment) == ("", "ongoing", "Första")
    assert (latest.old_status, latest.new_status) == ("ongoing", "done")
    assert (latest.old_comment, latest.new_comment) == ("Första", "Klart")
    assert latest.changed_by == user and latest.changed_at is not None
    assert ActivityStatus.objects.get(activity=activity).status == "done"


def test_unchanged_values_write_no_history(personas):
    plan, follow_up = build_plan(areas=1, activities=1, with_statuses=False)
    activity = plan.areas.get().interventions.get().activities.get()
    do_set_activity_status(activity, follow_up, "ongoing", "Text", acting_user=personas["coordinator"])
    do_set_activity_status(activity, follow_up, "ongoing", "Text\r\n", acting_user=personas["coordinator"])
    assert StatusChange.objects.filter(activity=activity).count() == 1


def test_invalid_status_changes_nothing(personas):
    plan, follow_up = build_plan(areas=1, activities=1)
    activity = plan.areas.get().interventions.get().activities.get()
    before = list(ActivityStatus.objects.values_list("status", "comment"))
    history = StatusChange.objects.count()
    with pytest.raises(PlanError, match="Okänd status"):
        do_set_activity_status(activity, follow_up, "finished", "Ny", acting_user=personas["coordinator"])
    assert list(ActivityStatus.objects.values_list("status", "comment")) == before
    assert StatusChange.objects.count() == history


def test_activity_of_another_plan_is_refused(personas):
    plan, _ = build_plan(slug="a", areas=1, activities=1)
    _, other_follow_up = build_plan(slug="b", areas=1, activities=1)
    activity = plan.areas.get().interventions.get().activities.get()
    with pytest.raises(PlanError, match="hör inte till"):
        do_set_activity_status(activity, other_follow_up, "done", "", acting_user=personas["coordinator"])


def test_script_in_comment_is_stored_verbatim(personas):
    plan, follow_up = build_plan(areas=1, activities=1, with_statuses=False)
    activity = plan.areas.get().interventions.get().activities.get()
    text = '<script>alert("x")</script> <img src=x onerror=alert(1)>'
    do_set_activity_status(activity, follow_up, "done", text, acting_user=personas["coordinator"])
    assert ActivityStatus.objects.get(activity=activity).comment == text


def test_follow_up_text_update_is_audited(personas):
    _, follow_up = build_plan(areas=1, activities=1)
    written = do_update_follow_up(
        follow_up,
        {"summary": "Ny sammanfattning", "recipient": follow_up.recipient},
        acting_user=personas["coordinator"],
    )
    assert list(written.changes) == ["summary"]
    event = AuditEvent.objects.get(object_type="plans.followup", object_id=str(follow_up.pk))
    assert event.actor == personas["coordinator"]
    assert event.changes == {"summary": ["", "Ny sammanfattning"]}
