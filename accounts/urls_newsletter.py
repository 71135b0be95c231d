"""The mailing list at /nieuwsbrief/ (issue 7)."""

app_name = "newsletter"

urlpatterns = []
