#!/usr/bin/env python3
"""moto's own SWF test suite, run with swf_local's extension loaded.

    python3 tests/swf_local/moto_suite.py fetch     # idempotent (scripts/setup.sh)
    python3 tests/swf_local/moto_suite.py run       # extension loaded (scripts/test.sh)
    python3 tests/swf_local/moto_suite.py run --stock   # stock moto, for comparison

``fetch`` downloads the sdist of the pinned moto (``pip download moto==X --no-deps
--no-binary :all:``) and unpacks its ``tests/test_swf`` (plus the ``tests`` package
files it imports and ``setup.cfg``'s markers) into ``$SWF_EDGE_TOOLS/moto-X-tests``
(default ``/opt/swf-edge-tools``; outside git, kept across clones).  ``run`` runs
pytest there with ``-p swf_local.moto_plugin`` (which calls ``patches.apply()``)
and fails unless exactly EXPECTED_TESTS tests were collected (proof that it is
moto's whole suite) and all of them passed.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import subprocess
import sys
import tarfile
import tempfile
import xml.etree.ElementTree as ElementTree
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from swf_local.patches import SUPPORTED_MOTO_VERSION  # noqa: E402

#: Number of tests in moto 5.2.1's tests/test_swf (pytest's collection count).
EXPECTED_TESTS = 182
#: Files of the sdist the suite needs, relative to its top folder.
MEMBERS = ("tests/test_swf/", "tests/__init__.py", "tests/conftest.py", "tests/markers.py", "setup.cfg")
MARKER = ".swf-edge-complete"


def suite_dir() -> Path:
    """Where the unpacked suite lives."""
    tools = Path(os.environ.get("SWF_EDGE_TOOLS", "/opt/swf-edge-tools"))
    return tools / f"moto-{SUPPORTED_MOTO_VERSION}-tests"


def fetch() -> int:
    """Download and unpack the suite unless it is already there."""
    target = suite_dir()
    if (target / MARKER).is_file():
        print(f"moto suite: present in {target}")
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "-q", "--disable-pip-version-check",
             f"moto=={SUPPORTED_MOTO_VERSION}", "--no-deps", "--no-binary", ":all:", "-d", tmp],
            check=True,
        )
        sdist = Path(tmp) / f"moto-{SUPPORTED_MOTO_VERSION}.tar.gz"
        digest = hashlib.sha256(sdist.read_bytes()).hexdigest()
        top = f"moto-{SUPPORTED_MOTO_VERSION}/"
        staging = Path(tempfile.mkdtemp(prefix="moto-tests-", dir=target.parent if target.parent.exists() else None))
        with tarfile.open(sdist) as archive:
            members = [
                m for m in archive.getmembers()
                if m.name.startswith(top) and m.name[len(top):].startswith(MEMBERS)
            ]
            for member in members:
                member.name = member.name[len(top):]
            extract_filter = getattr(tarfile, "data_filter", None)
            if extract_filter:
                archive.extractall(staging, members=members, filter=extract_filter)
            else:  # Python < 3.11.4: names were checked by the prefix test above
                archive.extractall(staging, members=members)  # noqa: S202
        (staging / MARKER).write_text(f"moto {SUPPORTED_MOTO_VERSION} sdist sha256 {digest}\n")
        if target.exists():
            subprocess.run(["rm", "-rf", str(target)], check=True)
        target.parent.mkdir(parents=True, exist_ok=True)
        staging.rename(target)
    print(f"moto suite: unpacked into {target}")
    return 0


def run(stock: bool, extra: list[str]) -> int:
    """Run the suite; 0 only if all EXPECTED_TESTS were collected and passed."""
    target = suite_dir()
    if not (target / MARKER).is_file():
        print(f"moto suite: not in {target}; run `python3 {Path(__file__).name} fetch` (scripts/setup.sh)", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "junit.xml"
        command = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "-rf",
                   f"--junitxml={report}", "tests/test_swf", *extra]
        if not stock:
            command[3:3] = ["-p", "swf_local.moto_plugin"]
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(HERE.parent), os.environ.get("PYTHONPATH")]))}
        code = subprocess.run(command, cwd=target, env=env).returncode
        if not report.is_file():
            return code or 1
        suite = ElementTree.parse(report).getroot()
        suite = suite if suite.tag == "testsuite" else suite.find("testsuite")
        total = int(suite.get("tests", 0))
        bad = sum(int(suite.get(key, 0)) for key in ("failures", "errors", "skipped"))
    label = "stock moto" if stock else "swf_local extension loaded"
    print(f"moto {SUPPORTED_MOTO_VERSION}'s own SWF suite ({label}): {total - bad}/{total} passed"
          f" (expected {EXPECTED_TESTS} tests)")
    if total != EXPECTED_TESTS:
        print(f"moto suite: collected {total} tests, expected {EXPECTED_TESTS}: not moto's whole suite", file=sys.stderr)
        return 1
    return 0 if code == 0 and bad == 0 else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("fetch", help="download and unpack the suite (idempotent)")
    runner = sub.add_parser("run", help="run the suite")
    runner.add_argument("--stock", action="store_true", help="without the extension")
    args, extra = parser.parse_known_args(argv)
    if args.command == "fetch":
        return fetch()
    return run(args.stock, extra)


if __name__ == "__main__":
    sys.exit(main())
