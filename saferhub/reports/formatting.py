"""The simple formatting a highlight's author may use, and nothing else.

    A paragraph is lines of text; a blank line starts the next one.

    - a line that starts with a dash and a space is a bullet
    - the next bullet

    **Two asterisks** on each side make words bold.

`parse` turns the text into blocks of runs (the Word writer uses them as they are);
`to_html` writes them as HTML, escaping every character of the text first: no HTML
the author types ever reaches a page, a PDF or a Word file as markup.
"""

import re
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

_BULLET = re.compile(r"^\s*[-*•]\s+(.*)$")
_BOLD = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")


@dataclass(frozen=True)
class Run:
    text: str
    bold: bool = False


@dataclass(frozen=True)
class Paragraph:
    runs: tuple[Run, ...]


@dataclass(frozen=True)
class BulletList:
    items: tuple[tuple[Run, ...], ...]


Block = Paragraph | BulletList


def runs(line: str) -> tuple[Run, ...]:
    """A line split into plain and bold runs. An unpaired ** stays as typed."""
    found: list[Run] = []
    position = 0
    for match in _BOLD.finditer(line):
        if match.start() > position:
            found.append(Run(line[position : match.start()]))
        found.append(Run(match.group(1), bold=True))
        position = match.end()
    if position < len(line):
        found.append(Run(line[position:]))
    return tuple(found)


def _clean(text: str) -> str:
    """Line endings made one kind; control characters (never typed on purpose, and not
    allowed in XML: PDF tags, Word) become spaces; tabs too."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return "".join(
        char if char == "\n" or (ord(char) >= 32 and ord(char) != 127) else " " for char in text
    )


def parse(text: str) -> list[Block]:
    """The text's paragraphs and bullet lists, in order."""
    blocks: list[Block] = []
    lines: list[str] = []
    items: list[tuple[Run, ...]] = []

    def close_paragraph() -> None:
        if lines:
            blocks.append(Paragraph(runs(" ".join(lines))))
            lines.clear()

    def close_list() -> None:
        if items:
            blocks.append(BulletList(tuple(items)))
            items.clear()

    for raw in _clean(text).split("\n"):
        line = " ".join(raw.split())
        if not line:
            close_paragraph()
            close_list()
            continue
        bullet = _BULLET.match(raw)
        if bullet and bullet.group(1).strip():
            close_paragraph()
            items.append(runs(" ".join(bullet.group(1).split())))
        elif items and raw[:1].isspace():
            # An indented line carries on the bullet above it.
            last = items.pop()
            items.append(runs(plain_runs(last) + " " + line))
        else:
            close_list()
            lines.append(line)
    close_paragraph()
    close_list()
    return blocks


def plain_runs(found: tuple[Run, ...]) -> str:
    """Runs back to the text typed (bold marked with ** again)."""
    return "".join(f"**{run.text}**" if run.bold else run.text for run in found)


def plain_text(blocks: list[Block]) -> str:
    """The words alone, a block a line: for alt text, summaries and tests."""
    out = []
    for block in blocks:
        if isinstance(block, Paragraph):
            out.append("".join(run.text for run in block.runs))
        else:
            out.extend("• " + "".join(run.text for run in item) for item in block.items)
    return "\n".join(out)


def _runs_html(found: tuple[Run, ...]) -> str:
    return "".join(
        f"<strong>{escape(run.text)}</strong>" if run.bold else escape(run.text) for run in found
    )


def to_html(
    blocks: list[Block],
    paragraph_class: str = "govuk-body",
    list_class: str = "govuk-list govuk-list--bullet",
) -> SafeString:
    parts = []
    for block in blocks:
        if isinstance(block, Paragraph):
            parts.append(f'<p class="{paragraph_class}">{_runs_html(block.runs)}</p>')
        else:
            items = "".join(f"<li>{_runs_html(item)}</li>" for item in block.items)
            parts.append(f'<ul class="{list_class}">{items}</ul>')
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped


def render(text: str, **classes: str) -> SafeString:
    """The text as HTML, in one step."""
    return to_html(parse(text), **classes)
