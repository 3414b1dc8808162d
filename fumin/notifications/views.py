from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from fumin.core.paging import paginate

from . import services
from .selectors import inbox


def inbox_index(request):
    notifications = paginate(request, inbox(viewer=request.user))
    return render(request, "notifications/inbox.html", {"notifications": notifications})


@require_POST
def notification_open(request, notification_id):
    """Mark one notification read, then follow its link (only to a page of this site)."""
    notification = inbox(viewer=request.user).filter(pk=notification_id).first()
    if notification is None:
        raise Http404
    services.notification_mark_read(viewer=request.user, notification_id=notification.pk)
    target = notification.url
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return redirect(target)
    return redirect("notifications:inbox")


@require_POST
def inbox_mark_all_read(request):
    services.notification_mark_all_read(viewer=request.user)
    return redirect("notifications:inbox")
