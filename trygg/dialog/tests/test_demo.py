import pytest

from trygg.dialog.models import Campaign, Submission

pytestmark = pytest.mark.django_db


def test_demo_loads_a_campaign_for_kungalv_only(kungalv, other_municipality):
    from trygg.demo import dialog

    assert dialog.load(other_municipality, acting_user=None) == ""
    assert "60" in dialog.load(kungalv, acting_user=None)
    assert dialog.load(kungalv, acting_user=None) == "dialogkampanjen finns redan"
    assert Campaign.objects.count() == 1
    assert Submission.objects.approved().count() == 50 and Submission.objects.pending().count() == 10
