"""A person's own password; the unit chooser's search (the unit page is the dashboard app's: it reads the
ledger and the rules)."""

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse_lazy
from django.utils.translation import gettext
from django.views.decorators.http import require_GET

from taizhang.core.auth import password_change_done
from taizhang.core.forms import PasswordChangeForm
from taizhang.org.queries import unit_matches
from taizhang.org.scope import visible_units, writable_units
from taizhang.org.services import password_change


class PasswordChangeView(auth_views.PasswordChangeView):
    """``/account/password/``: the signed-in person sets their own password, the one way out of a
    one-time password (``core.middleware.OneTimePasswordMiddleware`` sends them here).

    Django's view (the form, and this session kept signed in while the person's other sessions end),
    writing through ``org.services.password_change`` so the one-time password is marked spent in the
    same transaction.
    """

    template_name = "org/password_change.html"
    form_class = PasswordChangeForm
    success_url = reverse_lazy("home")

    def form_valid(self, form):
        password_change(user=form.user, password=form.cleaned_data["new_password1"])
        update_session_auth_hash(self.request, form.user)
        password_change_done(self.request)
        messages.success(self.request, gettext("密码已修改，下次登录请使用新密码。"))
        return redirect(self.get_success_url())

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)


SEARCH_RESULTS = 50


@require_GET
def unit_search(request):
    """``/org/units/?q=县实验`` (``&write=1``: among the units the login may change): the units whose
    name, short name or code holds ``q``, each after the units above it that the login sees, for a
    chooser too long to list every unit (``core.forms.CHOOSER_LISTED``). One Chinese character or
    two others at least: a single letter or digit would match most of a city."""
    words = request.GET.get("q", "").strip()
    if not (len(words) >= 2 or (words and not words.isascii())) or "\x00" in words:
        message = gettext("搜索单位（q）：请至少输入一个汉字或两个字母、数字。")
        return JsonResponse({"detail": message}, status=400)
    units = writable_units(request.user) if request.GET.get("write") == "1" else visible_units(request.user)
    rows, matched, more = unit_matches(units, words, limit=SEARCH_RESULTS)
    top = min((depth for _, _, depth, _ in rows), default=0)
    results = [
        {"code": code, "name": name, "label": "\u3000" * (depth - top) + name, "match": code in matched}
        for code, name, depth, _ in rows
    ]
    return JsonResponse({"results": results, "more": more})
