"""The analysis period is the reporting coverage, not the first and last date: one
mistyped year (2026 for 2025) neither stretches the period nor changes agreement watch."""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest

from analysis.agreement_watch import agreement_watch
from analysis.joint import analyse
from schema.mission import load_sample


@pytest.fixture(scope="module")
def sample():
    return load_sample()


def _with_mistyped_year(data):
    incidents = data.incidents
    last = incidents.loc[incidents["date"].idxmax()].copy()
    last["incident_id"] = "TYPO-1"
    last["date"] = last["date"] + pd.DateOffset(years=1)
    typo = pd.concat([incidents, last.to_frame().T], ignore_index=True)
    typo = typo.astype(incidents.dtypes.to_dict()).set_geometry("geometry", crs=incidents.crs)
    return dataclasses.replace(data, incidents=typo)


def test_a_mistyped_year_does_not_stretch_the_period(sample):
    typo = _with_mistyped_year(sample)
    assert typo.incidents["date"].max() > sample.incidents["date"].max()
    before, after = analyse(sample), analyse(typo)
    assert (after.start, after.end) == (before.start, before.end)
    assert before.end == sample.incidents["date"].max().date()


def test_agreement_watch_reads_the_coverage_not_the_last_date(sample):
    typo = _with_mistyped_year(sample)
    plain = agreement_watch(sample.incidents, sample.local_agreements).summary
    stretched = agreement_watch(typo.incidents, sample.local_agreements).summary
    columns = ["agreement_id", "verdict", "at_risk", "recent_effect"]
    pd.testing.assert_frame_equal(plain[columns], stretched[columns])
