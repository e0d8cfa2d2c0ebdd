"""Resolve user-supplied paths inside a base directory, refusing ../ escapes."""

import posixpath


class UnsafePathError(ValueError):
    pass


def safe_join(base, user_path):
    if "\x00" in user_path:
        raise UnsafePathError("NUL byte in path")
    if posixpath.isabs(user_path):
        raise UnsafePathError("absolute paths are refused")
    joined = posixpath.normpath(posixpath.join(base, user_path))
    if joined != base and not joined.startswith(base.rstrip("/") + "/"):
        raise UnsafePathError(f"{user_path!r} escapes {base!r}")
    return joined
