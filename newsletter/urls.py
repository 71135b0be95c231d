"""The mailing list at /nieuwsbrief/ (issue 7)."""

from django.urls import path

from newsletter import views

app_name = "newsletter"

urlpatterns = [
    path("", views.subscribe, name="subscribe"),
    path("bedankt/", views.thanks, name="thanks"),
    path("bevestig/<str:token>/", views.confirm, name="confirm"),
    path("afmelden/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
