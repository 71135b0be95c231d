"""A throwaway Welzijn site on this machine: its own database, folders and gunicorn nodes.

For `make bench` and tests/test_nginx.py. The database is PostgreSQL when DATABASE_URL is
set (a database of its own is created next to the one named there, and dropped at the end),
SQLite in the site's folder otherwise. Pages are shared through Redis when REDIS_URL is set
(under a key prefix of its own), through the file cache in the site's folder otherwise:
either way every process of the site (gunicorn workers, the commands a test runs) sees one
cache, as on a real server.
"""

import os
import secrets
import signal
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
GUNICORN = str(Path(PYTHON).with_name("gunicorn"))


def _children(pid: int) -> list[int]:
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


class Site:
    def __init__(self, folder: Path, *, name: str, site_url: str = "http://127.0.0.1",
                 extra_env: dict[str, str] | None = None):
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        self.name = name
        server = os.environ.get("DATABASE_URL", "")
        if server:
            parts = urlsplit(server)
            self.database_url = urlunsplit(parts._replace(path=f"/{name}"))
        else:
            self.database_url = f"sqlite:///{folder / 'site.sqlite3'}"
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PAGE_"))},
            "DJANGO_SETTINGS_MODULE": "welzijn.settings",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(40),
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
            "DATABASE_URL": self.database_url,
            "WELZIJN_VAR_DIR": str(folder / "var"),
            "MEDIA_ROOT": str(folder / "media"),
            "STATIC_ROOT": str(folder / "static"),
            "CACHE_KEY_PREFIX": f"{name}-{secrets.token_hex(4)}",
            "SITE_URL": site_url,
            "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
            "LOG_LEVEL": "WARNING",
            **(extra_env or {}),
        }
        self.nodes: list[subprocess.Popen] = []

    # --- the database ----------------------------------------------------------------------
    def _maintenance(self, sql: str) -> None:
        import psycopg

        parts = urlsplit(self.database_url)
        admin = urlunsplit(parts._replace(path="/postgres"))
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(sql)

    def create(self, *, collectstatic: bool = False) -> None:
        """A fresh, migrated database (an old one of the same name is dropped first)."""
        if self.database_url.startswith("postgres"):
            self._maintenance(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
            self._maintenance(f'CREATE DATABASE "{self.name}"')
        else:
            Path(self.database_url.removeprefix("sqlite:///")).unlink(missing_ok=True)
        self.manage("migrate", "--noinput", "-v0")
        if collectstatic:
            self.manage("collectstatic", "--noinput", "-v0")

    def drop(self) -> None:
        if self.database_url.startswith("postgres"):
            self._maintenance(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')

    # --- commands --------------------------------------------------------------------------
    def manage(self, *args: str) -> str:
        result = subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=self.env,
                                capture_output=True, text=True)
        if result.returncode:
            raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stderr}")
        return result.stdout

    def python(self, code: str, **env: str) -> str:
        """Run `code` in a fresh process of this site (django set up), e.g. a write."""
        program = "import django\ndjango.setup()\n" + code
        result = subprocess.run([PYTHON, "-c", program], cwd=ROOT,
                                env={**self.env, **env}, capture_output=True, text=True)
        if result.returncode:
            raise RuntimeError(f"site code failed:\n{result.stderr}")
        return result.stdout

    # --- gunicorn nodes --------------------------------------------------------------------
    def start_node(self, port: int, *, workers: int = 2, **env: str) -> subprocess.Popen:
        from deploy.nginx.loopback import wait_for_port

        node = subprocess.Popen(
            [GUNICORN, "welzijn.wsgi", "--workers", str(workers), "--bind", f"127.0.0.1:{port}",
             "--access-logfile", "-" if env.pop("ACCESS_LOG", "") else "/dev/null",
             "--graceful-timeout", "5"],
            cwd=ROOT, env={**self.env, **env}, start_new_session=True,
            stdout=open(self.folder / f"gunicorn-{port}.log", "ab"), stderr=subprocess.STDOUT,
        )
        self.nodes.append(node)
        wait_for_port(port, process=node)
        return node

    @staticmethod
    def pids(node: subprocess.Popen) -> list[int]:
        return [node.pid, *_children(node.pid)]

    def stop_node(self, node: subprocess.Popen) -> None:
        if node.poll() is None:
            node.send_signal(signal.SIGTERM)
            try:
                node.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(node.pid, signal.SIGKILL)
                node.wait()
        if node in self.nodes:
            self.nodes.remove(node)

    def stop(self) -> None:
        for node in list(self.nodes):
            self.stop_node(node)
