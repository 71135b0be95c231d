"""Requests whose address cannot be meant: answered 400 before any view or query sees them.

A NUL byte (`%00`) in a path, a query or a token used to reach PostgreSQL, which refuses
NUL in text, and came back as a 500 on any 404 path, `?q=`, and the invitation, newsletter
and preview links. No address or query of this site holds a control character, so one check
here covers every view, present and future.
"""

import re

from django.shortcuts import render

# C0 controls and DEL; in query values a tab or a line break may come from a pasted text.
PATH_FORBIDDEN = re.compile(r"[\x00-\x1f\x7f]")
QUERY_FORBIDDEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def has_control_characters(request) -> bool:
    if PATH_FORBIDDEN.search(request.path_info):
        return True
    for key, values in request.GET.lists():
        if PATH_FORBIDDEN.search(key) or any(QUERY_FORBIDDEN.search(v) for v in values):
            return True
    return False


class RejectControlCharactersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if has_control_characters(request):
            return render(request, "400.html", status=400)
        return self.get_response(request)
