"""AppTest runs share Streamlit's process-wide caches: clear them around every test.

The cached engine of a test's database is disposed with the cache (its pooled connections
closed at once, not when the garbage collector gets to it), and no background audit sealer
runs in AppTests (the tests of the sealer start it themselves): hundreds of per-test
databases must not hold PostgreSQL connections open.
"""

from __future__ import annotations

import gc

import pytest
import streamlit as st


def _clear() -> None:
    st.cache_resource.clear()
    st.cache_data.clear()
    gc.collect()  # engines dropped from the cache close their pools now


@pytest.fixture(autouse=True)
def _clear_streamlit_caches(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("KISS_AUDIT_SEALER", "uit")
    _clear()
    yield
    _clear()
