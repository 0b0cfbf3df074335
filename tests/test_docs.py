"""The docs are tested (as sqlite-utils and datasette test theirs): every example in docs/ runs.

A ```console block is a transcript: a line starting with `$ ` is a command, the lines below it its
output. The blocks of one document run in order, in a folder where the README's first command has
run (`storyline run examples/articles --out out`: `./storyline.db` holds examples/articles, `out/`
their briefs). Commands:
- `storyline ...`: the CLI, in-process; it must exit 0 unless the next command is `echo $?`,
  whose output line is the exit code;
- `cat FILE`, `curl -s [-F files=@FILE | -H ... -d JSON] http://127.0.0.1:8000/PATH`: a file, or
  the API of `storyline serve` (here through the ASGI app, not a socket); a job id in
  `/api/v1/jobs/<id>` stands for the job the last upload started, asked again until it is done (as
  a reader does);
- `storyline serve`, which does not return, is checked for its options only.
Output shown in the docs is checked against the real output: JSON (an object, or JSON Lines) must
have the same keys at every level and values of the same type (text may be shortened, lists may
show only some of their items, each item matching one real item); other lines must appear in the
real output in the order shown (`...` marks lines left out). A field table (`| field | meaning |`)
after a JSON example lists exactly the keys of that example's object.
"""

from __future__ import annotations

import importlib
import json
import os
import re
import shlex
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from click.testing import CliRunner

from storyline.cli import main

ROOT = Path(__file__).resolve().parents[1]
DOCS = sorted((ROOT / "docs").glob("*.md"))
SERVER = "http://127.0.0.1:8000"
FENCE = re.compile(r"^```(\w*)\s*$")
TABLE_HEADER = re.compile(r"^\|\s*field\s*\|\s*meaning\s*\|\s*$")


@dataclass
class Example:
    """One command of a console block, with the output the docs show under it."""

    document: str
    line: int  # 1-based line of the command in the document
    command: str
    output: list[str] = field(default_factory=list)
    fields: set[str] | None = None  # names of the field table that documents this example's JSON, if any


def parse(path: Path) -> list[Example]:
    """The commands of a document's console blocks, in order, each with the field table that follows it."""
    examples: list[Example] = []
    language = None
    last_json: Example | None = None
    lines = path.read_text(encoding="utf-8").splitlines()
    number = 0
    while number < len(lines):
        text = lines[number]
        fence = FENCE.match(text)
        if fence and language is None:
            language = fence.group(1)
        elif fence:
            language = None
            if examples and examples[-1].document == path.name and looks_like_json(examples[-1].output):
                last_json = examples[-1]
        elif language == "console" and text.startswith("$ "):
            examples.append(Example(path.name, number + 1, text[2:].strip()))
        elif language == "console" and examples:
            examples[-1].output.append(text)
        elif language is None and text.startswith("#"):
            last_json = None  # a table documents the example of its own section only
        elif language is None and TABLE_HEADER.match(text) and last_json is not None:
            names: set[str] = set()
            number += 2  # the header's separator line
            while number < len(lines) and lines[number].startswith("|"):
                first_cell = lines[number].split("|")[1]
                names.update(re.findall(r"`([^`]+)`", first_cell))
                number += 1
            last_json.fields = names
            last_json = None
            continue
        number += 1
    return examples


def looks_like_json(output: list[str]) -> bool:
    """True when the shown output is JSON (one value, or JSON Lines)."""
    text = "\n".join(output).strip()
    return text.startswith(("{", "["))


def json_shown(output: list[str]) -> list:
    """The JSON values shown: one value, or one per line (JSON Lines; a `...` line is skipped)."""
    text = "\n".join(output).strip()
    try:
        return [json.loads(text)]
    except json.JSONDecodeError:
        return [json.loads(line) for line in output if line.strip() and line.strip() != "..."]


def json_real(text: str, lines: int) -> list:
    """The real output as JSON values: one value, or JSON Lines (`lines` > 1)."""
    if lines == 1:
        try:
            return [json.loads(text)]
        except json.JSONDecodeError:
            pass
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def shape_errors(shown, real, where: str) -> list[str]:
    """Where the shown JSON differs from the real JSON in keys or value types (not in text or list length)."""
    if isinstance(shown, dict):
        if not isinstance(real, dict):
            return [f"{where}: shown an object, real {type(real).__name__}"]
        errors = []
        if set(shown) != set(real):
            missing, extra = sorted(set(real) - set(shown)), sorted(set(shown) - set(real))
            errors.append(f"{where}: keys differ (real output also has {missing}; shown but not real {extra})")
        for key in set(shown) & set(real):
            errors += shape_errors(shown[key], real[key], f"{where}.{key}")
        return errors
    if isinstance(shown, list):
        if not isinstance(real, list):
            return [f"{where}: shown a list, real {type(real).__name__}"]
        errors = []
        for index, item in enumerate(shown):
            attempts = [shape_errors(item, candidate, f"{where}[{index}]") for candidate in real]
            if not attempts:
                errors.append(f"{where}[{index}]: shown an item, the real list is empty")
            elif all(attempts):
                errors += attempts[min(index, len(attempts) - 1)]
        return errors
    kinds = {bool: "bool", int: "number", float: "number", str: "text", type(None): "null"}
    if kinds.get(type(shown)) != kinds.get(type(real)):
        return [f"{where}: shown {json.dumps(shown)}, real {json.dumps(real)[:80]}"]
    return []


def text_errors(shown: list[str], real: str) -> list[str]:
    """The shown lines that do not appear, in that order, among the real lines."""
    real_lines = [line.rstrip() for line in real.splitlines()]
    position = 0
    for line in shown:
        if not line.strip() or line.strip() == "...":
            continue
        try:
            position = real_lines.index(line.rstrip(), position) + 1
        except ValueError:
            return [f"shown line not in the real output (in order): {line!r}\nreal output:\n{real}"]
    return []


@pytest.fixture(scope="session")
def readme_run(tmp_path_factory) -> Path:
    """A folder where the README's first command has run: storyline.db and out/ of examples/articles."""
    folder = tmp_path_factory.mktemp("readme-run")
    shutil.copytree(ROOT / "examples", folder / "examples")
    here = os.getcwd()
    os.chdir(folder)  # relative paths, as the README's command stores them
    try:
        result = CliRunner(env={"STORYLINE_DB": None}).invoke(
            main, ["run", "examples/articles", "--out", "out", "-q"], catch_exceptions=False)
    finally:
        os.chdir(here)
    assert result.exit_code == 0, result.output
    return folder


@pytest.fixture
def workspace(readme_run, tmp_path, monkeypatch) -> Path:
    """A copy of that folder for one document, as the current directory, with no STORYLINE_DB set."""
    folder = tmp_path / "work"
    shutil.copytree(readme_run, folder)
    monkeypatch.chdir(folder)
    monkeypatch.delenv("STORYLINE_DB", raising=False)
    return folder


JOB_URL = re.compile(r"^/api/v1/jobs/[0-9a-f]+$")


def api_request(client, words: list[str], last_job: dict):
    """The request a `curl -s ...` line makes, through the ASGI client (`last_job`: the id of the last upload's job)."""
    url, form, data, headers = None, None, None, {}
    rest = iter(words[1:])
    for word in rest:
        if word == "-s":
            continue
        if word == "-F":
            name, _, value = next(rest).partition("=@")
            form = {name: open(value, "rb")}
        elif word == "-d":
            data = next(rest)
        elif word == "-H":
            key, _, value = next(rest).partition(":")
            headers[key.strip()] = value.strip()
        elif word.startswith(SERVER):
            url = word[len(SERVER):]
        else:
            raise AssertionError(f"curl option not understood by tests/test_docs.py: {word}")
    assert url, "a curl example must name a URL on the default server, " + SERVER
    if form or data is not None:
        answer = client.post(url, files=form) if form else client.post(url, content=data.encode(), headers=headers)
        last_job["id"] = answer.json().get("data", {}).get("id")
        return answer
    if JOB_URL.match(url) and last_job.get("id"):
        deadline = time.monotonic() + 120
        while True:
            answer = client.get(f"/api/v1/jobs/{last_job['id']}")
            if answer.json()["data"]["status"] not in ("queued", "running") or time.monotonic() > deadline:
                return answer
            time.sleep(0.2)
    return client.get(url)


def run_document(path: Path, folder: Path) -> list[str]:
    """Run every example of one document; return the mismatches."""
    from starlette.testclient import TestClient

    from storyline.serve import ServeConfig, create_app

    with TestClient(create_app(ServeConfig(db=str(folder / "storyline.db"))), base_url=SERVER) as client:
        return run_examples(parse(path), client)


def run_examples(examples: list[Example], client) -> list[str]:
    """Run the examples of one document in order, the API through `client`; return the mismatches."""
    errors: list[str] = []
    exit_code, last_job = None, {}
    for number, example in enumerate(examples):
        where = f"{example.document}:{example.line}: $ {example.command}"
        words = shlex.split(example.command)
        checked_by_next = number + 1 < len(examples) and examples[number + 1].command == "echo $?"
        if words[0] == "storyline" and words[1:2] == ["serve"]:
            result = CliRunner().invoke(main, [*words[1:], "--help"])
            if result.exit_code != 0:
                errors.append(f"{where}: its options do not parse: {result.output}")
            continue
        if words[0] == "storyline":
            result = CliRunner().invoke(main, words[1:])
            exit_code, real = result.exit_code, result.stdout
            if result.exception and not isinstance(result.exception, SystemExit):
                errors.append(f"{where}: raised {result.exception!r}")
            if exit_code != 0 and not checked_by_next:
                errors.append(f"{where}: exit {exit_code}, and no `echo $?` says so\n{result.output}")
            if not looks_like_json(example.output):
                real = result.output  # a console shows stderr too
        elif words == ["echo", "$?"]:
            real = f"{exit_code}\n"
        elif words[0] == "cat" and len(words) == 2:
            real = Path(words[1]).read_text(encoding="utf-8")
        elif words[0] == "curl":
            real = api_request(client, words, last_job).text
        else:
            errors.append(f"{where}: not a command tests/test_docs.py runs (storyline, cat, curl, echo $?)")
            continue
        if looks_like_json(example.output):
            shown = json_shown(example.output)
            try:
                actual = json_real(real, len(shown))
            except json.JSONDecodeError:
                errors.append(f"{where}: shows JSON, the real output is not:\n{real[:2000]}")
                continue
            for index, value in enumerate(shown):
                if index >= len(actual):
                    errors.append(f"{where}: shows {len(shown)} JSON values, the real output has {len(actual)}")
                    break
                errors += [f"{where}: {e}" for e in shape_errors(value, actual[index], "$")]
            if example.fields is not None:
                documented = actual[0][0] if isinstance(actual[0], list) and actual[0] else actual[0]
                keys = set(documented) - {"schema"} if isinstance(documented, dict) else set()
                if example.fields != keys:
                    errors.append(f"{where}: the field table after it lists {sorted(example.fields)}; "
                                  f"the real object has {sorted(keys)}")
        else:
            errors += [f"{where}: {e}" for e in text_errors(example.output, real)]
    return errors


RUNNABLE = [path for path in DOCS if parse(path)]


def test_docs_the_reference_pages_have_runnable_examples():
    assert {"cli.md", "json.md", "api.md"} <= {path.name for path in RUNNABLE}


@pytest.mark.parametrize("path", RUNNABLE, ids=[p.name for p in RUNNABLE])
def test_docs_every_console_example_runs_and_shows_real_output(path, workspace):
    errors = run_document(path, workspace)
    assert not errors, "\n\n".join(errors)


def test_docs_every_cli_command_has_help_and_a_runnable_example():
    commands = {shlex.split(e.command)[1] for p in DOCS for e in parse(p) if e.command.startswith("storyline ")}
    for name, command in main.commands.items():
        assert command.help and command.help.strip(), name
        assert name in commands, f"docs/ has no runnable example of 'storyline {name}'"
        assert CliRunner().invoke(main, [name, "--help"]).exit_code == 0


def anchors(path: Path) -> set[str]:
    """The anchors GitHub gives the headings of a Markdown file."""
    headings = re.findall(r"^#+ (.+)$", path.read_text(encoding="utf-8"), flags=re.MULTILINE)
    return {re.sub(r"[^\w\- ]", "", heading.lower()).replace(" ", "-") for heading in headings}


def test_docs_links_of_the_readme_and_docs_resolve():
    for path in [ROOT / "README.md", *DOCS]:
        for target, anchor in re.findall(r"\]\(([^)#\s]+)(?:#([^)]*))?\)", path.read_text(encoding="utf-8")):
            if re.match(r"\w+://", target):
                continue
            where = f"{path.relative_to(ROOT)} links to {target}"
            assert (path.parent / target).exists(), f"{where}, which is not there"
            assert not anchor or anchor in anchors(path.parent / target), f"{where}#{anchor}: no such heading"


def test_docs_every_library_function_named_exists():
    text = (ROOT / "docs" / "api.md").read_text(encoding="utf-8").split("## The library", 1)[1]
    names = re.findall(r"`(storyline(?:\.\w+)+)", text)
    assert len(names) > 10
    for name in names:
        module, _, function = name.rpartition(".")
        assert callable(getattr(importlib.import_module(module), function, None)), f"docs/api.md names {name}"


def test_docs_the_readme_brief_is_real_output_of_its_first_command(readme_run):
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    story, block = re.search(r"`out/(\w+)\.md`.*?\n```markdown\n(.*?)\n```", text, flags=re.DOTALL).groups()
    shown = [line for line in block.splitlines() if line.strip() != "…"]
    assert not text_errors(shown, (readme_run / "out" / f"{story}.md").read_text(encoding="utf-8"))


def test_docs_the_readme_fits_a_screen_and_points_into_the_repository_only():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "../shared" not in text and "DESIGN.md" not in text
    assert len(text.splitlines()) <= 60, "the README is for a newcomer's first screen: reference goes to docs/"
