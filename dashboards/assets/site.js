// Draws every chart of the page from the JSON beside it, with the one local plotly.js: one chart per
// frame, so the first is on screen before the others are drawn. The first leaves a performance mark,
// read by the benchmark (time to first chart).
(function () {
  "use strict";
  var charts = Array.prototype.slice.call(document.querySelectorAll(".chart[data-figure]"));
  function draw(i) {
    if (i >= charts.length) return;
    var el = charts[i];
    var spec = JSON.parse(document.getElementById(el.getAttribute("data-figure")).textContent);
    Plotly.newPlot(el, spec.data, spec.layout, {displayModeBar: false, responsive: true}).then(function () {
      el.setAttribute("data-drawn", "true");
      requestAnimationFrame(function () {
        if (i === 0) performance.mark("first-chart-painted");
        setTimeout(function () { draw(i + 1); }, 0);
      });
    });
  }
  draw(0);
})();
