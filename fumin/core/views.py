from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect, render

from fumin.accounts.scope import Capability, scope_of


def home(request):
    """Staff land on the console; members and residents on the portal."""
    if scope_of(request.user).can(Capability.CONSOLE):
        return redirect("console:home")
    return redirect("portal:home")


@login_not_required
def healthz(request):
    """For load balancers: answers 200 when the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def _error(template, status):
    @login_not_required
    def view(request, exception=None):
        return render(request, template, status=status)

    return view


permission_denied = _error("errors/403.html", 403)
page_not_found = _error("errors/404.html", 404)


def server_error(request):
    # Rendered without the request context: whatever broke may break that too.
    from django.http import HttpResponseServerError
    from django.template import loader

    return HttpResponseServerError(loader.get_template("errors/500.html").render())
