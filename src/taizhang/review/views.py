"""Draft pages and the decision form: the view only maps the signed-in user to a person and calls the service."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from taizhang.core.crud import RecordPages
from taizhang.core.declared import pages_of
from taizhang.core.forms import add_service_errors
from taizhang.org.scope import own_person
from taizhang.review import queries, services
from taizhang.review.forms import DecisionForm
from taizhang.review.services import TRANSITIONS

ERROR_LABELS = {"state": _("状态"), "actor": _("操作人")}


class DraftPages(RecordPages):
    """A draft's page shows its decisions and takes the next one (its pages: ``record_types.py``)."""

    def detail_view(self, request, pk: int, extra: dict | None = None, decision_form=None):
        draft = self._get(request, pk)
        actions = services.draft_actions(draft, own_person(request.user))
        form = decision_form or (DecisionForm(unit=draft.unit, actions=actions) if actions else None)
        context = {"decisions": queries.draft_history(draft), "decision_form": form}
        return super().detail_view(request, pk, extra=context)

    def act_view(self, request, pk: int):
        draft = self._get(request, pk)
        actor = own_person(request.user)
        form = DecisionForm(request.POST, unit=draft.unit, actions=services.draft_actions(draft, actor))
        action = request.POST.get("action", "")
        if not form.is_valid() and "action" in form.errors and action in TRANSITIONS:
            # An action the page no longer offers (the draft moved on meanwhile): say why.
            del form.errors["action"]
            form.add_error("action", services.draft_refusal(draft, actor, action))
        elif form.is_valid():
            try:
                services.draft_act(draft=draft, actor=actor, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc, ERROR_LABELS)
            else:
                messages.success(request, gettext("操作已记录。"))
                return redirect(self.url("detail"), pk=pk)
        return self.detail_view(request, pk, decision_form=form)


@require_POST
def draft_act(request, pk: int):
    return pages_of("published_items").act_view(request, pk)
