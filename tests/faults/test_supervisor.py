"""`make run`'s processes stop together whichever way they are stopped: a child killed,
the supervisor told to stop, the supervisor killed outright."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHILDREN = [["sleep", "300"], ["sleep", "301"], ["sleep", "302"]]


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    state = Path(f"/proc/{pid}/stat").read_text().split()[2] if sys.platform == "linux" else ""
    return state != "Z"


@pytest.fixture
def supervisor():
    """A supervisor running three long sleeps; yields (process, child pids)."""
    code = f"from itsm.supervisor import supervise; raise SystemExit(supervise({CHILDREN!r}))"
    process = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT)
    deadline, pids = time.monotonic() + 10, []
    while time.monotonic() < deadline and len(pids) < 3:
        pids = [int(pid) for pid in _children_of(process.pid)]
        time.sleep(0.05)
    assert len(pids) == 3
    yield process, pids
    process.kill()
    for pid in pids:
        if alive(pid):
            os.kill(pid, signal.SIGKILL)


def _children_of(pid: int) -> list[str]:
    tasks = Path(f"/proc/{pid}/task")
    return [c for t in tasks.iterdir() for c in (t / "children").read_text().split()]


def gone(pids, timeout=10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not any(alive(pid) for pid in pids):
            return True
        time.sleep(0.05)
    return False


def test_a_killed_worker_takes_beat_and_server_down_with_it(supervisor):
    process, pids = supervisor
    os.kill(pids[0], signal.SIGKILL)
    assert process.wait(timeout=10) != 0
    assert gone(pids)


def test_stopping_the_supervisor_stops_every_child(supervisor):
    process, pids = supervisor
    process.send_signal(signal.SIGTERM)
    process.wait(timeout=15)
    assert gone(pids)


def test_a_supervisor_killed_outright_still_takes_its_children_with_it(supervisor):
    process, pids = supervisor
    process.kill()
    process.wait()
    assert gone(pids)


def test_make_run_starts_worker_and_beat_as_separate_supervised_processes():
    makefile = (ROOT / "Makefile").read_text()
    assert "manage.py run_local" in makefile and "--beat" not in makefile
