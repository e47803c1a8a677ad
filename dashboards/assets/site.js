// Draws every chart of the page from the JSON beside it, with the one local plotly.js: one chart per
// frame, so the first is on screen before the others are drawn. The first leaves a performance mark,
// read by the benchmark (time to first chart).
(function () {
  "use strict";
  // What the site's charts share, left out of each figure's JSON (dashboards/charts.py reads it from here and
  // says which figures it left it out of): repeated in each of a page's hundreds of traces it was a tenth of the
  // demo site. A bar gets the missing properties of its own dicts (its error bars, marker); a figure's "shared"
  // lists what else: "layout" (the layout's), "xaxis" or "yaxis" (an axis's style), "categories" (the bars'
  // category axis); a bar without "y" has the first bar's categories; an annotation without "showarrow" is a
  // gap's label ("not shown" at a bar's slot).
  var SHARED = /*shared*/{
    "layout": {"paper_bgcolor": "#ffffff", "plot_bgcolor": "#ffffff", "font": {"size": 14, "color": "#1a1a1a"},
               "hoverlabel": {"namelength": -1},
               "legend": {"orientation": "h", "y": 1.0, "yanchor": "bottom", "x": 0, "traceorder": "normal"}},
    "bar": {"hovertemplate": "%{y}: %{customdata}<extra>%{fullData.name}</extra>",
            "error_x": {"type": "data", "symmetric": false, "color": "#1a1a1a", "thickness": 1.5, "width": 4},
            "marker": {"line": {"color": "#1a1a1a", "width": 0.5},
                       "pattern": {"fillmode": "overlay", "fgcolor": "#1a1a1a", "fgopacity": 0.6}}},
    "gap": {"xref": "x", "yref": "y", "xanchor": "left", "showarrow": false, "font": {"size": 12, "color": "#1a1a1a"}},
    "axis": {"gridcolor": "#d9d9d9", "linecolor": "#1a1a1a", "automargin": true},
    "categories": {"autorange": "reversed", "automargin": true, "type": "category"}
  }/*end*/;
  function fill(target, shared) {
    Object.keys(shared).forEach(function (key) {
      var value = shared[key];
      if (value === null || typeof value !== "object") {
        if (!(key in target)) target[key] = value;
      } else if (target[key] && typeof target[key] === "object") {
        fill(target[key], value);
      }
    });
  }
  function spec(id) {
    var figure = JSON.parse(document.getElementById(id).textContent);
    var first = figure.data.filter(function (trace) { return trace.type === "bar"; })[0];
    figure.data.forEach(function (trace) {
      if (trace.type !== "bar") return;
      fill(trace, SHARED.bar);
      if (!("y" in trace)) trace.y = first.y.slice();  // the categories of the chart's first bar
    });
    (figure.shared || []).forEach(function (part) {
      if (part === "layout") {
        Object.keys(SHARED.layout).forEach(function (key) {
          figure.layout[key] = JSON.parse(JSON.stringify(SHARED.layout[key]));
        });
      } else if (part === "categories") {
        figure.layout.yaxis = JSON.parse(JSON.stringify(SHARED.categories));
      } else {
        fill(figure.layout[part], SHARED.axis);
      }
    });
    (figure.layout.annotations || []).forEach(function (note) {
      if (!("showarrow" in note)) {
        Object.keys(SHARED.gap).forEach(function (key) { note[key] = JSON.parse(JSON.stringify(SHARED.gap[key])); });
      }
    });
    return figure;
  }
  // A point's hover label is its cell in the table under the chart, said once in the page: the value with its
  // marks, interval and n, then each mark's words on a line; a withheld cell's reason. "cells" (charts.py) says
  // which way the traces run: trace j is column j ("columns"), or trace i, leaving out interval bands, is row i.
  function escaped(text) {
    return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  }
  function label(td) {
    var value = td.querySelector("b");
    var why = td.querySelector(".reason, .visually-hidden");
    if (!value) return why ? escaped(why.textContent) : "";
    var sups = Array.prototype.slice.call(td.querySelectorAll("sup")), small = td.querySelectorAll("small");
    var text = value.textContent + sups.map(function (s) { return s.firstChild.textContent; }).join("") + " " +
      Array.prototype.map.call(small, function (s) { return s.textContent; }).join(" · ");
    return escaped(text.trim()) + sups.map(function (s) { return "<br>" + escaped(s.textContent); }).join("");
  }
  function hovers(el, figure) {
    var block = el.closest("section"), table = block && block.querySelector("table.data");
    if (!figure.cells || !table) return;
    var rows = Array.prototype.map.call(table.tBodies[0].rows, function (tr) {
      return Array.prototype.slice.call(tr.cells, 1).map(label);
    });
    figure.data.filter(function (trace) { return trace.meta !== "interval"; }).forEach(function (trace, k) {
      trace.customdata = figure.cells === "columns" ? rows.map(function (row) { return row[k]; }) : rows[k];
    });
  }
  var charts = Array.prototype.slice.call(document.querySelectorAll(".chart[data-figure]"));
  function draw(i) {
    if (i >= charts.length) return;
    var el = charts[i];
    var figure = spec(el.getAttribute("data-figure"));
    hovers(el, figure);
    Plotly.newPlot(el, figure.data, figure.layout, {displayModeBar: false, responsive: true}).then(function () {
      el.setAttribute("data-drawn", "true");
      requestAnimationFrame(function () {
        if (i === 0) performance.mark("first-chart-painted");
        setTimeout(function () { draw(i + 1); }, 0);
      });
    });
  }
  draw(0);
})();
