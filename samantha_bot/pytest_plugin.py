"""pytest collects conversation scripts (tests/conversations/*.yaml, test_*.yaml) as one test item each."""
from __future__ import annotations

from pathlib import Path
from typing import Any, Iterator

import pytest

from .errors import ContentError
from .loader import YAML_SUFFIXES
from .runner import Result, Runner, describe
from .scripts import Script, load_script, looks_like_script

RUNNER = pytest.StashKey[Runner]()  # one per test session: each set of packs is loaded once


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    """A script is a YAML file in a `conversations` folder or named test_*.yaml that has `turns`;
    other YAML (packs, probe lists) is left alone."""
    if file_path.suffix not in YAML_SUFFIXES:
        return None
    if file_path.parent.name != "conversations" and not file_path.name.startswith("test_"):
        return None
    if not looks_like_script(file_path):
        return None
    return ScriptFile.from_parent(parent, path=file_path)


class ScriptFile(pytest.File):
    """One conversation script file: it holds one test, named after the script."""

    def collect(self) -> Iterator[ScriptItem]:
        script: Script | ContentError
        try:
            script = load_script(self.path)
            name = script.name
        except ContentError as error:
            script, name = error, self.path.stem  # still collected: it fails with its file:line:col
        yield ScriptItem.from_parent(self, name=name, script=script)


class ScriptFailed(Exception):
    """A script failed or could not be run; holds the runner's report."""

    def __init__(self, report: str):
        super().__init__(report)
        self.report = report


class ScriptItem(pytest.Item):
    """Runs the script through the same runner as `samantha test`, and reports as it does."""

    def __init__(self, *, script: Script | ContentError, **kwargs: Any):
        super().__init__(**kwargs)
        self.script = script

    def runtest(self) -> None:
        if isinstance(self.script, ContentError):
            result = Result(str(self.path), self.name, problems=self.script.problems)
        else:
            runner = self.config.stash.setdefault(RUNNER, Runner())
            result = runner.run(self.script)
        if result.status != "PASS":
            raise ScriptFailed(describe(result))

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> Any:
        if isinstance(excinfo.value, ScriptFailed):
            return excinfo.value.report
        return super().repr_failure(excinfo, style)

    def reportinfo(self) -> tuple[Path, int | None, str]:
        return self.path, 0, f"conversation: {self.name}"
