"""Joining: /uitnodiging/<token>/ and /schrijf-mee/ (issue 3)."""

app_name = "join"

urlpatterns = []
