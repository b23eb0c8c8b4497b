"""Helpers every form shares."""

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import PasswordChangeForm as DjangoPasswordChangeForm
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.http import QueryDict
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from taizhang.core import stamps
from taizhang.core.periods import YEARS, Period, PeriodError, parse_day
from taizhang.core.units import (
    UNIT_ROW,
    path_ids,
    top_paths,
    top_units,
    unit_model,
    units_near,
    visible_units,
    writable_units,
)
from taizhang.core.widgets import PlainInput, PlainSelect, PlainTextInput


def saved(form: forms.Form, write) -> bool:
    """Run a service's write for a valid form: True when it is written, False with the service's
    ValidationError put on the form (``add_service_errors``)."""
    try:
        write()
    except ValidationError as exc:
        add_service_errors(form, exc)
        return False
    return True


def add_service_errors(
    form: forms.Form, error: ValidationError, labels: dict[str, str] | None = None
) -> None:
    """Put a service's ValidationError on the form: on the named field when the form has it, else on top."""
    labels = labels or {}
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, messages in error.message_dict.items():
        for message in messages:
            if field in form.fields:
                form.add_error(field, message)
            else:
                label = labels.get(field, field)
                form.add_error(None, f"{label}：{message}")


class PeriodField(forms.CharField):
    """A period code (2020, 2020H1, 2020Q3, 2020-05) cleaned into a Period."""

    widget = PlainTextInput

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        try:
            return Period.parse(value)
        except PeriodError as exc:
            raise ValidationError(str(exc)) from exc

    def prepare_value(self, value):
        return value.code if isinstance(value, Period) else value


class UnitSelect(PlainSelect):
    """The unit chooser: a city's has ten thousand options."""

    def listed(self, chosen: list[str]) -> list:
        # The field's own (code, label) rows when it gave them: Django's choices normalise every
        # option again each time they are read.
        source = getattr(self, "options", None)
        return source(next(iter(chosen), "")) if source is not None else list(self.choices)

    def more_attrs(self) -> dict:
        search = getattr(self, "search_url", lambda: None)()
        # the options are a short tree: unit_chooser.js asks the server for the rest
        return {"data-search-url": search} if search else {}


# Past this many units a chooser lists only a short tree around the chosen unit (``units_near``) and
# its search box asks the server (``org.views.unit_search``): a city's 10,000 options were 640 KB
# of every list page and most of its time.
CHOOSER_LISTED = 300


def _subtree_rows(unit_id: int, path: str) -> list[tuple]:
    """The rows (``UNIT_ROW``) of the units at and under ``path`` in tree order, up to one more
    than a chooser lists; kept until a unit is added or changed in the subtree (an undated write:
    ``core.stamps``), since every filter form of a county read its two hundred units again."""

    def read() -> list[tuple]:
        rows = unit_model().objects.filter(path__startswith=path).order_by().values_list(*UNIT_ROW)
        return sorted(rows[: CHOOSER_LISTED + 1], key=lambda r: path_ids(r[3]))

    return stamps.cached(
        "chooser-rows", unit_id=unit_id, parts=(path, CHOOSER_LISTED), compute=read, years=[]
    )


def _unit_under(top_id: int, path: str, code: str) -> Model | None:
    """The unit of ``code`` at or under ``path`` (unit ``top_id``'s subtree), if any; kept until a
    unit is added or changed there (an undated write: ``core.stamps``): a filter form's chosen unit
    was a query of its own on every page."""
    return stamps.cached(
        "unit-by-code",
        unit_id=top_id,
        parts=(path, code),
        compute=lambda: unit_model().objects.filter(path__startswith=path, code=code).first(),
        years=[],
    )


class UnitField(forms.ChoiceField):
    """A unit chosen from a select of the units the login may see, never typed as a code.

    The form gives it the units (``set_units``) once it knows the login; the select lists them in
    tree order, indented under their parents, and cleans into the Unit. A code outside the units
    (a stale link, another organisation's unit) is an error on the field, shown with the page,
    where a hand-written lookup answered a bare 404. Past ``CHOOSER_LISTED`` units the select lists
    the tops of the login's forest, their children, and the chosen unit with the units above it and
    below it; any of the units is still a valid choice, listed or not.
    """

    default_error_messages = {"invalid_choice": _("没有代码为“%(value)s”的单位，或您无权查看。")}
    # static/taizhang/unit_chooser.js adds a search box beside it
    widget = UnitSelect(attrs={"data-unit-chooser": ""})

    def __init__(self, *, empty_label: str | None = _("全部单位"), **kwargs):
        kwargs.setdefault("label", _("单位"))  # lazy: the field is made when the module is imported
        kwargs.setdefault("required", False)
        super().__init__(choices=(), **kwargs)
        self.empty_label = empty_label
        self.set_units(unit_model().objects.none())

    def set_units(self, units, *, tops=None, search: str = "") -> None:
        """Offer ``units`` (a queryset). The options are read only when the select is drawn (one
        query, plain rows); checking a chosen code reads that unit alone, so an API request or a
        page with its unit in the address never reads the whole tree. Given ``tops`` (the units at
        the top of ``units``), past ``CHOOSER_LISTED`` units the select lists the short tree, and
        ``search`` is the query string that gives the search endpoint the same units. ``units`` and
        ``tops`` may be functions returning them, called when first needed (``set_login``)."""
        self._units, self._tops, self.search = units, tops, search
        self.subtrees: list[tuple[int, str]] | None = None  # set_login: the forest's tops, (id, path)
        self._all: list[tuple] | bool | None = None  # every unit; False: too many to list
        self._near: dict[str, list[tuple]] = {}  # the short tree around each chosen code drawn
        self._chosen: Model | None = None
        self.choices = self._options
        self.widget.options = self._options
        self.widget.search_url = self._search_url

    def set_login(self, user, *, write: bool = False) -> None:
        """Offer the units ``user`` may see (``write``: change), as ``org.scope`` says. Their
        querysets are made only when asked for: a chooser of the login's kept subtrees, and a code
        checked among them, need none (making them was a fifth of a list page's filter form)."""
        if write:
            self.set_units(
                lambda: writable_units(user), tops=lambda: top_units(user, write=True), search="write=1"
            )
        else:
            self.set_units(lambda: visible_units(user), tops=lambda: top_units(user))
        self.subtrees = top_paths(user, write=write)

    @property
    def units(self):
        """The units offered (a queryset)."""
        if callable(self._units):
            self._units = self._units()
        return self._units

    @property
    def tops(self):
        """The units at the top of ``units`` (a queryset), or None."""
        if callable(self._tops):
            self._tops = self._tops()
        return self._tops

    def _whole(self) -> bool:
        """Whether the select lists every unit; reads them (one query, or what was kept of each
        subtree of the login) when it does."""
        if self._all is None and self.subtrees is not None:
            # the login's units are the subtrees of its tops, apart from each other: their rows in
            # tree order one subtree after another, as kept until a unit is added or changed there
            rows = [row for unit_id, path in self.subtrees for row in _subtree_rows(unit_id, path)]
            self._all = len(rows) <= CHOOSER_LISTED and rows
        if self._all is None:
            rows = self.units.order_by().values_list(*UNIT_ROW)
            rows = list(rows if self.tops is None else rows[: CHOOSER_LISTED + 1])
            whole = self.tops is None or len(rows) <= CHOOSER_LISTED
            self._all = whole and sorted(rows, key=lambda r: path_ids(r[3]))
        return self._all is not False

    def _tree(self, chosen: str = "") -> list[tuple]:
        if self._whole():
            return self._all
        if chosen not in self._near:
            unit = self._chosen if self._chosen is not None and self._chosen.code == chosen else None
            if unit is None and chosen and "\x00" not in chosen:
                unit = self.units.filter(code=chosen).first()
            rows = units_near(self.units, self.tops, unit).values_list(*UNIT_ROW)
            self._near[chosen] = sorted(rows, key=lambda r: path_ids(r[3]))
        return self._near[chosen]

    def _search_url(self) -> str | None:
        if self._whole():
            return None
        return reverse("org:unit-search") + (f"?{self.search}" if self.search else "")

    @property
    def codes(self) -> list[str]:
        """The codes listed when none is chosen, in tree order: the first is a top of the login's
        forest; none at all means the login sees no unit."""
        return [row[0] for row in self._tree()]

    def _options(self, chosen: str = "") -> list[tuple[str, str]]:
        rows = self._tree(chosen)
        top = min((r[2] for r in rows), default=0)
        empty = [("", self.empty_label)] if self.empty_label is not None else []
        return empty + [(code, "\u3000" * (depth - top) + name) for code, name, depth, _ in rows]

    def valid_value(self, value) -> bool:
        if "\x00" in str(value):  # no unit code has one, and PostgreSQL refuses it in a query
            return False
        if self.subtrees is not None and len(self.subtrees) == 1:
            # the login's units are one subtree (most logins): the code looked up there, as kept
            [(top_id, path)] = self.subtrees
            self._chosen = _unit_under(top_id, path, value)
        else:
            self._chosen = self.units.filter(code=value).first()
        return self._chosen is not None

    def clean(self, value):
        code = super().clean(value)
        return self._chosen if code else None


REMEMBERED_UNIT = "taizhang.unit"  # the session key of the unit last chosen on a filter form


def remember_unit(request, response) -> None:
    """After a page answered a ``?unit=`` it accepted (200), keep that choice for the next filter
    form opened without one; choosing 全部单位 ("") forgets it. The API is stateless: not there."""
    if request.method != "GET" or "unit" not in request.GET or response.status_code != 200:
        return
    if (
        request.path.startswith("/api/")
        or not getattr(request, "user", None)
        or not request.user.is_authenticated
    ):
        return
    code = request.GET.get("unit", "")
    if request.session.get(REMEMBERED_UNIT, "") != code:
        request.session[REMEMBERED_UNIT] = code


REMEMBERED_PERIOD = "taizhang.period"  # the session key of the period last chosen on any page


def remember_period(request, response=None) -> None:
    """Keep the period a page accepted (``?period=`` or the dashboard's ``?year=``, or ``period``
    posted to a form that answered 200), so the matrix, the unit page, the documents, the
    fact-check and the dashboard all open on the period last chosen on any of them."""
    if response is not None and response.status_code != 200:
        return
    if request.path.startswith("/api/") or not getattr(request, "user", None):
        return
    if not request.user.is_authenticated:
        return
    source = request.POST if request.method == "POST" else request.GET
    code = source.get("period") or source.get("year") or ""
    try:
        period = Period.parse(code) if code else None
    except PeriodError:
        return
    if period is not None and request.session.get(REMEMBERED_PERIOD) != period.code:
        request.session[REMEMBERED_PERIOD] = period.code


def remembered_period(request) -> Period | None:
    """The period last chosen on any page (``remember_period``), if any."""
    code = request.session.get(REMEMBERED_PERIOD) if hasattr(request, "session") else None
    try:
        return Period.parse(code) if code else None
    except PeriodError:
        return None


def filter_query(request, **defaults):
    """What a filter form reads: the query string as given; a page opened with none at all (from
    the menu) starts from the unit last chosen on any filter form, if the login may still see it,
    and ``defaults``."""
    if request.GET:
        return request.GET
    query = QueryDict(mutable=True)
    code = request.session.get(REMEMBERED_UNIT) if hasattr(request, "session") else None
    if code and visible_units(request.user).filter(code=code).exists():
        query["unit"] = code
    for key, value in defaults.items():
        query.setdefault(key, value)
    return query or None


class UnitFilterForm(forms.Form):
    """A filter form with a unit chooser: ``user=`` gives it the units that login may see."""

    unit = UnitField()

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].set_login(user)


class PeriodForm(forms.Form):
    """A period alone, for a page whose unit is in its address (the unit page)."""

    period = PeriodField(label=_("期间"), required=False, help_text=_("如 2020、2020H1、2020Q3、2020-05"))


class UnitPeriodForm(UnitFilterForm):
    """Unit (with its sub-units) and period, as the pages that read a period of a unit take them."""

    period = PeriodField(label=_("期间"), required=False, help_text=_("如 2020、2020H1、2020Q3、2020-05"))


class DateInput(PlainInput, forms.DateInput):
    """``<input type="date">`` with its value in ISO form, the only form a browser reads there.

    Django's own DateInput renders the locale's format (zh-Hans: 2020/02/18), which a date input
    cannot show: the field came up empty and an unchanged edit was refused or lost its date.
    """

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class DateField(forms.DateField):
    """A date field that every form shares, so no form can render a date a browser cannot read."""

    widget = DateInput


class TextField(forms.CharField):
    """Multi-line text as the user typed it, with the line breaks a browser sends (CR LF) as LF.

    Without this an unchanged text saved from a browser differs from the stored one in every line
    break, and the edit writes a new version and a history row that changes nothing.
    """

    def __init__(self, *, rows: int = 4, **kwargs):
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": rows}))
        super().__init__(**kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        return value.replace("\r\n", "\n").replace("\r", "\n") if isinstance(value, str) else value


class AsOfField(DateField):
    """The day a list, a check or a to-do list is read at (``as_of``): a day a period can name.

    9999-12-31 would overflow the next month's arithmetic: refused in the API's words
    (``core.periods.parse_day``), on the page and in the API alike.
    """

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("核查日期"))
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def to_python(self, value):
        day = super().to_python(value)
        if day is not None and day.year not in YEARS:
            try:
                parse_day(day.isoformat(), label=f"{self.label}（as_of）")
            except PeriodError as exc:
                raise ValidationError(str(exc)) from None
        return day


def HighlightField() -> TextField:
    """The 典型做法与成效 a clerk writes to mark a record as a highlight the summary tells."""
    return TextField(
        label=_("典型做法与成效"),
        required=False,
        rows=3,
        help_text=_("作为典型、亮点写入总结时填写：怎么做的，取得了什么成效（一两句话）"),
    )


def _password_rules() -> str:
    """The configured validators' rules as one paragraph: Chinese sentences (ending in 。) follow each
    other without a space, English ones with one."""
    texts = [str(text) for text in password_validation.password_validators_help_texts()]
    return "".join(text if text.endswith("。") else f"{text} " for text in texts).strip()


class PasswordChangeForm(DjangoPasswordChangeForm):
    """Django's form (the old password checked, the new one twice, ``AUTH_PASSWORD_VALIDATORS``) in the
    words of our other forms: 原密码/确认新密码, and the rules as plain text under the new password
    (Django's HTML list cannot sit in the ``<small>`` every form row has), where a password that breaks
    them is refused."""

    error_messages = {
        **DjangoPasswordChangeForm.error_messages,
        "password_incorrect": _("原密码不正确，请重新输入。"),
        "password_mismatch": _("两次输入的新密码不一致。"),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = _("原密码")
        self.fields["new_password1"].label = _("新密码")
        self.fields["new_password1"].help_text = _password_rules()  # in the request's language
        self.fields["new_password2"].label = _("确认新密码")
        self.fields["new_password2"].help_text = _("请再输入一次新密码。")

    def clean(self):
        # Django judges the rules on the confirmation; they are printed under the new password, and a
        # password too weak is an error there.
        self.validate_passwords("new_password1", "new_password2")
        self.validate_password_for_user(self.user, "new_password1")
        return forms.Form.clean(self)
