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
positions = metrics.positions.positions_in_period(ds.positions, metrics.asof.optional_date(start_date), metrics.asof.optional_date(end_date) or cut, metrics.positions.topic_list(topics))
matrix = metrics.positions.position_matrix(positions)
ledger = metrics.deadlines.deadline_ledger(ds.deadlines, cut)
present.html.editor_note(note)

# %%
present.prose.positions_summary(positions, matrix, ledger, cut)

# %% [markdown]
# ## Positions over time
# Each mark is a position stated on a topic; its shape says whether it was a demand, offer,
# acceptance, rejection or condition.

# %%
present.charts.positions.plot_positions_timeline(positions, ds, cut)

# %% [markdown]
# ## Where each side stands now
# The latest stance of each party on each topic; ↺ marks a change from the party's first stance.

# %%
present.charts.positions.plot_position_matrix(matrix, ds, cut)

# %% [markdown]
# ## Ukraine and Russia, side by side

# %%
present.html.table(metrics.positions.positions_side_by_side(positions, cut), {"topic": "Topic", "UA_type": "Ukraine", "UA_stance": "Ukraine's latest position", "RU_type": "Russia", "RU_stance": "Russia's latest position", "gap": "Gap"})

# %% [markdown]
# ## Deadline ledger
# Every ultimatum and deadline: when it was set, when it fell due and what happened.

# %%
present.charts.positions.plot_deadline_ledger(ledger, ds, cut)

# %%
present.html.table(ledger, {"issued_date": "Issued", "issuer": "By", "target": "For", "deadline_date": "Due", "days_total": "Days given", "outcome": "Outcome", "days_overdue": "Days overdue", "replaces_count": "Deadlines it replaced", "demand": "Demand"})
