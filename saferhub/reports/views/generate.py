"""Generating the annual report on the web: the form and list, progress, download."""

from datetime import date

from django import forms
from django.http import HttpResponse
from django.shortcuts import redirect, render

from saferhub.access import scope
from saferhub.access.permissions import Action, can, require
from saferhub.audit.services import record
from saferhub.reports import annual, generation
from saferhub.reports.models import GeneratedReport
from saferhub.strategy.models import Strategy


class GenerateForm(forms.Form):
    strategy = forms.ModelChoiceField(
        queryset=Strategy.objects.none(),
        label="Strategy",
        empty_label=None,
        widget=forms.Select(attrs={"class": "govuk-select"}),
    )
    year_ending = forms.DateField(
        label="The reporting year ends on",
        help_text="Any 12 months: the report covers the year up to and including this day. "
        "For example, 31/10/2024",
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        widget=forms.DateInput(attrs={"class": "govuk-input govuk-input--width-10"}),
        error_messages={
            "required": "Enter the day the reporting year ends",
            "invalid": "Enter the day the year ends as a date, like 31/10/2024",
        },
    )
    format = forms.ChoiceField(
        label="Format",
        choices=GeneratedReport.Format.choices,
        initial=GeneratedReport.Format.PDF,
        widget=forms.RadioSelect(attrs={"class": "govuk-radios__input"}),
    )

    def __init__(self, *args, strategies, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["strategy"].queryset = strategies

    def clean(self):
        cleaned = super().clean()
        strategy, year_ending = cleaned.get("strategy"), cleaned.get("year_ending")
        if strategy and year_ending:
            try:
                annual.check_year(strategy, year_ending)
            except annual.ReportError as error:
                self.add_error("year_ending", str(error))
        return cleaned


def _initial(request, strategies) -> dict:
    """The strategy and year the user came from (the report page links here with them),
    else the latest strategy and the latest day it allows."""
    chosen = strategies.filter(pk=request.GET.get("strategy") or 0).first()
    chosen = chosen or strategies.order_by("-starts_on").first()
    if chosen is None:
        return {}
    try:
        day = date.fromisoformat(request.GET.get("year_ending", ""))
    except ValueError:
        day = min(date.today(), chosen.ends_on)
    return {"strategy": chosen, "year_ending": day.strftime("%d/%m/%Y")}


def index(request):
    """Generated reports, newest first, and (for the CSP team) the form to make one."""
    require(request.user, Action.VIEW_REPORTS)
    strategies = scope.visible(request.user, Strategy.objects.all())
    may_generate = can(request.user, Action.GENERATE_REPORTS)
    form = None
    if may_generate:
        initial = _initial(request, strategies)
        form = GenerateForm(request.POST or None, strategies=strategies, initial=initial)
        if request.method == "POST" and form.is_valid():
            generated = generation.request(
                request.user,
                form.cleaned_data["strategy"],
                form.cleaned_data["year_ending"],
                form.cleaned_data["format"],
            )
            return redirect("generated-report", generated.id)
    elif request.method == "POST":
        require(request.user, Action.GENERATE_REPORTS)
    reports = (
        scope.visible(request.user, GeneratedReport.objects.all())
        .select_related("strategy", "requested_by")
        .defer("content")[:50]
    )
    return render(request, "reports/generate/index.html", {"form": form, "reports": reports})


def _generated(request, pk: int) -> GeneratedReport:
    require(request.user, Action.VIEW_REPORTS)
    return scope.get_visible_or_404(
        request.user,
        GeneratedReport.objects.select_related("strategy", "requested_by").defer("content"),
        pk=pk,
    )


def status(request, pk: int):
    return render(request, "reports/generate/status.html", {"generated": _generated(request, pk)})


def progress(request, pk: int):
    """The progress fragment the status page polls (htmx) until the report is finished."""
    return render(
        request, "reports/generate/_progress.html", {"generated": _generated(request, pk)}
    )


def download(request, pk: int):
    generated = _generated(request, pk)
    if generated.status != GeneratedReport.Status.DONE:
        return redirect("generated-report", generated.id)
    content = GeneratedReport.objects.values_list("content", flat=True).get(pk=generated.pk)
    record(request.user, "report.downloaded", generated, format=generated.format)
    response = HttpResponse(bytes(content), content_type=generation.CONTENT_TYPES[generated.format])
    response["Content-Disposition"] = f'attachment; filename="{generated.filename}"'
    response["Cache-Control"] = "no-store"
    return response
