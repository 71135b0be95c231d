"""Top-level URLs. Each capability keeps its own URL module; this file only includes them."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.static import serve

urlpatterns = [
    path("beheer/", admin.site.urls),
    path("account/", include("accounts.urls")),
    path("", include("accounts.urls_public")),
    path("nieuwsbrief/", include("accounts.urls_newsletter")),
    path("schrijven/", include("blog.urls.desk")),
    path("", include("blog.urls.preview")),
    path("", include("blog.urls.comments")),
    path("", include("blog.urls.public")),
]

if settings.SERVE_MEDIA:
    urlpatterns += [
        re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT}),
    ]
