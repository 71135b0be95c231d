"""The editor's admin site at /beheer/: the dashboard ("what needs the editor") and the calendar.

Editors are active staff users (`User.is_editor`); the site lets only them in, and
`accounts.permissions.EditorPermissionBackend` gives them every right on every model.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib import admin
from django.db.models import Count, F, Func, IntegerField, Min, Subquery
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone
from django.utils.timesince import timesince
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core import dates
from core.admin_lists import url_maker
from core.paging import bounded_count
from core.ratelimit import rate_limit

STALE_CHANGES_DAYS = 7
# The dashboard names this many posts per list (the longest waiting first) and counts the rest;
# the whole list is one link away in the post list, with its filters. A summary of ten per
# panel reads at a glance, and renders the same at 30 waiting posts as at 3,000.
DASHBOARD_LIST = 10
# Held comments are counted this far ("more than 1,000"): a million-comment blog under a spam
# wave should not count them all on every visit to the admin home.
PENDING_COUNT_CAP = 1000

login_limit = rate_limit(scope="login", rate="LOGIN_RATE_LIMIT", what=_("inlogpogingen"))


def is_editor(request) -> bool:
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated and user.is_editor)


def _rows(posts, limit: int, change_url, now, *, since: str = "", series: bool = False,
          counted: bool = True) -> tuple[list[dict], int | None]:
    """The first `limit` of `posts` as the panels show them, and how many there are in all.

    A few columns each, read as values (fifty rows of four models each were most of the
    page's cost), with the post's admin link, the author's name, the series part and how long
    it has been waiting, made here rather than by a `date`, `timesince` and `blocktranslate`
    per row in the template (a fifth of the page with full lists). The total comes with the
    rows, as a subquery in the same statement: no second query for it."""
    from accounts.models import User

    columns = {"author_email": F("author__email"),
               "profile_name": F("author__profile__display_name")}
    if series:
        columns["series_title"] = F("series__title")
    if counted:
        # An uncounted subquery: PostgreSQL counts the list once, from its index, beside the
        # first rows (a window count would join every waiting post's author first).
        columns["total"] = Subquery(posts.order_by().values(
            n=Func(F("pk"), function="COUNT", output_field=IntegerField())))
    rows = list(posts.values(
        "pk", "title", "series_position", "submitted_at", "changes_requested_at", "publish_at",
        "author__username", "author__first_name", "author__last_name", **columns,
    )[:limit])
    total = (rows[0]["total"] if rows else 0) if counted else None
    for row in rows:
        row["admin_url"] = change_url(row["pk"])
        row["author_name"] = User.name_for(
            profile_name=row["profile_name"], first_name=row["author__first_name"],
            last_name=row["author__last_name"], username=row["author__username"])
        if row["series_position"]:
            row["series_part"] = gettext("deel %(n)s") % {"n": row["series_position"]}
        moment = row[since] if since else None
        if moment is None:
            continue
        # How long it has been waiting: since it was submitted, or since changes were asked.
        row["since"] = timesince(moment, now)
        row["since_iso"] = dates.iso(moment)
        row["since_title"] = f"{dates.day(moment)} {timezone.localtime(moment):%H:%M}"
        row["requested"] = gettext("gevraagd %(since)s geleden") % {"since": row["since"]}
    return rows, total


def dashboard(now=None) -> dict:
    """What needs the editor now; a fixed number of queries, whatever the number of posts."""
    from blog.models import Post
    from comments.models import Comment

    now = now or timezone.now()
    change_url = url_maker("admin:blog_post_change")  # one reverse() for the fifty links
    awaiting = Post.objects.awaiting_review()
    waiting, waiting_count = _rows(awaiting, DASHBOARD_LIST, change_url, now,
                                   since="submitted_at", series=True)
    stale_changes = Post.objects.stale_changes(STALE_CHANGES_DAYS, now=now)
    stale, stale_count = _rows(stale_changes, DASHBOARD_LIST, change_url, now,
                               since="changes_requested_at")
    scheduled, _ = _rows(Post.objects.scheduled(now).order_by("publish_at", "pk"),
                         DASHBOARD_LIST, change_url, now, series=True, counted=False)

    overdue_minutes = settings.GO_LIVE_WARNING_MINUTES
    overdue = Post.objects.live(now).filter(
        announced_at__isnull=True, publish_at__lte=now - timedelta(minutes=overdue_minutes)
    ).aggregate(count=Count("pk"), oldest=Min("publish_at"))
    try:
        comments_url = reverse("admin:comments_comment_changelist") + "?status__exact=pending"
    except NoReverseMatch:  # the moderation admin is not installed
        comments_url = ""
    return {
        "waiting": waiting,
        "waiting_count": waiting_count,
        "stale_changes": stale,
        "stale_count": stale_count,
        "stale_days": STALE_CHANGES_DAYS,
        "pending_comments": bounded_count(Comment.objects.pending(), PENDING_COUNT_CAP),
        "pending_comments_cap": PENDING_COUNT_CAP,
        "pending_comments_url": comments_url,
        "scheduled": scheduled,
        "go_live_overdue": overdue["count"],
        "go_live_oldest": overdue["oldest"],
        "go_live_minutes": overdue_minutes,
    }


class EditorAdminSite(admin.AdminSite):
    site_header = _("Welzijn — redactie")
    site_title = _("Welzijn redactie")
    index_title = _("Wat er te doen is")
    index_template = "admin/dashboard.html"
    enable_nav_sidebar = False

    def has_permission(self, request):
        return is_editor(request)

    def login(self, request, extra_context=None):
        """The admin's own login form counts against the site's login limit: one counter per
        client for /account/inloggen/ and /beheer/login/, so neither door is a way round."""
        return login_limit(super().login)(request, extra_context)

    def get_urls(self):
        from blog.admin.calendar import calendar_view
        from welzijn.devmail import dev_mail_view

        extra = [
            path("kalender/", self.admin_view(calendar_view), name="calendar"),
            # DEBUG only (a 404 otherwise): the mails `make run` wrote to var/mail/.
            path("mail/", self.admin_view(dev_mail_view), name="dev_mail"),
        ]
        return extra + super().get_urls()

    def each_context(self, request):
        return {**super().each_context(request), "dev_mail": settings.DEBUG}

    def index(self, request, extra_context=None):
        context = {**dashboard(), **(extra_context or {})}
        return super().index(request, extra_context=context)
