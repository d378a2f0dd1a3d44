from django.contrib import admin

from saferhub.safeguarding.models import AreaSettings


@admin.register(AreaSettings)
class AreaSettingsAdmin(admin.ModelAdmin):
    list_display = ["partnership", "high_risk_score", "escalation_incidents", "reassessment_weeks"]
