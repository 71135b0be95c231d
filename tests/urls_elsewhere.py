"""The site's URLs under /elders/ (tests/test_links.py)."""

from django.urls import include, path

urlpatterns = [path("elders/", include("welzijn.urls"))]
