"""Write helpers shared by every app's services."""

from collections.abc import Callable, Iterable

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, models, router, transaction
from django.db.models import BooleanField, CheckConstraint, Exists, Q, UniqueConstraint
from django.db.models.functions import Coalesce
from django.db.models.sql import Query
from django.db.models.sql.constants import SINGLE
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import get_history_manager_for_model


def validated_save(instance, *, actor, update_fields=None) -> None:
    """full_clean, then save, with ``actor`` as the author of the history row (imports, the API
    and tasks have no request for the history middleware to read). A constraint that another
    transaction broke in the meantime is reported like the same rule caught by full_clean."""
    full_clean(instance)
    instance._history_user = actor
    try:
        with transaction.atomic():
            instance.save(update_fields=update_fields)
    except IntegrityError as exc:
        raise ValidationError(_("The record conflicts with one saved at the same moment; reload and try again.")) \
            from exc


def bulk_delete_with_history(objs: list[models.Model], model: type[models.Model], *, actor) -> None:
    """Delete ``objs`` with one query, and write their history rows ("deleted", by ``actor``) with
    another, as `bulk_create_with_history` does for inserts. QuerySet.delete() would read the rows
    again and write one history row per row through simple-history's post_delete signal.

    Only for a model that no other row points at: nothing is cascaded, no signal is sent.
    """
    if not objs:
        return
    if model._meta.related_objects:
        raise ValueError(f"{model.__name__} has rows pointing at it: delete them one by one")
    history = get_history_manager_for_model(model).model
    now = timezone.now()
    history.objects.bulk_create([
        history(history_date=now, history_user=actor, history_type="-",
                **{field.attname: getattr(obj, field.attname) for field in history.tracked_fields})
        for obj in objs
    ])
    # _raw_delete: one DELETE, without the signals whose history row was written above.
    rows = model._base_manager.filter(pk__in=[obj.pk for obj in objs])
    rows._raw_delete(rows.db)


def full_clean(instance: models.Model) -> None:
    """``instance.full_clean()``, with every check that needs the database asked in one query.

    Django asks one query per foreign key (does the row exist?) and one per constraint, each
    check constraint inside a savepoint of its own: three queries for a rule on one row. Here they
    are the columns of a single SELECT; the errors, their messages and the fields they are filed
    under are Django's, and a constraint on a field that already failed is skipped as Django does.
    """
    questions = _Questions(instance)
    errors: dict[str, list] = {}
    _clean_fields(instance, errors, questions)
    try:
        instance.clean()
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    exclude = {name for name in errors if name != NON_FIELD_ERRORS}
    try:
        instance.validate_unique(exclude=exclude)
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    others = []
    for model_class, constraints in instance.get_constraints():
        for constraint in constraints:
            if not _ask_constraint(model_class, instance, constraint, questions):
                others.append((model_class, constraint))
    problems = questions.ask()
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

    def ask(self) -> list[_Problem]:
        if not self.asked:
            return []
        # As Q.check does: each field's value is an unselected annotation named like the field,
        # so that F("field") in a constraint's condition reads the instance's value.
        query = Query(None)
        for name, value in self.instance._get_field_expression_map(meta=self.instance._meta).items():
            query.add_annotation(value, name, select=False)
        for index, (expression, _judge) in enumerate(self.asked):
            query.add_annotation(expression, f"fw_question_{index}")
        answers = query.get_compiler(using=self.using).execute_sql(SINGLE)
        problems = [judge(bool(answer)) for answer, (_expression, judge) in zip(answers, self.asked, strict=True)]
        return [problem for problem in problems if problem is not None]


def _clean_fields(instance: models.Model, errors: dict, questions: _Questions) -> None:
    """Model.clean_fields, except that whether a foreign key's row exists is a question for the
    one query rather than a query of its own."""
    for field in instance._meta.fields:
        if field.generated:
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


def _ask_constraint(model_class, instance, constraint, questions: _Questions) -> bool:
    """Ask what constraint.validate would ask: a check constraint's condition on the instance's
    values; for a unique constraint on fields, whether another row already has the same values.
    False for a kind of constraint this does not know."""
    if isinstance(constraint, CheckConstraint):
        reads = Q(constraint.condition).referenced_base_fields
        error = ValidationError(constraint.get_violation_error_message(), code=constraint.violation_error_code)
        holds = Coalesce(Q(constraint.condition), True, output_field=BooleanField())
        questions.add(holds, lambda holds: None if holds else _Problem(error, reads=reads))
        return True
    if isinstance(constraint, UniqueConstraint) and constraint.fields:
        _ask_unique(model_class, instance, constraint, questions)
        return True
    return False


def _ask_unique(model_class, instance, constraint: UniqueConstraint, questions: _Questions) -> None:
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
    reads = set(constraint.fields)
    if constraint.condition:
        reads |= Q(constraint.condition).referenced_base_fields
    questions.add(taken, lambda taken: _Problem(error, field=field, reads=reads) if taken else None)
