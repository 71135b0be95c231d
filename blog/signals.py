"""What other apps can listen to, so `blog` never has to import them.

- `post_transitioned(sender=Post, event_id=int)`: a workflow step (that PostEvent) is being
  made. Sent inside the step's transaction, in a savepoint, so what receivers write (the
  mails they queue in the outbox) commits with the step; a receiver that raises is logged,
  its savepoint rolled back, and the step stands.
- `post_went_live(sender=Post, post=Post)`: `go_live` is handling this post's go-live, once.
  Sent inside the post's transaction: a receiver's database writes share its fate, and a
  receiver that raises rolls the post back, so it is tried again on the next run. Receivers
  run in the order they were connected; one that sends mail must tolerate being repeated
  after a later receiver failed.
"""

from django.dispatch import Signal

post_transitioned = Signal()
post_went_live = Signal()
