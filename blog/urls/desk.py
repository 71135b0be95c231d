"""The guest author's writing desk at /schrijven/ (issue 3 fills these in)."""

from django.urls import path

from blog.views import desk

app_name = "desk"

urlpatterns = [
    path("", desk.dashboard, name="dashboard"),
    path("<int:pk>/", desk.edit, name="edit"),
]
