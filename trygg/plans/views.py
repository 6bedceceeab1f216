from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from .models import Plan


@login_required
def home(request):
    return redirect("plans:plan_list")


@login_required
def plan_list(request):
    return render(request, "plans/plan_list.html", {"plans": Plan.objects.all()})
