"""Asking for a magic link: the same answer, as fast, whether or not the address is a donor's;
the lookup and the e-mail come after the answer has gone out."""

from __future__ import annotations

from django.http import HttpResponse
from django_tasks import task

from samizdat.core.emails import email_hash
from samizdat.core.mail import language_url, send_mail_in_language
from samizdat.core.ratelimit import over_limit
from samizdat.newsroom.names import newsroom_name

from ...models import Donor
from .tokens import link_max_age, make_link_token

# Per donor, so nobody can flood a donor's inbox by typing their address again and again.
LINKS_PER_DONOR = (3, 60 * 60)


def email_manage_link(email: str, language: str) -> None:
    """Send a link if the address belongs to a donor. Says nothing either way.

    Known or not, the same work is queued: a task that decides whether there is anyone to
    write to. Only the donor's id goes into the task, never the address.
    """
    donor_id = Donor.objects.filter(email_hash=email_hash(email)).values_list("pk", flat=True)
    send_manage_link.enqueue(donor_id.first(), language)


@task()
def send_manage_link(donor_id: int | None, language: str) -> bool:
    if donor_id is None:  # nobody gives from that address
        return False
    if over_limit("manage-link-donor", str(donor_id), *LINKS_PER_DONOR):
        return False
    donor = Donor.objects.filter(pk=donor_id).first()
    if donor is None:  # erased between the request and this task
        return False
    # Signed here, not in the request: the hour counts from when the e-mail goes out.
    token = make_link_token(donor)
    send_mail_in_language(
        to=donor.email,
        template="support/email/manage_link",
        language=language,
        context={
            "newsroom": newsroom_name(language),
            "link": language_url("support:manage_gifts", language, {"token": token}),
            "valid_minutes": max(1, link_max_age() // 60),
        },
    )
    return True


class AnswerThenAskForLink(HttpResponse):
    """The "we've sent a link" page, with the lookup and the sending done only after it.

    The WSGI server calls close() once the whole answer is written to the reader, so however
    long the lookup, the rate limit and (with the "immediate" task backend) the SMTP exchange
    take, they cannot show in how long the answer took.
    """

    def __init__(self, content: str, email: str, language: str) -> None:
        super().__init__(content)
        self._link_request = (email, language)

    def close(self) -> None:
        try:
            email_manage_link(*self._link_request)
        finally:
            super().close()
