from django.contrib import admin

from saferhub.admin_site import CountsOnlyAdmin
from saferhub.audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(CountsOnlyAdmin):
    """Read-only: the log is append-only, even for administrators."""

    list_display = ["at", "actor", "agency_code", "verb", "target_type", "target_id"]
    list_filter = ["verb", "agency_code"]
    search_fields = ["verb", "target_id"]
    date_hierarchy = "at"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
