"""An fsspec filesystem with an object store's rules, kept in a local folder, for tests:
`objtest:///abs/path/out` is the local folder `/abs/path/out`. Objects are written whole
(`pipe_file`, or `put_file` from a local file), read, listed and deleted; there are no
folders to make, and renaming, copying, appending and writing through an open file all
raise, so code that relies on them fails here as it would on S3. Worker processes register
it with `register()`.

`objbucket://` adds buckets as s3fs has them: the folders of `BucketFileSystem.buckets`
are the buckets; writing into a missing one fails, and `makedirs` creates it."""

from __future__ import annotations

import os
import secrets
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, BinaryIO, NoReturn

import fsspec
from fsspec.spec import AbstractFileSystem

PROTOCOL = "objtest"
BUCKET_PROTOCOL = "objbucket"


def register() -> None:
    fsspec.register_implementation(PROTOCOL, ObjectStoreFileSystem, clobber=True)
    fsspec.register_implementation(BUCKET_PROTOCOL, BucketFileSystem, clobber=True)


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
        with self._staged(path) as handle:
            handle.write(value)

    def put_file(self, lpath: str, rpath: str, **kwargs: Any) -> None:
        """An upload streamed from a local file: the object appears whole once complete."""
        with open(lpath, "rb") as source, self._staged(rpath) as handle:
            shutil.copyfileobj(source, handle)

    @contextmanager
    def _staged(self, path: str) -> Iterator[BinaryIO]:
        path = self._strip_protocol(path)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        staging = f"{os.path.dirname(path)}/.upload-{secrets.token_hex(4)}"
        with open(staging, "wb") as handle:
            yield handle
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


class BucketFileSystem(ObjectStoreFileSystem):
    protocol = BUCKET_PROTOCOL
    buckets = Path("/nonexistent")  # the local folder whose folders are the buckets

    def split_path(self, path: str) -> tuple[str, str, None]:
        relative = Path(self._strip_protocol(path)).relative_to(self.buckets)
        return (self.buckets / relative.parts[0]).as_posix(), "/".join(relative.parts[1:]), None

    def makedirs(self, path: str, exist_ok: bool = False) -> None:
        """As s3fs: creates the bucket when it is missing."""
        os.makedirs(self.split_path(path)[0], exist_ok=True)

    @contextmanager
    def _staged(self, path: str) -> Iterator[BinaryIO]:
        if not os.path.isdir(self.split_path(path)[0]):
            raise FileNotFoundError(f"NoSuchBucket: {path}")
        with super()._staged(path) as handle:
            yield handle


def forbidden(operation: str) -> NoReturn:
    raise PermissionError(f"{PROTOCOL}: an object store has no {operation}")
