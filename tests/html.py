"""Reading a rendered page as a person does: the text of a table's cells, a select's options."""

from __future__ import annotations

from html.parser import HTMLParser


class _Tables(HTMLParser):
    def __init__(self, css_class: str):
        super().__init__()
        self.css_class, self.depth, self.rows, self.cell = css_class, 0, [], None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table" and (self.depth or self.css_class in (attrs.get("class") or "").split()):
            self.depth += 1
        elif self.depth and tag == "tr":
            self.rows.append([])
        elif self.depth and tag in ("td", "th"):
            self.cell = []
        elif self.depth and tag == "br" and self.cell is not None:
            self.cell.append(" ")

    def handle_endtag(self, tag):
        if tag == "table" and self.depth:
            self.depth -= 1
        elif self.depth and tag in ("td", "th") and self.cell is not None:
            self.rows[-1].append(" ".join("".join(self.cell).split()))
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)


def table(html: str, css_class: str) -> list[list[str]]:
    """The rows of the first table with ``css_class``, each a list of its cells' visible text."""
    reader = _Tables(css_class)
    reader.feed(html)
    return reader.rows


class _Options(HTMLParser):
    def __init__(self, name: str):
        super().__init__()
        self.name, self.inside, self.options, self.text = name, False, [], None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "select" and attrs.get("name") == self.name:
            self.inside = True
        elif self.inside and tag == "option":
            self.options.append([attrs.get("value"), "", "selected" in attrs])
            self.text = True

    def handle_endtag(self, tag):
        if tag == "select":
            self.inside = False
        elif tag == "option":
            self.text = None

    def handle_data(self, data):
        if self.inside and self.text and self.options:
            self.options[-1][1] += data


def options(html: str, name: str) -> list[tuple[str, str, bool]]:
    """The options of the select called ``name``: (value, label as shown, indentation kept, selected)."""
    reader = _Options(name)
    reader.feed(html)
    return [tuple(o) for o in reader.options]


class _Form(HTMLParser):
    """The fields of one form and what a browser would send for them unchanged."""

    def __init__(self, action: str | None, css_class: str = "record"):
        super().__init__()
        self.action, self.css_class, self.inside, self.found = action, css_class, False, False
        self.data: dict[str, str] = {}
        self.select: str | None = None
        self.first_option: str | None = None
        self.textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and not self.found:
            wanted = self.action is None and self.css_class in (attrs.get("class") or "").split()
            if wanted or (self.action is not None and attrs.get("action") == self.action):
                self.inside = self.found = True
        elif not self.inside:
            return
        elif tag == "input" and attrs.get("name"):
            kind = attrs.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    self.data[attrs["name"]] = attrs.get("value", "on")
            elif kind not in ("submit", "button"):
                self.data[attrs["name"]] = attrs.get("value", "")
        elif tag == "select":
            self.select, self.first_option = attrs.get("name"), None
        elif tag == "option" and self.select:
            value = attrs.get("value", "")
            if self.first_option is None:
                self.first_option = value
                self.data.setdefault(self.select, value)
            if "selected" in attrs:
                self.data[self.select] = value
        elif tag == "textarea":
            self.textarea = attrs.get("name")
            self.data[self.textarea] = ""

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None

    def handle_data(self, data):
        if self.inside and self.textarea:
            self.data[self.textarea] += data.removeprefix("\n") if not self.data[self.textarea] else data


def form_data(html: str, action: str | None = None, css_class: str = "record") -> dict[str, str]:
    """What a page's form would submit unchanged: the first form of ``css_class`` (a record form),
    or the one posting to ``action``."""
    reader = _Form(action, css_class)
    reader.feed(html)
    assert reader.found, f"no form{' to ' + action if action else ''} on the page"
    return reader.data
