"""Density functions against expectations computed by hand on small synthetic data."""

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import Point, box

from analysis.density import (
    clark_evans,
    compare_bays,
    counts_by_zone,
    hexagons,
    hot_spots,
    kernel_density,
    location_quotients,
)
from core.crs import MEASURE_CRS, WGS84

X0, Y0 = 500_000.0, 4_000_000.0


def _zones():
    west = box(X0 - 500, Y0 - 500, X0 + 1500, Y0 + 1500)  # 2 km x 2 km = 4 km², holds the square
    east = box(X0 + 1500, Y0 - 500, X0 + 3500, Y0 + 1500)
    return gpd.GeoDataFrame({"id": ["west", "east"], "name_en": ["W", "E"]}, geometry=[west, east], crs=MEASURE_CRS)


def test_counts_four_points_in_a_known_square(square_points):
    out = counts_by_zone(square_points.to_crs(WGS84), _zones(), weight="weight").set_index("zone")
    assert out.loc["west", "count"] == 4 and out.loc["east", "count"] == 0
    assert out.loc["west", "weighted"] == pytest.approx(10.0)
    assert out.loc["west", "area_km2"] == pytest.approx(4.0, rel=1e-9)
    assert out.loc["west", "per_km2"] == pytest.approx(1.0)
    assert out.loc["west", "weighted_per_km2"] == pytest.approx(2.5)
    assert out.loc["west", "share"] == pytest.approx(1.0)
    assert out.crs == WGS84 and out.attrs["params"]["weight"] == "weight"


def test_share_counts_points_outside_every_zone(square_points):
    extra = gpd.GeoDataFrame({"weight": [6.0]}, geometry=[Point(X0 + 9000, Y0)], crs=MEASURE_CRS)
    pts = gpd.GeoDataFrame(gpd.pd.concat([square_points, extra]), crs=MEASURE_CRS)
    out = counts_by_zone(pts, _zones(), weight="weight").set_index("zone")
    assert out.loc["west", "share"] == pytest.approx(4 / 5)
    assert out.loc["west", "weighted_share"] == pytest.approx(10 / 16)


def test_missing_crs_and_bad_weights_raise(square_points):
    with pytest.raises(ValueError, match="no CRS"):
        counts_by_zone(square_points.set_crs(None, allow_override=True), _zones())
    bad = square_points.assign(weight=[1, -2, 3, 4])
    with pytest.raises(ValueError, match="negative"):
        counts_by_zone(bad, _zones(), weight="weight")
    with pytest.raises(ValueError, match="not found"):
        counts_by_zone(square_points, _zones(), weight="nope")


def test_single_point_kde_integrates_to_its_weight():
    pt = gpd.GeoDataFrame({"w": [7.0]}, geometry=[Point(X0 + 10, Y0 + 20)], crs=MEASURE_CRS)
    cells = kernel_density(pt, bandwidth_m=1000, cell_m=100, weight="w", crs=MEASURE_CRS)
    assert (cells["mass"].sum()) == pytest.approx(7.0, rel=1e-9)
    assert cells["density"].sum() * 0.01 == pytest.approx(7.0, rel=1e-9)  # 100 m cells = 0.01 km²
    peak = cells.loc[cells["density"].idxmax()]
    assert abs(peak["x"] - (X0 + 10)) <= 50 and abs(peak["y"] - (Y0 + 20)) <= 50
    # Gaussian peak ~ w / (2 pi sigma²) per m² -> 7 / (2 pi) per km² for sigma = 1 km
    assert peak["density"] == pytest.approx(7 / (2 * np.pi), rel=0.02)
    assert cells.attrs["params"]["bandwidth_m"] == 1000


def test_kde_clipped_to_land_drops_sea_mass():
    pt = gpd.GeoDataFrame(geometry=[Point(X0, Y0)], crs=MEASURE_CRS)
    half = gpd.GeoDataFrame(geometry=[box(X0, Y0 - 10_000, X0 + 10_000, Y0 + 10_000)], crs=MEASURE_CRS)
    cells = kernel_density(pt, bandwidth_m=1000, cell_m=100, land=half, crs=MEASURE_CRS)
    assert (cells["x"] > X0).all()
    # The point is binned to its cell centre, 50 m east of the shore: land holds P(Z > -0.05)
    from scipy.stats import norm

    assert cells["mass"].sum() == pytest.approx(norm.cdf(0.05), abs=1e-3)


def test_kde_parameters_checked(square_points):
    with pytest.raises(ValueError, match="cell_m"):
        kernel_density(square_points, bandwidth_m=100, cell_m=500)


def test_hexagons_count_and_area():
    pts = gpd.GeoDataFrame({"w": [1.0, 2.0, 5.0]},
                           geometry=[Point(120.30, 36.10), Point(120.30001, 36.10001), Point(120.5, 36.3)], crs=WGS84)
    hexes = hexagons(pts, resolution=8, weight="w").set_index("h3")
    assert sorted(hexes["count"]) == [1, 2] and hexes["weighted"].sum() == pytest.approx(8.0)
    import h3

    true_area = [h3.cell_area(c, "km^2") for c in hexes.index]  # ~0.50 km² at 36°N (0.74 world average)
    assert hexes["area_km2"].to_numpy() == pytest.approx(true_area, rel=0.01)
    assert (hexes["per_km2"] == hexes["count"] / hexes["area_km2"]).all()


def _ring_values():
    """A hexagon with 10 points, its 6 neighbours with 5 each, a wide ring of zeros."""
    import h3
    centre = h3.latlng_to_cell(36.1, 120.3, 7)
    disk = h3.grid_disk(centre, 4)
    values = {c: 0 for c in disk}
    values[centre] = 10
    for c in h3.grid_ring(centre, 1):
        values[c] = 5
    return centre, values


def test_gi_star_matches_the_formula_by_hand():
    import h3
    centre, values = _ring_values()
    ids = list(values)
    polys = [gpd.GeoSeries.from_xy([0], [0]).iloc[0]] * len(ids)
    hexes = gpd.GeoDataFrame({"h3": ids, "count": [values[c] for c in ids]}, geometry=polys, crs=WGS84)
    out = hot_spots(hexes, k_ring=1, confidence=0.95).set_index("h3")
    x = np.array([values[c] for c in ids], dtype=float)
    n, xbar, s = len(x), x.mean(), np.sqrt((x**2).mean() - x.mean() ** 2)
    near = [values[c] for c in h3.grid_disk(centre, 1)]  # Gi*: itself + 6 neighbours, binary weights
    wsum = len(near)
    expected = (sum(near) - xbar * wsum) / (s * np.sqrt((n * wsum - wsum**2) / (n - 1)))
    assert out.loc[centre, "gi_z"] == pytest.approx(expected, rel=1e-6)
    assert out.loc[centre, "gi_class"] == "hot"
    far = [c for c in h3.grid_ring(centre, 4)][0]
    assert out.loc[far, "gi_class"] == "not significant"
    assert "grid_disk(k=1)" in out.attrs["params"]["neighbourhood"]


def test_clark_evans_of_a_regular_lattice_is_two():
    s, k = 100.0, 20
    xs, ys = np.meshgrid(X0 + s * np.arange(k), Y0 + s * np.arange(k))
    pts = gpd.GeoDataFrame(geometry=gpd.points_from_xy(xs.ravel(), ys.ravel()), crs=MEASURE_CRS)
    window = gpd.GeoDataFrame({"id": ["w"]}, geometry=[box(X0 - s / 2, Y0 - s / 2, X0 + s * (k - 0.5), Y0 + s * (k - 0.5))],
                              crs=MEASURE_CRS)
    row = clark_evans(pts, window, edge_correction=None).iloc[0]
    assert row["n"] == 400 and row["mean_nn_m"] == pytest.approx(100.0)
    assert row["R"] == pytest.approx(2.0)  # area = n s², expected distance = s / 2
    assert row["z"] == pytest.approx((100 - 50) / (0.26136 / np.sqrt(400**2 / (400 * s * s))), rel=1e-9)


def test_clark_evans_donnelly_edge_correction_by_hand():
    """The same lattice in its 2 km x 2 km window: A = 4e6 m², P = 8000 m, n = 400.

    E = 0.5·sqrt(4e6/400) + (0.0514 + 0.041/20)·8000/400 = 50 + 0.05345·20 = 51.069 m
    SE = sqrt(0.0703·4e6/400² + 0.037·8000·sqrt(4e6/400⁵)) = sqrt(1.7575 + 0.185) = 1.393736 m
    R = 100 / 51.069 = 1.958135;  z = (100 − 51.069) / 1.393736 = 35.1077
    """
    s, k = 100.0, 20
    xs, ys = np.meshgrid(X0 + s * np.arange(k), Y0 + s * np.arange(k))
    pts = gpd.GeoDataFrame(geometry=gpd.points_from_xy(xs.ravel(), ys.ravel()), crs=MEASURE_CRS)
    window = gpd.GeoDataFrame({"id": ["w"]}, crs=MEASURE_CRS,
                              geometry=[box(X0 - s / 2, Y0 - s / 2, X0 + s * (k - 0.5), Y0 + s * (k - 0.5))])
    out = clark_evans(pts, window)
    row = out.iloc[0]
    assert row["perimeter_km"] == pytest.approx(8.0) and row["area_km2"] == pytest.approx(4.0)
    assert row["expected_nn_m"] == pytest.approx(51.069, abs=1e-3)
    assert row["R"] == pytest.approx(1.958135, abs=1e-6)
    assert row["z"] == pytest.approx(35.1077, abs=1e-3)
    assert out.attrs["params"]["edge_correction"].startswith("Donnelly (1978)")
    with pytest.raises(ValueError, match="edge_correction"):
        clark_evans(pts, window, edge_correction="ripley")


def test_edge_correction_removes_the_window_bias_under_randomness():
    """CSR in a long thin window (a coast-like strip): uncorrected R is biased up, Donnelly's about 1."""
    rng = np.random.default_rng(3)
    window = box(X0, Y0, X0 + 20_000, Y0 + 1000)
    zones = gpd.GeoDataFrame({"id": ["strip"]}, geometry=[window], crs=MEASURE_CRS)
    plain, corrected = [], []
    for _ in range(40):
        pts = gpd.GeoDataFrame(geometry=gpd.points_from_xy(rng.uniform(X0, X0 + 20_000, 100),
                                                           rng.uniform(Y0, Y0 + 1000, 100)), crs=MEASURE_CRS)
        plain.append(clark_evans(pts, zones, edge_correction=None).iloc[0]["R"])
        corrected.append(clark_evans(pts, zones).iloc[0]["R"])
    assert np.mean(plain) > 1.08  # the edge bias the issue names
    assert abs(np.mean(corrected) - 1.0) < 0.03


def test_location_quotients_by_hand():
    pts = gpd.GeoDataFrame({"type": ["lab", "lab", "uni", "uni"]},
                           geometry=[Point(X0, Y0), Point(X0 + 10, Y0), Point(X0 + 20, Y0), Point(X0 + 2000, Y0)],
                           crs=MEASURE_CRS)
    lq = location_quotients(pts, _zones(), type_col="type")
    # west: 2 lab + 1 uni of 3; city: 2 lab of 4 -> LQ_lab = (2/3)/(1/2) = 4/3
    assert lq.loc["west", "lab"] == pytest.approx(4 / 3)
    assert lq.loc["east", "uni"] == pytest.approx(2.0)
    assert lq.attrs["counts"].loc["west", "uni"] == 1


def test_compare_bays_on_the_real_layers():
    from analysis.density.precision import within_uncertainty
    from layers import clusters, coast, resources

    from analysis.tiers import placed_points

    res = resources.load()
    # Features known only to their district or the city have no geometry (issue 21) and cannot be put in a
    # bay; the comparison uses those located to a street or town or better.
    located = within_uncertainty(placed_points(res), max_uncertainty_m=5000)
    assert 0 < len(located) < len(res)
    table = compare_bays(located, clusters.bay_clusters(), city=coast.load_city())
    assert list(table.index) == ["aoshan", "jiaozhou", "lingshan", "city"]
    bays = table.loc[["aoshan", "jiaozhou", "lingshan"]]
    assert bays["count"].sum() <= table.loc["city", "count"]
    assert (bays["per_km2"] > table.loc["city", "per_km2"]).all()  # "resource-rich": denser than the city
    assert table.attrs["params"]["weight"] == "weight"


def test_the_comparison_reuses_the_maps_hexagons_and_refuses_other_ones():
    """compare_bays(hexes=...) gives the table it computes itself; hexagons of other parameters are refused."""
    from analysis.density.precision import within_uncertainty
    from analysis.tiers import placed_points
    from layers import clusters, coast, resources

    pts = within_uncertainty(placed_points(resources.load()), max_uncertainty_m=5000)
    bays, city = clusters.bay_clusters(), coast.load_city()
    own = compare_bays(pts, bays, city=city, resolution=7, k_ring=1)
    hexes = hot_spots(hexagons(pts, resolution=7, weight="weight", land=city), value="weighted", k_ring=1)
    reused = compare_bays(pts, bays, city=city, resolution=7, k_ring=1, hexes=hexes)
    pd.testing.assert_frame_equal(own, reused)
    assert own.loc["city", "hexes_occupied"] > 0
    with pytest.raises(ValueError, match="other parameters.*k_ring"):
        compare_bays(pts, bays, city=city, resolution=7, k_ring=2, hexes=hexes)


def test_zone_index_is_thread_safe_on_shared_zones():
    """Regression: preparing a shared polygon in place from several threads aborted GEOS."""
    from concurrent.futures import ThreadPoolExecutor

    from analysis.density.points import zone_index
    from layers import districts

    zones = districts.load().to_crs(MEASURE_CRS).geometry
    rng = np.random.default_rng(1)
    x0, y0, x1, y1 = zones.total_bounds
    x, y = rng.uniform(x0, x1, 20_000), rng.uniform(y0, y1, 20_000)
    expected = zone_index(x, y, zones)
    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(lambda _: zone_index(x, y, zones), range(16)))
    assert all((r == expected).all() for r in results)
    assert (expected >= 0).sum() > 5000


def test_command_line_on_an_analysts_csv(tmp_path, capsys):
    import json

    import pandas as pd

    from atlas.cli.density_report import main

    csv = tmp_path / "pts.csv"
    csv.write_text("name,lon,lat\na,120.38,36.07\nb,120.39,36.08\nc,120.48,36.12\nbad,,36.1\n", encoding="utf-8")
    assert main([str(csv), "--out", str(tmp_path / "out"), "--cell-m", "500"]) == 0
    out = tmp_path / "out"
    table = pd.read_csv(out / "bay_comparison.csv", index_col=0)
    assert table.loc["jiaozhou", "count"] == 3 and table.loc["city", "count"] == 3
    problems = pd.read_csv(out / "row_problems.csv")
    assert problems["row"].tolist() == [4]
    zones = json.loads((out / "zones_districts.geojson").read_text(encoding="utf-8"))
    assert sum(f["properties"]["count"] for f in zones["features"]) == 3
    assert "row 4: lon is empty" in capsys.readouterr().err


def test_kde_table_is_kernel_density_without_squares_and_the_land_mask_is_kept():
    """The bay comparison reads kde_table (no squares, no reprojection): the same cells and densities as
    kernel_density's; the land mask of the grid is worked out once and equals a fresh point-in-polygon."""
    from analysis.density import landcache
    from analysis.density.kde import kde_table
    from analysis.density.points import measured
    from layers import coast

    city = coast.load_city()
    rng = np.random.default_rng(2)
    pts = gpd.GeoDataFrame(geometry=gpd.points_from_xy(rng.uniform(120.2, 120.6, 300), rng.uniform(36.0, 36.3, 300)),
                           crs=WGS84)
    landcache.forget()
    full = kernel_density(pts, land=city, crs=MEASURE_CRS)
    assert landcache.kept() == 1  # the mask
    table = kde_table(pts, land=city)
    assert landcache.kept() == 1  # the same grid: the mask was not worked out again
    pd.testing.assert_frame_equal(table, pd.DataFrame(full.drop(columns="geometry")))
    land = measured(city, "land").union_all()
    centres = gpd.GeoSeries(gpd.points_from_xy(table["x"], table["y"]), crs=MEASURE_CRS)
    assert centres.within(land).all() and len(table) > 1000
    assert full.geometry.centroid.distance(centres).max() < 1e-6
