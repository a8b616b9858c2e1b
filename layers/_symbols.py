"""Map symbols drawn with CSS in a ``L.divIcon``: no image files, no icon fonts.

The HTML here is built only from the module's own constants (shapes, colours),
never from user data.
"""

from __future__ import annotations

import folium

_SHAPES = {
    "diamond": "width:{s}px;height:{s}px;background:{c};border:2px solid #fff;"
    "transform:rotate(45deg);box-shadow:0 0 2px #000",
    "square": "width:{s}px;height:{s}px;background:{c};border:2px solid #fff;"
    "box-shadow:0 0 2px #000",
    "hollow_square": "width:{s}px;height:{s}px;background:#fff;border:3px solid {c};"
    "box-shadow:0 0 2px #000",
    "triangle": "width:0;height:0;border-left:{h}px solid transparent;"
    "border-right:{h}px solid transparent;border-bottom:{s}px solid {c}",
    "circle": "width:{s}px;height:{s}px;background:{c};border:2px solid #fff;"
    "border-radius:50%;box-shadow:0 0 2px #000",
    "ring": "width:{s}px;height:{s}px;background:#fff;border:3px solid {c};border-radius:50%;"
    "box-shadow:0 0 2px #000",
}


def symbol_html(shape: str, colour: str, size: int = 14) -> str:
    """The inline HTML of a symbol (also used in the legend)."""
    if shape == "star":
        return (
            f"<div style='color:{colour};font-size:{size + 10}px;line-height:{size + 10}px;"
            f"text-shadow:0 0 2px #fff,0 0 2px #fff'>&#9733;</div>"
        )
    if shape not in _SHAPES:
        raise ValueError(f"`shape` was {shape!r} but is expected to be in {sorted(_SHAPES)}")
    return f"<div style='{_SHAPES[shape].format(s=size, h=size // 2 + 1, c=colour)}'></div>"


def icon(shape: str, colour: str, size: int = 14) -> folium.DivIcon:
    """A ``folium.DivIcon`` showing ``shape`` in ``colour``, centred on the point."""
    box = size + 10 if shape == "star" else size + 4
    return folium.DivIcon(
        html=symbol_html(shape, colour, size),
        icon_size=(box, box),
        icon_anchor=(box // 2, box // 2),
        class_name="pocmap-symbol",
    )
