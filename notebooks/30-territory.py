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
claims = metrics.claims.claims_in_period(ds.claims, metrics.asof.optional_date(start_date), metrics.asof.optional_date(end_date) or cut, oblast or None)
present.html.editor_note(note)

# %%
present.prose.territory_summary(claims, ds.control, cut)

# %% [markdown]
# ## Where the claims are
# Each point is a settlement one side claimed; colour is the claim's status by the brief's date.

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
present.charts.territory.plot_claim_status(metrics.claims.claim_status_rates(claims), ds, cut, claims)

# %% [markdown]
# ## Share of Ukraine held by Russia

# %%
present.charts.territory.plot_control(metrics.claims.control_series(ds.control), ds, cut)

# %% [markdown]
# ## Annexation claims against the ground
# Russia claims four Ukrainian regions and Crimea whole; the bars show how much of each it holds.

# %%
present.charts.territory.plot_annexation_vs_held(metrics.claims.annexation_vs_held(ds.claims, ds.control), ds, cut)

# %%
present.html.table(metrics.claims.settlement_claims(claims).sort_values("claim_date", ascending=False), {"claim_date": "Date", "claimant": "By", "place": "Place", "place_alias": "Also spelled", "oblast": "Oblast", "status": "Status", "location_precision": "Location"}, limit=present.html.TABLE_ROWS, caption="Newest claims first.")
