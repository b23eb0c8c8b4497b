"""Draft pages and the decision form: the view only maps the signed-in user to a person and calls the service."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.shortcuts import redirect
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from taizhang.core.crud import RecordPages
from taizhang.core.forms import add_service_errors
from taizhang.org.scope import own_person
from taizhang.review import queries, services
from taizhang.review.forms import DecisionForm, DraftForm
from taizhang.review.models import Draft, DraftState
from taizhang.review.services import TRANSITIONS

ERROR_LABELS = {"state": _("状态"), "actor": _("操作人")}


class DraftPages(RecordPages):
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


drafts = DraftPages(
    model=Draft,
    app="review",
    name="draft",
    title=_("送审稿"),
    form=DraftForm,
    create=services.draft_create,
    update=services.draft_update,
    columns=[
        (_("标题"), "title"),
        (_("单位"), "unit"),
        (_("作者"), "author"),
        (_("日期"), "date"),
        (_("状态"), "state"),
    ],
    search=("title",),
    related=["author"],
    detail_template="review/draft_detail.html",
    own="author",  # authors follow their own drafts through the reviews
    published=Q(state=DraftState.PUBLISHED),  # members read what their unit published
    edit_refusal=services.draft_edit_refusal,
)
draft_act = require_POST(drafts.act_view)
