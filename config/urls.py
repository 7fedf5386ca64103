from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path

urlpatterns: list[URLPattern | URLResolver] = [
    path("", include("yurd.core.urls")),
    path("accounts/", include("yurd.accounts.urls")),
    path("places/", include("yurd.places.urls")),
    path("registry/", include("yurd.registry.urls")),
    path("linkage/", include("yurd.linkage.urls")),
    path("casualties/", include("yurd.casualties.urls")),
    path("claims/", include("yurd.claims.urls")),
    path("evidence/", include("yurd.evidence.urls")),
    path("heritage/", include("yurd.heritage.urls")),
    path("testimonies/", include("yurd.testimonies.urls")),
    path("returns/", include("yurd.returns.urls")),
    path("fieldwork/", include("yurd.fieldwork.urls")),
    path("reports/", include("yurd.reports.urls")),
    path("api/", include("yurd.api.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
# No route serves MEDIA_ROOT, not even with DEBUG (as `make demo` runs): it holds the
# evidence vault and exports, which only their views hand out, after the permission
# check and with an access-log entry.
