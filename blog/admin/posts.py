"""Scaffolding: the editor's post admin is built under issue 4."""

from django.contrib import admin

from blog.models import Page, Post, Series

admin.site.register(Post)
admin.site.register(Series)
admin.site.register(Page)
