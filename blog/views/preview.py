"""Scaffolding: the signed preview page is built under issue 3."""

from django.http import Http404


def signed_preview(request, token):
    raise Http404
