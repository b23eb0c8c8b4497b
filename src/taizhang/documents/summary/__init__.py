"""The half-year or year 意识形态工作总结. The writer is pure (no Django): the facts it is written from
(``model``), the unit's voice (``voice``), the writer's rules (``writer``, ``wording``), the topics of
each section (``topics_lead``, ``topics_work``), the weak points (``weak``) and the document
(``build``). The words are data: ``frameworks/summary.yaml`` and ``frameworks/profiles.yaml``.
The reads beside it gather those facts from the ledger (``facts``, the weak points ``facts_weak``),
tell whether a year has records in both halves (``coverage``) and give the document as the ledger
stands (``queries``); this package imports none of them, so the writer loads without Django."""

from taizhang.documents.summary.build import build_summary
from taizhang.documents.summary.model import Rec, SummaryError, SummaryFacts, UnitInfo, Weak, counted

__all__ = ["Rec", "SummaryError", "SummaryFacts", "UnitInfo", "Weak", "build_summary", "counted"]
