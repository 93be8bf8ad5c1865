"""Command-line options shared by the commands of `python -m sparkml_tuning`."""

from __future__ import annotations

import argparse


def name_value(text: str) -> tuple[str, str]:
    """Split a `NAME=VALUE` command-line argument."""
    name, sep, value = text.partition("=")
    if not sep or not name:
        raise argparse.ArgumentTypeError(f"expected NAME=VALUE, got {text!r}")
    return name, value


def add_name_value_option(parser: argparse.ArgumentParser, flag: str, help_text: str) -> None:
    """A repeatable `--flag NAME=VALUE` option, collected as a list of pairs."""
    parser.add_argument(
        flag, type=name_value, action="append", default=[], metavar="NAME=VALUE", help=help_text
    )


def add_connect_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--connect",
        action="store_true",
        help="use a local Spark Connect session, as Databricks serverless compute does",
    )
