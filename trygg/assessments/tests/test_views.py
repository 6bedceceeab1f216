"""Views of the law's cycle: who may read and write, the wrong HTTP method, a refused delete shown to the
user, and the public contact page of the samordningsfunktion."""

from __future__ import annotations

import pytest
from django.urls import reverse

from trygg.assessments import actions
from trygg.assessments.models import CoordinationFunction, Measure, Problem

from .builders import make_chain


@pytest.fixture
def chain(municipality, personas):
    return make_chain(municipality, personas["coordinator"])


def test_readers_read_but_do_not_write(chain, personas, login):
    client = login(personas["reader"])
    assert client.get(reverse("assessments:problem_detail", args=[chain["problem"].pk])).status_code == 200
    assert client.get(reverse("assessments:problem_edit", args=[chain["problem"].pk])).status_code == 403
    response = client.post(
        reverse("assessments:problem_edit", args=[chain["problem"].pk]), {"rank": 1, "title": "X"}
    )
    assert response.status_code == 403 and Problem.objects.get().title == "Stöld ur motorfordon"


def test_an_outsider_gets_nothing(chain, personas, login):
    client = login(personas["outsider"])
    assert client.get(reverse("assessments:index")).status_code == 403
    assert (
        client.get(reverse("assessments:assessment_detail", args=[chain["assessment"].pk])).status_code == 404
    )


def test_the_wrong_method_is_refused(chain, personas, login):
    client = login(personas["coordinator"])
    assert client.post(reverse("assessments:index")).status_code == 405
    assert client.put(reverse("assessments:problem_edit", args=[chain["problem"].pk])).status_code == 405


def test_a_coordinator_edits_and_personal_data_is_removed(chain, personas, login):
    client = login(personas["coordinator"])
    url = reverse("assessments:problem_edit", args=[chain["problem"].pk])
    response = client.post(url, {"rank": 2, "title": "Stöld ur bilar", "description": "Ring 19811218-9876."})
    assert response.status_code == 302
    problem = Problem.objects.get()
    assert (problem.rank, problem.title) == (2, "Stöld ur bilar") and "9876" not in problem.description


def test_a_refused_delete_says_why(chain, personas, login):
    client = login(personas["coordinator"])
    response = client.post(reverse("assessments:cause_delete", args=[chain["cause"].pk]), follow=True)
    assert "har åtgärder" in response.content.decode()
    assert Measure.objects.filter(cause=chain["cause"]).exists()


def test_a_date_range_the_wrong_way_round_is_refused(chain, personas, login):
    client = login(personas["coordinator"])
    url = reverse("assessments:measure_edit", args=[chain["measure"].pk])
    data = {
        "cause": chain["cause"].pk,
        "title": "X",
        "kind": "social",
        "term": "short",
        "start": "2025-01-01",
        "end": "2024-01-01",
    }
    response = client.post(url, data)
    assert response.status_code == 200 and "Slutet kan inte ligga före början." in response.content.decode()


def test_the_public_contact_page_needs_no_login(client, municipality, personas):
    url = reverse("assessments:public_contact", args=[municipality.code])
    assert client.get(url).status_code == 404
    actions.do_save(
        CoordinationFunction(municipality=municipality, email="trygg@example.se", phone="0303-23 80 00"),
        acting_user=personas["coordinator"],
    )
    page = client.get(url).content.decode()
    assert "trygg@example.se" in page and "0303-23 80 00" in page
    assert client.get(reverse("assessments:public_contact", args=["9999"])).status_code == 404
