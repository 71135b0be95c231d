"""The Markdown editor's live preview (blog.widgets.MarkdownEditor), for the desk and the admin."""

from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from blog.editing import MAX_BODY
from core import content
from core.http import private_page


@private_page
@require_POST
def render_markdown(request):
    """The same Markdown rendering and sanitising as the published page, for a signed-in
    writer (guest or editor); JSON, so the script can tell a lost session from an error."""
    if not request.user.is_authenticated or not request.user.is_active:
        return JsonResponse({"error": _("Je bent niet meer ingelogd. Log opnieuw in; je tekst "
                                        "staat nog in het formulier."), "login": True},
                            status=403)
    text = request.POST.get("body", "")
    if len(text) > MAX_BODY:
        return JsonResponse({"error": _("De tekst is te lang voor een voorbeeld.")}, status=400)
    return JsonResponse({"html": content.render_markdown(text)})
