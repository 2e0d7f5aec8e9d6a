"""The inflow benchmark measures what it says: every row and message really written."""

from benchmarks.inflows import bench_inflows


def test_inflow_benchmark_writes_every_signal_and_message():
    result = bench_inflows(n_signals=300, n_messages=12)
    assert (result["signals_inserted"], result["allocated"]) == (300, 12)
    assert result["signal_rows_per_s"] > 0 and result["messages_per_s"] > 0
