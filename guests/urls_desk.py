"""The guest author's writing desk at /schrijven/."""

from django.urls import path

from guests import desk

app_name = "desk"

urlpatterns = [
    path("", desk.dashboard, name="dashboard"),
    path("nieuw/", desk.new, name="new"),
    path("<int:pk>/", desk.edit, name="edit"),
    path("<int:pk>/voorbeeld/", desk.preview, name="preview"),
    path("<int:pk>/wijzigingen/", desk.history, name="history"),
    path("<int:pk>/stap/<slug:name>/", desk.transition, name="transition"),
    path("afbeelding/", desk.upload_image, name="upload-image"),
    path("nieuw/automatisch/", desk.autosave, name="autosave-new"),
    path("<int:pk>/automatisch/", desk.autosave, name="autosave"),
]
