"""What the public form needs from a campaign and that does not change from one request to the next, kept
per server process: the places a resident may choose (and the select's choices), the area a point must lie in
(a prepared polygon, so a point-in-polygon test costs microseconds), and the category choices.

A snapshot is rebuilt when the campaign's own fields that shape it change (municipality, categories, area),
when this process saves a place, municipality or campaign (signals below), and otherwise after
DIALOG_SNAPSHOT_SECONDS (60 s): a place added or deactivated in another server process reaches the public
form within that time. Nothing about a request or a resident is kept here.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models.signals import post_delete, post_save

from trygg.lib.geo import Boundary
from trygg.places.models import Municipality, Place

from .models import Campaign


@dataclass(frozen=True)
class CampaignSnapshot:
    key: tuple
    expires: float
    boundary: Boundary
    places: tuple[Place, ...]
    places_by_pk: dict[int, Place] = field(repr=False)
    place_choices: tuple[tuple, ...] = field(repr=False)
    category_choices: tuple[tuple[str, str], ...] = ()


_snapshots: dict[int, CampaignSnapshot] = {}
_lock = threading.Lock()


def _key(campaign: Campaign) -> tuple:
    area = json.dumps(campaign.area, sort_keys=True) if campaign.area else None
    return (campaign.municipality_id, campaign.created_at, tuple(campaign.categories), area)


def _build(campaign: Campaign, key: tuple) -> CampaignSnapshot:
    from .actions import campaign_boundary

    boundary = campaign_boundary(campaign)
    places = list(
        Place.objects.filter(municipality_id=campaign.municipality_id, active=True)
        .only("pk", "name", "lat", "lon", "kind", "active", "municipality_id")
        .order_by("name")
    )
    if campaign.area:
        places = [p for p in places if boundary.contains(p.lat, p.lon)]
    ttl = float(getattr(settings, "DIALOG_SNAPSHOT_SECONDS", 60))
    return CampaignSnapshot(
        key=key,
        expires=time.monotonic() + ttl,
        boundary=boundary,
        places=tuple(places),
        places_by_pk={p.pk: p for p in places},
        place_choices=tuple((p.pk, p.name) for p in places),
        category_choices=tuple(campaign.category_choices()),
    )


def for_campaign(campaign: Campaign) -> CampaignSnapshot:
    """The campaign's snapshot, built (one query for the places) when missing, changed or expired."""
    key = _key(campaign)
    snapshot = _snapshots.get(campaign.pk)
    if snapshot is not None and snapshot.key == key and time.monotonic() < snapshot.expires:
        return snapshot
    snapshot = _build(campaign, key)
    with _lock:
        _snapshots[campaign.pk] = snapshot
    return snapshot


def clear(**_kwargs) -> None:
    with _lock:
        _snapshots.clear()


for _model in (Place, Municipality, Campaign):
    post_save.connect(clear, sender=_model, dispatch_uid=f"dialog-snapshot-save-{_model.__name__}")
    post_delete.connect(clear, sender=_model, dispatch_uid=f"dialog-snapshot-delete-{_model.__name__}")
