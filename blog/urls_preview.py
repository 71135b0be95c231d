from django.urls import path

from blog.views import editor, preview

app_name = "preview"

urlpatterns = [
    path("tekstvoorbeeld/", editor.render_markdown, name="markdown"),
    path("voorbeeld/<str:token>/", preview.signed_preview, name="post"),
]
