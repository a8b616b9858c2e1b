"""User-supplied text shown through Streamlit's markdown (captions, errors, messages).

Markdown would turn a file or column name such as ``![x](http://host/t.png)`` into an
image fetched from anywhere, or ``[click](...)`` into a link. Escaping every markdown
character makes such text show as it was written.
"""

from __future__ import annotations

import re

_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~:$])")


def md(text: object) -> str:
    """``text`` with every markdown character escaped, to show literally."""
    return _MARKDOWN.sub(r"\\\1", str(text))
