"""Imported once in the reader workers' fork server (``worker._PRELOAD``): the deployment's
own language (``POCMAP_LANG``) has its catalogue compiled there, so each worker forked from
it writes its refusals and notes in that language without compiling the catalogue again
for every read. Another language chosen by a person is compiled in the worker that needs
it; English needs no catalogue, and a deployment in English pays nothing here (the fork
server's start counts against the first read's time limit)."""

from __future__ import annotations

import languages

languages.catalogue(languages.default())
