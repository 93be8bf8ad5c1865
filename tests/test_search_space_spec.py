"""The search space spec: its values, its samples, and every invalid range refused."""

from __future__ import annotations

import random

import pytest
from pyspark.ml.regression import LinearRegression, RandomForestRegressor

from sparkml_tuning.search_space_spec import (
    ParamSpec,
    SearchSpaceError,
    check_space,
    grid_param_maps,
    sample_param_maps,
)

# Spark ML estimators are JVM objects: building one needs a running session.
pytestmark = pytest.mark.usefixtures("spark")


def test_low_above_high_is_refused() -> None:
    with pytest.raises(SearchSpaceError, match=r"low=1\.0 above high=0\.5.*Swap the bounds"):
        ParamSpec.uniform("elasticNetParam", 1.0, 0.5)


@pytest.mark.parametrize("low", [0.0, -1.0])
def test_log_range_touching_zero_is_refused(low: float) -> None:
    with pytest.raises(SearchSpaceError, match="log range must lie above 0"):
        ParamSpec.log_uniform("regParam", low, 10.0)


def test_unknown_param_name_is_refused_before_any_fit() -> None:
    space = [ParamSpec.log_uniform("regParm", 1e-4, 10.0)]
    with pytest.raises(SearchSpaceError, match="LinearRegression has no parameter named regParm"):
        grid_param_maps(LinearRegression(), space, 3)
    with pytest.raises(SearchSpaceError, match="no parameter named regParm"):
        sample_param_maps(LinearRegression(), space, 3, seed=1)


def test_a_tree_param_on_a_linear_model_is_refused() -> None:
    with pytest.raises(SearchSpaceError, match="no parameter named maxDepth"):
        check_space(LinearRegression(), [ParamSpec.int_range("maxDepth", 2, 8)])


def test_empty_space_repeated_names_and_bad_choices_are_refused() -> None:
    with pytest.raises(SearchSpaceError, match="search space is empty"):
        check_space(LinearRegression(), [])
    repeated = [ParamSpec.uniform("regParam", 0, 1), ParamSpec.uniform("regParam", 0, 2)]
    with pytest.raises(SearchSpaceError, match="names regParam more than once"):
        check_space(LinearRegression(), repeated)
    with pytest.raises(SearchSpaceError, match="empty list of choices"):
        ParamSpec.choice("featureSubsetStrategy", [])
    with pytest.raises(SearchSpaceError, match="not whole numbers"):
        ParamSpec.int_range("maxDepth", 2.5, 8)  # type: ignore[arg-type]
    with pytest.raises(SearchSpaceError, match="neither choices nor both bounds"):
        ParamSpec("regParam", low=0.1)


def test_grid_values_are_log_spaced_on_a_log_range() -> None:
    values = ParamSpec.log_uniform("regParam", 1e-4, 10.0).grid_values(6)
    assert values == pytest.approx([1e-4, 1e-3, 1e-2, 1e-1, 1.0, 10.0])
    assert ParamSpec.uniform("elasticNetParam", 0.0, 1.0).grid_values(3) == [0.0, 0.5, 1.0]
    assert ParamSpec.int_range("maxDepth", 2, 4).grid_values(10) == [2, 3, 4]


def test_grid_has_one_map_per_combination() -> None:
    forest = RandomForestRegressor()
    space = [
        ParamSpec.int_range("maxDepth", 2, 8),
        ParamSpec.choice("featureSubsetStrategy", ["sqrt", "all"]),
    ]
    maps = grid_param_maps(forest, space, 4)
    assert len(maps) == 4 * 2
    assert {m[forest.maxDepth] for m in maps} == {2, 4, 6, 8}


def test_samples_stay_in_range_and_are_seeded() -> None:
    lr = LinearRegression()
    space = [
        ParamSpec.log_uniform("regParam", 1e-4, 10.0),
        ParamSpec.uniform("elasticNetParam", 0.0, 1.0),
    ]
    first = sample_param_maps(lr, space, 50, seed=3)
    assert first == sample_param_maps(lr, space, 50, seed=3)
    assert first != sample_param_maps(lr, space, 50, seed=4)
    reg = [m[lr.regParam] for m in first]
    assert all(1e-4 <= value <= 10.0 for value in reg)
    # Log-uniform: about half the samples fall below the geometric middle, 10**-1.5.
    assert 15 <= sum(value < 10**-1.5 for value in reg) <= 35


def test_integer_log_samples_are_whole_numbers_in_range() -> None:
    spec = ParamSpec.int_range("numTrees", 5, 200, log=True)
    rng = random.Random(0)
    samples = [spec.sample(rng) for _ in range(500)]
    assert all(isinstance(v, int) and 5 <= v <= 200 for v in samples)
    assert min(samples) < 10 and max(samples) > 100
