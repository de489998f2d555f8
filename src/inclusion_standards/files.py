"""Reading inputs and writing outputs without trusting what a path names.

Inputs: a path given to nis may name a named pipe (reading it blocks for ever), a device
(`/dev/zero` never ends), a folder, a link to itself, or a file that grows while it is read.
`read_limited` opens without blocking, refuses anything but a regular file, and never reads
more than the limit plus one byte, so each of these is one clear refusal.

Outputs: nis writes a file only by writing a temporary file beside it and renaming it over
the target, so the target is either the old file or the whole new one, and a symbolic link
or a device at the target is never written through. A target that exists and is not a
regular file (a link, a device, a pipe, a folder) is refused before anything is read.
`OutputLock` keeps two runs off the same output, and `same_file` recognises one file under
two spellings (a link, `./`, `..`), so an output can be checked against the inputs.
"""
from __future__ import annotations

import contextlib
import errno
import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any, BinaryIO, TypeAlias

try:
    import fcntl

    _LOCKS = True
except ImportError:  # pragma: no cover - not a POSIX system: runs are not locked
    _LOCKS = False

#: A path as the user or the file system gives it.
StrPath: TypeAlias = "str | os.PathLike[str]"

__all__ = ["NotAFile", "OutputLock", "OutputRefused", "TooLarge", "cannot_write", "display_path", "identity",
           "kind_of", "open_for_appending", "open_regular", "read_limited", "refuse_unsafe_target", "replacing",
           "same_file", "write_atomically"]


class NotAFile(Exception):  # noqa: N818 - says what the input is, as the message does
    """The path names something other than a regular file (`kind` says what)."""

    def __init__(self, kind: str):
        super().__init__(kind)
        self.kind = kind


class TooLarge(Exception):  # noqa: N818 - says what the input is, as the message does
    """The file holds more bytes than the limit (`size` is what was seen: at least limit + 1)."""

    def __init__(self, size: int):
        super().__init__(size)
        self.size = size


class OutputRefused(Exception):  # noqa: N818 - says what nis did with the output
    """An output cannot be written safely; the message says why, in words for the user."""


def kind_of(mode: int) -> str:
    """What a file mode names, in words: "a folder", "a named pipe (FIFO)", ..."""
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    return "not a regular file"


def display_path(path: StrPath | bytes | os.PathLike[bytes]) -> str:
    """A path as text that every output can hold: bytes that are not UTF-8 (a file name from
    another system) are shown as `\\xe9` escapes instead of lone surrogates."""
    text = os.fspath(path)
    if isinstance(text, bytes):
        return text.decode("utf-8", "backslashreplace")
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        return os.fsencode(text).decode("utf-8", "backslashreplace")


# ---- inputs ----------------------------------------------------------------------------------

def open_regular(path: StrPath) -> BinaryIO:
    """A regular file opened for reading; never blocks on a pipe or a device.

    Raises OSError for what the system refuses (missing, no permission, a link loop) and
    NotAFile for anything that is not a regular file.
    """
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
    fd = os.open(path, flags)
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise NotAFile(kind_of(mode))
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def inside(path: StrPath, folder: Path) -> bool:
    """Whether `path`, with every link followed, is in `folder` (a resolved folder)."""
    try:
        return Path(os.path.realpath(path)).is_relative_to(folder)
    except (OSError, ValueError):
        return False


def read_limited(path: StrPath, limit: int) -> bytes:
    """The bytes of a regular file of at most `limit` bytes.

    Reads at most `limit + 1` bytes whatever the file claims its size is, so a file that
    grows while it is read cannot make nis read without end. Raises OSError, NotAFile or
    TooLarge.
    """
    with open_regular(path) as handle:
        size = os.fstat(handle.fileno()).st_size
        if size > limit:
            raise TooLarge(size)
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise TooLarge(len(data))
    return data


# ---- identity --------------------------------------------------------------------------------

def identity(path: StrPath) -> tuple[int, int] | None:
    """(device, inode) of the file `path` names, following links; None if it does not exist."""
    try:
        info = os.stat(path)
    except (OSError, ValueError):
        return None
    return info.st_dev, info.st_ino


def _spelling(path: StrPath) -> str:
    """One spelling for a path that may not exist yet: its folder resolved, then its name."""
    absolute = Path(os.path.abspath(path))
    return os.path.normcase(os.path.join(os.path.realpath(absolute.parent), absolute.name))


def same_file(a: StrPath, b: StrPath) -> bool:
    """Whether `a` and `b` name the same file: the same inode when both exist (through any
    link or spelling), else the same resolved path."""
    first, second = identity(a), identity(b)
    if first is not None and second is not None:
        return first == second
    return _spelling(a) == _spelling(b)


# ---- outputs ---------------------------------------------------------------------------------

def refuse_unsafe_target(path: StrPath, flag: str) -> None:
    """Refuse an output path that names anything but a regular file or nothing yet.

    A symbolic link is refused rather than followed: writing through it could overwrite any
    file its maker chose. `flag` names the option in the message (`--out`).
    """
    shown = display_path(path)
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        folder = os.path.dirname(os.path.abspath(path))
        if os.path.exists(folder) and not os.path.isdir(folder):
            raise OutputRefused(f"{flag} {shown}: {display_path(folder)} is not a folder") from None
        return
    except OSError as exc:
        raise OutputRefused(f"{flag} {shown}: {exc.strerror or exc}") from None
    if stat.S_ISLNK(info.st_mode):
        raise OutputRefused(f"{flag} {shown} is a symbolic link (to {display_path(os.readlink(path))}); nis "
                            "writes only to a regular file it can replace: give the path of the file itself")
    if not stat.S_ISREG(info.st_mode):
        raise OutputRefused(f"{flag} {shown} is {kind_of(info.st_mode)}, not a file; nis writes only to "
                            "regular files")


def write_atomically(path: StrPath, data: bytes, flag: str = "output") -> None:
    """Write `data` to `path` whole or not at all (see `replacing`)."""
    with replacing(path, flag) as handle:
        handle.write(data)


@contextmanager
def replacing(path: StrPath, flag: str = "output", text: bool = False) -> Iterator[IO[Any]]:
    """A file to write `path` through: a temporary file in the same folder, renamed over the
    target when the block ends, so the target is never half written and a link or device at
    `path` is never written through. If the block fails the temporary file is removed.

    Raises OutputRefused (with the system's reason: a full disk, a read-only folder).
    """
    import tempfile  # here: a check that writes only to the terminal never needs it

    target = Path(path)
    refuse_unsafe_target(target, flag)
    folder = target.parent if str(target.parent) else Path(".")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".nis-tmp", dir=folder)
    except OSError as exc:
        raise OutputRefused(cannot_write(target, exc)) from None
    try:
        handle: IO[Any]
        with os.fdopen(fd, "w", encoding="utf-8") if text else os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, 0o666 & ~_umask())
        os.replace(temporary, target)
    except OSError as exc:
        _remove(temporary)
        raise OutputRefused(cannot_write(target, exc)) from None
    except BaseException:
        _remove(temporary)
        raise


def open_for_appending(path: StrPath, *, truncate: bool, flag: str = "output") -> BinaryIO:
    """`path` opened to append to (emptied first if `truncate`), refusing a link, a pipe or a
    device at that name: the working file of a batch, which only nis writes. The file is not
    buffered: what `write` returns has reached the system, and a failed write leaves nothing
    behind to fail again when the file is closed."""
    flags = (os.O_WRONLY | os.O_CREAT | os.O_APPEND | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0)
             | getattr(os, "O_CLOEXEC", 0))
    try:
        fd = os.open(path, flags, 0o666)
    except OSError as exc:
        if exc.errno in (errno.ELOOP, errno.ENXIO):
            raise OutputRefused(f"{flag} {display_path(path)} is a symbolic link or a pipe; nis writes only "
                                "to regular files") from None
        raise OutputRefused(cannot_write(Path(path), exc)) from None
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise OutputRefused(f"{flag} {display_path(path)} is {kind_of(mode)}, not a file")
        os.set_blocking(fd, True)
        if truncate:
            os.ftruncate(fd, 0)
        return os.fdopen(fd, "ab", buffering=0)
    except OSError as exc:
        os.close(fd)
        raise OutputRefused(cannot_write(Path(path), exc)) from None
    except BaseException:
        os.close(fd)
        raise


def cannot_write(path: StrPath, exc: OSError) -> str:
    """The message for an output that failed to write: the file, the system's reason, a hint."""
    reason = exc.strerror or str(exc)
    hint = {errno.ENOSPC: "free some space", errno.EROFS: "choose a folder you can write to",
            errno.EACCES: "choose a folder you can write to", errno.EPERM: "choose a folder you can write to",
            errno.EDQUOT: "free some space or raise your quota", errno.EFBIG: "the file is larger than "
            "this system allows"}.get(exc.errno) if exc.errno is not None else None
    return f"cannot write {display_path(path)}: {reason}" + (f" ({hint})" if hint else "")


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _remove(path: StrPath) -> None:
    with contextlib.suppress(OSError):
        os.unlink(path)


class OutputLock:
    """An exclusive lock on an output for the length of a run, held on a hidden file beside it
    (`.NAME.nis-lock`). A second run on the same output is refused at once, never queued.

    The lock is the kernel's (flock): it goes when the process does, however it ends, so a
    killed run never leaves a stale lock behind.
    """

    def __init__(self, path: StrPath, flag: str = "output"):
        self.path = Path(path)
        self.flag = flag
        self.lock_path = self.path.with_name(f".{self.path.name}.nis-lock")
        self._fd: int | None = None

    def __enter__(self) -> OutputLock:
        if not _LOCKS:  # pragma: no cover
            return self
        while True:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0)
                             | getattr(os, "O_CLOEXEC", 0), 0o600)
            except OSError as exc:
                raise OutputRefused(cannot_write(self.lock_path, exc)) from None
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                os.close(fd)
                raise OutputRefused(f"{self.flag} {display_path(self.path)} is being written by another nis run "
                                    "(it holds the lock "
                                    f"{display_path(self.lock_path)}); wait for it to finish, or give "
                                    "another file") from None
            # The lock file may have been removed by a run that just finished: then this lock
            # is on a file no other run can find, so take the lock again on the new one.
            if self._same(fd):
                self._fd = fd
                return self
            os.close(fd)

    def _same(self, fd: int) -> bool:
        info = os.fstat(fd)
        return identity(self.lock_path) == (info.st_dev, info.st_ino)

    def __exit__(self, *exc: object) -> None:
        if self._fd is not None:
            _remove(self.lock_path)
            os.close(self._fd)
            self._fd = None
