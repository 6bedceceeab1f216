"""The list and detail pages run a bounded number of queries whatever the number of walks and findings."""

from __future__ import annotations

from django.urls import reverse

from .conftest import make_finding, make_measure, make_walk


def _count(client, url, django_assert_max_num_queries, limit):
    with django_assert_max_num_queries(limit):
        assert client.get(url).status_code == 200


def test_walk_list_and_detail_do_not_grow(
    client, personas, walk_world, django_assert_max_num_queries, housing
):
    coordinator = personas["coordinator"]
    walk = walk_world["walk"]
    for _ in range(6):
        make_walk(walk.municipality, coordinator)
        finding = make_finding(walk, coordinator)
        make_measure(finding, coordinator, responsible_organisation=housing)
    client.force_login(personas["reader"])
    _count(client, reverse("walks:walk_list"), django_assert_max_num_queries, 7)
    _count(client, reverse("walks:walk_detail", args=[walk.pk]), django_assert_max_num_queries, 15)
    _count(client, reverse("walks:measure_list"), django_assert_max_num_queries, 7)
    client.logout()
    _count(client, reverse("walks:public_walk", args=[walk.pk]), django_assert_max_num_queries, 6)
