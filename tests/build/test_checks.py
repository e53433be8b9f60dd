"""The published-HTML backstop reads pages with a real HTML parser: markup that a regex would cut
in the wrong place (a `>` inside a quoted value, entities, missing quotes, upper case, foreign
namespaces) is caught, and our own pages pass."""

from __future__ import annotations

import pytest

from analysis import build
from analysis.build import checks, render

ASSETS = render.Assets(plotly_js="/*plotly*/", css="", render_js="/*render*/")
FIGURE = (
    '<div class="brief-plot" id="plot-1-0123456789"></div>'
    '<script type="application/json" class="brief-figure" data-plot="plot-1-0123456789">{}</script>'
)


def page(extra: str) -> str:
    return f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>t</title></head><body>{FIGURE}{extra}</body></html>'


def test_a_clean_page_passes():
    checks.check_html(page('<p>A <a href="https://example.org/a">link in text</a> and <strong>words</strong>.</p>'), ASSETS, 1, site=True)


def test_escaped_markup_shown_as_text_passes():
    checks.check_html(page("<p>&lt;div onclick=&quot;alert(1)&quot;&gt; and &lt;a href=&quot;javascript:x&quot;&gt;</p>"), ASSETS, 1, site=True)


def test_handler_text_inside_an_attribute_value_is_data():
    # A chart's text alternative quoting hostile data: escaped inside the value, never an attribute.
    checks.check_html(page('<div role="img" aria-label="Regions: &quot;&gt;&lt;svg onload=alert(3)&gt; 40%">x</div>'), ASSETS, 1, site=True)
    checks.check_html(page("<div title='say \" onclick=\"x'>x</div>"), ASSETS, 1, site=True)


@pytest.mark.parametrize(
    "markup",
    [
        pytest.param('<div title=">" onclick="alert(1)">x</div>', id="quoted-gt-before-handler"),
        pytest.param("<div title='>' onclick='alert(1)'>x</div>", id="single-quoted-gt"),
        pytest.param("<div onclick=alert(1)>x</div>", id="unquoted-handler"),
        pytest.param('<div ONCLICK="alert(1)">x</div>', id="upper-case-handler"),
        pytest.param('<DIV OnMouseOver="alert(1)">x</DIV>', id="mixed-case-tag-and-handler"),
        pytest.param("<div/onclick=alert(1)>x</div>", id="slash-separated-handler"),
        pytest.param('<a href="jav&#x61;script:alert(1)">x</a>', id="javascript-behind-hex-entity"),
        pytest.param('<a href="&#106;avascript:alert(1)">x</a>', id="javascript-behind-decimal-entity"),
        pytest.param('<a href="javascript&colon;alert(1)">x</a>', id="javascript-behind-named-entity"),
        pytest.param('<a href="java\tscript:alert(1)">x</a>', id="javascript-with-tab"),
        pytest.param('<a href=" JavaScript:alert(1)">x</a>', id="javascript-leading-space-upper"),
        pytest.param("<a href=javascript:alert(1)>x</a>", id="javascript-unquoted"),
        pytest.param('<a href="vbscript:msgbox(1)">x</a>', id="vbscript"),
        pytest.param('<a href="data:text/html,x">x</a>', id="data-url-not-csv"),
        pytest.param('<svg><a xlink:href="javascript:alert(1)">x</a></svg>', id="svg-namespace-link"),
        pytest.param("<svg onload=alert(1)></svg>", id="svg-onload"),
        pytest.param('<svg><animate attributeName="href" values="javascript:alert(1)"/></svg>', id="svg-animate"),
        pytest.param('<math><mi xlink:href="javascript:alert(1)">x</mi></math>', id="math-namespace-link"),
        pytest.param('<iframe srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;"></iframe>', id="iframe-srcdoc"),
        pytest.param('<meta http-equiv="refresh" content="0;url=javascript:alert(1)">', id="meta-refresh"),
        pytest.param('<img src="https://example.org/x.png">', id="external-image"),
        pytest.param('<div style="background:url(javascript:alert(1))">x</div>', id="style-url"),
        pytest.param("<!--><img src=x onerror=alert(1)>-->", id="comment-closed-early-by-browser"),
        pytest.param("<![CDATA[><img src=x onerror=alert(1)>]]>", id="cdata-in-html"),
        pytest.param("<script>alert(1)</script>", id="extra-script"),
        pytest.param('<script data-brief="render">alert(1)</script>', id="script-posing-as-ours"),
        pytest.param("<style>@import 'https://example.org/x.css';</style>", id="css-import"),
    ],
)
def test_hostile_markup_fails_the_check(markup):
    with pytest.raises(build.BriefFailure):
        checks.check_html(page(markup), ASSETS, 1, site=True)


def test_a_script_ended_early_by_a_browser_is_caught():
    """`</script x>` ends a script in a browser but not for html.parser: the tags after it would be
    hidden from the check, so a script holding `</script` fails."""
    hidden = '<script type="application/json" class="brief-figure" data-plot="plot-2-0123456789">{}</script x><img src=x onerror=alert(1)></script>'
    body = page('<div class="brief-plot" id="plot-2-0123456789"></div>' + hidden)
    with pytest.raises(build.BriefFailure, match="could end it early"):
        checks.check_html(body, ASSETS, 2, site=True)


def test_chart_counts_must_match_the_notebook():
    with pytest.raises(build.BriefFailure, match="produced 2"):
        checks.check_html(page(""), ASSETS, 2, site=True)
    with pytest.raises(build.BriefFailure, match="no chart"):
        checks.check_html(page(""), ASSETS, 0, site=True)
