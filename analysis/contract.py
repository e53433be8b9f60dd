"""What a brief's outputs tell the build beyond what a reader sees: the keys of the output metadata
that charts and lead paragraphs attach (a leaf module: imports nothing from the package).

The build counts charts and maps by CHART and takes the brief's headline for the index and the
feed from HEADLINE, instead of reading either back out of the HTML.
"""

#: On every chart's display output: {"id": the chart's element id, "geo": whether it is a map}.
CHART = "brief_chart"
#: On the sentence that stands in for a chart with nothing to draw: {"message": the sentence}.
NO_CHART = "brief_no_chart"
#: On the lead paragraph's display output: the lead as plain text.
HEADLINE = "brief_headline"
