"""hazm's parts imported alone (indexer.search.hazmparts): the same normalizer, stemmer and word lists
as hazm imported whole, without scikit-learn, SciPy, gensim or nltk's package init; each side in a fresh
process."""
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REAL = ROOT.parent / "shared" / "real-docs"

TEXT = ("هيأت مديره در جلسهٔ مورخ ۱۴۰۲/۰۵/۱۷ مقرر كرد که مسؤولیت‌های مؤسسه به مسئول جديد سپرده شود؛ "
        "شركت‌ها مي‌توانند گزارش‌هايشان را ارسال نمايند. قیمت ۱٬۲۰۰٬۰۰۰ ریال است و نامهٔ شماره ٣٤٥/د "
        "به سازمان های وابسته رسيد. عَلی‌اَکبَر مي رود و مى‌آید؛ ساختمانها، کتابخانه‌ای، پیگیری‌ها. ")

PROBE = r"""
import json, sys
mode, text = sys.argv[1], sys.stdin.read()
if mode == "whole":
    import hazm
else:
    from indexer.search import hazmparts
    hazm = hazmparts.load()
normalizer = hazm.Normalizer(correct_spacing=False, remove_diacritics=True, remove_specials_chars=False,
                             decrease_repeated_chars=False, persian_style=False, persian_numbers=False,
                             unicodes_replacement=True, seperate_mi=False)
stemmer = hazm.Stemmer()
words = [w for w, _c, _t in hazm.words_list()]
print(json.dumps({
    "parts": bool(getattr(hazm, "bayegan_parts", False)),
    "heavy": sorted(m for m in ("sklearn", "scipy", "gensim") if m in sys.modules),
    "nltk_init_run": hasattr(sys.modules["nltk"], "word_tokenize"),  # set by nltk's own __init__
    "normalized": normalizer.normalize(text),
    "words": hazm.words_list(),
    "stopwords": hazm.stopwords_list(),
    "stems": [stemmer.stem(w) for w in words + text.split()],
    "normalized_words": [normalizer.normalize(w) for w in words[::7]],
}, ensure_ascii=False))
"""


def probe(mode: str, text: str) -> dict:
    out = subprocess.run([sys.executable, "-c", PROBE, mode], input=text, capture_output=True, text=True,
                         cwd=ROOT, check=True)
    return json.loads(out.stdout)


def test_the_parts_alone_analyze_as_hazm_whole_without_its_heavy_imports():
    text = TEXT + "".join(p.read_text(encoding="utf-8") for p in sorted(REAL.glob("*.gt.txt")))
    whole, parts = probe("whole", text), probe("parts", text)
    assert not whole["parts"] and parts["parts"]
    assert whole["heavy"] == ["gensim", "scipy", "sklearn"]  # what the parts leave out
    assert parts["heavy"] == []
    assert whole["nltk_init_run"] and not parts["nltk_init_run"]  # only the base classes' modules of nltk
    assert len(parts["words"]) > 50_000 and len(parts["stopwords"]) > 300
    for key in ("normalized", "words", "stopwords", "stems", "normalized_words"):
        assert parts[key] == whole[key], key


def test_a_process_that_imported_hazm_whole_keeps_it():
    script = ("import hazm\nfrom indexer.search import hazmparts\n"
              "assert hazmparts.load() is hazm\nassert not hasattr(hazm, 'bayegan_parts')\nprint('kept')")
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.strip() == "kept"

