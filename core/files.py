"""The one way the atlas writes a file: whole or not at all, never over a special file.

:func:`write_atomic` writes through a temporary file and ``os.replace``;
:func:`write_together` writes a result and its sidecar all or none;
:func:`writable_target` refuses devices, FIFOs, sockets and folders; :func:`write_folder` writes a
result set (a folder of files) whole. The base of the
code (imports nothing of the project), so every layer writes files the same way.
"""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
from pathlib import Path


def writable_target(path: str | Path) -> Path:
    """The file to (re)place for ``path``: refuses anything that is not a regular file.

    A character/block device, FIFO, socket or folder — or a symbolic link to one, or a
    dangling link — is never replaced (as root, ``--out /dev/null`` would otherwise
    swap the system's ``/dev/null`` for a file). A link to a regular file is followed:
    the real file is replaced and the link stays.
    """
    path = Path(path)
    if path.is_symlink():
        real = Path(os.path.realpath(path))
        if not real.exists():
            msg = f"refusing to write through {path}: it is a symbolic link to nothing or to a special file"
            raise ValueError(msg)
        path = real
    if path.exists() and not stat.S_ISREG(path.stat().st_mode):
        msg = f"refusing to replace {path}: it is not a regular file (a device, pipe, socket or folder)"
        raise ValueError(msg)
    return path


def write_atomic(path: str | Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` via a temporary file + ``os.replace``: never half a file,
    never over anything but a regular file (:func:`writable_target`)."""
    return write_together([(path, data)])[0]


def write_together(files: list[tuple[str | Path, bytes]]) -> list[Path]:
    """Write several files (a result and its sidecar) all or none.

    Every file is first written and synced to a ``.part`` beside its target; only
    when all are complete are they renamed into place. If a rename fails, targets
    already replaced get their previous content back (kept as hard links) or are
    removed; on any error or interrupt no ``.part`` is left behind.
    """
    targets = [writable_target(p) for p, _ in files]
    for target in targets:
        target.parent.mkdir(parents=True, exist_ok=True)
    staged: list[str] = []
    backups: list[tuple[Path, str | None, bool]] = []  # (target, previous content, replaced yet)
    try:
        for target, (_, data) in zip(targets, files, strict=True):
            staged.append(_stage(target, data))
        for target, tmp in zip(targets, staged, strict=True):
            backups.append((target, _backup(target), False))
            os.replace(tmp, target)
            backups[-1] = (target, backups[-1][1], True)
    except BaseException:
        _roll_back(staged, backups)
        raise
    for _, old, _ in backups:
        if old is not None:
            Path(old).unlink(missing_ok=True)
    return targets


def _roll_back(staged: list[str], backups: list[tuple[Path, str | None, bool]]) -> None:
    for tmp in staged:
        Path(tmp).unlink(missing_ok=True)
    for target, old, replaced in backups:
        if replaced and old is not None:
            os.replace(old, target)  # the previous content comes back
        elif replaced:
            target.unlink(missing_ok=True)  # it did not exist before
        elif old is not None:
            Path(old).unlink(missing_ok=True)


def _stage(target: Path, data: bytes) -> str:
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".atlas-", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; a normal file is wanted
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return tmp


def _backup(target: Path) -> str | None:
    """A hard link to the file about to be replaced (None when there is none)."""
    if not target.exists():
        return None
    backup = f"{target.parent}/.atlas-{os.getpid()}-{target.name[:40]}.bak"
    Path(backup).unlink(missing_ok=True)
    try:
        os.link(target, backup)
    except OSError:  # a file system without hard links
        shutil.copy2(target, backup)
    return backup


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def check_folder(folder: str | Path, names: list[str]) -> Path:
    """Refuse, before any work, a result folder that cannot take ``names``: ``folder`` is not a folder, or
    one of the files in it is a device, FIFO, socket, folder or a link to one (:func:`writable_target`)."""
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        msg = f"refusing to write into {folder}: it exists and is not a folder"
        raise ValueError(msg)
    if not folder.parent.is_dir():
        msg = f"output folder {str(folder.parent)!r} does not exist"
        raise ValueError(msg)
    for name in names:
        writable_target(folder / name)
    return folder


def write_folder(folder: str | Path, files: dict[str, bytes]) -> list[Path]:
    """A result set, whole or not at all.

    A new ``folder`` is written as a temporary folder beside it and renamed into place in one step; into an
    existing folder (other files in it stay untouched) the files go all-or-none by :func:`write_together`.
    """
    folder = check_folder(folder, list(files))
    if folder.exists():
        return write_together([(folder / name, data) for name, data in files.items()])
    tmp = Path(tempfile.mkdtemp(dir=folder.parent, prefix=f".atlas-{folder.name[:40]}-", suffix=".part"))
    try:
        for name, data in files.items():
            path = tmp / name
            with open(path, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            os.chmod(path, 0o666 & ~_umask())
        os.chmod(tmp, 0o777 & ~_umask())
        os.rename(tmp, folder)  # fails (nothing replaced) if the folder appeared meanwhile
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return [folder / name for name in files]


def replace_block(path: str | Path, begin: str, end: str, body: str) -> bool:
    """Rewrite the text between the ``begin`` and ``end`` markers of a text file (a README's generated
    figures); False, and nothing written, when the file lacks either marker."""
    path = Path(path)
    text = path.read_text(encoding="utf-8")
    if begin not in text or end not in text:
        return False
    head, rest = text.split(begin, 1)
    _, tail = rest.split(end, 1)
    path.write_text(f"{head}{begin}\n{body}\n{end}{tail}", encoding="utf-8")
    return True
