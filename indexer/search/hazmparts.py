"""hazm's parts that Bayegan uses, imported without the rest of hazm.

``import hazm`` runs hazm's package ``__init__``, which imports every part of the toolkit: its taggers,
chunker, parsers, embeddings and corpus readers, and with them all of nltk (whose own ``__init__`` imports
every nltk module), scikit-learn, SciPy, NumPy and gensim: 1.3–2.3 s of CPU on this project's machine,
on the critical path of every process that analyzes text (an extraction forkserver before its first child,
a server's first query with an unknown word). Bayegan uses four of hazm's names — ``Normalizer``,
``Stemmer``, ``words_list``, ``stopwords_list`` — which live in five of hazm's modules (utils, stemmer,
word_tokenizer, lemmatizer, normalizer) and need of nltk only two abstract base classes.

:func:`load` imports those five modules, hazm's own code unchanged, into a ``hazm`` package whose
``__init__`` is not run (each module takes the names it needs from the package, ``from hazm import
Stemmer``, and gets them there in hazm's own import order). nltk's packages are made the same way, so
of nltk only the two base classes' modules and the few utility modules they import are run (nltk's
``__init__``, even without the numerical libraries, took 0.26 s); while the parts are imported, this
thread's imports of the numerical libraries nltk tries optionally (``try: import numpy``) fail. 0.04 s. It is tied to the hazm release ``pyproject.toml`` pins: if
anything goes wrong (a later hazm that moved a name), everything it imported is forgotten and hazm is
imported whole, as before; a process that has already imported hazm whole keeps it.
"""
from __future__ import annotations

import importlib
import importlib.abc
import importlib.util
import logging
import sys
import threading
from types import ModuleType

log = logging.getLogger(__name__)

# (hazm's module, the names the package must hold for the modules after it), in hazm's __init__ order
_PARTS = (
    ("utils", ("default_verbs", "default_words", "stopwords_list", "words_list", "maketrans", "regex_replace",
               "NUMBERS", "informal_verbs", "informal_words", "abbreviations")),
    ("stemmer", ("Stemmer",)),
    ("word_tokenizer", ("WordTokenizer",)),
    ("lemmatizer", ("Conjugation", "Lemmatizer")),
    ("normalizer", ("Normalizer",)),
)
# nltk's packages whose __init__ is skipped: hazm's parts take from nltk only StemmerI (nltk.stem.api)
# and TokenizerI (nltk.tokenize.api), which import a few of nltk's utility modules
_NLTK_PACKAGES = ("nltk", "nltk.stem", "nltk.tokenize")
# imported by nltk's modules only if present; none of them is used by the parts above
_OPTIONAL = frozenset({"numpy", "scipy", "sklearn", "gensim", "pandas", "matplotlib"})
_lock = threading.Lock()


class _Without(importlib.abc.MetaPathFinder):
    """Makes one thread's imports of ``_OPTIONAL`` packages fail, as if they were not installed."""

    def __init__(self) -> None:
        self.thread = threading.get_ident()

    def find_spec(self, name, path, target=None):
        if threading.get_ident() == self.thread and name.partition(".")[0] in _OPTIONAL:
            raise ModuleNotFoundError(f"{name} is left out while hazm's parts are imported", name=name)


def load() -> ModuleType:
    """The ``hazm`` module, with at least ``Normalizer``, ``Stemmer``, ``words_list``, ``stopwords_list``."""
    module = sys.modules.get("hazm")
    if module is not None and hasattr(module, "Normalizer"):
        return module
    with _lock:
        module = sys.modules.get("hazm")
        if module is not None and hasattr(module, "Normalizer"):
            return module
        before = set(sys.modules)
        try:
            return _parts()
        except Exception:  # any failure: forget the attempt, take hazm whole
            log.warning("hazm's parts could not be imported alone; importing all of hazm", exc_info=True)
            for name in set(sys.modules) - before:
                del sys.modules[name]
            return importlib.import_module("hazm")


def _package(name: str) -> ModuleType:
    """The package ``name`` in ``sys.modules``, its ``__init__`` not run (its modules import as usual)."""
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError(f"{name} is not installed", name=name)
    package = importlib.util.module_from_spec(spec)
    sys.modules[name] = package
    return package


def _parts() -> ModuleType:
    if "nltk" not in sys.modules:  # the two base classes' modules without nltk's __init__ (0.26 s)
        for name in _NLTK_PACKAGES:
            _package(name)
    package = _package("hazm")
    finder = _Without()
    sys.meta_path.insert(0, finder)
    try:
        for part, names in _PARTS:
            module = importlib.import_module(f"hazm.{part}")
            setattr(package, part, module)
            for name in names:
                setattr(package, name, getattr(module, name))
    finally:
        sys.meta_path.remove(finder)
    package.bayegan_parts = True  # this is not hazm whole
    return package


__all__ = ["load"]
