"""``confapp cluster``: cold-start grouping or assisted placement of bullets, JSON lines in and out."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import IO, Any

import click

from confapp.clustering.engine import cluster_bullets, suggest


def _read_jsonl(path: Path, required: tuple[str, ...]) -> list[dict[str, Any]]:
    """Parse one JSON object per line; every problem names the file and the line."""
    rows: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise click.ClickException(f"{path}: not UTF-8 text ({exc.reason})") from exc
    for lineno, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise click.ClickException(f"{path}:{lineno}: invalid JSON: {exc.msg}") from exc
        if not isinstance(obj, dict):
            raise click.ClickException(f"{path}:{lineno}: expected a JSON object, got {type(obj).__name__}")
        missing = [f for f in required if f not in obj]
        if missing:
            raise click.ClickException(f"{path}:{lineno}: missing field(s): {', '.join(missing)}")
        for f in ("id", "text"):
            if not isinstance(obj[f], str):
                raise click.ClickException(f"{path}:{lineno}: field '{f}' must be a string")
        if "cluster" in required and not isinstance(obj["cluster"], str | int):
            raise click.ClickException(f"{path}:{lineno}: field 'cluster' must be a string or an integer")
        if obj["id"] in seen:
            raise click.ClickException(
                f"{path}:{lineno}: duplicate id {obj['id']!r} (first on line {seen[obj['id']]})"
            )
        seen[obj["id"]] = lineno
        rows.append(obj)
    return rows


def _emit(out: IO[str], bullet_id: str, cluster: object, **extra: object) -> None:
    out.write(json.dumps({"id": bullet_id, "cluster": cluster, **extra}, ensure_ascii=False) + "\n")


@click.command("cluster")
@click.argument("bullets", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--seeds",
    "seeds_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help='JSONL of bullets already placed, {"id","text","cluster"}; each input bullet then gets '
    "its most likely cluster among these.",
)
@click.option(
    "--clusters",
    "n_clusters",
    type=click.IntRange(min=1),
    default=None,
    help="Number of clusters for the cold start (default: chosen automatically).",
)
@click.option(
    "--top",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="With --seeds: also list this many alternatives with scores in a 'suggestions' field when > 1.",
)
def cluster_command(bullets: Path, seeds_path: Path | None, n_clusters: int | None, top: int) -> None:
    """Group BULLETS.jsonl ({"id","text"} per line) and print one {"id","cluster"} line per bullet.

    Without --seeds: a cold-start grouping with cluster numbers 0, 1, ... With --seeds: each
    bullet's suggested cluster among the seeds' clusters (a bullet that is itself a seed keeps
    its cluster).
    """
    items = _read_jsonl(bullets, ("id", "text"))
    out = sys.stdout
    if seeds_path is None:
        labels = cluster_bullets([(r["id"], r["text"]) for r in items], n_clusters=n_clusters)
        for r in items:
            _emit(out, r["id"], labels[r["id"]])
        return
    placed_rows = _read_jsonl(seeds_path, ("id", "text", "cluster"))
    if not placed_rows:
        raise click.ClickException(f"{seeds_path}: no placed bullets")
    # Keep the seeds' own cluster values (int or str) in the output.
    original = {str(r["cluster"]): r["cluster"] for r in placed_rows}
    placed = [(r["id"], r["text"], str(r["cluster"])) for r in placed_rows]
    placed_cluster = {r["id"]: r["cluster"] for r in placed_rows}
    ranked = suggest([(r["id"], r["text"]) for r in items], placed, top=max(top, 1))
    for r in items:
        if r["id"] in placed_cluster:
            _emit(out, r["id"], placed_cluster[r["id"]])
            continue
        options = ranked.get(r["id"], [])
        best = original[options[0][0]] if options else None
        if top > 1:
            alts = [{"cluster": original[c], "score": round(s, 4)} for c, s in options]
            _emit(out, r["id"], best, suggestions=alts)
        else:
            _emit(out, r["id"], best)
