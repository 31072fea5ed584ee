"""What the repository itself holds: no secret in any tracked file, and the code scan that
CI runs (`make audit`) covers every app and finds nothing of high severity."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

from django.apps import apps

ROOT = Path(__file__).resolve().parents[2]
# Well-known shapes of real credentials (the prefixes are split so this file is no match).
SECRET_SHAPES = {
    "private key": re.compile("-----BEGIN ([A-Z]+ )?" + "PRIVATE KEY-----"),
    "AWS access key": re.compile(r"\b" + "AKIA" + r"[0-9A-Z]{16}\b"),
    "GitHub token": re.compile(r"\b" + "gh[pousr]_" + r"[A-Za-z0-9]{36}\b"),
    "Slack token": re.compile(r"\b" + "xox[abposr]-" + r"[A-Za-z0-9-]{10,}"),
    "Google API key": re.compile(r"\b" + "AIza" + r"[0-9A-Za-z_-]{35}\b"),
    "Stripe live key": re.compile(r"\b" + "sk_live_" + r"[0-9A-Za-z]{16,}"),
    "our API token": re.compile(r"\b" + "itsm_" + r"[A-Za-z0-9_-]{43}\b"),
    "our webhook secret": re.compile(r"\b" + "whsec_" + r"[A-Za-z0-9_-]{43}\b"),
    "password in a URL": re.compile(
        r"://[A-Za-z0-9._-]+:(?!password@|pass@|\.\.\.@|x@)[^@\s/]{6,}@"
    ),
}
# `.env.example` is the compose template (placeholders only; its text is scanned like any file).
SECRET_FILE_NAMES = re.compile(
    r"(^|/)(\.env(\.(?!example$).+)?|id_[rd]sa|.*\.pem|.*\.key|.*\.p12|.*\.pfx)$"
)


def tracked_files() -> list[Path]:
    if shutil.which("git") and (ROOT / ".git").exists():
        listing = subprocess.run(
            ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True
        ).stdout.decode()
        return [ROOT / name for name in listing.split("\0") if name]
    skip = {".venv", "var", "staticfiles", "test-artifacts", ".git", "__pycache__"}
    return [p for p in ROOT.rglob("*") if p.is_file() and not skip & set(p.parts)]


def test_no_tracked_file_holds_a_secret():
    found = []
    for path in tracked_files():
        relative = path.relative_to(ROOT).as_posix()
        if SECRET_FILE_NAMES.search(relative):
            found.append(f"{relative}: a key or environment file")
            continue
        try:
            text = path.read_text(errors="ignore")
        except (IsADirectoryError, FileNotFoundError):
            continue
        found += [
            f"{relative}: {kind}" for kind, shape in SECRET_SHAPES.items() if shape.search(text)
        ]
    assert found == []


def test_the_secret_scan_recognises_what_it_looks_for():
    samples = {
        "private key": "-----BEGIN RSA " + "PRIVATE KEY-----",
        "our API token": "itsm_" + "a" * 43,
        "password in a URL": "postgres://itsm:" + "s3cr3t-pw" + "@db:5432/itsm",
    }
    for kind, sample in samples.items():
        assert SECRET_SHAPES[kind].search(sample), kind
    assert not SECRET_SHAPES["password in a URL"].search("postgres://itsm:password@db/itsm")


def _own_apps() -> set[str]:
    return {
        config.name.split(".")[0]
        for config in apps.get_app_configs()
        if Path(config.path).resolve().is_relative_to(ROOT) and ".venv" not in config.path
    }


def _bandit_targets() -> list[str]:
    makefile = (ROOT / "Makefile").read_text()
    line = next(line for line in makefile.splitlines() if "bandit" in line and " -r " in line)
    targets = line.split(" -r ", 1)[1].split(" --", 1)[0].split()
    return targets


def test_make_audit_scans_every_app_of_the_project():
    assert {"incidents", "portal", "api", "integrations"} <= _own_apps()
    assert _own_apps() | {"itsm"} <= set(_bandit_targets())


def test_the_code_scan_finds_nothing_of_high_severity():
    bandit = str(Path(sys.executable).parent / "bandit")
    command = [bandit, "-q", "-c", "pyproject.toml", "-r", *_bandit_targets()]
    result = subprocess.run(
        [*command, "--severity-level", "high"], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_environment_files_are_refused_but_the_compose_template_is_not():
    for name in (".env", ".env.production", "deploy/.env.local"):
        assert SECRET_FILE_NAMES.search(name), name
    assert not SECRET_FILE_NAMES.search(".env.example")
