from django.urls import path

from yurd.testimonies import views

app_name = "testimonies"
urlpatterns = [
    path("", views.testimony_list, name="testimony_list"),
    path("search/", views.testimony_search, name="search"),
    path("export/", views.testimony_export, name="export"),
    path("thesaurus/", views.term_list, name="term_list"),
    path("thesaurus/<int:pk>/decide/", views.term_decide, name="term_decide"),
    path("thesaurus/propose/", views.term_propose_inline, name="term_propose_inline"),
    path("new/", views.testimony_create, name="testimony_create"),
    path("<str:code>/", views.testimony_detail, name="testimony_detail"),
    path("<str:code>/segments/<int:segment>/", views.segment_link, name="segment_link"),
    path("<str:code>/withdraw/", views.testimony_withdraw, name="withdraw"),
    path("<str:code>/edit/", views.testimony_edit, name="testimony_edit"),
    path("<str:code>/transcripts/new/", views.transcript_edit, name="transcript_add"),
    path("<str:code>/transcripts/<int:pk>/", views.transcript_edit, name="transcript_edit"),
    path("<str:code>/segments/new/", views.segment_edit, name="segment_add"),
    path("<str:code>/segments/<int:pk>/edit/", views.segment_edit, name="segment_edit"),
    path("<str:code>/segments/<int:pk>/delete/", views.segment_delete, name="segment_delete"),
]
