# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Round brief
# One round of talks: where it stands among the others, the deadlines running, how far apart the
# sides are, what earlier rounds produced and the territorial claims made in the weeks before.

# %% tags=["parameters"]
round_id: str = ""  # the round, e.g. 2025-07-23-istanbul; empty means the newest round
as_of: str = ""  # data cut-off, ISO date; empty means the dataset date. Only rows whose sources were published by then are used.
claims_weeks: int = 4  # weeks before the round whose territorial claims are mapped
note: str = ""  # an editor's note shown at the top of the brief (plain text)

# %% tags=["remove-input"]
from analysis import dataset, metrics, present

full = dataset.load_dataset()
cut = metrics.asof.resolve_as_of(full, as_of)
ds = metrics.asof.known_as_of(full, cut)
rid = round_id or metrics.rounds.newest_round_id(ds.rounds)
rounds = metrics.rounds.rounds_with(ds.rounds, full.rounds, rid)
ctx = metrics.rounds.round_context(rounds, rid, cut)
start = ctx.round["start_date"]
running = metrics.deadlines.deadlines_running(ds.deadlines, start)
side = metrics.positions.positions_side_by_side(ds.positions, min(start, cut))
earlier = metrics.exchanges.exchanges_by_round(ds.exchanges, rounds)
earlier = earlier[(earlier["series"] == ctx.round["series"]) & (earlier["start_date"] < start)]
before = metrics.claims.claims_in_window(ds.claims, start, claims_weeks)
present.html.editor_note(note)

# %%
present.prose.round_summary(ctx, running, side, earlier, cut)

# %%
present.prose.round_facts(ctx)

# %% [markdown]
# ## The pace of talks
# Every round so far, by format. The ringed dot is this round; the title gives the gap to the
# previous round of the same series.

# %%
present.charts.rounds.plot_rounds_timeline(metrics.rounds.round_gaps(rounds[rounds["start_date"] <= start]), ds, cut, highlight=rid)

# %% [markdown]
# ## Deadlines running
# Ultimatums and deadlines that were running on the day of the round, with how many days were left.

# %%
present.charts.rounds.plot_deadline_countdown(running, ds, cut, on=start)

# %% [markdown]
# ## How far apart the sides are
# Each side's latest stated position on each topic before the round, furthest apart first.

# %%
present.charts.rounds.plot_positions_gap(side, ds, cut)

# %%
present.html.table(side, {"topic": "Topic", "UA_type": "Ukraine", "UA_stance": "Ukraine's position", "RU_type": "Russia", "RU_stance": "Russia's position", "gap": "Gap"})

# %% [markdown]
# ## What earlier rounds produced
# Exchanges of prisoners and repatriations of bodies that the sources tie to earlier rounds of this series.

# %%
present.charts.rounds.plot_round_yield(earlier, ds, cut)

# %% [markdown]
# ## Territorial claims in the weeks before
# Settlements either side claimed to have taken in the weeks up to the day of the round, with their status by the brief's date.

# %%
present.charts.territory.plot_claims_map(before, ds, cut, title=present.prose.claims_window_title(before, start, claims_weeks))

# %%
present.html.table(metrics.claims.settlement_claims(before), {"claim_date": "Date", "claimant": "By", "place": "Place", "oblast": "Oblast", "status": "Status"}, limit=present.html.TABLE_ROWS)

# %% [markdown]
# ## What came of it

# %%
present.prose.round_outcome(ctx, ds.exchanges[ds.exchanges["round_id"] == rid], cut)
