(function () {
  "use strict";
  // Draw every chart of the brief from its JSON block, then keep it fitted to its box: on a phone
  // (narrower margins, wrapped title, smaller ticks) and on paper (redrawn to the page width).
  var config = {displaylogo: false, displayModeBar: false, responsive: true, showLink: false, showTips: false};
  var plots = [];

  function wrap(text, width) {
    // Break a title into lines of at most `width` characters, at spaces (Plotly does not wrap).
    var words = String(text).split(" "), lines = [], line = "";
    for (var i = 0; i < words.length; i++) {
      if (line && (line + " " + words[i]).length > width) { lines.push(line); line = words[i]; }
      else { line = line ? line + " " + words[i] : words[i]; }
    }
    if (line) { lines.push(line); }
    return lines;
  }

  function fit(p) {
    var gd = p.el, w = gd.clientWidth || gd.parentNode.clientWidth;
    if (!w) { return null; }
    var narrow = w < 560, chars = Math.max(24, Math.floor(w / (narrow ? 8.2 : 9.2)));
    var lines = wrap(p.title, chars);
    var top = 34 + 23 * lines.length + (p.legendTop ? (narrow ? 44 : 30) : 0);
    var update = {
      width: w,
      "title.text": lines.join("<br>"),
      "title.font.size": narrow ? 15 : 17,
      "margin.t": Math.max(p.marginTop, top),
      "font.size": narrow ? 12 : 13
    };
    if (narrow && p.marginLeft > 110) { update["margin.l"] = Math.round(p.marginLeft * 0.75); }
    if (narrow) { update["xaxis.tickfont.size"] = 11; update["yaxis.tickfont.size"] = 11; }
    return Plotly.relayout(gd, update);
  }

  function fitAll() { for (var i = 0; i < plots.length; i++) { fit(plots[i]); } }

  var blocks = document.querySelectorAll("script.brief-figure");
  for (var i = 0; i < blocks.length; i++) {
    var target = document.getElementById(blocks[i].getAttribute("data-plot"));
    if (!target || typeof Plotly === "undefined") { continue; }
    var fig = JSON.parse(blocks[i].textContent), layout = fig.layout || {};
    var title = (layout.title && (layout.title.text || layout.title)) || "";
    var p = {
      el: target,
      title: typeof title === "string" ? title : "",
      marginTop: (layout.margin && layout.margin.t) || 70,
      marginLeft: (layout.margin && layout.margin.l) || 60,
      legendTop: !!(layout.showlegend !== false && layout.legend && layout.legend.y >= 1)
    };
    plots.push(p);
    target.setAttribute("data-drawn", "pending");
    (function (p) {
      Plotly.newPlot(p.el, fig.data, layout, config).then(function () { return fit(p); }).then(function () {
        p.el.setAttribute("data-drawn", "yes");
      });
    })(p);
  }
  var timer = null;
  window.addEventListener("resize", function () { clearTimeout(timer); timer = setTimeout(fitAll, 150); });
  window.addEventListener("beforeprint", fitAll);
  window.addEventListener("afterprint", fitAll);
  if (window.matchMedia) {
    var print = window.matchMedia("print");
    if (print.addEventListener) { print.addEventListener("change", fitAll); }
  }
})();
