from django.urls import path

from . import views

app_name = "walks"
urlpatterns = [
    path("", views.walk_list, name="walk_list"),
    path("ny/", views.walk_create, name="walk_create"),
    path("<int:pk>/", views.walk_detail, name="walk_detail"),
    path("<int:pk>/andra/", views.walk_edit, name="walk_edit"),
    path("<int:pk>/stopp/", views.stop_add, name="stop_add"),
    path("<int:pk>/fynd/nytt/", views.finding_create, name="finding_create"),
    path("<int:pk>/protokoll/", views.protocol_html, name="protocol_html"),
    path("<int:pk>/protokoll.pdf", views.protocol_pdf, name="protocol_pdf"),
    path("<int:pk>/protokoll.docx", views.protocol_docx, name="protocol_docx"),
    path("stopp/<int:pk>/ta-bort/", views.stop_delete, name="stop_delete"),
    path("fynd/<int:pk>/", views.finding_detail, name="finding_detail"),
    path("fynd/<int:pk>/andra/", views.finding_edit, name="finding_edit"),
    path("fynd/<int:pk>/ta-bort/", views.finding_delete, name="finding_delete"),
    path("fynd/<int:pk>/foto/", views.photo_add, name="photo_add"),
    path("fynd/<int:pk>/atgard/ny/", views.measure_create, name="measure_create"),
    path("foton/<int:pk>/", views.photo, name="photo"),
    path("foton/<int:pk>/ta-bort/", views.photo_delete, name="photo_delete"),
    path("atgarder/", views.measure_list, name="measure_list"),
    path("atgarder/<int:pk>/andra/", views.measure_edit, name="measure_edit"),
    path("offentlig/", views.public_list, name="public_list"),
    path("offentlig/<int:pk>/", views.public_walk, name="public_walk"),
]
