from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group

from saferhub.admin_site import CountsOnlyAdmin
from saferhub.partnership.models import Agency, Partnership, RoleAssignment, Team, User, Ward

# saferhub's roles (access.roles) replace Django's groups; showing both would confuse.
admin.site.unregister(Group)


@admin.register(Partnership)
class PartnershipAdmin(CountsOnlyAdmin):
    list_display = ["name", "area"]


@admin.register(Ward)
class WardAdmin(CountsOnlyAdmin):
    list_display = ["name", "code", "partnership"]
    search_fields = ["name", "code"]


class TeamInline(admin.TabularInline):
    model = Team
    extra = 0


@admin.register(Agency)
class AgencyAdmin(CountsOnlyAdmin):
    list_display = ["name", "code", "kind", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "code"]
    inlines = [TeamInline]


class RoleInline(admin.TabularInline):
    model = RoleAssignment
    extra = 1


@admin.register(User)
class UserAdmin(CountsOnlyAdmin, DjangoUserAdmin):
    list_display = ["username", "first_name", "last_name", "agency", "is_active"]
    list_filter = ["agency", "is_active", "role_assignments__role"]
    list_select_related = ["agency"]
    inlines = [RoleInline]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        ("Person", {"fields": ["first_name", "last_name", "email", "job_title"]}),
        ("Partnership", {"fields": ["agency", "team"]}),
        ("Status", {"fields": ["is_active", "last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"fields": ["username", "password1", "password2"]}),
        ("Partnership", {"fields": ["first_name", "last_name", "email", "agency", "team"]}),
    ]
    readonly_fields = ["last_login", "date_joined"]
