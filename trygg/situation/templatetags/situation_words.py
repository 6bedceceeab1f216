"""Plain Swedish in the lägesbild templates: `{{ code|plain_label }}`, `{{ scale|area_text }}`."""

from django import template

from trygg.situation import wording

register = template.Library()


@register.filter
def plain_label(css_class: str) -> str:
    return wording.plain_label(str(css_class))


@register.filter
def area_text(scale) -> str:
    return wording.area_text(scale)


# What happened to an incident, in words (audit actions are "<model>.<verb>").
_VERBS = {
    "create": "registrerade händelsen",
    "bulk_create": "hämtade händelsen",
    "update": "ändrade händelsen",
    "delete": "tog bort händelsen",
    "bulk_delete": "tog bort händelsen",
}


@register.filter
def history_text(event) -> str:
    """ "Polisen lokalpolisområde Kungälv/Ale registrerade händelsen" rather than "polis: incident.create":
    the actor's organisation (else their name), then the verb and, for a change, the fields changed."""
    from django.utils.translation import gettext as _

    actor = getattr(event, "actor", None)
    if actor is not None:
        organisation = getattr(actor, "organisation", None)
        who = str(organisation) if organisation else (actor.get_full_name() or actor.username)
    else:
        who = getattr(event, "actor_name", "") or _("Systemet")
    verb = _VERBS.get(event.action.rsplit(".", 1)[-1], _("ändrade händelsen"))
    text = f"{who} {_(verb)}"
    changes = event.changes if isinstance(event.changes, dict) else {}
    fields = changes  # an update records {field: [before, after]}
    if verb == _VERBS["update"] and fields:
        from trygg.situation.models import Incident

        names = []
        for name in fields:
            try:
                names.append(str(Incident._meta.get_field(name).verbose_name))
            except Exception:  # noqa: S112 - a field that no longer exists is simply not named
                continue
        if names:
            text += " (" + ", ".join(names) + ")"
    return text


@register.simple_tag
def tile_setting(name: str) -> str:
    """The map tile URL or attribution (settings.TRYGG_TILE_URL / TRYGG_TILE_ATTRIBUTION)."""
    from django.conf import settings

    return getattr(settings, {"url": "TRYGG_TILE_URL", "attribution": "TRYGG_TILE_ATTRIBUTION"}[name], "")
