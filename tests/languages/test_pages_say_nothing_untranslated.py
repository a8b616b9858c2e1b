"""No string literal reaches streamlit outside the catalogue: every label, caption, help
text, message and option written in ``ui/`` and ``app.py`` goes through ``_()`` (or
``ngettext``), so it exists in French.

The scan reads the code (``ast``): any call of a streamlit element (``st.caption``,
``column.button``, ``st.column_config.TextColumn``...) whose text arguments hold a literal
with letters that is not inside ``_()`` fails, naming the file and line.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FACES = [ROOT / "app.py", *sorted((ROOT / "ui").rglob("*.py"))]

ELEMENTS = {
    "title",
    "header",
    "subheader",
    "markdown",
    "caption",
    "text",
    "write",
    "info",
    "warning",
    "error",
    "success",
    "toast",
    "exception",
    "button",
    "download_button",
    "checkbox",
    "toggle",
    "radio",
    "selectbox",
    "multiselect",
    "slider",
    "select_slider",
    "text_input",
    "number_input",
    "text_area",
    "date_input",
    "time_input",
    "file_uploader",
    "color_picker",
    "expander",
    "tabs",
    "metric",
    "form_submit_button",
    "popover",
    "page_link",
    "link_button",
    "status",
    "spinner",
    "dialog",
    "Page",
    "TextColumn",
    "NumberColumn",
    "DateColumn",
    "DatetimeColumn",
    "CheckboxColumn",
    "SelectboxColumn",
    "LinkColumn",
    "ListColumn",
    "ProgressColumn",
    "Column",
    "feedback",
    "pills",
    "segmented_control",
    "badge",
    "set_page_config",
    "chat_input",
    "audio_input",
    "camera_input",
}
"""Streamlit calls whose arguments a person reads."""

NOT_TEXT = {
    "key",
    "type",
    "icon",
    "format",
    "on_change",
    "on_click",
    "args",
    "kwargs",
    "width",
    "height",
    "use_container_width",
    "format_func",
    "disabled",
    "label_visibility",
    "unsafe_allow_html",
    "data",
    "mime",
    "file_name",
    "url_path",
    "page_icon",
    "layout",
    "initial_sidebar_state",
    "value",
    "min_value",
    "max_value",
    "step",
    "accept_multiple_files",
    "selection_mode",
    "index",
    "default",
    "horizontal",
    "expanded",
    "state",
    "anchor",
    "divider",
    "pinned",
    "display_text",
    "delta_color",
    "border",
    "gap",
    "on_select",
    "page",
    "options",
}
"""Arguments that are not text a person reads (``options`` are codes shown through
``format_func``; their literals are checked separately below)."""

TRANSLATING = {"_", "ngettext"}


def _calls(tree: ast.AST) -> Iterator[ast.Call]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name in ELEMENTS:
                yield node


def _untranslated(node: ast.AST) -> Iterator[ast.AST]:
    """Literals with letters under ``node`` that no ``_()`` call wraps."""
    if isinstance(node, ast.Call):
        func = node.func
        name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
        if name in TRANSLATING:
            return
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        if any(c.isalpha() for c in node.value):
            yield node
        return
    if isinstance(node, ast.JoinedStr):
        for part in node.values:
            if isinstance(part, ast.Constant) and any(c.isalpha() for c in str(part.value)):
                yield node
                return
            if isinstance(part, ast.FormattedValue):
                yield from _untranslated(part.value)
        return
    for child in ast.iter_child_nodes(node):
        yield from _untranslated(child)


def untranslated_in(path: Path) -> list[str]:
    found = []
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for call in _calls(tree):
        arguments: list[ast.AST] = list(call.args)
        arguments += [k.value for k in call.keywords if k.arg not in NOT_TEXT]
        for argument in arguments:
            for literal in _untranslated(argument):
                text = ast.unparse(literal)[:70]
                where = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path.name
                found.append(f"{where}:{literal.lineno}: {text}")
    return found


def test_no_literal_reaches_streamlit_outside_the_catalogue() -> None:
    found = [line for path in FACES for line in untranslated_in(path)]
    assert not found, f"{len(found)} strings shown untranslated:\n" + "\n".join(found[:60])


def test_the_scan_finds_an_untranslated_label(tmp_path: Path) -> None:
    page = tmp_path / "page.py"
    page.write_text(
        "import streamlit as st\nfrom languages import _\n"
        "st.caption(_('Fine'))\nst.sidebar.button('Not fine')\n"
        "st.caption(f\"{n} rows\")\nst.caption(_('{n} rows', n=n) + ' more')\n"
    )
    assert [line.split(":", 2)[1] for line in untranslated_in(page)] == ["4", "5", "6"]


def test_every_multiselect_says_its_empty_state_in_the_language() -> None:
    """An empty multiselect shows Streamlit's own "Choose options" unless given a
    placeholder: every one gives ours (``placeholder=_(...)``)."""
    bare = []
    for path in FACES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and getattr(node.func, "attr", "") == "multiselect"
                and "placeholder" not in {k.arg for k in node.keywords}
            ):
                bare.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not bare, "multiselects without a placeholder: " + ", ".join(bare)
