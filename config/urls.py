from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from config.health import healthz, healthz_db
from marketplace.views.accounts import limited_login

admin.site.site_header = "Tandem operations"
admin.site.site_title = "Tandem admin"
admin.site.login = limited_login(admin.site.login)  # type: ignore[method-assign]

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("healthz/db", healthz_db, name="healthz_db"),
    path("admin/", admin.site.urls),
    path("api/v1/", include("offers.api.urls")),
    path("api/v1/", include("recruiter.api.urls")),
    path("api/v1/", include("hiring.api.urls")),
    path("api/v1/", include("marketplace.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("recruiter/", include("recruiter.urls")),
    path("", include("hiring.urls")),  # before marketplace's: /jobs/new/ starts with Uma
    path("", include("offers.urls")),
    path("", include("marketplace.urls")),
]
