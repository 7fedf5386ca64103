from django.urls import path

from yurd.reports import maps, views

app_name = "reports"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("map-layers/", maps.map_layers_view, name="map_layers"),
    path("statistics/", views.statistics, name="statistics"),
    path("annual-report/", views.annual_report, name="annual_report"),
    path("exports/", views.export_list, name="export_list"),
    path("exports/download/<str:token>/", views.export_download, name="export_download"),
    path("public/", views.public_home, name="public"),
    path("public/data-protection/", views.data_protection, name="data_protection"),
]
