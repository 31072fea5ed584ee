"""The load benchmark's pure helpers (bench/harness.py, bench/load.py): no server, no load."""

import time

from bench import harness, load


def test_fill_makes_the_substitutions_of_the_wrk_script():
    assert load.fill("/api/v1/incidents/INC{id07}/", "", 1234) == "/api/v1/incidents/INC0001234/"
    assert load.fill("/admin/x/{id}/change/", "", 42) == "/admin/x/42/change/"
    assert load.fill('{"dedup_key": "load-{n}"}', "r1-7", 1) == '{"dedup_key": "load-r1-7"}'


def test_memory_is_read_in_mib_from_proc_status():
    status = "Name:\tgunicorn\nVmHWM:\t  204800 kB\nVmRSS:\t  102400 kB\nThreads:\t1\n"
    assert harness.parse_memory(status) == {"vmhwm": 200.0, "vmrss": 100.0}
    own = harness.memory_tree(1)  # any process will do: the shape of a reading
    assert set(own) == {"parent", "children"}


def test_peak_and_growth_between_two_readings():
    first = {"children": {1: {"vmrss": 100.0, "vmhwm": 110.0}, 2: {"vmrss": 90.0, "vmhwm": 95.0}}}
    second = {"children": {1: {"vmrss": 101.5, "vmhwm": 120.0}, 2: {"vmrss": 96.0, "vmhwm": 96.0}}}
    assert load.peak(second) == 120.0
    assert load.growth(first, second) == 6.0
    assert load.growth(first, {"children": {3: {"vmrss": 500.0}}}) == 0  # worker replaced


def test_rate_falls_back_to_littles_law_for_slow_pages():
    fast = {"requests": 600, "duration_us": 15_000_000, "mean_us": 10_000}
    slow = {"requests": 3, "duration_us": 15_000_000, "mean_us": 8_000_000}
    assert load.rate(fast, 4) == 40
    assert load.rate(slow, 4) == 0.5
    assert load.rate({"requests": 0, "duration_us": 1, "mean_us": 0}, 4) == 0


def test_busy_percent_of_the_whole_machine():
    assert harness.busy_percent((100, 1000), (150, 1100)) == 50.0


def test_acknowledgements_and_duplicates_are_counted_from_subjects():
    smtp = load.CountingSMTP()
    now = time.monotonic()
    smtp.messages += [
        (now, ("alice@example.com",), "[INC0000007] Received: Pipeline Pabc 1"),
        (now + 1, ("network@example.com",), "[INC0000007] New P3 incident: Pipeline Pabc 1"),
        (now + 2, ("alice@example.com",), "[INC0000008] Received: Pipeline Pabc 2"),
        (now + 3, ("alice@example.com",), "[INC0000008] Received: Pipeline Pabc 2"),
        (now + 4, ("alice@example.com",), "[INC0000009] Received: Pipeline Pzzz 1"),
    ]
    assert smtp.acknowledgements("Pabc") == {"INC0000007": now, "INC0000008": now + 2}
    assert smtp.duplicates() == 1
