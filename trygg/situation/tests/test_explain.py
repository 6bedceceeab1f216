"""The two heaviest lägesbild queries read the index that matches their filters (PostgreSQL, EXPLAIN): the
counts per cell of the period (map cells, hotspots, the table's summary) and a page of the table, the first
and one after a keyset cursor (every table request runs it; it is not cached). The SQL checked is the SQL
the code runs, captured while it runs. Three years of incidents in two municipalities (40 000 rows, vacuumed and analysed) so that
the planner's choice is the one it makes with real data, not with a handful of rows."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from trygg.situation.queries import IncidentFilter, counts_per_cell
from trygg.situation.views.overview import keyset_page, parse_cursor

from ..models import Incident
from .conftest import at

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="EXPLAIN plans are checked on PostgreSQL (DATABASE_URL)"
    ),
    pytest.mark.django_db(transaction=True),  # VACUUM cannot run inside the test's transaction
]


def explain(sql: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN {sql}")
        return "\n".join(row[0] for row in cursor.fetchall())


def run_and_explain(call) -> tuple[object, list[str]]:
    """(result of call(), the EXPLAIN plan of every query it ran against the incident table)."""
    with CaptureQueriesContext(connection) as queries:
        result = call()
    plans = [explain(q["sql"]) for q in queries.captured_queries if "situation_incident" in q["sql"]]
    assert plans, "the call ran no query on the incidents"
    return result, plans


@pytest.fixture
def filt(kungalv, ale, make_incident):
    today = timezone.localdate()
    template = make_incident("brand", at(today - dt.timedelta(days=1), 22), place="Komarken")
    fields = {
        f.attname: getattr(template, f.attname)
        for f in Incident._meta.concrete_fields
        if f.attname not in ("id", "occurred_from", "created_at", "updated_at")
    }
    # as many in a second municipality (a hosted service): the municipality is part of every filter
    Incident.objects.bulk_create(
        [
            Incident(
                **{**fields, "municipality_id": (kungalv.pk, ale.pk)[i % 2]},
                occurred_from=at(today - dt.timedelta(days=(i // 2) % 1095), i % 24),
            )
            for i in range(40_000)
        ],
        batch_size=5000,
    )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE situation_incident")
    return IncidentFilter.default().within([kungalv])


def test_counts_per_cell_read_only_the_period_from_an_index(filt):
    (cells, counts), (plan,) = run_and_explain(lambda: counts_per_cell(filt.incidents(), 9))
    assert counts.sum() > 0
    # the period bounds the index range (the lower bound the overlap test alone would not give)
    conditions = [line for line in plan.splitlines() if "Index Cond" in line]
    assert any("occurred_from >=" in c and "occurred_from <" in c for c in conditions), plan
    assert "Seq Scan on situation_incident" not in plan, plan


@pytest.mark.parametrize("oldest_first", [False, True])
def test_the_table_pages_read_the_index_in_keyset_order_from_the_cursor(filt, oldest_first):
    (rows, cursor), (first,) = run_and_explain(lambda: keyset_page(filt, None, oldest_first=oldest_first))
    assert rows and cursor
    (more, _), (after,) = run_and_explain(
        lambda: keyset_page(filt, parse_cursor(cursor), oldest_first=oldest_first)
    )
    assert more and more[0].pk not in {r.pk for r in rows}
    for plan in (first, after):
        assert "incident_municipality_time" in plan or "occurred_from" in plan, plan
        assert "Seq Scan on situation_incident" not in plan, plan
    # the next page starts reading at the cursor (an index condition), not at the period's edge
    bound = "occurred_from >= " if oldest_first else "occurred_from <= "
    index_cond = next(line for line in after.splitlines() if "Index Cond" in line and "occurred_from" in line)
    assert bound in index_cond, after
    if not oldest_first:  # the default order: rows come in index order under the LIMIT, nothing is sorted
        for plan in (first, after):
            assert "incident_municipality_time" in plan and "Sort Key" not in plan, plan
