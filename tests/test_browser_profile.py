"""bench.browser_profile reads the CPU time of the browser's main thread from a Chromium trace."""

import json

from bench.browser_profile import main_thread_seconds


def _task(ts: int, dur: int, tdur: int, tid: int = 2) -> dict:
    return {"ph": "X", "name": "RunTask", "pid": 1, "tid": tid, "ts": ts, "dur": dur, "tdur": tdur}


def test_main_thread_cpu_counts_top_level_tasks_of_the_renderer_main_thread_only(tmp_path):
    events = [
        {"ph": "M", "name": "thread_name", "pid": 1, "tid": 2, "args": {"name": "CrRendererMain"}},
        {"ph": "M", "name": "thread_name", "pid": 1, "tid": 3, "args": {"name": "Compositor"}},
        _task(1_000, 50_000, 40_000),
        _task(2_000, 10_000, 9_000),  # nested in the first: already counted in its time
        _task(100_000, 30_000, 25_000),
        _task(100_000, 500_000, 500_000, tid=3),  # another thread
    ]
    trace = tmp_path / "trace.json"
    trace.write_text(json.dumps({"traceEvents": events}))
    assert main_thread_seconds(trace) == 0.065
