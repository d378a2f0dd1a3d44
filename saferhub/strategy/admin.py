from django.contrib import admin

from saferhub.admin_site import CountsOnlyAdmin
from saferhub.strategy.models import ExternalObjective, ExternalPlan, Outcome, Priority, Strategy


class PriorityInline(admin.StackedInline):
    model = Priority
    extra = 0
    fields = ["number", "title", "summary", "lead_agency", "lead_officer", "aligned_objectives"]
    filter_horizontal = ["aligned_objectives"]


@admin.register(Strategy)
class StrategyAdmin(CountsOnlyAdmin):
    list_display = ["title", "partnership", "starts_on", "ends_on"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [PriorityInline]


class OutcomeInline(admin.TabularInline):
    model = Outcome
    extra = 1


@admin.register(Priority)
class PriorityAdmin(CountsOnlyAdmin):
    list_display = ["number", "title", "strategy", "lead_agency"]
    list_filter = ["strategy"]
    filter_horizontal = ["aligned_objectives"]
    inlines = [OutcomeInline]


class ObjectiveInline(admin.TabularInline):
    model = ExternalObjective
    extra = 1


@admin.register(ExternalPlan)
class ExternalPlanAdmin(CountsOnlyAdmin):
    list_display = ["title", "owner", "partnership"]
    inlines = [ObjectiveInline]
