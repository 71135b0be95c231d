"""The apps depend on each other one way only (README, "Design notes"):

    core ← outbox ← accounts ← trends ← blog ← {comments, guests, newsletter} ← wordpress ← demo ← welzijn

A module may import, name lazily ("app.Model"), depend on in a migration, or reverse the URLs
of its own app and the apps to its left, never of an app to its right or of a sibling.
This walks the source (AST), so it also catches imports inside functions.
"""

import ast
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.urls import get_resolver

ROOT = Path(__file__).resolve().parent.parent
LAYERS = [
    {"core"},
    {"outbox"},
    {"accounts"},
    {"trends"},
    {"blog"},
    {"comments", "guests", "newsletter"},
    {"wordpress"},
    {"demo"},
    {"welzijn"},
]
RANK = {app: rank for rank, layer in enumerate(LAYERS) for app in layer}
LAZY_MODEL = re.compile(r"^(?P<app>[a-z_]+)\.(?P<model>[A-Za-z_]\w*)$")
URL_NAME = re.compile(r"^(?P<ns>[a-z_-]+):(?P<name>[\w-]+)$")


def url_namespaces() -> dict[str, str]:
    """{namespace: the app whose URL module declares it}, read from the URL tree itself."""
    found = {}
    for namespace, (_prefix, resolver) in get_resolver().namespace_dict.items():
        module = getattr(resolver.urlconf_module, "__name__", "")
        app = module.split(".")[0]
        if app in RANK:
            found[namespace] = app
    return found


def may_reach(source: str, target: str) -> bool:
    if target not in RANK or target == source:
        return True
    return RANK[target] < RANK[source]


def admin_url_app(name: str) -> str | None:
    """`comments_comment_change` → `comments` (the admin names URLs after app and model)."""
    for app in sorted(RANK, key=len, reverse=True):
        if name.startswith(app + "_"):
            return app
    return None


def reaches(path: Path, namespaces: dict[str, str]):
    """(line, what, app) for everything the module at `path` points at."""
    tree = ast.parse(path.read_text(), filename=str(path))
    migration = "migrations" in path.parts
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, f"import {alias.name}", alias.name.split(".")[0]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            yield node.lineno, f"from {node.module} import …", node.module.split(".")[0]
        elif isinstance(node, ast.Tuple) and migration and len(node.elts) == 2:
            first, second = node.elts
            if (isinstance(first, ast.Constant) and isinstance(second, ast.Constant)
                    and isinstance(first.value, str) and isinstance(second.value, str)
                    and re.match(r"^\d{4}_", second.value)):
                yield node.lineno, f"migration dependency {first.value}", first.value
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            value = node.value
            lazy = LAZY_MODEL.match(value)
            if lazy and lazy.group("app") in RANK and apps.is_installed(lazy.group("app")):
                model = lazy.group("model")
                if model[0].isupper() or migration:
                    yield node.lineno, f"model {value!r}", lazy.group("app")
            url = URL_NAME.match(value)
            if url and url.group("ns") == "admin":
                target = admin_url_app(url.group("name"))
                if target:
                    yield node.lineno, f"admin URL {value!r}", target
            elif url and url.group("ns") in namespaces:
                yield node.lineno, f"URL {value!r}", namespaces[url.group("ns")]


def app_modules():
    for app in RANK:
        for path in sorted((ROOT / app).rglob("*.py")):
            yield app, path


def test_every_app_reaches_only_the_apps_below_it():
    namespaces = url_namespaces()
    wrong = [
        f"{path.relative_to(ROOT)}:{line}: {what} reaches up to {target}"
        for app, path in app_modules()
        for line, what, target in reaches(path, namespaces)
        if not may_reach(app, target)
    ]
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("source, what, expected", [
    ("accounts", "from blog.models import Post", False),
    ("accounts", '"trends.Trend"', False),
    ("blog", 'reverse("desk:edit")', False),
    ("comments", "from newsletter import digest", False),
    ("guests", "from blog import workflow", True),
    ("wordpress", 'reverse("admin:comments_comment_change")', True),
])
def test_the_walk_sees_every_kind_of_reach(tmp_path, monkeypatch, source, what, expected):
    """The check itself must catch each way of pointing upward (a check that finds nothing
    proves nothing)."""
    module = tmp_path / source / "probe.py"
    module.parent.mkdir()
    if what.startswith(("from", "import")):
        module.write_text(what + "\n")
    else:
        module.write_text(f"value = {what}\n")
    monkeypatch.setattr("tests.test_layout.ROOT", tmp_path)
    found = list(reaches(module, url_namespaces()))
    assert found, what
    assert all(may_reach(source, target) for _line, _what, target in found) is expected


def test_a_migration_dependency_on_a_higher_app_is_seen(tmp_path):
    module = tmp_path / "accounts" / "migrations" / "0009_probe.py"
    module.parent.mkdir(parents=True)
    module.write_text('dependencies = [("blog", "0001_initial")]\n'
                      'field = dict(to="blog.post")\n')
    targets = {target for _line, _what, target in reaches(module, url_namespaces())}
    assert targets == {"blog"}


def test_each_app_has_one_url_namespace_except_guests_and_blog():
    per_app: dict[str, set[str]] = {}
    for namespace, app in url_namespaces().items():
        per_app.setdefault(app, set()).add(namespace)
    allowed = {"guests": {"join", "desk"}, "blog": {"blog", "preview"}}
    for app, names in per_app.items():
        assert names == allowed.get(app, names) and (len(names) == 1 or app in allowed), (
            app, names)


def test_blog_holds_less_than_two_fifths_of_the_code():
    def lines(app):
        return sum(
            len(path.read_text().splitlines())
            for path in (ROOT / app).rglob("*.py") if "migrations" not in path.parts
        )

    total = sum(lines(app) for app in RANK)
    assert lines("blog") < 0.4 * total, (lines("blog"), total)
