"""AppTest runs share Streamlit's process-wide caches: clear them around every test."""

from __future__ import annotations

import pytest
import streamlit as st


@pytest.fixture(autouse=True)
def _clear_streamlit_caches():
    st.cache_resource.clear()
    st.cache_data.clear()
    yield
    st.cache_resource.clear()
    st.cache_data.clear()
