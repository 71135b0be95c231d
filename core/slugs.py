"""Unique slugs for any model with a slug field."""

from django.utils.text import slugify


def unique_slug(model, value: str, *, field: str = "slug", instance_pk=None, max_length=100) -> str:
    """A slug for `value` that no other row of `model` uses yet (adds -2, -3, …)."""
    base = slugify(value)[: max_length - 6].strip("-") or "x"
    candidate, n = base, 2
    others = model._default_manager.exclude(pk=instance_pk) if instance_pk else model._default_manager
    while others.filter(**{field: candidate}).exists():
        candidate = f"{base}-{n}"
        n += 1
    return candidate
