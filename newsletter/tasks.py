"""Work that leaves the sign-up request: the sign-up itself, and with it the confirmation mail.

The sign-up form answers every address the same way and in the same time: the request only
enqueues `sign_up` (one row in the task table, whatever the address); the task applies the
rules (`subscriptions.subscribe`) and queues the confirmation mail, if any, in the outbox.
"""

from django_tasks import task


@task()
def sign_up(email: str, name: str = "") -> str:
    from newsletter import subscriptions

    return subscriptions.subscribe(email=email, name=name).value
