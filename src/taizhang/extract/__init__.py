"""Figures read out of summaries, drafts and templates (pure: no Django imports).

``extract(text)`` returns every quantitative figure of a text with its value, measure word,
qualifier, subject, kind and position, and the blanks of a template as ``missing`` figures;
``read_document(path)`` reads .txt, .md and .docx files into the text those positions refer to.
The words it reads with are data (``frameworks/extract.yaml``); see ``scanner`` for the grammar.
"""

from __future__ import annotations

from taizhang.extract.scanner import Extraction, Figure
from taizhang.extract.scanner import extract as _extract
from taizhang.extract.vocabulary import Vocabulary, VocabularyError, load_vocabulary

__all__ = ["Extraction", "Figure", "Vocabulary", "VocabularyError", "extract", "load_vocabulary"]


def extract(text: str, vocab: Vocabulary | None = None) -> Extraction:
    """The figures and blanks of ``text``; ``vocab`` defaults to the framework folder's, without the
    registry's record types (the Django side passes a vocabulary that has them)."""
    return _extract(text, vocab if vocab is not None else load_vocabulary())
