from atlas.viewstate import ViewState, from_query, to_query


def test_defaults_round_trip_to_empty_query():
    assert to_query(ViewState()) == {}
    assert from_query({}) == ViewState()


def test_round_trip_of_a_full_state():
    state = ViewState(lat=36.2, lon=120.5, zoom=12, basemap="amap", lang="en", layers=("resources",),
                      clusters=("aoshan",), districts=("jimo", "laoshan"), types=("university",),
                      statuses=("operating",), q="海洋", selected="res_ouc")
    q = to_query(state)
    assert q["districts"] == "jimo,laoshan" and q["basemap"] == "amap"
    assert from_query(q) == state


def test_empty_layers_means_none_shown():
    assert from_query({"layers": ""}).layers == ()


def test_bad_values_fall_back_and_are_named():
    s = from_query({"zoom": "99", "lat": "91", "lang": "fr", "types": "university,<b>", "q": "ok"})
    assert (s.zoom, s.lat, s.lang, s.types, s.q) == (ViewState().zoom, ViewState().lat, "zh", (), "ok")
    assert set(s.notices) == {"zoom", "lat", "lang", "types"}


def test_control_characters_are_stripped_from_search():
    assert from_query({"q": "海洋\x00大学\n"}).q == "海洋大学"


def test_list_values_take_the_last():
    assert from_query({"lang": ["zh", "en"]}).lang == "en"
