"""How storyline is installed: the package metadata a real build writes, and scripts/setup.sh."""

from __future__ import annotations

import importlib.metadata
import os
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[1]


def test_packaging_the_build_backend_pyproject_asks_for_is_installed():
    # The wheel below is built with the installed setuptools (no build isolation, no index): the
    # `test` extra pins one that build-system.requires accepts, so no test downloads a build backend.
    requires = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["build-system"]["requires"]
    for requirement in map(Requirement, requires):
        installed = importlib.metadata.version(requirement.name)
        assert requirement.specifier.contains(installed), f"{requirement.name} {installed} is not {requirement}"


def test_packaging_wheel_builds_offline_with_an_spdx_license_and_its_licence_file(tmp_path):
    source = tmp_path / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy(ROOT / name, source / name)
    shutil.copytree(ROOT / "storyline", source / "storyline", ignore=shutil.ignore_patterns("__pycache__"))
    result = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index",
                             "-v", "-w", str(tmp_path / "dist"), str(source)],
                            capture_output=True, text=True, timeout=600)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-2000:]
    assert "project.license" not in output, "setuptools warns about project.license"
    wheel = next((tmp_path / "dist").glob("storyline-*.whl"))
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        metadata = archive.read(next(n for n in names if n.endswith(".dist-info/METADATA"))).decode()
        licence = [n for n in names if n.endswith(".dist-info/licenses/LICENSE")]
        assert licence and archive.read(licence[0]) == (ROOT / "LICENSE").read_bytes()
    assert "License-Expression: MIT" in metadata.splitlines()
    assert "License-File: LICENSE" in metadata.splitlines()
    assert "MIT License" in (ROOT / "LICENSE").read_text(encoding="utf-8").splitlines()[0]


def setup_script_copy(tmp_path: Path) -> Path:
    """scripts/setup.sh in an empty tree, so a run creates nothing in the checkout."""
    (tmp_path / "tree" / "scripts").mkdir(parents=True)
    script = tmp_path / "tree" / "scripts" / "setup.sh"
    shutil.copy(ROOT / "scripts" / "setup.sh", script)
    return script


def traced_setup(script: Path, path: str) -> subprocess.CompletedProcess:
    """Run setup.sh under `bash -x` with PYTHON=false: it stops (exit 1) where it would create the venv."""
    return subprocess.run(["/bin/bash", "-x", str(script)], capture_output=True, text=True, timeout=60,
                          env={"PATH": path, "PYTHON": "false", "HOME": str(script.parent)})


def test_setup_script_skips_apt_when_chromium_is_installed(tmp_path):
    assert shutil.which("chromium"), "Debian's chromium is needed: scripts/setup.sh installs it"
    result = traced_setup(setup_script_copy(tmp_path), os.environ["PATH"])
    assert result.returncode == 1 and "+ false -m venv .venv" in result.stderr, result.stderr[-2000:]
    assert "apt-get" not in result.stderr


def test_setup_script_waits_for_the_dpkg_lock(tmp_path):
    # Every apt-get the script runs waits for the lock (apt's own option) instead of exiting 100 at once.
    text = (ROOT / "scripts" / "setup.sh").read_text(encoding="utf-8")
    commands = [line for line in text.replace("\\\n", " ").splitlines()
                if "apt-get" in line and not line.lstrip().startswith("#")]
    calls = [part for line in commands for part in line.split("&&") if "apt-get" in part]
    assert [("update" in call, "install" in call) for call in calls] == [(True, False), (False, True)]
    for call in calls:
        assert "apt-get -o DPkg::Lock::Timeout=600 " in call, call
    # The apt branch as bash runs it, on a PATH with no chromium, no apt-get and no sudo: bash traces
    # the update command it would run, then finds no apt-get and the script goes on (and stops at PYTHON=false).
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for tool in ("id", "dirname"):
        (bin_dir / tool).symlink_to(shutil.which(tool))
    result = traced_setup(setup_script_copy(tmp_path), str(bin_dir))
    assert result.returncode == 1 and "+ false -m venv .venv" in result.stderr, result.stderr[-2000:]
    ran = [line for line in result.stderr.splitlines() if "apt-get" in line and line.startswith("+")]
    assert ran and all("apt-get -o DPkg::Lock::Timeout=600 update -qq" in line for line in ran), ran
