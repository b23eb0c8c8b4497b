"""Helpers for reading generated documents back, as a reviewer would open them."""

from __future__ import annotations

import io

import pytest
from docx import Document as open_docx
from docx.oxml.ns import qn


def read_docx(data: bytes):
    return open_docx(io.BytesIO(data))


def east_asian(run) -> str | None:
    fonts = run._element.rPr.rFonts if run._element.rPr is not None else None
    return None if fonts is None else fonts.get(qn("w:eastAsia"))


@pytest.fixture
def docx_reader():
    return read_docx
