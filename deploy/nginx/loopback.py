"""Run the shipped nginx site (deploy/nginx/welzijn.conf) on loopback ports.

Used by tests/test_nginx.py and `make bench`. The site file is taken as it is and changed
only where a test machine must differ from a server: the listening ports (loopback), the
app nodes, the folders, and the certificate (a self-signed one, or no TLS at all for the
benchmark). A check below fails when one of those places cannot be found, so the variant
cannot drift away from the file quietly. It runs in a main configuration shaped like
Debian's /etc/nginx/nginx.conf, with every path in a folder of its own.
"""

import getpass
import os
import re
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

SITE = Path(__file__).resolve().parent / "welzijn.conf"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


class ConfigDrift(AssertionError):
    """The shipped file no longer has a line this derivation replaces."""


def _sub(pattern: str, replacement: str, text: str, *, count_at_least=1, flags=re.M) -> str:
    new, count = re.subn(pattern, replacement, text, flags=flags)
    if count < count_at_least:
        raise ConfigDrift(f"deploy/nginx/welzijn.conf: no line matches {pattern!r}")
    return new


@dataclass
class Tls:
    certificate: Path
    key: Path


def self_signed(folder: Path, host: str = "127.0.0.1") -> Tls:
    """A throwaway certificate for `host`, made with openssl."""
    folder.mkdir(parents=True, exist_ok=True)
    tls = Tls(folder / "cert.pem", folder / "key.pem")
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
         "-subj", f"/CN={host}", "-addext", f"subjectAltName=IP:{host}",
         "-keyout", str(tls.key), "-out", str(tls.certificate)],
        check=True, capture_output=True,
    )
    return tls


def site_config(*, port: int, redirect_port: int, upstreams: list[str], static_root: Path,
                media_root: Path, cache_dir: Path, acme_root: Path, tls: Tls | None) -> str:
    """The shipped site with loopback ports, these app nodes and folders (and `tls`, or none)."""
    text = SITE.read_text()
    text = _sub(r"^\s*listen \[::\]:\d+.*\n", "", text, count_at_least=2)
    text = _sub(r"^(\s*)listen 80;", rf"\1listen 127.0.0.1:{redirect_port};", text)
    if tls is None:
        text = _sub(r"^(\s*)listen 443 ssl http2;", rf"\1listen 127.0.0.1:{port};", text)
        text = _sub(r"^\s*ssl_\w+ .*\n", "", text, count_at_least=2)
    else:
        text = _sub(r"^(\s*)listen 443 ssl http2;", rf"\1listen 127.0.0.1:{port} ssl http2;", text)
        text = _sub(r"^(\s*ssl_certificate) +\S+;", rf"\1 {tls.certificate};", text)
        text = _sub(r"^(\s*ssl_certificate_key) +\S+;", rf"\1 {tls.key};", text)
    block = re.search(r"upstream welzijn_app \{(.*?)\n\}", text, flags=re.S)
    if block is None:
        raise ConfigDrift("deploy/nginx/welzijn.conf: no upstream welzijn_app block")
    servers = "".join(f"\n    server {address} max_fails=3 fail_timeout=10s;"
                      for address in upstreams)
    body = re.sub(r"\n\s*server \S+[^\n]*", "", block.group(1))
    text = text.replace(block.group(0), f"upstream welzijn_app {{{servers}{body}\n}}")
    text = _sub(r"/srv/welzijn/static/", f"{static_root}/", text)
    text = _sub(r"/srv/welzijn/media/", f"{media_root}/", text)
    text = _sub(r"/var/cache/nginx/welzijn", str(cache_dir), text)
    text = _sub(r"/var/www/letsencrypt", str(acme_root), text)
    return text


def main_config(*, run_dir: Path, site: Path, access_log: bool) -> str:
    """Debian's main nginx.conf, with its paths in `run_dir` and `site` as the one site."""
    user = f"user {getpass.getuser()};\n" if os.geteuid() == 0 else ""
    log = f"access_log {run_dir}/access.log;" if access_log else "access_log off;"
    temp = "\n".join(f"    {kind}_temp_path {run_dir}/tmp-{kind};"
                     for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    return f"""{user}worker_processes 2;
pid {run_dir}/nginx.pid;
error_log {run_dir}/error.log warn;
events {{
    worker_connections 1024;
}}
http {{
    sendfile on;
    tcp_nopush on;
    types_hash_max_size 2048;
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    {log}
    gzip on;
{temp}
    include {site};
}}
"""


def free_port(low: int, high: int, taken: set[int] = frozenset()) -> int:
    """A loopback port in [low, high] that nothing listens on now."""
    for port in range(low, high + 1):
        if port in taken:
            continue
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port between {low} and {high}")


def port_range() -> tuple[int, int]:
    """LOOPBACK_PORTS=8100-8199 (the default): where tests and benchmarks may listen.

    Under pytest-xdist each worker takes a slice of its own: two workers that start a site
    at the same moment would otherwise both find the same port free, and one of them would
    talk to the other's nginx."""
    low, _sep, high = os.environ.get("LOOPBACK_PORTS", "8100-8199").partition("-")
    low, high = int(low), int(high)
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    count = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "") or 1)
    if worker.startswith("gw") and count > 1:
        size = (high - low + 1) // count
        low += (int(worker.removeprefix("gw") or 0) % count) * size
        high = low + size - 1
    return low, high


def wait_for_port(port: int, *, process: subprocess.Popen | None = None,
                  timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"the process listening on {port} exited ({process.returncode})")
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise TimeoutError(f"nothing listens on 127.0.0.1:{port} after {timeout} s")


class Nginx:
    """The derived site in a nginx of its own (foreground, stopped by `stop()`)."""

    def __init__(self, run_dir: Path, *, upstreams: list[str], static_root: Path,
                 media_root: Path, tls: Tls | None = None, access_log: bool = False,
                 ports: tuple[int, int] | None = None):
        self.run_dir = run_dir
        run_dir.mkdir(parents=True, exist_ok=True)
        low, high = port_range()
        if ports is None:
            self.port = free_port(low, high)
            self.redirect_port = free_port(low, high, {self.port})
        else:
            self.port, self.redirect_port = ports
        cache_dir = run_dir / "cache"
        cache_dir.mkdir(exist_ok=True)
        acme = run_dir / "acme"
        acme.mkdir(exist_ok=True)
        self.site = run_dir / "welzijn.conf"
        self.site.write_text(site_config(
            port=self.port, redirect_port=self.redirect_port, upstreams=upstreams,
            static_root=static_root, media_root=media_root, cache_dir=cache_dir,
            acme_root=acme, tls=tls,
        ))
        self.main = run_dir / "nginx.conf"
        self.main.write_text(main_config(run_dir=run_dir, site=self.site, access_log=access_log))
        self.scheme = "https" if tls else "http"
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"{self.scheme}://127.0.0.1:{self.port}"

    def check(self) -> None:
        """`nginx -t`: the configuration is valid (raises with nginx's words if not)."""
        result = subprocess.run([NGINX, "-t", "-q", "-c", str(self.main)],
                                capture_output=True, text=True)
        if result.returncode:
            raise RuntimeError(f"nginx -t failed:\n{result.stderr}")

    def start(self) -> "Nginx":
        self.check()
        self.process = subprocess.Popen(
            [NGINX, "-c", str(self.main), "-g", "daemon off;"],
            stdout=subprocess.DEVNULL, stderr=open(self.run_dir / "stderr.log", "wb"),
            start_new_session=True,
        )
        wait_for_port(self.port, process=self.process)
        return self

    def pids(self) -> list[int]:
        """The master and its workers (for CPU accounting)."""
        if self.process is None:
            return []
        return [self.process.pid, *_children(self.process.pid)]

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGQUIT)  # graceful: workers finish and exit
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.process = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    try:
        return [int(child) for child in path.read_text().split()]
    except OSError:
        return []
