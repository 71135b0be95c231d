"""Reader comments (issue 5 fills these in)."""

app_name = "comments"

urlpatterns = []
