from django.urls import path

from yurd.claims import views

app_name = "claims"
urlpatterns = [
    path("", views.claim_list, name="claim_list"),
    path("new/", views.claim_create, name="claim_create"),
    path("export/", views.claim_export, name="claim_export"),
    path("status/", views.status_lookup, name="status_lookup"),
    path("progress/", views.progress, name="progress"),
    path("progress/households/", views.progress_households, name="progress_households"),
    path("valuation/", views.valuation_list, name="valuation_list"),
    path("valuation/import/", views.valuation_import, name="valuation_import"),
    path("valuation/import/<int:pk>/", views.valuation_import_detail, name="valuation_import_detail"),
    path("valuation/v<int:version>/", views.valuation_detail, name="valuation_detail"),
    path("properties/duplicates/", views.property_duplicates, name="property_duplicates"),
    path("properties/duplicates/<int:pk>/review/", views.property_duplicate_review, name="property_duplicate_review"),
    path("review/", views.review_queue, name="review_queue"),
    path("cohorts/", views.cohort_list, name="cohort_list"),
    path("cohorts/open/", views.cohort_open, name="cohort_open"),
    path("cohorts/batches/<int:pk>/", views.batch_detail, name="batch_detail"),
    path("cohorts/<str:code>/", views.cohort_detail, name="cohort_detail"),
    path("<str:case_number>/", views.claim_detail, name="claim_detail"),
    path("<str:case_number>/edit/", views.claim_edit, name="claim_edit"),
    path("<str:case_number>/items/new/", views.loss_item_create, name="loss_item_create"),
    path("<str:case_number>/items/<int:pk>/delete/", views.loss_item_delete, name="loss_item_delete"),
    path("<str:case_number>/steps/<str:name>/", views.claim_transition, name="claim_transition"),
    path("<str:case_number>/shares/review/", views.share_override_review, name="share_override_review"),
    path("<str:case_number>/flag/clear/", views.review_flag_clear, name="review_flag_clear"),
    path("<str:case_number>/secret/", views.claim_secret, name="claim_secret"),
    path("<str:case_number>/appeals/<int:pk>/decide/", views.appeal_decide, name="appeal_decide"),
    path("<str:case_number>/revalue/", views.claim_revalue, name="claim_revalue"),
    path("<str:case_number>/decisions/<int:number>/", views.decision_detail, name="decision_detail"),
    path("<str:case_number>/decisions/<int:number>/letter.pdf", views.decision_letter, name="decision_letter"),
    path(
        "<str:case_number>/decisions/<int:number>/letter/sent/",
        views.decision_letter_send,
        name="decision_letter_send",
    ),
    path("<str:case_number>/letters/<int:pk>.pdf", views.letter_reprint, name="letter_reprint"),
    path("<str:case_number>/letters/<str:kind>/", views.claim_letter, name="claim_letter"),
]
