"""Response headers that keep OFFICIAL-SENSITIVE pages out of every cache."""

from django.utils.cache import patch_cache_control


class NoStoreForSignedInUsersMiddleware:
    """Mark every response to a signed-in user `Cache-Control: no-store`.

    Pages behind sign-in carry OFFICIAL-SENSITIVE information: no browser, proxy
    or back/forward cache may keep a copy. Responses that already say no-store
    are left as they are; public responses (the sign-in page, static files served
    by WhiteNoise before this runs) keep their own caching.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            if "no-store" not in response.get("Cache-Control", ""):
                patch_cache_control(response, no_store=True, no_cache=True, private=True)
            response.setdefault("Pragma", "no-cache")
        return response
