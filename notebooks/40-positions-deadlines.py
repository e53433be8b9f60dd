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
# # Positions and deadlines
# What each party demanded or offered, topic by topic, how that changed, and every ultimatum and
# deadline with what happened to it.

# %% tags=["parameters"]
start_date: str = ""  # first day of the period, ISO date; empty means the first position
end_date: str = ""  # last day of the period, ISO date; empty means the as-of date
topics: str = ""  # comma-separated topics to show; empty means all
as_of: str = ""  # data cut-off, ISO date; empty means the dataset date. Only rows whose sources were published by then are used.
note: str = ""  # an editor's note shown at the top of the brief (plain text)

# %% tags=["remove-input"]
from analysis import dataset, metrics, present

full = dataset.load_dataset()
cut = metrics.asof.resolve_as_of(full, as_of)
ds = metrics.asof.known_as_of(full, cut)
period = metrics.asof.Period.from_params(start_date, end_date, cut)
positions = metrics.positions.positions_in(ds.positions, period, topics)
side = metrics.positions.positions_side_by_side(positions, period.end)
matrix = metrics.positions.position_matrix(positions)
ledger = metrics.deadlines.deadline_ledger(ds.deadlines, cut)
present.prose.common.heading("Positions and deadlines", present.prose.common.as_known(cut, ds))

# %%
present.prose.common.editor_note(note)

# %%
present.prose.positions.positions_lead(positions, side, ledger, cut)

# %% [markdown]
# ## Positions over time
# Each mark is a position stated on a topic: its colour is the party, its shape whether it was a
# demand, an offer, an acceptance, a rejection or a condition.

# %%
present.charts.positions.plot_positions_timeline(positions, ds, cut)

# %% [markdown]
# ## Where each party stands now
# The latest stance of each party on each topic; ↺ marks a change from the party's first stance.

# %%
present.charts.positions.plot_position_matrix(matrix, ds, cut)

# %% [markdown]
# ## Ukraine and Russia, side by side
# Each side's latest position per topic with its date; positions older than six months are marked.

# %%
present.prose.positions.side_by_side_table(side, metrics.positions.STALE_DAYS)

# %% [markdown]
# ## Deadline ledger
# Every ultimatum and deadline: when it was set, when it fell due, the threat, and what happened.

# %%
present.charts.positions.plot_deadline_ledger(ledger, ds, cut)

# %%
present.prose.positions.ledger_table(ledger, cut)

# %%
present.prose.common.about("This brief covers every stated position of the period shown and every deadline set.", cut, ds)
