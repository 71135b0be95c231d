"""factory_boy factories. `PostFactory` makes a draft; `LivePostFactory` a live post.

Test data is built directly in the state a test needs (that is set-up, not a status
change); the transitions themselves are exercised through blog/workflow.py in
tests/test_workflow.py and wherever a test is about moving a post.
"""

from datetime import timedelta

import factory
from django.utils import timezone

from accounts.models import AuthorProfile, User
from blog.models import Page, Post, Series, Status
from comments.models import Comment
from guests.models import Invitation
from newsletter.models import Subscriber
from trends.models import Trend, TrendList

PASSWORD = "geheim-wachtwoord-42"

# Fixed names rather than Faker's: Dutch surnames such as "'t Hart" are HTML-escaped on a
# page, which made tests that look for a name in the HTML fail at random.
FIRST_NAMES = ["Anna", "Bram", "Citlali", "Daan", "Eva", "Fenna", "Gijs", "Hatice", "Ilse",
               "Joris", "Karim", "Lotte", "Mees", "Noor", "Otto", "Priya"]
LAST_NAMES = ["Jansen", "de Vries", "Bakker", "Visser", "Smit", "Meijer", "de Boer", "Mulder",
              "Bos", "Vos", "Peters", "Hendriks", "van Leeuwen", "Dekker", "Brouwer", "Yilmaz"]


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"gebruiker{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    first_name = factory.Iterator(FIRST_NAMES)
    last_name = factory.Iterator(LAST_NAMES)
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save(update_fields=["password"])


class EditorFactory(UserFactory):
    username = factory.Sequence(lambda n: f"redacteur{n}")
    is_staff = True


class GuestFactory(UserFactory):
    username = factory.Sequence(lambda n: f"gast{n}")

    profile = factory.RelatedFactory(
        "tests.factories.AuthorProfileFactory", factory_related_name="user"
    )


class AuthorProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AuthorProfile

    user = factory.SubFactory(UserFactory)
    display_name = factory.LazyAttribute(lambda p: f"{p.user.first_name} {p.user.last_name}")
    bio = "Welzijnswerker en blogger. Meer op https://example.org/over"
    organisation = "Stichting Welzijn"
    role = "opbouwwerker"


class TrendListFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrendList
        django_get_or_create = ("year",)

    year = 2010
    title = factory.LazyAttribute(lambda t: f"Trends welzijnswerk {t.year}")


class TrendFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Trend

    trend_list = factory.SubFactory(TrendListFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Trend nummer {n + 1}")
    description = "Een voorspelling voor het welzijnswerk."


class SeriesFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Series

    title = factory.Sequence(lambda n: f"Reeks {n}")
    intro = "Gastbloggers blikken terug."


class PostFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Post
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Bericht nummer {n}")
    author = factory.SubFactory(GuestFactory)
    intro = ""
    body_markdown = "Een eerste alinea.\n\nEen tweede alinea met **nadruk**."
    status = Status.DRAFT

    @factory.post_generation
    def tags(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.tags.add(*extracted)


class LivePostFactory(PostFactory):
    status = Status.APPROVED
    publish_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))
    announced_at = factory.LazyAttribute(lambda p: p.publish_at)


class ScheduledPostFactory(PostFactory):
    status = Status.APPROVED
    publish_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=3))


class PageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Page

    title = factory.Sequence(lambda n: f"Pagina {n}")
    body_markdown = "Over deze site."


class CommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Comment

    post = factory.SubFactory(LivePostFactory)
    name = factory.Sequence(lambda n: f"{FIRST_NAMES[n % 16]} {LAST_NAMES[(n // 16) % 16]}")
    email = factory.Sequence(lambda n: f"lezer{n}@example.org")
    body = "Mooi stuk, dank je wel."
    status = Comment.Status.APPROVED


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invitation

    email = factory.Sequence(lambda n: f"uitgenodigd{n}@example.org")
    invited_by = factory.SubFactory(EditorFactory)


# --- the editor's desk (issue 4) ---------------------------------------------------------

class SubmittedPostFactory(PostFactory):
    """A guest post handed in `submitted_at` ago (set-up data, not a transition)."""

    status = Status.SUBMITTED
    submitted_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))


# --- the mailing list (issue 7) ----------------------------------------------------------

class SubscriberFactory(factory.django.DjangoModelFactory):
    """A confirmed mailing-list address (confirmed a month ago); pass confirmed_at=None for
    a pending one, unsubscribed_at=… for one that left."""

    class Meta:
        model = Subscriber

    email = factory.Sequence(lambda n: f"abonnee{n}@example.org")
    name = factory.Iterator(FIRST_NAMES)
    created_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=31))
    confirmation_sent_at = factory.LazyAttribute(lambda s: s.created_at)
    confirmation_mails = 1
    confirmed_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=30))
