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
# # Prisoner exchanges and repatriations
# Every recorded exchange of prisoners, return of civilians and repatriation of bodies, with both
# sides' figures, checked against Ukraine's official running totals.

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
period = metrics.exchanges.exchanges_in_period(ds.exchanges, metrics.asof.optional_date(start_date), metrics.asof.optional_date(end_date) or cut)
totals = metrics.exchanges.exchange_totals(period)
present.html.editor_note(note)

# %%
present.prose.exchanges_summary(period, totals, cut)

# %%
present.html.table(totals, {"kind": "Kind", "event_count": "Events", "returned_to_ukraine": "To Ukraine (UA figure)", "returned_to_russia": "To Russia (RU figure)", "ua_figure_missing_count": "Events without a UA figure", "ru_figure_missing_count": "Events without a RU figure"})

# %% [markdown]
# ## Prisoner exchanges
# Each bar is one exchange; blue is what Ukraine said it received, red what Russia said it received.

# %%
present.charts.exchanges.plot_exchanges_timeline(period, ds, cut, kind="prisoners")

# %% [markdown]
# ## Repatriation of bodies

# %%
present.charts.exchanges.plot_exchanges_timeline(period, ds, cut, kind="bodies")

# %% [markdown]
# ## Our count against the official count
# The running sum of recorded exchanges beside the totals Ukrainian officials stated; the gap is
# what the recorded exchanges do not explain.

# %%
present.charts.exchanges.plot_cumulative_vs_official(metrics.exchanges.cumulative_returns(period), ds, cut)

# %%
present.html.table(metrics.exchanges.reconcile_totals(ds.exchanges, ds.running_totals), {"as_of_date": "Date", "reporter": "Reporter", "published_exchange_count": "Exchanges (published)", "our_exchange_count": "Exchanges (our rows)", "published_people_count": "People (published)", "our_people_count": "People (our rows)", "people_gap": "Gap", "notes": "What is counted"}, caption="Published running totals against the sum of our rows up to the same date.")

# %% [markdown]
# ## Mediators

# %%
present.charts.exchanges.plot_mediators(metrics.exchanges.mediator_shares(period), ds, cut)

# %% [markdown]
# ## Time between exchanges

# %%
present.charts.exchanges.plot_exchange_intervals(metrics.exchanges.exchange_intervals(period), ds, cut)

# %% [markdown]
# ## Exchanges agreed at talks
# Exchanges the sources tie to a round of talks.

# %%
present.html.table(metrics.exchanges.exchanges_by_round(period, ds.rounds), {"round_id": "Round", "kind": "Kind", "event_count": "Events", "returned_to_ukraine": "To Ukraine", "returned_to_russia": "To Russia", "first_date": "First", "last_date": "Last"})
