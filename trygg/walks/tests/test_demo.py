"""The demo walks of the reference report, written through the actions; idempotent; none for Ale."""

from __future__ import annotations

from trygg.demo import walks as demo_walks
from trygg.situation.models import Incident
from trygg.walks.models import Finding, Measure, Walk


def test_demo_loads_the_walks_of_the_reference_report(kungalv, other_municipality, personas):
    summary = demo_walks.load(kungalv, acting_user=personas["admin"])
    assert "4 trygghetsvandringar" in summary
    walks = {w.title: w for w in Walk.objects.filter(municipality=kungalv)}
    assert set(walks) == {
        "Brushanestigen/Trankärsvägen",
        "Utmarksvägen",
        "Guntorpsvägen, Kode",
        "Skarpe Nord",
    }
    assert all(w.demo for w in walks.values())
    assert walks["Skarpe Nord"].status == Walk.Status.PLANNED and not walks["Skarpe Nord"].published
    assert all(walks[t].status == Walk.Status.DONE for t in walks if t != "Skarpe Nord")
    findings = Finding.objects.filter(walk__municipality=kungalv)
    assert (
        findings.count() == Incident.objects.filter(description__startswith="Trygghetsvandring").count() > 0
    )
    assert Measure.objects.filter(status=Measure.Status.DONE).exists()

    assert demo_walks.load(kungalv, acting_user=personas["admin"]) == "trygghetsvandringarna fanns redan"
    assert Walk.objects.count() == 4
    assert demo_walks.load(other_municipality, acting_user=personas["admin"]) == ""
