from django.contrib import admin

from saferhub.admin_site import CountsOnlyAdmin
from saferhub.safeguarding.models import AreaSettings


@admin.register(AreaSettings)
class AreaSettingsAdmin(CountsOnlyAdmin):
    list_display = ["partnership", "high_risk_score", "escalation_incidents", "reassessment_weeks"]
