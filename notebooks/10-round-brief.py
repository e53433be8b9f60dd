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

# %% [markdown] tags=["remove"]
# # Round brief
# One round of talks: where it stands among the others, the deadlines running, how far apart the
# sides are, what earlier rounds produced, the truces and the territorial claims of the weeks before.
# The brief's own heading, built from the round's data, is the first output below.

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
rounds = metrics.rounds.rounds_with(ds, full, rid)
ctx = metrics.rounds.round_context(rounds, rid, cut)
start = ctx.round["start_date"]
running = metrics.deadlines.deadlines_running(ds.deadlines, start)
side = metrics.positions.positions_side_by_side(ds.positions, start, before=True)
earlier = metrics.exchanges.exchanges_by_round(ds.exchanges, rounds)
earlier = earlier[(earlier["series"] == ctx.round["series"]) & (earlier["start_date"] < start)]
truces = metrics.truces.truces_around(ds.truces, min(start, cut))
window = metrics.claims.weeks_before(start, claims_weeks)
before = metrics.claims.claims_in(ds.claims, window)
present.prose.rounds.round_heading(ctx, cut, ds)

# %%
present.prose.common.editor_note(note)

# %%
present.prose.rounds.round_lead(ctx, running, side, earlier, cut)

# %%
present.prose.rounds.round_facts(ctx, cut)

# %% [markdown]
# ## The pace of talks
# Every round so far, by who sat at the table. The ringed dot is this round; the title gives the gap
# to the previous round of the same talks.

# %%
present.charts.rounds.plot_rounds_timeline(metrics.rounds.round_gaps(rounds[rounds["start_date"] <= start]), ds, cut, highlight=rid)

# %% [markdown]
# ## Deadlines running
# Ultimatums and deadlines that were running on the day of the round, how many days were left, and
# what was threatened.

# %%
present.charts.rounds.plot_deadline_countdown(running, ds, cut, on=start)

# %%
present.prose.rounds.deadlines_table(running, start)

# %% [markdown]
# ## How far apart the sides are
# Each side's latest stated position on each topic before the round opened, furthest apart first.
# Positions stated more than six months before are marked with their age.

# %%
present.charts.rounds.plot_positions_gap(side, ds, cut)

# %%
present.prose.rounds.positions_table(side, start, metrics.positions.STALE_DAYS)

# %% [markdown]
# ## What earlier rounds produced
# Exchanges of prisoners and repatriations of bodies that the sources tie to earlier rounds of the
# same talks.

# %%
present.charts.rounds.plot_round_yield(earlier, ds, cut)

# %%
present.prose.rounds.earlier_table(earlier, rounds)

# %% [markdown]
# ## Truces
# Truces and moratoria in force on the day, announced for later, or announced or over in the month
# before.

# %%
present.prose.rounds.truces_table(truces, min(start, cut))

# %% [markdown]
# ## Territorial claims in the weeks before
# Settlements either side claimed to have taken in the weeks up to the day of the round, with their
# status as known on the brief's day.

# %%
present.charts.territory.plot_claims_map(before, ds, cut, title=present.prose.territory.window_title(before, window), none=present.prose.territory.no_claims(full, window))

# %%
present.prose.common.data_end_note(full, "claims", window.end, cut)

# %%
present.prose.rounds.claims_table(before)

# %% [markdown]
# ## What came of it

# %%
present.prose.rounds.outcome(ctx, ds.exchanges[ds.exchanges["round_id"] == rid], ds.positions[ds.positions["round_id"] == rid], cut)

# %%
present.prose.common.about(f"This brief covers the {present.links.round_title(ctx.round)} with the territorial claims of the {claims_weeks} weeks before it.", cut, ds)
