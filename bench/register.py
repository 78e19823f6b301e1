"""Precision and recall of the follow-up states that referring documents propose to the decision register,
over the labelled documents of bench/register_docs.py and the demo archive's follow-ups
(scripts/make_demo.py), each rendered as a real file (PDF, DOCX or TXT) and taken through ingest.

A proposal is right when its state is the labelled one for that reference; precision is right proposals
over all proposals (a wrong one costs a clerk's trust), recall is right proposals over the references
labelled with a state. Targets: precision ≥ 0.95, recall ≥ 0.80.

Usage: python -m bench.register [--keep DIR]      (make bench-register)
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from collections import Counter
from pathlib import Path

from sqlalchemy import select

from archive import ResolutionReference, load_config
from bench.register_docs import DOCS, Followup
from indexer import Library
from indexer.pipeline.ingest import ingest_paths
from scripts.docwriters import write_docx, write_pdf, write_text
from scripts.make_demo import FOLLOWUP_LABELS, make_demo

ROOT = Path(__file__).resolve().parent.parent
PRECISION_TARGET, RECALL_TARGET = 0.95, 0.80


def render(doc: Followup, folder: Path) -> Path:
    path = folder / f"{doc.name}.{doc.format}"
    if doc.format == "pdf":
        write_pdf(path, doc.text)
    elif doc.format == "docx":
        write_docx(path, doc.text.splitlines())
    else:
        write_text(path, doc.text)
    return path


def measure(folder: Path) -> tuple[Counter, list[str]]:
    """Counts (proposed, right, labelled) and the misses, as lines."""
    files = folder / "files"
    files.mkdir(parents=True)
    labels = {render(doc, files).name: doc.labels for doc in DOCS}
    demo = folder / "demo"
    for path in make_demo(demo):
        if path.name in FOLLOWUP_LABELS:
            labels[path.name] = FOLLOWUP_LABELS[path.name]
    library = Library(load_config(ROOT / "config.yaml", env={"BAYEGAN_DATA_DIR": str(folder / "data")}))
    try:
        results = ingest_paths(library, [files, demo])
        ids = {Path(r.path).name: r.id for r in results if r.id}
        counts: Counter = Counter()
        misses = []
        with library.catalog.session() as session:
            for name, wanted in sorted(labels.items()):
                refs = list(session.scalars(select(ResolutionReference).where(
                    ResolutionReference.document_id == ids.get(name, "")).order_by(ResolutionReference.id)))
                found = {(r.resolution_number, r.meeting): r for r in refs}
                for number, meeting, state in wanted:
                    ref = found.get((number, meeting))
                    proposed = ref.proposed_state if ref else None
                    counts["labelled"] += state is not None
                    counts["proposed"] += proposed is not None
                    counts["right"] += proposed is not None and proposed == state
                    if proposed != state:
                        why = "reference not read" if ref is None else f"evidence «{ref.evidence}»"
                        misses.append(f"{name}: مصوبه {number} جلسه {meeting}: want {state}, got {proposed} ({why})")
        counts["documents"] = len(labels)
        return counts, misses
    finally:
        library.close()


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", type=Path, help="Build in this folder and keep it.")
    args = parser.parse_args(argv)
    if args.keep:
        counts, misses = measure(args.keep)
    else:
        with tempfile.TemporaryDirectory() as tmp:
            counts, misses = measure(Path(tmp))
    precision = counts["right"] / counts["proposed"] if counts["proposed"] else 0.0
    recall = counts["right"] / counts["labelled"] if counts["labelled"] else 0.0
    print(f"documents {counts['documents']}  labelled states {counts['labelled']}  "
          f"proposals {counts['proposed']}  right {counts['right']}")
    print(f"precision {precision:.3f} (target {PRECISION_TARGET})  recall {recall:.3f} (target {RECALL_TARGET})")
    for line in misses:
        print("  miss:", line)
    return 0 if precision >= PRECISION_TARGET and recall >= RECALL_TARGET else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
