"""The house look: palette, party colours and the Plotly template every chart applies (TEMPLATE).

Colours are the Okabe–Ito palette, chosen to stay distinct for colour-blind readers and in greyscale
print; every chart that separates parties uses PARTY_COLOURS, so Ukraine is always the same blue.
"""

from __future__ import annotations

import plotly.graph_objects as go
import plotly.io as pio

OKABE_ITO = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000"]
GREY = "#8C8C8C"
INK = "#1A1A1A"
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"

PARTY_COLOURS = {
    "UA": "#0072B2",
    "RU": "#D55E00",
    "US": "#009E73",
    "EU": "#CC79A7",
    "GB": "#CC79A7",
    "FR": "#CC79A7",
    "DE": "#CC79A7",
    "TR": "#E69F00",
    "AE": "#E69F00",
}
PARTY_NAMES = {
    "UA": "Ukraine",
    "RU": "Russia",
    "US": "United States",
    "EU": "European Union",
    "GB": "United Kingdom",
    "FR": "France",
    "DE": "Germany",
    "IT": "Italy",
    "PL": "Poland",
    "FI": "Finland",
    "TR": "Turkey",
    "VA": "Holy See",
    "CN": "China",
    "AE": "United Arab Emirates",
    "SA": "Saudi Arabia",
    "QA": "Qatar",
    "BY": "Belarus",
    "HU": "Hungary",
    "NATO": "NATO",
    "UN": "United Nations",
    "ICRC": "ICRC",
}
STATUS_COLOURS = {
    "claimed": "#E69F00",
    "confirmed": "#D55E00",
    "disputed": "#56B4E9",
    "denied": "#009E73",
    "retaken": "#0072B2",
}
STANCE_COLOURS = {
    "demand": "#D55E00",
    "condition": "#E69F00",
    "offer": "#56B4E9",
    "accept": "#009E73",
    "reject": "#000000",
}
OUTCOME_COLOURS = {
    "met": "#009E73",
    "missed": "#D55E00",
    "extended": "#E69F00",
    "superseded": "#56B4E9",
    "withdrawn": GREY,
    "pending": "#CC79A7",
}

TEMPLATE = go.layout.Template(
    layout=go.Layout(
        font=dict(family=FONT, size=13, color=INK),
        title=dict(font=dict(size=17), x=0.01, xanchor="left", xref="container", pad=dict(b=8)),
        colorway=OKABE_ITO,
        paper_bgcolor="white",
        plot_bgcolor="white",
        margin=dict(l=60, r=20, t=70, b=50),
        xaxis=dict(showgrid=False, linecolor=INK, ticks="outside", tickcolor=INK, zeroline=False),
        yaxis=dict(gridcolor="#E5E5E5", zeroline=False, linecolor=INK),
        legend=dict(orientation="h", yanchor="bottom", y=1.0, xanchor="left", x=0, title=dict(text="")),
        hoverlabel=dict(font=dict(family=FONT)),
        bargap=0.15,
    )
)


def register_template(name: str = "brief") -> None:
    """Make the house template available as `template="brief"` for figures of your own (charts
    here apply TEMPLATE directly, so the briefs do not need this)."""
    pio.templates[name] = TEMPLATE


def party_colour(code: str) -> str:
    """The colour of a party code; grey for parties without a colour of their own."""
    return PARTY_COLOURS.get(code, GREY)


def party_name(code: str) -> str:
    """The reader-facing name of a party code."""
    return PARTY_NAMES.get(code, code)


def party_names(codes: str) -> str:
    """'FR;DE;GB;UA' -> 'France, Germany, United Kingdom and Ukraine'."""
    names = [party_name(c) for c in str(codes).split(";") if c]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1] if names else ""
