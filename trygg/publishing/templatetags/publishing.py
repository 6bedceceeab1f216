from django import template

from trygg.plans.permissions import can_manage_plans

register = template.Library()


@register.inclusion_tag("publishing/_plan_control.html", takes_context=True)
def publish_control(context, plan):
    """The coordinator's publish control on the internal plan page (nothing for other roles)."""
    request = context["request"]
    return {
        "plan": plan,
        "show": can_manage_plans(request.user, plan.municipality_id),
        "csrf_token": context.get("csrf_token"),
    }
