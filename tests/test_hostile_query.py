"""Every hostile string through every URL query parameter: defaults + a notice, never a crash."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from atlas.viewstate import PARSERS, ViewState, from_query, to_query
from tests.corpus.hostile_text import hostile_strings

STRINGS = hostile_strings()


def test_corpus_is_large():
    assert len(STRINGS) * len(PARSERS) >= 200


@pytest.mark.parametrize("key", sorted(PARSERS))
def test_each_hostile_value_is_rejected_or_harmless(key):
    for value in STRINGS:
        state = from_query({key: value})
        assert isinstance(state, ViewState)
        if key in state.notices:
            assert getattr(state, key) == getattr(ViewState(), key)
        else:  # accepted: then it is clean and round-trips
            assert from_query(to_query(state)) == state
            if key == "q":
                assert state.q.isprintable() and len(state.q) <= 60 and "\x00" not in state.q


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.sampled_from(sorted(PARSERS) + ["unknown", ""]),
                       st.one_of(st.text(), st.lists(st.text(), max_size=3)), max_size=8))
def test_any_query_parses_without_exception(params):
    state = from_query(params)
    assert set(state.notices) <= set(params)
    assert from_query(to_query(state)).lat == state.lat
