"""Personal data encrypted at rest: donors' and readers' e-mail addresses and names.

`EncryptedTextField` stores "f1:" + a Fernet token (AES-128-CBC, HMAC-SHA256); the first of
SAMIZDAT_ENCRYPTION_KEYS encrypts, every one decrypts, so keys rotate (`samizdat
rotate_donor_keys`). "" is stored as it is, so an anonymous name and an erased address stay
recognisable. Encryption is randomised, so lookups go through keyed hashes (`email_hash`): any
lookup but "is it empty?" raises FieldError.
"""

from __future__ import annotations

import functools

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import FieldError, ImproperlyConfigured
from django.db import models
from django.db.models.lookups import Exact

PREFIX = "f1:"  # format version 1: Fernet under SAMIZDAT_ENCRYPTION_KEYS


class DecryptionError(Exception):
    """A stored value that none of the configured keys can decrypt."""


@functools.lru_cache(maxsize=8)
def _fernet_for(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise ImproperlyConfigured("SAMIZDAT_ENCRYPTION_KEYS is empty.")
    fernets = []
    for position, key in enumerate(keys, start=1):
        try:
            fernets.append(Fernet(key))
        except ValueError as exc:
            raise ImproperlyConfigured(
                f"SAMIZDAT_ENCRYPTION_KEYS: key {position} is not a Fernet key "
                "(32 url-safe base64-encoded bytes)."
            ) from exc
    return MultiFernet(fernets)


def fernet() -> MultiFernet:
    return _fernet_for(tuple(settings.SAMIZDAT_ENCRYPTION_KEYS))


def is_encrypted(value: str | None) -> bool:
    return bool(value) and value.startswith(PREFIX)


def encrypt(value: str) -> str:
    """The stored form of `value`: "f1:<token>", or "" for "" (and None for None)."""
    if not value:
        return value
    return PREFIX + fernet().encrypt(value.encode()).decode("ascii")


def decrypt(stored: str) -> str:
    """The clear value of a stored one; raises DecryptionError rather than return garbage."""
    if not stored:
        return stored
    if not stored.startswith(PREFIX):
        raise DecryptionError(
            "An encrypted column holds a value in an unknown format (not encrypted?): "
            "run `samizdat migrate`."
        )
    try:
        return fernet().decrypt(stored[len(PREFIX) :].encode("ascii")).decode()
    except InvalidToken as exc:
        raise DecryptionError(
            "None of the keys in SAMIZDAT_ENCRYPTION_KEYS decrypts this value: the key it was "
            "encrypted with is missing (or the value was altered)."
        ) from exc


def reencrypt(stored: str) -> str:
    """The same value encrypted under the first key (key rotation)."""
    if not stored:
        return stored
    return encrypt(decrypt(stored))


class EncryptedTextField(models.TextField):
    """A text column encrypted at rest; reads back the clear text."""

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt(str(value))

    def from_db_value(self, value, expression, connection):
        return decrypt(value) if value else value

    def get_lookup(self, lookup_name):
        if lookup_name not in ("exact", "isnull"):
            return None  # Django raises FieldError("Unsupported lookup …")
        return super().get_lookup(lookup_name)


@EncryptedTextField.register_lookup
class EncryptedExact(Exact):
    """Only `field=""` can be asked of an encrypted column: equal addresses never look alike."""

    def get_prep_lookup(self):
        if self.rhs not in ("", None) and not hasattr(self.rhs, "resolve_expression"):
            raise FieldError(
                f"{self.lhs.target.model.__name__}.{self.lhs.target.name} is encrypted: look "
                "records up by their keyed hash (email_hash) instead."
            )
        return super().get_prep_lookup()


def encrypted_fields():
    """(model, [field names]) for every installed model with encrypted fields."""
    from django.apps import apps

    for model in apps.get_models():
        names = [f.name for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)]
        if names:
            yield model, names


# Migrations ----------------------------------------------------------------------------------


def _transform_columns(schema_editor, model, fields, transform) -> None:
    """Apply `transform` to the raw stored values of `fields`, row by row, in SQL."""
    connection = schema_editor.connection
    qn = connection.ops.quote_name
    table = qn(model._meta.db_table)
    pk = qn(model._meta.pk.column)
    columns = [qn(model._meta.get_field(name).column) for name in fields]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {pk}, {', '.join(columns)} FROM {table}")  # noqa: S608
        rows = cursor.fetchall()
    assignments = ", ".join(f"{column} = %s" for column in columns)
    with connection.cursor() as cursor:
        for pk_value, *values in rows:
            new = [transform(value) for value in values]
            if new != values:
                cursor.execute(
                    f"UPDATE {table} SET {assignments} WHERE {pk} = %s",  # noqa: S608
                    [*new, pk_value],
                )


def _encrypt_clear(value):
    return value if not value or is_encrypted(value) else encrypt(value)


def _decrypt_stored(value):
    return decrypt(value) if is_encrypted(value) else value


def encrypt_existing(app_label: str, model_fields: dict[str, list[str]]):
    """A RunPython pair that encrypts existing clear values, and decrypts them on the way back."""

    def forwards(apps, schema_editor):
        for model_name, fields in model_fields.items():
            model = apps.get_model(app_label, model_name)
            _transform_columns(schema_editor, model, fields, _encrypt_clear)

    def backwards(apps, schema_editor):
        for model_name, fields in model_fields.items():
            model = apps.get_model(app_label, model_name)
            _transform_columns(schema_editor, model, fields, _decrypt_stored)

    return forwards, backwards
