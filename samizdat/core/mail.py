"""E-mail to donors and readers: in their language, with absolute links to the public site.

Mail is rendered in a task worker, outside any request, so nothing here may depend on one.
"""

from __future__ import annotations

import smtplib
from collections.abc import Mapping

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation


def public_url(path: str = "") -> str:
    """The primary public address (SAMIZDAT_PUBLIC_URL), with `path` (starting with '/')."""
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def mail_language(language: str | None) -> str:
    """One of the site's languages: a stored code the site no longer offers falls back."""
    codes = [code for code, _name in settings.LANGUAGES]
    if language in codes:
        return language
    if language and language.split("-")[0] in codes:
        return language.split("-")[0]
    return settings.LANGUAGE_CODE


def language_url(viewname: str, language: str, kwargs: Mapping | None = None) -> str:
    """The public URL of a view under the given language's prefix: /ru/support/manage/…"""
    with translation.override(mail_language(language)):
        return public_url(reverse(viewname, kwargs=kwargs))


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

    Everything, from the subject to number formats, is rendered in the recipient's language,
    whatever language the sending process runs in. The context names the sender ("newsroom").
    """
    language = mail_language(language)
    with translation.override(language):
        full_context = {"language": language, **context}
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
