"""Persian text normalization: the module that analyzes with hazm (whose parts it uses are imported by
:mod:`indexer.search.hazmparts`, without the rest of hazm).

hazm is imported lazily, so commands that never analyze text (``status``, ``show``) start fast, and
nothing heavy is ever pickled with the Whoosh schema: the analysis filters call the functions here.

Two levels:

- :func:`normalize_token` folds one word to its search form: NFKC, hazm's character unification,
  Arabic letters to Persian, hamza spellings to their bare letter, ۀ/ة to ه, tatweel, diacritics,
  bidi controls and ZWNJ removed, every digit to ASCII, lower case. Both sides of a search pass
  through it, so هیأت‌مدیره, هيئتمديره and هیات مدیره (glued) meet.
- :func:`is_stopword` tells the function words (hazm's list) that a query may lack without failing.
- :func:`stem` reduces an inflected word (سازمان‌ها, مدیران) with hazm's stemmer, guarded by hazm's
  own word list so that known words (کرمان, ساخت) are not cut.

Each Library owns a :class:`WordAnalyses`: what was made of each word, kept in memory and in its memo
file on disk (:mod:`indexer.search.wordmemo`), read back, before hazm is loaded, by a process that only
searches. The analysis filters hold it (:mod:`indexer.search.analysis`), so two libraries in one process
neither share nor overwrite each other's memo. The module-level functions analyze without a memo
(:data:`PLAIN`), for what reads text outside an index (metadata). hazm's normalizer, stemmer and word
list are loaded once per process and never change.
"""
from __future__ import annotations

import re
import threading
import unicodedata
from functools import lru_cache
from pathlib import Path

from indexer.search import hazmparts
from indexer.search.wordmemo import WordMemo
from indexer.tablecache import cached_table, version_of

ZWNJ = "\u200c"
BIDI_CONTROLS = "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u061c"
_DIACRITICS = "".join(chr(c) for c in range(0x064B, 0x0660)) + "\u0670\u06ed"

# What hazm's normalizer leaves as it is but a search must fold.
_FOLD = str.maketrans({
    "ي": "ی", "ى": "ی", "ك": "ک", "ة": "ه", "ۀ": "ه", "ە": "ه", "ۂ": "ه",
    "ٱ": "ا", "آ": "ا", "ـ": None, ZWNJ: None,
    "\u200d": None, "\u00ad": None,
    **{c: None for c in BIDI_CONTROLS},
    **{c: None for c in _DIACRITICS},
    **{chr(0x06F0 + i): str(i) for i in range(10)},
    **{chr(0x0660 + i): str(i) for i in range(10)},
})

# Number words written out (منطقه سه) also get the digit form (منطقه ۳). یک is left alone: it is
# mostly the article "a", and نه mostly "no".
NUMBER_WORDS = {
    "دو": "2", "سه": "3", "چهار": "4", "پنج": "5", "شش": "6", "هفت": "7", "هشت": "8",
    "ده": "10", "یازده": "11", "دوازده": "12", "سیزده": "13", "چهارده": "14", "پانزده": "15",
    "شانزده": "16", "هفده": "17", "هجده": "18", "نوزده": "19", "بیست": "20",
}

_normalizer = None
_stemmer = None
_words: dict[str, tuple[str, ...]] | None = None  # hazm's word list: word -> its part-of-speech tags


def analysis_version() -> str:
    """What the analyses depend on: this module's code and hazm's release."""
    return version_of(__file__)


def preload() -> None:
    """Load hazm's normalizer, stemmer and stop words now (a server does it in the background, so
    that the first query with a word the memo does not know does not wait for it)."""
    _hazm_normalizer()
    _hazm_stemmer()
    PLAIN.stopwords()


def _hazm_normalizer():
    global _normalizer
    if _normalizer is None:
        hazm = hazmparts.load()

        # Spacing correction and digit/punctuation rewriting are off: they split numbers, letter
        # numbers and URLs, and glue standalone letters (see docs/search.md).
        _normalizer = hazm.Normalizer(
            correct_spacing=False, remove_diacritics=True, remove_specials_chars=False,
            decrease_repeated_chars=False, persian_style=False, persian_numbers=False,
            unicodes_replacement=True, seperate_mi=False)
    return _normalizer


def _hazm_stemmer():
    global _stemmer, _words
    if _stemmer is None:
        hazm = hazmparts.load()

        _words = cached_table("word-tags", analysis_version(), _tagged_words)
        _stemmer = hazm.Stemmer()
    return _stemmer


def _tagged_words() -> dict[str, tuple[str, ...]]:
    """hazm's word list, folded, with each word's part-of-speech tags (derived once per machine:
    :mod:`indexer.tablecache`)."""
    hazm = hazmparts.load()

    # hazm's own list is already in its normalized spelling: only our folds are applied
    words: dict[str, tuple[str, ...]] = {}
    for word, _count, tags in hazm.words_list():
        key = word.translate(_FOLD).translate(_HAMZA_ON_SEAT)
        known = tuple(t for t in words.get(key, ()) + tuple(tags) if t != "0")
        words[key] = tuple(dict.fromkeys(known)) or ("0",)  # several spellings fold together
    return words


class CharTable:
    """A ``str.maketrans`` table applied by a regular expression that finds the characters it changes:
    ``str.translate`` looks every character of the text up in the table (~75 ns each), the expression
    scans in C and calls back only where a change is made; 4x faster on Persian text. ``table(text)``
    equals ``text.translate(table)``."""

    def __init__(self, table: dict[int, str | None]):
        self.to = {chr(k): "" if v is None else v for k, v in table.items()}
        self.find = re.compile("[" + "".join(re.escape(c) for c in sorted(self.to)) + "]")
        # a table that only removes characters is applied with a plain replacement, no call back
        self.replacement = "" if not any(self.to.values()) else self._one

    def _one(self, match: re.Match) -> str:
        return self.to[match.group()]

    def __call__(self, text: str) -> str:
        return self.find.sub(self.replacement, text)


_INVISIBLE = CharTable({ord(c): None for c in BIDI_CONTROLS + "\ufeff"})


def clean_text(text: str) -> str:
    """Text as users read it: NFC, bidi controls removed, line ends unified. Spelling is kept."""
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    return _INVISIBLE(text)


# Hamza spellings cannot meet in one form (هیأت/هیئت need أ=ئ, مؤسسه/موسسه need ؤ=و, مسئول/مسؤول need
# ئ=ؤ): a word with hamza gets two forms, each carrier on its seat, and every carrier as alef.
_HAMZA_ON_SEAT = str.maketrans({"أ": "ا", "إ": "ا", "ؤ": "و", "ئ": "ی", "ء": None, "ٔ": None})
_HAMZA_AS_ALEF = str.maketrans({"أ": "ا", "إ": "ا", "ؤ": "ا", "ئ": "ا", "ء": None, "ٔ": None})
_HAMZA = frozenset("أإؤئءٔ")
_EZAFE = (ZWNJ + "ی", ZWNJ + "ي")


def _search_forms(token: str) -> tuple[str, ...]:
    token = unicodedata.normalize("NFKC", token)
    if token.endswith(_EZAFE):  # نامه‌ی, the ezafe of نامهٔ written out
        token = token[:-2]
    if token.isascii():
        return (token.lower(),) if token else ()
    token = _hazm_normalizer().normalize(token).translate(_FOLD).lower()
    if token in NUMBER_WORDS:
        return (token, NUMBER_WORDS[token])
    if not _HAMZA.intersection(token):
        return (token,) if token else ()
    forms = (token.translate(_HAMZA_ON_SEAT), token.translate(_HAMZA_AS_ALEF))
    return tuple(f for i, f in enumerate(forms) if f and f not in forms[:i])


# _FOLD then _HAMZA_ON_SEAT as one table: str.translate costs ~80 ns a Persian letter, so one pass
# instead of two halves the scan of a long text for a snippet
_SCAN_FOLD = {**_HAMZA_ON_SEAT, **{k: v if v is None else v.translate(_HAMZA_ON_SEAT) for k, v in _FOLD.items()}}


_SCAN_FOLD_TABLE = CharTable(_SCAN_FOLD)


def scan_fold(text: str) -> str:
    """``text`` with the letter folds of the search forms applied (no hazm, no tokens): cheap enough
    to look over a whole page for the beginnings of query words before analyzing it."""
    return _SCAN_FOLD_TABLE(unicodedata.normalize("NFKC", text)).lower()


def _stem_word(word: str) -> str:
    """The stem of a normalized Persian word: known words stay whole.

    Before the word-list guard, plurals the list itself holds are cut: an Arabic plural in ات
    tagged plural, to a singular the list tags (مصوبات → مصوبه, اقدامات → اقدام, خسارات → خسارت) and
    ها/های after a known word when the whole is untagged (پارکها → پارک, but تنها stays).
    """
    stemmer = _hazm_stemmer()
    tags = _words.get(word)  # type: ignore[union-attr]
    if word.endswith("ات") and (tags is None or "PL" in tags):
        base = word[:-2]
        for candidate in (base + "ه", base, base + "ت"):  # مصوبات, اقدامات, خسارات
            if len(candidate) >= 3 and _words.get(candidate, ("0",)) != ("0",):  # type: ignore[union-attr]
                return candidate
    if tags is None or tags == ("0",) or "PL" in tags:
        for suffix in ("های", "ها"):
            base = word[:-len(suffix)]
            if word.endswith(suffix) and len(base) >= 2 and base in _words:  # type: ignore[operator]
                return base
    if tags is not None:
        return word
    stemmed = stemmer.stem(word)
    return stemmed if len(stemmed) >= 2 else word


_PERSIAN_WORD = re.compile(r"[\u0600-\u06ff]+")


def digits_to_ascii(text: str) -> str:
    """Persian and Arabic-Indic digits to ASCII, everything else unchanged."""
    return text.translate({0x06F0 + i: str(i) for i in range(10)} | {0x0660 + i: str(i) for i in range(10)})


def to_persian_digits(text: str) -> str:
    """ASCII digits to Persian digits, for display."""
    return text.translate({ord(str(i)): chr(0x06F0 + i) for i in range(10)})


class SharedWords:
    """Word analyses passed from the extraction children to the process that writes the index.

    A child analyzes every word of the files it reads (their metadata, and their index terms when the
    engine takes them pre-analyzed, :func:`indexer.search.analysis.text_terms`); what it analyzed is
    :meth:`recorded` and sent with the file's result, and the parent is :meth:`told` it, so that the
    parent analyzes the same words again (titles, resolutions' due dates, what the child did not
    pre-analyze) without loading hazm, which costs it seconds of a bulk import's critical path. What
    the parent is told is a bounded cache: a word it lacks is analyzed by hazm, as before.
    """

    LIMIT = 300_000  # words told, at most; past it the cache starts again

    def __init__(self) -> None:
        self.recording = False
        self.forms: dict[str, tuple[str, ...]] = {}
        self.stems: dict[str, str] = {}
        self._new_forms: dict[str, tuple[str, ...]] = {}
        self._new_stems: dict[str, str] = {}
        self.new_stopwords: frozenset[str] | None = None  # made here, not yet given
        self.told_stopwords: frozenset[str] | None = None
        self._lock = threading.Lock()

    def record(self) -> None:
        """From now on, remember what this process analyzes (an extraction child, its forkserver)."""
        self.recording = True

    def recorded(self, part: str, word: str, result) -> None:
        (self._new_forms if part == "forms" else self._new_stems)[word] = result

    def known(self, part: str, word: str):
        """What another process told of ``word``'s search forms (``part`` "forms") or stem ("stems")."""
        return (self.forms if part == "forms" else self.stems).get(word)

    def take(self) -> tuple[dict[str, tuple[str, ...]], dict[str, str], frozenset[str] | None]:
        """What was analyzed here since the last take: (search forms, stems) by word, and the function
        words the first time."""
        forms, stems, stopwords = self._new_forms, self._new_stems, self.new_stopwords
        self._new_forms, self._new_stems, self.new_stopwords = {}, {}, None
        return forms, stems, stopwords

    def tell(self, forms: dict[str, tuple[str, ...]], stems: dict[str, str],
             stopwords: frozenset[str] | None = None) -> None:
        """Analyses made in another process of the same code (the same :func:`analysis_version`)."""
        if stopwords is not None:
            self.told_stopwords = stopwords
        with self._lock:
            if len(self.forms) + len(forms) > self.LIMIT or len(self.stems) + len(stems) > self.LIMIT:
                self.forms, self.stems = {}, {}
            self.forms.update(forms)
            self.stems.update(stems)


SHARED = SharedWords()


# Question words hazm's stop list lacks (it has چرا، چگونه، چه، کدام، آیا), as questions are typed,
# colloquial forms too: a question's words, not what its answer holds.
QUESTION_WORDS = frozenset({"کی", "کیست", "کیه", "کجا", "کجاست", "چیست", "چیه", "چطور", "چطوری", "چقدر",
                            "کدوم", "هست"})


# Words hazm's stop list holds that name a thing or a quality: a query holding them is about them
# («رشد جمعیت», «نشست هیأت‌مدیره», «تغییر مدیرعامل», «آموزش عالی», «دهه فجر»). hazm's list was made
# from word frequencies in news text and keeps such words beside the true function words (از، که،
# است، می‌شود...); here they are content words: required for the all-words ranking, scored alone.
# The words of the list that stay function words are pronouns, prepositions, conjunctions, verbs and
# their parts, numbers and ordinals, quantities and adverbs, and the word-forming halves written apart
# (سازی، گیری، کننده).
CONTENT_WORDS = frozenset({
    "اثر", "اجرا", "امکان", "بخش", "تبدیل", "تعیین", "تغییر", "تهیه", "جریان", "حل", "خطر", "دهه", "راه",
    "رشد", "روش", "روند", "سهم", "شروع", "علت", "متر", "نشست", "نوع", "نیاز", "پخش", "فرد", "افراد",
    "بزرگ", "بهتر", "بهترین", "جدی", "جدید", "خاص", "خوب", "شخصی", "عالی", "کافی", "کامل", "کوچک",
    "گروهی", "جمعی", "متفاوت", "مناسب", "مهم", "ویژه"})


class WordAnalyses:
    """What each word becomes for search: its search forms, its stem, whether it is a function word;
    kept in memory and, with a memo file, on disk for processes that only search. Thread-safe."""

    def __init__(self, memo_path: Path | None = None):
        self.memo = WordMemo(Path(memo_path), analysis_version()) if memo_path is not None else None
        self._learned_forms: dict[str, tuple[str, ...]] = {}  # analyzed since the memo was last saved
        self._learned_stems: dict[str, str] = {}
        self._learning = threading.Lock()
        self._stopwords: frozenset[str] | None = None
        self.search_forms = lru_cache(maxsize=500_000)(self._search_forms)
        self.stem = lru_cache(maxsize=500_000)(self._stem)
        self.analyzers: dict = {}  # the analyzers built on these analyses (indexer.search.analysis)

    def _remembered(self, word: str, hazm_part, recall, analyze, learned: dict, part: str):
        """What ``analyze`` makes of ``word``: while this part of hazm is not loaded (loading it costs
        seconds), what an extraction child told (:class:`SharedWords`, learned for the memo by
        :meth:`learn`) or the memo (``recall``: the process only searches) knows of it; else analyzed,
        learned for the memo's next save, and recorded for the parent when this process is an
        extraction child."""
        if hazm_part is None:
            known = SHARED.known(part, word)
            if known is None and self.memo is not None:
                known = recall(word)
            if known is not None:
                return known
        result = analyze(word)
        if self.memo is not None:
            with self._learning:
                learned[word] = result
        if SHARED.recording:
            SHARED.recorded(part, word, result)
        return result

    def _search_forms(self, token: str) -> tuple[str, ...]:
        """The search forms of one word (see the module docstring): one, or two for a word with hamza."""
        if token.isascii():
            return _search_forms(token)
        return self._remembered(token, _normalizer, self.memo and self.memo.forms, _search_forms,
                                self._learned_forms, "forms")

    def learn(self, forms: dict[str, tuple[str, ...]], stems: dict[str, str],
              stopwords: frozenset[str] | None = None) -> None:
        """Analyses made in an extraction child (:class:`SharedWords`): known to every analysis in
        this process from now on, and saved to this memo with its next save (the function words too,
        so that a process that only searches needs no hazm for them)."""
        SHARED.tell(forms, stems, stopwords)
        if self.memo is not None and (forms or stems):
            with self._learning:
                self._learned_forms.update(forms)
                self._learned_stems.update(stems)

    def normalize_token(self, token: str) -> str:
        """The first search form of one word, '' for a word that folds away."""
        forms = self.search_forms(token)
        return forms[0] if forms else ""

    def _stem(self, word: str) -> str:
        """The stem of a normalized word; known words, numbers and short words stay whole."""
        if len(word) < 4 or not _PERSIAN_WORD.fullmatch(word):
            return word
        return self._remembered(word, _stemmer, self.memo and self.memo.stem, _stem_word, self._learned_stems,
                                "stems")

    def stopwords(self) -> frozenset[str]:
        """The function words (از، در، چه، است...) of hazm's list, in their search forms, less its
        :data:`CONTENT_WORDS`."""
        if self._stopwords is None:
            known = None
            if _normalizer is None:  # without hazm: what an extraction child told, else the memo
                known = SHARED.told_stopwords
                if known is None and self.memo is not None:
                    known = self.memo.stopwords()
            if known is None:
                hazm = hazmparts.load()

                content = {f for w in CONTENT_WORDS for f in self.search_forms(w)}
                known = frozenset(f for w in hazm.stopwords_list() for f in self.search_forms(w)) - content
                if SHARED.recording:
                    SHARED.new_stopwords = known
            self._stopwords = known
        return self._stopwords

    def is_stopword(self, form: str) -> bool:
        """Whether a normalized word is a function word that a query may lack without failing: hazm's
        list, and the question words it lacks (:data:`QUESTION_WORDS`)."""
        return form in self.stopwords() or form in QUESTION_WORDS

    def save(self) -> None:
        """Write to the memo what was analyzed since the last save (the index writer calls it after a
        commit)."""
        if self.memo is None:
            return
        with self._learning:
            forms, stems = self._learned_forms, self._learned_stems
            self._learned_forms, self._learned_stems = {}, {}
        if forms or stems:
            known = _normalizer is not None or SHARED.told_stopwords is not None or self._stopwords is not None
            self.memo.save(forms, stems, self.stopwords() if known else None)

    def close(self) -> None:
        if self.memo is not None:
            self.memo.close()


# Analyses without a memo: for what reads text outside a Library's index (metadata, tools, tests).
PLAIN = WordAnalyses()


def search_forms(token: str) -> tuple[str, ...]:
    """The search forms of one word (:meth:`WordAnalyses.search_forms`, no memo)."""
    return PLAIN.search_forms(token)


def normalize_token(token: str) -> str:
    """The first search form of one word, '' for a word that folds away (no memo)."""
    return PLAIN.normalize_token(token)


def stem(word: str) -> str:
    """The stem of a normalized word (no memo)."""
    return PLAIN.stem(word)


def is_stopword(form: str) -> bool:
    """Whether a normalized word is a function word (no memo)."""
    return PLAIN.is_stopword(form)
