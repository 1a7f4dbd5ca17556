"""The Forecasting page's series: the offline built-ins (assets/data/, see SOURCES.md) and the user's CSV.

Pure functions, no Streamlit: each either returns data or raises ValueError with a message meant for the
page as it stands. A Series' `note` says, in plain words, what was done to the data (filled blanks, sorted
rows, uneven steps), so the page never changes a series silently.
"""
import functools
import io
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from pandas.tseries.api import guess_datetime_format

DATA = Path(__file__).resolve().parents[2] / "assets" / "data"
MAX_BYTES = 2 * 1024 * 1024  # an upload larger than 2 MB is refused before parsing
MAX_ROWS = 20_000  # more rows than this would make training too slow for a class
MIN_ROWS = 40  # fewer rows leave too little for a look-back window on both sides of the split
MAX_MISSING = 0.10  # more than 10 % blank values is refused rather than filled


@dataclass(frozen=True)
class Series:
    """One series ready for the engine: dates (datetime64) and float64 values of one length."""
    key: str
    name: str
    unit: str
    dates: np.ndarray
    values: np.ndarray
    note: str  # how gaps, blanks or order were handled; "" if nothing was needed


BUILT_IN = {
    "seattle_temp_max": "Seattle daily maximum temperature, °C, 2012–2015 (1,461 days)",
    "aapl": "Apple (AAPL) monthly close, USD, 2000–2010",
    "amzn": "Amazon (AMZN) monthly close, USD, 2000–2010",
    "goog": "Google (GOOG) monthly close, USD, 2004–2010",
    "ibm": "IBM monthly close, USD, 2000–2010",
    "msft": "Microsoft (MSFT) monthly close, USD, 2000–2010",
    "seattle_hourly": "Seattle hourly temperature, °F, 2010",
    "sf_hourly": "San Francisco hourly temperature, °F, 2010",
}

# key -> (file, ticker or None, date column, value column, name, unit)
_FILES = {
    "seattle_temp_max": ("seattle-weather.csv", None, "date", "temp_max", "Seattle daily max temperature", "°C"),
    **{t.lower(): ("stocks.csv", t, "date", "price", f"{t} monthly close", "USD")
       for t in ("AAPL", "AMZN", "GOOG", "IBM", "MSFT")},
    "seattle_hourly": ("seattle-temps.csv", None, "date", "temp", "Seattle hourly temperature", "°F"),
    "sf_hourly": ("sf-temps.csv", None, "date", "temp", "San Francisco hourly temperature", "°F"),
}


@functools.cache
def load_builtin(key):
    """The built-in series `key` (one of BUILT_IN), read from assets/data once per process."""
    if key not in _FILES:
        raise ValueError(f"unknown series {key!r}: choose one of {', '.join(BUILT_IN)}")
    file, ticker, date_col, value_col, name, unit = _FILES[key]
    df = pd.read_csv(DATA / file)
    if ticker is not None:
        df = df[df["symbol"] == ticker]
    return _series(key, name, unit, df[date_col], df[value_col])


def read_csv(raw, name):
    """The uploaded bytes as a DataFrame; ValueError saying what is wrong with the file."""
    if not raw:
        raise ValueError(f"The file {name} is empty.")
    if len(raw) > MAX_BYTES:
        raise ValueError(f"The file {name} is {len(raw) / 2**20:.1f} MB; the limit is {MAX_BYTES // 2**20} MB.")
    text = _text(raw, name)
    df = _parse(text, name)
    if len(df) > MAX_ROWS:
        raise ValueError(f"The file {name} has {len(df):,} rows; the limit is {MAX_ROWS:,} (use a shorter stretch).")
    if not columns(df)[1]:
        found = ", ".join(map(str, df.columns))
        raise ValueError(f"The file {name} has no numeric column: a forecast needs one column of numbers written with a "
                         f"decimal point and no thousands separators (columns found: {found}).")
    return df


def columns(df):
    """(date-like column names, numeric column names) of the DataFrame, in file order."""
    numeric = [c for c in df.columns if _is_numeric(df[c])]
    dates = [c for c in df.columns if c not in numeric and _looks_like_dates(df[c])]
    return dates, numeric


def series_from_upload(df, date_col, value_col, name):
    """The chosen columns as a Series, or ValueError; blanks filled, order fixed, and `note` says so."""
    for col in (date_col, value_col):
        if col not in df.columns:
            raise ValueError(f"there is no column {col!r} in the file.")
    if date_col == value_col:
        raise ValueError("pick two different columns for the dates and the values.")
    if not _is_numeric(df[value_col]):
        raise ValueError(f"the column {value_col!r} does not hold numbers; pick a numeric column for the values.")
    return _series("upload", name, "", df[date_col], df[value_col])


def _series(key, name, unit, date_column, value_column):
    """Validated, sorted, gap-filled Series from a date column and a value column (any dtypes)."""
    dates = _dates(date_column.reset_index(drop=True))
    values = _numbers(value_column.reset_index(drop=True))
    notes = []
    dates, values = _sorted(dates, values, notes)
    dates, values = _filled(dates, values, notes)
    if len(values) < MIN_ROWS:
        raise ValueError(f"only {len(values)} rows with values; at least {MIN_ROWS} are needed "
                         "for look-back windows in both the training and the test part.")
    if np.all(values == values[0]):
        raise ValueError(f"every value in {value_column.name!r} is {values[0]:g}: "
                         "a constant series has nothing to forecast.")
    notes += _gaps(dates)
    dates.flags.writeable = values.flags.writeable = False  # cached: nobody may change them
    return Series(key, name, unit, dates, values, " ".join(notes))


def _text(raw, name):
    """The bytes decoded as UTF-8 text (a byte-order mark is allowed); binary files refused."""
    if b"\x00" in raw[:4096]:
        raise ValueError(f"The file {name} is a binary file, not a CSV (a spreadsheet? save it as CSV first).")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise ValueError(f"The file {name} is not UTF-8 text (byte {err.start}): save it as a UTF-8 CSV.") from None
    if not text.strip():
        raise ValueError(f"The file {name} is empty.")
    return text


def _parse(text, name):
    """Comma-separated first; semicolons or tabs if the header uses them instead."""
    header = text.lstrip().splitlines()[0]
    sep = "," if "," in header else ";" if ";" in header else "\t" if "\t" in header else ","
    try:
        df = pd.read_csv(io.StringIO(text), sep=sep)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError) as err:
        raise ValueError(f"The file {name} is not a readable CSV{_detail(err)}.") from None
    shifted = not isinstance(df.index, pd.RangeIndex)  # pandas silently makes an extra first field the index
    if shifted:
        raise ValueError(f"The file {name}'s rows have one field more than its header ({len(df.columns)} names): "
                         "a comma inside a value, or at the end of each row? Quote or remove it.")
    if df.empty:
        raise ValueError(f"The file {name} has a header but no rows of data.")
    if len(df.columns) < 2:
        raise ValueError(f"The file {name} has one column; a forecast needs a date column and a value column "
                         "separated by commas.")
    return df


def _detail(err):
    """': ' and the first line of pandas' complaint, without its tokenizer jargon; '' if it said nothing."""
    lines = str(err).strip().splitlines()
    detail = lines[0].replace("Error tokenizing data. C error: ", "").rstrip(".") if lines else ""
    return f": {detail}" if detail else ""


def _is_numeric(col):
    """A column of numbers (blanks allowed, not booleans), or of text that is at least 90 % numbers:
    a stray word must be named in its row by series_from_upload, not hide the column."""
    if pd.api.types.is_bool_dtype(col) or col.isna().all():
        return False
    if pd.api.types.is_numeric_dtype(col):
        return True
    filled = col.dropna().astype(str).str.strip()
    filled = filled[filled != ""]
    return len(filled) > 0 and pd.to_numeric(filled, errors="coerce").notna().mean() >= 0.9


def _looks_like_dates(col):
    """Most of the first 50 non-blank entries parse as dates."""
    sample = col.dropna().astype(str).head(50)
    return len(sample) > 0 and _to_datetime(sample).notna().mean() >= 0.8


def _to_datetime(col):
    """Dates from strings (NaT where not a date): the format of the first entry, then, for entries
    that failed it, each entry on its own (dateutil)."""
    col = col.astype(str).str.strip()
    first = next((v for v in col if v), "")
    fmt = guess_datetime_format(first) if first else None
    parsed = pd.to_datetime(col, errors="coerce", utc=True, format=fmt or "mixed")
    bad = parsed.isna() & (col != "")
    if fmt and bad.any():
        parsed[bad] = pd.to_datetime(col[bad], errors="coerce", utc=True, format="mixed")
    return parsed.dt.tz_convert(None)


def _dates(col):
    """The date column as datetime64[ns]; ValueError naming the first row that is not a date."""
    parsed = _to_datetime(col.astype(object).where(col.notna(), ""))  # blanks stay blank, not "nan"
    bad = np.flatnonzero(parsed.isna().to_numpy())
    if bad.size:
        i = int(bad[0])
        shown = "a blank" if pd.isna(col[i]) or str(col[i]).strip() == "" else repr(str(col[i]))
        raise ValueError(f"the date in data row {i + 1} (line {i + 2} of the file) is {shown}, "
                         f"not a date{f'; {bad.size} such rows' if bad.size > 1 else ''}.")
    return parsed.to_numpy(dtype="datetime64[ns]")


def _numbers(col):
    """The value column as float64 with NaN for blanks; ValueError naming text or infinite entries."""
    values = pd.to_numeric(col, errors="coerce").to_numpy(dtype=np.float64)
    text = pd.isna(values) & col.notna().to_numpy() & (col.astype(str).str.strip() != "").to_numpy()
    if text.any():
        i = int(np.flatnonzero(text)[0])
        raise ValueError(f"the value in data row {i + 1} (line {i + 2} of the file) is {str(col[i])!r}, "
                         "not a number.")
    inf = np.flatnonzero(np.isinf(values))
    if inf.size:
        raise ValueError(f"the value in data row {inf[0] + 1} (line {inf[0] + 2} of the file) is infinite.")
    return values


def _sorted(dates, values, notes):
    """Refuse duplicate dates (naming one); sort dates that are out of order and say so."""
    uniq, counts = np.unique(dates, return_counts=True)
    if (counts > 1).any():
        dup = pd.Timestamp(uniq[counts > 1][0])
        shown = dup.strftime("%Y-%m-%d") if dup == dup.normalize() else dup.strftime("%Y-%m-%d %H:%M:%S")
        repeats = int((counts > 1).sum())
        others = "" if repeats == 1 else f", and {repeats - 1} other date{'s' if repeats > 2 else ''} repeat too"
        raise ValueError(f"the date {shown} appears {counts[counts > 1][0]} times{others}: keep one row per "
                         "date (one file per series).")
    if np.any(np.diff(dates) < np.timedelta64(0)):
        order = np.argsort(dates, kind="stable")
        dates, values = dates[order], values[order]
        notes.append("The rows were not in date order; they are sorted.")
    return dates, values


def _filled(dates, values, notes):
    """Drop blank values at either end, fill inner blanks linearly between neighbours, say how many;
    refuse more than MAX_MISSING of them."""
    missing = np.isnan(values)
    if missing.mean() > MAX_MISSING:
        raise ValueError(f"{int(missing.sum())} of {len(values)} values are blank "
                         f"(more than {MAX_MISSING:.0%}): too many to fill in honestly.")
    keep = np.flatnonzero(~missing)
    lo, hi = keep[0], keep[-1] + 1
    if lo > 0 or hi < len(values):
        notes.append(f"{lo + len(values) - hi} blank value(s) at the start or end were dropped.")
    dates, values, missing = dates[lo:hi], values[lo:hi].copy(), missing[lo:hi]
    if missing.any():
        rows = np.arange(len(values))
        values[missing] = np.interp(rows[missing], rows[~missing], values[~missing])
        notes.append(f"{int(missing.sum())} blank value(s) were filled linearly between their neighbours.")
    return dates, values


def _gaps(dates):
    """A note if some steps between dates are uneven (over 1.5x, or under half, the median step)."""
    steps = np.diff(dates).astype("timedelta64[s]").astype(np.int64)
    if steps.size == 0:
        return []
    median = np.median(steps)
    uneven = int(np.sum((steps > 1.5 * median) | (steps < 0.5 * median)))
    if uneven == 0:
        return []
    verb = "is" if uneven == 1 else "are"
    where = (f"{uneven:,} of the {steps.size:,} steps {verb} not {_span(median)} long (they range from "
             f"{_span(steps.min())} to {_span(steps.max())})")
    return [f"The dates are not evenly spaced: {where}. The model sees rows, not dates."]


def _span(seconds):
    """A duration in words: '1 hour', '3 days'."""
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds >= size:
            n = seconds / size
            return f"{n:.3g} {unit}{'s' if n != 1 else ''}"
    return f"{seconds:g} seconds"
