from .models import Role


def roles(request):
    user = getattr(request, "user", None)
    role = user.effective_role if user is not None and user.is_authenticated else None
    return {"user_role": role, "Role": Role}
