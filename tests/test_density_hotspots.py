"""Gi* hot spots by the book: conditional permutations, Benjamini-Hochberg, minimum neighbours.

Property tests on Qingdao's own land (the committed city outline): complete spatial
randomness is (almost) never called hot or cold; a planted cluster is.
"""

import geopandas as gpd
import h3
import numpy as np
import pandas as pd
import pytest
import shapely

from analysis.density import hexagons, hot_spots
from analysis.density.hexes import bh_adjusted
from core.crs import MEASURE_CRS, WGS84
from layers import coast


@pytest.fixture(scope="module")
def city():
    return coast.load_city()


def uniform_on_land(city, n: int, seed: int) -> gpd.GeoDataFrame:
    """n points uniform by area (EPSG:4549) on Qingdao's land."""
    land = city.to_crs(MEASURE_CRS).union_all()
    rng = np.random.default_rng(seed)
    x0, y0, x1, y1 = land.bounds
    xy = np.empty((0, 2))
    while len(xy) < n:
        x, y = rng.uniform(x0, x1, 4 * n), rng.uniform(y0, y1, 4 * n)
        keep = shapely.contains_xy(land, x, y)
        xy = np.vstack([xy, np.column_stack([x[keep], y[keep]])])
    xy = xy[:n]
    return gpd.GeoDataFrame(geometry=gpd.points_from_xy(xy[:, 0], xy[:, 1]), crs=MEASURE_CRS).to_crs(WGS84)


@pytest.mark.parametrize(("n", "seed"), [(200, 11), (3000, 12)])
def test_complete_spatial_randomness_flags_at_most_five_percent(city, n, seed):
    out = hot_spots(hexagons(uniform_on_land(city, n, seed), resolution=7, land=city))
    flagged = out["gi_class"].isin(["hot", "cold"]).mean()
    assert flagged <= 0.05
    assert flagged < 0.01  # with the FDR correction about none is expected
    assert out.attrs["params"]["correction"] == "Benjamini-Hochberg FDR"


def test_a_planted_cluster_is_found(city):
    """140 uniform points + 60 within ~1.5 km of a place in 崂山 (the issue's 200-point case)."""
    background = uniform_on_land(city, 140, 5)
    centre = gpd.GeoSeries.from_xy([120.45], [36.1], crs=WGS84).to_crs(MEASURE_CRS).iloc[0]
    rng = np.random.default_rng(5)
    cluster = gpd.GeoDataFrame(geometry=gpd.points_from_xy(centre.x + rng.normal(0, 1500, 60),
                                                           centre.y + rng.normal(0, 1500, 60)),
                               crs=MEASURE_CRS).to_crs(WGS84)
    out = hot_spots(hexagons(pd.concat([background, cluster], ignore_index=True), resolution=7, land=city))
    hot = out[out["gi_class"] == "hot"]
    assert len(hot) >= 3
    assert h3.latlng_to_cell(36.1, 120.45, 7) in set(hot["h3"]) | {
        c for h in hot["h3"] for c in h3.grid_disk(h, 1)}  # the cluster's core is in a hot neighbourhood
    far = hot.to_crs(MEASURE_CRS).centroid.distance(centre)
    assert far.max() < 8000  # nothing hot away from the cluster (the issue: lone single-point hexagons were)
    assert (hot["gi_p_fdr"] < 0.05).all() and (hot["gi_p_fdr"] >= hot["gi_p"]).all()
    assert not (out["gi_class"] == "cold").any()


def test_empty_neighbourhoods_are_not_cold_by_ties():
    """A hexagon with an empty neighbourhood ties most random draws (G = 0): p must be 1, not 1e-4."""
    centre = h3.latlng_to_cell(36.1, 120.3, 7)
    ids = list(h3.grid_disk(centre, 5))
    counts = {c: 0 for c in ids}
    counts[centre] = 3
    hexes = gpd.GeoDataFrame({"h3": ids, "count": [counts[c] for c in ids]},
                             geometry=[shapely.Point(0, 0)] * len(ids), crs=WGS84)
    out = hot_spots(hexes, permutations=999).set_index("h3")
    far = list(h3.grid_ring(centre, 3))
    assert (out.loc[far, "gi_p"] == 1.0).all()
    assert (out["gi_class"] != "cold").all()


def test_too_few_neighbours_are_not_tested():
    centre = h3.latlng_to_cell(36.1, 120.3, 7)
    ids = list(h3.grid_disk(centre, 2))
    lonely = h3.grid_ring(centre, 6)[0]  # no neighbour among the others
    ids.append(lonely)
    hexes = gpd.GeoDataFrame({"h3": ids, "count": np.arange(len(ids)) % 3},
                             geometry=[shapely.Point(0, 0)] * len(ids), crs=WGS84)
    out = hot_spots(hexes, permutations=999, min_neighbours=3).set_index("h3")
    assert out.loc[lonely, "gi_class"] == "not tested" and np.isnan(out.loc[lonely, "gi_p"])
    corners = out[out["n_neighbours"] < 3]
    assert (corners["gi_class"] == "not tested").all()
    assert out.attrs["params"]["n_tested"] == int((out["n_neighbours"] >= 3).sum())


def test_benjamini_hochberg_by_hand():
    p = np.array([0.01, 0.04, 0.03, 0.5, np.nan])
    # sorted 0.01, 0.03, 0.04, 0.5 (m = 4): 0.04, 0.06, 0.0533, 0.5 -> monotone from the top: 0.04, 0.0533, 0.0533, 0.5
    expected = [0.04, 0.16 / 3, 0.16 / 3, 0.5]
    out = bh_adjusted(p)
    assert out[:4] == pytest.approx(expected)
    assert np.isnan(out[4])


def test_seeded_and_reproducible(city):
    pts = uniform_on_land(city, 300, 3)
    a = hot_spots(hexagons(pts, resolution=7, land=city), permutations=999, seed=7)
    b = hot_spots(hexagons(pts, resolution=7, land=city), permutations=999, seed=7)
    assert np.array_equal(a["gi_p"].to_numpy(), b["gi_p"].to_numpy(), equal_nan=True)
    with pytest.raises(ValueError, match="permutations"):
        hot_spots(hexagons(pts, resolution=7, land=city), permutations=10)


def test_the_land_grid_is_the_cells_on_land_with_their_own_polygons_and_areas(city):
    """hexagons() takes the empty land cells from a grid worked out once per (land, resolution): the table is
    what building every cell afresh gives — ids, counts, polygons and areas — the second time as the first."""
    from analysis.density import landcache

    land = gpd.GeoDataFrame(geometry=[city.union_all().intersection(shapely.box(120.3, 36.0, 120.5, 36.15))],
                            crs=WGS84)
    pts = gpd.GeoDataFrame(geometry=gpd.points_from_xy([120.35, 120.35, 120.45, 119.9], [36.05, 36.05, 36.1, 35.5]),
                           crs=WGS84)  # two in one cell; one far out at sea (a cell off the grid)
    landcache.forget()
    first = hexagons(pts, resolution=8, land=land)
    assert landcache.kept() == 1
    again = hexagons(pts, resolution=8, land=land)
    pd.testing.assert_frame_equal(first.drop(columns="geometry"), again.drop(columns="geometry"))
    on_land = {h3.str_to_int(c) for c in h3.geo_to_cells(land.union_all(), 8)}
    occupied = {h3.latlng_to_cell(p.y, p.x, 8) for p in pts.geometry}
    assert set(first["h3"]) == {h3.int_to_str(c) for c in on_land} | occupied
    assert list(first["h3"]) == sorted(first["h3"], key=h3.str_to_int)  # sorted by cell, as before
    counts = first.set_index("h3")["count"]
    assert counts.sum() == 4 and counts[h3.latlng_to_cell(36.05, 120.35, 8)] == 2
    by_hand = [shapely.Polygon([(lng, lat) for lat, lng in h3.cell_to_boundary(c)]) for c in first["h3"]]
    assert all(a.equals_exact(b, 0) for a, b in zip(first.geometry, by_hand, strict=True))
    area = gpd.GeoSeries(by_hand, crs=WGS84).to_crs(MEASURE_CRS).area.to_numpy() / 1e6
    np.testing.assert_allclose(first["area_km2"], area, rtol=1e-12)
    assert 0.45 < first["area_km2"].median() < 0.55  # ~0.50 km² at resolution 8 here (core.settings.DENSITY)


def test_the_land_grid_cache_is_bounded_and_tells_lands_apart(city):
    from analysis.density import hexes as hx
    from analysis.density import landcache

    landcache.forget()
    boxes = [gpd.GeoDataFrame(geometry=[shapely.box(120.3 + i * 0.03, 36.0, 120.32 + i * 0.03, 36.02)], crs=WGS84)
             for i in range(landcache.KEPT + 3)]
    grids = [hx.land_grid(b, 9) for b in boxes]
    assert landcache.kept() == landcache.KEPT
    assert len({tuple(g.cells[:3]) for g in grids}) == len(boxes)  # each land its own cells
    assert hx.land_grid(boxes[-1], 9) is grids[-1] and hx.land_grid(boxes[-1], 8) is not grids[-1]
    assert hx.land_grid(boxes[0], 9) is not grids[0]  # the oldest was let go
    with pytest.raises(ValueError, match="read-only"):
        grids[-1].area_km2[0] = 0.0  # shared: nobody can change what the next caller gets


def test_ring_weights_match_h3_disks_and_gi_star_matches_esda_on_dict_weights(city):
    """The array-built Graph has exactly h3's grid_disk neighbours (self excluded, isolates alone), and Gi* z on
    it equals esda's on the classic dict-built libpysal W — the construction changed, not the statistic."""
    import warnings

    import esda
    from libpysal.weights import W

    from analysis.density.hexes import ring_weights

    pts = uniform_on_land(city, 400, 8)
    hexes = hexagons(pts, resolution=8, land=gpd.GeoDataFrame(geometry=[shapely.box(120.3, 36.0, 120.5, 36.2)],
                                                              crs=WGS84))
    hexes = hexes[hexes["count"] > 0 | (np.arange(len(hexes)) % 3 == 0)].reset_index(drop=True)  # gaps, isolates
    ids = hexes["h3"].tolist()
    graph = ring_weights(ids, 1)
    present = set(ids)
    by_dict = {c: sorted((set(h3.grid_disk(c, 1)) & present) - {c}) for c in ids}
    assert {c: sorted(graph.neighbors[c]) for c in ids} == by_dict
    assert any(not v for v in by_dict.values())  # the case has isolates
    assert graph.cardinalities.reindex(ids).tolist() == [len(by_dict[c]) for c in ids]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        reference = esda.G_Local(hexes["count"].to_numpy(float), W(by_dict, id_order=ids, silence_warnings=True),
                                 transform="B", star=True, permutations=0)
    out = hot_spots(hexes, k_ring=1, permutations=999)
    np.testing.assert_allclose(out["gi_z"].to_numpy(), np.asarray(reference.Zs, dtype=float), rtol=1e-12)
    assert out["n_neighbours"].tolist() == [len(by_dict[c]) for c in ids]
