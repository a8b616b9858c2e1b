"""How sure a chosen link is: how much worse the best other way of matching its two reports is.

A link (i, j) is doubtful when another candidate of i (or of j) would do almost as well. If
that other report is free, the alternative is simply the other pair; if it is matched to a
third report, the alternative swaps partners (i with j2, i2 with j), and the doubt is the
difference in the two assignments' total scores: a rival that is better explained by its own
match is no rival (MELTT keeps the runners-up as "contenders"; here they decide certainty).
A rival that is a possible duplicate of the partner (the same source's report of the same
thing) is no rival either: whichever twin is linked, the event is counted once.
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def losses(scored: pd.DataFrame, best: pd.DataFrame, twins: pd.DataFrame) -> np.ndarray:
    """Per row of ``best`` (the chosen pairs ``i``, ``j``, ``score`` among the candidates
    ``scored``): how much less the best alternative scores in total (inf: no alternative).
    ``twins``: pairs ``p``, ``q`` (both orders) of possible duplicates within one source."""
    loss = np.full(len(best), np.inf)
    if best.empty:
        return loss
    links = best[["i", "j", "score"]].reset_index(drop=True).rename_axis("link").reset_index()
    for me, other in (("i", "j"), ("j", "i")):
        # Alternatives: my report's other candidates (mine fixed, the partner changes).
        mine = links.rename(columns={other: "partner", "score": "chosen"})
        alt = scored[[me, other, "score"]].merge(mine[["link", me, "partner", "chosen"]], on=me)
        alt = alt[alt[other] != alt["partner"]]
        alt = alt.merge(
            twins.rename(columns={"p": "partner", "q": other}).assign(twin=True),
            on=["partner", other],
            how="left",
        )
        alt = alt[alt["twin"].isna()]
        if alt.empty:
            continue
        # The rival's own match, if any, and what that match's report would score with my
        # partner (the swapped assignment).
        matched = best[[me, other, "score"]].rename(columns={me: "their", "score": "theirs"})
        alt = alt.merge(matched, on=other, how="left")
        crossed = scored[[me, other, "score"]].rename(
            columns={me: "their", other: "partner", "score": "crossed"}
        )
        alt = alt.merge(crossed, on=["their", "partner"], how="left")
        swapped = alt["their"].notna()
        kept = alt["chosen"] + alt["theirs"].fillna(0)
        instead = alt["score"] + alt["crossed"].fillna(0)
        gap = np.where(swapped, kept - instead, alt["chosen"] - alt["score"])
        worst = pd.Series(gap).groupby(alt["link"].to_numpy()).min()
        loss[worst.index.to_numpy()] = np.minimum(loss[worst.index.to_numpy()], worst.to_numpy())
    return loss
