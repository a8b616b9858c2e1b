"""Generate the seeded synthetic sample data set for the fictional country Carana.

``python -m sample_data.generate [--out DIR] [--seed N]`` writes every layer of the joint
map plus ``planted_patterns.json``, the ground truth of six patterns planted in the
incidents for the analysis to find (``sample_data/README.md`` tells them in words).
Everything is drawn from one ``numpy.random.default_rng(seed)`` and written by
deterministic writers, so two runs with one seed give byte-identical files.

Geometry is built in metres (UTM zone 31S) and written in WGS84 longitude/latitude
rounded to 5 decimals (about 1 m). Carana is placed over open ocean in the Gulf of Guinea
and every feature a person can see says it is synthetic.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from sample_data.carana.features import build_features
from sample_data.carana.geography import build_country
from sample_data.carana.incidents import build_incidents
from sample_data.carana.writers import write_all

SEED = 2022
OUT_DIR = Path(__file__).resolve().parent


def generate(out: Path = OUT_DIR, seed: int = SEED) -> list[Path]:
    """Generate the whole sample data set.

    Parameters
    ----------
    out : the folder to write into (created if missing).
    seed : the seed of the one random generator.

    Returns
    -------
    The paths written.
    """
    rng = np.random.default_rng(seed)
    country = build_country(rng)
    features = build_features(rng, country)
    incidents = build_incidents(rng, country, features)
    return write_all(Path(out), country, features, incidents, seed)


def main(argv: Sequence[str] | None = None) -> None:
    """Command line: ``python -m sample_data.generate [--out DIR] [--seed N]``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT_DIR, help="folder to write into")
    parser.add_argument("--seed", type=int, default=SEED, help="random seed")
    args = parser.parse_args(argv)
    for path in generate(args.out, args.seed):
        print(path)


if __name__ == "__main__":
    main()
