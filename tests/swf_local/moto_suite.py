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
moto's whole suite) and every one passed, except the known divergences listed in
``moto_plugin.DIVERGENCES`` (tests asserting moto's departures from SWF that the
extension corrects), which must fail as strict xfails.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import xml.etree.ElementTree as ElementTree
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from swf_local.moto_plugin import DIVERGENCES  # noqa: E402
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
        target.parent.mkdir(parents=True, exist_ok=True)
        # Staged next to the target (same filesystem, so the final rename is atomic).
        staging = Path(tempfile.mkdtemp(prefix=".moto-tests-", dir=target.parent))
        try:
            _unpack(sdist, staging)
            (staging / MARKER).write_text(f"moto {SUPPORTED_MOTO_VERSION} sdist sha256 {digest}\n")
            staging.chmod(0o755)
            if target.exists():
                shutil.rmtree(target)
            staging.rename(target)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
    print(f"moto suite: unpacked into {target}")
    return 0


def _unpack(sdist: Path, staging: Path) -> None:
    """Extract MEMBERS of the sdist's top folder into ``staging`` (no other paths)."""
    top = f"moto-{SUPPORTED_MOTO_VERSION}/"
    with tarfile.open(sdist) as archive:
        members = []
        for member in archive.getmembers():
            name = member.name[len(top):]
            if not member.name.startswith(top) or not name.startswith(MEMBERS):
                continue
            if ".." in Path(name).parts or not (member.isfile() or member.isdir()):
                raise RuntimeError(f"unexpected member in the moto sdist: {member.name}")
            member.name = name
            members.append(member)
        if hasattr(tarfile, "data_filter"):
            archive.extractall(staging, members=members, filter="data")
        else:  # Python < 3.11.4: the members were checked above
            archive.extractall(staging, members=members)  # noqa: S202


def run(stock: bool, extra: list[str]) -> int:
    """Run the suite; 0 only if all EXPECTED_TESTS were collected and passed
    (with the extension: all but DIVERGENCES, which must be strict xfails)."""
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
        outcomes = junit_outcomes(report)
    total = len(outcomes)
    passed = sorted(node for node, outcome in outcomes.items() if outcome == "passed")
    xfailed = sorted(node for node, outcome in outcomes.items() if outcome == "xfailed")
    other = {node: outcome for node, outcome in outcomes.items() if outcome not in ("passed", "xfailed")}
    label = "stock moto" if stock else "swf_local extension loaded"
    print(f"moto {SUPPORTED_MOTO_VERSION}'s own SWF suite ({label}): {total} collected, {len(passed)} passed, "
          f"{len(xfailed)} known divergences (strict xfail), {len(other)} failed"
          f" (expected {EXPECTED_TESTS} collected)")
    ok = True
    if total != EXPECTED_TESTS:
        print(f"moto suite: collected {total} tests, expected {EXPECTED_TESTS}: not moto's whole suite", file=sys.stderr)
        ok = False
    if other:
        print(f"moto suite: not passed: {other}", file=sys.stderr)
        ok = False
    if not stock and set(xfailed) != set(DIVERGENCES):
        print(f"moto suite: divergences {xfailed} != expected {sorted(DIVERGENCES)}", file=sys.stderr)
        ok = False
    return 0 if ok and code == 0 else 1


def junit_outcomes(report: Path) -> dict[str, str]:
    """node id -> passed | xfailed | failed | error | skipped, from a JUnit XML report."""
    outcomes = {}
    for case in ElementTree.parse(report).getroot().iter("testcase"):
        path = case.get("classname", "").replace(".", "/")
        module, _, klass = path.rpartition("/")
        node = f"{path}.py::{case.get('name')}"
        if klass and klass[:1].isupper():  # a test class: module/Class
            node = f"{module}.py::{klass}::{case.get('name')}"
        outcome = "passed"
        for child in case:
            if child.tag == "skipped":
                outcome = "xfailed" if child.get("type") == "pytest.xfail" else "skipped"
            elif child.tag in ("failure", "error"):
                outcome = "failed" if child.tag == "failure" else "error"
        outcomes[node] = outcome
    return outcomes


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
