"""Issue 13: the help of every command, and Click's parts of it, read as one Dutch tool; English
with --lang en or an English locale; placeholders a person understands; summaries never cut."""

from __future__ import annotations

import inspect

import click
import pytest
from click.testing import CliRunner

from kantoor_batch.cli import main
from kantoor_batch.cli.help_en import HELP_EN
from kantoor_batch.cli.language import DUTCH

ENGLISH_OF_CLICK = ("Show this message and exit", "Usage:", "Options:", "[OPTIONS]", "Error:")


def commands(group: click.Group = main, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found = [path]
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            found += commands(command, (*path, name))
        else:
            found.append((*path, name))
    return found


def help_of(*args: str, env: dict[str, str] | None = None) -> str:
    result = CliRunner().invoke(main, [*args, "--help"], env=env)
    assert result.exit_code == 0, result.output
    return result.output


@pytest.mark.parametrize("path", commands(), ids=lambda p: " ".join(p) or "kantoor-batch")
def test_every_help_is_dutch_with_click_s_parts_translated(path: tuple[str, ...]) -> None:
    text = help_of(*path)
    assert text.startswith("Gebruik: kantoor-batch")
    assert "Toon deze hulp en stop." in text
    for english in ENGLISH_OF_CLICK:
        assert english not in text
    assert "%Y" not in text


@pytest.mark.parametrize("path", commands(), ids=lambda p: " ".join(p) or "kantoor-batch")
def test_every_help_is_english_with_lang_en(path: tuple[str, ...]) -> None:
    text = help_of(*path, "--lang", "en")
    assert text.startswith("Usage: kantoor-batch")
    assert "Show this message and exit." in text
    assert "Toon deze hulp" not in text


def test_an_english_locale_gives_english_help_and_a_dutch_one_dutch() -> None:
    assert help_of("validate", env={"LANG": "en_GB.UTF-8"}).startswith("Usage:")
    assert help_of("validate", env={"LANG": "nl_NL.UTF-8"}).startswith("Gebruik:")
    assert help_of("validate", env={"LANG": "en_GB.UTF-8", "LC_ALL": "nl_NL.UTF-8"}).startswith(
        "Gebruik:"
    )


def test_every_help_text_of_the_tool_has_its_english() -> None:
    missing = []
    for path in commands():
        command: click.Command = main
        for name in path:
            assert isinstance(command, click.Group)
            command = command.commands[name]
        texts = [command.help] + [p.help for p in command.params if isinstance(p, click.Option)]
        missing += [t for t in texts if t and t not in DUTCH and inspect.cleandoc(t) not in HELP_EN]
    assert missing == []


def test_the_as_of_placeholder_is_a_date_a_person_types() -> None:
    assert "--as-of [JJJJ-MM-DD]" in help_of("import")
    assert "--as-of [YYYY-MM-DD]" in help_of("import", "--lang", "en")


def test_the_list_of_commands_never_cuts_a_summary_off() -> None:
    text = help_of()
    assert "..." not in text.split("Opdrachten:")[1]
    assert "instructies." in text  # the end of template's summary


def test_o_is_a_file_in_every_command_and_import_takes_a_folder_with_d() -> None:
    for path in commands():
        text = help_of(*path)
        if "-o, --output" in text:
            assert "-o, --output BESTAND" in text
    assert "-d, --output-dir MAP" in help_of("import")


def test_click_s_own_messages_are_dutch() -> None:
    result = CliRunner().invoke(main, ["import", "geen.xlsx", "--as-of", "2026-13-01"])
    assert result.exit_code == 2
    assert "Fout: Ongeldige waarde voor '--as-of'" in result.output
    assert "jjjj-mm-dd" in result.output
    assert "Error" not in result.output
    unknown = CliRunner().invoke(main, ["validaet"])
    assert "Onbekende opdracht 'validaet'" in unknown.output
