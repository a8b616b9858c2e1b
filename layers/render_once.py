"""Rendered text put in the page as it is, never read as a template again.

branca renders each element's header, html and script, then wraps the result in a new
``Element``, which compiles it as a Jinja template and renders it once more. That costs
time (a compile per marker, popup and tooltip: most of a page rerun) and, worse, it runs
whatever ``{{ ... }}`` or ``{% ... %}`` the rendered text holds: a process name or an
agreement's title written ``{{ cycler.__init__.__globals__.os... }}`` by whoever filled
the form would run on the server, HTML escaping or not (escaping leaves braces alone).

:func:`install_render_once` makes ``MacroElement``, folium's ``Popup`` and its
class-option statements place their rendered text as :class:`Raw`. The map builders
(``layers.joint_map.build_joint_map``, ``layers.preview.build_preview``) and the
standalone HTML export (``briefing.exports.to_html``) call it first, so no pocmap page is
rendered without it; importing :mod:`layers` (or the vocabulary, ``schema``) changes
nothing in folium or branca.
Their own templates are still rendered once, as folium writes them: only the second
pass is gone, so a page without braces in its text is byte for byte the same.
"""

from __future__ import annotations

import functools
from typing import Any

import branca.element
import branca.utilities
import folium.map
from branca.element import Element, Figure, MacroElement
from folium.elements import IncludeStatement


class Raw(Element):
    """Text placed in the page as it is (already rendered, already escaped)."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self._name = "Raw"
        self.text = text

    def render(self, **kwargs: Any) -> str:
        return self.text


def _root(element: Element) -> Figure:
    figure = element.get_root()
    if not isinstance(figure, Figure):
        raise TypeError(f"cannot render {element._name} outside a Figure")
    return figure


def _macro_render(self: MacroElement, **kwargs: Any) -> None:
    """``MacroElement.render`` without reading its output as a template."""
    figure = _root(self)
    for part in ("header", "html", "script"):
        macro = self._template.module.__dict__.get(part)
        if macro is not None:
            getattr(figure, part).add_child(Raw(macro(self, kwargs)), name=self.get_name())
    for element in self._children.values():
        element.render(**kwargs)


def _popup_render(self: folium.map.Popup, **kwargs: Any) -> None:
    """``folium.map.Popup.render``, its script placed as it is."""
    for child in self._children.values():
        child.render(**kwargs)
    figure = _root(self)
    script = self._template.render(this=self, kwargs=kwargs)
    figure.script.add_child(Raw(script), name=self.get_name())


def _class_render(self: folium.map.Class, **kwargs: Any) -> None:
    """``folium.map.Class.render``: the class options statement placed as it is."""
    figure = _root(self)
    if self.includes:
        statement = IncludeStatement(self.leaflet_class_name, **self.includes)
        figure.script.add_child(
            Raw(statement._template.render(this=statement, kwargs=self.includes)),
            name=self._name + "_includes",
            index=-1,
        )
    _macro_render(self, **kwargs)


_snake_case = functools.lru_cache(maxsize=512)(branca.utilities._camelify)

_ONCE = {
    (MacroElement, "render"): _macro_render,
    (folium.map.Popup, "render"): _popup_render,
    (folium.map.Class, "render"): _class_render,
}
FOLIUM_RENDERS = {place: place[0].__dict__[place[1]] for place in _ONCE}
"""folium's and branca's own methods, as they were before :func:`install_render_once`."""

_installed = False


def install_render_once() -> None:
    """Render every folium element's text once (idempotent: only the first call patches).

    Also: every element's JavaScript name is its class name turned to snake case plus
    its id, and branca re-derives the snake case letter by letter each time a name is
    asked for (thousands of times a render); the few class names are remembered.

    A second call changes nothing, so a test that puts folium's own renders back for a
    while (``FOLIUM_RENDERS``) is not overridden by the next map built.
    """
    global _installed
    if _installed:
        return
    for (cls, name), method in _ONCE.items():
        setattr(cls, name, method)
    branca.element._camelify = _snake_case
    _installed = True
