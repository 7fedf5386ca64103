from django.urls import path

from yurd.accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("login/code/", views.verify, name="verify"),
    path("logout/", views.logout_view, name="logout"),
    path("profile/", views.profile, name="profile"),
    path("profile/language/", views.language, name="language"),
    path("profile/tokens/", views.api_token_create, name="api_token_create"),
    path("profile/tokens/<int:token_id>/revoke/", views.api_token_revoke, name="api_token_revoke"),
    path("profile/password/", views.password_change, name="password_change"),
    path("two-factor/", views.two_factor_setup, name="two_factor_setup"),
    path("two-factor/<int:device_id>/remove/", views.two_factor_remove, name="two_factor_remove"),
]
