from django.urls import path

from yurd.registry import views

app_name = "registry"
urlpatterns = [
    path("", views.household_list, name="household_list"),
    path("households/<str:code>/", views.household_detail, name="household_detail"),
    path("households/<str:code>/edit/", views.household_edit, name="household_edit"),
    path("households/<str:code>/history/", views.household_history, name="household_history"),
    path("people/", views.person_list, name="person_list"),
    path("people/<str:code>/", views.person_detail, name="person_detail"),
    path("people/<str:code>/edit/", views.person_edit, name="person_edit"),
    path("people/<str:code>/history/", views.person_history, name="person_history"),
    path("people/<str:code>/heir-line/", views.heir_line_create, name="heir_line_create"),
    path("people/<str:code>/consents/", views.consent_add, name="consent_add"),
    path("people/<str:code>/consents/<int:consent_id>/withdraw/", views.consent_withdraw, name="consent_withdraw"),
    path("people/<str:code>/names/add/", views.person_name_add, name="person_name_add"),
    path("people/<str:code>/names/<int:pk>/edit/", views.person_name_edit, name="person_name_edit"),
    path("people/<str:code>/names/<int:pk>/remove/", views.person_name_remove, name="person_name_remove"),
    path("people/<str:code>/kinship/add/", views.kinship_add, name="kinship_add"),
    path("people/<str:code>/kinship/<int:pk>/remove/", views.kinship_remove, name="kinship_remove"),
    path("people/<str:code>/contact/", views.contact_edit, name="contact_edit"),
    path("people/<str:code>/documents/add/", views.document_add, name="document_add"),
    path("people/<str:code>/documents/<int:pk>/edit/", views.document_edit, name="document_edit"),
    path("people/<str:code>/documents/<int:pk>/remove/", views.document_remove, name="document_remove"),
    path("search/", views.search, name="search"),
    path("register/", views.register, name="register"),
    path("register/cancel/", views.register_cancel, name="register_cancel"),
    path("register/<str:step>/", views.register, name="register_step"),
    path("imports/", views.import_list, name="import_list"),
    path("imports/new/", views.import_new, name="import_new"),
    path("imports/template.csv", views.import_template, name="import_template"),
    path("imports/<int:pk>/", views.import_detail, name="import_detail"),
    path("imports/<int:pk>/commit/", views.import_commit, name="import_commit"),
    path("imports/<int:pk>/rejected.csv", views.import_rejected, name="import_rejected"),
    path("export/", views.export, name="export"),
]
