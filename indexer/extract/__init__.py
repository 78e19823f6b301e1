"""Text extraction: ``extract(path) -> Extraction`` (the type and the text of each page, with how each
page was read), chosen by the type detected from the bytes.

:func:`extract_in_worker` runs the same in a separate process with a time limit; the ingest pipeline
uses it, so a file that hangs or crashes a reader costs one failed file, never the batch.
"""
from indexer.extract.detect import detect_type
from indexer.extract.read import EXTRACTORS, extract
from indexer.extract.reasons import describe_ocr_reason
from indexer.extract.result import Attachment, Extraction, PageText
from indexer.extract.worker import extract_in_worker

__all__ = ["extract", "extract_in_worker", "detect_type", "EXTRACTORS", "Extraction", "PageText",
           "Attachment", "describe_ocr_reason"]
