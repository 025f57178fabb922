"""An fsspec filesystem with an object store's rules, kept in a local folder, for tests:
`objtest:///abs/path/out` is the local folder `/abs/path/out`. Objects are written whole
(`pipe_file`), read, listed and deleted; there are no folders to make, and renaming,
copying, appending and writing through an open file all raise, so code that relies on
them fails here as it would on S3. Worker processes register it with `register()`."""

from __future__ import annotations

import os
import secrets
import shutil
from pathlib import Path
from typing import Any, NoReturn

import fsspec
from fsspec.spec import AbstractFileSystem

PROTOCOL = "objtest"


def register() -> None:
    fsspec.register_implementation(PROTOCOL, ObjectStoreFileSystem, clobber=True)


def url(folder: Path) -> str:
    return f"{PROTOCOL}://{folder.as_posix()}"


class ObjectStoreFileSystem(AbstractFileSystem):
    protocol = PROTOCOL
    root_marker = "/"

    def ls(self, path: str, detail: bool = True, **kwargs: Any) -> list[Any]:
        path = self._strip_protocol(path)
        if os.path.isfile(path):
            entries = [self.info(path)]
        elif os.path.isdir(path):
            entries = [self.info(f"{path.rstrip('/')}/{name}") for name in sorted(os.listdir(path))]
        else:
            raise FileNotFoundError(path)
        return entries if detail else [entry["name"] for entry in entries]

    def info(self, path: str, **kwargs: Any) -> dict[str, Any]:
        path = self._strip_protocol(path)
        try:
            status = os.stat(path)
        except FileNotFoundError:
            raise FileNotFoundError(path) from None
        kind = "directory" if os.path.isdir(path) else "file"
        return {"name": path, "size": status.st_size if kind == "file" else 0, "type": kind}

    def cat_file(self, path: str, start: Any = None, end: Any = None, **kwargs: Any) -> bytes:
        with open(self._strip_protocol(path), "rb") as handle:
            return handle.read()[start:end]

    def pipe_file(self, path: str, value: bytes, mode: str = "overwrite", **kwargs: Any) -> None:
        """One upload: the object appears whole, its 'folders' with it."""
        path = self._strip_protocol(path)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        staging = f"{os.path.dirname(path)}/.upload-{secrets.token_hex(4)}"
        with open(staging, "wb") as handle:
            handle.write(value)
        os.replace(staging, path)

    def rm_file(self, path: str) -> None:
        os.remove(self._strip_protocol(path))

    def rm(self, path: Any, recursive: bool = False, maxdepth: Any = None) -> None:
        for item in [path] if isinstance(path, str) else path:
            item = self._strip_protocol(item)
            if os.path.isdir(item) and recursive:
                shutil.rmtree(item)
            else:
                os.remove(item)

    def makedirs(self, path: str, exist_ok: bool = False) -> None:
        """Object stores have no folders: nothing to make."""

    def mkdir(self, path: str, create_parents: bool = True, **kwargs: Any) -> None:
        """As makedirs."""

    def _open(self, path: str, mode: str = "rb", **kwargs: Any) -> Any:
        if mode != "rb":
            forbidden(f"open({mode!r})")
        return open(self._strip_protocol(path), "rb")

    def mv(self, *args: Any, **kwargs: Any) -> NoReturn:
        forbidden("rename")

    def rename(self, *args: Any, **kwargs: Any) -> NoReturn:
        forbidden("rename")

    def cp_file(self, *args: Any, **kwargs: Any) -> NoReturn:
        forbidden("copy")


def forbidden(operation: str) -> NoReturn:
    raise PermissionError(f"{PROTOCOL}: an object store has no {operation}")
