from django.urls import path

from yurd.testimonies import apis, views

app_name = "testimonies"
urlpatterns = [
    path("", views.testimony_list, name="testimony_list"),
    path("search/", views.testimony_search, name="search"),
    path("export/", views.testimony_export, name="export"),
    path("thesaurus/", views.term_list, name="term_list"),
    path("thesaurus/<int:pk>/decide/", views.term_decide, name="term_decide"),
    path("api/testimonies/", apis.TestimonyListApi.as_view(), name="api_testimony_list"),
    path("api/testimonies/<str:code>/", apis.TestimonyDetailApi.as_view(), name="api_testimony_detail"),
    path("<str:code>/", views.testimony_detail, name="testimony_detail"),
    path("<str:code>/segments/<int:segment>/", views.segment_link, name="segment_link"),
    path("<str:code>/withdraw/", views.testimony_withdraw, name="withdraw"),
]
