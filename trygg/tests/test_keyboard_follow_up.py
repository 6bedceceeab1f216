"""Must-show: the unit editor's yearly task by keyboard only.

`enhet` logs in, opens the follow-up, ticks "Mina aktiviteter", sets status and comment for two of their
activities in place (HTMX) and sees the progress "N av M rapporterade" go up. After logging in, every step
is a key press (Tab, Shift+Tab, Space, Enter, arrows, typing): no clicks, no focusing elements by script.
"""

import re

import pytest
from django.core.management import call_command

from trygg.conftest import assert_accessible, log_in
from trygg.plans.models import ActivityStatus, FollowUp

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

MAX_TABS = 400


def focused(page, script: str):
    return page.evaluate(f"(() => {{ const e = document.activeElement; return {script}; }})()")


def tab_to(page, matches: str, *, backwards: bool = False) -> None:
    """Press Tab until the focused element satisfies the JS expression `matches` (over `e`)."""
    for _ in range(MAX_TABS):
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
        if focused(page, f"!!e && ({matches})"):
            return
    raise AssertionError(f"Tab never reached an element where {matches}")


def progress(page) -> tuple[int, int]:
    text = page.locator("#progress-text").inner_text()
    reported, total = re.search(r"(\d+) av (\d+) rapporterade", text).groups()
    return int(reported), int(total)


def test_unit_editor_reports_two_activities_by_keyboard(live_server, page):
    call_command("load_demo", verbosity=0)
    follow_up = FollowUp.objects.get(plan__slug="trygg-i-kungalv", year=2023)
    # Arrange: two of the unit's activities not yet reported this year.
    mine = ActivityStatus.objects.filter(
        follow_up=follow_up, activity__units__name="Säkerhetsenheten"
    ).order_by("activity__pk")[:2]
    activities = [s.activity for s in mine]
    ActivityStatus.objects.filter(follow_up=follow_up, activity__in=activities).delete()

    log_in(page, live_server.url, "enhet", "trygg-demo")
    page.goto(f"{live_server.url}/planer/trygg-i-kungalv/uppfoljning/2023/")
    page.wait_for_load_state()
    before, total = progress(page)

    # "Mina aktiviteter": Tab to the checkbox, Space, then Tab to "Filtrera" and Enter.
    tab_to(page, "e.id === 'f-mina'")
    page.keyboard.press("Space")
    tab_to(page, "e.tagName === 'BUTTON' && e.textContent.trim() === 'Filtrera'")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"mina=1"))
    page.wait_for_load_state()
    assert page.locator("#f-mina").is_checked()
    assert_accessible(page)

    for n, activity in enumerate(activities, start=1):
        row = f"#a-{activity.pk}"
        # The "Ändra" link of this activity's row, then Enter: the row becomes a form (HTMX).
        tab_to(page, f"e.tagName === 'A' && !!e.closest('{row}') && e.textContent.includes('Ändra')")
        page.keyboard.press("Enter")
        page.locator(f"{row} select[name=status]").wait_for()
        tab_to(page, f"e.name === 'status' && !!e.closest('{row}')")
        page.keyboard.press("ArrowDown")  # the first status after "Välj …"
        page.keyboard.press("ArrowDown")
        status = page.locator(f"{row} select[name=status]").input_value()
        assert status, "the arrow keys chose no status"
        tab_to(page, f"e.name === 'comment' && !!e.closest('{row}')")
        comment = f"Rapporterat med tangentbordet, aktivitet {n}."
        page.keyboard.type(comment)
        tab_to(page, f"e.tagName === 'BUTTON' && e.textContent.trim() === 'Spara' && !!e.closest('{row}')")
        page.keyboard.press("Enter")
        # Saved in place: the row shows the comment again as text, and the progress went up by one.
        page.locator(f"{row} .comment", has_text=comment).wait_for()
        page.wait_for_function(
            "n => (document.querySelector('#progress-text') || {}).textContent.includes(n + ' av ')",
            arg=before + n,
        )
        saved = ActivityStatus.objects.get(follow_up=follow_up, activity=activity)
        assert saved.status == status and saved.comment == comment

    assert progress(page) == (before + 2, total)
    assert_accessible(page)
