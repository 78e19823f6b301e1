"""The archive: originals stored by content hash, the catalog that describes them, the configuration,
and the accounts, sessions and API tokens of the people and scripts that use it."""
from archive.catalog import Catalog
from archive.config import Config, Organization, load_config, per_core
from archive.errors import ArchiveError, ConfigError, DocumentNotFound, StoreError
from archive.models import (KIND_WORDS, KINDS, Correction, CorrectionHistory, Document, Page, Resolution,
                            ResolutionReference, ResolutionState, ResolutionStateChange, document_id_for,
                            kind_named)
from archive.saved_searches import SavedSearch, SavedSearchError, SavedSearches, SavedSearchNotFound
from archive.sessions import LIFETIME as SESSION_LIFETIME, WebSessions
from archive.store import DocumentStore, hash_file
from archive.throttle import LoginThrottle
from archive.tokens import ApiTokens
from archive.users import ROLE_RANK, ROLES, AccountError, Accounts, User

__all__ = [
    "ArchiveError", "Catalog", "Config", "ConfigError", "Correction", "CorrectionHistory", "Document",
    "DocumentNotFound", "ResolutionReference", "ResolutionState", "ResolutionStateChange",
    "DocumentStore", "KIND_WORDS", "KINDS", "Organization", "Page", "Resolution", "StoreError",
    "document_id_for", "hash_file", "kind_named", "load_config",
    "AccountError", "Accounts", "ApiTokens", "LoginThrottle", "ROLES", "ROLE_RANK", "SESSION_LIFETIME",
    "SavedSearch", "SavedSearchError", "SavedSearchNotFound", "SavedSearches", "User", "WebSessions",
    "per_core",
]
