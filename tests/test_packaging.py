"""What ships (issue 16, issue 13.2): the wheel holds no benchmark, probe, in-memory keyring
or plain-copy module, and a production import never offers a keyring other than the OS's."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOT_SHIPPED = ("bench", "probe", "memory_keyring", "plain_copy", "tools/", "tests/")


@pytest.fixture(scope="module")
def wheel_names(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    if shutil.which("git") is None and not (ROOT / "pyproject.toml").exists():
        pytest.skip("no source tree to build from")
    # A clean copy: a build/ folder left by an earlier build could carry removed modules.
    source = tmp_path_factory.mktemp("source") / "po-desk"
    shutil.copytree(
        ROOT, source,
        ignore=shutil.ignore_patterns(".git", "build", "dist", "*.egg-info", "__pycache__",
                                      ".hypothesis", ".ruff_cache", ".benchmarks"),
    )  # fmt: skip
    out = tmp_path_factory.mktemp("wheel")
    done = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(source)],
        capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    (wheel,) = out.glob("po_desk-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        return archive.namelist()


def test_the_wheel_holds_no_tool_or_test_support(wheel_names: list[str]) -> None:
    assert "po_desk/cli.py" in wheel_names and "po_desk/store/os_keyring.py" in wheel_names
    offenders = [n for n in wheel_names if any(part in n for part in NOT_SHIPPED)]
    assert offenders == []


def test_the_wheel_ships_the_licence_texts(wheel_names: list[str]) -> None:
    assert any(".dist-info/licenses/LICENSE" in n for n in wheel_names)
    assert any(n.startswith("po_desk/resources/licences/") for n in wheel_names)


PROBE = """
import json, keyring.backend
import po_desk.services.store_lifecycle, po_desk.cli
from po_desk.store import os_keyring
candidates = keyring.backend.get_all_keyring()
print(json.dumps({
    "candidates": [os_keyring.backend_name(b) for b in candidates],
    "accepted": [os_keyring.backend_name(b) for b in candidates if os_keyring.accepts(b)],
    "classes": sorted(f"{c.__module__}.{c.__qualname__}"
                      for c in keyring.backend.KeyringBackend._classes),
}))
"""


def test_a_production_import_offers_only_os_keyrings() -> None:
    """A child process, as the program starts: nothing of ours (or of the tests) becomes a
    keyring backend, and whatever the machine offers is accepted only if it is an OS one."""
    done = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=120, cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT), "HOME": str(ROOT / "nowhere")},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    found = json.loads(done.stdout)
    ours = [c for c in found["classes"] if c.startswith(("po_desk", "tests", "tools"))]
    assert ours == []
    from po_desk.store.os_keyring import OS_KEYRINGS

    assert set(found["accepted"]) <= OS_KEYRINGS
    assert not any("memory" in name.lower() for name in found["candidates"])


def test_the_bundle_starts_where_the_installed_command_does() -> None:
    """`po-desk` from pip and the bundled programs run the same entry (po_desk.cli:entry,
    with the quick exit of issue 17), not one of them `main` alone."""
    import ast
    import tomllib

    script = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    module, function = script["project"]["scripts"]["po-desk"].split(":")
    bundle = ast.parse((ROOT / "packaging" / "po_desk_main.py").read_text(encoding="utf-8"))
    imported = [(node.module, alias.name) for node in ast.walk(bundle)
                if isinstance(node, ast.ImportFrom) for alias in node.names]  # fmt: skip
    called = [node.func.id for node in ast.walk(bundle)
              if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)]  # fmt: skip
    assert imported == [(module, function)]
    assert called == [function]
