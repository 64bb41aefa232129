"""Scoring runs BLAS on one thread and gives the process its thread count back afterwards."""

from __future__ import annotations

import threading
import time

import pytest
from threadpoolctl import threadpool_info

from core.matching.scoring import ScoreModel, map_blocks, single_threaded_blas
from tests.core.matching.test_engine import random_instance


def blas_threads() -> list[int]:
    return [lib["num_threads"] for lib in threadpool_info() if lib["user_api"] == "blas"]


@pytest.fixture
def blas_before() -> list[int]:
    before = blas_threads()
    if not before:
        pytest.skip("numpy runs without a BLAS library that threadpoolctl can see")
    return before


def test_blocks_are_scored_with_one_blas_thread_and_the_count_comes_back(blas_before):
    model = ScoreModel.build(random_instance(200, 300, seed=1))
    seen = map_blocks(model, lambda rows, centi, allowed: blas_threads())
    assert seen and all(counts == [1] * len(blas_before) for counts in seen)
    assert blas_threads() == blas_before


def test_overlapping_scorings_each_run_on_one_thread_and_the_count_comes_back(blas_before):
    """The second scoring starts while the first runs and ends after it: a naive pair of limits
    would remember "1" as the second one's original count and restore that."""
    first_in = threading.Event()
    seen: dict[str, list[int]] = {}

    def first() -> None:
        with single_threaded_blas():
            first_in.set()
            time.sleep(0.2)
            seen["first"] = blas_threads()

    def second() -> None:
        first_in.wait(10)
        with single_threaded_blas():
            time.sleep(0.4)
            seen["second"] = blas_threads()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(20)
    assert seen == {"first": [1] * len(blas_before), "second": [1] * len(blas_before)}
    assert blas_threads() == blas_before
