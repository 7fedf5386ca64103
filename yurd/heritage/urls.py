from django.urls import path

from yurd.heritage import views

app_name = "heritage"
urlpatterns = [
    path("", views.site_list, name="site_list"),
    path("map/", views.site_map, name="site_map"),
    path("map/data.json", views.site_map_data, name="site_map_data"),
    path("sites/new/", views.site_create, name="site_create"),
    path("sites/<str:code>/", views.site_detail, name="site_detail"),
    path("sites/<str:code>/edit/", views.site_edit, name="site_edit"),
    path("sites/<str:code>/observations/new/", views.observation_create, name="observation_create"),
    path("sites/<str:code>/dossier.pdf", views.site_dossier_pdf, name="site_dossier_pdf"),
    path("sites/<str:code>/linked-art.jsonld", views.site_jsonld, name="site_jsonld"),
    path("observations/<str:code>/review/", views.observation_review, name="observation_review"),
    path("review/", views.review_queue, name="review_queue"),
    path("export/sites.geojson", views.export_geojson, name="export_geojson"),
    path("export/sites.kml", views.export_kml, name="export_kml"),
    path("export/sites.csv", views.export_csv, name="export_csv"),
    path("catalogue/", views.public_catalogue, name="public_catalogue"),
    path("catalogue/map/data.json", views.public_map_data, name="public_map_data"),
    path("catalogue/<str:code>/", views.public_site, name="public_site"),
]
