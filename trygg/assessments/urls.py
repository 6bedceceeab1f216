from django.urls import path

from . import views
from .registry import KINDS

app_name = "assessments"

urlpatterns = [
    path("", views.index, name="index"),
    path("kartlaggning/<int:pk>/", views.assessment_detail, name="assessment_detail"),
    path(
        "kartlaggning/<int:pk>/dokument/", views.assessment_document, {"fmt": "html"}, name="assessment_html"
    ),
    path(
        "kartlaggning/<int:pk>/kartlaggning.pdf",
        views.assessment_document,
        {"fmt": "pdf"},
        name="assessment_pdf",
    ),
    path(
        "kartlaggning/<int:pk>/kartlaggning.docx",
        views.assessment_document,
        {"fmt": "docx"},
        name="assessment_docx",
    ),
    path("problem/<int:pk>/", views.problem_detail, name="problem_detail"),
    path("atgardsplan/<int:pk>/", views.actionplan_detail, name="actionplan_detail"),
    path(
        "atgardsplan/<int:pk>/dokument/", views.actionplan_document, {"fmt": "html"}, name="actionplan_html"
    ),
    path(
        "atgardsplan/<int:pk>/atgardsplan.pdf",
        views.actionplan_document,
        {"fmt": "pdf"},
        name="actionplan_pdf",
    ),
    path(
        "atgardsplan/<int:pk>/atgardsplan.docx",
        views.actionplan_document,
        {"fmt": "docx"},
        name="actionplan_docx",
    ),
    path("atgardsplan/<int:pk>/anta/", views.actionplan_adopt, name="actionplan_adopt"),
    path("atgard/<int:pk>/koppla/", views.measure_link, name="measure_link"),
    path("aktivitet/<int:pk>/", views.activity_chain, name="activity_chain"),
    path("samverkan/", views.coordination, name="coordination"),
    path("forum/<int:pk>/", views.forum_detail, name="forum_detail"),
    path("samordning/andra/", views.coordination_function_edit, name="coordination_function_edit"),
    path("kontakt/<str:code>/", views.public_contact, name="public_contact"),
]

# Create, edit and delete for every record type (registry.KINDS): a child is created under its parent's id.
for kind in KINDS.values():
    if kind.parent:
        parent_slug = next(k.slug for k in KINDS.values() if k.model is kind.parent_model())
        urlpatterns.append(
            path(
                f"{parent_slug}/<int:pk>/{kind.slug}/ny/",
                views.create,
                {"kind": kind.key},
                name=f"{kind.key}_create",
            )
        )
    else:
        urlpatterns.append(
            path(f"{kind.slug}/ny/", views.create, {"kind": kind.key}, name=f"{kind.key}_create")
        )
    urlpatterns += [
        path(f"{kind.slug}/<int:pk>/andra/", views.edit, {"kind": kind.key}, name=f"{kind.key}_edit"),
        path(f"{kind.slug}/<int:pk>/ta-bort/", views.delete, {"kind": kind.key}, name=f"{kind.key}_delete"),
    ]
