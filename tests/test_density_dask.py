"""The Dask path on a small LocalCluster equals the in-memory result."""

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest

from analysis.density import counts_by_zone, hexagons, kernel_density
from analysis.density.scale import (
    counts_by_zone_dask, dask_client, hexagons_dask, kernel_density_dask, write_partitioned,
)
from layers import coast, districts


@pytest.fixture(scope="module")
def points():
    rng = np.random.default_rng(7)
    n = 5000
    lon, lat = rng.uniform(119.6, 121.0, n), rng.uniform(35.6, 37.0, n)
    return gpd.GeoDataFrame({"weight": rng.integers(1, 10, n).astype(float)},
                            geometry=gpd.points_from_xy(lon, lat), crs="EPSG:4326")


@pytest.fixture(scope="module")
def dataset(points, tmp_path_factory):
    path = tmp_path_factory.mktemp("pts") / "points.parquet"
    write_partitioned(points, path, npartitions=4)
    return path


@pytest.fixture(scope="module")
def client():
    with dask_client(n_workers=2, processes=False) as c:
        yield c


def test_counts_equal_in_memory(points, dataset, client):
    dist, city = districts.load(), coast.load_city()
    a = counts_by_zone(points, dist, weight="weight", city=city)
    b = counts_by_zone_dask(dataset, dist, weight="weight", city=city)
    assert b.attrs["params"]["npartitions"] == 4
    cols = ["count", "weighted", "per_km2", "share", "weighted_share"]
    pd.testing.assert_frame_equal(pd.DataFrame(a[cols]), pd.DataFrame(b[cols]), rtol=1e-12)
    assert a["count"].sum() > 1000


def test_hexagons_equal_in_memory(points, dataset, client):
    a = hexagons(points, resolution=7, weight="weight")
    b = hexagons_dask(dataset, resolution=7, weight="weight")
    pd.testing.assert_frame_equal(pd.DataFrame(a.drop(columns="geometry")), pd.DataFrame(b.drop(columns="geometry")))


def test_kde_equal_in_memory(points, dataset, client):
    city = coast.load_city()
    a = kernel_density(points, bandwidth_m=3000, cell_m=1000, weight="weight", land=city)
    b = kernel_density_dask(dataset, bandwidth_m=3000, cell_m=1000, weight="weight", land=city)
    assert len(a) == len(b) > 5000
    assert np.allclose(a["density"], b["density"], rtol=1e-9, atol=1e-12)


def test_scheduler_address_is_used(points, dataset):
    from distributed import LocalCluster

    with LocalCluster(n_workers=1, processes=False, dashboard_address=None) as cluster, \
            dask_client(cluster.scheduler_address) as c:
        assert c.scheduler.address == cluster.scheduler_address
        out = counts_by_zone_dask(dataset, districts.load())
        assert out["count"].sum() == counts_by_zone(points, districts.load())["count"].sum()


def test_missing_crs_is_refused(points, tmp_path):
    import dask_geopandas

    ddf = dask_geopandas.from_geopandas(points.set_crs(None, allow_override=True), npartitions=2)
    with pytest.raises(ValueError, match="no CRS"):
        counts_by_zone_dask(ddf, districts.load())
