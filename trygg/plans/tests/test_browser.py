"""A coordinator logs in, changes a status and comment, downloads the DOCX and finds the new comment in it."""

import io

import docx
import pytest
from django.core.management import call_command

from trygg.conftest import assert_accessible
from trygg.plans.models import Activity, ActivityStatus

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_coordinator_changes_status_and_downloads_docx(live_server, page):
    call_command("load_demo")
    activity = Activity.objects.get(title__startswith="Genomföra trygghetsvandringar")

    page.goto(live_server.url + "/")
    page.get_by_label("Användarnamn").fill("samordnare")
    page.get_by_label("Lösenord").fill("trygg-demo")
    page.get_by_role("button", name="Logga in").click()
    page.get_by_role("link", name="Trygg i Kungälv").first.click()
    assert_accessible(page)

    page.goto(f"{live_server.url}/planer/aktivitet/{activity.pk}/2023/status/")
    page.wait_for_load_state()  # htmx (deferred) is active once the page has loaded
    page.get_by_label("Status").select_option("ongoing_deviation")
    new_comment = "Trygghetsvandring vid Skarpe Nord flyttad till hösten 2024 på grund av vägarbete."
    page.get_by_label("Kommentar").fill(new_comment + "\n\n- **Ny** punkt")
    # Live preview (HTMX, same URL): the Markdown is rendered while typing, nothing is saved yet.
    page.locator("#preview strong", has_text="Ny").wait_for()
    assert page.locator("#preview").get_by_text(new_comment).is_visible()
    assert ActivityStatus.objects.get(activity=activity).comment != new_comment
    page.get_by_label("Kommentar").fill(new_comment)
    assert_accessible(page)
    page.get_by_role("button", name="Spara").click()
    page.get_by_text("Status och kommentar är sparade.").wait_for()
    assert ActivityStatus.objects.get(activity=activity).comment == new_comment

    page.goto(live_server.url + "/planer/trygg-i-kungalv/uppfoljning/2023/")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Ladda ner Word (DOCX)").click()
    path = download_info.value.path()
    document = docx.Document(io.BytesIO(path.read_bytes()))
    cell_texts = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert any(new_comment in text for text in cell_texts)
    row = next(r for t in document.tables for r in t.rows if activity.title in r.cells[0].text)
    assert new_comment in row.cells[1].text
