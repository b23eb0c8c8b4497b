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
