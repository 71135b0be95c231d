"""Benchmark: does the answer's time tell whether an address is known? (issue 12, finding 7)

    python benchmarks/enumeration.py          # or: make bench-enumeration
    python benchmarks/enumeration.py --requests 50 --smtp-delay 0.3

Posts the password-reset form and the newsletter sign-up for an address that has an account
(and is on the list) and for one that has not, through the real queue (the database task
backend), with a mail server that takes `--smtp-delay` seconds per message, and prints the
median and 90th percentile per case and the ratio known / unknown. Before issue 12 the mail
was sent inside the request: 0.3 s for one case, 0.01 s for the other. The mail now leaves
through a task, so the two must take the same time (ratio ≈ 1). Runs on a throwaway SQLite
test database; prints `uptime` too (the machine is shared).
"""

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


class SlowSMTP:
    """A mail server that takes its time (never reached from a request now)."""

    delay = 0.3

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        time.sleep(SlowSMTP.delay)
        return len(messages)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--smtp-delay", type=float, default=0.3)
    args = parser.parse_args(argv)
    SlowSMTP.delay = args.smtp_delay

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "welzijn.settings_test")
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import override_settings, setup_test_environment
    from django.utils import timezone

    setup_test_environment()
    connection.creation.create_test_db(verbosity=0)
    from accounts.models import User
    from core.antispam import make_form_timestamp
    from newsletter.models import Subscriber

    User.objects.create_user("bekend", "bekend@example.org", "Geheim-wachtwoord-42")
    Subscriber.objects.create(email="bekend@example.org", confirmed_at=timezone.now())

    def post(client, form, email):
        if form == "wachtwoord vergeten":
            return client.post("/account/wachtwoord-vergeten/", {"email": email})
        return client.post("/nieuwsbrief/", {
            "email": email, "website_confirm": "",
            "form_started": make_form_timestamp(time.time() - 60)})

    rows = []
    with override_settings(
        TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}},
        EMAIL_BACKEND="benchmarks.enumeration.SlowSMTP" if __name__ != "__main__"
        else "__main__.SlowSMTP",
        LOGIN_RATE_LIMIT="100000/m", NEWSLETTER_RATE_LIMIT="100000/m",
    ):
        client = Client()
        for form in ("wachtwoord vergeten", "nieuwsbrief"):
            addresses = {"bekend": "bekend@example.org", "onbekend": "onbekend@example.org"}
            times = {who: [] for who in addresses}
            for email in addresses.values():
                post(client, form, email)  # warm up
            for _ in range(args.requests):  # alternating, so drift hits both alike
                for who, email in addresses.items():
                    start = time.perf_counter()
                    response = post(client, form, email)
                    times[who].append(time.perf_counter() - start)
                    assert response.status_code == 302, response.status_code
            for who, samples in times.items():
                rows.append((form, who, statistics.median(samples),
                             statistics.quantiles(samples, n=10)[-1]))
            ratio = statistics.median(times["bekend"]) / statistics.median(times["onbekend"])
            rows.append((form, "verhouding bekend/onbekend", ratio, None))

    print(f"uptime: {subprocess.run(['uptime'], capture_output=True, text=True).stdout.strip()}")
    print(f"smtp per bericht: {args.smtp_delay:.2f} s, {args.requests} aanvragen per geval")
    print(f"{'formulier':22} {'adres':28} {'mediaan ms':>11} {'p90 ms':>8}")
    for form, who, median, p90 in rows:
        if p90 is None:
            print(f"{form:22} {who:28} {median:>11.2f}×")
        else:
            print(f"{form:22} {who:28} {median * 1000:>11.1f} {p90 * 1000:>8.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
