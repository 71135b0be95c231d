"""The admin speaks Dutch: every column, filter and field the editor sees has a Dutch name
written for it (a field's verbose_name or an @admin.display description), never Django's
English fallback made from the code name ("CREATED AT", "ACCEPTED BY", "UPDATED AT")."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.admin.utils import label_for_field
from django.core.exceptions import FieldDoesNotExist
from django.test import RequestFactory

from tests.factories import EditorFactory

PROJECT_APPS = {"accounts", "trends", "blog", "comments", "guests", "newsletter", "wordpress"}


def admins():
    return [(model, model_admin) for model, model_admin in admin.site._registry.items()
            if model._meta.app_label in PROJECT_APPS]


def names_shown(model_admin, request):
    """Every field or column name the list and the change page show."""
    names = [n for n in model_admin.get_list_display(request) if n != "__str__"]
    for item in model_admin.get_list_filter(request):
        if isinstance(item, str):
            names.append(item)
        elif isinstance(item, tuple):
            names.append(item[0])
    for fieldset in model_admin.get_fieldsets(request):
        for line in fieldset[1]["fields"]:
            names.extend(line if isinstance(line, (list, tuple)) else [line])
    names.extend(model_admin.get_readonly_fields(request))
    for inline in model_admin.get_inline_instances(request):
        names.extend(f"{inline.model._meta.label}:{n}" for n in inline.get_fields(request))
    return names


def unnamed(model, model_admin, name) -> str | None:
    """Why `name` would show Django's English fallback, or None when it is named."""
    if ":" in name:  # a field of an inline's model
        label, name = name.split(":")
        model = apps.get_model(label)
    if name == "action_checkbox":
        return None
    try:
        field = model._meta.get_field(name.split("__")[0])
    except FieldDoesNotExist:
        attr = getattr(model_admin, name, None) or getattr(model, name, None)
        if attr is None:
            return None  # a form-only field: its label is set on the form
        if isinstance(attr, property):
            attr = attr.fget
        described = getattr(attr, "short_description", None)
        return None if described else f"{name}: no @admin.display(description=…)"
    if field.is_relation and field.auto_created:
        return None
    if getattr(field, "_verbose_name", None) is None:
        return f"{name}: no verbose_name"
    return None


@pytest.mark.django_db
def test_every_column_filter_and_field_has_a_dutch_name():
    request = RequestFactory().get("/beheer/")
    request.user = EditorFactory()
    missing = []
    for model, model_admin in admins():
        for name in names_shown(model_admin, request):
            why = unnamed(model, model_admin, name)
            if why:
                missing.append(f"{model._meta.label}.{why}")
    assert not missing, "\n".join(sorted(set(missing)))


@pytest.mark.django_db
def test_the_headers_named_in_the_issue_are_dutch_now(editor_client):
    from guests.models import Invitation
    from wordpress.models import LegacyRedirect

    assert str(label_for_field("created_at", LegacyRedirect)).lower() != "created at"
    assert str(label_for_field("accepted_by", Invitation)).lower() != "accepted by"
    html = editor_client.get("/beheer/guests/invitation/").content.decode()
    for english in ("Created at", "Accepted by", "Updated at", "Sent at", "Expires at"):
        assert english not in html and english.upper() not in html
