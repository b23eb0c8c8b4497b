"""What a figure counts, read from the words around it (``extract.scanner``): the clause before the
number, its qualifiers (共约, 累计超过), and the name of an activity kind or record type that ends
it, else the clause without its opening words, else the noun after the measure word (pure: no
Django).
"""

from __future__ import annotations

from bisect import bisect_left

SUBJECT_CHARS = 16  # at most this many characters of a clause are a subject
CLAUSE_WINDOW = 48
SENTENCE_WINDOW = 160


class Subjects:
    """The scanner's reading of subjects; the scanner (``extract.scanner._Scanner``) holds the text,
    its vocabulary and patterns, and the last kind read."""

    def _read(self, position: int, end: int) -> tuple[str, str | None, list[str], str, int]:
        """What the number at ``position`` counts, its measure word ending at ``end``: (subject as
        written, kind code, the qualifiers before it, its clause and the noun after the measure word in
        simplified script, where its sentence begins).

        One method, not one a question: it runs for every figure, and each call and tuple between
        the steps cost as much as a step."""
        text = self.text
        vocab = self.vocab
        # The clause: after the last clause mark in the CLAUSE_WINDOW characters before the number,
        # without the qualifiers right before the number (those, with the rule and total words
        # anywhere in the clause, are the figure's qualifiers).
        lo = position - CLAUSE_WINDOW if position > CLAUSE_WINDOW else 0
        found = self.clause_start.match(text, lo, position)
        begin = found.end() if found else lo
        clause = text[begin:position].rstrip(_GAP)
        qualifiers: list[str] = []
        # (a clause holds no line break, so the patterns' ``$`` is its end: a word ending there ends
        # in one of the words' last characters)
        if clause[-1:] in vocab.qualifier_ends:
            for _ in range(2):  # 共约, 累计超过
                q = self.before_q.search(clause)
                if not q:
                    break
                qualifiers.insert(0, q.group())
                clause = clause[: q.start()]
                if clause[-1:] not in vocab.qualifier_ends:
                    break
        if clause[-1:] in vocab.trailing_ends:
            for _ in range(2):  # 专题研究意识形态工作全年（不少于2次）: the time word is not the subject
                t = self.trailing_re.search(clause)
                if not t or t.start() == 0:
                    break
                clause = clause[: t.start()]
                if clause[-1:] not in vocab.trailing_ends:
                    break
        if self.rule_total_re.search(clause):  # (in one clause in ten)
            for word in reversed(self.rule_total_re.findall(clause)):
                if not any(word in q for q in qualifiers):
                    qualifiers.insert(0, word)
        if len(qualifiers) > 1:
            qualifiers = _dedupe_nested(qualifiers)

        # The sentence: just after the last sentence mark in the SENTENCE_WINDOW characters before
        # the number, else where that window begins (the start of the text at the latest).
        marks = self._sentence_marks
        if marks is None:
            marks = self._sentence_marks = [m.start() for m in self.sentence_mark.finditer(text)]
        sentence = position - SENTENCE_WINDOW if position > SENTENCE_WINDOW else 0
        i = bisect_left(marks, position)
        if i and marks[i - 1] >= sentence:
            sentence = marks[i - 1] + 1

        # The subject: the name of a kind ending the clause, else the clause without its opening
        # words, else the noun after the measure word.
        names = vocab.names
        stop = self.clause_end.search(text, end, end + SUBJECT_CHARS)
        post = text[end : stop.start() if stop else end + SUBJECT_CHARS]
        # the clause around the names it holds, left to right: [before, name, between, …, name, after]
        parts = self.names_re.split(clause)
        stripped = self.lead_re.match(clause).end()  # type: ignore[union-attr] (it matches, if only "")
        kind = None
        if len(parts) > 1:
            last = parts[-2]
            kind = names[last]
            # The name ending the clause is the subject, unless it is only a verb with the noun
            # after the measure word (捐助54.7万元物资).
            if not parts[-1] and not (stripped == len(clause) and post):
                subject = self.original[begin + len(clause) - len(last) : begin + len(clause)]
                return subject, kind, qualifiers, clause + post, sentence
        lo, hi = begin, begin  # the subject's span in the text
        if stripped < len(clause):
            lo, hi = begin + max(stripped, len(clause) - SUBJECT_CHARS), begin + len(clause)
        elif post:
            lo, hi = end + _lstrip_marks(post), end + len(post)
        if kind is None and post:
            found = self.names_re.search(post)
            if found:  # 召开1次意识形态工作联席会议, 上一堂“微党课”: the noun after says what
                kind = names[found.group()]
                lo, hi = end + _lstrip_marks(post), end + found.end()
        if kind is None and hi - lo >= 4:
            subject = text[lo:hi]
            if subject in vocab.names_text:  # (in no kind's name, mostly)
                kind = self._partial_name(subject, sentence)
        return self.original[lo:hi].strip(_SUBJECT_TRIM), kind, qualifiers, clause + post, sentence

    def _partial_name(self, subject: str, sentence: int) -> str | None:
        """A subject that is part of one kind's name (理论学习 in 理论学习中心组学习): that kind, or,
        where several kinds share it, the one the sentence spoke of just before (其中理论学习 次).
        Shorter than four characters, a subject names no kind (学习)."""
        matches = self.vocab.kinds_naming(subject)
        if len(matches) == 1:
            return matches[0]
        last_sentence, kind = self.last_kind
        if matches and kind in matches and last_sentence == sentence:
            return kind
        return None


_GAP = " \t\u3000\xa0"
_SUBJECT_TRIM = " \t\u3000\xa0-|/\\·•*#“”‘’\"'"


def _lstrip_marks(text: str) -> int:
    """How many characters open ``text`` before its noun: quotes, spaces, 的 (百分之九十五的党员)."""
    return len(text) - len(text.lstrip(_SUBJECT_TRIM + "的"))


def _dedupe_nested(words: list[str]) -> list[str]:
    """共 inside 共计: keep the longer word once."""
    if len(words) < 2:
        return words
    out: list[str] = []
    for word in words:
        if any(word in other and word != other for other in words):
            continue
        if word not in out:
            out.append(word)
    return out
