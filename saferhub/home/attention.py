"""What needs a user's attention, gathered from every app for the home page.

Each app registers a provider: a function from the user to a list of items.
Providers must only return what the user may see (they go through access.scope).
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class AttentionItem:
    title: str
    detail: str
    url: str
    # Lower sorts first; overdue work should use 0, information 100.
    urgency: int = 50


Provider = Callable[[object], list[AttentionItem]]
_providers: list[Provider] = []


def provider(function: Provider) -> Provider:
    _providers.append(function)
    return function


def items_for(user) -> list[AttentionItem]:
    items = [item for function in _providers for item in function(user)]
    return sorted(items, key=lambda item: (item.urgency, item.title))
