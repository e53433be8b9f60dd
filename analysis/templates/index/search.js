/* The front page's offline search: filters the list in place as the reader types, over the index
   embedded in the page (#search-data, built by analysis/build/index.py). A query matches a brief when
   every word of it begins a word of the brief's title, places, people or format ("names"); briefs
   that only mention the words in their findings are offered after those. The query and the filters
   live in the URL fragment (#q=geneva&year=2026), so a search can be shared. No network, no storage. */
(function () {
  "use strict";
  var dataEl = document.getElementById("search-data");
  var form = document.getElementById("finder");
  var result = document.getElementById("result");
  if (!dataEl || !form || !result) return;
  var entries = JSON.parse(dataEl.textContent);
  var els = entries.map(function (e) { return document.getElementById(e.id); });
  var groups = Array.prototype.slice.call(document.querySelectorAll("[data-group]"));
  var groupEls = {};
  groups.forEach(function (g) { groupEls[g.getAttribute("data-group")] = g; });
  var rounds = document.getElementById("rounds");
  var q = document.getElementById("q");
  var selects = Array.prototype.slice.call(form.querySelectorAll("select[data-filter]"));
  var FILTERS = selects.map(function (s) { return s.getAttribute("data-filter"); });
  var shown = entries.map(function () { return true; });
  var more = false;

  // The same folding as analysis.build.words.fold: accents removed, lower case, one space between words.
  function fold(s) {
    return " " + String(s).normalize("NFD").replace(/\p{Mn}/gu, "").toLowerCase().replace(/[^\p{L}\p{N}]+/gu, " ").trim();
  }
  function has(hay, terms) {
    for (var i = 0; i < terms.length; i++) if (hay.indexOf(" " + terms[i]) < 0) return false;
    return true;
  }
  function facetOk(e, facets) {
    for (var k in facets) {
      var want = facets[k], got = e[k];
      if (got === undefined) return false;
      if (Array.isArray(got) ? got.indexOf(want) < 0 : got !== want) return false;
    }
    return true;
  }
  function say(parts) {
    result.textContent = "";
    parts.forEach(function (p) {
      if (typeof p === "string") result.appendChild(document.createTextNode(p));
      else result.appendChild(p);
    });
    result.hidden = parts.length === 0;
  }
  function button(text, onclick) {
    var b = document.createElement("button");
    b.type = "button";
    b.textContent = text;
    b.addEventListener("click", onclick);
    return b;
  }
  function plural(n, one, many) { return n.toLocaleString("en-GB") + " " + (n === 1 ? one : many); }

  function state() {
    var facets = {};
    selects.forEach(function (s) { if (s.value) facets[s.getAttribute("data-filter")] = s.value; });
    return { text: q.value, terms: fold(q.value).split(" ").filter(Boolean), facets: facets };
  }

  function update(write) {
    var st = state(), terms = st.terms, facets = st.facets;
    var anyFacet = Object.keys(facets).length > 0;
    var level = new Array(entries.length), strong = 0, weak = 0;
    for (var i = 0; i < entries.length; i++) {
      var e = entries[i], l = 0;
      if (!anyFacet || facetOk(e, facets)) {
        if (!terms.length || has(e.n, terms)) l = 2;
        else if (has(e.n + e.x, terms)) l = 1;
      }
      level[i] = l;
      if (l === 2) strong++; else if (l === 1) weak++;
    }
    var withWeak = more || strong === 0;
    var perGroup = {};
    for (var j = 0; j < entries.length; j++) {
      var vis = level[j] === 2 || (withWeak && level[j] === 1);
      if (vis !== shown[j]) { els[j].hidden = !vis; shown[j] = vis; }
      if (vis) perGroup[entries[j].g] = (perGroup[entries[j].g] || 0) + 1;
    }
    for (var g in groupEls) groupEls[g].hidden = !perGroup[g];
    if (rounds) rounds.hidden = !rounds.querySelector("[data-group]:not([hidden])");
    var quoted = st.text.trim() ? "“" + st.text.trim() + "”" : "";
    var filtered = anyFacet ? " with these filters" : "";
    if (!terms.length && !anyFacet) say([]);
    else if (strong + weak === 0) say(["No brief matches " + (quoted || "these filters") + (quoted ? filtered : "") + ". ", button("Clear the search", clear)]);
    else if (strong === 0) say(["No title, place or person matches " + quoted + "; " + plural(weak, "brief mentions it in its findings.", "briefs mention it in their findings.")]);
    else {
      var parts = [plural(strong, "brief matches", "briefs match") + (quoted ? " " + quoted : "") + filtered + "."];
      if (weak && !more) parts.push(" " + plural(weak, "more mentions", "more mention") + " it in the findings.", button("Show them", function () { more = true; update(true); }));
      if (weak && more) parts.push(" Including " + plural(weak, "brief", "briefs") + " that mention it in the findings.", button("Hide those", function () { more = false; update(true); }));
      say(parts);
    }
    if (write) writeHash(st);
  }

  function writeHash(st) {
    var p = new URLSearchParams();
    if (st.text.trim()) p.set("q", st.text.trim());
    FILTERS.forEach(function (k) { if (st.facets[k]) p.set(k, st.facets[k]); });
    if (more) p.set("more", "1");
    var h = p.toString();
    var url = h ? "#" + h : location.pathname + location.search;
    if ((location.hash || "") === (h ? "#" + h : "")) return;
    try { history.replaceState(null, "", url); } catch (err) { location.replace(h ? "#" + h : "#"); }
  }

  function readHash() {
    var h = location.hash.slice(1);
    if (h.indexOf("=") < 0) return false;
    var p = new URLSearchParams(h);
    q.value = p.get("q") || "";
    selects.forEach(function (s) {
      var v = p.get(s.getAttribute("data-filter")) || "";
      s.value = v;
      if (s.value !== v) s.value = "";
    });
    more = p.get("more") === "1";
    return true;
  }

  function clear() {
    q.value = "";
    selects.forEach(function (s) { s.value = ""; });
    more = false;
    update(true);
    q.focus();
  }

  form.hidden = false;
  form.addEventListener("submit", function (ev) { ev.preventDefault(); });
  q.addEventListener("input", function () { more = false; update(true); });
  q.addEventListener("keydown", function (ev) { if (ev.key === "Escape") clear(); });
  selects.forEach(function (s) { s.addEventListener("change", function () { more = false; update(true); }); });
  window.addEventListener("hashchange", function () { if (readHash()) update(false); });
  document.addEventListener("keydown", function (ev) {
    if (ev.key === "/" && document.activeElement !== q && !ev.ctrlKey && !ev.metaKey && !ev.altKey) { ev.preventDefault(); q.focus(); }
  });
  if (readHash()) update(false);
})();
