"""Error-code parity with botocore: every answer in table.json goes through botocore's own
response parser for SWF's protocol (taken from SWF's model in botocore), and the code it
yields must be the table's 'botocore' column. Where swf-edge's code (the 'code' column,
checked by the native cargo test in src/swf/error.rs) differs, the row must say why."""

import json
import pathlib

import botocore.parsers
import botocore.session
import pytest

TABLE = json.loads((pathlib.Path(__file__).parent / "table.json").read_text(encoding="utf-8"))
ROWS = TABLE["rows"]


@pytest.fixture(scope="module")
def swf_parser():
    model = botocore.session.get_session().get_service_model("swf")
    assert model.protocol == "json", model.protocol
    assert model.metadata["jsonVersion"] == "1.0"
    return botocore.parsers.create_parser(model.protocol)


def botocore_code(parser, row):
    response = {
        "status_code": row["status"],
        "headers": {k.lower(): v for k, v in row["headers"].items()},
        "body": row["body"].encode("utf-8"),
    }
    return parser.parse(response, None)["Error"]["Code"]


@pytest.mark.parametrize("row", ROWS, ids=[f"{i}-{r['status']}" for i, r in enumerate(ROWS)])
def test_botocore_parses_the_code_in_the_table(swf_parser, row):
    if row["botocore"] is None:
        with pytest.raises(Exception):
            botocore_code(swf_parser, row)
    else:
        assert botocore_code(swf_parser, row) == row["botocore"]


@pytest.mark.parametrize("row", ROWS, ids=[f"{i}-{r['status']}" for i, r in enumerate(ROWS)])
def test_every_difference_from_botocore_is_explained(row):
    if row["code"] != row["botocore"]:
        assert row.get("note"), f"swf-edge's code {row['code']!r} differs from botocore's {row['botocore']!r} without a note"
    else:
        assert "note" not in row, "a note on a row where the codes agree"


def test_the_table_covers_the_rules():
    """Namespaces, ':' suffixes, the code field, the header, client-side names, bad codes."""
    bodies = [r["body"] for r in ROWS]
    assert any("#" in b and ":" in b for b in bodies)
    assert any('"code"' in b for b in bodies)
    assert any(any(k.lower() == "x-amzn-errortype" for k in r["headers"]) for r in ROWS)
    assert sum(r["name"] == "ServiceError" for r in ROWS) >= 8
    assert len(ROWS) >= 40
