from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.forms import OTPAuthenticationForm
from django_otp.plugins.otp_totp.models import TOTPDevice

from yurd.accounts import services


class YurdLoginView(LoginView):
    form_class = OTPAuthenticationForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


login_view = YurdLoginView.as_view()


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    messages.success(request, _("You have logged out."))
    return redirect("accounts:login")


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    devices = TOTPDevice.objects.filter(user=request.user, confirmed=True)
    return render(request, "accounts/profile.html", {"devices": devices})


@login_required
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    device = services.totp_device_pending(user=request.user)  # type: ignore[arg-type]
    error = ""
    if request.method == "POST":
        if services.totp_device_confirm(device=device, token=request.POST.get("token", "")):
            otp_login(request, device)
            messages.success(request, _("Two-factor authentication is now on for your account."))
            return redirect("accounts:profile")
        error = _("That code is not valid. Check your device's clock and enter the current six-digit code.")
    context = {"device": device, "qr_svg": services.totp_qr_svg(device), "error": error}
    return render(request, "accounts/two_factor_setup.html", context)
