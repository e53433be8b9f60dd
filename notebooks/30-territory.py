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
from analysis import charts, dataset, metrics, text

full = dataset.load_dataset()
cut = metrics.resolve_as_of(full, as_of)
ds = metrics.known_as_of(full, cut)
claims = metrics.claims_in_period(ds.claims, metrics.optional_date(start_date), metrics.optional_date(end_date) or cut, oblast or None)
text.editor_note(note)

# %%
text.territory_summary(claims, ds.control, cut)

# %% [markdown]
# ## Where the claims are
# Each point is a settlement one side claimed; colour is the claim's status by the brief's date.

# %%
charts.plot_claims_map(claims, ds, cut, focus=oblast or None)

# %% [markdown]
# ## Claims per week

# %%
charts.plot_claims_per_week(metrics.claims_per_week(claims), ds, cut)

# %% [markdown]
# ## What became of the claims
# How many claims were later confirmed, disputed, denied or reversed.

# %%
charts.plot_claim_status(metrics.claim_status_rates(claims), ds, cut, claims)

# %% [markdown]
# ## Share of Ukraine held by Russia

# %%
charts.plot_control(metrics.control_series(ds.control), ds, cut)

# %% [markdown]
# ## Annexation claims against the ground
# Russia claims four Ukrainian regions and Crimea whole; the bars show how much of each it holds.

# %%
charts.plot_annexation_vs_held(metrics.annexation_vs_held(ds.claims, ds.control), ds, cut)

# %%
text.table(metrics.settlement_claims(claims).sort_values("claim_date", ascending=False), {"claim_date": "Date", "claimant": "By", "place": "Place", "place_alias": "Also spelled", "oblast": "Oblast", "status": "Status", "location_precision": "Location"}, limit=text.TABLE_ROWS, caption="Newest claims first.")
