"""What the kiosk's `flask` commands share: asking before one replaces everything."""

import sys

import click


def ask_before_replacing(yes: bool, question: str, with_nobody_to_ask: str):
    """Go on with --yes, or when the person at the terminal answers yes to `question` (no
    stops the command: "Aborted!", exit status 1, nothing changed). With nobody at a terminal
    to ask (a script, a pipe, a timer), stop, saying `with_nobody_to_ask`, which names --yes."""
    if yes:
        return
    if not sys.stdin.isatty():
        raise click.ClickException(with_nobody_to_ask)
    click.confirm(question, abort=True)
