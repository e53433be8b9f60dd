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
# # The state of the talks
# The latest round, the exchanges of this year against last, the territorial claims of the past
# month, the deadlines still open and each side's key positions, with links to every brief.

# %% tags=["parameters"]
as_of: str = ""  # data cut-off, ISO date; empty means the dataset date. Only rows whose sources were published by then are used.
note: str = ""  # an editor's note shown at the top of the brief (plain text)

# %% tags=["remove-input"]
from analysis import dataset, metrics, present

full = dataset.load_dataset()
cut = metrics.asof.resolve_as_of(full, as_of)
ds = metrics.asof.known_as_of(full, cut)
latest = ds.rounds[ds.rounds["round_id"] == metrics.rounds.newest_round_id(ds.rounds)].iloc[0]
years = metrics.exchanges.year_compare(ds.exchanges, cut)
recent = metrics.claims.claims_last_days(ds.claims, cut, metrics.claims.RECENT_DAYS)
still_open = metrics.deadlines.open_deadlines(ds.deadlines, cut)
present.html.editor_note(note)

# %%
present.prose.overview_summary(latest, metrics.rounds.next_round(ds.rounds, cut), years, recent, still_open, cut)

# %% [markdown]
# ## Rounds of talks

# %%
present.charts.rounds.plot_rounds_timeline(metrics.rounds.round_gaps(ds.rounds[ds.rounds["start_date"] <= cut]), ds, cut, highlight=latest["round_id"])

# %% [markdown]
# ## Exchanges: this year against last

# %%
present.charts.exchanges.plot_year_compare(years, ds, cut)

# %% [markdown]
# ## Territorial claims of the past month

# %%
present.charts.territory.plot_claims_map(metrics.claims.recent_claims(ds.claims, cut, metrics.claims.RECENT_DAYS), ds, cut)

# %% [markdown]
# ## Open deadlines

# %%
present.html.table(still_open, {"issued_date": "Issued", "issuer": "By", "target": "For", "deadline_date": "Due", "days_left": "Days left", "demand": "Demand"})

# %% [markdown]
# ## Key positions
# The latest stance of Ukraine, Russia and the United States on the main topics.

# %%
present.html.table(metrics.positions.key_positions(ds.positions, cut), {"topic": "Topic", "UA": "Ukraine", "RU": "Russia", "US": "United States"})

# %% [markdown]
# ## What changed since the previous dataset version

# %%
present.prose.dataset_changes(metrics.changes.changes_since(full, dataset.load_previous_release(full.info.version)))

# %% [markdown]
# ## All briefs

# %%
present.prose.brief_links(full.rounds)
