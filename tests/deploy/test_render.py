"""`atg deploy render`: the committed deploy/ folder is the rendering with the defaults, the
command writes the stack, and bad input ends in one line with exit status 2."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from agentic_testgen.cli import app
from agentic_testgen.deploy import DeployTarget, rendered_files
from agentic_testgen.deploy._render import parts

ROOT = Path(__file__).resolve().parents[2]


def test_the_committed_deploy_folder_is_the_default_rendering() -> None:
    """After a change to the rules or the settings' defaults: `atg deploy render --out deploy`."""
    fresh = rendered_files(DeployTarget())
    committed = {
        path.relative_to(ROOT / "deploy").as_posix(): path.read_text(encoding="utf-8")
        for path in (ROOT / "deploy").rglob("*") if path.is_file()
    }  # fmt: skip
    if "_grafana" not in parts():  # that part is rendered on a branch of its own
        committed = {k: v for k, v in committed.items() if not k.startswith("grafana/")}
    assert sorted(committed) == sorted(fresh)
    for path, text in fresh.items():
        assert committed[path] == text, f"deploy/{path} is stale: atg deploy render --out deploy"


def test_render_writes_every_file_and_lists_them(tmp_path: Path) -> None:
    out = tmp_path / "stack"
    args = ["--exporter", "10.0.0.5:9464", "--scrape-interval", "30s"]
    result = CliRunner().invoke(app, ["deploy", "render", "--out", str(out), *args])
    assert result.exit_code == 0, result.output
    listed = {Path(line) for line in result.stdout.splitlines()}
    written = {path for path in out.rglob("*") if path.is_file()}
    assert listed == written and out / "prometheus" / "prometheus.yml" in written
    config = (out / "prometheus" / "prometheus.yml").read_text()
    assert "10.0.0.5:9464" in config and "scrape_interval: 30s" in config


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--exporter", "exporter"], "exporter address 'exporter' is not host:port"),
        (["--alertmanager", "am:http"], "alertmanager address 'am:http' is not host:port"),
        (["--prometheus", ":9090"], "prometheus address ':9090' is not host:port"),
        (["--scrape-interval", "15"], "scrape interval '15' is not a Prometheus duration"),
        (["--scrape-interval", "0s"], "scrape interval '0s' is not a Prometheus duration"),
    ],
)
def test_bad_input_is_one_line_and_exit_status_2(
    tmp_path: Path, args: list[str], message: str
) -> None:
    result = CliRunner().invoke(app, ["deploy", "render", "--out", str(tmp_path), *args])
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [f"error: {result.output.strip()[7:]}"]
    assert message in result.output
    assert not any(tmp_path.iterdir())  # nothing written


def test_an_unwritable_folder_is_one_line(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    result = CliRunner().invoke(app, ["deploy", "render", "--out", str(blocker / "deploy")])
    assert result.exit_code == 2
    assert result.output.startswith("error: cannot write under") and result.output.count("\n") == 1
