(function () {
  "use strict";
  var config = {displaylogo: false, responsive: true, modeBarButtonsToRemove: ["sendDataToCloud"], showLink: false};
  var blocks = document.querySelectorAll("script.brief-figure");
  for (var i = 0; i < blocks.length; i++) {
    var target = document.getElementById(blocks[i].getAttribute("data-plot"));
    if (!target || typeof Plotly === "undefined") { continue; }
    var fig = JSON.parse(blocks[i].textContent);
    target.setAttribute("data-drawn", "pending");
    Plotly.newPlot(target, fig.data, fig.layout, config).then(function (gd) { gd.setAttribute("data-drawn", "yes"); });
  }
})();
