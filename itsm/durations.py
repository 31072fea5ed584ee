"""How a length of time is written everywhere people read one: "3 d 4 h", "2 h 5 min",
"12 min". Columns, SLA ledgers and report tiles differ only in how many units they show."""

_UNITS = ((86400, "d"), (3600, "h"), (60, "min"))


def format_duration(seconds: float, *, units: int = 2, seconds_under_a_minute: bool = False) -> str:
    """`seconds` (its sign ignored) in at most `units` consecutive units from the largest
    one present, units that are zero left out: with two, "3 d 4 h" drops the minutes;
    with three, "1 d 5 min". Under a minute it says "0 min", or "40 s" when
    `seconds_under_a_minute` (report figures, where short times are the point)."""
    seconds = int(abs(seconds))
    amounts, rest = [], seconds
    for size, name in _UNITS:
        amount, rest = divmod(rest, size)
        amounts.append((amount, name))
    first = next((i for i, (amount, _) in enumerate(amounts) if amount), None)
    if first is None:
        return f"{seconds} s" if seconds_under_a_minute else "0 min"
    window = amounts[first : first + units]
    return " ".join(f"{amount} {name}" for amount, name in window if amount)
