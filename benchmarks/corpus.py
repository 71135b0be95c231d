"""The fixed benchmark blog for `make bench` (issue 11): the same site on every run.

100 live posts of 1,000 words (Markdown: paragraphs, a heading, a list, links), each with
2 of 10 tags and 20 approved comments (every fourth one a reply), by five guest authors
with profiles, one a day back from a fixed moment. Everything is derived from one seeded
random generator, so two runs (and two machines) load byte-for-byte the same texts.

Posts are saved through `Post.save()` (so their HTML and summaries are what the site makes);
comments are bulk-inserted with the HTML `core.content` renders for them.
"""

import random
from datetime import UTC, datetime, timedelta

WORDS = (
    "welzijn wijk buurt bewoners vrijwilligers sociaal werk jongeren ouderen gemeente "
    "participatie netwerk zorg mantelzorg samenwerking professional organisatie beleid "
    "keukentafel gesprek ontmoeting initiatief eigen kracht activering talent school "
    "huiskamer project subsidie verantwoording resultaat effect methodiek praktijk "
    "twitter blog social media online dialoog campagne bereik doelgroep wijkteam "
    "preventie signalering armoede schulden eenzaamheid gezondheid sport cultuur "
    "en de het een van in op met voor door naar over bij als maar ook niet wel nog "
    "altijd samen steeds vaker minder meer goed nieuw klein groot lokaal landelijk"
).split()
NAMES = ["Anna", "Bram", "Citlali", "Daan", "Eva", "Fenna", "Gijs", "Hatice", "Ilse",
         "Joris", "Karim", "Lotte", "Mees", "Noor", "Otto", "Priya"]
AUTHORS = [("Hans Versteegh", "hans"), ("Carel de Mari", "carel"), ("Jos Reinders", "jos"),
           ("Teun Hofmeijer", "teun"), ("Daphne van Knippenberg", "daphne")]
TAGS = ["sociale media", "wijkgericht werken", "participatie", "vrijwilligers", "jeugd",
        "ouderen", "beleid", "samenwerking", "innovatie", "gastblog"]
START = datetime(2011, 6, 1, 5, 0, tzinfo=UTC)  # 07:00 in Amsterdam


def sentence(rng: random.Random, low=8, high=18) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(low, high))]
    return " ".join(words).capitalize() + "."


def post_markdown(rng: random.Random, words: int) -> str:
    """About `words` words of Markdown: paragraphs, one heading, one list, a few links."""
    blocks, count = [], 0
    while count < words:
        paragraph = " ".join(sentence(rng) for _ in range(rng.randint(4, 7)))
        if rng.random() < 0.3:
            paragraph += f" Lees ook [{rng.choice(WORDS)}](https://example.org/{rng.randint(1, 999)}/)."
        blocks.append(paragraph)
        count += len(paragraph.split())
        if len(blocks) == 3:
            blocks.append("## " + sentence(rng, 3, 6)[:-1])
        if len(blocks) == 6:
            blocks.append("\n".join(f"- {sentence(rng, 4, 9)}" for _ in range(4)))
    return "\n\n".join(blocks)


def load(*, posts: int = 100, words: int = 1000, comments: int = 20, seed: int = 2010) -> dict:
    """Fill an empty, migrated database; returns what a benchmark needs to know."""
    from django.db import transaction
    from taggit.models import Tag

    from accounts.models import AuthorProfile, User
    from blog.models import Post, Status
    from comments.models import Comment, email_hash
    from core import content

    rng = random.Random(seed)
    with transaction.atomic():
        if Post.objects.exists():
            raise SystemExit("the benchmark database is not empty")
        authors = []
        for name, username in AUTHORS:
            user = User.objects.create(username=username, email=f"{username}@example.org",
                                       first_name=name.split()[0], last_name=name.split()[-1])
            AuthorProfile.objects.create(user=user, display_name=name, slug=username,
                                         bio=sentence(rng) + " " + sentence(rng),
                                         organisation="Welzijn Nederland")
            authors.append(user)
        tags = [Tag.objects.create(name=name, slug=name.replace(" ", "-")) for name in TAGS]
        made = []
        for i in range(posts):
            when = START - timedelta(days=i)
            post = Post(
                title=sentence(rng, 4, 8)[:-1],
                author=authors[i % len(authors)],
                body_markdown=post_markdown(rng, words),
                status=Status.APPROVED,  # set-up of a fixed world, not a status change
                publish_at=when,
                announced_at=when,
                created_at=when - timedelta(days=2),
            )
            post.save()
            post.tags.add(*rng.sample(tags, 2))
            made.append(post)
        rows = []
        for post in made:
            for k in range(comments):
                name = rng.choice(NAMES)
                body = " ".join(sentence(rng) for _ in range(rng.randint(2, 5)))
                rows.append(Comment(
                    post=post, name=name, email=f"{name.lower()}{k}@example.org",
                    body=body, body_html=content.plain_text_to_html(body),
                    status=Comment.Status.APPROVED, email_hash=email_hash(f"{name}{k}"),
                    created_at=post.publish_at + timedelta(hours=k + 1),
                ))
        Comment.objects.bulk_create(rows, batch_size=500)
        # Every fourth comment answers the one before it: threads two and three deep.
        by_post: dict[int, list[Comment]] = {}
        for comment in Comment.objects.order_by("post_id", "created_at", "pk"):
            by_post.setdefault(comment.post_id, []).append(comment)
        replies = []
        for thread in by_post.values():
            for k in range(3, len(thread), 4):
                thread[k].parent_id = thread[k - 1].pk
                replies.append(thread[k])
        Comment.objects.bulk_update(replies, ["parent"], batch_size=500)
    newest = made[0]
    return {"post_url": newest.get_absolute_url(), "posts": posts, "comments": comments}
