"""Which records a user may see: the one place that decides.

Every model that users can reach registers one rule here, a function from the
user to a Q filter. Detail pages, lists, searches, exports and reports all go
through `visible()`, so none can show more than another. A model with no rule
shows nothing: default deny.
"""

from collections.abc import Callable

from django.db.models import Model, Q, QuerySet
from django.http import Http404

ScopeRule = Callable[[object], Q]
_rules: dict[type[Model], ScopeRule] = {}

ALL = Q()  # a rule returning ALL lets the user see every row of the model


def rule(model: type[Model]) -> Callable[[ScopeRule], ScopeRule]:
    """Register the scope rule for a model (one rule per model)."""

    def register(function: ScopeRule) -> ScopeRule:
        if model in _rules:
            raise RuntimeError(f"{model.__name__} already has a scope rule")
        _rules[model] = function
        return function

    return register


def visible(user, queryset: QuerySet) -> QuerySet:
    """The rows of `queryset` that `user` may see."""
    scope_rule = _rules.get(queryset.model)
    # Every real user belongs to an agency; anyone else (anonymous, inactive, a
    # hand-made superuser with no agency) sees nothing.
    if scope_rule is None or not (user.is_authenticated and user.is_active and user.agency_id):
        return queryset.none()
    return queryset.filter(scope_rule(user))


def get_visible_or_404(user, queryset: QuerySet, **lookup) -> Model:
    """One record the user may see. Missing and not allowed answer the same: 404."""
    try:
        return visible(user, queryset).get(**lookup)
    except queryset.model.DoesNotExist:
        raise Http404 from None


_count_rules: dict[type[Model], ScopeRule] = {}


def count_rule(model: type[Model]) -> Callable[[ScopeRule], ScopeRule]:
    """Register which rows of a model a user may *count* (never see): the rows behind
    aggregate figures such as the SafeLives return or the annual report, which show
    numbers and no record. Views still ask `can()` whether the user may see the figures."""

    def register(function: ScopeRule) -> ScopeRule:
        if model in _count_rules:
            raise RuntimeError(f"{model.__name__} already has a count rule")
        _count_rules[model] = function
        return function

    return register


def countable(user, queryset: QuerySet) -> QuerySet:
    """The rows of `queryset` that go into figures `user` may read. None without a rule."""
    count = _count_rules.get(queryset.model)
    if count is None or not (user.is_authenticated and user.is_active and user.agency_id):
        return queryset.none()
    return queryset.filter(count(user))


def registered_models() -> list[type[Model]]:
    return list(_rules)
