"""Lookups on a hot path with their SQL built by the ORM once, then only run.

Building a QuerySet (`filter`, `select_for_update`, `order_by`: each clones it) and compiling it
costs 0.5–0.7 ms of CPU on every call; the query it sends costs PostgreSQL about a tenth of that.
A webhook's ledger makes several such lookups by provider ids, so most of its Python time went
there. `Prepared` builds its QuerySet once per database with a marker for each value, keeps the
SQL and the compiler, and on each call runs that SQL with the values given, turning the rows into
model instances (with their `select_related` objects) the way Django's ModelIterable does.

Only for lookups whose values are strings (ids, hashes): a marker must survive the field's
preparation unchanged, which a string does and a number would not.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.db import connections, router
from django.db.models import Model, QuerySet
from django.db.models.query import get_related_populators
from django.db.models.sql.compiler import SQLCompiler
from django.db.transaction import TransactionManagementError

M = TypeVar("M", bound=Model)


@dataclass(frozen=True)
class _Compiled:
    sql: str
    # For each parameter of `sql`: the index of the value that goes there, or a constant.
    params: tuple[tuple[int | None, Any], ...]
    compiler: SQLCompiler
    for_update: bool


class Prepared(Generic[M]):
    """`Prepared(Model, lambda a, b: Model.objects.filter(x=a, y=b))(a_value, b_value)` is
    `list(Model.objects.filter(x=a_value, y=b_value))`, without building the QuerySet again."""

    def __init__(self, model: type[M], build: Callable[..., QuerySet[M]]) -> None:
        self.model = model
        self.build = build
        self._compiled: dict[str, _Compiled] = {}

    def __call__(self, *values: str) -> list[M]:
        if not all(isinstance(value, str) for value in values):
            raise TypeError("A prepared lookup takes strings only")
        alias = router.db_for_write(self.model)
        compiled = self._compiled.get(alias) or self._compile(alias, len(values))
        connection = connections[alias]
        if compiled.for_update and connection.get_autocommit():
            raise TransactionManagementError(
                "select_for_update cannot be used outside of a transaction."
            )
        params = [values[index] if index is not None else value for index, value in compiled.params]
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, params)
            rows = cursor.fetchall()
        return list(_instances(compiled.compiler, alias, rows)) if rows else []

    def _compile(self, alias: str, arity: int) -> _Compiled:
        markers = [f"\x00prepared value {i}\x00" for i in range(arity)]
        queryset = self.build(*markers).using(alias)
        if queryset.model is not self.model:
            raise TypeError(f"A lookup of {queryset.model.__name__}, not {self.model.__name__}")
        if queryset.query.annotations or queryset._known_related_objects:
            raise TypeError("A prepared lookup reads model rows only")
        compiler = queryset.query.get_compiler(using=alias)
        # as_sql() fills the compiler's select list and klass_info, which turn rows into objects.
        sql, raw_params = compiler.as_sql()
        params = tuple(
            (markers.index(value), None) if value in markers else (None, value)
            for value in raw_params
        )
        unused = set(range(arity)) - {index for index, _ in params}
        if unused:
            raise ValueError(f"Values {sorted(unused)} are not parameters of the query")
        # Refused outside a transaction, as Django refuses it, where the database locks rows.
        features = compiler.connection.features
        locks = bool(queryset.query.select_for_update and features.has_select_for_update)
        compiled = _Compiled(sql, params, compiler, locks)
        self._compiled[alias] = compiled
        return compiled


def _instances(compiler: SQLCompiler, alias: str, rows: list[tuple]) -> list[Model]:
    """Model instances of `rows`, as ModelIterable makes them (no annotations, no known
    related objects: a prepared lookup has neither)."""
    select, klass_info = compiler.select, compiler.klass_info
    model = klass_info["model"]
    start, end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
    names = [column[0].target.attname for column in select[start:end]]
    populators = get_related_populators(klass_info, select, alias)
    instances = []
    for row in compiler.results_iter([rows]):
        instance = model.from_db(alias, names, row[start:end])
        for populator in populators:
            populator.populate(row, instance)
        instances.append(instance)
    return instances
