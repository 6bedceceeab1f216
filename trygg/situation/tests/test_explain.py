"""The two heaviest lägesbild queries read the index that matches their filters (PostgreSQL, EXPLAIN): counts
per cell for the default period and the table's first keyset page. Three years of incidents (20 000 rows,
analysed) so that the planner's choice is the one it makes with real data, not with a handful of rows."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.utils import timezone

from trygg.situation.queries import IncidentFilter
from trygg.situation.views.overview import keyset_page

from ..models import Incident
from .conftest import at

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="EXPLAIN plans are checked on PostgreSQL (DATABASE_URL)"
)


def explain(queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.fixture
def filt(kungalv, make_incident):
    today = timezone.localdate()
    template = make_incident("brand", at(today - dt.timedelta(days=1), 22), place="Komarken")
    fields = {
        f.attname: getattr(template, f.attname)
        for f in Incident._meta.concrete_fields
        if f.attname not in ("id", "occurred_from", "created_at", "updated_at")
    }
    Incident.objects.bulk_create(
        [
            Incident(**fields, occurred_from=at(today - dt.timedelta(days=i % 1095), i % 24))
            for i in range(20_000)
        ],
        batch_size=5000,
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE situation_incident")
    return IncidentFilter.default().within([kungalv])


def test_counts_per_cell_read_only_the_period_from_an_index(filt):
    from django.db.models import Count

    qs = filt.incidents().mappable().order_by().values_list("h3_r9").annotate(n=Count("id"))
    plan = explain(qs)
    # the period bounds the index range (the lower bound the overlap test alone would not give)
    conditions = [line for line in plan.splitlines() if "Index Cond" in line]
    assert any("occurred_from >=" in c and "occurred_from <" in c for c in conditions), plan
    assert "Seq Scan on situation_incident" not in plan, plan


def test_the_table_page_reads_the_index_in_keyset_order(filt):
    rows, cursor = keyset_page(filt.incidents(), None, oldest_first=False, size=10)
    assert len(rows) == 10 and cursor
    qs = filt.incidents().order_by("-occurred_from", "-pk")[:11]
    plan = explain(qs)
    assert "incident_municipality_time" in plan, plan
    assert "Seq Scan on situation_incident" not in plan, plan
