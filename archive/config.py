"""Bayegan's configuration: one YAML file, loaded once into frozen dataclasses.

Every key is documented in ``config.yaml`` and in docs/configuration.md (tests/test_config.py checks it).
Relative paths in the file are resolved against the folder that holds the file;
``BAYEGAN_DATA_DIR`` (resolved against the working directory) overrides ``data_dir``, and
``BAYEGAN_SEARCH_ENGINE`` overrides ``search.engine``.
"""
from __future__ import annotations

import ipaddress
import os
from dataclasses import dataclass, field, fields, is_dataclass, replace
from pathlib import Path
from typing import Any, Mapping

import yaml

from archive.errors import ConfigError
from archive.models import KINDS

DEFAULT_CONFIG_NAME = "config.yaml"


def per_core(wanted: int | None) -> int:
    """A number of processes from configuration (``ingest.workers``, ``web.workers``): 0 or None means
    one per CPU core."""
    return max(1, wanted or os.cpu_count() or 1)


@dataclass(frozen=True)
class Organization:
    """An organization of the municipality, with the other names the documents use for it."""

    name: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class FolderRule:
    """Files dropped in an inbox subfolder of this name get this organization and/or kind."""

    folder: str
    organization: str | None = None
    kind: str | None = None


WATCH_MODES = ("inotify", "polling")


def _folder_rules(raw: Any) -> tuple[FolderRule, ...]:
    if raw is None or isinstance(raw, tuple):
        return raw or ()
    if not isinstance(raw, Mapping):
        raise ConfigError("ingest.folder_rules must map folder names to {organization, kind}")
    rules = []
    for folder, rule in raw.items():
        if not isinstance(rule, Mapping) or not set(rule) <= {"organization", "kind"} or not rule:
            raise ConfigError(f"ingest.folder_rules[{folder!r}] must hold 'organization' and/or 'kind'")
        kind, organization = rule.get("kind"), rule.get("organization")
        if kind is not None and kind not in KINDS:
            raise ConfigError(f"ingest.folder_rules[{folder!r}].kind must be one of "
                              f"{', '.join(KINDS)}")
        if organization is not None and not isinstance(organization, str):
            raise ConfigError(f"ingest.folder_rules[{folder!r}].organization must be a string")
        rules.append(FolderRule(str(folder), organization, kind))
    return tuple(rules)


@dataclass(frozen=True)
class IngestConfig:
    max_file_mb: int = 200
    extract_timeout_s: int = 120
    poll_interval_s: float = 2.0
    stable_seconds: float = 2.0
    watch_mode: str = "inotify"
    folder_rules: tuple[FolderRule, ...] = ()
    retries: int = 3
    retry_backoff_s: float = 5.0
    workers: int = 0

    def __post_init__(self):
        if self.watch_mode not in WATCH_MODES:
            raise ConfigError(f"ingest.watch_mode must be one of {', '.join(WATCH_MODES)}")
        object.__setattr__(self, "folder_rules", _folder_rules(self.folder_rules))
        if self.retries < 0 or self.workers < 0:
            raise ConfigError("ingest.retries and ingest.workers must not be negative")


ENGINES = ("whoosh", "tantivy")


@dataclass(frozen=True)
class SearchConfig:
    page_size: int = 20
    max_page_size: int = 100
    writer_memory_mb: int = 128
    engine: str = "whoosh"         # the search engine: whoosh (default) or tantivy (large archives)

    def __post_init__(self):
        if self.engine not in ENGINES:
            raise ConfigError(f"search.engine must be one of {', '.join(ENGINES)}")


def _networks(raw: Any) -> tuple[str, ...]:
    """``web.trusted_proxies``: a list of IP addresses or networks (CIDR), checked here."""
    if raw is None:
        return ()
    if isinstance(raw, str) or not isinstance(raw, (list, tuple)):
        raise ConfigError("web.trusted_proxies must be a list of addresses or networks")
    for item in raw:
        try:
            ipaddress.ip_network(str(item), strict=False)
        except ValueError as exc:
            raise ConfigError(f"web.trusted_proxies: {item!r} is not an address or network") from exc
    return tuple(str(item) for item in raw)


@dataclass(frozen=True)
class WebConfig:
    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = 0               # server processes; 0: one per CPU core
    max_upload_mb: int = 100
    anonymous_read: bool = False   # true: reading needs no login; uploads and admin always do
    secret_key: str | None = None  # None: generated once into <data_dir>/secret_key
    trusted_proxies: tuple[str, ...] = ()  # addresses or networks whose X-Forwarded-For is believed

    def __post_init__(self):
        object.__setattr__(self, "trusted_proxies", _networks(self.trusted_proxies))
        if self.secret_key is not None and (not isinstance(self.secret_key, str)
                                            or len(self.secret_key) < 16):
            raise ConfigError("web.secret_key must be a string of at least 16 characters")


@dataclass(frozen=True)
class Config:
    """The whole configuration. Paths are absolute once loaded."""

    data_dir: Path
    inbox_dir: Path
    failed_dir: Path
    index_dir: Path
    database_url: str
    organizations: tuple[Organization, ...] = ()
    ingest: IngestConfig = field(default_factory=IngestConfig)
    search: SearchConfig = field(default_factory=SearchConfig)
    web: WebConfig = field(default_factory=WebConfig)

    @property
    def originals_dir(self) -> Path:
        return self.data_dir / "originals"


def _section(cls, raw: Any, name: str):
    if raw is None:
        return cls()
    if not isinstance(raw, Mapping):
        raise ConfigError(f"config section {name!r} must be a mapping")
    known = {f.name: f for f in fields(cls)}
    unknown = set(raw) - set(known)
    if unknown:
        raise ConfigError(f"unknown key(s) in {name!r}: {', '.join(sorted(unknown))}")
    values = {}
    for key, value in raw.items():
        default = known[key].default
        if value is not None and isinstance(default, (int, float)) and not isinstance(default, bool):
            if not isinstance(value, (int, float)) or isinstance(value, bool):
                raise ConfigError(f"{name}.{key} must be a number")
            value = type(default)(value)
        if value is not None and isinstance(default, bool) and not isinstance(value, bool):
            raise ConfigError(f"{name}.{key} must be true or false")
        values[key] = value
    return cls(**values)


def _organizations(raw: Any) -> tuple[Organization, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise ConfigError("organizations must be a list")
    result = []
    for item in raw:
        if not isinstance(item, Mapping) or not isinstance(item.get("name"), str):
            raise ConfigError("each organization needs a 'name'")
        aliases = item.get("aliases") or []
        if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
            raise ConfigError(f"aliases of {item['name']!r} must be a list of strings")
        result.append(Organization(name=item["name"], aliases=tuple(aliases)))
    return tuple(result)


def _search_section(raw: Any, env: Mapping[str, str]) -> SearchConfig:
    """The search section; ``$BAYEGAN_SEARCH_ENGINE`` overrides ``search.engine``."""
    section = _section(SearchConfig, raw, "search")
    if env.get("BAYEGAN_SEARCH_ENGINE"):
        section = replace(section, engine=env["BAYEGAN_SEARCH_ENGINE"])
    return section


TOP_LEVEL_KEYS = {"data_dir", "inbox_dir", "failed_dir", "index_dir", "database_url",
                  "organizations", "ingest", "search", "web"}


def config_from_mapping(raw: Mapping[str, Any] | None, base_dir: Path,
                        env: Mapping[str, str] | None = None) -> Config:
    """Build a :class:`Config` from a parsed YAML mapping.

    :raises ConfigError: on unknown keys or values of the wrong type.
    """
    raw = dict(raw or {})
    env = os.environ if env is None else env
    unknown = set(raw) - TOP_LEVEL_KEYS
    if unknown:
        raise ConfigError(f"unknown config key(s): {', '.join(sorted(unknown))}")

    def path_of(value: Any, default: Path, base: Path = base_dir) -> Path:
        if value in (None, ""):
            return default
        if not isinstance(value, str):
            raise ConfigError(f"path {value!r} must be a string")
        return (base / Path(value).expanduser()).resolve()

    data_dir = path_of(raw.get("data_dir"), (base_dir / "documents").resolve())
    if env.get("BAYEGAN_DATA_DIR"):
        data_dir = path_of(env["BAYEGAN_DATA_DIR"], data_dir, base=Path.cwd())
    database_url = raw.get("database_url") or f"sqlite:///{data_dir / 'catalog.sqlite3'}"
    return Config(
        data_dir=data_dir,
        inbox_dir=path_of(raw.get("inbox_dir"), data_dir / "inbox", base=data_dir),
        failed_dir=path_of(raw.get("failed_dir"), data_dir / "failed", base=data_dir),
        index_dir=path_of(raw.get("index_dir"), data_dir / "index", base=data_dir),
        database_url=database_url,
        organizations=_organizations(raw.get("organizations")),
        ingest=_section(IngestConfig, raw.get("ingest"), "ingest"),
        search=_search_section(raw.get("search"), env),
        web=_section(WebConfig, raw.get("web"), "web"),
    )


def load_config(path: str | os.PathLike | None = None,
                env: Mapping[str, str] | None = None) -> Config:
    """Load the configuration file once.

    The file is ``path``, else ``$BAYEGAN_CONFIG``, else ``config.yaml`` in the working directory.
    A missing default file gives the built-in defaults; a missing named file is an error.

    :raises ConfigError: when the file cannot be read or is invalid.
    """
    env = os.environ if env is None else env
    named = path or env.get("BAYEGAN_CONFIG")
    file = config_file(path, env)
    if not file.exists():
        if named:
            raise ConfigError(f"config file not found: {file}")
        return config_from_mapping({}, Path.cwd(), env)
    try:
        raw = yaml.safe_load(file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise ConfigError(f"cannot read config file {file}: {exc}") from exc
    if raw is not None and not isinstance(raw, Mapping):
        raise ConfigError(f"config file {file} must hold a mapping")
    return config_from_mapping(raw, file.resolve().parent, env)


def config_file(path: str | os.PathLike | None = None, env: Mapping[str, str] | None = None) -> Path:
    """The file :func:`load_config` reads: ``path``, else ``$BAYEGAN_CONFIG``, else ``config.yaml`` in
    the working directory."""
    env = os.environ if env is None else env
    named = path or env.get("BAYEGAN_CONFIG")
    return Path(named) if named else Path.cwd() / DEFAULT_CONFIG_NAME


def set_search_engine(file: Path, engine: str) -> None:
    """Set ``search.engine`` in the config file (created when missing), keeping its comments and
    every other key (a round trip through ruamel.yaml), atomically; the file must then load with it.

    :raises ConfigError: for an unknown engine, or a file that cannot be read or written.
    """
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    if engine not in ENGINES:
        raise ConfigError(f"search.engine must be one of {', '.join(ENGINES)}")
    yaml_rt = YAML()
    yaml_rt.preserve_quotes = True
    try:
        data = yaml_rt.load(file.read_text(encoding="utf-8")) if file.exists() else None
    except (OSError, UnicodeDecodeError, YAMLError) as exc:
        raise ConfigError(f"cannot read config file {file}: {exc}") from exc
    if data is None:
        data = yaml_rt.map()
    if not isinstance(data, Mapping):
        raise ConfigError(f"config file {file} must hold a mapping")
    if data.get("search") is None:
        data["search"] = yaml_rt.map()
    data["search"]["engine"] = engine
    tmp = file.with_name(f".{file.name}.tmp")
    try:
        with tmp.open("w", encoding="utf-8") as out:
            yaml_rt.dump(data, out)
        if load_config(tmp, env={}).search.engine != engine:  # never: a check that the file says it
            raise ConfigError(f"could not set search.engine in {file}")
        os.replace(tmp, file)
    except OSError as exc:
        raise ConfigError(f"cannot write config file {file}: {exc}") from exc
    finally:
        tmp.unlink(missing_ok=True)


def documented_keys() -> list[str]:
    """Every configuration key, dotted, for the documentation test."""
    keys = []
    for f in fields(Config):
        keys.append(f.name)
        default = f.default_factory() if callable(f.default_factory) else None  # type: ignore[misc]
        if is_dataclass(default):
            keys.extend(f"{f.name}.{sub.name}" for sub in fields(default))
    return keys
