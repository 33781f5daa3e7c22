"""Lane packing on the timeline, checked against a plain reference packer."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from policyterm.core.loading import load_model
from policyterm.core.timeline_layout import EMPTY, Axis, Layout, layout_events
from policyterm.core.views import ModelView

BASE = dt.date(2018, 1, 1).toordinal()


def reference_layout(bounds: list[tuple[int, int]], indices: list[int], axis: Axis,
                     lane_count: int) -> Layout:
    """The rule, written plainly: narrowest first (then by index), each into the first lane
    where neither it nor a cell beside it is taken; else counted at its first column."""
    width = axis.width
    lanes = [[EMPTY] * width for _ in range(lane_count)]
    overflow: list[list[int]] = [[] for _ in range(width)]
    lane_of: dict[int, int] = {}
    spans = {i: axis.span(bounds[i]) for i in indices}
    for index in sorted(indices, key=lambda i: (spans[i][1] - spans[i][0], i)):
        first, last = spans[index]
        window = range(max(0, first - 1), min(width, last + 2))
        for number, lane in enumerate(lanes):
            if all(lane[column] == EMPTY for column in window):
                for column in range(first, last + 1):
                    lane[column] = index
                lane_of[index] = number
                break
        else:
            overflow[first].append(index)
    return Layout(axis, lanes, overflow, lane_of)


events = st.lists(
    st.tuples(st.integers(0, 6 * 365), st.integers(0, 400)).map(
        lambda start_length: (BASE + start_length[0], BASE + start_length[0] + start_length[1])),
    max_size=300,
)


@settings(max_examples=200, deadline=None)
@given(events, st.integers(1, 160), st.integers(0, 8), st.data())
def test_layout_matches_the_reference(bounds: list[tuple[int, int]], width: int,
                                      lane_count: int, data: st.DataObject) -> None:
    indices = sorted(data.draw(st.sets(st.integers(0, max(len(bounds) - 1, 0)))
                               if bounds else st.just(set())))
    axis = Axis.covering(bounds, width)
    got = layout_events(bounds, indices, axis, lane_count)
    want = reference_layout(bounds, indices, axis, lane_count)
    assert got.lanes == want.lanes
    assert got.overflow == want.overflow
    assert got.lane_of == want.lane_of
    placed = set(got.lane_of) | {i for column in got.overflow for i in column}
    assert placed == set(indices)


def test_axis_covers_whole_years_and_columns_follow_dates() -> None:
    bounds = [(dt.date(2019, 3, 1).toordinal(), dt.date(2019, 3, 1).toordinal()),
              (dt.date(2021, 6, 1).toordinal(), dt.date(2022, 2, 1).toordinal())]
    axis = Axis.covering(bounds, 100)
    assert (axis.start, axis.end) == (dt.date(2019, 1, 1), dt.date(2022, 12, 31))
    assert axis.column(axis.start) == 0 and axis.column(axis.end) == 99
    first, last = axis.span(bounds[1])
    assert first == axis.column(dt.date(2021, 6, 1)) < last == axis.column(dt.date(2022, 2, 1))
    assert [year for _, year in axis.year_ticks()] == [2019, 2020, 2021, 2022]


def test_the_article_lays_out_like_the_reference() -> None:
    from policyterm.cli import bundled_model_path

    view = ModelView(load_model(bundled_model_path()))
    indices = list(range(len(view.model.events)))
    for width in (20, 58, 116):
        axis = Axis.covering(view.day_bounds, width)
        got = layout_events(view.day_bounds, indices, axis, 5)
        want = reference_layout(view.day_bounds, indices, axis, 5)
        assert (got.lanes, got.overflow) == (want.lanes, want.overflow)
