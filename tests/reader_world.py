"""Test data for the reader's site: a blog of any size, built fast and in known states.

`build_blog(n)` writes n live posts with bulk inserts (the 500-post query-budget runs would
otherwise spend most of their time in factories), spread over authors with and without a
profile, tags, months, a trend list, a series and featured images. Test set-up, not a
status change: the transitions are tested through blog/workflow.py elsewhere.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from taggit.models import Tag

from accounts.profiles import PHOTO_FOLDER
from blog.archive import forget_live_months
from blog.images import store_upload
from blog.models import Image, Post, Status, TaggedPost
from core import content
from core.images import process_image
from tests.conftest import image_bytes
from tests.factories import (
    AuthorProfileFactory,
    EditorFactory,
    GuestFactory,
    SeriesFactory,
    TrendFactory,
    TrendListFactory,
)

BODY = (
    "Welzijnswerkers gebruiken **sociale media** steeds vaker.\n\n"
    "## Wat betekent dat?\n\nMeer contact met bewoners, en een nieuwe manier van werken."
)


def stored_image(name="foto.jpg", size=(1200, 800), color=(30, 120, 90)) -> Image:
    """A real, processed Image row with its renditions on disk (MEDIA_ROOT of the test),
    made the way the site makes every post image."""
    upload = SimpleUploadedFile(name, image_bytes("JPEG", size, color), "image/jpeg")
    return store_upload(upload, uploaded_by=None)


def give_photo(profile, color=(200, 120, 60)):
    stored = process_image(
        SimpleUploadedFile("portret.jpg", image_bytes("JPEG", (400, 400), color), "image/jpeg"),
        folder=PHOTO_FOLDER,
    )
    profile.photo = stored.name
    profile.photo_renditions = stored.renditions
    profile.save()
    return profile


def profile_for(user, **kwargs):
    return AuthorProfileFactory(user=user, **kwargs)


@dataclass
class Blog:
    posts: list = field(default_factory=list)
    authors: list = field(default_factory=list)
    editor: object = None
    tags: list = field(default_factory=list)
    trend_list: object = None
    trends: list = field(default_factory=list)
    series: object = None
    images: list = field(default_factory=list)


def bulk_live_posts(n, *, authors, tags, trends=(), series=None, images=(), start=None,
                    prefix="Bericht"):
    """n live posts, one a day going back from `start`, inserted in a handful of queries."""
    start = start or timezone.now() - timedelta(hours=1)
    body_html = content.render_markdown(BODY)
    summary = content.make_excerpt(body_html)
    existing = Post.objects.count()
    posts = []
    for i in range(n):
        when = start - timedelta(days=i)
        posts.append(Post(
            title=f"{prefix} {existing + i + 1} over welzijn",
            slug=f"{prefix.lower()}-{existing + i + 1}",
            author=authors[i % len(authors)],
            body_markdown=BODY,
            body_html=body_html,
            summary=summary,  # what Post.save() derives; bulk_create does not call it
            status=Status.APPROVED,
            publish_at=when,
            announced_at=when,
            created_at=when - timedelta(days=2),
            trend=trends[i % len(trends)] if trends and i % 3 == 0 else None,
            series=series if series and i % 7 == 0 else None,
            featured_image=images[i % len(images)] if images and i % 2 == 0 else None,
            featured_image_alt="Een groene vlakte" if images and i % 2 == 0 else "",
        ))
    Post.objects.bulk_create(posts, batch_size=200)
    forget_live_months()  # what saving a post does (bulk_create sends no signals)
    TaggedPost.objects.bulk_create(
        [
            TaggedPost(tag=tags[(i + k) % len(tags)], content_object=post)
            for i, post in enumerate(posts)
            for k in range(min(2, len(tags)))
        ],
        batch_size=500,
    )
    return posts


def build_blog(n_posts: int, *, with_images: bool = True) -> Blog:
    blog = Blog()
    blog.editor = EditorFactory()  # an editor without an author profile
    blog.authors = [GuestFactory() for _ in range(3)] + [blog.editor]
    blog.tags = [Tag.objects.create(name=f"onderwerp {i}", slug=f"onderwerp-{i}")
                 for i in range(12)]
    blog.trend_list = TrendListFactory(year=2010)
    blog.trends = [TrendFactory(trend_list=blog.trend_list, number=i, title=f"Trend {i}")
                   for i in range(1, 12)]
    blog.series = SeriesFactory(title="Gastbloggers blikken terug", trend_list=blog.trend_list)
    blog.images = [stored_image(f"foto{i}.jpg") for i in range(2)] if with_images else []
    blog.posts = bulk_live_posts(
        n_posts, authors=blog.authors, tags=blog.tags, trends=blog.trends,
        series=blog.series, images=blog.images,
    )
    return blog


# --- reading pages back -----------------------------------------------------------------------

def sitemap_parts(client) -> dict[str, str]:
    """/sitemap.xml (the index) and every part it lists, as {path: body}."""
    import re

    from django.conf import settings

    bodies = {"/sitemap.xml": client.get("/sitemap.xml").content.decode()}
    for location in re.findall(r"<loc>(.*?)</loc>", bodies["/sitemap.xml"]):
        path = location.replace("&amp;", "&").removeprefix(settings.SITE_URL)
        response = client.get(path)
        assert response.status_code == 200, path
        bodies[path] = response.content.decode()
    return bodies


VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}


@dataclass
class Node:
    tag: str
    attrs: dict
    children: list = field(default_factory=list)
    parent: "Node | None" = None

    @property
    def text(self) -> str:
        parts = []
        for child in self.children:
            parts.append(child if isinstance(child, str) else child.text)
        return " ".join(" ".join(parts).split())

    def iter(self):
        for child in self.children:
            if isinstance(child, Node):
                yield child
                yield from child.iter()

    def find_all(self, tag=None, **attrs):
        """Descendants by tag and attributes; class_="x" matches one of the classes."""
        found = []
        for node in self.iter():
            if tag and node.tag != tag:
                continue
            ok = True
            for name, wanted in attrs.items():
                name = name.rstrip("_").replace("_", "-")
                value = node.attrs.get(name)
                if name == "class":
                    ok = value is not None and wanted in value.split()
                elif wanted is True:
                    ok = value is not None
                else:
                    ok = value == wanted
                if not ok:
                    break
            if ok:
                found.append(node)
        return found

    def find(self, tag=None, **attrs):
        found = self.find_all(tag, **attrs)
        return found[0] if found else None

    def links(self) -> list[str]:
        return [a.attrs.get("href") for a in self.find_all("a") if a.attrs.get("href")]


def parse(markup) -> Node:
    """A small DOM of an HTML page (the test suite has no BeautifulSoup)."""
    from html.parser import HTMLParser

    if isinstance(markup, bytes):
        markup = markup.decode()
    root = Node("#document", {})

    class Builder(HTMLParser):
        current = root

        def handle_starttag(self, tag, attrs):
            node = Node(tag, {k: (v if v is not None else "") for k, v in attrs},
                        parent=self.current)
            self.current.children.append(node)
            if tag not in VOID:
                self.current = node

        def handle_startendtag(self, tag, attrs):
            self.current.children.append(
                Node(tag, {k: (v if v is not None else "") for k, v in attrs},
                     parent=self.current))

        def handle_endtag(self, tag):
            node = self.current
            while node is not root and node.tag != tag:
                node = node.parent
            if node is not root:
                self.current = node.parent

        def handle_data(self, data):
            self.current.children.append(data)

    builder = Builder(convert_charrefs=True)
    builder.feed(markup)
    builder.close()
    return root
