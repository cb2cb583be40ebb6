"""Model validation with every check that needs the database asked in one query.

Django's full_clean asks one query per foreign key (does the row exist?) and one per constraint,
each check constraint inside a savepoint of its own: three queries for a rule on one row, some
twenty for a house case. Here they are the columns of a single SELECT; the errors, their messages
and the fields they are filed under are Django's, and a constraint on a field that already failed
is skipped, as Django does.
"""

from collections.abc import Callable, Iterable

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models, router
from django.db.models import BooleanField, CheckConstraint, Exists, Q, UniqueConstraint
from django.db.models.functions import Coalesce
from django.db.models.sql import Query
from django.db.models.sql.constants import SINGLE


class CheckedInOneQuery:
    """A model whose full_clean (and so every ModelForm's and the admin's) is `full_clean` below."""

    def full_clean(self, exclude=None, validate_unique=True, validate_constraints=True):
        full_clean(self, exclude=exclude, validate_unique=validate_unique, validate_constraints=validate_constraints)


def full_clean(instance: models.Model, exclude: Iterable[str] | None = None, validate_unique: bool = True,
               validate_constraints: bool = True) -> None:
    """``instance.full_clean(...)`` (same arguments), asking the database once."""
    exclude = set(exclude or ())
    questions = _Questions(instance)
    errors: dict[str, list] = {}
    _clean_fields(instance, exclude, errors, questions)
    try:
        instance.clean()
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    exclude |= {name for name in errors if name != NON_FIELD_ERRORS}
    if validate_unique:
        try:
            instance.validate_unique(exclude=exclude)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
    others = []
    for model_class, constraints in instance.get_constraints() if validate_constraints else ():
        for constraint in constraints:
            if not _ask_constraint(model_class, instance, constraint, exclude, questions):
                others.append((model_class, constraint))
    problems = questions.ask(exclude)
    for problem in problems:
        if problem.missing_row:
            errors.setdefault(problem.field, []).extend(problem.error.error_list)
            exclude.add(problem.field)
    exclude |= {name for name in errors if name != NON_FIELD_ERRORS}
    for problem in problems:
        if not problem.missing_row and not problem.reads & exclude:
            if problem.field == NON_FIELD_ERRORS:
                errors = problem.error.update_error_dict(errors)
            else:
                errors.setdefault(problem.field, []).append(problem.error)
    for model_class, constraint in others:
        # Any other kind (a unique constraint on expressions, an exclusion constraint): Django's
        # own check, with its own query.
        try:
            constraint.validate(model_class, instance, exclude=exclude, using=questions.using)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)


class _Problem:
    """A check's failure, known once the query has answered: the error, the field it is filed
    under, and the fields the check read (it does not count if one of them failed already)."""

    def __init__(self, error: ValidationError, *, field: str = NON_FIELD_ERRORS, reads: Iterable[str] = (),
                 missing_row: bool = False):
        self.error, self.field, self.reads, self.missing_row = error, field, set(reads), missing_row


class _Questions:
    """Yes-or-no questions about one instance, asked of the database in one SELECT."""

    def __init__(self, instance: models.Model):
        self.instance = instance
        self.using = router.db_for_write(type(instance), instance=instance)
        self.asked: list[tuple[object, Callable[[bool], _Problem | None]]] = []

    def add(self, expression, judge: Callable[[bool], "_Problem | None"]) -> None:
        self.asked.append((expression, judge))

    def ask(self, exclude: set[str]) -> list[_Problem]:
        """The problems found. ``exclude``: fields whose values are not to be sent (they failed)."""
        if not self.asked:
            return []
        # As Q.check does: each field's value is an unselected annotation named like the field,
        # so that F("field") in a constraint's condition reads the instance's value.
        query = Query(None)
        for name, value in self.instance._get_field_expression_map(meta=self.instance._meta, exclude=exclude).items():
            query.add_annotation(value, name, select=False)
        for index, (expression, _judge) in enumerate(self.asked):
            query.add_annotation(expression, f"fw_question_{index}")
        answers = query.get_compiler(using=self.using).execute_sql(SINGLE)
        problems = [judge(bool(answer)) for answer, (_expression, judge) in zip(answers, self.asked, strict=True)]
        return [problem for problem in problems if problem is not None]


def _clean_fields(instance: models.Model, exclude: set[str], errors: dict, questions: _Questions) -> None:
    """Model.clean_fields, except that whether a foreign key's row exists is a question for the
    one query rather than a query of its own."""
    for field in instance._meta.fields:
        if field.name in exclude or field.generated:
            continue
        raw_value = getattr(instance, field.attname)
        if field.blank and raw_value in field.empty_values:
            continue
        try:
            if field.many_to_one and not field.remote_field.parent_link:
                value = field.to_python(raw_value)
                # ForeignKey.validate is Field.validate and the query asked below.
                models.Field.validate(field, value, instance)
                field.run_validators(value)
                if value is not None:
                    _ask_row_exists(instance, field, value, questions)
            else:
                value = field.clean(raw_value, instance)
            setattr(instance, field.attname, value)
        except ValidationError as error:
            errors[field.name] = error.error_list


def _ask_row_exists(instance, field, value, questions: _Questions) -> None:
    rows = field.remote_field.model._base_manager.using(questions.using) \
        .filter(**{field.remote_field.field_name: value}).complex_filter(field.get_limit_choices_to())
    missing = ValidationError(field.error_messages["invalid"], code="invalid", params={
        "model": field.remote_field.model._meta.verbose_name, "pk": value, "field": field.remote_field.field_name,
        "value": value,
    })
    questions.add(Exists(rows),
                  lambda exists: None if exists else _Problem(missing, field=field.name, missing_row=True))


def _ask_constraint(model_class, instance, constraint, exclude: set[str], questions: _Questions) -> bool:
    """Ask what constraint.validate would ask: a check constraint's condition on the instance's
    values; for a unique constraint on fields, whether another row already has the same values.
    False for a kind of constraint this does not know."""
    if isinstance(constraint, CheckConstraint):
        reads = Q(constraint.condition).referenced_base_fields
        if reads & exclude:
            return True  # Django skips it too (its condition cannot read an excluded field)
        error = ValidationError(constraint.get_violation_error_message(), code=constraint.violation_error_code)
        holds = Coalesce(Q(constraint.condition), True, output_field=BooleanField())
        questions.add(holds, lambda holds: None if holds else _Problem(error, reads=reads))
        return True
    if isinstance(constraint, UniqueConstraint) and constraint.fields:
        reads = set(constraint.fields) | (Q(constraint.condition).referenced_base_fields if constraint.condition
                                          else set())
        if not reads & exclude:
            _ask_unique(model_class, instance, constraint, reads, questions)
        return True
    return False


def _ask_unique(model_class, instance, constraint: UniqueConstraint, reads: set[str], questions: _Questions) -> None:
    lookups = {}
    for name in constraint.fields:
        value = getattr(instance, model_class._meta.get_field(name).attname)
        if value is None and constraint.nulls_distinct is not False:
            return  # NULL is never equal to NULL: no other row can clash
        lookups[name] = value
    others = model_class._default_manager.using(questions.using).filter(**lookups)
    if not instance._state.adding and instance._is_pk_set(model_class._meta):
        others = others.exclude(pk=instance._get_pk_val(model_class._meta))
    if constraint.condition:
        taken = Coalesce(Q(constraint.condition) & Exists(others.filter(constraint.condition)), True,
                         output_field=BooleanField())
    else:
        taken = Exists(others)
    if constraint.violation_error_message == constraint.default_violation_error_message:
        message = instance.unique_error_message(model_class, constraint.fields)
        error = ValidationError(message, code=message.code)
    else:
        error = ValidationError(constraint.get_violation_error_message(), code=constraint.violation_error_code)
    field = constraint.fields[0] if error.code == "unique" and len(constraint.fields) == 1 else NON_FIELD_ERRORS
    questions.add(taken, lambda taken: _Problem(error, field=field, reads=reads) if taken else None)
