"""The one write path: cleaning, redaction, limits, true before/after audit, update_fields."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from trygg.accounts import writes
from trygg.accounts.models import AuditEvent, Organisation, Role, Unit
from trygg.conftest import make_user

PNR = "19811218-9876"


def events():
    """Audit rows of the test's own writes (loading a municipality fixture is audited too)."""
    return AuditEvent.objects.exclude(object_type="places.municipality")


@pytest.fixture
def actor(municipality):
    return make_user("samordnare", Role.COORDINATOR, municipality=municipality)


def test_create_redacts_cleans_and_audits_every_given_field(municipality, actor):
    written = writes.create(
        Unit, {"municipality": municipality, "name": f"Fältgruppen\u202e {PNR}\x00"}, acting_user=actor
    )
    unit = Unit.objects.get(pk=written.obj.pk)
    assert PNR not in unit.name and "\x00" not in unit.name and "\u202e" not in unit.name
    assert unit.name.startswith("Fältgruppen [borttaget: personnummer]")
    assert "personnummer" in written.explanation and written.created
    event = events().get()
    assert event.action == "unit.create" and event.actor == actor
    assert event.changes == {"municipality": [None, municipality.pk], "name": [None, unit.name]}


def test_update_records_the_stored_old_value_even_when_the_instance_was_changed_first(municipality, actor):
    unit = writes.create(Unit, {"municipality": municipality, "name": "Före"}, acting_user=actor).obj
    unit.name = "Ändrad av ett formulär"  # what ModelForm.is_valid() does to its instance
    written = writes.update(unit, {"name": "Efter"}, acting_user=actor)
    assert written.changes == {"name": ["Före", "Efter"]}
    assert events().filter(action="unit.update").get().changes == {"name": ["Före", "Efter"]}
    assert Unit.objects.get(pk=unit.pk).name == "Efter"


def test_an_unchanged_update_saves_and_audits_nothing(municipality, actor):
    unit = writes.create(Unit, {"municipality": municipality, "name": "Samma"}, acting_user=actor).obj
    with CaptureQueriesContext(connection) as queries:
        written = writes.update(unit, {"name": "Samma", "municipality": municipality}, acting_user=actor)
    assert written.changes == {}
    assert not [q for q in queries if q["sql"].upper().startswith(("UPDATE", "INSERT"))]
    assert events().count() == 1  # only the create


def test_update_saves_only_the_changed_columns(municipality, actor):
    organisation = Organisation.objects.create(name="Polisen")
    unit = writes.create(Unit, {"municipality": municipality, "name": "Enhet"}, acting_user=actor).obj
    with CaptureQueriesContext(connection) as queries:
        writes.update(unit, {"name": "Enhet", "organisation": organisation}, acting_user=actor)
    updates = [q["sql"] for q in queries if q["sql"].upper().startswith("UPDATE")]
    assert len(updates) == 1 and "organisation_id" in updates[0] and '"name"' not in updates[0]


def test_a_text_over_the_limit_is_refused_in_swedish_and_nothing_is_written(municipality, actor):
    with pytest.raises(writes.WriteError, match="högst 200 tecken"):
        writes.create(Unit, {"municipality": municipality, "name": "x" * 201}, acting_user=actor)
    assert not Unit.objects.exists() and not events().exists()


def test_a_redaction_that_makes_the_text_too_long_is_refused(municipality, actor):
    text = "x" * (199 - len(PNR)) + " " + PNR  # fits, but the placeholder is longer than the number
    with pytest.raises(writes.WriteError, match="personuppgifterna"):
        writes.create(Unit, {"municipality": municipality, "name": text}, acting_user=actor)


def test_text_fields_default_to_the_form_limit():
    from trygg.accounts.models import AuditEvent as Model

    field = Model._meta.get_field("changes")  # a JSONField has no text limit
    assert writes.text_limit(field) is None
    from django.db import models

    assert writes.text_limit(models.TextField()) == writes.TEXT_MAX
    assert writes.text_limit(models.TextField(max_length=50)) == 50


def test_delete_keeps_the_old_values_in_the_audit_trail(municipality, actor):
    unit = writes.create(Unit, {"municipality": municipality, "name": "Borta"}, acting_user=actor).obj
    pk = unit.pk
    writes.delete(unit, acting_user=actor)
    assert not Unit.objects.filter(pk=pk).exists()
    event = events().get(action="unit.delete")
    assert event.object_id == str(pk) and event.changes["name"] == ["Borta", None]


def test_many_to_many_changes_are_audited_with_ids(municipality, actor):
    a = Unit.objects.create(municipality=municipality, name="A")
    b = Unit.objects.create(municipality=municipality, name="B")
    user = make_user("enhet", Role.UNIT_EDITOR, municipality=municipality)
    writes.update(user, {}, acting_user=actor, m2m={"units": [a, b]})
    assert events().get().changes == {"units": [[], sorted([a.pk, b.pk])]}
    writes.update(user, {}, acting_user=actor, m2m={"units": [b.pk, a.pk]})
    assert events().count() == 1


def test_the_same_moment_in_another_time_zone_is_no_change():
    import datetime as dt
    from zoneinfo import ZoneInfo

    moment = dt.datetime(2026, 6, 1, 22, 30, tzinfo=dt.UTC)
    assert writes._json(moment) == writes._json(moment.astimezone(ZoneInfo("Europe/Stockholm")))
    assert writes._json(moment) != writes._json(moment + dt.timedelta(minutes=1))
