/* The big screen: draws the figures and charts from #screen-data, then fetches them again from
   the page's data-source every minute. When a fetch fails (network, or the session ended) the
   last figures stay up and a small "offline" note shows until the next fetch succeeds. */
(function () {
  "use strict";
  var REFRESH_MS = 60 * 1000;

  function formatted(value) {
    return Number(value).toLocaleString("en-US");
  }

  function withoutLinks(charts) {
    // A wall display is not for browsing: a touch on a chart must not navigate away.
    return charts.map(function (chart) {
      return Object.assign({}, chart, {series: chart.series.map(function (s) {
        return Object.assign({}, s, {urls: []});
      })});
    });
  }

  function show(data) {
    ["period", "area", "updated"].forEach(function (name) {
      var element = document.querySelector('[data-field="' + name + '"]');
      if (element) element.textContent = data[name];
    });
    data.figures.forEach(function (figure) {
      var element = document.querySelector('[data-figure="' + figure.code + '"] .screen-value');
      if (element) element.textContent = formatted(figure.value);
    });
    window.FuminCharts.draw(document, withoutLinks(data.charts), true);
  }

  function refresh(source) {
    var offline = document.querySelector('[data-field="offline"]');
    fetch(source, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      })
      .then(function (data) { show(data); offline.hidden = true; })
      .catch(function () { offline.hidden = false; });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var root = document.querySelector("[data-source]");
    show(JSON.parse(document.getElementById("screen-data").textContent));
    window.setInterval(function () { refresh(root.dataset.source); }, REFRESH_MS);
  });
})();
