"""The Persian analyzers: a regex tokenizer and a chain of small Whoosh filters.

The same analyzer runs at index and at query time. The filters that fold and stem hold the
:class:`~indexer.search.persian.WordAnalyses` of the Library whose index they analyze; like Whoosh's own
``StemFilter`` they leave it out when pickled with the schema (the index is always opened with the schema
built in code, so what is pickled is never read back) and fall back to the memo-less analyses.
"""
from __future__ import annotations

import re

from whoosh.analysis import Filter, RegexTokenizer, Token, Tokenizer

from indexer.search import persian

# A word: letters, digits, marks and ZWNJ/ZWJ/tatweel; joined by / - or . between digits or letters
# so that letter numbers (۱۲۳۴/ص/۹۸) and dates stay one token (their parts are added by a filter).
_WORD = r"[\w\u064b-\u065f\u0670\u200c\u200d\u0640]+"
TOKEN_PATTERN = rf"{_WORD}(?:[/\-]{_WORD})*(?:\.\d+)?"


class _HoldsAnalyses:
    """A filter holding word analyses, left out of its pickled state (see the module docstring)."""

    def __init__(self, analyses: persian.WordAnalyses | None = None):
        self.analyses = analyses or persian.PLAIN

    def __getstate__(self):
        return {k: v for k, v in self.__dict__.items() if k != "analyses"}

    def __setstate__(self, state):
        self.__dict__.update(state)
        self.analyses = persian.PLAIN

    def __eq__(self, other):
        return type(self) is type(other) and self.analyses is other.analyses


class PersianNormalizeFilter(_HoldsAnalyses, Filter):
    """Folds every token to its search forms (:meth:`WordAnalyses.search_forms`); a word with two forms
    (hamza) yields both at the same position."""

    def __call__(self, tokens):
        search_forms = self.analyses.search_forms
        for t in tokens:
            for form in search_forms(t.text):
                t.text = form
                yield t


class PersianStemFilter(_HoldsAnalyses, Filter):
    """Reduces every token to its stem (:meth:`WordAnalyses.stem`): inflected forms meet."""

    def __call__(self, tokens):
        stem = self.analyses.stem
        for t in tokens:
            if not t.stopped:
                t.text = stem(t.text)
            yield t


class IdentifierPartsFilter(Filter):
    """After a compound identifier such as ``1234/ص/98`` or ``1398-03-11``, adds each of its parts at
    the same position, so it is found whole and by its parts."""

    def __init__(self, separators: str = "/-"):
        self.separators = separators

    def __call__(self, tokens):
        separators = self.separators
        for t in tokens:
            text = t.text
            yield t
            for sep in separators:
                if sep in text:
                    break
            else:
                continue
            parts = [text]
            for sep in self.separators:
                parts = [p for piece in parts for p in piece.split(sep)]
            original_text = text
            for part in parts:
                if part and part != original_text:
                    t.text = part
                    t.removestops = False
                    yield t
            t.text = original_text


class AffixJoinFilter(Filter):
    """Joins a verb prefix or plural/comparative suffix typed as a separate word to its neighbour
    (می شود → میشود, سازمان ها → سازمانها), as if the ZWNJ had been typed."""

    def __init__(self, prefixes=("می", "نمی"), suffixes=("ها", "های", "هایی", "تر", "ترین")):
        self.prefixes = frozenset(prefixes)
        self.suffixes = frozenset(suffixes)

    def __call__(self, tokens):
        # The tokenizer hands out one Token object over and over: the previous word is kept as a
        # tuple (text, pos, startchar, endchar) and yielded through the current object.
        pending = None
        shift = 0  # positions removed by joins so far, so that phrases still line up
        t = None
        for t in tokens:
            raw = (t.text, getattr(t, "pos", None), getattr(t, "startchar", None),
                   getattr(t, "endchar", None))
            current = (raw[0], None if raw[1] is None else raw[1] - shift, raw[2], raw[3])
            if pending is not None:
                joined = pending[0] in self.prefixes or current[0] in self.suffixes
                if joined:
                    shift += 1
                    yield self._put(t, (pending[0] + current[0], pending[1], pending[2], current[3]))
                else:
                    yield self._put(t, pending)
                self._put(t, raw)  # an earlier filter may yield this object again (hamza forms)
                if joined:
                    pending = None
                    continue
            pending = current
        if pending is not None:
            yield self._put(t, pending)

    @staticmethod
    def _put(t, values):
        t.text, pos, start, end = values
        if pos is not None:
            t.pos = pos
        if start is not None:
            t.startchar, t.endchar = start, end
        return t


class ShingleFilter(Filter):
    """Replaces the stream with each pair of neighbouring words glued together, without a space
    (هیأت مدیره → هیاتمدیره), at the first word's position.

    The glued pair is the search form of the same compound typed with a ZWNJ or glued, so one term
    lookup finds the compound however it was typed, and a two-word phrase or the nearness of two
    query words costs a term lookup rather than a positional phrase query. At most ``max_forms``
    forms of a word (hamza spellings, identifier parts) are combined.
    """

    def __init__(self, max_forms: int = 2):
        self.max_forms = max_forms

    def __call__(self, tokens):
        previous = None  # (position, forms, startchar, endchar) of the word before
        current = None
        for t in tokens:
            if current is not None and current[0] == t.pos:
                if len(current[1]) < self.max_forms and t.text not in current[1]:
                    current[1].append(t.text)
                continue
            if previous is not None:
                yield from self._glue(t, previous, current)
            previous = current
            current = (t.pos, [t.text], getattr(t, "startchar", 0), getattr(t, "endchar", 0))
        if previous is not None:
            yield from self._glue(Token(text="", pos=0, startchar=0, endchar=0), previous, current)

    @staticmethod
    def _glue(t, first, second):
        """Yields the glued pairs through ``t``, then gives ``t`` back as it came."""
        saved = (t.text, t.pos, getattr(t, "startchar", 0), getattr(t, "endchar", 0))
        for a in first[1]:
            for b in second[1]:
                t.text, t.pos, t.startchar, t.endchar = a + b, first[0], first[2], second[3]
                t.removestops = False
                yield t
        t.text, t.pos, t.startchar, t.endchar = saved


class PersianWords(_HoldsAnalyses, Tokenizer):
    """The tokenizer and the Persian filters every field starts with, as one tokenizer.

    The words of the last few texts analyzed are kept (with the analyses), so the fields of one record
    that index the same text (stemmed, exact and paired) read and fold it once, not three times:
    indexing time is mostly this analysis.
    """

    compound_parts = False  # index a ZWNJ compound's parts too (folded_words_with_parts); a class default
                            # also for analyzers pickled before it

    def __init__(self, analyses: persian.WordAnalyses | None = None, positions_always: bool = False,
                 compound_parts: bool = False):
        super().__init__(analyses)
        self.positions_always = positions_always  # ShingleFilter numbers words even where unstored
        self.compound_parts = compound_parts

    def __eq__(self, other):
        return (super().__eq__(other) and self.positions_always == other.positions_always
                and self.compound_parts == other.compound_parts)

    def __call__(self, value, positions=False, chars=False, keeporiginal=False, removestops=True,
                 start_pos=0, start_char=0, tokenize=True, mode="", **kwargs):
        positions = positions or self.positions_always
        if not tokenize:  # the whole value is one word (whoosh asks this of prefix and range terms)
            yield from _folding_chain(self.analyses)(value, positions=positions, chars=chars, removestops=removestops,
                                        start_pos=start_pos, start_char=start_char, tokenize=False,
                                        mode=mode, **kwargs)
            return
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        parts = self.compound_parts and mode == "index"
        for text, pos, start, end in _words(self.analyses, value, start_pos, start_char)[parts]:
            t.text, t.boost, t.stopped = text, 1.0, False
            if keeporiginal:
                t.original = value[start - start_char:end - start_char]
            if positions:
                t.pos = pos
            if chars:
                t.startchar, t.endchar = start, end
            yield t


RECENT_TEXTS = 4  # a record's text, its title, number and organizations, analyzed field by field


def _folding_chain(analyses: persian.WordAnalyses):
    chain = analyses.analyzers.get("folding")
    if chain is None:
        chain = analyses.analyzers["folding"] = (RegexTokenizer(TOKEN_PATTERN) | PersianNormalizeFilter(analyses)
                                                 | AffixJoinFilter() | IdentifierPartsFilter())
    return chain


Words = list[tuple[str, int, int, int]]


def _words(analyses: persian.WordAnalyses, value: str, start_pos: int, start_char: int) -> tuple[Words, Words]:
    """(form, position, startchar, endchar) of each word form of ``value``, without and with the parts
    of its ZWNJ compounds (:func:`folded_words_with_parts`). The lists of the last few texts are reused
    (read-only, and replaced as a whole: threads may share them)."""
    key = (value, start_pos, start_char)
    recent = analyses.analyzers.get("recent", ())
    for seen, words in recent:
        if seen == key:  # the same string object compares at once
            return words
    words = folded_words_with_parts(analyses, value, start_pos, start_char)
    analyses.analyzers["recent"] = ((key, words),) + recent[:RECENT_TEXTS - 1]
    return words


_TOKEN = re.compile(TOKEN_PATTERN)
_AFFIXES = AffixJoinFilter()
_PARTS = IdentifierPartsFilter()


def folded_words(analyses: persian.WordAnalyses, value: str, start_pos: int = 0, start_char: int = 0) -> Words:
    """What the folding chain (the tokenizer, :class:`PersianNormalizeFilter`, :class:`AffixJoinFilter`
    and :class:`IdentifierPartsFilter`) makes of ``value``, as (form, position, startchar, endchar),
    computed on tuples instead of a stream of Token objects: a fraction of the cost, and indexing time
    is mostly this (tests/test_analysis.py holds the two equal)."""
    return _fold(analyses, value, start_pos, start_char, with_parts=False)[0]


def folded_words_with_parts(analyses: persian.WordAnalyses, value: str, start_pos: int = 0,
                            start_char: int = 0) -> tuple[Words, Words]:
    """:func:`folded_words`, and the same list with the parts of each ZWNJ compound after it, at its
    position (هیأت‌مدیره: هیاتمدیره, then هیات and مدیره; the second list is the first when there are none).

    A compound is searched glued, as one word (a query glued or spaced meets it through the word
    pairs); its parts, indexed beside it, let one of them alone find it («مدیره», «توپ» in
    «به‌توپ‌بستن»). Only pieces of two letters or more that are not an affix (‌ها، ‌تر، می‌) count, and
    only when two or more remain: کتاب‌ها and می‌شود have none (the stemmer meets them as کتاب and
    شدن). Function words stay among the parts: hazm's list holds جمع and آوری."""
    return _fold(analyses, value, start_pos, start_char, with_parts=True)


def _fold(analyses: persian.WordAnalyses, value: str, start_pos: int, start_char: int,
          with_parts: bool) -> tuple[Words, Words]:
    search_forms = analyses.search_forms
    prefixes, suffixes = _AFFIXES.prefixes, _AFFIXES.suffixes
    joined: list[tuple[str, int, int, int]] = []
    pending = None
    shift = 0  # positions removed by joins so far
    compounds: dict[int, list[str]] = {}  # a compound's parts by its first character
    for i, m in enumerate(_TOKEN.finditer(value)):
        start, end = start_char + m.start(), start_char + m.end()
        if with_parts and persian.ZWNJ in m.group():
            pieces = [forms for forms in map(search_forms, m.group().split(persian.ZWNJ))
                      if forms and len(forms[0]) > 1 and forms[0] not in prefixes and forms[0] not in suffixes]
            if len(pieces) > 1:
                compounds[start] = [form for forms in pieces for form in forms]
        for form in search_forms(m.group()):
            current = (form, start_pos + i - shift, start, end)
            if pending is not None:
                if pending[0] in prefixes or form in suffixes:
                    shift += 1
                    joined.append((pending[0] + form, pending[1], pending[2], end))
                    pending = None
                    continue
                joined.append(pending)
            pending = current
    if pending is not None:
        joined.append(pending)
    words = []
    separators = _PARTS.separators
    for item in joined:
        words.append(item)
        text = item[0]
        if "/" in text or "-" in text:
            parts = [text]
            for sep in separators:
                parts = [p for piece in parts for p in piece.split(sep)]
            words.extend((part, *item[1:]) for part in parts if part and part != text)
    if not compounds:
        return words, words
    every = []
    for item in words:
        every.append(item)
        parts = compounds.pop(item[2], None)  # a suffix joined to it (‌ها) keeps its start
        if parts:
            every.extend((part, *item[1:]) for part in parts if part != item[0])
    return words, every


def text_terms(analyses: persian.WordAnalyses, text: str) -> dict[str, list[tuple[str, int]]]:
    """The (term, position) pairs the four text fields index for ``text``: ``exact`` (the words of
    :func:`exact_analyzer`), ``content`` (their stems, :func:`stemming_analyzer`), ``shingles``
    (neighbouring words glued, :func:`shingle_analyzer`) and ``roots`` (their first letters,
    :func:`root_analyzer`), read off one analysis of the text instead of
    four analyzer chains: what an engine fed pre-analyzed text (Tantivy) indexes. Equal to the
    analyzers' output (tests/test_analysis.py holds them equal)."""
    plain, with_parts = _words(analyses, text, 0, 0)
    words = [(form, pos) for form, pos, _, _ in plain]
    every = words if with_parts is plain else [(form, pos) for form, pos, _, _ in with_parts]
    stem = analyses.stem
    return {"exact": words, "content": [(stem(form), pos) for form, pos in every], "shingles": word_pairs(words),
            "roots": [(root, pos) for form, pos in words if (root := word_root(form)) is not None]}


def word_pairs(words: list[tuple[str, int]], max_forms: int = 2) -> list[tuple[str, int]]:
    """What :class:`ShingleFilter` makes of a stream of (word, position): the forms of each run of one
    position (at most ``max_forms``) glued to those of the next run, at the first one's position."""
    positions: list[int] = []
    runs: list[list[str]] = []
    last = None
    for word, pos in words:
        if pos == last:
            forms = runs[-1]
            if len(forms) < max_forms and word not in forms:
                forms.append(word)
        else:
            positions.append(pos)
            runs.append([word])
            last = pos
    pairs: list[tuple[str, int]] = []
    append = pairs.append
    for pos, first, second in zip(positions, runs, runs[1:]):
        if len(first) == 1 and len(second) == 1:  # most words have one form: no inner loops
            append((first[0] + second[0], pos))
        else:
            pairs.extend((a + b, pos) for a in first for b in second)
    return pairs


ROOT_LETTERS = 4  # a word's first letters: derivations of one root meet (آلوده, آلودگی; انتخاب, انتخابات)


def word_root(form: str) -> str | None:
    """The first :data:`ROOT_LETTERS` letters of a word written in letters; None for numbers and
    identifiers (their parts are matched whole)."""
    return form[:ROOT_LETTERS] if form.isalpha() else None


class RootFilter(Filter):
    """Each word cut to its first letters (:func:`word_root`), numbers and identifiers left out:
    truncation joins derivations hazm's stemmer leaves apart (beside the stems, it raised every set of
    bench/relevance.py; docs/ranking.md)."""

    def __call__(self, tokens):
        for t in tokens:
            root = word_root(t.text)
            if root is not None:
                t.text = root
                yield t


def exact_analyzer(analyses: persian.WordAnalyses | None = None):
    """Words folded to their search form, not stemmed: exact words and phrases."""
    return PersianWords(analyses)


def words_with_parts_analyzer(analyses: persian.WordAnalyses | None = None):
    """As :func:`exact_analyzer`, with the parts of ZWNJ compounds beside them when indexing
    (:func:`folded_words_with_parts`)."""
    return PersianWords(analyses, compound_parts=True)


def shingle_analyzer(analyses: persian.WordAnalyses | None = None):
    """Neighbouring words of :func:`exact_analyzer` glued in pairs (see :class:`ShingleFilter`)."""
    return PersianWords(analyses, positions_always=True) | ShingleFilter()


def stemming_analyzer(analyses: persian.WordAnalyses | None = None):
    """The words and ZWNJ compounds' parts (:func:`words_with_parts_analyzer`), reduced to stems:
    inflected forms meet, and one part finds its compound. Only this field holds the parts: in
    ``exact`` they would make a phrase typed with a ZWNJ («"جمع‌آوری پسماند"», also asked as «جمع آوری
    پسماند») check the positions of every document holding the compound (2.5× its time)."""
    return words_with_parts_analyzer(analyses) | PersianStemFilter(analyses)


def root_analyzer(analyses: persian.WordAnalyses | None = None):
    """As :func:`exact_analyzer`, then cut to the words' first letters (:class:`RootFilter`)."""
    return exact_analyzer(analyses) | RootFilter()
