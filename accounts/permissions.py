"""Editors are active staff users, and an editor may do everything in the admin.

The blog has one editorial role, so instead of maintaining Django permission rows for it
this backend grants every permission to active staff. Guests are never staff and so get
none; superusers keep Django's own behaviour.
"""


class EditorPermissionBackend:
    def authenticate(self, request, **credentials):
        return None  # permissions only; ModelBackend (or another) authenticates

    def has_perm(self, user_obj, perm, obj=None):
        return bool(user_obj.is_active and user_obj.is_staff)

    def has_module_perms(self, user_obj, app_label):
        return bool(user_obj.is_active and user_obj.is_staff)
