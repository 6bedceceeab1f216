import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.utils import timezone

from trygg.indicators import actions
from trygg.indicators.models import Indicator, Observation, Region


def _obs(indicator, region, **extra):
    fields = {
        "period": "2023",
        "period_start": 2023,
        "period_end": 2023,
        "value": 1.0,
        "imported_at": timezone.now(),
    }
    fields.update(extra)
    return Observation.objects.create(indicator=indicator, region=region, **fields)


def test_no_model_changes_are_missing_a_migration(db):
    call_command("makemigrations", "indicators", "--check", "--dry-run", verbosity=0)


def test_seed_regions_links_kommun_to_lan_and_polisregion(regions):
    kungalv = Region.objects.select_related("county", "police_region").get(code="1482")
    assert kungalv.kind == Region.Kind.MUNICIPALITY
    assert kungalv.county.code == "14"
    assert kungalv.police_region.code == "PR-VAST"
    assert Region.objects.get(code="14").police_region.code == "PR-VAST"
    assert Region.objects.municipalities().count() == 290
    assert Region.objects.counties().count() == 21
    assert Region.objects.police_regions().count() == 7


def test_seed_regions_twice_changes_nothing_the_second_time(regions):
    assert actions.do_seed_regions() == 0
    assert Region.objects.count() == 319


def test_comparison_regions_of_a_kommun_are_itself_lan_polisregion_and_riket(regions):
    kungalv = Region.objects.get(code="1482")
    codes = set(Region.objects.comparison_for(kungalv).values_list("code", flat=True))
    assert codes == {"1482", "14", "PR-VAST", "00"}


def test_the_natural_key_is_unique(regions):
    indicator = Indicator.objects.create(code="X", title="X")
    region = Region.objects.get(code="1482")
    _obs(indicator, region)
    _obs(indicator, region, breakdown="kön=K")
    with pytest.raises(IntegrityError), transaction.atomic():
        _obs(indicator, region)


def test_an_ok_observation_must_have_a_value_but_a_missing_one_keeps_null(regions):
    indicator = Indicator.objects.create(code="X", title="X")
    region = Region.objects.get(code="1482")
    missing = _obs(indicator, region, value=None, status=Observation.Status.MISSING)
    assert missing.value is None
    zero = _obs(indicator, region, period="2022", period_start=2022, period_end=2022, value=0.0)
    assert zero.value == 0.0
    with pytest.raises(IntegrityError), transaction.atomic():
        _obs(indicator, region, period="2021", period_start=2021, period_end=2021, value=None)


def test_deleting_an_indicator_deletes_its_observations_and_a_used_region_is_protected(regions):
    from django.db.models import ProtectedError

    indicator = Indicator.objects.create(code="X", title="X")
    region = Region.objects.get(code="1482")
    _obs(indicator, region)
    with pytest.raises(ProtectedError):
        region.delete()
    indicator.delete()
    assert not Observation.objects.exists()


def test_update_region_groups_sets_population_and_size_class_from_latest_total(regions):
    indicator = Indicator.objects.create(code="POP", title="Folkmängd")
    kungalv = Region.objects.get(code="1482")
    _obs(indicator, kungalv, period="2022", period_start=2022, period_end=2022, value=48254)
    _obs(indicator, kungalv, period="2023", period_start=2023, period_end=2023, value=48647)
    _obs(
        indicator, kungalv, period="2023", period_start=2023, period_end=2023, value=24000, breakdown="kön=K"
    )
    assert actions.do_update_region_groups("POP") == 1
    kungalv.refresh_from_db()
    assert (kungalv.population, kungalv.population_period) == (48647, "2023")
    assert kungalv.group == "Mellanstor kommun (15 000–49 999 inv.)"
