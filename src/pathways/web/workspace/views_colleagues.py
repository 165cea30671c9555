"""Colleagues (administrators invite, set roles, deactivate) and the invitation's one-time
link to set a password (Django's password-reset confirmation, with the invitation's tokens)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.views import PasswordResetConfirmView
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from . import colleagues
from .access import get_scoped, workspace_view
from .models import Member, Role


class InviteForm(forms.Form):
    email = forms.EmailField(label="Their email address", max_length=150,
                             help_text="They receive a link to set their password; it works once and expires.")
    role = forms.ChoiceField(label="Role", choices=Role.choices, initial=Role.COORDINATOR,
                             help_text="Viewers read; coordinators also write; administrators also manage colleagues.")


def _require_admin(request) -> None:
    if request.member.role != Role.ADMINISTRATOR:
        raise PermissionDenied("only the institution's administrators manage colleagues")


@workspace_view
def colleague_list(request):
    form = InviteForm()
    if request.method == "POST":
        _require_admin(request)
        form = InviteForm(request.POST)
        if form.is_valid():
            try:
                member = colleagues.invite(request, form.cleaned_data["email"], form.cleaned_data["role"])
            except ValidationError as error:
                form.add_error(None, error)  # a dict of field -> message lands on those fields
            else:
                messages.success(request, f"Invitation sent to {member.user.email}.")
                return redirect("/workspace/colleagues/")
    people = (Member.objects.filter(institution=request.member.institution).select_related("user")
              .order_by("user__username"))
    return render(request, "workspace/colleagues/list.html", {
        "nav": "colleagues", "form": form, "people": people, "roles": Role.choices,
        "is_admin": request.member.role == Role.ADMINISTRATOR})


@require_POST
@workspace_view
def colleague_change(request, pk):
    member = get_scoped(request.member, Member, pk)  # another institution's colleague: 404, whoever asks
    _require_admin(request)
    action = request.POST.get("action")
    try:
        if action == "role":
            role = request.POST.get("role")
            if role not in Role.values:
                raise ValidationError(f"role: expected one of {', '.join(Role.values)}")
            colleagues.change(request, member, role=role)
        elif action in ("deactivate", "reactivate"):
            colleagues.change(request, member, active=action == "reactivate")
        elif action == "resend":
            if member.user.has_usable_password():
                raise ValidationError(f"{member.user.username} has already set a password.")
            colleagues.send_invitation(request, member.user, request.user)
        else:
            raise ValidationError("action: expected role, deactivate, reactivate or resend")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, {"role": "Role changed.", "deactivate": "Deactivated: they can no longer sign in.",
                                   "reactivate": "Reactivated.", "resend": "Invitation sent again."}[action])
    return redirect("/workspace/colleagues/")


class Welcome(PasswordResetConfirmView):
    """The invitation's link: choose a password (Django's validators), then sign in."""

    token_generator = colleagues.invite_tokens
    template_name = "workspace/colleagues/welcome.html"
    success_url = "/workspace/welcome/done/"
    reset_url_token = "set-password"


welcome = Welcome.as_view()


def welcome_done(request):
    return render(request, "workspace/colleagues/welcome_done.html", {})
