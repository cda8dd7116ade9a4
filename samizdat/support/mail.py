"""E-mail to donors and readers: in their language, with absolute links to the public site.

Mail is rendered outside any request (in a task worker), so nothing here may depend on one:
links are built from settings.WAGTAILADMIN_BASE_URL (SAMIZDAT_PUBLIC_URL), the newsroom's
name from the default site's home page in the recipient's language.
"""

from __future__ import annotations

import smtplib
from collections.abc import Mapping

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from samizdat.newsroom import structure
from samizdat.newsroom.templatetags.newsroom_tags import newsroom_name as _newsroom_name_tag


def mail_language(language: str | None) -> str:
    """One of the site's languages: a stored code the site no longer offers falls back."""
    codes = [code for code, _name in settings.LANGUAGES]
    if language in codes:
        return language
    if language and language.split("-")[0] in codes:
        return language.split("-")[0]
    return settings.LANGUAGE_CODE


def absolute_url(path: str) -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def public_url(viewname: str, language: str, kwargs: Mapping | None = None) -> str:
    """The absolute URL of a view under the given language's prefix: /ru/support/manage/…"""
    with translation.override(mail_language(language)):
        return absolute_url(reverse(viewname, kwargs=kwargs))


def newsroom_name(language: str) -> str:
    """The newsroom's name as readers of that edition see it in the masthead.

    Kept in the structure cache (a publish forgets it): a burst of receipts or a newsletter
    send would otherwise look the edition's home page up for every message.
    """
    language = mail_language(language)

    def find() -> str:
        with translation.override(language):
            return _newsroom_name_tag({})

    return structure.cached(("newsroom-name", language), find)


class MailNotSent(smtplib.SMTPException):
    """The mail server refused a message, told without the server's words: they quote the
    recipient's address, and this ends up in logs and in stored task results."""


def _refusal(error: smtplib.SMTPException) -> str:
    """The kind of refusal and its SMTP codes, e.g. "SMTPRecipientsRefused (550)"."""
    codes = []
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [str(answer[0]) for answer in error.recipients.values()]
    elif isinstance(error, smtplib.SMTPResponseException):
        codes = [str(error.smtp_code)]
    return f"{type(error).__name__} ({', '.join(codes)})" if codes else type(error).__name__


def send_mail_in_language(
    *,
    to: str,
    template: str,
    language: str,
    context: Mapping,
    headers: Mapping[str, str] | None = None,
) -> None:
    """Render `<template>_subject.txt`, `<template>.txt` and `<template>.html`, and send them.

    Everything, from the subject to dates and number formats, is rendered in the
    recipient's language, whatever language the sending process runs in.
    """
    language = mail_language(language)
    with translation.override(language):
        full_context = {"newsroom": newsroom_name(language), "language": language, **context}
        # A subject is one line whatever the template's line breaks.
        subject = " ".join(render_to_string(f"{template}_subject.txt", full_context).split())
        text = render_to_string(f"{template}.txt", full_context)
        html = render_to_string(f"{template}.html", full_context)
    message = EmailMultiAlternatives(subject, text, to=[to], headers=dict(headers or {}))
    message.attach_alternative(html, "text/html")
    try:
        message.send()
    except smtplib.SMTPException as error:
        raise MailNotSent(_refusal(error)) from None
