"""What every ``bayegan`` command shares: the Library of the configuration named on the command line."""
from __future__ import annotations

import click

from archive import ConfigError, load_config
from indexer.library import Library


class ConfigProblem(click.ClickException):
    exit_code = 2


def library_of(ctx: click.Context) -> Library:
    """The Library of the configuration the command was given, made once and closed with the command."""
    obj = ctx.ensure_object(dict)
    if "library" not in obj:
        try:
            config = load_config(obj.get("config_path"))
        except ConfigError as exc:
            raise ConfigProblem(str(exc)) from exc
        obj["library"] = Library(config)
        ctx.call_on_close(obj["library"].close)
    return obj["library"]
