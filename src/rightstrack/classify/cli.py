"""``rightstrack classify train | evaluate | predict``: thin commands over ``classify.service``.

Attached to the main app by ``register_cli(app)``; the database, settings and error translation
are the main CLI's own (imported when a command runs, since the main CLI imports this module).
The service (and scikit-learn) is imported only when a command runs, so other commands start fast.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

classify_app = typer.Typer(
    help="Suggest tags: train the taggers, measure them, store their predictions.", no_args_is_help=True
)


def register_cli(app: typer.Typer) -> None:
    app.add_typer(classify_app, name="classify")


@contextmanager
def _bars() -> Iterator[Callable[[str, int, int], None]]:
    """A rich progress display on stderr; yields the callback the service reports to."""
    from rightstrack.cli_support import console

    tasks: dict[str, Any] = {}
    with Progress(
        TextColumn("{task.description:<10}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=False,
    ) as bars:

        def report(step: str, done: int, total: int) -> None:
            if step not in tasks:
                tasks[step] = bars.add_task(step, total=max(total, 1))
            # nothing to do counts as done, so an empty step does not show an unfinished bar
            bars.update(tasks[step], completed=done if total else 1, total=max(total, 1))

        yield report


def _models_dir() -> Path:
    from rightstrack.classify.service import models_dir
    from rightstrack.cli_support import State

    return models_dir(State.settings.data_path)


EmbeddingsOption = Annotated[
    str | None,
    typer.Option(
        help="Add sentence embeddings to the issue tagger: 'minilm' (needs the ml extra; slower, "
        "about half a point more micro-F1, see benchmarks/classify_embeddings.py)."
    ),
]


@classify_app.command("train")
def classify_train(embeddings: EmbeddingsOption = None) -> None:
    """Train the issue and action taggers on imported and confirmed tags; save new model files."""
    from rightstrack.classify import service
    from rightstrack.cli_support import errors_to_exit, open_database, out

    with errors_to_exit(), _bars() as progress:
        factory = service.issues_model(_models_dir(), embeddings)
        result = service.train(open_database(), _models_dir(), issues_factory=factory, progress=progress)
    for family, info in result.saved.items():
        out.print(f"{family}: {info.name} trained on {result.rows[family]} texts -> {info.path}")
    out.print(f"done in {result.seconds:.1f} s")


@classify_app.command("predict")
def classify_predict(
    everything: Annotated[
        bool, typer.Option("--all", help="Also suggest extra issues for already tagged recommendations.")
    ] = False,
) -> None:
    """Store the newest models' suggestions as predicted tags (human decisions are never changed)."""
    from rightstrack.classify import service
    from rightstrack.cli_support import errors_to_exit, open_database, out

    with errors_to_exit(), _bars() as progress:
        result = service.predict(open_database(), _models_dir(), everything=everything, progress=progress)
    for family, count in result.predicted.items():
        out.print(f"{family}: {count} recommendations scored, {result.written[family]} predicted tags stored")
    out.print(f"done in {result.seconds:.1f} s")


@classify_app.command("evaluate")
def classify_evaluate(
    test_from: Annotated[int, typer.Option(help="First session of the test set (earlier ones train).")] = 15,
    output: Annotated[Path | None, typer.Option(help="JSON file for the figures.")] = None,
    embeddings: EmbeddingsOption = None,
) -> None:
    """Measure the taggers on later sessions after training on earlier ones; print and save figures."""
    from rightstrack.classify import service
    from rightstrack.cli_support import errors_to_exit, open_database, out

    with errors_to_exit(), _bars() as progress:
        factory = service.issues_model(_models_dir(), embeddings)
        report = service.evaluate(
            open_database(), test_from=test_from, issues_factory=factory, progress=progress
        )
    target = output or _models_dir() / f"evaluation-{time.strftime('%Y%m%dT%H%M%SZ', time.gmtime())}.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", "utf-8")
    split, overlap = report["split"], report["overlap"]
    out.print(
        f"train {split['train']} texts (sessions {split['train_sessions']}), "
        f"test {split['test']} (sessions {split['test_sessions']}); "
        f"test texts also in training: {overlap['exact_normalised_in_train']} exactly, "
        f"{overlap['near_share']:.1%} nearly"
    )
    if "issues" in report:
        _print_issues(report["issues"])
    if "action" in report:
        _print_action(report["action"])
    out.print(f"saved {target}")


def _print_issues(figures: dict[str, Any]) -> None:
    from rightstrack.cli_support import out

    out.print(
        f"issues ({figures['model']}): micro-F1 {figures['micro_f1']:.4f}  macro-F1 {figures['macro_f1']:.4f}"
        f"  (micro precision {figures['micro_precision']:.4f}, recall {figures['micro_recall']:.4f},"
        f" {figures['samples']} texts)"
    )
    table = Table("issue", "precision", "recall", "F1", "support")
    for label, s in figures["per_label"].items():
        table.add_row(
            label, f"{s['precision']:.3f}", f"{s['recall']:.3f}", f"{s['f1']:.3f}", str(s["support"])
        )
    out.print(table)


def _print_action(figures: dict[str, Any]) -> None:
    from rightstrack.cli_support import out

    out.print(
        f"action category ({figures['model']}): accuracy {figures['accuracy']:.4f}"
        f"  macro-F1 {figures['macro_f1']:.4f}  ({figures['samples']} texts)"
    )
    labels = figures["labels"]
    # Columns by short code ("4" for "4 - General action") so the matrix fits a terminal.
    table = Table(
        "truth \\ predicted", *(label.split(" - ")[0] for label in labels), title="confusion matrix"
    )
    for label, row in zip(labels, figures["confusion_rows_truth_cols_predicted"], strict=True):
        table.add_row(label, *(str(n) for n in row))
    out.print(table)
    per = Table("action category", "precision", "recall", "F1", "support")
    for label, s in figures["per_label"].items():
        per.add_row(label, f"{s['precision']:.3f}", f"{s['recall']:.3f}", f"{s['f1']:.3f}", str(s["support"]))
    out.print(per)
