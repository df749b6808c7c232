"""Where a client's token comes from: a literal, an environment variable or a file.

A file is re-read at every use so that a booking system can rotate the token
without restarting the client.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path


class TokenUnavailable(Exception):
    """The token could not be read (missing file, empty file, unset variable)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class TokenSource:
    """Exactly one of ``value``, ``path`` or ``env_var`` is set."""

    value: str | None = None
    path: Path | None = None
    env_var: str | None = None

    def read(self, environ: Mapping[str, str] | None = None) -> str:
        """Return the current token, stripped of white space.

        Raises:
            TokenUnavailable: the source holds no token now.
        """
        if self.value is not None:
            token = self.value
        elif self.path is not None:
            try:
                token = self.path.read_text(encoding="utf-8")
            except OSError as exc:
                raise TokenUnavailable(f"cannot read token file {self.path}: {exc.strerror}") from exc
        elif self.env_var is not None:
            env = os.environ if environ is None else environ
            token = env.get(self.env_var, "")
        else:
            raise TokenUnavailable("no token source configured")
        token = token.strip()
        if not token:
            raise TokenUnavailable("token is empty")
        return token

    def describe(self) -> str:
        """A label for logs that never contains the token itself."""
        if self.path is not None:
            return f"file:{self.path}"
        if self.env_var is not None:
            return f"env:{self.env_var}"
        return "literal"
