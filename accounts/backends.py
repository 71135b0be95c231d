"""Log in with either the username or the e-mail address.

Guests get a username made from their address and never need to know it; editors may keep
using their username. Addresses are unique case-insensitively (a database constraint), so
an address names at most one account.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class EmailOrUsernameBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        model = get_user_model()
        login = username if username is not None else kwargs.get(model.USERNAME_FIELD)
        if not login or password is None:
            return None
        login = login.strip()
        if "@" in login:
            user = model._default_manager.filter(email__iexact=login).first()
        else:
            user = model._default_manager.filter(username=login).first()
        if user is None:
            # Spend the time of a password check anyway: timing reveals no accounts.
            model().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
