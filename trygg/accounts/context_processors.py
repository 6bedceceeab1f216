from .models import Role
from .tenancy import available_municipalities, current_municipality


def roles(request):
    """The user's role in the current municipality and the municipalities they may switch between."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"user_role": None, "Role": Role, "current_municipality": None, "my_municipalities": []}
    municipality = current_municipality(request)
    role = user.role_in(municipality) if municipality is not None else Role.NONE
    return {
        "user_role": role or None,
        "user_role_label": Role(role).label if role else "",
        "Role": Role,
        "current_municipality": municipality,
        "my_municipalities": available_municipalities(user),
    }
