"""The shared write path: fast SQL and the portable bulk_create path agree; upserts are idempotent."""

import pytest
from django.db import transaction

from trygg.indicators import actions
from trygg.indicators.importers import ImportValidationError, IndicatorSpec, ParsedImport
from trygg.indicators.importers.writer import write_observations
from trygg.indicators.models import Indicator, Observation


def _parsed(values, *, code="T.x", margin=None):
    rows = [
        (
            code,
            region,
            str(year),
            year,
            year,
            breakdown,
            value,
            "ok" if value is not None else "missing",
            False,
            margin,
            None,
            None,
        )
        for (region, year, breakdown), value in values.items()
    ]
    return ParsedImport("test", rows=rows, indicators=[IndicatorSpec(code=code, title="Test")])


def _snapshot():
    return sorted(
        Observation.objects.values_list(
            "indicator__code", "region__code", "period", "breakdown", "value", "status", "margin"
        )
    )


@pytest.mark.parametrize("fast", [True, False])
def test_insert_then_update_then_unchanged(regions, fast):
    first = actions.do_import_observations(
        _parsed({("1482", 2022, ""): 1.0, ("00", 2022, ""): 2.0}), fast=fast
    )
    assert (first.created, first.updated, first.indicators_created) == (2, 0, 1)
    second = actions.do_import_observations(
        _parsed({("1482", 2022, ""): 5.0, ("1482", 2023, "kön=K"): None}), fast=fast
    )
    assert (second.created, second.updated) == (1, 1)
    assert _snapshot() == [
        ("T.x", "00", "2022", "", 2.0, "ok", None),
        ("T.x", "1482", "2022", "", 5.0, "ok", None),
        ("T.x", "1482", "2023", "kön=K", None, "missing", None),
    ]


def test_fast_and_portable_paths_write_the_same_rows(regions):
    values = {(r, y, b): float(y) for r in ("1482", "00", "14") for y in (2021, 2022) for b in ("", "kön=K")}
    actions.do_import_observations(_parsed(values), fast=True)
    fast = _snapshot()
    Observation.objects.all().delete()
    actions.do_import_observations(_parsed(values), fast=False)
    assert _snapshot() == fast


def test_unchanged_rows_keep_their_import_time(regions):
    actions.do_import_observations(_parsed({("1482", 2022, ""): 1.0, ("00", 2022, ""): 2.0}))
    before = dict(Observation.objects.values_list("region__code", "imported_at"))
    actions.do_import_observations(_parsed({("1482", 2022, ""): 1.0, ("00", 2022, ""): 3.0}))
    after = dict(Observation.objects.values_list("region__code", "imported_at"))
    assert after["1482"] == before["1482"]
    assert after["00"] > before["00"]


def test_a_file_with_the_same_observation_twice_is_refused(regions):
    parsed = _parsed({("1482", 2022, ""): 1.0})
    parsed.rows.append(parsed.rows[0])
    with pytest.raises(ImportValidationError, match="mer än en gång.*region 1482, period 2022"):
        actions.do_import_observations(parsed)
    assert not Indicator.objects.filter(code="T.x").exists()


def test_unknown_region_codes_are_listed_and_nothing_is_written(regions):
    parsed = _parsed({("1482", 2022, ""): 1.0, ("9998", 2022, ""): 1.0, ("9999", 2022, ""): 1.0})
    with pytest.raises(
        ImportValidationError, match="2 regionkod\\(er\\) finns inte i regionregistret: 9998, 9999"
    ):
        actions.do_import_observations(parsed)
    assert not Observation.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_the_writer_refuses_to_run_outside_a_transaction(regions):
    with pytest.raises(transaction.TransactionManagementError):
        write_observations(_parsed({("1482", 2022, ""): 1.0}))


def test_progress_is_reported_per_batch(regions, monkeypatch):
    from trygg.indicators.importers import writer

    monkeypatch.setattr(writer, "BATCH_SIZE", 2)
    calls = []
    values = {("1482", y, ""): 1.0 for y in range(2018, 2023)}
    actions.do_import_observations(_parsed(values), progress=lambda done, total: calls.append((done, total)))
    assert calls == [(2, 5), (4, 5), (5, 5)]


@pytest.mark.parametrize("fast", [True, False])
def test_a_later_file_without_margin_keeps_the_margin_on_both_paths(regions, fast):
    actions.do_import_observations(_parsed({("1482", 2022, ""): 20.0}, margin=3.0), fast=fast)
    same = actions.do_import_observations(_parsed({("1482", 2022, ""): 20.0}), fast=fast)
    assert (same.created, same.updated, same.unchanged) == (0, 0, 1)
    changed = actions.do_import_observations(_parsed({("1482", 2022, ""): 21.0}), fast=fast)
    assert (changed.created, changed.updated, changed.unchanged) == (0, 1, 0)
    assert _snapshot() == [("T.x", "1482", "2022", "", 21.0, "ok", 3.0)]
