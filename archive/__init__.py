"""The archive: originals stored by content hash, and the catalog that describes them."""
from archive.catalog import Catalog
from archive.config import Config, Organization, load_config
from archive.errors import ArchiveError, ConfigError, DocumentNotFound, StoreError
from archive.models import (KINDS, Correction, CorrectionHistory, Document, Page, Resolution,
                            ResolutionReference, ResolutionState, ResolutionStateChange, document_id_for)
from archive.store import DocumentStore, hash_file

__all__ = [
    "ArchiveError", "Catalog", "Config", "ConfigError", "Correction", "CorrectionHistory", "Document",
    "DocumentNotFound", "ResolutionReference", "ResolutionState", "ResolutionStateChange",
    "DocumentStore", "KINDS", "Organization", "Page", "Resolution", "StoreError",
    "document_id_for", "hash_file", "load_config",
]
