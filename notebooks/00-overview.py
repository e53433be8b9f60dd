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
from analysis import charts, dataset, metrics, text

full = dataset.load_dataset()
cut = metrics.resolve_as_of(full, as_of)
ds = metrics.known_as_of(full, cut)
latest = ds.rounds[ds.rounds["round_id"] == metrics.newest_round_id(ds.rounds)].iloc[0]
years = metrics.year_compare(ds.exchanges, cut)
recent = metrics.claims_last_days(ds.claims, cut, metrics.RECENT_DAYS)
still_open = metrics.open_deadlines(ds.deadlines, cut)
text.editor_note(note)

# %%
text.overview_summary(latest, metrics.next_round(ds.rounds, cut), years, recent, still_open, cut)

# %% [markdown]
# ## Rounds of talks

# %%
charts.plot_rounds_timeline(metrics.round_gaps(ds.rounds[ds.rounds["start_date"] <= cut]), ds, cut, highlight=latest["round_id"])

# %% [markdown]
# ## Exchanges: this year against last

# %%
charts.plot_year_compare(years, ds, cut)

# %% [markdown]
# ## Territorial claims of the past month

# %%
charts.plot_claims_map(metrics.recent_claims(ds.claims, cut, metrics.RECENT_DAYS), ds, cut)

# %% [markdown]
# ## Open deadlines

# %%
text.table(still_open, {"issued_date": "Issued", "issuer": "By", "target": "For", "deadline_date": "Due", "days_left": "Days left", "demand": "Demand"})

# %% [markdown]
# ## Key positions
# The latest stance of Ukraine, Russia and the United States on the main topics.

# %%
text.table(metrics.key_positions(ds.positions, cut), {"topic": "Topic", "UA": "Ukraine", "RU": "Russia", "US": "United States"})

# %% [markdown]
# ## What changed since the previous dataset version

# %%
text.dataset_changes(metrics.changes_since(full, dataset.load_previous_release(full.info.version)))

# %% [markdown]
# ## All briefs

# %%
text.brief_links(full.rounds)
