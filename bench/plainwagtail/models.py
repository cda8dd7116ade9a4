"""The reference: the same article as a plain Wagtail page, the way a tutorial builds one."""

from wagtail.fields import RichTextField
from wagtail.models import Page


class PlainArticle(Page):
    body = RichTextField()

    template = "plainwagtail/plain_article.html"
