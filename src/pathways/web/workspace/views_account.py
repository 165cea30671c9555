"""The signed-in member's own settings (reminders on or off, the calendar link) and the
calendar feed itself, reached by its secret address alone (a calendar program signs in to
nothing)."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from . import calendar_feed
from .access import workspace_view


@workspace_view(personal=True)
def me(request):
    member, made = request.member, None
    if request.method == "POST":  # every member may change their own settings, viewers too
        action = request.POST.get("action")
        if action == "reminders":
            member.reminders = request.POST.get("reminders") == "on"
            member.save(update_fields=["reminders"])
        elif action == "calendar-new":
            made = request.build_absolute_uri(calendar_feed.feed_path(calendar_feed.new_token(member)))
        elif action == "calendar-revoke":
            calendar_feed.revoke(member)
        else:
            return render(request, "workspace/me.html", {"member": member, "error": "action: expected reminders, "
                                                         "calendar-new or calendar-revoke"}, status=400)
    return render(request, "workspace/me.html", {"member": member, "made": made, "nav": "me"})


@require_GET
def calendar(request, token: str):
    member = calendar_feed.member_for(token)
    if member is None:
        raise Http404("no calendar at this address (revoked, replaced, or never made)")
    response = HttpResponse(calendar_feed.feed(member, request.build_absolute_uri("/")), content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "no-store"
    response["Content-Disposition"] = 'inline; filename="workspace.ics"'
    return response
