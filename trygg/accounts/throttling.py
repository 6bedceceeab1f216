"""django-axes without client addresses: Trygg stores no IP address anywhere (database, cache, logs), so
lock-outs are counted per user name only and axes is never given the address."""

from __future__ import annotations


def no_client_address(request) -> None:
    """AXES_CLIENT_IP_CALLABLE: axes never learns the client's address."""
    return None


def client_str(username, ip_address, user_agent, path_info, request) -> str:
    """AXES_CLIENT_STR_CALLABLE: how axes names an attempt in its log lines (user name and path only)."""
    path = path_info[0] if isinstance(path_info, list | tuple) else path_info
    return f"{{username: {username!r}, path: {path!r}}}"


def lockout_response(request, original_response=None, credentials=None):
    """AXES_LOCKOUT_CALLABLE: the Swedish "too many attempts" page (429) with the cool-off in minutes."""
    from axes.helpers import get_cool_off, get_failure_limit
    from django.shortcuts import render

    cool_off = get_cool_off(request)
    context = {
        "failure_limit": get_failure_limit(request, credentials),
        "cooloff_minutes": max(1, round(cool_off.total_seconds() / 60)) if cool_off else None,
    }
    return render(request, "accounts/locked_out.html", context, status=429)
