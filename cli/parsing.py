"""argparse in the person's language: ``usage:``, the section headings, ``--help`` and
argparse's own error messages.

argparse writes those texts in English through the stdlib's gettext, which knows nothing
of pocmap's catalogues. Rather than replace argparse's module-level ``_`` (every parser of
the process would change), :class:`Parser` and :class:`Formatter` translate them where
they are shown: the usage prefix and headings in the formatter, the help option added by
hand, and an error message matched against argparse's templates (:data:`ERRORS`) and said
again with pocmap's wording, whose French is in ``cli.po``.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Iterable
from typing import Any, NoReturn

from languages import N_, _, available, chosen, language_name

HEADINGS = {
    "positional arguments": N_("positional arguments"),
    "options": N_("options"),
}
"""argparse's own section headings; the others are pocmap's, translated where defined."""

ERRORS: tuple[tuple[str, str], ...] = (
    (
        "invalid choice: %(value)r (choose from %(choices)s)",
        N_("invalid choice: {value} (choose from {choices})"),
    ),
    ("invalid %(type)s value: %(value)r", N_("invalid value: {value} (expected: {type})")),
    (
        "the following arguments are required: %s",
        N_("the following arguments are required: {0}"),
    ),
    ("unrecognized arguments: %s", N_("unrecognized arguments: {0}")),
    ("one of the arguments %s is required", N_("one of the arguments {0} is required")),
    ("not allowed with argument %s", N_("not allowed with argument {0}")),
    ("expected one argument", N_("expected one argument")),
    ("expected at most one argument", N_("expected at most one argument")),
    ("expected at least one argument", N_("expected at least one argument")),
    (
        "ambiguous option: %(option)s could match %(matches)s",
        N_("ambiguous option: {option} could match {matches}"),
    ),
    ("ignored explicit argument %r", N_("ignored explicit argument {0}")),
)
"""argparse's error templates (Python 3.11+) and pocmap's wording of each."""


def _pattern(template: str) -> re.Pattern[str]:
    """A regular expression matching what ``template`` (%-style) produces."""
    parts = re.split(r"(%\(\w+\)[rs]|%[rs])", template)
    regex = ""
    for part in parts:
        named = re.fullmatch(r"%\((\w+)\)[rs]", part)
        if named:
            regex += f"(?P<{named.group(1)}>.+?)"
        elif part in {"%s", "%r"}:
            regex += "(?P<_0>.+?)"
        else:
            regex += re.escape(part)
    return re.compile(regex + r"\Z", re.DOTALL)


_MATCHERS = [(_pattern(english), ours) for english, ours in ERRORS]
_NAMED = {N_("command")}
"""Arguments argparse names by their ``dest`` (the subcommand): words, not options."""
_ARGUMENT = re.compile(r"argument (?P<name>.+?): (?P<message>.+)\Z", re.DOTALL)


def translated_error(message: str) -> str:
    """argparse's error ``message`` in the current language (unchanged when unknown)."""
    argument = _ARGUMENT.match(message)
    if argument:
        name = argument["name"]
        return _(
            "argument {name}: {message}",
            name=_(name) if name in _NAMED else name,
            message=translated_error(argument["message"]),
        )
    for pattern, ours in _MATCHERS:
        found = pattern.match(message)
        if found:
            values = found.groupdict()
            positional = values.pop("_0", None)
            text = _(ours)
            return (
                text.format(positional, **values)
                if positional is not None
                else (text.format(**values) if values else text)
            )
    return message


class Formatter(argparse.HelpFormatter):
    """Help text with argparse's ``usage:`` and headings in the current language."""

    def add_usage(
        self,
        usage: str | None,
        actions: Iterable[argparse.Action],
        groups: Iterable[argparse._MutuallyExclusiveGroup],
        prefix: str | None = None,
    ) -> None:
        """The usage line, ``usage:`` translated."""
        super().add_usage(usage, actions, groups, _("usage: ") if prefix is None else prefix)

    def start_section(self, heading: str | None) -> None:
        """A section, argparse's own heading translated, its colon as the language writes
        it (argparse adds a bare ``:``; French puts a space before it)."""
        if heading:
            heading = _(HEADINGS[heading]) if heading in HEADINGS else heading
            heading = _("{heading}:", heading=heading).removesuffix(":")
        super().start_section(heading)


class Parser(argparse.ArgumentParser):
    """An argument parser that speaks the current language (subcommands inherit it)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", Formatter)
        add_help = kwargs.pop("add_help", True)
        kwargs["add_help"] = False  # the help option is added below, its text translated
        super().__init__(*args, **kwargs)
        if add_help:
            self.add_argument(
                "-h",
                "--help",
                action="help",
                default=argparse.SUPPRESS,
                help=_("show this help message and exit"),
            )

    def error(self, message: str) -> NoReturn:
        """Print the usage and the error in the current language; exit 2."""
        self.print_usage(sys.stderr)
        self.exit(
            2,
            _("{prog}: error: {message}", prog=self.prog, message=translated_error(message)) + "\n",
        )


# --- --lang, read before the parser is built (its help texts are in that language) ------


def languages_listed() -> str:
    """``en (English), fr (Français)``: every language pocmap speaks."""
    return ", ".join(f"{code} ({language_name(code)})" for code in available())


class LanguageError(ValueError):
    """``--lang`` names no language pocmap speaks; the message lists those it does."""


def take_language(argv: list[str]) -> tuple[str | None, list[str]]:
    """The language ``--lang LANG`` (or ``--lang=LANG``) asks for, anywhere before ``--``,
    and the arguments without it.

    Raises
    ------
    LanguageError
        when the value is missing or names no language pocmap speaks.
    """
    rest: list[str] = []
    asked: str | None = None
    given = False
    tokens = iter(argv)
    for token in tokens:
        if token == "--":
            rest.append(token)
            rest.extend(tokens)
            break
        if token == "--lang" or token.startswith("--lang="):
            value = token.partition("=")[2] if "=" in token else next(tokens, None)
            if value is None or value.startswith("-") or not value.strip():
                raise LanguageError(
                    _("--lang needs a language: one of {languages}", languages=languages_listed())
                )
            asked, given = value, True
            continue
        rest.append(token)
    if not given:
        return None, rest
    language = chosen(asked)
    if language is None:
        raise LanguageError(
            _(
                "--lang {value}: pocmap does not speak this language; it speaks {languages}",
                value=repr(asked),
                languages=languages_listed(),
            )
        )
    return language, rest
