"""Write this site as a WXR 1.2 file that WordPress's own importer (and `import_wxr`) accepts.

Streamed: posts are read in chunks with their tags and comments prefetched, and written as
they come, so a large site does not have to fit in memory.

How this site's facts become WordPress's:
- Status: live → publish, scheduled → future, submitted or changes requested → pending,
  draft or rejected → draft (WordPress has no "changes requested" or "rejected").
- Ids: posts, pages and pictures share one id space in WordPress, so a post's id is 3·pk,
  a page's 3·pk + 1 and a picture's 3·pk + 2: unique, and the same in every export.
- Body: the stored HTML, with newlines inside paragraphs turned into spaces (WordPress's
  autop would make them <br>), links to this site made absolute. The guest post's intro
  opens the content, as readers see it; the Markdown sources travel along as post meta
  (`_welzijn_intro`, `_welzijn_markdown`) so `import_wxr` can restore them exactly.
- Comments: plain text, escaped; spam stays behind (as in WordPress's own export).
- The trend a post looks back on: post meta `trend_<year>` = its number.
"""

import re
from datetime import UTC
from email.utils import format_datetime
from xml.sax.saxutils import escape, quoteattr

from django.conf import settings
from django.db.models import Prefetch
from django.utils import timezone
from taggit.models import Tag

from accounts.models import User
from blog.models import Image, Page, Post, Status
from comments.models import Comment
from core.http import absolute_url
from wordpress.convert import absolute_links, html_for_wordpress, text_to_comment_html

WXR_VERSION = "1.2"
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_ZERO_DATE = "0000-00-00 00:00:00"
CHUNK = 200


def post_wp_id(pk: int) -> int:
    return 3 * pk


def page_wp_id(pk: int) -> int:
    return 3 * pk + 1


def image_wp_id(pk: int) -> int:
    return 3 * pk + 2


def _clean(text) -> str:
    return _INVALID_XML.sub("", str(text or ""))


def cdata(text) -> str:
    """Text in a CDATA section; a `]]>` inside is split over two sections."""
    return "<![CDATA[" + _clean(text).replace("]]>", "]]]]><![CDATA[>") + "]]>"


def _text(text) -> str:
    return escape(_clean(text))


def _local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M:%S") if moment else _ZERO_DATE


def _gmt(moment) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S") if moment else _ZERO_DATE


def _rss_date(moment) -> str:
    return format_datetime(moment.astimezone(UTC), usegmt=True) if moment else ""


def _absolute(html: str) -> str:
    return absolute_links(html, settings.SITE_URL)


def wp_status(post: Post, now) -> str:
    if post.status == Status.APPROVED and post.publish_at:
        return "publish" if post.publish_at <= now else "future"
    if post.status in {Status.SUBMITTED, Status.CHANGES_REQUESTED}:
        return "pending"
    return "draft"


_COMMENT_APPROVED = {
    Comment.Status.APPROVED: "1", Comment.Status.PENDING: "0",
    Comment.Status.REMOVED: "trash", Comment.Status.SPAM: "spam",
}


class WxrExporter:
    def __init__(self, out, *, now=None):
        self.out = out
        self.now = now or timezone.now()
        self.counts = {"authors": 0, "tags": 0, "posts": 0, "pages": 0, "attachments": 0,
                       "comments": 0}

    def write(self, text: str) -> None:
        self.out.write(text)

    def run(self) -> dict:
        site = settings.SITE_URL
        self.write(
            '<?xml version="1.0" encoding="UTF-8" ?>\n'
            "<!-- Een WordPress eXtended RSS-bestand (WXR), gemaakt door Welzijn. "
            "Importeer het in WordPress via Extra → Importeren → WordPress. -->\n"
            '<rss version="2.0"\n'
            f'\txmlns:excerpt="http://wordpress.org/export/{WXR_VERSION}/excerpt/"\n'
            '\txmlns:content="http://purl.org/rss/1.0/modules/content/"\n'
            '\txmlns:wfw="http://wellformedweb.org/CommentAPI/"\n'
            '\txmlns:dc="http://purl.org/dc/elements/1.1/"\n'
            f'\txmlns:wp="http://wordpress.org/export/{WXR_VERSION}/"\n'
            ">\n<channel>\n"
            f"\t<title>{_text(settings.SITE_NAME)}</title>\n"
            f"\t<link>{_text(site)}</link>\n"
            "\t<description></description>\n"
            f"\t<pubDate>{_rss_date(self.now)}</pubDate>\n"
            "\t<language>nl-NL</language>\n"
            f"\t<wp:wxr_version>{WXR_VERSION}</wp:wxr_version>\n"
            f"\t<wp:base_site_url>{_text(site)}</wp:base_site_url>\n"
            f"\t<wp:base_blog_url>{_text(site)}</wp:base_blog_url>\n"
        )
        self._authors()
        self._tags()
        self.write("\t<generator>Welzijn</generator>\n")
        self._attachments()
        self._posts()
        self._pages()
        self.write("</channel>\n</rss>\n")
        return self.counts

    # --- channel header -----------------------------------------------------------------------
    def _authors(self) -> None:
        authors = (User.objects.filter(posts__isnull=False).distinct()
                   .select_related("profile").order_by("pk"))
        for user in authors.iterator(chunk_size=CHUNK):
            self.write(
                "\t<wp:author>"
                f"<wp:author_id>{user.pk}</wp:author_id>"
                f"<wp:author_login>{cdata(user.username)}</wp:author_login>"
                f"<wp:author_email>{cdata(user.email)}</wp:author_email>"
                f"<wp:author_display_name>{cdata(user.display_name)}</wp:author_display_name>"
                f"<wp:author_first_name>{cdata(user.first_name)}</wp:author_first_name>"
                f"<wp:author_last_name>{cdata(user.last_name)}</wp:author_last_name>"
                "</wp:author>\n"
            )
            self.counts["authors"] += 1

    def _tags(self) -> None:
        tags = Tag.objects.filter(tagged_posts__isnull=False).distinct().order_by("pk")
        for tag in tags.iterator(chunk_size=CHUNK):
            self.write(
                "\t<wp:tag>"
                f"<wp:term_id>{tag.pk}</wp:term_id>"
                f"<wp:tag_slug>{cdata(tag.slug)}</wp:tag_slug>"
                f"<wp:tag_name>{cdata(tag.name)}</wp:tag_name>"
                "</wp:tag>\n"
            )
            self.counts["tags"] += 1

    # --- items --------------------------------------------------------------------------------
    def _item(self, *, title, link, moment, creator, guid, content, excerpt, wp_id, local,
              gmt, comment_status, slug, status, post_type, parent=0, modified=None,
              extra="") -> None:
        modified = modified or moment
        self.write(
            "\t<item>\n"
            f"\t\t<title>{cdata(title)}</title>\n"
            f"\t\t<link>{_text(link)}</link>\n"
            f"\t\t<pubDate>{_rss_date(moment)}</pubDate>\n"
            f"\t\t<dc:creator>{cdata(creator)}</dc:creator>\n"
            f'\t\t<guid isPermaLink="false">{_text(guid)}</guid>\n'
            "\t\t<description></description>\n"
            f"\t\t<content:encoded>{cdata(content)}</content:encoded>\n"
            f"\t\t<excerpt:encoded>{cdata(excerpt)}</excerpt:encoded>\n"
            f"\t\t<wp:post_id>{wp_id}</wp:post_id>\n"
            f"\t\t<wp:post_date>{cdata(local)}</wp:post_date>\n"
            f"\t\t<wp:post_date_gmt>{cdata(gmt)}</wp:post_date_gmt>\n"
            f"\t\t<wp:post_modified>{cdata(_local(modified))}</wp:post_modified>\n"
            f"\t\t<wp:post_modified_gmt>{cdata(_gmt(modified))}</wp:post_modified_gmt>\n"
            f"\t\t<wp:comment_status>{cdata(comment_status)}</wp:comment_status>\n"
            f"\t\t<wp:ping_status>{cdata('closed')}</wp:ping_status>\n"
            f"\t\t<wp:post_name>{cdata(slug)}</wp:post_name>\n"
            f"\t\t<wp:status>{cdata(status)}</wp:status>\n"
            f"\t\t<wp:post_parent>{parent}</wp:post_parent>\n"
            "\t\t<wp:menu_order>0</wp:menu_order>\n"
            f"\t\t<wp:post_type>{cdata(post_type)}</wp:post_type>\n"
            f"\t\t<wp:post_password>{cdata('')}</wp:post_password>\n"
            "\t\t<wp:is_sticky>0</wp:is_sticky>\n"
            f"{extra}"
            "\t</item>\n"
        )

    @staticmethod
    def _meta(key: str, value) -> str:
        return (f"\t\t<wp:postmeta><wp:meta_key>{cdata(key)}</wp:meta_key>"
                f"<wp:meta_value>{cdata(value)}</wp:meta_value></wp:postmeta>\n")

    def _attachments(self) -> None:
        """The featured images, so WordPress fetches them and sets them on their posts."""
        featured: dict[int, tuple[int, str]] = {}
        for image_pk, post_pk, alt in (
            Post.objects.filter(featured_image__isnull=False).order_by("-pk")
            .values_list("featured_image_id", "pk", "featured_image_alt")
        ):
            featured[image_pk] = (post_pk, alt)  # the oldest post that shows it wins
        images = (Image.objects.filter(pk__in=featured).select_related("uploaded_by")
                  .order_by("pk"))
        for image in images.iterator(chunk_size=CHUNK):
            post_pk, alt = featured[image.pk]
            url = absolute_url(image.url_for(10_000))
            extra = (self._meta("_wp_attached_file", image.file.name)
                     + self._meta("_wp_attachment_image_alt", alt)
                     + f"\t\t<wp:attachment_url>{cdata(url)}</wp:attachment_url>\n")
            self._item(
                title=image.original_name or image.file.name, link=url, moment=image.created_at,
                creator=image.uploaded_by.username if image.uploaded_by else "",
                guid=url, content="", excerpt="", wp_id=image_wp_id(image.pk),
                local=_local(image.created_at), gmt=_gmt(image.created_at),
                comment_status="closed", slug=f"afbeelding-{image.pk}", status="inherit",
                post_type="attachment", parent=post_wp_id(post_pk), extra=extra,
            )
            self.counts["attachments"] += 1

    def _posts(self) -> None:
        comments = Comment.objects.exclude(status=Comment.Status.SPAM).order_by("created_at", "pk")
        posts = (
            Post.objects.select_related("author", "trend__trend_list")
            .prefetch_related("tags", Prefetch("comments", queryset=comments))
            .order_by("pk")
        )
        for post in posts.iterator(chunk_size=CHUNK):
            self._post(post)

    def _post(self, post: Post) -> None:
        status = wp_status(post, self.now)
        published = status in {"publish", "future"}
        moment = post.publish_at if published else post.created_at
        body = html_for_wordpress(_absolute(post.body_html))
        extra = []
        if post.intro_html:
            body = html_for_wordpress(_absolute(post.intro_html)) + "\n" + body
            extra.append(self._meta("_welzijn_intro", post.intro))
        if post.body_markdown:
            extra.append(self._meta("_welzijn_markdown", post.body_markdown))
        for tag in post.tags.all():
            extra.append(f'\t\t<category domain="post_tag" nicename={quoteattr(tag.slug)}>'
                         f"{cdata(tag.name)}</category>\n")
        if post.trend_id:
            extra.append(self._meta(f"trend_{post.trend.trend_list.year}", post.trend.number))
        if post.featured_image_id:
            extra.append(self._meta("_thumbnail_id", image_wp_id(post.featured_image_id)))
        for comment in post.comments.all():
            extra.append(self._comment(comment))
            self.counts["comments"] += 1
        self._item(
            title=post.title, link=absolute_url(post.get_absolute_url()), moment=moment,
            creator=post.author.username, guid=absolute_url(f"/?p={post_wp_id(post.pk)}"),
            content=body, excerpt=post.excerpt, wp_id=post_wp_id(post.pk),
            local=_local(moment), gmt=_gmt(moment if published else None),
            comment_status="open" if post.allow_comments else "closed", slug=post.slug,
            status=status, post_type="post", modified=post.updated_at, extra="".join(extra),
        )
        self.counts["posts"] += 1

    def _comment(self, comment: Comment) -> str:
        return (
            "\t\t<wp:comment>\n"
            f"\t\t\t<wp:comment_id>{comment.pk}</wp:comment_id>\n"
            f"\t\t\t<wp:comment_author>{cdata(comment.name)}</wp:comment_author>\n"
            f"\t\t\t<wp:comment_author_email>{cdata(comment.email)}</wp:comment_author_email>\n"
            f"\t\t\t<wp:comment_author_url>{_text(comment.url)}</wp:comment_author_url>\n"
            f"\t\t\t<wp:comment_author_IP>{cdata('')}</wp:comment_author_IP>\n"
            f"\t\t\t<wp:comment_date>{cdata(_local(comment.created_at))}</wp:comment_date>\n"
            f"\t\t\t<wp:comment_date_gmt>{cdata(_gmt(comment.created_at))}</wp:comment_date_gmt>\n"
            f"\t\t\t<wp:comment_content>{cdata(text_to_comment_html(comment.body))}"
            "</wp:comment_content>\n"
            f"\t\t\t<wp:comment_approved>{cdata(_COMMENT_APPROVED.get(comment.status, '0'))}"
            "</wp:comment_approved>\n"
            f"\t\t\t<wp:comment_type>{cdata('comment')}</wp:comment_type>\n"
            f"\t\t\t<wp:comment_parent>{comment.parent_id or 0}</wp:comment_parent>\n"
            f"\t\t\t<wp:comment_user_id>{comment.user_id or 0}</wp:comment_user_id>\n"
            "\t\t</wp:comment>\n"
        )

    def _pages(self) -> None:
        for page in Page.objects.order_by("pk").iterator(chunk_size=CHUNK):
            extra = self._meta("_welzijn_markdown", page.body_markdown) if page.body_markdown \
                else ""
            self._item(
                title=page.title, link=absolute_url(page.get_absolute_url()),
                moment=page.created_at, creator="",
                guid=absolute_url(f"/?page_id={page_wp_id(page.pk)}"),
                content=html_for_wordpress(_absolute(page.body_html)), excerpt="",
                wp_id=page_wp_id(page.pk), local=_local(page.created_at),
                gmt=_gmt(page.created_at if page.is_published else None),
                comment_status="closed", slug=page.slug,
                status="publish" if page.is_published else "draft", post_type="page",
                modified=page.updated_at, extra=extra,
            )
            self.counts["pages"] += 1
