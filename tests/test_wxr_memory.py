"""A large export is read as a stream: memory stays far below the size of the file."""

import importlib.util
import tracemalloc
from pathlib import Path

import pytest
from django.urls import reverse

from blog.models import Post
from comments.models import Comment
from wordpress.importer import WxrImporter

BENCHMARK = Path(__file__).resolve().parents[1] / "benchmarks" / "wxr_import.py"
pytestmark = pytest.mark.django_db


def benchmark_module():
    spec = importlib.util.spec_from_file_location("wxr_benchmark", BENCHMARK)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_large_export_is_imported_in_bounded_memory(tmp_path):
    path = tmp_path / "groot.wxr"
    # Real posts with threaded comments go through the whole import; the bulk of the
    # file is old revisions, which the reader has to stream past.
    size = benchmark_module().write_wxr(path, posts=40, comments=160, revisions=320,
                                        revision_size=25_000)
    assert size > 8_000_000

    # Links in posts are rewritten to their new addresses, which loads the URL configuration
    # once per process: a fixed cost, not the file's, so it is paid before measuring.
    reverse("blog:home")
    tracemalloc.start()
    try:
        report = WxrImporter(path).run()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()

    assert Post.objects.count() == 40 and Comment.objects.count() == 160
    assert report.ignored_types == {"revision": 320}
    # Parsing the whole file into a tree would take several times its size.
    assert peak < size / 4, f"peak {peak / 1e6:.1f} MB for a file of {size / 1e6:.1f} MB"
