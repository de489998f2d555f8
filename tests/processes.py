"""Running the installed `nis` as a separate process, the way faults happen to it: as a user
without special rights, under resource limits, killed or signalled part-way.

When the tests run as root, permissions do not stop root from reading or writing, so the
tests that need a permission to be refused run nis as root without the capabilities that
override file permissions (`setpriv`, from util-linux). Run as an ordinary user, they need
nothing more.
"""
from __future__ import annotations

import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

NIS = Path(sys.executable).with_name("nis")
ROOT = os.geteuid() == 0
# Root without the capabilities that let it read and write whatever the permissions say.
_WITHOUT_OVERRIDE = ["setpriv", "--bounding-set", "-dac_override,-dac_read_search", "--inh-caps",
                     "-dac_override,-dac_read_search", "--"]


def workspace() -> Path:
    """A fresh folder for a test's files, outside pytest's private temporary folder."""
    return Path(tempfile.mkdtemp(prefix="nis-faults-"))


def permissions_apply() -> bool:
    """Whether `run(..., unprivileged=True)` runs nis where file permissions are enforced."""
    return not ROOT or shutil.which("setpriv") is not None


def remove(folder: Path) -> None:
    for item in [folder, *folder.rglob("*")]:
        try:
            if not item.is_symlink():
                os.chmod(item, 0o755 if item.is_dir() else 0o644)
        except OSError:
            pass
    shutil.rmtree(folder, ignore_errors=True)


def _limits(limits: dict[int, int] | None, ignore: tuple[int, ...]):
    def apply() -> None:
        for name, value in (limits or {}).items():
            resource.setrlimit(name, (value, value))
        for number in ignore:
            signal.signal(number, signal.SIG_IGN)
    return apply


def run(args, *, home: Path, limits: dict[int, int] | None = None, ignore: tuple[int, ...] = (),
        timeout: float = 120, unprivileged: bool = False, **kwargs) -> subprocess.CompletedProcess:
    """Run `nis ARGS` to the end; `unprivileged`: where file permissions apply even to root."""
    env = kwargs.pop("env", None) or environment(home)
    return subprocess.run([*_prefix(unprivileged), str(NIS), *map(str, args)], capture_output=True, text=True,
                          timeout=timeout, env=env, preexec_fn=_limits(limits, ignore), **kwargs)


def start(args, *, home: Path, **kwargs) -> subprocess.Popen:
    """Start `nis ARGS` in its own process group (its workers share it), to signal or kill it."""
    return subprocess.Popen([str(NIS), *map(str, args)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env=environment(home), start_new_session=True, **kwargs)


def environment(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NIS_", "PYTEST", "COV_"))}
    env.update(HOME=str(home), NIS_CACHE_DIR=str(home / ".nis-cache"), NO_COLOR="1", PYTHONUNBUFFERED="1",
               LC_ALL="C.UTF-8")
    return env


def _prefix(unprivileged: bool) -> list[str]:
    return _WITHOUT_OVERRIDE if unprivileged and ROOT else []


def group_gone(group: int, within: float) -> bool:
    """Whether every process of a process group has ended within `within` seconds."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            os.killpg(group, 0)
        except ProcessLookupError:
            return True
        except PermissionError:
            pass
        time.sleep(0.05)
    return False


def wait_for_lines(path: Path, lines: int, within: float = 60) -> bool:
    """Whether `path` holds at least `lines` complete lines within `within` seconds."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            if path.read_bytes().count(b"\n") >= lines:
                return True
        except OSError:
            pass
        time.sleep(0.01)
    return False


_MEASURE = """
import resource, subprocess, sys, time
started = time.perf_counter()
done = subprocess.run(sys.argv[2:], capture_output=True, text=True)
seconds = time.perf_counter() - started
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
with open(sys.argv[1], "w") as report:
    report.write(f"{done.returncode}\\n{peak}\\n{seconds}\\n")
sys.stdout.write(done.stdout)
sys.stderr.write(done.stderr)
"""


def peak_memory_mib(args, *, home: Path, timeout: float = 120) -> tuple[subprocess.CompletedProcess, float, float]:
    """Run `nis ARGS` and return the process, its peak resident memory in MiB (the largest of
    nis and its workers) and its wall-clock seconds.

    nis is started from a small Python process that measures it: a process started straight
    from the test process would be charged the test process's own peak by the kernel.
    """
    report = home / ".measure"
    done = subprocess.run([sys.executable, "-c", _MEASURE, str(report), str(NIS), *map(str, args)],
                          capture_output=True, text=True, timeout=timeout, env=environment(home))
    code, peak, seconds = report.read_text().split()
    return (subprocess.CompletedProcess(done.args, int(code), done.stdout, done.stderr), float(peak),
            float(seconds))
