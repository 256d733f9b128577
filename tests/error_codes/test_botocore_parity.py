"""Error-code parity with botocore: every answer in table.json goes through botocore's own
response parser for SWF's protocol (taken from SWF's model in botocore), and the code it
yields must be the table's 'botocore' column; the same answers go through swf-edge's own
reader (pkg/answer.js, run by js_codes.mjs in Node), and the code and name it yields must
be the table's 'code' and 'name' columns. Where the two codes differ, the row must say why."""

import json
import pathlib
import shutil
import subprocess

import botocore.parsers
import botocore.session
import pytest

TABLE = json.loads((pathlib.Path(__file__).parent / "table.json").read_text(encoding="utf-8"))
ROWS = TABLE["rows"]
HERE = pathlib.Path(__file__).parent


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


@pytest.fixture(scope="module")
def swf_edge_records():
    node = shutil.which("node")
    assert node, "node is needed to run swf-edge's reader (pkg/answer.js)"
    out = subprocess.run([node, str(HERE / "js_codes.mjs")], check=True, capture_output=True, text=True, timeout=60)
    records = json.loads(out.stdout)
    assert len(records) == len(ROWS)
    return records


@pytest.mark.parametrize("i", range(len(ROWS)), ids=[f"{i}-{r['status']}" for i, r in enumerate(ROWS)])
def test_swf_edge_reads_the_code_and_name_in_the_table(swf_edge_records, i):
    row, record = ROWS[i], swf_edge_records[i]
    assert (record["code"], record["name"]) == (row["code"], row["name"]), row
    assert record["statusCode"] == row["status"]
    if row["status"] in (500, 502, 503, 504):
        assert record["retryable"] is True, "every 500, 502, 503 and 504 is retryable"


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
