"""A small reader of gettext .po files: enough to check ours (no third-party parser)."""

import ast
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str = ""
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    obsolete: bool = False

    @property
    def key(self) -> str:
        """The key the compiled catalog uses: context EOT msgid."""
        return f"{self.msgctxt}\x04{self.msgid}" if self.msgctxt is not None else self.msgid


def _text(line: str) -> str:
    return ast.literal_eval(line[line.index('"') :])


def read_po(path: Path) -> list[Entry]:
    entries, entry, target = [], Entry(), None
    for raw in path.read_text(encoding="utf-8").splitlines() + [""]:
        line = raw.strip()
        if not line:
            if target is not None:
                entries.append(entry)
            entry, target = Entry(), None
            continue
        if line.startswith("#~"):
            entry.obsolete = True
            continue
        if line.startswith("#,"):
            entry.flags |= {flag.strip() for flag in line[2:].split(",")}
            continue
        if line.startswith("#"):
            continue
        if line.startswith('"'):
            _append(entry, target, _text(line))
            continue
        keyword = line.split()[0]
        target = keyword
        _append(entry, target, _text(line), start=True)
    return [entry for entry in entries if not entry.obsolete]


def _append(entry: Entry, target: str, text: str, start: bool = False) -> None:
    if target.startswith("msgstr"):
        index = int(target[7:-1]) if "[" in target else 0
        entry.msgstr[index] = ("" if start else entry.msgstr.get(index, "")) + text
    elif target == "msgctxt":
        entry.msgctxt = ("" if start or entry.msgctxt is None else entry.msgctxt) + text
    else:
        setattr(entry, target, ("" if start else getattr(entry, target)) + text)
