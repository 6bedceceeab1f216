"""No personnummer gets into the plans app by any route that writes its free text: the web forms, the plan
import as JSON and as XLSX (from the web and from `manage.py import_plan`), and the admin (read-only)."""

import io
import json

import pytest
from django.apps import apps
from django.core.management import call_command
from django.urls import reverse

from trygg.accounts import writes
from trygg.accounts.models import Unit
from trygg.lib.pii import find_pii
from trygg.plans.exchange import export_plan, import_plan_json, import_plan_xlsx
from trygg.plans.exchange_xlsx import document_to_xlsx
from trygg.plans.models import ActivityStatus, FollowUp, Plan, StatusChange
from trygg.plans.tests.conftest import clear_plan_data

pytestmark = pytest.mark.django_db

PERSONNUMMER = "19811218-9876"
REDACTED = "[borttaget: personnummer]"
PLAN_MODELS = [m for m in apps.get_app_config("plans").get_models() if writes.free_text_fields(m)]
# Written by the exchange; StatusChange.old_comment only holds a comment that was already stored.
EXCHANGED = {(m, name) for m in PLAN_MODELS for name in writes.free_text_fields(m)} - {
    (StatusChange, "old_comment")
}


def stored_texts():
    """(model, field, value) of every declared free-text field of every plans row, and unit names."""
    for model in [*PLAN_MODELS, Unit]:
        names = list(writes.free_text_fields(model))
        for row in model.objects.values(*names):
            for name in names:
                yield model, name, row[name]


def assert_no_personnummer(expect_redacted=()):
    leaked = [(m.__name__, f) for m, f, v in stored_texts() if PERSONNUMMER in v or find_pii(v)]
    assert not leaked, f"personal data stored in {leaked}"
    redacted = {(m, f) for m, f, v in stored_texts() if REDACTED in v}
    missing = sorted(f"{m.__name__}.{f}" for m, f in set(expect_redacted) - redacted)
    assert not missing, f"the route did not write these fields (the test would prove nothing): {missing}"


def with_personnummer(doc: dict) -> dict:
    """The document with a personnummer in every free-text field the exchange format carries."""
    pnr = f"Ring {PERSONNUMMER} om detta"
    for key in ("name", "adopted_by"):
        doc["program"][key] = f"{pnr} ({key})"
        doc["plan"][key] = f"{pnr} ({key})"
    unit = f"Enhet {PERSONNUMMER}"
    doc["units"].append(unit)
    for area in doc["areas"]:
        area["title"], area["description"] = f"{pnr} {area['number']}", pnr
        for intervention in area["interventions"]:
            intervention["title"] = f"{pnr} {area['number']}.{intervention['number']}"
            for activity in intervention["activities"]:
                activity["title"] = f"{pnr} {activity['uid']}"
                activity["political_reference"] = pnr
                activity["units"] = [unit]
    for follow_up in doc["follow_ups"]:
        for key in ("recipient", "introduction", "summary", "current_analysis"):
            follow_up[key] = pnr
        for status in follow_up["statuses"]:
            status["comment"] = f"{pnr}\n\nMer text."
    return doc


@pytest.mark.parametrize("route", ["json", "xlsx", "web-json", "web-xlsx", "command-json", "command-xlsx"])
def test_import_routes_redact_every_declared_field(sample_plan, personas, login, tmp_path, route):
    doc = with_personnummer(export_plan(sample_plan))
    clear_plan_data()
    content = json.dumps(doc, ensure_ascii=False).encode() if "json" in route else document_to_xlsx(doc)
    suffix = "json" if "json" in route else "xlsx"
    if route == "json":
        result = import_plan_json(content, acting_user=personas["coordinator"])
    elif route == "xlsx":
        result = import_plan_xlsx(content, acting_user=personas["coordinator"])
    elif route.startswith("web"):
        upload = io.BytesIO(content)
        upload.name = f"plan.{suffix}"
        response = login(personas["coordinator"]).post(
            reverse("plans:plan_import"), {"file": upload}, follow=True
        )
        page = response.content.decode()
        assert "Planen: Vi tog bort 2 personnummer ur namnet och antagen av" in page  # the importer is told
        assert "ställen till" in page
        assert PERSONNUMMER not in page
    else:
        path = tmp_path / f"plan.{suffix}"
        path.write_bytes(content)
        out = io.StringIO()
        call_command("import_plan", str(path), "--user", "samordnare", stdout=out)
        assert "Personuppgifter som togs bort" in out.getvalue()
        assert "Uppföljningen 2023: Vi tog bort 4 personnummer ur mottagaren, inledningen" in out.getvalue()
    if route in ("json", "xlsx"):
        assert any("ur mottagaren" in line for line in result.redactions)
    assert_no_personnummer(EXCHANGED)


def test_follow_up_form_redacts_recipient_and_texts(sample_plan, personas, login):
    follow_up = sample_plan.follow_ups.get(year=2023)
    url = reverse("plans:follow_up_edit", args=[sample_plan.slug, 2023])
    data = {
        "date": "2024-02-20",
        "recipient": f"Kommunstyrelsen, handläggare {PERSONNUMMER}",
        "introduction": f"Inledning {PERSONNUMMER}",
        "summary": f"Sammanfattning {PERSONNUMMER}",
        "current_analysis": f"Analys {PERSONNUMMER}",
    }
    page = login(personas["coordinator"]).post(url, data, follow=True).content.decode()
    follow_up.refresh_from_db()
    assert follow_up.recipient == f"Kommunstyrelsen, handläggare {REDACTED}"
    assert (
        "Vi tog bort 4 personnummer ur mottagaren, inledningen, sammanfattningen och nulägesanalysen" in page
    )
    assert_no_personnummer({(FollowUp, "recipient"), (FollowUp, "introduction"), (FollowUp, "summary")})


def test_status_form_redacts_the_comment_and_history(sample_plan, personas, login):
    activity = sample_plan.areas.first().interventions.first().activities.first()
    url = reverse("plans:activity_status_edit", args=[activity.pk, 2023])
    login(personas["coordinator"]).post(url, {"status": "done", "comment": f"Ring {PERSONNUMMER}"})
    assert ActivityStatus.objects.get(activity=activity, follow_up__year=2023).comment == f"Ring {REDACTED}"
    assert_no_personnummer({(ActivityStatus, "comment"), (StatusChange, "new_comment")})


def test_a_legacy_unredacted_comment_is_not_copied_into_the_history(sample_plan, personas, login):
    activity = sample_plan.areas.first().interventions.first().activities.first()
    ActivityStatus.objects.filter(activity=activity, follow_up__year=2023).update(
        comment=f"Gammal {PERSONNUMMER}"
    )
    url = reverse("plans:activity_status_edit", args=[activity.pk, 2023])
    login(personas["coordinator"]).post(url, {"status": "done", "comment": "Ny"})
    change = StatusChange.objects.filter(activity=activity).first()
    assert change.old_comment == f"Gammal {REDACTED}"


@pytest.mark.parametrize("model", [Plan, FollowUp, ActivityStatus])
def test_admin_is_read_only_for_plan_data(sample_plan, personas, login, model):
    obj = model.objects.first()
    opts = model._meta
    client = login(personas["admin"])
    change = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
    before = model.objects.filter(pk=obj.pk).values().get()
    page = client.get(change)
    assert page.status_code == 200 and "Endast läsning här" in page.content.decode()
    response = client.post(
        change, {"name": f"X {PERSONNUMMER}", "comment": PERSONNUMMER, "summary": PERSONNUMMER}
    )
    assert response.status_code == 403
    assert client.post(reverse(f"admin:{opts.app_label}_{opts.model_name}_add"), {}).status_code == 403
    assert model.objects.filter(pk=obj.pk).values().get() == before
    assert_no_personnummer()
