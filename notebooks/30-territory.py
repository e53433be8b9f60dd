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
# # Territorial claims and control
# Which settlements each side claimed to have taken, what became of those claims, and how much of
# Ukraine the trackers count as held by Russia.

# %% tags=["parameters"]
start_date: str = "2025-01-01"  # first day of the period for settlement claims, ISO date
end_date: str = ""  # last day of the period, ISO date; empty means the as-of date
oblast: str = ""  # limit the claims to one oblast; empty means all
as_of: str = ""  # data cut-off, ISO date; empty means the dataset date. Only rows whose sources were published by then are used.
note: str = ""  # an editor's note shown at the top of the brief (plain text)

# %% tags=["remove-input"]
from analysis import dataset, metrics, present

full = dataset.load_dataset()
cut = metrics.asof.resolve_as_of(full, as_of)
ds = metrics.asof.known_as_of(full, cut)
period = metrics.asof.Period.from_params(start_date, end_date, cut)
claims = metrics.claims.claims_in(ds.claims, period, oblast or None)
settlements = metrics.claims.settlement_claims(claims)
present.prose.common.heading("Territorial claims and control" + (f": {oblast} oblast" if oblast else ""), present.prose.common.as_known(cut, ds))

# %%
present.prose.common.editor_note(note)

# %%
present.prose.territory.territory_lead(claims, ds.control, period)

# %%
present.prose.common.data_end_note(full, "claims", period.end, cut)

# %% [markdown]
# ## Where the claims are
# Each point is a settlement one side claimed; colour and shape are the claim's status as known on the
# brief's day.

# %%
present.charts.territory.plot_claims_map(claims, ds, cut, focus=oblast or None)

# %% [markdown]
# ## Claims per week

# %%
present.charts.territory.plot_claims_per_week(metrics.claims.claims_per_week(claims), ds, cut)

# %% [markdown]
# ## What became of the claims
# How many claims were later confirmed, disputed, denied or reversed.

# %%
present.charts.territory.plot_claim_status(metrics.claims.claim_status_rates(claims), ds, cut)

# %% [markdown]
# ## Each side's own tallies
# Area and numbers of settlements each side said it had taken over a period, as claimed.

# %%
present.prose.territory.tallies_table(claims)

# %% [markdown]
# ## Share of Ukraine held by Russia

# %%
present.charts.control.plot_control(metrics.claims.control_series(ds.control), ds, cut)

# %% [markdown]
# ## Annexation claims against the ground
# Russia claims four Ukrainian regions and Crimea whole; the bars show how much of each it holds.

# %%
present.charts.control.plot_annexation_vs_held(metrics.claims.annexation_vs_held(ds.claims, ds.control), ds, cut)

# %% [markdown]
# ## Every claim of the period

# %%
present.prose.territory.claims_table(claims, limit=present.html.TABLE_ROWS, map_holds_all=len(settlements[settlements["latitude"].notna()]) <= present.charts.territory.MAP_POINT_LIMIT)

# %%
present.prose.common.about("This brief covers the territorial claims of the period shown and every reading of the share of Ukraine held.", cut, ds)
