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
# # The state of the talks
# The latest round, the exchanges of this year against last, the truces, the territorial claims of
# the past month, the deadlines still open and each side's key positions, with links to every brief.

# %% tags=["parameters"]
as_of: str = ""  # data cut-off, ISO date; empty means the dataset date. Only rows whose sources were published by then are used.
note: str = ""  # an editor's note shown at the top of the brief (plain text)

# %% tags=["remove-input"]
from analysis import dataset, metrics, present

full = dataset.load_dataset()
cut = metrics.asof.resolve_as_of(full, as_of)
ds = metrics.asof.known_as_of(full, cut)
held = metrics.rounds.held_or_announced(ds.rounds[ds.rounds["start_date"] <= cut])
latest = held[held["round_id"] == metrics.rounds.newest_round_id(held)].iloc[0]
years = metrics.exchanges.year_compare(ds.exchanges, cut, data_end=metrics.coverage.data_ends(full).get("exchanges"))
month = metrics.asof.Period.ending(cut, days=metrics.claims.RECENT_DAYS)
recent = metrics.claims.claims_in(ds.claims, month)
still_open = metrics.deadlines.open_deadlines(ds.deadlines, cut)
present.prose.common.heading("The state of the talks", present.prose.common.as_known(cut, ds) + " " + present.prose.common.coverage_line(ds, ("rounds", "exchanges", "claims", "positions", "truces", "control")))

# %%
present.prose.common.editor_note(note)

# %%
present.prose.overview.overview_lead(latest, metrics.rounds.next_round(ds.rounds, cut), years, recent, still_open, cut, metrics.claims.RECENT_DAYS)

# %% [markdown]
# ## Rounds of talks

# %%
present.charts.rounds.plot_rounds_timeline(metrics.rounds.round_gaps(held), ds, cut, highlight=latest["round_id"], this="The latest round")

# %% [markdown]
# ## Exchanges: this year against last

# %%
present.charts.exchanges.plot_year_compare(years, ds, cut)

# %% [markdown]
# ## Truces
# Truces and moratoria in force, announced, or announced or over in the past month.

# %%
present.prose.rounds.truces_table(metrics.truces.truces_around(ds.truces, cut), cut)

# %% [markdown]
# ## Territorial claims of the past month

# %%
present.charts.territory.plot_claims_map(recent, ds, cut, title=present.prose.territory.window_title(recent, month))

# %%
present.prose.common.data_end_note(full, "claims", month.end, cut)

# %% [markdown]
# ## Open deadlines
# Deadlines still ahead, and demands set without a due date.

# %%
present.prose.overview.open_deadlines_table(still_open)

# %% [markdown]
# ## Key positions
# The latest stance of Ukraine, Russia and the United States on the main topics, with its date.

# %%
present.prose.overview.key_positions_table(metrics.positions.key_positions(ds.positions, cut))

# %% [markdown]
# ## What changed since the previous dataset version

# %%
present.prose.overview.dataset_changes(metrics.changes.changes_since(full, dataset.load_previous_release(full.info.version)))

# %% [markdown]
# ## All briefs

# %%
present.prose.overview.brief_links(full.rounds)

# %%
present.prose.common.about("This overview covers the state of the talks on its day, with links to every brief.", cut, ds)
