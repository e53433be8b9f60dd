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
# # Prisoner exchanges and repatriations
# Every recorded exchange of prisoners, return of civilians and repatriation of bodies, with both
# sides' figures, checked against the running totals that Ukraine's officials and the mediators
# published.

# %% tags=["parameters"]
start_date: str = ""  # first day of the period, ISO date; empty means the first exchange
end_date: str = ""  # last day of the period, ISO date; empty means the as-of date
as_of: str = ""  # data cut-off, ISO date; empty means the dataset date. Only rows whose sources were published by then are used.
note: str = ""  # an editor's note shown at the top of the brief (plain text)

# %% tags=["remove-input"]
from analysis import dataset, metrics, present

full = dataset.load_dataset()
cut = metrics.asof.resolve_as_of(full, as_of)
ds = metrics.asof.known_as_of(full, cut)
period = metrics.asof.Period.from_params(start_date, end_date, cut)
rows = metrics.exchanges.exchanges_in(ds.exchanges, period)
reconciled = metrics.exchanges.reconcile_totals(ds.exchanges, ds.running_totals)
ukraine_totals = reconciled[(reconciled["basis"] == "ukraine") & reconciled["published_people_count"].notna()]
present.prose.common.heading("Prisoner exchanges and repatriations", present.prose.common.as_known(cut, ds))

# %%
present.prose.common.editor_note(note)

# %%
present.prose.exchanges.exchanges_lead(rows, period)

# %%
present.prose.exchanges.totals_table(metrics.exchanges.exchange_totals(rows))

# %%
present.prose.common.data_end_note(full, "exchanges", period.end, cut)

# %% [markdown]
# ## Prisoner exchanges and civilian returns
# Each pair of bars is one exchange: blue is what Ukraine said it received, red what Russia said it
# received. A cross on the axis marks a side that published no figure.

# %%
present.charts.exchanges.plot_exchanges_timeline(rows, ds, cut)

# %% [markdown]
# ## Repatriation of bodies

# %%
present.charts.exchanges.plot_exchanges_timeline(rows, ds, cut, bodies=True)

# %% [markdown]
# ## Our count against Ukraine's published count
# The running sum of Ukraine's own figures for every recorded exchange since 2022, beside the running
# totals Ukraine's officials published; the table adds the mediators' totals, which count both sides.

# %%
present.charts.exchanges.plot_cumulative_vs_official(metrics.exchanges.cumulative_returns(ds.exchanges), ukraine_totals, ds, cut)

# %%
present.prose.exchanges.reconcile_table(reconciled)

# %% [markdown]
# ## Mediators

# %%
present.charts.exchanges.plot_mediators(metrics.exchanges.mediator_shares(rows), ds, cut)

# %% [markdown]
# ## Time between exchanges

# %%
present.charts.exchanges.plot_exchange_intervals(metrics.exchanges.exchange_intervals(rows), ds, cut)

# %% [markdown]
# ## Exchanges agreed at talks
# Exchanges the sources tie to a round of talks.

# %%
present.prose.exchanges.by_round_table(metrics.exchanges.exchanges_by_round(rows, ds.rounds), ds.rounds)

# %%
present.prose.common.about("This brief covers every recorded exchange and repatriation in the period shown.", cut, ds)
