"""The one list of project files that never enter a sandbox: they are neither copied nor mounted."""

from __future__ import annotations

from fnmatch import fnmatchcase
from pathlib import Path

# File names (shell patterns, case-sensitive) of credentials and keys. docs/projects.md shows it.
SECRET_FILE_PATTERNS: tuple[str, ...] = (
    ".env",
    ".env.*",
    "*.env",
    "*.pem",
    "*.key",
    "*.p12",
    "*.pfx",
    "*.keystore",
    "*.jks",
    "id_rsa*",
    "id_dsa*",
    "id_ecdsa*",
    "id_ed25519*",
    ".netrc",
    "_netrc",
    ".pypirc",
    ".git-credentials",
    ".npmrc",
    ".htpasswd",
    "credentials",
    "credentials.json",
    "credentials.yaml",
    "credentials.yml",
    "credentials.toml",
    "credentials.ini",
    "*.credentials",
    "secrets.json",
    "secrets.yaml",
    "secrets.yml",
    "secrets.toml",
)

# Directories never copied: hidden ones (.git, .ssh, .aws, .venv, caches), bytecode, node modules.
SKIPPED_DIRECTORY_NAMES: tuple[str, ...] = ("__pycache__", "node_modules")


def is_secret(path: Path) -> bool:
    """Whether a file's name marks it as a credential or key (see `SECRET_FILE_PATTERNS`)."""
    return any(fnmatchcase(path.name, pattern) for pattern in SECRET_FILE_PATTERNS)


def is_skipped_directory(path: Path) -> bool:
    """Whether a directory is left out of a copy: hidden, a cache, or a virtual environment."""
    return (
        path.name.startswith(".")
        or path.name in SKIPPED_DIRECTORY_NAMES
        or (path / "pyvenv.cfg").is_file()
    )
