"""Top-level URLs. Each capability keeps its own URL module; this file only includes them."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.static import serve

from core.formkeys import form_keys_view

urlpatterns = [
    path("beheer/", admin.site.urls),
    # The reader's CSRF token and form timestamp, fetched by static/js/formkeys.js.
    path("formulier/sleutels/", form_keys_view, name="form-keys"),
    path("account/", include("accounts.urls")),
    path("", include("guests.urls")),
    path("nieuwsbrief/", include("newsletter.urls")),
    path("schrijven/", include("guests.urls_desk")),
    path("", include("blog.urls_preview")),
    path("", include("comments.urls")),
    path("", include("blog.urls")),
]

if settings.SERVE_MEDIA:
    urlpatterns += [
        re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT}),
    ]
