/* The dashboard's charts, drawn by ECharts from the JSON the page embeds (#dashboard-charts):
   [{slug, title, chart: "line" | "bar" | "hbar", categories: [...],
     series: [{name, data: [...], urls: [...]}]}].
   Each chart is drawn into the element with data-chart="<slug>"; a click on a point opens the
   records behind that number (the same link as the table's cell below the chart).
   Shared with the big screen (FuminCharts.draw with the dark theme). */
(function () {
  "use strict";

  var PALETTE = ["#c8102e", "#1f6feb", "#d4a017", "#2da44e", "#8250df", "#e16f24", "#0a9396",
                 "#6e7781", "#bf3989"];

  function option(spec, dark) {
    var horizontal = spec.chart === "hbar";
    var categories = horizontal ? spec.categories.slice().reverse() : spec.categories;
    var many = categories.length > 8;
    var text = dark ? "#d8e1f0" : "#444d56";
    var split = dark ? "rgba(255,255,255,.08)" : "#eaecef";
    var selected = {};
    spec.series.forEach(function (s) { selected[s.name] = s.shown !== false; });
    var categoryAxis = {
      type: "category",
      data: categories,
      axisLabel: {color: text, fontSize: dark ? 16 : 12, interval: horizontal ? 0 : "auto",
                  rotate: !horizontal && many ? 30 : 0, hideOverlap: true},
      axisLine: {lineStyle: {color: split}}
    };
    var valueAxis = {
      type: "value", minInterval: 1,
      axisLabel: {color: text, fontSize: dark ? 14 : 12},
      splitLine: {lineStyle: {color: split}}
    };
    return {
      title: categories.length ? undefined : {
        text: spec.empty || "", left: "center", top: "middle",
        textStyle: {color: text, fontSize: dark ? 20 : 14, fontWeight: "normal"}
      },
      color: PALETTE,
      backgroundColor: "transparent",
      tooltip: {trigger: "axis", confine: true},
      legend: spec.series.length > 1 ? {
        type: "scroll", top: 0, textStyle: {color: text, fontSize: dark ? 14 : 12},
        pageTextStyle: {color: text}, selected: selected
      } : undefined,
      grid: {left: many && !horizontal ? 28 : 8, right: 24, bottom: 8, top: spec.series.length > 1 ? 40 : 16, containLabel: true},
      xAxis: horizontal ? valueAxis : categoryAxis,
      yAxis: horizontal ? categoryAxis : valueAxis,
      series: spec.series.map(function (s) {
        return {
          name: s.name,
          type: spec.chart === "line" ? "line" : "bar",
          smooth: false,
          symbolSize: 7,
          barMaxWidth: 36,
          cursor: "pointer",
          data: horizontal ? s.data.slice().reverse() : s.data,
          label: horizontal ? {show: true, position: "right", color: text, fontSize: dark ? 16 : 12} : undefined
        };
      })
    };
  }

  function urlOf(spec, params) {
    var series = spec.series[params.seriesIndex];
    if (!series || !series.urls) return "";
    var index = spec.chart === "hbar" ? series.urls.length - 1 - params.dataIndex : params.dataIndex;
    return series.urls[index] || "";
  }

  function draw(root, specs, dark) {
    if (!window.echarts) return;
    specs.forEach(function (spec) {
      var element = root.querySelector('[data-chart="' + spec.slug + '"]');
      if (!element) return;
      var chart = window.echarts.getInstanceByDom(element) ||
        window.echarts.init(element, dark ? "dark" : null, {renderer: "canvas"});
      chart.setOption(option(spec, dark), true);
      chart.off("click");
      chart.on("click", function (params) {
        var url = urlOf(spec, params);
        if (url) window.location.href = url;
      });
      element.dataset.drawn = "true";
    });
  }

  function resizeAll() {
    if (!window.echarts) return;
    document.querySelectorAll("[data-chart]").forEach(function (element) {
      var chart = window.echarts.getInstanceByDom(element);
      if (chart) chart.resize();
    });
  }

  function drawEmbedded() {
    var data = document.getElementById("dashboard-charts");
    if (data) draw(document, JSON.parse(data.textContent), false);
  }

  window.FuminCharts = {draw: draw, resizeAll: resizeAll};
  document.addEventListener("DOMContentLoaded", drawEmbedded);
  // Charts about to be swapped out are disposed of, so they do not linger in memory.
  document.addEventListener("htmx:beforeSwap", function (event) {
    if (!window.echarts) return;
    event.detail.target.querySelectorAll("[data-chart]").forEach(function (element) {
      var chart = window.echarts.getInstanceByDom(element);
      if (chart) chart.dispose();
    });
  });
  // The filters swap the dashboard's body in place (HTMX): draw the new charts.
  document.addEventListener("htmx:afterSettle", drawEmbedded);
  window.addEventListener("resize", resizeAll);
})();
