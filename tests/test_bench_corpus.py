import re

from bench.corpus import generate, write_corpus
from indexer.pipeline.ingest import ingest_paths


def test_generator_is_deterministic_and_varied():
    first = [d.text for d in generate(60, seed=7)]
    assert first == [d.text for d in generate(60, seed=7)]
    assert first != [d.text for d in generate(60, seed=8)]
    kinds = {d.kind for d in generate(60, seed=7)}
    assert kinds == {"minutes", "letter", "report", "resolution"}
    words = [len(d.text.split()) for d in generate(60, seed=7)]
    assert min(words) >= 300 and max(words) <= 3300
    joined = "".join(first)
    assert "ي" in joined and "ی" in joined                    # Arabic and Persian yeh
    assert "هیئت" in joined and "هیأت" in joined
    assert re.search("[۰-۹]", joined) and re.search("[0-9]", joined) and re.search("[٠-٩]", joined)
    assert "\u200c" in joined


def test_written_files_ingest_back(tmp_path, library):
    paths = write_corpus(tmp_path / "corpus", 3, seed=3, fmt="mixed")
    assert sorted(p.suffix for p in paths) == [".docx", ".pdf", ".txt"]
    results = ingest_paths(library, paths)
    assert [r.status for r in results] == ["indexed"] * 3
    for result, doc in zip(results, generate(3, seed=3)):
        first_word = doc.text.splitlines()[0].split()[0]
        assert first_word in library.document(result.id).text


def test_flat_catalog_reindexes_into_a_searchable_archive(tmp_path, library, config):
    """bench/search.py --flat: generated documents straight into the catalog, then the real reindex."""
    from bench.ingest import fill_catalog
    from indexer.search.index import SearchFilters

    docs = list(generate(12, seed=11))
    fill_catalog(config.data_dir / "catalog.sqlite3", docs)
    assert library.reindex() == 12
    assert all(re.fullmatch(r"139[4-9]-\d\d-\d\d", d.date) for d in docs)
    newest = max(docs, key=lambda d: d.date)
    results = library.search(newest.organization, sort="newest",
                             filters=SearchFilters(date_from=newest.date, date_to=newest.date))
    assert [h.date for h in results.hits] and {h.date for h in results.hits} == {newest.date}
    assert newest.title in {h.title for h in results.hits}
