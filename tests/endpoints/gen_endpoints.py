#!/usr/bin/env python3
"""Writes the SWF endpoint table expected of swf-edge, computed by botocore.

For every region botocore knows (each partition's regions in `partitions.json` and
`endpoints.json`, and the SWF endpoints listed in `endpoints.json`), plus made-up regions
of every partition's pattern (so the rules, not a region list, are compared), and for
each variant (standard, FIPS, dual-stack, FIPS + dual-stack): the URL botocore's own
endpoint-rules engine (`botocore.endpoint_provider.EndpointProvider`, the resolver its
clients use) gives with SWF's `endpoint-rule-set-1.json`. tests/endpoints.rs (cargo test)
and tests/js/endpoints.test.mjs (the built package) compare swf-edge with this table.

Names that are not regions (the `*-global` pseudo-regions and the deprecated `fips-*` /
`*-fips` aliases) are listed apart: swf-edge may refuse them (use useFipsEndpoint).
Usage: gen_endpoints.py [--check]  (--check: fail if botocore.json differs from a fresh run)
"""
import json
import re
import sys
from pathlib import Path

import botocore
from botocore.endpoint_provider import EndpointProvider
from botocore.loaders import create_loader

OUT = Path(__file__).with_name("botocore.json")

# Made-up regions: one per partition pattern, and some that match no partition (then the
# rules fall back to `aws`).
MADE_UP = [
    "xx-test-9", "zz-mid-west-12", "us-test-3", "cn-test-9", "cn-north-east-1",
    "us-gov-test-9", "us-iso-test-9", "us-isob-test-9", "eu-isoe-test-9",
    "us-isof-test-9", "eusc-de-test-9", "eusc-fr-east-1", "us-isoz-east-1",
]
VARIANTS = [(False, False), (True, False), (False, True), (True, True)]


def pseudo(name):
    return name.endswith("-global") or name.startswith("fips-") or name.endswith("-fips") or not re.search(r"-\d+$", name)


def main():
    loader = create_loader()
    provider = EndpointProvider(loader.load_service_model("swf", "endpoint-rule-set-1"), loader.load_data("partitions"))
    names = set()
    for partition in loader.load_data("partitions")["partitions"]:
        names.update(partition["regions"])
    for partition in loader.load_data("endpoints")["partitions"]:
        names.update(partition["regions"])
        names.update(partition["services"].get("swf", {}).get("endpoints", {}))
    regions = sorted(n for n in names if not pseudo(n))
    rows = []
    for kind, group in (("known", regions), ("made-up", MADE_UP), ("pseudo", sorted(n for n in names if pseudo(n)))):
        for region in group:
            for fips, dualstack in VARIANTS:
                url = provider.resolve_endpoint(Region=region, UseFIPS=fips, UseDualStack=dualstack).url
                rows.append({"region": region, "kind": kind, "fips": fips, "dualstack": dualstack, "url": url + "/"})
    table = {
        "generated_by": "tests/endpoints/gen_endpoints.py",
        "botocore": botocore.__version__,
        "known_regions": len(regions),
        "rows": rows,
    }
    text = json.dumps(table, indent=1) + "\n"
    if "--check" in sys.argv:
        if OUT.read_text() != text:
            sys.exit(f"{OUT} differs from what botocore {botocore.__version__} gives: run {sys.argv[0]} and review the diff")
        print(f"{OUT.name}: {len(rows)} rows ({len(regions)} known regions x 4 variants, plus made-up and pseudo ones) match botocore {botocore.__version__}")
        return
    OUT.write_text(text)
    print(f"wrote {OUT} ({len(rows)} rows)")


if __name__ == "__main__":
    main()
