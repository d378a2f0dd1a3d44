"""Pages of a long list that count only so far.

Counting every case an agency may see meant checking each of a region's 200,000 cases on
every page of the case list; nobody pages through more than the newest thousand, they
search or filter. So the count stops at CAP: beyond it the page says "more than".
"""

from functools import cached_property

from django.core.paginator import Paginator

CAP = 1000


class CappedPaginator(Paginator):
    """A Paginator over at most `cap` rows of the (ordered) list, knowing whether there
    were more."""

    def __init__(self, object_list, per_page, cap: int | None = None, **kwargs) -> None:
        super().__init__(object_list, per_page, **kwargs)
        self.cap = CAP if cap is None else cap

    @cached_property
    def _counted(self) -> int:
        return self.object_list[: self.cap + 1].count()

    @cached_property
    def count(self) -> int:
        return min(self._counted, self.cap)

    @cached_property
    def more_than_cap(self) -> bool:
        return self._counted > self.cap
