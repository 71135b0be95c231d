"""Joining: /uitnodiging/<token>/ and /schrijf-mee/."""

from django.urls import path

from guests import views

app_name = "join"

urlpatterns = [
    path("uitnodiging/<str:token>/", views.invitation, name="invitation"),
    path("schrijf-mee/", views.pitch, name="pitch"),
    path("schrijf-mee/bedankt/", views.pitch_thanks, name="pitch-thanks"),
]
