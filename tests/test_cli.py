"""The `confapp` command as a newcomer runs it: demo, export, create-facilitator, bad input."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from docx import Document
from support import LiveServer, to_pdf


@pytest.fixture
def cli(tmp_path: Path) -> LiveServer:
    return LiveServer(tmp_path, f"sqlite:///{tmp_path / 'cli.sqlite'}")


def test_demo_prints_login_join_url_and_conference_id_last(cli: LiveServer, tmp_path: Path) -> None:
    out = cli.cli("demo").strip().splitlines()
    assert out[-1].startswith("conference: ")
    conf_id = out[-1].split(": ")[1]
    assert any("demo@confapp.example" in line and "password:" in line for line in out)
    assert any("/j/" in line for line in out)

    target = tmp_path / "referat.docx"
    cli.cli("export", conf_id, "--what", "report", "--out", str(target))
    doc = Document(str(target))
    text = "\n".join(p.text for p in doc.paragraphs)
    cells = "\n".join(c.text for t in doc.tables for row in t.rows for c in row.cells)
    assert "Dialogkonferanse 1 – Eksempel skole (demo)" in text
    assert "Faste møter mellom lærer og helsesykepleier hver måned" in text
    assert "Starte med én ting: rutine for fravær" in text
    assert "Mange grupper peker på behovet" in text
    assert "Åse Aas" in cells and "Øystein Bakke" in cells
    assert sum(1 for p in doc.paragraphs if p.style.name == "List Bullet") == 28

    pdf = to_pdf(target)
    assert pdf.exists() and pdf.stat().st_size > 10_000


def test_db_option_and_environment_choose_the_database(tmp_path: Path) -> None:
    db = tmp_path / "other.sqlite"
    result = subprocess.run(
        [sys.executable, "-m", "confapp", "--db", f"sqlite:///{db}", "demo"],
        capture_output=True,
        text=True,
        timeout=120,
        env={"PATH": "/usr/bin:/bin", "CONFAPP_INSTANCE_PATH": str(tmp_path)},
    )
    assert result.returncode == 0, result.stderr
    assert db.exists() and db.stat().st_size > 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["export", "999", "--out", "x.docx"], "No conference with id 999"),
        (["export", "abc", "--out", "x.docx"], "is not a valid integer"),
        (["export", "1"], "Missing option '--out'"),
        (["create-facilitator", "--email", "nope", "--name", "X", "--password", "langtpassord"], "e-mail"),
        (["create-facilitator", "--email", "a@b.no", "--name", "X", "--password", "kort"], "at least 12"),
    ],
)
def test_bad_cli_input_exits_non_zero_with_a_message(cli: LiveServer, args: list[str], message: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "confapp", *args],
        env=cli.env(),
        capture_output=True,
        text=True,
        timeout=120,
        cwd=cli.workdir,
    )
    assert result.returncode != 0
    assert message in result.stderr + result.stdout


def test_every_command_has_help(cli: LiveServer) -> None:
    for command in ("serve", "demo", "create-facilitator", "export", "cluster", "plan-groups"):
        out = cli.cli(command, "--help")
        assert "Usage:" in out and "--help" in out
