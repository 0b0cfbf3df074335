"""The `storyline` command line: each command parses, calls one library function, formats.

Results go to stdout (text, JSON, JSON Lines), logs and progress to stderr.
Exit codes: 0 ok; 1 finished, but more inputs were skipped than --max-skips;
2 usage error; 3 environment error (store, model, network); 4 crashed (a bug:
the traceback is printed); 130 interrupted (Ctrl-C: what was stored is kept).
"""

from __future__ import annotations

import json
import re
import sys
import time
import traceback
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

import click
from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.text import Text

from storyline import changes as story_changes
from storyline import cluster, contract, render
from storyline.errors import StorylineError, UsageError
from storyline.store import DEFAULT_PATH, Store, open_store
from storyline.verify import verify_brief

if TYPE_CHECKING:
    from storyline import pipeline
# `storyline.pipeline` (with it every stage, datasketch, scipy, dateparser: some 100 MB and a second of CPU) is
# imported by the commands that run it, so that `--help` and the commands that only read the store start at once.

EXIT_SKIPPED = 1  # also: a brief that does not verify
EXIT_USAGE = 2
EXIT_ENVIRONMENT = 3
EXIT_CRASHED = 4  # an unexpected exception: a bug, never bad input (that is a skip)
EXIT_INTERRUPTED = 130  # Ctrl-C (SIGINT), as a shell reports a command it interrupted: 128 + 2

stderr = Console(stderr=True, highlight=False, soft_wrap=True)

# Characters that must not reach a terminal raw from a file name or an input's text: C0 and C1
# controls (ESC sequences, newlines, BEL), DEL, the bidi controls that reorder what a terminal
# shows, and lone surrogates (bytes of a file name that are not UTF-8).
UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def printable(text: str) -> str:
    """Untrusted text made safe for one terminal line: each control character shown as its escape (`\\x1b`, `\\n`)."""
    return UNPRINTABLE.sub(lambda found: found.group().encode("unicode_escape").decode("ascii"), text)


def say(text: str, style: str = "", prefix: str = "", prefix_style: str = "") -> None:
    """Print one line to stderr: never read as rich markup (it may hold file names and article text).

    Args:
        text: the line; control characters are escaped (`printable`).
        style: a rich style for the line, e.g. "yellow" for a skip.
        prefix, prefix_style: a word before the line in its own style, e.g. "error:" in red.
    """
    line = Text(printable(text), style=style)
    if prefix:
        line = Text.assemble((prefix, prefix_style), " ", line)
    stderr.print(line, soft_wrap=True)


def fail(text: str) -> None:
    """Print an error line to stderr (the caller exits with its code)."""
    say(text, prefix="error:", prefix_style="red")


DB_ENVVAR = "STORYLINE_DB"


def group_db(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """Keep the group's --db (or $STORYLINE_DB) in ctx.obj for the subcommand's --db to fall back on."""
    ctx.ensure_object(dict)["db"] = value
    return value


def command_db(ctx: click.Context, param: click.Parameter, value: str | None) -> str:
    """A command's store: its own --db, else the group's --db or $STORYLINE_DB, else the default path."""
    return value or (ctx.obj or {}).get("db") or DEFAULT_PATH


db_option = click.option("--db", default=None, metavar="PATH|URL", callback=command_db,
                         help=f"The store: a SQLite file path, or a postgresql://USER@HOST/DB URL. Overrides a --db given before the command "
                              f"and ${DB_ENVVAR}.  [default: {DEFAULT_PATH}]")


@contextmanager
def opened(db: str) -> Iterator[Store]:
    """Open the store, turning environment problems into exit code 3 with one clear line."""
    try:
        store = open_store(db)
    except StorylineError as exc:
        fail(str(exc))
        sys.exit(EXIT_ENVIRONMENT)
    except Exception as exc:  # a bug: say so, with the traceback to report, under a code of its own
        traceback.print_exc(file=sys.stderr)
        fail(f"storyline crashed ({type(exc).__name__}: {exc}); this is a bug, please report it "
             "with the traceback above. What was stored before the crash is kept.")
        sys.exit(EXIT_CRASHED)
    try:
        yield store
    finally:
        store.close()


@contextmanager
def interruptible(command: str) -> Iterator[None]:
    """Ctrl-C during a command that writes: one line saying what is kept, exit 130 (no traceback).

    Every write is a transaction, rolled back when interrupted, so what was stored is whole; the
    store and the Dask workers are closed on the way out (`opened`, `dask_workers`).
    """
    try:
        yield
    except KeyboardInterrupt:
        fail(f"interrupted: what was stored is kept; run the same '{command}' again to go on from there")
        sys.exit(EXIT_INTERRUPTED)


def counted(count: int, noun: str, plural: str | None = None) -> str:
    """A count with its noun in agreement: '1 story', '2 stories'."""
    return f"{count} {noun if count == 1 else plural or noun + 's'}"


def progress_bar(quiet: bool) -> Progress:
    """A transient progress bar on stderr, shown only on a terminal.

    Off with --quiet, and when stderr is not a terminal: there it shows nothing, and rich's
    Progress prints an empty line on stopping in a non-interactive console.
    """
    return Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn(),
                    console=stderr, transient=True, disable=quiet or not stderr.is_interactive)


def write_json(data) -> None:
    """Print one JSON document to stdout."""
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="storyline")
@click.option("--db", default=None, metavar="PATH|URL", envvar=DB_ENVVAR, show_envvar=True, callback=group_db,
              expose_value=False,
              help=f"The store for every command: a SQLite file path or a postgresql:// URL (a command's own --db "
                   f"overrides it).  "
                   f"[default: {DEFAULT_PATH}]")
def main() -> None:
    """storyline: news articles from many outlets in, stories and cited cross-source briefs out."""


@contextmanager
def dask_workers(workers: int | None, scheduler: str | None, quiet: bool, briefs: bool = False) -> Iterator:
    """A Dask client for --workers N (a local cluster) or --scheduler URL, None for neither; exit 2 for both.

    `briefs`: the command analyses stories on the workers too (`run`, `brief --all`): local workers start with
    the whole pipeline loaded (`parallel.Workers`)."""
    if workers is None and scheduler is None:
        yield None
        return
    if workers is not None and scheduler is not None:
        fail("give --workers (a local Dask cluster) or --scheduler (a running one), not both")
        sys.exit(EXIT_USAGE)
    if workers is not None and workers < 1:
        fail(f"--workers must be at least 1 (got {workers})")
        sys.exit(EXIT_USAGE)
    if workers is not None:  # the fork server of the workers loads their models while Dask is imported
        from storyline import worker_nanny

        worker_nanny.start_fork_server(worker_nanny.stages_module(briefs))
    from storyline.parallel import Workers

    with Workers(workers=workers, scheduler=scheduler, briefs=briefs) as client:
        if not quiet:
            where = scheduler or f"a local cluster of {counted(workers, 'worker')}"
            link = client.dashboard
            say(f"dask: {where}; dashboard: {link or 'not served (install bokeh to see it)'}")
        yield client


def say_timings(seconds: dict[str, float]) -> None:
    """One stderr line with the seconds each stage took."""
    say("seconds: " + ", ".join(f"{stage} {value:.1f}" for stage, value in seconds.items()))


def run_add(store: Store, inputs: tuple[str, ...], max_bytes: int | None, quiet: bool,
            representation: str, follow_symlinks: bool = False, workers=None,
            timings: bool = False) -> pipeline.AddReport:
    """Run `pipeline.add` with a progress bar and one stderr line per skipped input."""
    from storyline import pipeline

    config = pipeline.PipelineConfig()
    if max_bytes:
        config = replace(config, ingest=replace(config.ingest, max_bytes=max_bytes))
    if follow_symlinks:
        config = replace(config, ingest=replace(config.ingest, follow_symlinks=True))
    config = replace(config, cluster=replace(config.cluster, representation=representation))
    progress = progress_bar(quiet)
    with progress:
        task = progress.add_task("reading", total=None)

        def on_progress(p: pipeline.Progress) -> None:
            progress.update(task, description=f"{counted(p.documents, 'document')}, {p.added} added, "
                                                  f"{p.skipped} skipped")

        def on_skip(skip) -> None:
            say(skip.message(), style="yellow")

        report = pipeline.add(store, inputs, config, on_progress=on_progress, on_skip=on_skip, workers=workers)
    if timings:
        say_timings(report.seconds)
    chosen = report.representation
    if chosen is not None and chosen.name != representation:
        say(chosen.message, prefix="warning:", prefix_style="yellow")
    elif chosen is not None and not quiet:
        say(chosen.message)
    return report


def finish(report: pipeline.AddReport, max_skips: int, quiet: bool) -> None:
    """Print the summary line of an add and exit 1 when too many inputs were skipped."""
    if not quiet:
        versions = len(report.versions)
        revised = (f"; {versions} new version{'s' if versions > 1 else ''} of {'a ' if versions == 1 else ''}"
                   f"stored article{'s' if versions > 1 else ''}") if versions else ""
        reverted = len(report.reverted)
        revised += (f"; {reverted} article{'s' if reverted > 1 else ''} back to an earlier version"
                    if reverted else "")
        say(f"added {counted(len(report.added), 'article')} "
            f"({counted(len(report.duplicates), 'duplicate')}{revised}), {report.unchanged} already stored, "
            f"{counted(len(report.skipped), 'input')} skipped")
    if len(report.skipped) > max_skips:
        sys.exit(EXIT_SKIPPED)


add_options = [
    click.option("--max-skips", default=0, show_default=True,
                 help="Exit 1 when more inputs than this are skipped."),
    click.option("--max-bytes", type=int, default=None, help="Size limit of one input (default 25 MB)."),
    click.option("--follow-symlinks", is_flag=True,
                 help="Follow a folder's symlinks that lead out of it (skipped by default)."),
    click.option("-q", "--quiet", is_flag=True, help="No progress or summary on stderr."),
    click.option("--representation", type=click.Choice(cluster.REPRESENTATIONS),
                 default=cluster.ClusterConfig().representation,
                 show_default=True,
                 help="How stories compare articles: TF-IDF, or TF-IDF mixed with MiniLM sentence embeddings "
                      "(needs the embeddings extra; falls back to TF-IDF, with a warning, without it)."),
]
dask_options = [
    click.option("--workers", type=int, default=None, metavar="N",
                 help="Run ingest, clean and the per-article NLP on a local Dask cluster of N worker processes."),
    click.option("--scheduler", default=None, metavar="URL",
                 help="Run them on the Dask cluster of this scheduler (tcp://HOST:8786); its workers must "
                      "reach the inputs at the same paths."),
]
timings_option = click.option("--timings", is_flag=True, help="Print the seconds each stage took (stderr).")


def with_options(options):
    """Apply a list of click options to a command."""
    def decorate(function):
        for option in reversed(options):
            function = option(function)
        return function
    return decorate


@main.command()
@click.argument("inputs", nargs=-1, required=True)
@db_option
@with_options(add_options)
@with_options(dask_options)
@timings_option
def add(inputs: tuple[str, ...], db: str, max_skips: int, max_bytes: int | None, follow_symlinks: bool,
        quiet: bool, representation: str, workers: int | None, scheduler: str | None, timings: bool) -> None:
    """Add articles: files, folders, globs, '-' (stdin), feeds (file or URL), WARC archives.

    Plain text, HTML, JSON / JSON Lines article objects, RSS / Atom, WARC(.gz).
    Re-adding an input already stored is a no-op.
    """
    with interruptible("storyline add"), opened(db) as store, dask_workers(workers, scheduler, quiet) as client:
        report = run_add(store, inputs, max_bytes, quiet, representation, follow_symlinks, client, timings)
    finish(report, max_skips, quiet)


@main.command()
@db_option
@click.option("--json", "as_json", is_flag=True, help="JSON Lines, one article object per line.")
def articles(db: str, as_json: bool) -> None:
    """List stored articles, one line each."""
    with opened(db) as store:
        for article in store.iter_articles():
            if as_json:
                click.echo(json.dumps(contract.article_json(article, full=False), ensure_ascii=False))
            else:
                date = article.published.value or "????-??-??"
                mark = "~" if article.published.inferred else " "
                outlet = article.outlet.name or article.outlet.domain or "-"
                dup = f"  (copy of {article.duplicate_of})" if article.duplicate_of else ""
                click.echo(f"{article.id}  {date}{mark} {render.shortened(outlet, 24):24}  "
                           f"{render.shortened(article.title, 70)}{dup}")


@main.command()
@click.argument("article_id")
@db_option
@click.option("--json", "as_json", is_flag=True, help="The article as JSON (the contract's shape).")
def show(article_id: str, db: str, as_json: bool) -> None:
    """Show one article: metadata, sentences with ids, removed blocks."""
    with opened(db) as store:
        article = store.get_article(article_id)
        versions = store.versions_of(article.id) if article is not None else []
    if article is None:
        fail(f"no article {article_id!r} in {db}; list them with 'storyline articles'")
        sys.exit(EXIT_USAGE)
    if as_json:
        write_json(contract.article_json(article, versions=versions))
        return
    data = contract.article_json(article, versions=versions)
    published = data["published"]
    click.echo(f"# {article.title}")
    click.echo(f"id: {article.id}")
    click.echo(f"outlet: {article.outlet.name or '-'} ({article.outlet.domain or '-'}; {article.outlet.how})")
    click.echo(f"authors: {', '.join(article.authors) or '-'}")
    click.echo(f"published: {published['value'] or 'unknown'}"
               f"{' (inferred: ' + published['evidence'] + ')' if published['inferred'] else ''}")
    click.echo(f"language: {article.language or '-'}")
    if article.duplicate_of:
        click.echo(f"duplicate of: {article.duplicate_of}")
    if len(versions) > 1:
        this = next(v for v in reversed(versions) if v["article"] == article.id)
        click.echo(f"version: {this['version']} of {len(versions)}{' (current)' if this['current'] else ''}; "
                   + ", ".join(f"{v['version']} {v['article']} ({v['added']}"
                               f"{'; back to ' + str(v['reverted_to']) if v['reverted_to'] else ''})" for v in versions))
    click.echo("")
    for sentence in article.sentences:
        click.echo(f"[{sentence.n}] {sentence.text}")
    if article.removed:
        click.echo("\nremoved:")
        for block in article.removed:
            click.echo(f"  {block.kind}: {block.text}")


@main.command()
@db_option
@click.option("--json", "as_json", is_flag=True, help="JSON Lines, one story object per line.")
def stories(db: str, as_json: bool) -> None:
    """List stories, largest first: label, size, time span, outlets."""
    with opened(db) as store:
        found = store.stories()
        # ~ after a day that only inferred publication dates give, as 'storyline articles' marks them.
        marks = {story.id: tuple("~" if store.day_inferred(story.id, day) else ""
                                 for day in (story.first_seen, story.last_seen)) for story in found}
    for story in found:
        if as_json:
            click.echo(json.dumps(contract.story_json(story), ensure_ascii=False))
        else:
            first, last = marks[story.id]
            span = f"{story.first_seen or '?'}{first}..{story.last_seen or '?'}{last}"
            outlets = ", ".join(story.outlets) or "-"
            click.echo(f"{story.id}  {len(story.articles):4d}  {span:24}  {render.shortened(story.label, 60):60}  "
                       f"{render.shortened(outlets, 60)}")


@main.command()
@db_option
@click.option("--since", default=None, metavar="TIME",
              help="Only stories changed after TIME: an ISO date or time (UTC unless it names a zone), or a "
                   "duration back from now (90m, 2h, 3d, 1w). Their digest then spans every version since.")
@click.option("--json", "as_json", is_flag=True, help="JSON Lines, one change object per line.")
def changes(db: str, since: str | None, as_json: bool) -> None:
    """List the stories whose brief changed, newest first, each with a one-line digest of what changed.

    Without --since, each story's newest brief version against the one before it.
    """
    try:
        moment = story_changes.since_time(since) if since else None
    except UsageError as exc:
        fail(str(exc))
        sys.exit(EXIT_USAGE)
    from storyline import pipeline

    with opened(db) as store:
        found = pipeline.story_changes(store, moment)
    for change in found:
        if as_json:
            click.echo(json.dumps(change, ensure_ascii=False))
        else:
            click.echo(change_line(change))
    if not found and not as_json:
        say("no story changed" + (f" since {moment}" if moment else ""))


@main.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder for the results.")
@db_option
@with_options(add_options)
@with_options(dask_options)
@timings_option
def run(inputs: tuple[str, ...], out_dir: Path, db: str, max_skips: int, max_bytes: int | None,
        follow_symlinks: bool, quiet: bool, representation: str, workers: int | None, scheduler: str | None,
        timings: bool) -> None:
    """Add everything, then write the results to --out.

    DIR/stories.json, DIR/<story>.md|html|json (every brief verified against the stored sentences;
    exit 1 when one does not verify), DIR/articles/<id>.json, DIR/skipped.json.
    """
    from storyline import pipeline

    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        (out_dir / "articles").mkdir(exist_ok=True)
    except OSError as exc:
        fail(f"cannot create {out_dir}: {exc.strerror}")
        sys.exit(EXIT_ENVIRONMENT)
    with interruptible("storyline run"), opened(db) as store:
        with dask_workers(workers, scheduler, quiet, briefs=True) as client:
            report = run_add(store, inputs, max_bytes, quiet, representation, follow_symlinks, client, timings)
            started = time.perf_counter()
            briefed = pipeline.brief_stories(store, workers=client) if client is not None else []
            brief_seconds = time.perf_counter() - started
        # The workers are stopped: what follows runs here alone, and checking each brief loads spaCy's full
        # pipeline in this process (`verify`), which had peaked beside the idle workers (docs/bench.md).
        written = 0
        for article in store.iter_articles():
            path = out_dir / "articles" / f"{article.id}.json"
            path.write_text(json.dumps(contract.article_json(article, versions=store.versions_of(article.id)),
                                       ensure_ascii=False, indent=2) + "\n",
                            encoding="utf-8")
            written += 1
        found = store.stories()
        (out_dir / "stories.json").write_text(
            json.dumps(contract.stories_json(found, report.representation), ensure_ascii=False, indent=2) + "\n",
            encoding="utf-8")
        (out_dir / "skipped.json").write_text(
            json.dumps([contract.skip_json(s) for s in report.skipped], ensure_ascii=False, indent=2) + "\n",
            encoding="utf-8")
        started = time.perf_counter()
        failing = write_briefs(store, found, out_dir, quiet)
        if timings:
            say_timings({"brief": brief_seconds + time.perf_counter() - started,
                         **({"brief (workers)": sum(sum(r.seconds.values()) for r in briefed)} if briefed else {})})
    if not quiet:
        briefs = "its brief" if len(found) == 1 else "their briefs"
        say(f"wrote {counted(len(found), 'story', 'stories')} to {out_dir / 'stories.json'}, {briefs} to "
            f"{out_dir}, and {counted(written, 'article file')} to {out_dir / 'articles'}")
    if failing:
        verb = "does" if len(failing) == 1 else "do"
        say(", ".join(failing), prefix=f"{counted(len(failing), 'brief')} {verb} not verify:", prefix_style="red")
        sys.exit(EXIT_SKIPPED)
    finish(report, max_skips, quiet)


def change_line(change: dict) -> str:
    """One line of `changes` and `watch`: when, story, version, label, digest."""
    return (f"{change['created'][:19].replace('T', ' ')}  {change['story']}  v{change['version']:<3} "
            f"{render.shortened(printable(change['label']), 50):50}  {printable(change['digest'])}")


def watch_sources(urls: tuple[str, ...], sources_file: Path | None, interval: str):
    """The sources of `watch` / `serve --watch`: URLs and a sources file; exit 2 naming a bad one."""
    from storyline.watch import parse_interval, parse_sources, read_sources_file

    try:
        every = parse_interval(interval)
        found = parse_sources(list(urls), "argument", every)
        if sources_file is not None:
            found += read_sources_file(sources_file, every)
    except UsageError as exc:
        fail(str(exc))
        sys.exit(EXIT_USAGE)
    if not found:
        fail("no sources to watch: give URLs or --sources FILE")
        sys.exit(EXIT_USAGE)
    return found


def watch_config(notify: str | None, host_delay: float, timeout: float, retries: int):
    """The watcher's configuration from the options of `watch`."""
    from storyline.watch import WatchConfig
    from storyline.watch.fetch import FetchConfig

    return WatchConfig(fetch=FetchConfig(host_delay=host_delay, timeout=timeout, attempts=retries + 1),
                       notify=notify)


watch_options = [
    click.option("--sources", "sources_file", type=click.Path(dir_okay=False, path_type=Path), default=None,
                 help="A file of sources, one a line: URL [INTERVAL]; '#' starts a comment."),
    click.option("--interval", default="15m", show_default=True,
                 help="Time between two polls of a source without its own: seconds, or 90s, 15m, 2h, 1d."),
    click.option("--notify", default=None, metavar="URL",
                 help="POST each poll's story changes as JSON to this URL (a webhook)."),
    click.option("--host-delay", type=click.FloatRange(min=0), default=1.0, show_default=True,
                 help="Seconds between two requests to one host (its robots.txt Crawl-delay when longer)."),
    click.option("--timeout", type=click.FloatRange(min=0.1), default=20.0, show_default=True,
                 help="Seconds to wait for a server to connect or send."),
    click.option("--retries", type=click.IntRange(min=0), default=2, show_default=True,
                 help="Tries again after a timeout, a refused connection, a 5xx or a 429 (with backoff and jitter, "
                      "or after the server's Retry-After)."),
]


@main.command()
@click.argument("urls", nargs=-1, metavar="[SOURCE]...")
@db_option
@with_options(watch_options)
@click.option("--once", is_flag=True, help="Poll every source once, then exit (for cron and tests).")
@click.option("-q", "--quiet", is_flag=True, help="No progress or summary on stderr.")
def watch(urls: tuple[str, ...], db: str, sources_file: Path | None, interval: str, notify: str | None,
          host_delay: float, timeout: float, retries: int, once: bool, quiet: bool) -> None:
    """Poll feeds, pages and sitemaps; add new articles, brief the stories they change, print the changes.

    Politely: conditional GET, robots.txt, a delay per host, retries with backoff, a User-Agent naming
    storyline. Fetch state lives in the store: a restarted watcher goes on where it stopped.
    With --once, exits 1 when a source or an article page could not be fetched.
    """
    import threading

    from storyline.watch import Watcher

    sources = watch_sources(urls, sources_file, interval)
    config = watch_config(notify, host_delay, timeout, retries)

    def on_line(line: str, problem: bool) -> None:
        if problem:
            say(line, style="yellow")
        elif not quiet:
            say(line)

    def on_cycle(report) -> None:
        for change in report.changes:
            click.echo(change_line(change))
        if not quiet:
            unchanged = sum(1 for _, what in report.polled if what == "not modified")
            failed = sum(1 for _, what in report.polled if what == "failed")
            say(f"polled {counted(len(report.polled), 'source')} ({unchanged} not modified, {failed} failed): "
                f"{counted(len(report.added), 'new article')}, "
                f"{counted(len(report.changes), 'story', 'stories')} changed, "
                f"{counted(report.requests, 'request')}")

    with opened(db) as store:
        watcher = Watcher(store, sources, config)
        try:
            if once:
                report = watcher.cycle(every_source=True, on_line=on_line)
                on_cycle(report)
            else:
                watcher.run(threading.Event(), on_cycle=on_cycle, on_line=on_line)
        except KeyboardInterrupt:
            return
        finally:
            watcher.close()
    if once and report.failed:
        sys.exit(EXIT_SKIPPED)


TOKEN_ENVVAR = "STORYLINE_TOKEN"
MIN_TOKEN_LENGTH = 16  # a token typed as "secret" or "1234" is no protection on a network


@main.command()
@db_option
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to bind (loopback by default). Off loopback, uploads need --token.")
@click.option("--port", default=8000, show_default=True, help="Port to listen on (0: any free port).")
@click.option("--watch", "watch_urls", multiple=True, metavar="SOURCE",
              help="Watch this feed, page or sitemap URL inside the server (as 'storyline watch' does); repeatable.")
@with_options(watch_options)
@click.option("--token", envvar=TOKEN_ENVVAR, default=None, metavar="TOKEN",
              help=f"Uploads need this token ('Authorization: Bearer TOKEN'), at least {MIN_TOKEN_LENGTH} "
                   f"characters; also ${TOKEN_ENVVAR}. Bound off loopback without one, the server is read-only.")
def serve(db: str, host: str, port: int, watch_urls: tuple[str, ...], sources_file: Path | None, interval: str,
          notify: str | None, host_delay: float, timeout: float, retries: int, token: str | None) -> None:
    """Serve the web UI and the JSON API (/api/v1) for a store.

    With --watch URL or --sources FILE, a watcher polls those sources inside the server (see 'watch').

    Exits 2 for a token too short, 3 when the store cannot be opened or the address cannot be bound.
    """
    from storyline.serve import ServeConfig, listen, run
    from storyline.serve.security import is_loopback

    if token is not None and len(token) < MIN_TOKEN_LENGTH:
        fail(f"--token must be at least {MIN_TOKEN_LENGTH} characters (got {len(token)}); "
             "try: python -c 'import secrets; print(secrets.token_urlsafe(24))'")
        sys.exit(EXIT_USAGE)
    watching = watch_sources(watch_urls, sources_file, interval) if watch_urls or sources_file else ()
    with opened(db):
        pass  # fail early, with exit code 3, when the store cannot be opened
    try:
        sock = listen(host, port)
    except OSError as exc:
        fail(f"cannot listen on {host}:{port}: {exc.strerror or exc}; is another server on that port? "
             "try another --port")
        sys.exit(EXIT_ENVIRONMENT)
    loopback = is_loopback(host)
    read_only = not loopback and token is None
    shown = f"[{host}]" if ":" in host else host
    say(f"serving {db} on http://{shown}:{sock.getsockname()[1]}/ (API: /api/v1, spec: /api/v1/openapi.json)")
    if read_only:
        say(f"read-only: listening beyond this machine without a token, so uploads are refused; "
            f"give --token or ${TOKEN_ENVVAR} to accept them", style="yellow")
    elif token is not None:
        say("uploads need the token: 'Authorization: Bearer <token>' (the /add page asks for it)")
    else:
        say("uploads are open to programs on this machine (loopback only); pages of other sites cannot write")
    if watching:
        say(f"watching {counted(len(watching), 'source')}; their changes are at /feeds/stories.atom")
    run(ServeConfig(db=db, token=token, read_only=read_only, loopback_only=loopback, watch=tuple(watching),
                    watch_config=watch_config(notify, host_delay, timeout, retries)), sock)


@main.command()
@click.argument("brief_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@db_option
def verify(brief_file: Path, db: str) -> None:
    """Check every statement of a brief JSON against the stored sentences it cites; exit 1 on any violation."""
    try:
        brief = json.loads(brief_file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        fail(f"cannot read {brief_file}: {exc}")
        sys.exit(EXIT_USAGE)
    with opened(db) as store:
        violations = verify_brief(brief, store.get_sentence, store.article_body)
    for violation in violations:
        click.echo(violation.message())
    if violations:
        verb = "does" if len(violations) == 1 else "do"
        say(f"{brief_file}: {counted(len(violations), 'statement')} {verb} not verify")
        sys.exit(EXIT_SKIPPED)
    say(f"{brief_file}: every statement verifies")


@main.command()
@click.argument("story_id", metavar="STORY", required=False)
@db_option
@click.option("--format", "form", type=click.Choice(["md", "html", "json"]), default="md", show_default=True,
              help="Markdown, a standalone HTML page, or the contract's JSON.")
@click.option("--out", "out_file", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write to this file instead of stdout.")
@click.option("--rebuild", is_flag=True, help="Analyse the story again even when a brief of its articles is stored.")
@click.option("--all", "every", is_flag=True, help="Brief every story whose brief is missing or stale, instead of one.")
@with_options(dask_options)
def brief(story_id: str | None, db: str, form: str, out_file: Path | None, rebuild: bool, every: bool,
          workers: int | None, scheduler: str | None) -> None:
    """Write the cross-source brief of one story (STORY: its id, or a unique prefix of it).

    With --all instead of STORY: brief every story whose stored brief is missing or stale (every story
    with --rebuild), store the new versions and print one line per story briefed: id, version, whether
    the content changed. --workers / --scheduler analyse the stories on Dask workers.
    """
    from storyline import pipeline

    if every == (story_id is not None):
        fail("give one STORY, or --all")
        sys.exit(EXIT_USAGE)
    if every:
        with interruptible("storyline brief --all"), opened(db) as store, \
                dask_workers(workers, scheduler, False, briefs=True) as client:
            for report in pipeline.brief_stories(store, rebuild=rebuild, workers=client):
                click.echo(f"{report.story}  version {report.version}  {'changed' if report.changed else 'unchanged'}")
        return
    with opened(db) as store:
        story = find_story(store, story_id)
        brief_record = pipeline.current_brief(store, story, rebuild=rebuild)
        text = rendered(store, brief_record, form)
    if out_file is None:
        click.echo(text, nl=False)
    else:
        out_file.write_text(text, encoding="utf-8")
        say(f"wrote {out_file}")


def find_story(store: Store, story_id: str):
    """A story by id or unique id prefix; exit 2 with the candidates otherwise."""
    story, matches = store.find_story(story_id)
    if story is not None:
        return story
    hint = (f"it matches {len(matches)} stories" if matches
            else "list the stories with 'storyline stories'")
    fail(f"no story {story_id!r} in the store; {hint}")
    sys.exit(EXIT_USAGE)


def write_briefs(store: Store, found, out_dir: Path, quiet: bool) -> list[str]:
    """Brief the stories whose brief is stale, write every story's brief as md, html and json, verify each.

    Returns the ids of the stories whose brief does not verify (their files are written all the same).
    """
    from storyline import pipeline

    progress = progress_bar(quiet)
    failing = []
    with progress:
        task = progress.add_task("briefing", total=len(found))
        for story in found:
            progress.update(task, description=f"briefing {story.id} ({counted(len(story.articles), 'article')})")
            record = pipeline.current_brief(store, story)
            for form in ("md", "html", "json"):
                (out_dir / f"{story.id}.{form}").write_text(rendered(store, record, form), encoding="utf-8")
            violations = verify_brief(contract.brief_json(record), store.get_sentence, store.article_body)
            for violation in violations:
                say(f"{story.id}.json: {violation.message()}", style="red")
            if violations:
                failing.append(story.id)
            progress.advance(task)
    return failing


def rendered(store: Store, brief_record, form: str) -> str:
    """A brief in one of the output formats."""
    if form == "json":
        return render.to_json(brief_record)
    if form == "md":
        return render.to_markdown(brief_record)
    articles = {a.id: a for a in store.get_articles([s.article for s in brief_record.sources])}
    return render.to_html(brief_record, articles)


def entry() -> None:
    """Console entry point that turns our errors into one line and an exit code."""
    try:
        main(standalone_mode=True)
    except UsageError as exc:
        fail(str(exc))
        sys.exit(EXIT_USAGE)
    except StorylineError as exc:
        fail(str(exc))
        sys.exit(EXIT_ENVIRONMENT)
    except Exception as exc:  # a bug: say so, with the traceback to report, under a code of its own
        traceback.print_exc(file=sys.stderr)
        fail(f"storyline crashed ({type(exc).__name__}: {exc}); this is a bug, please report it "
             "with the traceback above. What was stored before the crash is kept.")
        sys.exit(EXIT_CRASHED)
