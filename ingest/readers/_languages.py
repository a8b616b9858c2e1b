"""Imported once in the reader workers' fork server (``worker._PRELOAD``): every language's
catalogue is compiled there, so each worker forked from it writes its refusals and notes
in the caller's language without compiling the catalogue again for every read."""

from __future__ import annotations

import languages

for _code in languages.available():
    languages.catalogue(_code)
