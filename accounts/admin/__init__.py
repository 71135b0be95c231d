# One module per capability; importing registers its ModelAdmins.
from accounts.admin import invitations, subscribers, users  # noqa: F401
