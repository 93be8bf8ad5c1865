"""The MLflow UI shows a tuning as the lessons describe: a parent run that expands to children.

A real CrossValidator tuning (4 combinations, 2 folds) is tracked into a temporary store;
`sparkml_tuning.mlflow_ui` serves it on 127.0.0.1, and headless Chromium opens the
experiment's runs table, expands the parent and reads the children's names. The page is
saved to docs/images/mlflow_ui_runs.png, the picture the README shows.

Needs the Debian packages `chromium` and `chromium-driver` (CI installs them); the test is
skipped only when /usr/bin/chromium is absent.
"""

from __future__ import annotations

import socket
import tempfile
from collections.abc import Iterator
from pathlib import Path

import mlflow
import mlflow.pyspark.ml
import pytest
from pyspark.ml.tuning import ParamGridBuilder
from selenium import webdriver
from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.ui import WebDriverWait

from sparkml_tuning.housing_data import feature_columns, load_housing_data, split_train_test
from sparkml_tuning.mlflow_ui import start_ui, stop_ui, ui_address, wait_until_ready
from sparkml_tuning.run_tracking import child_runs, enable_autolog, tune_with_tracking
from sparkml_tuning.tuning import build_cross_validator, build_evaluator, build_pipeline

PROJECT_ROOT = Path(__file__).resolve().parents[1]
HOUSING_CSV = PROJECT_ROOT / "data" / "boston_housing.csv"
SCREENSHOT = PROJECT_ROOT / "docs" / "images" / "mlflow_ui_runs.png"
CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1400,700",
)
REG_PARAMS = (0.0, 0.1)
FIT_INTERCEPTS = (True, False)
PAGE_SECONDS = 60
NAME_COLUMN_EXTRA_PIXELS = 120

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason=(
        "Chromium is not installed at /usr/bin/chromium; install the Debian packages "
        "chromium and chromium-driver (apt-get install -y chromium chromium-driver)."
    ),
)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def tuned_store(spark, tmp_mlflow: str) -> tuple[str, str, str]:
    """A temporary store holding one tracked CrossValidator tuning.

    Returns:
        The store URI, the experiment id and the parent run id.
    """
    experiment = mlflow.set_experiment("/Shared/sparkml-tuning")
    df = load_housing_data(spark, str(HOUSING_CSV))
    train_df, test_df = split_train_test(df)
    features = feature_columns(df, "medv")
    pipeline, lr = build_pipeline(features, "medv")
    evaluator = build_evaluator("medv", "rmse")
    # 2 regParam x 2 fitIntercept = 4 combinations, x 2 folds + 1 refit = 9 fits
    grid = (
        ParamGridBuilder()
        .addGrid(lr.regParam, list(REG_PARAMS))
        .addGrid(lr.fitIntercept, list(FIT_INTERCEPTS))
        .build()
    )
    cv = build_cross_validator(pipeline, grid, evaluator, num_folds=2)
    enable_autolog()
    try:
        result = tune_with_tracking(cv, train_df, test_df, evaluator, features)
    finally:
        mlflow.pyspark.ml.autolog(disable=True)
    return tmp_mlflow, experiment.experiment_id, result.run_id


@pytest.fixture
def ui(tuned_store: tuple[str, str, str], tmp_path: Path) -> Iterator[str]:
    """The UI of `sparkml_tuning.mlflow_ui` on the temporary store; yields its address."""
    port = free_port()
    process = start_ui(tuned_store[0], str(tmp_path / "ui-artifacts"), port)
    try:
        address = ui_address(port)
        assert wait_until_ready(process, address), f"the MLflow UI did not answer at {address}"
        yield address
    finally:
        stop_ui(process)


@pytest.fixture
def browser() -> Iterator[WebDriver]:
    """Headless Chromium from the Debian packages, with a fresh profile."""
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    with tempfile.TemporaryDirectory(prefix="chromium-profile-") as profile:
        options.add_argument(f"--user-data-dir={profile}")
        driver = webdriver.Chrome(options=options, service=Service(str(CHROMEDRIVER)))
        try:
            yield driver
        finally:
            driver.quit()


def run_row(driver: WebDriver, run_id: str):
    """The runs table's row of a run, in the pinned column that holds its name."""
    return driver.find_element(
        By.CSS_SELECTOR, f".ag-pinned-left-cols-container div[role='row'][row-id='{run_id}']"
    )


def expanded(driver: WebDriver, run_id: str, rows: int) -> bool:
    """True once the table shows `rows` runs; until then, click the parent's expand button.

    A click can be lost while the table re-renders, so it is repeated on the next poll.
    """
    if len(run_names_shown(driver)) == rows:
        return True
    row = run_row(driver, run_id)
    row.find_element(By.CSS_SELECTOR, "div[col-id*='Run Name'] button").click()
    return len(run_names_shown(driver)) == rows


def run_names_shown(driver: WebDriver) -> list[str]:
    """The run names in the runs table, top to bottom."""
    links = driver.find_elements(
        By.CSS_SELECTOR, ".ag-pinned-left-cols-container div[col-id*='Run Name'] a"
    )
    try:
        return [link.text for link in links]
    except StaleElementReferenceException:
        return []


def tidy_for_screenshot(driver: WebDriver) -> None:
    """Close the first-visit hint over the table and widen the run names to full length."""
    dismiss = driver.find_elements(
        By.CSS_SELECTOR, "button[data-component-id$='experiment_kind_inference_popover.dismiss']"
    )
    for button in dismiss:
        button.click()
    handles = driver.find_elements(
        By.CSS_SELECTOR, ".ag-header-cell[col-id*='Run Name'] .ag-header-cell-resize"
    )
    if handles:
        ActionChains(driver).click_and_hold(handles[0]).move_by_offset(
            NAME_COLUMN_EXTRA_PIXELS, 0
        ).release().perform()


def test_runs_table_expands_the_crossvalidator_parent_to_its_children(
    tuned_store: tuple[str, str, str], ui: str, browser: WebDriver
) -> None:
    _, experiment_id, parent_run_id = tuned_store
    expected_children = sorted(
        f"regParam={reg} fitIntercept={intercept}"
        for reg in REG_PARAMS
        for intercept in FIT_INTERCEPTS
    )
    assert sorted(run.info.run_name for run in child_runs(parent_run_id)) == expected_children

    browser.get(f"{ui}/#/experiments/{experiment_id}/runs")
    # The table re-renders while it loads: look elements up afresh on every try.
    wait = WebDriverWait(
        browser,
        PAGE_SECONDS,
        poll_frequency=2,
        ignored_exceptions=(NoSuchElementException, StaleElementReferenceException),
    )
    wait.until(lambda driver: run_names_shown(driver) == ["CrossValidator-LinearRegression"])
    wait.until(lambda driver: expanded(driver, parent_run_id, 1 + len(expected_children)))
    shown = run_names_shown(browser)
    assert shown[0] == "CrossValidator-LinearRegression"
    assert sorted(shown[1:]) == expected_children

    tidy_for_screenshot(browser)
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    assert browser.save_screenshot(str(SCREENSHOT))
    assert SCREENSHOT.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
