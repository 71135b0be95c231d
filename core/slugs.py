"""Unique slugs and names: `base`, then `base-2`, `base-3`, … until one is free."""

from django.utils.text import slugify


def free_value(queryset, field: str, base: str, *, ignore_case: bool = False) -> str:
    """The first of `base`, `base-2`, `base-3`, … that no row of `queryset` has in `field`."""
    lookup = f"{field}__iexact" if ignore_case else field
    candidate, n = base, 2
    while queryset.filter(**{lookup: candidate}).exists():
        candidate = f"{base}-{n}"
        n += 1
    return candidate


def unique_slug(model, value: str, *, field: str = "slug", instance_pk=None, max_length=100) -> str:
    """A slug for `value` that no other row of `model` uses yet."""
    base = slugify(value)[: max_length - 6].strip("-") or "x"
    others = model._default_manager.exclude(pk=instance_pk) if instance_pk else model._default_manager
    return free_value(others.all(), field, base)
