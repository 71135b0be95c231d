"""Author profiles: the fields a guest keeps up to date, and the profile photo.

The photo goes through core.images before it gets here (a StoredImage of cleaned
renditions); the upload itself is never stored. A replaced photo's files are deleted once
the new one is committed.

Photos are stored in their own folder, `PHOTO_FOLDER`: they belong to a person, not to a
post, so they do not go through blog.images (which is above accounts) nor into its folder.
"""

from django.db import transaction

from accounts.models import AuthorProfile
from core.images import StoredImage, delete_stored

PHOTO_FOLDER = "profielen"
PROFILE_FIELDS = ("display_name", "bio", "organisation", "role", "website", "linkedin", "twitter")


@transaction.atomic
def update_profile(
    *, user, fields: dict, photo: StoredImage | None = None, remove_photo: bool = False
) -> AuthorProfile:
    """Create or update `user`'s profile; `photo` replaces the current one."""
    unknown = set(fields) - set(PROFILE_FIELDS)
    if unknown:
        raise ValueError(f"not profile fields: {sorted(unknown)}")
    profile = AuthorProfile.objects.select_for_update().filter(user=user).first()
    if profile is None:
        profile = AuthorProfile(user=user)
    for name, value in fields.items():
        setattr(profile, name, value)
    old = dict(profile.photo_renditions or {})
    if photo is not None:
        profile.photo.name = photo.name
        profile.photo_renditions = photo.renditions
    elif remove_photo:
        profile.photo.name = ""
        profile.photo_renditions = {}
    profile.save()
    if old and (photo is not None or remove_photo):
        transaction.on_commit(lambda: delete_stored(old))
    return profile
