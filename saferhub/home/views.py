from django.shortcuts import render

from saferhub.home.attention import items_for


def home(request):
    return render(request, "home/home.html", {"items": items_for(request.user)})
