(function () {
  "use strict";
  // Draw every chart of the brief from its JSON block, then keep it fitted to its box: on a phone
  // (wrapped title and category labels, fewer date ticks) and on paper (redrawn to the page width).
  // After each fit, any text that would still reach past the chart's edges widens that margin.
  var config = {displaylogo: false, displayModeBar: false, responsive: true, showLink: false, showTips: false};
  var plots = [];
  var DAY = 86400000;
  // Dates on axes read "23 Jul 2025", months "Jul 2025", years "2025" (the house style).
  var DATE_TICKS = [
    {dtickrange: [null, DAY * 27], value: "%-d %b %Y"},
    {dtickrange: [DAY * 27, "M11"], value: "%b %Y"},
    {dtickrange: ["M11", null], value: "%Y"}
  ];

  function wrap(text, width) {
    // Break a text into lines of at most `width` characters, at spaces (Plotly does not wrap).
    var words = String(text).split(" "), lines = [], line = "";
    for (var i = 0; i < words.length; i++) {
      if (line && (line + " " + words[i]).length > width) { lines.push(line); line = words[i]; }
      else { line = line ? line + " " + words[i] : words[i]; }
    }
    if (line) { lines.push(line); }
    return lines;
  }

  function axes(gd, letter) {
    // The axis keys of one letter in the drawn layout ("yaxis", "yaxis2", ...).
    return Object.keys(gd._fullLayout || {}).filter(function (k) { return new RegExp("^" + letter + "axis\\d*$").test(k); });
  }

  function labelUpdate(p, narrow, update) {
    // Category labels on a phone: wrapped onto lines of about 16 characters; restored when wide.
    var gd = p.el;
    axes(gd, "y").forEach(function (key) {
      var ax = gd._fullLayout[key], own = (p.layout[key] || {});
      if (ax.type !== "category" || own.tickmode === "array" || !ax._categories) { return; }
      var long = ax._categories.some(function (c) { return String(c).length > 18; });
      if (narrow && long) {
        update[key + ".tickmode"] = "array";
        update[key + ".tickvals"] = ax._categories.slice();
        update[key + ".ticktext"] = ax._categories.map(function (c) { return wrap(c, 16).join("<br>"); });
      } else if (p.wrapped) {
        update[key + ".tickmode"] = "auto";
        update[key + ".tickvals"] = null;
        update[key + ".ticktext"] = null;
      }
      p.wrapped = narrow && long;
    });
    axes(gd, "x").concat(axes(gd, "y")).forEach(function (key) {
      // Numbers on axes read "1,000" and "15,000", not "1000" and "15k" (the house style).
      var ax = gd._fullLayout[key], own = (p.layout[key] || {});
      if (ax.type === "linear" && !own.tickformat) { update[key + ".tickformat"] = ","; }
    });
    axes(gd, "x").forEach(function (key) {
      var ax = gd._fullLayout[key], own = (p.layout[key] || {});
      if (ax.type !== "date" || own.tickformat) { return; }
      update[key + ".tickformatstops"] = DATE_TICKS;
      update[key + ".nticks"] = narrow ? 4 : (own.nticks || 0);
    });
  }

  function overflow(gd) {
    // How far drawn text reaches past each edge of the chart, in pixels.
    var box = gd.getBoundingClientRect(), o = {l: 0, r: 0, t: 0, b: 0};
    var texts = gd.querySelectorAll(".main-svg text");
    for (var i = 0; i < texts.length; i++) {
      var b = texts[i].getBoundingClientRect();
      if (!b.width || !texts[i].textContent.trim()) { continue; }
      o.l = Math.max(o.l, box.left - b.left);
      o.r = Math.max(o.r, b.right - box.right);
      o.t = Math.max(o.t, box.top - b.top);
      o.b = Math.max(o.b, b.bottom - box.bottom);
    }
    return o;
  }

  function contain(p, tries) {
    var o = overflow(p.el), m = p.el._fullLayout.margin, update = {}, any = false;
    ["l", "r", "t", "b"].forEach(function (side) {
      if (o[side] > 1) { update["margin." + side] = m[side] + Math.ceil(o[side]) + 6; any = true; }
    });
    if (!any || tries <= 0) { return null; }
    return Plotly.relayout(p.el, update).then(function () { return contain(p, tries - 1); });
  }

  function clearTitle(p) {
    // A legend above the plot wraps onto more rows on a phone than the margin allows for: move the
    // plot (and its legend) down until the legend clears the title.
    var gd = p.el, title = gd.querySelector(".g-gtitle"), legend = gd.querySelector(".legend");
    if (!p.legendTop || !title || !legend) { return null; }
    var t = title.getBoundingClientRect(), l = legend.getBoundingClientRect();
    var overlap = t.bottom + 6 - l.top;
    if (!t.height || !l.height || overlap <= 1) { return null; }
    return Plotly.relayout(gd, {"margin.t": gd._fullLayout.margin.t + Math.ceil(overlap)});
  }

  function fit(p) {
    var gd = p.el, w = gd.clientWidth || gd.parentNode.clientWidth;
    if (!w) { return Promise.resolve(); }
    var narrow = w < 560, chars = Math.max(24, Math.floor(w / (narrow ? 8.2 : 9.2)));
    var lines = wrap(p.title, chars);
    var top = 34 + 23 * lines.length + (p.legendTop ? (narrow ? 44 : 30) : 0) + (p.topAxis ? 34 : 0);
    var update = {
      width: w,
      "title.text": lines.join("<br>"),
      "title.font.size": narrow ? 15 : 17,
      "margin.t": Math.max(p.marginTop, top),
      "margin.l": p.marginLeft,
      "margin.r": p.marginRight,
      "margin.b": p.marginBottom,
      "font.size": narrow ? 12 : 13
    };
    if (narrow) { update["xaxis.tickfont.size"] = 11; update["yaxis.tickfont.size"] = 11; }
    labelUpdate(p, narrow, update);
    return Plotly.relayout(gd, update).then(function () { return clearTitle(p); }).then(function () { return contain(p, 3); });
  }

  var blocks = document.querySelectorAll("script.brief-figure");
  for (var i = 0; i < blocks.length; i++) {
    var target = document.getElementById(blocks[i].getAttribute("data-plot"));
    if (!target || typeof Plotly === "undefined") { continue; }
    var fig = JSON.parse(blocks[i].textContent), layout = fig.layout || {};
    var title = (layout.title && (layout.title.text || layout.title)) || "";
    var p = {
      el: target,
      layout: layout,
      title: typeof title === "string" ? title : "",
      marginTop: (layout.margin && layout.margin.t) || 70,
      marginLeft: (layout.margin && layout.margin.l != null) ? layout.margin.l : 60,
      marginRight: (layout.margin && layout.margin.r != null) ? layout.margin.r : 20,
      marginBottom: (layout.margin && layout.margin.b != null) ? layout.margin.b : 50,
      legendTop: !!(layout.showlegend !== false && layout.legend && layout.legend.y >= 1),
      topAxis: !!(layout.xaxis && layout.xaxis.side === "top"),
      wrapped: false
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
  function refit() {
    // Charts report "pending" while they are refitted, so a reader (or a test) can wait for them.
    for (var i = 0; i < plots.length; i++) { plots[i].el.setAttribute("data-drawn", "pending"); }
    var all = plots.map(fit);
    Promise.all(all).then(function () {
      for (var i = 0; i < plots.length; i++) { plots[i].el.setAttribute("data-drawn", "yes"); }
    });
  }
  window.addEventListener("resize", function () { clearTimeout(timer); timer = setTimeout(refit, 150); });
  window.addEventListener("beforeprint", refit);
  window.addEventListener("afterprint", refit);
  if (window.matchMedia) {
    var print = window.matchMedia("print");
    if (print.addEventListener) { print.addEventListener("change", refit); }
  }
})();
