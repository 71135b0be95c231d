"""Scaffolding: the writing desk is built under issue 3."""

from django.http import Http404


def dashboard(request):
    raise Http404


def edit(request, pk):
    raise Http404
