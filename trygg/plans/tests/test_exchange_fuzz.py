"""Property tests: any mutation of a valid document either imports or is refused, and never half-writes."""

import copy
import json
from io import BytesIO

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from trygg.plans.exchange import (
    PlanImportError,
    export_plan,
    export_plan_xlsx,
    import_plan,
    import_plan_json,
    import_plan_xlsx,
)
from trygg.plans.models import Plan
from trygg.plans.tests.conftest import plan_db_state

FUZZ_SETTINGS = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Values that are valid somewhere in the document, plus ones that are wrong in interesting ways.
NEAR_MISSES = st.sampled_from(
    [
        "",
        " ",
        "2023-02-30",
        "2024-02-29",
        "2023-1-1",
        "20230101",
        "done",
        "Avslutat",
        "AVSLUTAT MED AVVIKELSE",
        "klar",
        "Ja",
        "Säkerhetsenheten",
        "trygg-test",
        "x" * 600,
        "a\x00b",
        "\ud800",
        "<script>x</script>",
        2023,
        2027,
        2101,
        0,
        1,
        -1,
        10_000,
        2.5,
        True,
        False,
        None,
        [],
        {},
        ["Folkhälsa"],
        [None],
    ]
)
VALUES = st.one_of(
    NEAR_MISSES,
    st.uuids().map(str),
    st.text(max_size=20),
    st.integers(),
    st.floats(allow_nan=True),
    st.lists(st.text(max_size=5), max_size=3),
    st.dictionaries(st.text(max_size=8), st.integers(), max_size=2),
)


def locations(node, path=()):
    """Every (path, container) in the document: the container holds the value at path[-1]."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield (*path, key), node
            yield from locations(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield (*path, index), node
            yield from locations(value, (*path, index))


@st.composite
def mutated_documents(draw, base: dict):
    doc = copy.deepcopy(base)
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        spots = list(locations(doc))
        path, container = draw(st.sampled_from(spots))
        key = path[-1]
        action = draw(st.sampled_from(["replace", "drop", "copy"]))
        if action == "drop":
            del container[key]
        elif action == "copy":  # the value of another spot: a duplicate uid, a number used twice, …
            other_path, other_container = draw(st.sampled_from(spots))
            container[key] = copy.deepcopy(other_container[other_path[-1]])
        else:
            container[key] = draw(VALUES)
    return doc


@pytest.fixture
def fuzz_base(make_plan) -> dict:
    """A small plan already in the database and its export; mutations of it are partly updates, partly new."""
    return export_plan(make_plan(slug="trygg-test", areas=2, interventions=1, activities=2, years=(2023,)))


def import_rolled_back(run) -> bool:
    """Run one import in a savepoint that is always rolled back; True when it was accepted.

    An accepted import must be idempotent: running it again changes nothing.
    """
    with transaction.atomic():
        before = plan_db_state()
        try:
            run()
            accepted = True
        except PlanImportError as exc:
            assert exc.errors and all(isinstance(e, str) and e for e in exc.errors)
            assert plan_db_state() == before, "a refused import changed the database"
            accepted = False
        if accepted:
            after = plan_db_state()
            assert not run().changed, "importing the same document twice changed something"
            assert plan_db_state() == after
        transaction.set_rollback(True)
    return accepted


@FUZZ_SETTINGS
@given(data=st.data())
def test_mutated_document_imports_or_is_refused_without_writing(fuzz_base, data):
    doc = data.draw(mutated_documents(fuzz_base))
    import_rolled_back(lambda: import_plan(doc, acting_user=None))


@FUZZ_SETTINGS
@given(data=st.data())
def test_mutated_json_text_imports_or_is_refused_without_writing(fuzz_base, data):
    text = json.dumps(fuzz_base, ensure_ascii=False)
    start = data.draw(st.integers(min_value=0, max_value=len(text)))
    end = data.draw(st.integers(min_value=start, max_value=min(len(text), start + 8)))
    text = text[:start] + data.draw(st.text(max_size=4)) + text[end:]
    import_rolled_back(lambda: import_plan_json(text, acting_user=None))


CELL_VALUES = st.one_of(
    NEAR_MISSES.filter(lambda v: not isinstance(v, list | dict) and v != "\ud800" and v != "a\x00b"),
    st.text(
        alphabet=st.characters(min_codepoint=32, max_codepoint=0x2FFF, exclude_categories=["Cs"]), max_size=12
    ),
    st.integers(min_value=-(2**40), max_value=2**40),
    st.floats(allow_nan=False, allow_infinity=False),
    st.dates(),
    st.datetimes(),
)


@FUZZ_SETTINGS
@given(data=st.data())
def test_mutated_workbook_imports_or_is_refused_without_writing(fuzz_base, fuzz_workbook, data):
    wb = load_workbook(BytesIO(fuzz_workbook))
    for _ in range(data.draw(st.integers(min_value=1, max_value=3))):
        ws = wb[data.draw(st.sampled_from(["Aktiviteter", "Plan"]))]
        row = data.draw(st.integers(min_value=1, max_value=ws.max_row + 1))
        col = data.draw(st.integers(min_value=1, max_value=ws.max_column))
        ws.cell(row, col).value = data.draw(CELL_VALUES)
    out = BytesIO()
    wb.save(out)
    import_rolled_back(lambda: import_plan_xlsx(out.getvalue(), acting_user=None))


@pytest.fixture
def fuzz_workbook(fuzz_base) -> bytes:
    return export_plan_xlsx(Plan.objects.get(slug=fuzz_base["plan"]["slug"]))


def test_fuzzing_reaches_both_outcomes(fuzz_base):
    """Guard for the properties above: the mutations used there can both succeed and fail."""
    renamed = copy.deepcopy(fuzz_base)
    renamed["areas"][0]["title"] = "Ny rubrik"
    broken = copy.deepcopy(fuzz_base)
    broken["areas"][0]["number"] = "ett"
    assert import_rolled_back(lambda: import_plan(renamed, acting_user=None)) is True
    assert import_rolled_back(lambda: import_plan(broken, acting_user=None)) is False
