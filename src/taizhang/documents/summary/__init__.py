"""The half-year or year 意识形态工作总结 (pure, no Django): the facts it is written from
(``model``), the unit's voice (``voice``), the writer's rules (``writer``, ``wording``), the topics of
each section (``topics_lead``, ``topics_work``), the weak points (``weak``) and the document
(``build``). The words are data: ``frameworks/summary.yaml`` and ``frameworks/profiles.yaml``."""

from taizhang.documents.summary.build import build_summary
from taizhang.documents.summary.model import Rec, SummaryError, SummaryFacts, UnitInfo, Weak, counted

__all__ = ["Rec", "SummaryError", "SummaryFacts", "UnitInfo", "Weak", "build_summary", "counted"]
