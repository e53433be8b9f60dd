"""The house look: palette, party colours and the Plotly template every chart applies (TEMPLATE).

Colours are the Okabe–Ito palette, chosen to stay distinct for colour-blind readers and in greyscale
print; every chart that separates parties uses PARTY_COLOURS, so Ukraine is always the same blue.
"""

from __future__ import annotations

import plotly.graph_objects as go
import plotly.io as pio

OKABE_ITO = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000"]
GREY = "#8C8C8C"  # marks only: too light for text on white
INK = "#1A1A1A"
#: Secondary text (empty states, notes drawn in a chart): 7:1 on white, WCAG AA for any size.
MUTED_INK = "#595959"
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
#: Claimed and confirmed differ in hue and, on maps, in shape (STATUS_SYMBOLS), not only in shade.
STATUS_COLOURS = {
    "claimed": "#CC79A7",
    "confirmed": "#D55E00",
    "disputed": "#56B4E9",
    "denied": "#009E73",
    "retaken": "#0072B2",
}
STANCE_COLOURS = {
    "demand": "#D55E00",
    "condition": "#CC79A7",
    "offer": "#56B4E9",
    "accept": "#009E73",
    "reject": "#000000",
}
STATUS_SYMBOLS = {
    "claimed": "circle-open",
    "confirmed": "circle",
    "disputed": "diamond",
    "denied": "x",
    "retaken": "triangle-up",
}
STANCE_SYMBOLS = {"demand": "triangle-up", "offer": "circle", "accept": "star", "reject": "x", "condition": "diamond"}

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
        # Anchored at the top: a title wrapped onto more lines grows down into the margin kept for it.
        title=dict(font=dict(size=17), x=0.01, xanchor="left", xref="container", y=1, yanchor="top", yref="container", pad=dict(t=22, b=8)),
        colorway=OKABE_ITO,
        paper_bgcolor="white",
        plot_bgcolor="white",
        margin=dict(l=60, r=20, t=70, b=50),
        # automargin: tick labels (long categories, dates turned on a phone) push the margins out
        # instead of being cut off at the chart's edge.
        xaxis=dict(showgrid=False, linecolor=INK, ticks="outside", tickcolor=INK, zeroline=False, automargin=True),
        yaxis=dict(gridcolor="#E5E5E5", zeroline=False, linecolor=INK, automargin=True),
        legend=dict(orientation="h", yanchor="bottom", y=1.0, xanchor="left", x=0, title=dict(text="")),
        hoverlabel=dict(font=dict(family=FONT)),
        bargap=0.15,
    )
)


def register_template(name: str = "brief") -> None:
    """Make the house template available as `template="brief"` for figures of your own (charts
    here apply TEMPLATE directly, so the briefs do not need this)."""
    pio.templates[name] = TEMPLATE


def text_on(fill: str) -> str:
    """Black or white, whichever reads better on `fill` (a #RRGGBB colour): WCAG contrast."""

    def lum(c: str) -> float:
        rgb = [int(c[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        lin = [v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4 for v in rgb]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    light = lum(fill)
    return INK if (light + 0.05) / (lum(INK) + 0.05) >= (1.05) / (light + 0.05) else "#FFFFFF"


def party_colour(code: str) -> str:
    """The colour of a party code; grey for parties without a colour of their own."""
    return PARTY_COLOURS.get(code, GREY)
