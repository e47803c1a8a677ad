// The indicator explorer (dashboards/pages/explorer.py): one indicator at a time as a chart, a table and a map,
// from the rows in explorer-data.js (the same for every language) and the page's words (its JSON element). The
// view lives in the URL fragment (#i=<indicator>&b=<breakdown>&w=<wave>&v=<chart|table|map>), so a link reopens
// it. Charts follow dashboards/charts.py: horizontal bars, 95% intervals as whiskers, series told apart by
// colour and pattern, a hidden cell a gap labelled "not shown", never a zero.
(function () {
  "use strict";
  var data = window.TOEGANG_EXPLORER;
  var words = JSON.parse(document.getElementById("explorer-words").textContent);
  var T = words.texts;
  // A published row: wave, breakdown, domain, estimate, low, high, n, marks (and a count's numerator); a hidden
  // row: wave, breakdown, domain, reason (explorer.py).
  var WAVE = 0, BREAKDOWN = 1, DOMAIN = 2, EST = 3, LOW = 4, HIGH = 5, N = 6, MARKS = 7, REASON = 3, COUNT = 8;
  var ABSENT = "\u00b7";
  var CONFIG = {displayModeBar: false, responsive: true};
  var labels = {};  // indicator -> its label, from the list's options
  Array.prototype.forEach.call(document.getElementById("x-indicator").options, function (o) {
    labels[o.value] = o.textContent;
  });
  words.labels = labels;
  var state = {i: null, b: "all", w: null, v: "chart"};
  var drawnOnce = false;

  function $(id) { return document.getElementById(id); }
  function fill(text, values) {
    return text.replace(/\{(\w+)\}/g, function (all, key) { return key in values ? values[key] : all; });
  }
  function esc(text) {
    return String(text).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
  }
  function clone(value) { return JSON.parse(JSON.stringify(value)); }

  // Numbers as dashboards/formatting.py writes them.
  function number(value, decimals) {
    var text = Math.abs(value).toFixed(decimals), parts = text.split(".");
    var whole = parts[0].replace(/\B(?=(\d{3})+(?!\d))/g, words.thousands);
    return (value < 0 && Number(text) !== 0 ? "-" : "") + whole + (parts[1] ? words.decimal + parts[1] : "");
  }
  function valueText(value, unit) {
    if (value === null || value === undefined) return "\u2014";
    if (unit === "proportion") return number(100 * value, 0) + words.percent;
    if (unit === "index") return number(value, 1);
    if (unit === "count") return number(value, 0);
    if (unit === "mean") return number(value, 2);
    var sign = value > 0 ? "+" : value < 0 ? "\u2212" : "\u00b1";
    return sign + number(Math.abs(value), 1) + "\u00a0" + T.pp;
  }
  function asCount(row) { return row.length > COUNT; }
  function estimateText(row, unit) {
    return asCount(row) ? fill(T.k_of_n, {k: row[COUNT], n: row[N]}) : valueText(row[EST], unit);
  }
  function intervalText(row, unit) {
    if (row[LOW] === null || row[HIGH] === null) return "";
    return "[" + valueText(row[LOW], unit) + " \u2013 " + valueText(row[HIGH], unit) + "]";
  }
  function hidden(row) { return row.length === 4; }
  function plotted(row) { return row && !hidden(row) && !asCount(row) ? row[EST] : null; }
  function nchs(row) { return row[MARKS].replace("*", ""); }
  function reason(row, unit) {
    var code = data.reasons[row[REASON]];
    return (unit === "difference" ? words.reasons_difference : words.reasons)[code];
  }
  function hover(row, unit) {
    if (!row) return "";
    if (hidden(row)) return T.not_shown;
    var n = row[N] === null ? "" : " \u00b7 n = " + row[N];
    var marks = nchs(row).split("").map(function (m) { return "<br>" + m + " " + words.marks[m].words; }).join("");
    return estimateText(row, unit) + " " + intervalText(row, unit) + n + marks;
  }

  // The current view: its categories (the breakdown's, then all respondents), series (waves) and cells.
  function view() {
    var ind = data.indicators[state.i], b = data.breakdowns.indexOf(state.b), cells = {};
    ind.rows.forEach(function (r) {
      if (r[BREAKDOWN] === b || (r[BREAKDOWN] === 0 && b !== 0)) cells[r[DOMAIN] + "|" + data.waves[r[WAVE]]] = r;
    });
    var present = {};
    ind.rows.forEach(function (r) { if (r[BREAKDOWN] === b) present[r[DOMAIN]] = true; });
    var labels = state.b === "all" ? {all: T.whole} : words.domains[state.b];
    var ws = state.w === "all" ? waves() : [state.w];
    var codes = Object.keys(labels).filter(function (c) {
      return ws.some(function (w) { return cells[c + "|" + w]; });
    });
    Object.keys(present).sort().forEach(function (c) { if (codes.indexOf(c) < 0) codes.push(c); });
    return {unit: ind.unit, cells: cells, series: state.w === "all" ? waves() : [state.w],
            categories: codes.map(function (c) { return [c, labels[c] || c]; })};
  }
  function waves() {  // the waves the indicator has in the chosen breakdown
    var ind = data.indicators[state.i], b = data.breakdowns.indexOf(state.b), seen = {};
    ind.rows.forEach(function (r) { if (r[BREAKDOWN] === b) seen[r[WAVE]] = true; });
    return data.waves.filter(function (w, k) { return seen[k]; });
  }
  function breakdowns() {
    var seen = {};
    data.indicators[state.i].rows.forEach(function (r) { seen[r[BREAKDOWN]] = true; });
    return data.breakdowns.filter(function (b, k) { return seen[k]; });
  }
  function waveLabel(w) { return w === "all" ? T.all_waves : words.waves[w]; }
  function title() {
    var by = state.b === "all" ? T.whole : fill(T.by, {breakdown: words.titles[state.b]});
    return fill(T.view_title, {indicator: words.labels[state.i], breakdown: by, wave: waveLabel(state.w)});
  }

  function figure(v) {
    var count = v.series.length, traces = [], annotations = [], gap = 0.2;
    v.series.forEach(function (w, j) {
      var rows = v.categories.map(function (c) { return v.cells[c[0] + "|" + w] || null; });
      var plus = [], minus = [];
      rows.forEach(function (r) {
        var est = plotted(r);
        plus.push(est === null || r[HIGH] === null ? null : Math.max(r[HIGH] - est, 0));
        minus.push(est === null || r[LOW] === null ? null : Math.max(est - r[LOW], 0));
      });
      traces.push({
        type: "bar", name: words.waves[w], orientation: "h", y: v.categories.map(function (c) { return c[1]; }),
        x: rows.map(plotted),
        error_x: {type: "data", symmetric: false, array: plus, arrayminus: minus, color: "#1a1a1a", thickness: 1.5,
                  width: 4},
        customdata: rows.map(function (r) { return hover(r, v.unit); }),
        hovertemplate: "%{y}: %{customdata}<extra>%{fullData.name}</extra>",
        marker: {color: words.palette[j % words.palette.length], line: {color: "#1a1a1a", width: 0.5},
                 pattern: {shape: words.patterns[j % words.patterns.length], fillmode: "overlay",
                           fgcolor: "#1a1a1a", fgopacity: 0.6}}
      });
      rows.forEach(function (r, i) {
        if (r && (hidden(r) || asCount(r))) {
          annotations.push({x: 0, y: i - (1 - gap) / 2 + (j + 0.5) * (1 - gap) / count, xref: "x", yref: "y",
                            xanchor: "left", text: "\u2014 " + (hidden(r) ? T.not_shown : estimateText(r, v.unit)),
                            showarrow: false, font: {size: 12, color: "#1a1a1a"}});
        }
      });
    });
    var layout = clone(words.layout);
    layout.height = 110 + v.categories.length * Math.max(44, 24 * count);
    layout.showlegend = count > 1;
    layout.margin.t = count > 1 ? 40 : 10;
    var axis = clone(words.axes[v.unit]);
    if (v.unit === "difference") {
      var edge = 10;
      traces.forEach(function (tr, j) {
        v.categories.forEach(function (c) {
          var r = v.cells[c[0] + "|" + v.series[j]];
          if (r && !hidden(r)) [EST, LOW, HIGH].forEach(function (k) { if (r[k] !== null) edge = Math.max(edge, Math.abs(r[k])); });
        });
      });
      axis.range = [-edge * 1.1, edge * 1.1];
    }
    layout.barmode = "group"; layout.bargap = gap; layout.xaxis = axis; layout.annotations = annotations;
    layout.yaxis = {autorange: "reversed", automargin: true, type: "category"};
    return {data: traces, layout: layout};
  }

  function summary(v) {
    var w = v.series[v.series.length - 1], name = words.waves[w], parts = [];
    function published(skip) {
      return v.categories.filter(function (c) {
        var r = v.cells[c[0] + "|" + w];
        return c[0] !== skip && r && !hidden(r);
      }).map(function (c) { return [c[1], v.cells[c[0] + "|" + w]]; });
    }
    var shown = published("all");
    if (!shown.length) shown = published(null);
    function marked(r) { return estimateText(r, v.unit) + nchs(r); }
    if (!shown.length) parts.push(fill(T.summary_none, {series: name}));
    else if (shown.length === 1) {
      parts.push(fill(T.summary_single, {series: name, label: shown[0][0], value: marked(shown[0][1]),
                                         interval: intervalText(shown[0][1], v.unit)}));
    } else {
      var high = shown[0], low = shown[0];
      shown.forEach(function (s) { if (s[1][EST] > high[1][EST]) high = s; if (s[1][EST] < low[1][EST]) low = s; });
      parts.push(fill(T.summary_range, {series: name, high_label: high[0], low_label: low[0],
                                        high: marked(high[1]), low: marked(low[1])}));
    }
    var rows = all(v), hiddenCount = rows.filter(hidden).length;
    var markedCount = rows.filter(function (r) { return !hidden(r) && nchs(r); }).length;
    if (hiddenCount) parts.push(fill(T.summary_hidden, {count: hiddenCount}));
    if (markedCount) parts.push(fill(T.summary_marked, {count: markedCount}));
    return parts.join(" ");
  }
  function all(v) {
    var out = [];
    v.categories.forEach(function (c) {
      v.series.forEach(function (w) { var r = v.cells[c[0] + "|" + w]; if (r) out.push(r); });
    });
    return out;
  }

  function cell(r, w, v) {
    if (!r) return '<td class="absent"><span aria-hidden="true">' + ABSENT + '</span><span class="visually-hidden">' +
      esc(T.not_measured) + "</span></td>";
    var key = esc([state.i, data.breakdowns[r[BREAKDOWN]], r[DOMAIN], w].join("|"));
    if (hidden(r)) return '<td class="suppressed" data-key="' + key + '"><span aria-hidden="true">\u2014</span> ' +
      '<span class="reason">' + esc(reason(r, v.unit)) + "</span></td>";
    var marks = r[MARKS].split("").map(function (m) {
      return '<sup>' + m + "<span> " + esc(words.marks[m].words) + "</span></sup>";
    }).join("");
    var ci = intervalText(r, v.unit), n = r[N] === null ? "" : ' <small>n\u00a0=\u00a0' + r[N] + "</small>";
    var value = asCount(r) ? 'data-count="' + r[COUNT] + '"' : 'data-estimate="' + r[EST] + '"';
    return '<td data-key="' + key + '" ' + value + '><b>' + esc(estimateText(r, v.unit)) +
      "</b>" + marks + (ci ? ' <small>' + esc(ci) + "</small>" : "") + n + "</td>";
  }
  function table(v) {
    var corner = state.b === "all" ? T.whole : words.breakdowns[state.b], absent = false, marks = {};
    var head = v.series.map(function (w) { return '<th scope="col">' + esc(words.waves[w]) + "</th>"; }).join("");
    var body = v.categories.map(function (c) {
      return '<tr><th scope="row">' + esc(c[1]) + "</th>" + v.series.map(function (w) {
        var r = v.cells[c[0] + "|" + w] || null;
        if (!r) absent = true;
        else if (!hidden(r)) r[MARKS].split("").forEach(function (m) { marks[m] = true; });
        return cell(r, w, v);
      }).join("") + "</tr>";
    }).join("");
    var notes = Object.keys(words.marks).filter(function (m) { return marks[m]; })
      .map(function (m) { return words.marks[m].note; });
    if (absent) notes.push(ABSENT + " " + T.not_measured);
    if (data.indicators[state.i].unweighted) notes.push(T.unweighted);
    return '<table class="data"><caption>' + esc(fill(T.table_caption, {title: title()})) + "</caption><thead><tr>" +
      '<th scope="col">' + esc(corner) + "</th>" + head + "</tr></thead><tbody>" + body + "</tbody></table>" +
      notes.map(function (n) { return '<p class="table-note">' + esc(n) + "</p>"; }).join("");
  }

  // The map: one filled shape per area (dashboards/areas.py), shaded as the tile map is, its value written on it.
  function mapFigure(v, w) {
    var shapes = data.shapes[state.b], traces = [], annotations = [], hiddenAreas = [];
    var values = v.categories.map(function (c) { var r = v.cells[c[0] + "|" + w]; return plotted(r); })
      .filter(function (x) { return x !== null; });
    var top = v.unit === "proportion" ? 1 : v.unit === "index" ? 100 :
      Math.max.apply(null, values.map(Math.abs).concat([1e-9]));
    var steps = words.steps;
    v.categories.forEach(function (c) {
      var rings = shapes.rings[c[0]], r = v.cells[c[0] + "|" + w];
      if (!rings || !r) return;
      var x = [], y = [], sx = 0, sy = 0, count = 0;
      rings.forEach(function (ring, k) {
        if (k) { x.push(null); y.push(null); }
        ring.forEach(function (p) { x.push(p[0]); y.push(p[1]); });
        if (k === 0) ring.slice(0, -1).forEach(function (p) { sx += p[0]; sy += p[1]; count += 1; });
      });
      var fill = "#ffffff", ink = "#1a1a1a", label, text, pattern;
      if (hidden(r)) {
        fill = "#f2f2f2"; pattern = {shape: "/", fgcolor: "#767676", bgcolor: "#f2f2f2", size: 8, solidity: 0.2};
        label = "\u2014 " + T.not_shown;
        text = c[1] + ": " + reason(r, v.unit);
        hiddenAreas.push(fill_text(c[1], reason(r, v.unit)));
      } else {
        var est = plotted(r);
        if (est !== null) {
          var step = Math.min(steps.length - 1, Math.floor(steps.length * Math.abs(est) / top));
          fill = steps[step][0]; ink = steps[step][1];
        }
        label = estimateText(r, v.unit) + nchs(r);
        text = c[1] + ": " + hover(r, v.unit);
      }
      var trace = {type: "scatter", mode: "lines", x: x, y: y, fill: "toself", fillcolor: fill, name: c[1],
                   line: {color: "#1a1a1a", width: 1}, hoveron: "fills", text: text, hoverinfo: "text",
                   meta: c[0], showlegend: false};
      if (pattern) trace.fillpattern = pattern;
      traces.push(trace);
      annotations.push({x: sx / count, y: sy / count, xref: "x", yref: "y", showarrow: false,
                        text: esc(c[1]) + "<br><b>" + esc(label) + "</b>", font: {size: 13, color: ink},
                        bgcolor: hidden(r) ? "rgba(255,255,255,0.85)" : null});
    });
    var layout = clone(words.layout);
    layout.height = 460; layout.showlegend = false; layout.margin = {l: 10, r: 10, t: 10, b: 10};
    layout.xaxis = {visible: false, scaleanchor: "y", scaleratio: 1};
    layout.yaxis = {visible: false};
    layout.annotations = annotations; layout.hovermode = "closest";
    var legend = steps.map(function (s, k) {
      return '<li><span class="swatch" style="background:' + s[0] + '" aria-hidden="true"></span>' +
        esc(valueText(top * k / steps.length, v.unit) + " \u2013 " + valueText(top * (k + 1) / steps.length, v.unit)) +
        "</li>";
    }).join("") + '<li><span class="swatch hatched" aria-hidden="true"></span>' + esc(T.not_shown) + "</li>";
    return {data: traces, layout: layout, legend: legend, hidden: hiddenAreas};
  }
  function fill_text(area, why) { return fill(T.map_hidden, {area: area, reason: why}); }

  function csv() {
    var ind = data.indicators[state.i];
    var lines = [["indicator", "wave", "breakdown", "domain", "estimate", "ci_low", "ci_high", "n", "numerator",
                  "suppressed", "reason"].join(",")];
    ind.rows.forEach(function (r) {
      var cells = [state.i, data.waves[r[WAVE]], data.breakdowns[r[BREAKDOWN]], r[DOMAIN]];
      cells = cells.concat(hidden(r) ? ["", "", "", "", "", true, data.reasons[r[REASON]]] :
        [asCount(r) ? "" : r[EST], r[LOW], r[HIGH], r[N], asCount(r) ? r[COUNT] : "", false, ""]);
      lines.push(cells.map(function (c) {
        var s = c === null || c === undefined ? "" : String(c);
        return /[",\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
      }).join(","));
    });
    return lines.join("\n") + "\n";
  }

  function fragment() {
    return "i=" + encodeURIComponent(state.i) + "&b=" + encodeURIComponent(state.b) + "&w=" +
      encodeURIComponent(state.w) + "&v=" + encodeURIComponent(state.v);
  }
  function fromFragment() {
    var found = {};
    location.hash.replace(/^#/, "").split("&").forEach(function (part) {
      var kv = part.split("=");
      if (kv.length === 2) found[kv[0]] = decodeURIComponent(kv[1]);
    });
    return found;
  }

  // Settle the state on what the indicator has: its breakdowns, waves and views.
  function settle(wanted) {
    state.i = wanted.i in data.indicators ? wanted.i : state.i || firstIndicator();
    var bs = breakdowns();
    var rows = data.indicators[state.i].rows;
    function bars(b) {
      var k = data.breakdowns.indexOf(b);
      return rows.some(function (r) { return r[BREAKDOWN] === k && plotted(r) !== null; });
    }
    // By default the first breakdown with a bar, else the whole sample.
    state.b = bs.indexOf(wanted.b) >= 0 ? wanted.b : (bs.filter(function (b) { return b !== "all" && bars(b); })[0] ||
                                                      (bs.indexOf("all") >= 0 ? "all" : bs[0]));
    var ws = waves();
    state.w = wanted.w === "all" || ws.indexOf(wanted.w) >= 0 ? wanted.w : ws[ws.length - 1];
    state.v = ["chart", "table", "map"].indexOf(wanted.v) >= 0 ? wanted.v : "chart";
    if (state.v === "map" && !data.shapes[state.b]) state.v = "chart";
  }
  function firstIndicator() {  // the first with a bar by a breakdown, else the first with a bar
    var names = Array.prototype.map.call($("x-indicator").options, function (o) { return o.value; });
    function drawn(broken) {
      return names.filter(function (name) {
        return data.indicators[name].rows.some(function (r) { return plotted(r) !== null && (!broken || r[BREAKDOWN] > 0); });
      })[0];
    }
    return drawn(true) || drawn(false) || names[0];
  }

  function options(select, values, label) {
    select.innerHTML = values.map(function (x) {
      return '<option value="' + esc(x) + '">' + esc(label(x)) + "</option>";
    }).join("");
  }

  function render() {
    var v = view(), fig = figure(v), chart = $("x-chart");
    $("x-indicator").value = state.i;
    options($("x-breakdown"), breakdowns(), function (b) { return words.breakdowns[b]; });
    $("x-breakdown").value = state.b;
    var ws = waves();
    options($("x-wave"), ws.length > 1 ? ws.concat(["all"]) : ws, waveLabel);
    $("x-wave").value = state.w;
    $("x-title").textContent = title();
    $("x-summary").textContent = summary(v);
    chart.setAttribute("aria-label", fill(T.chart_label, {title: title()}));
    var rows = all(v), drawable = rows.some(function (r) { return plotted(r) !== null; });
    $("x-caption").textContent = T.chart_caption + (rows.some(hidden) ? " " + T.gap_note : "");
    chart.parentNode.hidden = !drawable;
    chart.classList.toggle("chart", drawable);  // no chart to check or wait for where nothing is drawn
    $("x-chart-note").hidden = drawable;
    $("x-chart-note").textContent = drawable ? "" : rows.some(asCount) ? T.counts_only : T.nothing_drawn;
    $("x-table").innerHTML = table(v);
    var ind = data.indicators[state.i];
    var definition = words.definition[state.i].map(function (k) { return words.sentences[k]; });
    $("x-about").textContent = definition[0];
    ["x-numerator", "x-denominator"].forEach(function (id, k) {
      $(id).textContent = definition[k + 1];
      $(id).parentNode.hidden = !definition[k + 1];
    });
    $("x-who").textContent = words.who[ind.instrument] || "";
    $("x-who").parentNode.hidden = !words.who[ind.instrument];
    $("x-how").textContent = words.kinds[ind.kind] || "";
    $("x-how").parentNode.hidden = !ind.kind;
    $("x-method").textContent = ind.methods.map(function (m) { return words.methods[m] || ""; }).join(" ");
    var link = $("x-download");
    link.href = "data:text/csv;charset=utf-8," + encodeURIComponent(csv());
    link.setAttribute("download", state.i + ".csv");
    link.textContent = fill(T.download, {indicator: words.labels[state.i]});
    var hasMap = !!data.shapes[state.b];
    $("x-tab-map").hidden = !hasMap;
    tabs();
    var frag = fragment();
    $("x-permalink").href = "#" + frag;
    if (location.hash !== "#" + frag) history.replaceState(null, "", "#" + frag);
    var drawn = Plotly.react(chart, fig.data, fig.layout, CONFIG);
    if (state.v === "map" && hasMap) drawn = drawn.then(function () { return drawMap(v); });
    return drawn.then(function () {
      chart.setAttribute("data-drawn", "true");
      chart.setAttribute("data-view", frag);
      requestAnimationFrame(function () {
        if (!drawnOnce && !performance.getEntriesByName("first-chart-painted").length) {
          performance.mark("first-chart-painted");
        }
        drawnOnce = true;
        performance.mark("explorer-drawn");
      });
    });
  }
  function drawMap(v) {
    var w = state.w === "all" ? v.series[v.series.length - 1] : state.w;
    var map = mapFigure(v, w), el = $("x-map");
    $("x-map-title").textContent = fill(T.map_title, {indicator: words.labels[state.i], wave: w});
    var note = T.map_note + (data.shapes[state.b].schematic ? " " + T.map_schematic : "") +
      (state.w === "all" ? " " + T.map_one_wave : "");
    $("x-map-note").innerHTML = esc(note) + map.hidden.map(function (h) { return " " + esc(h); }).join("");
    $("x-map-legend").innerHTML = map.legend;
    el.setAttribute("aria-label", fill(T.map_title, {indicator: words.labels[state.i], wave: w}));
    return Plotly.react(el, map.data, map.layout, CONFIG).then(function () { el.setAttribute("data-drawn", "true"); });
  }

  function tabs() {
    ["chart", "table", "map"].forEach(function (k) {
      var tab = $("x-tab-" + k), on = k === state.v;
      tab.setAttribute("aria-selected", on ? "true" : "false");
      tab.tabIndex = on ? 0 : -1;
      $("x-panel-" + k).hidden = !on;
    });
  }
  function choose(view, focus) {
    state.v = view;
    var done = render();
    if (view === "chart") done.then(function () { Plotly.Plots.resize($("x-chart")); });
    if (focus) $("x-tab-" + view).focus();
  }

  function search() {
    var query = normal($("x-search").value.trim()), count = 0;
    Array.prototype.forEach.call($("x-indicator").querySelectorAll("optgroup"), function (group) {
      var groupMatch = normal(group.label).indexOf(query) >= 0, any = false;
      Array.prototype.forEach.call(group.children, function (option) {
        var match = !query || groupMatch || normal(option.textContent).indexOf(query) >= 0;
        option.hidden = !match;
        if (match) { any = true; count += 1; }
      });
      group.hidden = !any;
    });
    $("x-matches").textContent = query ? fill(T.matches, {count: count}) : "";
  }
  function normal(text) { return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase(); }
  function firstVisible() {
    return Array.prototype.filter.call($("x-indicator").options, function (o) { return !o.hidden; })[0];
  }

  function start() {
    $("explorer").hidden = false;
    var select = $("x-indicator");
    select.addEventListener("change", function () { settle({i: select.value, b: state.b, w: state.w, v: state.v}); render(); });
    $("x-breakdown").addEventListener("change", function () {
      settle({i: state.i, b: $("x-breakdown").value, w: state.w, v: state.v}); render();
    });
    $("x-wave").addEventListener("change", function () {
      settle({i: state.i, b: state.b, w: $("x-wave").value, v: state.v}); render();
    });
    $("x-search").addEventListener("input", search);
    $("x-search").addEventListener("keydown", function (e) {
      var first = firstVisible();
      if ((e.key === "Enter" || e.key === "ArrowDown") && first) {
        e.preventDefault();
        settle({i: first.value, b: state.b, w: state.w, v: state.v}); render();
        select.focus();
      }
    });
    var tablist = document.querySelector("#explorer [role=tablist]");
    tablist.addEventListener("click", function (e) {
      var tab = e.target.closest("[role=tab]");
      if (tab) choose(tab.getAttribute("data-view"), false);
    });
    tablist.addEventListener("keydown", function (e) {
      var shown = Array.prototype.filter.call(tablist.querySelectorAll("[role=tab]"), function (b) { return !b.hidden; });
      var at = shown.indexOf(document.activeElement), to = null;
      if (e.key === "ArrowRight") to = (at + 1) % shown.length;
      else if (e.key === "ArrowLeft") to = (at - 1 + shown.length) % shown.length;
      else if (e.key === "Home") to = 0;
      else if (e.key === "End") to = shown.length - 1;
      if (to === null) return;
      e.preventDefault();
      choose(shown[to].getAttribute("data-view"), true);
    });
    window.addEventListener("hashchange", function () {
      var wanted = fromFragment();
      if (wanted.i && fragment() !== location.hash.replace(/^#/, "")) { settle(wanted); render(); }
    });
    settle(fromFragment());
    render();
  }
  start();
})();
