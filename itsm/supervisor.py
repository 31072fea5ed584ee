"""Runs the processes of `make run` (web server, Celery worker, Celery beat) as one unit:
they start together and stop together, whichever way the unit is stopped.

- Ctrl-C or SIGTERM to the supervisor: every child's process group is stopped, then it
  exits.
- One child exits or is killed (a SIGKILLed worker): the others are stopped too, so a
  beat never outlives its worker and the next `make run` starts from nothing.
- The supervisor itself SIGKILLed, or `make` killed: Linux delivers SIGTERM to every child
  (PR_SET_PDEATHSIG), and to the supervisor when its own parent dies; worker and beat are
  single processes here (solo pool), so nothing of them survives.
Beat also holds a pid file, so a second beat started by mistake refuses to run.
"""

import contextlib
import ctypes
import os
import signal
import subprocess
import sys
import time

PR_SET_PDEATHSIG = 1
STOP_GRACE_SECONDS = 10


def die_with_parent() -> None:
    """Ask Linux to send SIGTERM to this process when its parent dies (no-op elsewhere)."""
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)


def _start(command: list[str]) -> subprocess.Popen:
    """Each child leads its own process group, so stopping it stops what it started too
    (the development server's reloader runs the server in a second process)."""
    return subprocess.Popen(command, preexec_fn=die_with_parent, process_group=0)  # noqa: S603


def _signal_group(child: subprocess.Popen, signum: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(child.pid, signum)


def _stop(children: list[subprocess.Popen]) -> None:
    for child in children:
        _signal_group(child, signal.SIGTERM)
    deadline = time.monotonic() + STOP_GRACE_SECONDS
    for child in children:
        try:
            child.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            _signal_group(child, signal.SIGKILL)
            child.wait()


def supervise(commands: list[list[str]], poll_seconds: float = 0.5) -> int:
    """Start `commands`, return when one of them ends or a stop signal arrives, stopping
    the others first. Returns the exit status of the child that ended (1 on a signal)."""
    die_with_parent()

    def stop_signal(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop_signal)
    children = [_start(command) for command in commands]
    try:
        while True:
            for child in children:
                if child.poll() is not None:
                    print(f"{' '.join(child.args[:4])} ended; stopping the rest.", file=sys.stderr)
                    return child.returncode or 1
            time.sleep(poll_seconds)
    except KeyboardInterrupt:
        return 1
    finally:
        _stop(children)
