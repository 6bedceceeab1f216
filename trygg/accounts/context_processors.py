from .models import Role
from .tenancy import available_municipalities, current_municipality


def roles(request):
    """The user's role in the current municipality, the municipalities they may switch between, and what
    the menus may offer them (each app's own permission helper decides; a menu never links to a 403)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {
            "user_role": None,
            "Role": Role,
            "current_municipality": None,
            "my_municipalities": [],
            "menu": {},
        }
    municipality = current_municipality(request)
    role = user.role_in(municipality) if municipality is not None else Role.NONE
    return {
        "user_role": role or None,
        "user_role_label": Role(role).label if role else "",
        "Role": Role,
        "current_municipality": municipality,
        "my_municipalities": available_municipalities(user),
        "menu": _menu(user, municipality) if role else {},
    }


def _menu(user, municipality) -> dict[str, bool]:
    # Imported here: accounts is the base app, the others import it.
    from trygg.assessments import permissions as assessments
    from trygg.dialog import permissions as dialog
    from trygg.indicators import permissions as indicators
    from trygg.places import permissions as places
    from trygg.plans import permissions as plans
    from trygg.situation import permissions as situation
    from trygg.walks import permissions as walks

    return {
        "plans": plans.can_view_plans(user, municipality),
        "manage_plans": plans.can_manage_plans(user, municipality),
        "situation": situation.can_view_situation(user, municipality),
        "report_incident": situation.can_write_situation(user, municipality),
        "manage_situation": situation.can_manage_situation(user, municipality),
        "statistics": indicators.can_view(user),
        "administer_statistics": indicators.can_import(user, municipality),
        "walks": walks.can_view_walks(user, municipality),
        "dialog": dialog.can_view(user, municipality),
        "places": places.can_view_places(user, municipality),
        "manage_places": places.can_manage_places(user, municipality),
        "assessments": assessments.can_view(user, municipality),
    }
