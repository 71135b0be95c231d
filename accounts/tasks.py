"""Work that leaves the account pages' requests: the password-reset mail.

The reset page answers every address the same way and in the same time: the request only
enqueues this task (one row in the task table, whatever the address), and the task looks the
address up and queues a mail for each account it belongs to.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django_tasks import task


@task(takes_context=True)
def send_password_reset(context, email: str) -> int:
    """Queue a reset mail for every active account with this address; returns how many."""
    from accounts.forms import WelzijnPasswordResetForm

    form = WelzijnPasswordResetForm(data={"email": email})
    if not form.is_valid():
        return 0
    form.event = context.task_result.id
    site = urlsplit(settings.SITE_URL)
    form.save(domain_override=site.netloc, use_https=site.scheme == "https")
    return len(list(form.get_users(form.cleaned_data["email"])))
