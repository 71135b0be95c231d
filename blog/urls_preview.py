from django.urls import path

from blog.views import preview

app_name = "preview"

urlpatterns = [
    path("voorbeeld/<str:token>/", preview.signed_preview, name="post"),
]
