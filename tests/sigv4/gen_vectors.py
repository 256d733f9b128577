#!/usr/bin/env python3
"""Writes SigV4 test vectors for swf-edge, computed by botocore's SigV4Auth.

botocore is an implementation independent of the `aws-sigv4` crate that swf-edge uses,
so `cargo test` (tests/sigv4_vectors.rs) compares our signatures with these.
Usage: gen_vectors.py [--check]  (--check: fail if vectors.json differs from a fresh run)
"""
import datetime
import json
import sys
from pathlib import Path
from unittest import mock

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

OUT = Path(__file__).with_name("vectors.json")

CASES = [
    {
        "name": "cancel with details",
        "url": "https://swf.us-east-1.amazonaws.com/",
        "region": "us-east-1",
        "target": "RespondActivityTaskCanceled",
        "body": {"taskToken": "AAAAKgAAAAIAAAAAAAAAA-token", "details": "operator cancelled"},
        "access_key_id": "AKIDEXAMPLE",
        "secret_access_key": "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
        "session_token": None,
        "time": "2026-11-25T12:36:00Z",
    },
    {
        "name": "session token and China region",
        "url": "https://swf.cn-north-1.amazonaws.com.cn/",
        "region": "cn-north-1",
        "target": "RespondActivityTaskCanceled",
        "body": {"taskToken": "tok"},
        "access_key_id": "ASIAEXAMPLE",
        "secret_access_key": "secret+/=",
        "session_token": "IQoJb3JpZ2luX2VjEXAMPLE//token==",
        "time": "2020-02-29T23:59:59Z",
    },
    {
        "name": "loopback endpoint with a port and unicode details",
        "url": "http://127.0.0.1:4566/",
        "region": "eu-west-3",
        "target": "RespondActivityTaskCanceled",
        "body": {"taskToken": "t\u00e9\u4e2d\U0001F600", "details": "line1\nline2 \"quoted\" \\ /"},
        "access_key_id": "AKIDLOCAL",
        "secret_access_key": "local-secret",
        "session_token": None,
        "time": "2000-01-01T00:00:00Z",
    },
]


def json_body(body):
    """The body exactly as swf-edge writes it (serde_json: compact, fields in order, UTF-8)."""
    return json.dumps(body, separators=(",", ":"), ensure_ascii=False)


def expected(case):
    """Signs one case with botocore at the case's fixed time."""
    body = json_body(case["body"])
    request = AWSRequest(
        method="POST",
        url=case["url"],
        data=body.encode("utf-8"),
        headers={
            "content-type": "application/x-amz-json-1.0",
            "x-amz-target": "SimpleWorkflowService." + case["target"],
        },
    )
    creds = Credentials(case["access_key_id"], case["secret_access_key"], case["session_token"])
    when = datetime.datetime.strptime(case["time"], "%Y-%m-%dT%H:%M:%SZ")
    with mock.patch("botocore.auth.get_current_datetime", return_value=when):
        SigV4Auth(creds, "swf", case["region"]).add_auth(request)
    return {
        "epoch_seconds": int(when.replace(tzinfo=datetime.timezone.utc).timestamp()),
        "body": body,
        "authorization": request.headers["Authorization"],
        "x_amz_date": request.headers["X-Amz-Date"],
        "x_amz_security_token": request.headers.get("X-Amz-Security-Token"),
    }


def main():
    vectors = [dict(case, expected=expected(case)) for case in CASES]
    text = json.dumps(vectors, indent=2, ensure_ascii=False) + "\n"
    if "--check" in sys.argv:
        if OUT.read_text(encoding="utf-8") != text:
            sys.exit(f"{OUT} is stale: run {sys.argv[0]} to regenerate it")
        print(f"{OUT.name}: {len(vectors)} vectors match botocore")
        return
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {len(vectors)} vectors to {OUT}")


if __name__ == "__main__":
    main()
