"""What the public form needs from a campaign and that does not change from one request to the next, kept
per server process: the places a resident may choose (and the select's choices), the area a point must lie in
(a prepared polygon, so a point-in-polygon test costs microseconds), and the category choices.

A snapshot is rebuilt when the campaign's own fields that shape it change (municipality, categories, area),
when this process saves a place, municipality or campaign (signals below), and otherwise after
DIALOG_SNAPSHOT_SECONDS (60 s): a place added or deactivated in another server process reaches the public
form within that time. Nothing about a request or a resident is kept here.

The campaign row itself is kept too (`campaign()`), so that a submission does not SELECT it: every save or
deletion of a campaign writes a new random *version* to the shared cache once committed, and the submit view
reads that version in the same Redis round trip as its rate limit (protection.count_and_read). A cached row
is used only while its version is the current one, so closing or changing a campaign takes effect at once
in every server process; a change made without the ORM's signals (a queryset update) within
DIALOG_SNAPSHOT_SECONDS.
"""

from __future__ import annotations

import json
import secrets
import threading
import time
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.shortcuts import get_object_or_404

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


def version_key(campaign_id: int) -> str:
    return f"dialog:campaign-version:{campaign_id}"


_campaigns: dict[int, tuple[object, float, Campaign]] = {}


def campaign(pk: int, version) -> Campaign:
    """The campaign (with its municipality) for the submit path: this process's copy while `version` (read
    from the shared cache by the caller) is the one it was loaded under and DIALOG_SNAPSHOT_SECONDS have not
    passed; otherwise one SELECT. Unknown id: Http404. Callers treat the row as read-only (it is shared by
    the threads of the process)."""
    entry = _campaigns.get(pk)
    if entry is not None and entry[0] == version and time.monotonic() < entry[1]:
        return entry[2]
    row = get_object_or_404(Campaign.objects.select_related("municipality"), pk=pk)
    ttl = float(getattr(settings, "DIALOG_SNAPSHOT_SECONDS", 60))
    with _lock:
        _campaigns[pk] = (version, time.monotonic() + ttl, row)
    return row


def clear(**_kwargs) -> None:
    with _lock:
        _snapshots.clear()
        _campaigns.clear()


def _campaign_changed(sender, instance, **_kwargs) -> None:
    clear()
    pk = instance.pk
    # After the commit: another process that reads the new version then also reads the new row.
    transaction.on_commit(lambda: cache.set(version_key(pk), secrets.token_hex(8), timeout=None))


for _model in (Place, Municipality):
    post_save.connect(clear, sender=_model, dispatch_uid=f"dialog-snapshot-save-{_model.__name__}")
    post_delete.connect(clear, sender=_model, dispatch_uid=f"dialog-snapshot-delete-{_model.__name__}")
post_save.connect(_campaign_changed, sender=Campaign, dispatch_uid="dialog-snapshot-save-Campaign")
post_delete.connect(_campaign_changed, sender=Campaign, dispatch_uid="dialog-snapshot-delete-Campaign")
