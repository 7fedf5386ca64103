from django.urls import path

from yurd.places import views

app_name = "places"
urlpatterns = [
    path("", views.place_list_view, name="place_list"),
    path("new/", views.place_create_view, name="place_create"),
    path("import/", views.place_import_view, name="place_import"),
    path("import/<int:pk>/", views.place_import_detail_view, name="place_import_detail"),
    path("import/<int:pk>/commit/", views.place_import_commit_view, name="place_import_commit"),
    path("<str:code>/", views.place_detail_view, name="place_detail"),
    path("<str:code>/edit/", views.place_edit_view, name="place_edit"),
    path("<str:code>/names/new/", views.place_name_add_view, name="place_name_add"),
    path("<str:code>/names/<int:name_id>/edit/", views.place_name_edit_view, name="place_name_edit"),
]
