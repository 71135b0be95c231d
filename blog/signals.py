"""What other apps can listen to, so `blog` never has to import them.

- `post_transitioned(sender=Post, event_id=int)`: a workflow step (that PostEvent) was
  committed. Sent after the commit; receivers are called robustly (a receiver's failure is
  logged, the step stands).
- `post_went_live(sender=Post, post=Post)`: `go_live` is handling this post's go-live, once.
  Sent inside the post's transaction: a receiver's database writes share its fate, and a
  receiver that raises rolls the post back, so it is tried again on the next run. Receivers
  run in the order they were connected; one that sends mail must tolerate being repeated
  after a later receiver failed.
"""

from django.dispatch import Signal

post_transitioned = Signal()
post_went_live = Signal()
