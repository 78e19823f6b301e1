"""The query language managers type, turned into Whoosh queries.

Syntax: plain words; ``"a quoted phrase"``; ``-word`` to exclude; ``prefix*``; filters
``kind:minutes``, ``org:پسماند``, ``year:1398``. Every word goes through the same analyzers as the
index, so orthography meets orthography.

Plain words are ranked, not required: a document scores for each word it holds (BM25F over the
title, the stemmed text and the exact words), for each pair of query words it holds side by side
(the shingle field: phrase and nearness for the price of a term lookup, and a compound typed with a
space, glued or with a ZWNJ). In a short query (a manager's few keywords) a large bonus goes to the
documents holding every word that is not a function word (از، در، چه...), so they come first, then
the best of the rest; a question (a question mark, or more content words) is ranked by BM25F and
pairs alone, which bench/relevance.py measured better for questions. Function words count only inside pairs: alone they cost long posting
lists and add nothing. Quoted phrases and prefixes are required.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import groupby

from whoosh import query as Q
from whoosh.query.compound import PreloadedOr
from whoosh.matching import AndMaybeMatcher, AndNotMatcher, ConstantScoreWrapperMatcher, NullMatcher, NullMatcherClass

from archive.models import kind_named
from indexer.search import persian
from indexer.search.ranking import RANKING, Ranking
from indexer.search.analysis import exact_analyzer, stemming_analyzer, word_root
from indexer.errors import QueryError
from indexer.states import OPEN, OVERDUE, OVERDUE_LABEL, STATE_LABELS

STATE_NAMES = {**{s: s for s in STATE_LABELS},
               **{label.replace("\u200c", "").replace(" ", ""): s for s, label in STATE_LABELS.items()},
               "in-progress": "in_progress", "inprogress": "in_progress",
               OVERDUE: OVERDUE, OVERDUE_LABEL.replace("\u200c", ""): OVERDUE, "معوق": OVERDUE}

_SYNTAX = re.compile(r'(?P<neg>-)?(?:"(?P<phrase>[^"]*)"?|(?P<field>[a-z]+):(?P<value>"[^"]*"|\S+)'
                     r'|(?P<word>[^\s"]+))')
FILTER_FIELDS = {"kind", "org", "year", "type", "state"}

# What one query may hold, checked before any analysis (the page, the API and the CLI all search
# through build()): beyond these a query is refused, so that no request can keep a worker busy for
# seconds or grow Whoosh's query trees without bound.
MAX_QUERY_CHARS = 1000
MAX_QUERY_WORDS = 64
MAX_QUERY_WILDCARDS = 8

def _analyzers(analyses: persian.WordAnalyses):
    """The stemming and the exact analyzer on these analyses, made once."""
    made = analyses.analyzers.get("query")
    if made is None:
        made = analyses.analyzers["query"] = (stemming_analyzer(analyses), exact_analyzer(analyses))
    return made


@dataclass
class ParsedQuery:
    words: list[str] = field(default_factory=list)       # free text, as typed
    phrases: list[str] = field(default_factory=list)
    prefixes: list[str] = field(default_factory=list)
    excluded: list[str] = field(default_factory=list)
    filters: dict[str, list[str]] = field(default_factory=dict)

    @property
    def is_empty(self) -> bool:
        return not (self.words or self.phrases or self.prefixes)


def check_limits(text: str) -> str:
    """``text`` when it is within the limits above.

    :raises QueryError: naming the limit passed, in English and Persian.
    """
    text = text or ""
    if len(text) > MAX_QUERY_CHARS:
        raise QueryError(f"the query is longer than {MAX_QUERY_CHARS} characters",
                         f"عبارت جست‌وجو بیش از {persian.to_persian_digits(str(MAX_QUERY_CHARS))} "
                         "نویسه است؛ کوتاه‌ترش کنید.")
    if len(text.split()) > MAX_QUERY_WORDS:
        raise QueryError(f"the query has more than {MAX_QUERY_WORDS} words",
                         f"عبارت جست‌وجو بیش از {persian.to_persian_digits(str(MAX_QUERY_WORDS))} "
                         "واژه دارد؛ کوتاه‌ترش کنید.")
    if text.count("*") > MAX_QUERY_WILDCARDS:
        raise QueryError(f"the query has more than {MAX_QUERY_WILDCARDS} wildcards (*)",
                         f"عبارت جست‌وجو بیش از {persian.to_persian_digits(str(MAX_QUERY_WILDCARDS))} "
                         "ستاره (*) دارد.")
    return text


def parse(text: str) -> ParsedQuery:
    """Split what the user typed into its parts. Never raises on odd input."""
    parsed = ParsedQuery()
    for m in _SYNTAX.finditer(text or ""):
        neg = bool(m.group("neg"))
        if m.group("phrase") is not None:
            phrase = m.group("phrase").strip()
            if phrase:
                (parsed.excluded if neg else parsed.phrases).append(phrase)
        elif m.group("field") and m.group("field") in FILTER_FIELDS:
            value = m.group("value").strip('"')
            parsed.filters.setdefault(m.group("field"), []).append(value)
        else:
            word = m.group("word") or m.group(0).lstrip("-")
            if neg:
                parsed.excluded.append(word)
            elif word.endswith("*") and len(word.rstrip("*")) >= 2:
                parsed.prefixes.append(word.rstrip("*"))
            else:
                word = word.strip("*")
                if word:
                    parsed.words.append(word)
    return parsed


def _positions(analyzer, text: str) -> list[list[str]]:
    """The analyzed forms of ``text`` grouped by position."""
    tokens = [(t.pos, t.text) for t in analyzer(text, positions=True, mode="query")]
    return [list(dict.fromkeys(text for _, text in group))
            for _, group in groupby(tokens, key=lambda x: x[0])]


@dataclass(frozen=True)
class QueryWord:
    """One word of the query as the index sees it."""
    stems: tuple[str, ...]
    forms: tuple[str, ...]   # exact search forms: hamza spellings, digits, identifier parts
    stop: bool

    @property
    def text(self) -> str:
        return self.forms[0]


def query_words(text: str, analyses: persian.WordAnalyses = persian.PLAIN) -> list[QueryWord]:
    """The words of free text, analyzed as the index analyzes documents."""
    stemmed, exact = _analyzers(analyses)
    e_groups = _positions(exact, text)
    s_groups = _positions(stemmed, text)
    if len(s_groups) != len(e_groups):
        s_groups = [[analyses.stem(f) for f in g] for g in e_groups]
    return [QueryWord(*_whole_identifier(tuple(s), tuple(e)), analyses.is_stopword(e[0]))
            for s, e in zip(s_groups, e_groups)]


_SEPARATORS = ("/", "-")


def _whole_identifier(stems: tuple[str, ...], forms: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """A letter number or date typed whole (۱۲۳۴/ص/۹۸, 1398-10-05) is searched whole, with either
    separator, not by its parts: the index holds the parts so that typing a part finds the whole, but
    a whole that matched every document holding «10» would find little of use, slowly."""
    whole = forms[0]
    if not any(sep in whole for sep in _SEPARATORS):
        return stems, forms
    both = tuple(dict.fromkeys((whole, whole.replace("-", "/"), whole.replace("/", "-"))))
    return both, both


def _terms(fieldname: str, forms, boost: float = 1.0) -> list[Q.Query]:
    return [Q.Term(fieldname, f, boost=boost) for f in dict.fromkeys(forms)]


def _either(queries: list[Q.Query]) -> Q.Query:
    return queries[0] if len(queries) == 1 else Q.Or(queries)


def word_query(word: QueryWord, boost: float = 1.0, common: bool = False, ranking: Ranking = RANKING) -> Q.Query:
    """A word in the title, the stemmed text or the exact words; or split in two by a space in the
    document (هیأتمدیره finds «هیأت مدیره»), through the shingle field.

    A ``common`` word (in a large share of the records) is looked up in the stemmed text alone: its
    weight is small whatever the field, and each more field would cost a walk of its long list."""
    if common:
        return _either(_terms("content", word.stems, ranking.content * boost))
    return _either(_terms("title", word.stems, ranking.title * boost)
                   + _terms("content", word.stems, ranking.content * boost)
                   + _terms("exact", word.forms, ranking.exact * boost)
                   + _terms("shingles", word.forms, ranking.exact * boost))


def root_query(words: list[QueryWord], common: frozenset[str], ranking: Ranking = RANKING) -> Q.Query | None:
    """The content words' roots (their first letters, the ``roots`` field: آلودگی and آلوده share
    one), to score the documents the words found (see :class:`ScoredAlso`): finding by roots alone
    would find هیأت for هیأتمدیره."""
    roots = [root for w in words if not w.stop and w.text not in common for root in map(word_root, w.forms) if root]
    if not roots or not ranking.root:
        return None
    return _either(_terms("roots", roots, ranking.root))


def pair_query(first: QueryWord, second: QueryWord, boost: float | None = None,
               ranking: Ranking = RANKING) -> Q.Query:
    """Two neighbouring query words side by side in the document (one shingle), or glued as one
    word there, a space typed for a ZWNJ: «هیأت مدیره» finds هیأت‌مدیره as well as it finds the
    two words themselves. The glued word is looked up as written (the exact field holds the title
    too), weighed as its exact and stemmed forms together, not stemmed: a word no document holds
    needs no analysis, and one search term less."""
    glued = [a + b for a in first.forms for b in second.forms]
    weight = ranking.glued_stop if first.stop or second.stop else ranking.glued
    return _either(_terms("shingles", glued, ranking.pair if boost is None else boost)
                   + _terms("exact", glued, (ranking.exact + ranking.content) * weight))


def fuzzy_query(word: QueryWord, ranking: Ranking = RANKING) -> Q.Query | None:
    """The word misread by one letter (OCR), for the fallback when exact matching finds little."""
    if word.stop or len(word.text) < 4 or not word.text.isalpha():
        return None
    return Q.FuzzyTerm("exact", word.text, boost=ranking.fuzzy, maxdist=1, prefixlength=1)


def presence_query(word: QueryWord, neighbours: list[QueryWord]) -> Q.Query:
    """The documents holding ``word``, unscored: its stems in the stemmed field (which holds the
    title too and every exact form's stem), the word found split in two by a space, or glued to a
    neighbour. Fewer and cheaper clauses than :func:`word_query`, for the all-words bonus and for
    searches that are sorted by date."""
    glued = [a + b for first, second in neighbours for a in first.forms for b in second.forms]
    return _either(_terms("content", word.stems) + _terms("shingles", word.forms)
                   + _terms("shingles", glued) + _terms("exact", glued))


def _free_text(words: list[QueryWord], fuzzy: frozenset[str], common: frozenset[str],
               ranking: Ranking) -> tuple[list[Q.Query], list[Q.Query]]:
    """The scoring clauses of free words, and what "this word is present" means for each content word
    (itself, or glued to a neighbour)."""
    singles = []
    fuzzies = []
    for w in words:
        q = word_query(w, (ranking.stopword or 0.3) if w.stop else 1.0, common=w.text in common, ranking=ranking)
        fz = fuzzy_query(w, ranking) if w.text in fuzzy else None
        singles.append(Q.Or([q, fz]) if fz is not None else q)
        fuzzies.append(fz)
    pairs = [pair_query(a, b, ranking=ranking) for a, b in zip(words, words[1:])]

    def present(i: int) -> Q.Query:
        neighbours = list(zip(words, words[1:]))[max(0, i - 1):i + 1]
        q = presence_query(words[i], neighbours)
        return Q.Or([q, fuzzies[i]]) if fuzzies[i] is not None else q

    content = [i for i, w in enumerate(words) if not w.stop]
    wanted = content or list(range(len(words)))  # only function words: they are all the query has
    if content and not ranking.stopword:  # alone, function words' long lists cost more than they add
        singles = [singles[i] for i in content]
    return singles + pairs, [present(i) for i in wanted], wanted


def _organizations_named(named: tuple[tuple[str, str], ...], words: list[QueryWord], wanted: list[int],
                         present: list[Q.Query], analyses: persian.WordAnalyses,
                         ranking: Ranking) -> tuple[list[Q.Query], list[Q.Query]]:
    """A query naming a configured organization («سازمان فاوا», (name, the words naming it)) also
    finds that organization's documents: for them the naming words count as present, and they score
    ``ranking.organization`` more. Returns the scoring clauses to add and ``present`` widened."""
    if not named or not ranking.organization:
        return [], present
    present = list(present)
    terms = []
    for name, said in named:
        term = Q.Term("organization", name)
        forms = {f for w in query_words(said, analyses) for f in w.forms}
        for k, i in enumerate(wanted):
            if forms & set(words[i].forms):
                present[k] = Q.Or([present[k], term])
        terms.append(term)
    return [Q.ConstantScoreQuery(_either(terms), ranking.organization)], present


def _glued(first: QueryWord, second: QueryWord) -> QueryWord:
    forms = tuple(dict.fromkeys(a + b for a in first.forms for b in second.forms))
    return QueryWord(forms, forms, False)


def _words_in_a_row(words: list[QueryWord]) -> Q.Query:
    if len(words) == 1:
        return _either(_terms("exact", words[0].forms) + _terms("shingles", words[0].forms))
    if len(words) == 2:  # the fast path: one shingle lookup, or the compound glued in one word
        return pair_query(words[0], words[1], boost=1.0)
    return Q.Sequence([_either(_terms("exact", w.forms)) for w in words])


def _phrase_query(text: str, analyses: persian.WordAnalyses) -> Q.Query | None:
    """A quoted phrase: its words in a row, however its compounds are written on either side. A
    compound typed with a ZWNJ also matches it spaced in the document («میدان تره‌بار» finds «میدان
    تره بار»), and two neighbouring words typed apart also match them glued (two words: the pair's
    glued forms; more: each neighbouring pair glued in turn)."""
    words = query_words(text, analyses)
    if not words:
        return None
    if len(words) == 1:
        return word_query(words[0])
    variants = [words]
    if persian.ZWNJ in text:
        split = query_words(text.replace(persian.ZWNJ, " "), analyses)
        if len(split) != len(words):
            variants.append(split)
    if len(words) > 2:
        variants += [words[:i] + [_glued(words[i], words[i + 1])] + words[i + 2:] for i in range(len(words) - 1)]
    return _either(list(dict.fromkeys(_words_in_a_row(v) for v in variants)))


def _filter_query(name: str, values: list[str], analyses: persian.WordAnalyses) -> Q.Query:
    alternatives = []
    for value in values:
        if name in ("kind", "type"):
            kind = kind_named(value) or kind_named(analyses.normalize_token(value))
            if kind is None:
                raise QueryError(f"unknown kind {value!r}", f"نوع سند «{value}» شناخته نیست.")
            alternatives.append(Q.Term("kind", kind))
        elif name == "year":
            year = persian.digits_to_ascii(value)
            if not year.isdigit():
                raise QueryError(f"year must be a number: {value!r}", f"سال باید عدد باشد: «{value}»")
            alternatives.append(Q.Term("year", str(int(year))))
        elif name == "state":
            alternatives.append(state_query(value))
        elif name == "org":
            forms = [g[0] for g in _positions(_analyzers(analyses)[1], value)]
            if forms:
                alternatives.append(Q.And([Q.Term("org_terms", f) for f in forms]))
    if not alternatives:
        return Q.NullQuery
    return alternatives[0] if len(alternatives) == 1 else Q.Or(alternatives)


def state_query(value: str, today: str | None = None) -> Q.Query:
    """``state:done`` (or «state:انجام‌شده»): resolutions in that follow-up state; ``state:overdue``:
    open ones whose due date is before ``today`` (Jalali, default: today).

    :raises QueryError: for an unknown state.
    """
    state = STATE_NAMES.get(value.lower().replace("\u200c", "").replace(" ", ""))
    if state is None:
        raise QueryError(f"unknown state {value!r}", f"وضعیت «{value}» شناخته نیست.")
    if state != OVERDUE:
        return Q.Term("state", state)
    if today is None:
        import jdatetime

        today = jdatetime.date.today().strftime("%Y-%m-%d")
    return Q.And([Q.Or([Q.Term("state", s) for s in OPEN]),
                  Q.TermRange("due", "1300-01-01", today, endexcl=True)])


class BonusQuery(Q.WrappingQuery):
    """Adds a fixed score to every document its child matches (Whoosh's ConstantScoreQuery drops the
    constant when the collector needs the current match, as a term or facet collector does)."""

    def __init__(self, child: Q.Query, score: float):
        super().__init__(child)
        self.score = score

    def __eq__(self, other):
        return type(self) is type(other) and self.child == other.child and self.score == other.score

    def __hash__(self):
        return hash(self.child) ^ hash(self.score)

    def _rewrap(self, child):
        return type(self)(child, self.score)

    def matcher(self, searcher, context=None):
        m = self.child.matcher(searcher, context)
        return m if isinstance(m, NullMatcherClass) else ConstantScoreWrapperMatcher(m, self.score)


class _ScoredAlsoMatcher(AndMaybeMatcher):
    """Whoosh's AndMaybe matcher without pruning by quality. Whoosh's prunes with the sub-matchers'
    ``max_quality``, which for our unions of BM25F terms is no bound on their scores (a union of the
    roots terms: 27 against a best score of 75): it dropped the best hits from a top-10 page that a
    top-1000 list held. So Whoosh's collector reads every match of a query with roots, as it
    already did for many (``bench/search.py`` at 3,000 documents: the same latency, alternated)."""

    def supports_block_quality(self):
        return False

    def replace(self, minquality=0):
        a, b = self.a, self.b
        if not a.is_active():
            return NullMatcher()
        if not b.is_active():
            return a.replace(0)
        new_a, new_b = a.replace(0), b.replace(0)
        return self if new_a is a and new_b is b else type(self)(new_a, new_b)


class ScoredAlso(Q.AndMaybe):
    """The documents ``a`` matches, scored by ``a`` plus ``b`` where ``b`` matches too (Whoosh's
    AndMaybe, with :class:`_ScoredAlsoMatcher`); Tantivy runs it as ``a`` required, ``b`` optional."""

    matcherclass = _ScoredAlsoMatcher


class _ExcludingMatcher(AndNotMatcher):
    """Whoosh's AndNot matcher let its first document through when the excluded words' matcher started
    on an earlier document: its ``_find_first`` compares the two current ids and never moves the
    excluded matcher up to the first candidate («گزارش -اتوبوس» listed a letter about buses whenever
    the ingest happened to number it first among the «گزارش» records). Here the first candidate is
    checked as every later one is."""

    def _find_first(self):
        if self.a.is_active() and self.b.is_active():
            self._find_next()


class Excluding(Q.AndNot):
    """``a`` without the documents ``b`` matches (Whoosh's AndNot with :class:`_ExcludingMatcher`)."""

    def matcher(self, searcher, context=None):
        return _ExcludingMatcher(self.a.matcher(searcher, context), self.b.matcher(searcher, searcher.boolean_context()))


@dataclass
class BuiltQuery:
    ranked: Q.Query              # what the hits must match, scored
    all_words: Q.Query | None    # the documents holding every content word
    matching: Q.Query            # what ``ranked`` matches, unscored and cheaper: for sorting by date
    filter: Q.Query | None
    text: str
    words: list[QueryWord] = field(default_factory=list)
    every_hit_complete: bool = False  # every hit of ``ranked`` holds every content word (one word)
    bonus: bool = False               # ``ranked`` adds the all-words bonus to the hits holding every word
    marked: list[QueryWord] = field(default_factory=list)  # the words to mark: free and quoted
    named: tuple[tuple[str, str], ...] = ()  # the organizations the text names, as given to build()


def build(text: str, fuzzy: frozenset[str] = frozenset(), common: frozenset[str] = frozenset(),
          analyses: persian.WordAnalyses = persian.PLAIN, ranking: Ranking = RANKING,
          named: tuple[tuple[str, str], ...] = ()) -> BuiltQuery:
    """Build the Whoosh queries for what the user typed; the words whose search form is in ``fuzzy``
    also match words one letter away; those in ``common`` are looked up in fewer fields (see
    :func:`word_query`). Words are analyzed with ``analyses`` (the index's) and weighed by ``ranking``.
    ``named``: the configured organizations the text names, (name, the words naming it) (see
    :func:`_organizations_named`).

    :raises QueryError: for an empty query, one beyond the limits (:func:`check_limits`) or a filter
        with an impossible value.
    """
    parsed = parse(check_limits(text))
    filters = [_filter_query(name, values, analyses) for name, values in parsed.filters.items()]
    words = query_words(" ".join(parsed.words), analyses) if parsed.words else []
    scoring, present, wanted = _free_text(words, fuzzy, common, ranking)
    if scoring:
        more, present = _organizations_named(named, words, wanted, present, analyses, ranking)
        scoring += more
    required: list[Q.Query] = []
    for phrase in parsed.phrases:
        q = _phrase_query(phrase, analyses)
        if q is not None:
            required.append(q)
    for prefix in parsed.prefixes:
        form = analyses.normalize_token(prefix)
        if form:
            required.append(Q.Or([Q.Prefix("exact", form), Q.Prefix("title", form)]))
    if not scoring and not required and not filters:
        raise QueryError("empty query", "عبارتی برای جست‌وجو وارد نشده است.")
    all_words = Q.And(present) if present else None
    bonus: list[Q.Query] = []
    if scoring:
        bonus = ([BonusQuery(all_words, ranking.all_words_bonus)]
                 if 1 < len(present) <= ranking.short_query_words and ranking.all_words_bonus
                 and not any(mark in text for mark in ranking.question_marks) else [])
        ranked: Q.Query = Q.Or(scoring + bonus)
        roots = root_query(words, common, ranking)
        if roots is not None:
            ranked = ScoredAlso(ranked, roots)
        matching: Q.Query = _either(present)
        ranked, matching = ((Q.And([ranked] + required), Q.And([matching] + required)) if required
                            else (ranked, matching))
    else:
        ranked = matching = Q.And(required) if len(required) > 1 else (required[0] if required else Q.Every())
    excluded = [q for q in (_phrase_query(p, analyses) for p in parsed.excluded) if q is not None]
    if excluded:
        ranked, matching = Excluding(ranked, _either(excluded)), Excluding(matching, _either(excluded))
    flt = Q.And(filters) if len(filters) > 1 else (filters[0] if filters else None)
    quoted = [w for phrase in parsed.phrases for w in query_words(phrase, analyses)]
    return BuiltQuery(ranked=ranked, all_words=all_words, matching=matching, filter=flt, text=text, words=words,
                      marked=words + quoted,
                      every_hit_complete=len(words) == 1, bonus=bool(bonus), named=named)
