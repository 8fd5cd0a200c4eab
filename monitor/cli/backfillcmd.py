"""CLI commands (filled by the module owner)."""

from .root import cli  # noqa: F401
