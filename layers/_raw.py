"""Big layers rendered once, not twice.

branca renders each element's script and then wraps the result in a new ``Element``,
which compiles it as a Jinja template again. For a layer carrying a few megabytes of
rows, that second compile costs more than everything else on the page. Elements that
mix in :class:`RawMacro` put their rendered header, html and script in the page as
they are.
"""

from __future__ import annotations

from branca.element import Element, MacroElement


class _Raw(Element):
    """Text placed in the page as it is (already rendered, already escaped)."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self._name = "Raw"
        self.text = text

    def render(self, **kwargs) -> str:
        return self.text


class RawMacro(MacroElement):
    """Renders like ``MacroElement``, without compiling its own output again. List it
    among a folium class's bases so it stands just before ``MacroElement``."""

    def render(self, **kwargs) -> None:
        figure = self.get_root()
        for part in ("header", "html", "script"):
            macro = self._template.module.__dict__.get(part)
            if macro is not None:
                section = getattr(figure, part)
                section.add_child(_Raw(macro(self, kwargs)), name=self.get_name())
        for element in self._children.values():
            element.render(**kwargs)
