"""`samizdat check --deploy`: Samizdat's own review of a production configuration.

settings.py already refuses to start a public site on the demo's secrets; these checks name
what is still weak or left to a default that only suits the demo, each with what to set.
"""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register

MIN_SECRET_KEY_LENGTH = 50
IMMEDIATE_TASKS = "django_tasks.backends.immediate.ImmediateBackend"


def public_hosts() -> list[str]:
    """The host names in ALLOWED_HOSTS beyond loopback: with any, the site faces the public."""
    return sorted(set(settings.ALLOWED_HOSTS) - set(settings.LOOPBACK_HOSTS))


def _fallback(name: str) -> bool:
    return name in getattr(settings, "SAMIZDAT_LOOPBACK_FALLBACKS", ())


@register(Tags.security, deploy=True)
def check_webhook_secrets(app_configs=None, **kwargs) -> list:
    """A webhook secret anyone knows lets anyone post a "payment succeeded"."""
    found = []
    for name in ("STRIPE_WEBHOOK_SECRET", "STRIPE_SECRET_KEY"):
        if _fallback(name):
            found.append(
                Error(
                    f"{name} is the demo's published value.",
                    hint=f"Set {name} from the Stripe dashboard: with the demo's, anyone can "
                    "forge a payment.",
                    id="samizdat.E001",
                )
            )
    for provider, config in settings.SAMIZDAT_PAYMENT_PROVIDERS.items():
        options = config.get("OPTIONS", {})
        if "webhook_secret" in options and not str(options["webhook_secret"]).strip():
            found.append(
                Error(
                    f"The payment provider {provider!r} has no webhook secret.",
                    hint="Without one, its webhooks cannot be told from forgeries.",
                    id="samizdat.E001",
                )
            )
    return found


@register(Tags.security, deploy=True)
def check_secret_key(app_configs=None, **kwargs) -> list:
    if _fallback("SECRET_KEY"):
        return [
            Error(
                "SECRET_KEY is the demo's published key.",
                hint=f"Set SECRET_KEY to {MIN_SECRET_KEY_LENGTH} or more random characters.",
                id="samizdat.E002",
            )
        ]
    if len(settings.SECRET_KEY) < MIN_SECRET_KEY_LENGTH:
        return [
            Warning(
                f"SECRET_KEY has fewer than {MIN_SECRET_KEY_LENGTH} characters: it signs "
                "donors' magic links and readers' checkout tokens.",
                hint=f"Set SECRET_KEY to {MIN_SECRET_KEY_LENGTH} or more random characters.",
                id="samizdat.W002",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def check_donor_keys(app_configs=None, **kwargs) -> list:
    found = []
    if _fallback("SAMIZDAT_ENCRYPTION_KEYS"):
        found.append(
            Error(
                "SAMIZDAT_ENCRYPTION_KEYS is unset: donors' data is encrypted with a key derived "
                "from SECRET_KEY, so SECRET_KEY and a database dump read every donor.",
                hint="Set SAMIZDAT_ENCRYPTION_KEYS to a Fernet key kept apart from SECRET_KEY "
                'and from the backups (README, "When you are blocked", step 7).',
                id="samizdat.E003",
            )
        )
    if _fallback("SAMIZDAT_LOOKUP_KEY"):
        found.append(
            Warning(
                "SAMIZDAT_LOOKUP_KEY is unset: donor lookups are keyed with SECRET_KEY, so "
                "changing SECRET_KEY would lose every donor's history and magic link.",
                hint="Set SAMIZDAT_LOOKUP_KEY to 50 or more random characters, not SECRET_KEY. "
                'On a site that already has donors, set it to "lookup:" followed by the '
                "current SECRET_KEY.",
                id="samizdat.W004",
            )
        )
    elif settings.SAMIZDAT_LOOKUP_KEY == settings.SECRET_KEY:
        found.append(
            Warning(
                "SAMIZDAT_LOOKUP_KEY is SECRET_KEY.",
                hint="Give it a value of its own, so that SECRET_KEY can be rotated.",
                id="samizdat.W004",
            )
        )
    return found


@register(Tags.security, deploy=True)
def check_client_address(app_configs=None, **kwargs) -> list:
    """Rate limits count per reader's address; behind a proxy REMOTE_ADDR is the proxy's."""
    header = getattr(settings, "SAMIZDAT_CLIENT_IP_HEADER", "")
    if not header:
        return [
            Warning(
                "SAMIZDAT_CLIENT_IP_HEADER is unset: behind a proxy every reader has the "
                "proxy's address, and all share one rate-limit budget for checkout, reminders "
                "and magic links.",
                hint="Behind the README's nginx, set SAMIZDAT_CLIENT_IP_HEADER=HTTP_X_REAL_IP. "
                "If gunicorn faces readers directly, add samizdat.W005 to "
                "SILENCED_SYSTEM_CHECKS.",
                id="samizdat.W005",
            )
        ]
    if header != "REMOTE_ADDR" and not header.startswith("HTTP_"):
        return [
            Warning(
                f"SAMIZDAT_CLIENT_IP_HEADER={header} is not a header as Django names it, so "
                "it is never found.",
                hint="Upper case, dashes as underscores, with HTTP_ in front: HTTP_X_REAL_IP.",
                id="samizdat.W006",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def check_task_backend(app_configs=None, **kwargs) -> list:
    backend = settings.TASKS.get("default", {}).get("BACKEND", "")
    if backend == IMMEDIATE_TASKS:
        return [
            Warning(
                "Background tasks run inside the request (SAMIZDAT_TASKS_BACKEND is "
                '"immediate"): receipts and magic links are sent while the reader waits, '
                "and a slow mail server slows the checkout and tells who is a donor by timing.",
                hint="Set SAMIZDAT_TASKS_BACKEND=database and run `samizdat db_worker`.",
                id="samizdat.W007",
            )
        ]
    return []
