"""The timeline's pure layout: lane packing (against a plain reference packer), windows,
zoom and ticks, and the shape of each precision."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from policyterm.core.dates import MONTH_ABBR, parse_edtf
from policyterm.core.loading import load_model
from policyterm.core.timeline_layout import (
    EMPTY,
    Axis,
    Layout,
    Mark,
    band_pieces,
    event_dates,
    group_alike,
    group_label,
    lane_cells,
    layout_events,
    mark_glyphs,
    precision_of,
    split_by_window,
    strip_cells,
    tally,
    tick_bounds,
    with_label,
)
from policyterm.core.timeline_window import (
    ZOOM_LADDER,
    Window,
    ZoomStep,
    choose_tick_unit,
    describe,
    fitting,
    parse_reader_date,
    reader_date_problem,
    ticks,
    zoomed,
)
from policyterm.core.views import ModelView

BASE = dt.date(2018, 1, 1).toordinal()


def covering(bounds: list[tuple[int, int]], width: int) -> Axis:
    """An axis over the whole years of `bounds`."""
    if not bounds:
        return Axis(dt.date(2023, 1, 1), dt.date(2023, 12, 31), width)
    first = dt.date.fromordinal(min(lower for lower, _ in bounds))
    last = dt.date.fromordinal(max(upper for _, upper in bounds))
    return Axis(dt.date(first.year, 1, 1), dt.date(last.year, 12, 31), width)


def reference_layout(bounds: list[tuple[int, int]], indices: list[int], axis: Axis,
                     lane_count: int) -> Layout:
    """The rule, written plainly: narrowest first (then by index), each into the first lane
    where neither it nor a cell beside it is taken; else counted at its first column."""
    width = axis.width
    lanes = [[EMPTY] * width for _ in range(lane_count)]
    overflow: list[list[int]] = [[] for _ in range(width)]
    spans = {i: axis.span(bounds[i]) for i in indices}
    for index in sorted(indices, key=lambda i: (spans[i][1] - spans[i][0], i)):
        first, last = spans[index]
        window = range(max(0, first - 1), min(width, last + 2))
        for lane in lanes:
            if all(lane[column] == EMPTY for column in window):
                for column in range(first, last + 1):
                    lane[column] = index
                break
        else:
            overflow[first].append(index)
    return Layout(axis, lanes, overflow)


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
    axis = covering(bounds, width)
    got = layout_events(bounds, indices, axis, lane_count)
    want = reference_layout(bounds, indices, axis, lane_count)
    if lane_count > 0:  # one lane fewer, without packing again
        fewer = got.without_last_lane()
        again = layout_events(bounds, indices, axis, lane_count - 1)
        assert fewer.lanes == again.lanes
        assert [sorted(hidden) for hidden in fewer.overflow] == [
            sorted(hidden) for hidden in again.overflow]
    assert got.lanes == want.lanes
    assert got.overflow == want.overflow
    placed = {i for lane in got.lanes for i in lane if i != EMPTY}
    placed |= {i for column in got.overflow for i in column}
    assert placed == set(indices)


def test_axis_covers_whole_years_and_columns_follow_dates() -> None:
    bounds = [(dt.date(2019, 3, 1).toordinal(), dt.date(2019, 3, 1).toordinal()),
              (dt.date(2021, 6, 1).toordinal(), dt.date(2022, 2, 1).toordinal())]
    axis = covering(bounds, 100)
    assert (axis.start, axis.end) == (dt.date(2019, 1, 1), dt.date(2022, 12, 31))
    assert axis.column(axis.start) == 0 and axis.column(axis.end) == 99
    first, last = axis.span(bounds[1])
    assert first == axis.column(dt.date(2021, 6, 1)) < last == axis.column(dt.date(2022, 2, 1))


def test_the_article_lays_out_like_the_reference() -> None:
    from policyterm.cli import bundled_model_path

    model = load_model(bundled_model_path())
    bounds = event_dates(event.date for event in model.events).bounds
    indices = list(range(len(model.events)))
    for width in (20, 58, 116):
        axis = covering(bounds, width)
        got = layout_events(bounds, indices, axis, 5)
        want = reference_layout(bounds, indices, axis, 5)
        assert (got.lanes, got.overflow) == (want.lanes, want.overflow)


# -- windows, zoom and ticks ----------------------------------------------------------------------

YEAR_2023 = Window(dt.date(2023, 1, 1), dt.date(2024, 1, 1))


def day(text: str) -> int:
    return dt.date.fromisoformat(text).toordinal()


@pytest.mark.parametrize("window, width, unit", [
    (YEAR_2023, 116, "months"),
    (YEAR_2023, 56, "months"),
    (Window(dt.date(2022, 1, 1), dt.date(2024, 1, 1)), 116, "quarters"),
    (Window(dt.date(2019, 1, 1), dt.date(2024, 1, 1)), 116, "years"),
    (Window(dt.date(2023, 6, 1), dt.date(2023, 7, 1)), 116, "weeks"),
    (Window(dt.date(2023, 6, 1), dt.date(2023, 6, 15)), 116, "days"),
    (Window(dt.date(1900, 1, 1), dt.date(2000, 1, 1)), 116, "decades"),
])
def test_ticks_are_the_finest_unit_that_fits(window: Window, width: int, unit: str) -> None:
    assert choose_tick_unit(window, width).name == unit


def test_a_year_has_month_ticks_labelled_jan_to_dec_under_its_year() -> None:
    found = ticks(YEAR_2023, choose_tick_unit(YEAR_2023, 116))
    assert [tick.label for tick in found] == list(MONTH_ABBR)
    assert found[0].context == "2023" and all(t.context is None for t in found[1:])
    assert describe(YEAR_2023, choose_tick_unit(YEAR_2023, 116)) == "2023 · months"


def test_weeks_start_on_mondays_and_name_their_month() -> None:
    june = Window(dt.date(2023, 6, 1), dt.date(2023, 7, 1))
    found = ticks(june, choose_tick_unit(june, 116))
    assert [tick.day.weekday() for tick in found] == [0] * len(found)
    assert found[0].context == "Jun 2023"


@pytest.mark.parametrize("window, label", [
    (YEAR_2023, "2023"),
    (Window(dt.date(2019, 1, 1), dt.date(2024, 1, 1)), "2019–2023"),
    (Window(dt.date(2023, 4, 1), dt.date(2023, 7, 1)), "Apr–Jun 2023"),
    (Window(dt.date(2023, 6, 1), dt.date(2023, 7, 1)), "Jun 2023"),
    (Window(dt.date(2022, 11, 1), dt.date(2023, 2, 1)), "Nov 2022 – Jan 2023"),
    (Window(dt.date(2023, 3, 1), dt.date(2023, 3, 15)), "1–14 Mar 2023"),
])
def test_windows_are_named_as_people_say_them(window: Window, label: str) -> None:
    assert window.label() == label


def test_zooming_out_twice_from_2023_shows_2019_to_2023_and_in_comes_back() -> None:
    data = (day("2019-08-01"), day("2023-12-31"))
    centre = dt.date(2023, 7, 2)
    out = zoomed(YEAR_2023, centre, -1)
    assert out is not None
    out = out.clamped(*data)
    assert out.label() == "2022–2023"
    further = zoomed(out, centre, -1)
    assert further is not None
    assert further.clamped(*data).label() == "2019–2023"
    closer = zoomed(YEAR_2023, centre, +1)
    assert closer is not None and closer.days < YEAR_2023.days
    assert closer.start <= centre < closer.end


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(ZOOM_LADDER), st.dates(dt.date(1900, 1, 1), dt.date(2100, 12, 31)))
def test_a_window_around_a_day_shows_that_day(step: ZoomStep, centre: dt.date) -> None:
    """Zooming keeps what it zooms around in sight: a year around 15 June 2023 is 2023, not
    2022 (its start, rounded down to a whole year, once was)."""
    window = Window.around(step, centre)
    assert window.start <= centre < window.end
    assert window.days == pytest.approx(step.nominal_days, rel=0.1)


def test_the_ladder_ends() -> None:
    week = Window(dt.date(2023, 6, 1), dt.date(2023, 6, 8))
    assert zoomed(week, week.centre, +1) is None
    ages = Window(dt.date(1000, 1, 1), dt.date(3000, 1, 1))
    assert zoomed(ages, ages.centre, -1) is None


def test_paging_moves_a_screenful_and_the_view_follows_the_cursor() -> None:
    assert YEAR_2023.shifted(-1).label() == "2022"
    assert Window(dt.date(2023, 4, 1), dt.date(2023, 7, 1)).shifted(1).label() == "Jul–Sep 2023"
    assert YEAR_2023.showing(day("2019-08-01"), day("2019-08-31")).label() == "2019"
    assert YEAR_2023.showing(day("2021-08-01"), day("2023-12-31")) == YEAR_2023


def test_a_day_is_fitted_into_the_shortest_window() -> None:
    window = fitting(day("2023-11-08"), day("2023-11-08"))
    assert window.days == 7 and window.start <= dt.date(2023, 11, 8) < window.end


@pytest.mark.parametrize("typed, first, last", [
    ("2023-06", "2023-06-01", "2023-06-30"),
    ("Jun 2023", "2023-06-01", "2023-06-30"),
    ("june 2023", "2023-06-01", "2023-06-30"),
    ("2023", "2023-01-01", "2023-12-31"),
    ("8 Nov 2023", "2023-11-08", "2023-11-08"),
])
def test_dates_as_readers_type_them(typed: str, first: str, last: str) -> None:
    assert parse_reader_date(typed) == (day(first), day(last))


@pytest.mark.parametrize("typed", ["Junk 2023", "2023-13", "2023/2024", "soon", ""])
def test_what_is_not_a_date(typed: str) -> None:
    assert parse_reader_date(typed) is None


@pytest.mark.parametrize(("typed", "why"), [
    ("2023-13", "there is no month 13; expected 01..12"),
    ("29 Feb 2023", "Feb 2023 has no day 29; expected 01..28"),
    ("0000", "there is no year 0; expected a year from 0001"),
    ("2023-06", None), ("Junk 2023", None), ("2023/2024", None), ("soon", None),
])
def test_why_text_written_as_a_date_is_none(typed: str, why: str | None) -> None:
    assert reader_date_problem(typed) == why


# -- drawing each precision ---------------------------------------------------------------------


@pytest.mark.parametrize("date, cells, drawn", [
    ("2023-11-08", 1, "●"),
    ("2023-11-08~", 1, "◌"),
    ("2023-11-08?", 1, "?"),
    ("2023-06", 5, "▬▬▬▬▬"),
    ("2023-06~", 5, "~▬▬▬▬"),
    ("2023-10/2023-12", 6, "┣━━━━┫"),
    ("2021-01~/2023-12", 6, "~━━━━┫"),
    ("2023-10/2023-12?", 6, "┣━━━━?"),
    ("2023-10/2023-12", 1, "┃"),
    ("2023", 4, "┄┄┄┄"),
])
def test_each_precision_has_its_own_shape(date: str, cells: int, drawn: str) -> None:
    assert mark_glyphs(precision_of(parse_edtf(date)), cells) == drawn


def test_a_span_cut_by_the_view_shows_no_end_there() -> None:
    ttp = precision_of(parse_edtf("2021-08/2023-12"))
    assert mark_glyphs(ttp, 6, clipped_start=True) == "━━━━━┫"
    assert mark_glyphs(ttp, 6, clipped_start=True, clipped_end=True) == "━━━━━━"


def test_a_year_only_date_is_not_drawn_like_a_year_long_interval() -> None:
    year_only = mark_glyphs(precision_of(parse_edtf("2023")), 12)
    whole_year = mark_glyphs(precision_of(parse_edtf("2023-01/2023-12")), 12)
    assert set(year_only) == {"┄"} and year_only != whole_year


def article_view() -> ModelView:
    from policyterm.cli import bundled_model_path

    return ModelView(load_model(bundled_model_path()))


def test_the_article_in_2023_every_event_is_in_a_lane_band_or_edge_count() -> None:
    view = article_view()
    bounds, precisions, keys = event_dates(event.date for event in view.model.events)
    indices = list(range(len(view.model.events)))
    contents = split_by_window(bounds, precisions, indices, YEAR_2023)
    assert len(contents.lanes) + len(contents.band) + contents.earlier + contents.later == len(
        indices)
    assert contents.earlier == 3 and contents.later == 0
    ttp = view.event_index["ttp-attacks-on-pakistan"]
    assert ttp in contents.lanes
    assert all(precisions[i].mark is Mark.YEAR for i in contents.band)
    firsts, members = group_alike(keys, contents.lanes)
    layout = layout_events(bounds, firsts, Axis.of_window(YEAR_2023, 116), 6)
    assert not any(layout.overflow), "at a year's width every dated event has a lane"
    assert any(ttp in lane for lane in layout.lanes)
    assert sum(len(group) for group in members.values()) >= 3  # the three Q4 events, drawn once


def test_the_band_shows_every_marker_where_they_fit_and_a_run_around_the_cursor_where_not(
) -> None:
    bounds = [(day("2023-01-01"), day("2023-12-31"))] * 30
    scores = [1.0] * 15 + [-1.0] * 15
    axis = Axis.of_window(YEAR_2023, 116)
    pieces = band_pieces(bounds, scores, list(range(30)), axis, None)
    assert pieces[0].text.startswith("┄ sometime in 2023 (30)")
    assert [p.index for p in pieces if p.index != EMPTY] == list(range(30))
    narrow = band_pieces(bounds, scores, list(range(30)), Axis.of_window(YEAR_2023, 20), 25)
    shown = [p.index for p in narrow if p.index != EMPTY]
    assert 25 in shown and len(shown) < 30
    assert any(p.text == "…" for p in narrow)
    assert narrow[0].text.startswith("┄2023 (30):")  # not "2023?", an uncertain date


def test_the_strip_counts_intervals_in_every_tick_and_vague_dates_in_none() -> None:
    dates = ["2023", "2023-03", "2023-03-05", "2023-10/2023-12", "2023-06"]
    parsed = [parse_edtf(text) for text in dates]
    bounds, precisions, _ = event_dates(parsed)
    scores = [5.0, -2.0, 3.0, -4.0, 0.0]
    months = [dt.date(2023, m, 1).toordinal() for m in range(1, 13)]
    tallies = tally(bounds, precisions, scores, range(5), tick_bounds(YEAR_2023, months))
    assert len(tallies) == 12
    assert tallies[2] == (1, 1)  # March: the day and the month; not the year-only date
    assert tallies[9] == tallies[10] == tallies[11] == (0, 1)  # the Q4 interval
    assert tallies[5] == (0, 0)  # a score of 0 is neither
    cells = strip_cells(tallies, [i * 9 for i in range(12)], 108)
    assert "".join(glyph for glyph, _ in cells[18:23]) == "✚1 ✖1"


def test_alike_events_are_drawn_once_with_a_count() -> None:
    keys = event_dates(parse_edtf(text) for text in ["2023-10/2023-12"] * 3 + ["2023-11-08"]).keys
    firsts, members = group_alike(keys, [0, 1, 2, 3])
    assert firsts == [0, 3] and members == {0: [0, 1, 2]}
    assert group_label(members[0], None) == "×3"
    assert group_label(members[0], 2) == "3/3"
    assert with_label("┣━━━━━━┫", "×3") == "┣━━×3━━┫"
    assert with_label("▬▬▬", "×2") == "▬×2"
    assert with_label("●", "×2") == "●"


def test_a_lane_names_its_year_only_events_over_a_span_and_never_cuts_the_label() -> None:
    def lane(dates: list[str]) -> str:
        parsed = [parse_edtf(text) for text in dates]
        bounds, precisions, _ = event_dates(parsed)
        axis = Axis.of_window(YEAR_2023, 120)
        cells = lane_cells(bounds, precisions, [1.0] * len(dates),
                           list(range(len(dates))), axis, None)
        return "".join(glyph for glyph, _ in cells)

    # A span over the whole year used to hide its two year-only events entirely.
    assert lane(["2021-08/2023-12", "2023", "2023"]).startswith("┄ 2 in 2023 ━")
    # The label goes whole where it fits, never cut ("┄ 1 in 202▬") by a month early on...
    early = lane(["2023", "2023-02"])
    assert "┄ 1 in 2023 " in early and "202▬" not in early
    # ...and never over a span's ends, which say where and how surely it starts.
    assert lane(["2023-01~/2023-12?", "2023", "2023"]).startswith("~┄ 2 in 2023 ━")
    assert "┣┄ 2 in 2023 ━" in lane(["2023-01-20/2023-06", "2023", "2023"])


def test_a_lane_draws_the_cursor_over_everything_else() -> None:
    dates = ["2023", "2023-06", "2023-06-10"]
    parsed = [parse_edtf(text) for text in dates]
    bounds, precisions, _ = event_dates(parsed)
    axis = Axis.of_window(YEAR_2023, 120)
    cells = lane_cells(bounds, precisions, [1.0, -1.0, 2.0], [0, 1, 2], axis, 1)
    assert "".join(glyph for glyph, _ in cells).startswith("┄ 1 in 2023 ┄")
    june = axis.column(dt.date(2023, 6, 10))
    assert cells[june] == ("▬", 1)  # the cursor's month over the day inside it
    cells = lane_cells(bounds, precisions, [1.0, -1.0, 2.0], [0, 1, 2], axis, None)
    assert cells[june] == ("✚", 2)  # else the most precise on top


def test_paging_a_zoomed_window_keeps_its_kind_of_tick() -> None:
    """Three months run from 89 to 92 days: paging at one zoom must not flip the ticks
    between weeks and months."""
    for step in (ZoomStep(1, "month"), ZoomStep(3, "month"), ZoomStep(6, "month"),
                 ZoomStep(1, "year")):
        for width in (38, 58, 78, 116, 196):
            window = Window.around(step, dt.date(2023, 1, 15))
            kinds = set()
            for _ in range(12):
                kinds.add(choose_tick_unit(window, width).name)
                window = window.shifted(1)
            assert len(kinds) == 1, (step, width, kinds)


def test_one_day_is_named_once_and_the_calendar_s_last_day_is_a_window() -> None:
    june_8 = day("2023-06-08")
    assert Window.of_ordinals(june_8, june_8).label() == "8 Jun 2023"
    last = dt.date.max.toordinal()
    assert Window.of_ordinals(last, last).last_ordinal <= last


def test_paging_stops_at_the_calendar_s_edges() -> None:
    first = Window(dt.date(1, 1, 1), dt.date(1, 1, 15))
    assert first.shifted(-1).days == 14
    last = Window(dt.date(9999, 10, 1), dt.date(9999, 12, 1))
    assert all(window.end > window.start
               for window in (last.shifted(1), last.shifted(2), Window.of_ordinals(
                   dt.date(9999, 12, 1).toordinal(), dt.date.max.toordinal()).shifted(1)))


def test_a_lane_keeps_its_other_events_when_the_cursor_is_on_a_span() -> None:
    """Drawn last, a cursor's span of years covered its whole lane: its year-only label,
    and the days and months inside it, vanished while the cursor was on it."""
    dates = ["2021-08/2023-12", "2023", "2023-11-08", "2019-01/2020-06"]
    parsed = [parse_edtf(text) for text in dates]
    bounds, precisions, _ = event_dates(parsed)
    axis = Axis.of_window(YEAR_2023, 120)
    cells = lane_cells(bounds, precisions, [-8.0, 1.0, -5.0, 1.0], [0, 1, 2, 3], axis, 0)
    line = "".join(glyph for glyph, _ in cells)
    assert line.startswith("┄ 1 in 2023 ━") and "✖" in line
    assert sum(index == 0 for _, index in cells) > 60  # the rest of the lane: the span's


def test_the_strip_shows_counts_everywhere_or_bars_everywhere() -> None:
    """Counts where they fitted and bars where not ("▇▇▇ ✚288 ✖183 ███") could not be
    compared along the strip."""
    bars = strip_cells([(1, 1), (3000, 2000), (2, 0)], [0, 10, 20], 30)
    text = "".join(glyph for glyph, _ in bars)
    assert not any(char.isdigit() for char in text) and text[:9].strip()
    counts = strip_cells([(1, 1), (30, 20), (2, 0)], [0, 12, 24], 36)
    assert "".join(glyph for glyph, _ in counts).split() == ["✚1", "✖1", "✚30", "✖20", "✚2"]


def test_the_year_band_reaches_the_end_of_a_window_of_days() -> None:
    """A week's band stopped at the start of its last day: 11 columns short at 78."""
    axis = Axis.of_window(Window(dt.date(2023, 6, 5), dt.date(2023, 6, 12)), 78)
    bounds, _, _ = event_dates([parse_edtf("2023")])
    pieces = band_pieces(bounds, [1.0], [0], axis, None)
    assert max(piece.column + len(piece.text) for piece in pieces) == 78
    assert axis.last_column_of(dt.date(2023, 6, 5).toordinal()) == 10


def test_a_short_span_under_the_cursor_is_drawn_over_what_covers_it() -> None:
    """Drawn under months and days, a span they cover entirely had no cell: no cursor."""
    dates = ["2023-06-10/2023-06-20", "2023-06"]
    parsed = [parse_edtf(text) for text in dates]
    bounds, precisions, _ = event_dates(parsed)
    axis = Axis.of_window(YEAR_2023, 80)
    cells = lane_cells(bounds, precisions, [1.0, -1.0], [0, 1], axis, 0)
    assert any(index == 0 for _, index in cells)
    cells = lane_cells(bounds, precisions, [1.0, -1.0], [0, 1], axis, None)
    assert not any(index == 0 for _, index in cells)  # the month over it, as before


def test_years_side_by_side_in_the_band_each_say_their_year() -> None:
    """At years zoom on a large model each year's stretch had room for "273:" and markers,
    and the years could not be told apart."""
    bounds = [(day(f"{year}-01-01"), day(f"{year}-12-31")) for year in (2022, 2023)
              for _ in range(300)]
    axis = Axis.of_window(Window(dt.date(2022, 1, 1), dt.date(2024, 1, 1)), 28)
    pieces = band_pieces(bounds, [1.0] * 600, list(range(600)), axis, None)
    labels = [piece.text for piece in pieces if piece.index == EMPTY and ":" in piece.text]
    assert labels == ["┄2022:", "┄2023:"]


def test_a_span_under_the_cursor_in_a_busy_lane_shows_its_ends_only() -> None:
    """Drawn whole when days covered it all, a year-long span under the cursor replaced
    every day's marker in its lane."""
    dates = ["2023-01-01/2023-12-31", *(f"2023-{month:02d}-{day:02d}" for month in range(1, 13)
                                        for day in range(1, 29, 3))]
    parsed = [parse_edtf(text) for text in dates]
    bounds, precisions, _ = event_dates(parsed)
    axis = Axis.of_window(YEAR_2023, 80)
    scores = [1.0] + [-1.0] * (len(dates) - 1)
    cells = lane_cells(bounds, precisions, scores, list(range(len(dates))), axis, 0)
    on_cursor = [column for column, (_, index) in enumerate(cells) if index == 0]
    assert on_cursor and len(on_cursor) <= 2
    assert sum(glyph == "✖" for glyph, _ in cells) > 60
