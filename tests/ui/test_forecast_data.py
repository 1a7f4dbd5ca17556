"""ui/forecast/data.py: the built-in series, the issue's numbers on them, and a small bad file of every kind."""
import itertools

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lstm_core import series as S
from ui.forecast import data as D


def daily_csv(n=60, values=None, sep=","):
    """A well-formed daily CSV of n rows (date, temp), values 0, 1, 0, 2, ... unless given."""
    values = [str((i % 7) * 0.5) for i in range(n)] if values is None else values
    dates = np.arange(np.datetime64("2021-01-01"), np.datetime64("2021-01-01") + len(values))
    return ("date" + sep + "temp\n" + "".join(f"{d}{sep}{v}\n" for d, v in zip(dates, values))).encode()


def upload(raw, date_col="date", value_col="temp"):
    """The page's path: bytes -> DataFrame -> Series."""
    return D.series_from_upload(D.read_csv(raw, "my.csv"), date_col, value_col, "my.csv")


# --- built-ins -------------------------------------------------------------------------------------

def test_built_in_keys_are_the_specs_in_order():
    assert list(D.BUILT_IN) == ["seattle_temp_max", "aapl", "amzn", "goog", "ibm", "msft",
                                "seattle_hourly", "sf_hourly"]


@pytest.mark.parametrize("key, rows", [("seattle_temp_max", 1461), ("aapl", 123), ("amzn", 123), ("ibm", 123),
                                       ("msft", 123), ("goog", 68), ("seattle_hourly", 8759),
                                       ("sf_hourly", 8759)])
def test_built_in_row_counts(key, rows):
    s = D.load_builtin(key)
    assert len(s.values) == len(s.dates) == rows
    assert s.values.dtype == np.float64 and np.isfinite(s.values).all()
    assert np.all(np.diff(s.dates) > np.timedelta64(0))


def test_built_ins_are_read_once_and_cannot_be_changed_by_a_caller():
    s = D.load_builtin("aapl")
    assert D.load_builtin("aapl") is s
    with pytest.raises(ValueError):
        s.values[0] = 0.0


def test_hourly_built_ins_say_their_one_uneven_step():
    for key in ("seattle_hourly", "sf_hourly"):
        assert ("1 of the 8,758 steps is not 1 hour long (they range from 1 hour to 2 hours)"
                in D.load_builtin(key).note)
    assert D.load_builtin("seattle_temp_max").note == ""


def test_unknown_built_in_is_refused_by_name():
    with pytest.raises(ValueError, match="unknown series 'tsla'"):
        D.load_builtin("tsla")


def seed_windows(key, leak):
    """The seed's preparation of a built-in: split 0.8, look_back 10, scaler whole series or train part."""
    v = D.load_builtin(key).values
    n_train = S.split_point(len(v), 0.8, 10)
    scaler = S.fit_scaler(v, n_train, leak=leak)
    return scaler, S.make_windows(scaler.transform(v), n_train, 10)


def test_seattle_gives_the_seeds_1157_training_windows_and_persistence_rmse_3_096():
    scaler, w = seed_windows("seattle_temp_max", leak=True)
    assert (len(w.y_train), len(w.y_test)) == (1157, 282)
    rmse = S.rmse(scaler.inverse(S.persistence(w.X_test)), scaler.inverse(w.y_test))
    assert rmse == pytest.approx(3.096, abs=5e-4)


def test_seattle_leak_changes_nothing_because_the_extremes_lie_in_the_training_part():
    assert seed_windows("seattle_temp_max", True)[0] == seed_windows("seattle_temp_max", False)[0]


def test_aapl_persistence_rmse_is_13_00_and_leak_free_test_values_reach_1_07():
    scaler, w = seed_windows("aapl", leak=True)
    assert S.rmse(scaler.inverse(S.persistence(w.X_test)), scaler.inverse(w.y_test)) == pytest.approx(13.00, abs=5e-3)
    assert w.X_test.max() <= 1.0
    _, free = seed_windows("aapl", leak=False)
    assert max(free.X_test.max(), free.y_test.max()) == pytest.approx(1.07, abs=5e-3)


def baseline_test_rmse(key, leak):
    """Test RMSE in original units of persistence, moving average (k = look_back) and linear AR."""
    scaler, w = seed_windows(key, leak)
    coef = S.fit_linear_ar(w.X_train, w.y_train)
    preds = {"persistence": S.persistence(w.X_test), "moving_average": S.moving_average(w.X_test, 10),
             "linear_ar": S.linear_ar(coef, w.X_test)}
    return {m: S.rmse(scaler.inverse(p), scaler.inverse(w.y_test)) for m, p in preds.items()}


def test_on_seattle_linear_ar_beats_persistence_which_beats_the_moving_average():
    r = baseline_test_rmse("seattle_temp_max", leak=True)
    assert r == pytest.approx({"persistence": 3.096, "moving_average": 3.589, "linear_ar": 2.865}, abs=5e-4)


def test_on_aapl_persistence_beats_linear_ar_and_the_moving_average():
    r = baseline_test_rmse("aapl", leak=True)
    assert r == pytest.approx({"persistence": 12.999, "moving_average": 45.966, "linear_ar": 17.432}, abs=5e-4)


@pytest.mark.parametrize("key", ["seattle_temp_max", "aapl"])
def test_the_scaler_leak_does_not_change_any_baseline_in_original_units(key):
    """Baselines are affine-equivariant (AR has an intercept): only the LSTM can feel the leak."""
    assert baseline_test_rmse(key, True) == pytest.approx(baseline_test_rmse(key, False), rel=1e-9)


# --- good uploads ----------------------------------------------------------------------------------

def test_a_clean_upload_is_a_series_with_no_note():
    s = upload(daily_csv())
    assert (s.key, s.name, len(s.values), s.note) == ("upload", "my.csv", 60, "")
    assert s.dates.dtype == np.dtype("datetime64[ns]")


def test_columns_finds_date_like_and_numeric_columns_in_file_order():
    raw = b"when,label,a,b\n" + b"".join(f"2020-01-{d:02d},x,{d},{d * 2.5}\n".encode() for d in range(1, 29))
    assert D.columns(D.read_csv(raw, "t.csv")) == (["when"], ["a", "b"])


def test_semicolons_and_a_byte_order_mark_are_read():
    assert len(upload(daily_csv(sep=";")).values) == 60
    assert len(upload(b"\xef\xbb\xbf" + daily_csv()).values) == 60


def test_month_name_dates_like_the_stocks_file_parse():
    rows = "".join(f"{m} 1 {y},{y - 1990 + i}\n" for y in range(2000, 2005)
                   for i, m in enumerate(["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep",
                                          "Oct", "Nov", "Dec"]))
    s = upload(("date,temp\n" + rows).encode())
    assert len(s.values) == 60 and s.note == ""  # monthly steps of 28-31 days count as even


# --- bad files: one of each kind --------------------------------------------------------------------

@pytest.mark.parametrize("raw, message", [
    (b"", "is empty"),
    (b"  \n\n", "is empty"),
    (b"x" * (D.MAX_BYTES + 1), "the limit is 2 MB"),
    (b"PK\x03\x04\x00\x00\x08\x00", "binary file"),
    ("date,temp\n2021-01-01,café\n".encode("latin-1"), "not UTF-8"),
    (b"date,temp\n2021-01-01,1\n2021-01-02,2,3,4\n", "not a readable CSV: Expected 2 fields in line 3, saw 4"),
    (b"date,temp\n1 Jan, 2021,3\n2 Jan, 2021,4\n", "one field more than its header \\(2 names\\)"),
    (b"date,temp\n2021-01-01,3,\n2021-01-02,4,\n", "one field more than its header"),
    (b"just some words\nand more\n", "has one column"),
    (b"date,temp\n", "header but no rows"),
    (b"date,city\n2021-01-01,Oslo\n2021-01-02,Bergen\n", "no numeric column"),
    (b"date,temp\n2021-01-01,\n2021-01-02,\n", "no numeric column"),
    (b'date,temp\n2021-01-01,"1,5"\n2021-01-02,"2,5"\n', "no numeric column: .* decimal point"),
])
def test_a_bad_file_is_refused_with_a_clear_message(raw, message):
    with pytest.raises(ValueError, match=message):
        D.read_csv(raw, "my.csv")


def test_too_many_rows_is_refused():
    raw = b"t,v\n" + b"".join(f"{i},{i % 5}\n".encode() for i in range(D.MAX_ROWS + 1))
    with pytest.raises(ValueError, match="20,001 rows; the limit is 20,000"):
        D.read_csv(raw, "big.csv")


@pytest.mark.parametrize("raw, message", [
    (daily_csv(D.MIN_ROWS - 1), f"only {D.MIN_ROWS - 1} rows.*at least {D.MIN_ROWS}"),
    (daily_csv().replace(b"2021-01-05,", b"soon,"), "data row 5 \\(line 6 of the file\\) is 'soon', not a date"),
    (daily_csv().replace(b"2021-01-05,", b","), "data row 5 .* is a blank, not a date"),
    (daily_csv().replace(b"2021-01-05,2.0", b"2021-01-05,warm"), "data row 5 .* is 'warm', not a number"),
    (daily_csv().replace(b"2021-01-05,2.0", b"2021-01-05,inf"), "data row 5 .* is infinite"),
    (daily_csv().replace(b"2021-01-05,", b"2021-01-04,"), "the date 2021-01-04 appears 2 times:"),
    (daily_csv(values=["3.5"] * 60), "every value in 'temp' is 3.5: a constant series"),
    (daily_csv(values=["1"] * 50 + [""] * 10), "10 of 60 values are blank"),
])
def test_a_bad_series_is_refused_with_a_clear_message(raw, message):
    with pytest.raises(ValueError, match=message):
        upload(raw)


def test_picking_a_missing_or_the_same_column_is_refused():
    df = D.read_csv(daily_csv(), "my.csv")
    with pytest.raises(ValueError, match="no column 'rain'"):
        D.series_from_upload(df, "date", "rain", "my.csv")
    with pytest.raises(ValueError, match="two different columns"):
        D.series_from_upload(df, "temp", "temp", "my.csv")


# --- repaired files: kept, and the note says what was done -----------------------------------------

def test_inner_blanks_are_filled_linearly_and_counted():
    values = [str(float(i)) for i in range(60)]
    values[10] = values[11] = ""
    s = upload(daily_csv(values=values))
    np.testing.assert_array_equal(s.values, np.arange(60.0))  # a straight line filled linearly is the line
    assert "2 blank value(s) were filled linearly between their neighbours" in s.note


def test_blanks_at_the_ends_are_dropped_and_said():
    values = [""] + [str(i % 9) for i in range(58)] + [""]
    s = upload(daily_csv(values=values))
    assert len(s.values) == 58
    assert s.dates[0] == np.datetime64("2021-01-02")
    assert "2 blank value(s) at the start or end were dropped" in s.note


def test_unsorted_dates_are_sorted_and_said():
    raw = daily_csv()
    header, *rows = raw.decode().splitlines()
    s = upload(("\n".join([header] + rows[::-1]) + "\n").encode())
    assert np.all(np.diff(s.dates) > np.timedelta64(0))
    np.testing.assert_array_equal(s.values, upload(raw).values)
    assert "sorted" in s.note


def test_irregular_gaps_are_kept_and_said():
    raw = daily_csv().decode().splitlines()
    del raw[20:25]  # five missing days
    s = upload(("\n".join(raw) + "\n").encode())
    assert len(s.values) == 55
    assert "1 of the 54 steps is not 1 day long (they range from 1 day to 6 days)" in s.note
    assert "The model sees rows, not dates" in s.note


def test_dates_with_time_zones_are_read_as_utc():
    rows = "".join(f"2021-01-{d:02d}T06:00:00+02:00,{d % 4}\n" for d in range(1, 29))
    rows += "".join(f"2021-02-{d:02d}T04:00:00Z,{d % 3}\n" for d in range(1, 21))
    s = upload(("date,temp\n" + rows).encode())
    assert s.dates[0] == np.datetime64("2021-01-01T04:00") and s.dates[-1] == np.datetime64("2021-02-20T04:00")


def test_a_column_of_booleans_or_blanks_is_not_offered_or_taken_as_values():
    rows = "".join(f"2021-01-{d:02d},{d % 4},{d % 2 == 0},\n" for d in range(1, 29))
    df = D.read_csv(("date,temp,flag,empty\n" + rows).encode(), "my.csv")
    assert D.columns(df) == (["date"], ["temp"])
    with pytest.raises(ValueError, match="'flag' does not hold numbers"):
        D.series_from_upload(df, "date", "flag", "my.csv")


TOKENS = ["2021-01-01", "2021/13/45", "Jan 1 2000", "1", "-2.5", "1e308", "inf", "nan", "", " ", "x", "True",
          "1,5", '"a,b"', "é", "\t", ";", "NaT", "0"]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=st.lists(st.lists(st.sampled_from(TOKENS), min_size=1, max_size=4), min_size=0, max_size=60),
       junk=st.binary(max_size=64))
def test_any_small_file_gives_a_series_or_a_value_error_never_another_exception(rows, junk):
    for raw in (("\n".join(",".join(r) for r in [["date", "v", "w", "z"]] + rows) + "\n").encode(), junk):
        try:
            df = D.read_csv(raw, "f.csv")
        except ValueError:
            continue
        for date_col, value_col in itertools.permutations(df.columns, 2):
            try:
                s = D.series_from_upload(df, date_col, value_col, "f.csv")
            except ValueError:
                continue
            assert len(s.values) >= D.MIN_ROWS and np.isfinite(s.values).all()
