from saferhub.partnership.models import Partnership


def partnership(request) -> dict:
    """The partnership's name for the page header."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and user.agency_id:
        return {"partnership_name": user.agency.partnership.name}
    names = list(Partnership.objects.values_list("name", flat=True)[:2])
    return {"partnership_name": names[0] if len(names) == 1 else ""}
