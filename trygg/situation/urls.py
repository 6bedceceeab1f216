from django.urls import path

from .views import incidents, measures, meetings, method, overview, registers

app_name = "situation"
urlpatterns = [
    path("", overview.map_page, name="map"),
    path("karta.json", overview.map_data, name="map_data"),
    path("karta/vy.json", overview.map_view_data, name="map_view"),
    path("tabell/", overview.table, name="table"),
    path("sa-raknar-vi/", method.method, name="method"),
    path("export.csv", overview.export_csv, name="export_csv"),
    path("export.geojson", overview.export_geojson, name="export_geojson"),
    path("handelser/ny/", incidents.incident_create, name="incident_create"),
    path("handelser/<int:pk>/", incidents.incident_detail, name="incident_detail"),
    path("handelser/<int:pk>/andra/", incidents.incident_edit, name="incident_edit"),
    path("moten/", meetings.meeting_list, name="meeting_list"),
    path("moten/nytt/", meetings.meeting_create, name="meeting_create"),
    path("moten/<int:pk>/", meetings.meeting_detail, name="meeting_detail"),
    path("moten/<int:pk>/andra/", meetings.meeting_edit, name="meeting_edit"),
    path("moten/<int:pk>/rakna-om/", meetings.meeting_recompute, name="meeting_recompute"),
    path("moten/<int:pk>/underlag.pdf", meetings.meeting_brief_pdf, name="meeting_brief_pdf"),
    path("moten/<int:pk>/underlag.docx", meetings.meeting_brief_docx, name="meeting_brief_docx"),
    path("fokusomraden/", measures.focus_area_list, name="focus_area_list"),
    path("fokusomraden/nytt/", measures.focus_area_create, name="focus_area_create"),
    path("fokusomraden/<int:pk>/", measures.focus_area_detail, name="focus_area_detail"),
    path("fokusomraden/<int:pk>/andra/", measures.focus_area_edit, name="focus_area_edit"),
    path("atgarder/", measures.action_list, name="action_list"),
    path("atgarder/ny/", measures.action_create, name="action_create"),
    path("atgarder/<int:pk>/", measures.action_detail, name="action_detail"),
    path("atgarder/<int:pk>/andra/", measures.action_edit, name="action_edit"),
    path("atgarder/<int:pk>/status/", measures.action_status, name="action_status"),
    path("kameror/", registers.camera_list, name="camera_list"),
    path("kameror/ny/", registers.camera_create, name="camera_create"),
    path("kameror/<int:pk>/andra/", registers.camera_edit, name="camera_edit"),
    path("kategorier/", registers.category_list, name="category_list"),
    path("kategorier/ny/", registers.category_create, name="category_create"),
    path("kategorier/<int:pk>/andra/", registers.category_edit, name="category_edit"),
]
