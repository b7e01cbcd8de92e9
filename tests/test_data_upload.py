"""Uploaded CSV files through the real parser: good files read, every malformed kind refused with a
message naming the row and the problem."""

import pytest

from landscapes.data.csvfile import MAX_BYTES, MAX_ROWS, CsvError, read_csv


def test_a_regression_file_with_a_header():
    rows = read_csv(b"x,y\n1,2\n2,4.5\n3,  6\n", "regression")
    assert rows == [(1.0, 0.0, 2.0), (2.0, 0.0, 4.5), (3.0, 0.0, 6.0)]


def test_a_classification_file_without_a_header_and_blank_lines():
    rows = read_csv(b"0.5,1,1\r\n\r\n-1,0.2,0\r\n", "classification")
    assert rows == [(0.5, 1.0, 1.0), (-1.0, 0.2, 0.0)]


def test_a_byte_order_mark_is_read():
    assert len(read_csv("\ufeffx,y\n1,2\n3,4\n".encode(), "regression")) == 2


BAD = [
    ("empty", b"", "regression", "empty"),
    ("blank", b"\n \n", "regression", "empty"),
    ("header only", b"x,y\n", "regression", "0 data rows"),
    ("one row", b"x,y\n1,2\n", "regression", "1 data row;"),
    ("text", b"x,y\n1,2\n3,abc\n", "regression", "row 3, column y: 'abc' is not a number"),
    ("nan", b"1,2\nnan,3\n", "regression", "row 2, column x: nan is not a finite number"),
    ("inf", b"1,2\n2,-inf\n", "regression", "row 2, column y: -inf is not a finite number"),
    ("huge value", b"1,2\n2,1e300\n", "regression", "row 2, column y: 1e+300 is larger"),
    ("wrong columns", b"x,y\n1,2\n3,4,5\n", "regression", "row 3 has 3 columns; expected 2"),
    ("too few columns", b"1,2,1\n3,4\n", "classification", "row 2 has 2 columns; expected 3"),
    ("header columns", b"a,b,c\n1,2\n", "regression", "row 1 (the header) has 3 columns"),
    ("constant x", b"1,2\n1,3\n1,4\n", "regression", "column x has the same value (1)"),
    ("constant feature", b"1,2,0\n1,3,1\n", "classification", "column x1 has the same value"),
    ("bad label", b"1,2,0\n2,3,2\n", "classification", "row 2, column label: 2 is not 0 or 1"),
    ("one class", b"1,2,1\n2,3,1\n", "classification", "both classes"),
    ("binary", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "regression", "not a text file"),
    ("not utf-8", b"x,y\n1,\xff\xfe\n", "regression", "not a UTF-8 text file"),
    ("too big", b"1,2\n" * (MAX_BYTES // 4 + 1), "regression", "at most 150 KB"),
    ("too many rows", b"".join(b"%d,1\n" % i for i in range(MAX_ROWS + 1)), "regression", "at most 10,000"),
]


@pytest.mark.parametrize(("raw", "kind", "message"), [b[1:] for b in BAD], ids=[b[0] for b in BAD])
def test_every_malformed_file_gets_a_clear_message(raw, kind, message):
    with pytest.raises(CsvError) as err:
        read_csv(raw, kind)
    assert message in str(err.value)
