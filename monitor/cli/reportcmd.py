"""`policywatch report`: write the static HTML report and Atom feeds, or serve them locally."""

from __future__ import annotations

from pathlib import Path

import click

from .root import CliState, cli


@cli.command()
@click.argument("names", nargs=-1)
@click.option("--out", "out", type=click.Path(file_okay=False, path_type=Path),
              help="Directory to write the report into (default: ./report beside the watchlist).")
@click.option("--serve", is_flag=True,
              help="After writing, serve the report on 127.0.0.1 until interrupted.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="Port for --serve (0: any free port).")
@click.pass_obj
def report(state: CliState, names: tuple[str, ...], out: Path | None, serve: bool,
           port: int) -> None:
    """Write a static site of every policy's history (or only the named ones): an index, a page
    per policy and per change, and Atom feeds. It opens from file:// with no server and no
    network; re-running rewrites only the pages whose data changed."""
    from policywatch.monitor.report import build_report
    from policywatch.storage.db import open_db

    from .core import select_policies, watchlist_of

    watchlist = watchlist_of(state)
    selected = [p.name for p in select_policies(watchlist, names)] if names else None
    target = out or watchlist.path.parent / "report"
    written = build_report(open_db(watchlist.settings.database), watchlist, target, selected)
    click.echo(f"report: {written.pages} pages in {target} ({len(written.written)} written, "
               f"{written.unchanged} unchanged, {len(written.removed)} removed)")
    click.echo(f"open {(target / 'index.html').resolve().as_uri()}")
    if serve:
        serve_report(target, port)


def serve_report(directory: Path, port: int) -> None:
    from policywatch.monitor.report.serve import make_server

    try:
        server = make_server(directory, port)
    except OSError as exc:
        raise click.ClickException(f"cannot listen on 127.0.0.1:{port}: {exc}") from exc
    bound = server.server_address[1]
    click.echo(f"serving http://127.0.0.1:{bound}/ (Ctrl-C stops)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        click.echo("stopped")
    finally:
        server.server_close()
