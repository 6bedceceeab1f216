"""The meeting brief's PDF links its web version (the meeting page) on the first page, like the report."""

from __future__ import annotations

from django.urls import reverse

from trygg.documents.tests.pdf_structure import read_tagged_pdf


def test_the_brief_pdf_links_the_meeting_page(personas, login, world):
    client = login(personas["partner"])
    meeting = world["meeting"]
    response = client.get(reverse("situation:meeting_brief_pdf", args=[meeting.pk]))
    assert response.status_code == 200
    page = "http://testserver" + reverse("situation:meeting_detail", args=[meeting.pk])
    assert set(read_tagged_pdf(response.content).first_page_links) == {page}
