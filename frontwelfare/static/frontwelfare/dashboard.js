/* The dashboard's charts (reports/partials/dashboard.html), drawn with Chart.js from the figures
   the page embeds with json_script ("dashboard-data"). Every word and colour comes from the page,
   so that this file has nothing to translate. The tables beside the charts hold the same figures,
   for those who prefer numbers and for screen readers; without JavaScript they are all there is. */
(function () {
  "use strict";

  var source = document.getElementById("dashboard-data");
  if (!source || typeof Chart === "undefined") {
    return;
  }
  var data = JSON.parse(source.textContent);
  var css = getComputedStyle(document.documentElement);
  var danger = css.getPropertyValue("--bs-danger").trim() || "#dc3545";
  var bodyColour = css.getPropertyValue("--bs-body-color").trim() || "#212529";

  Chart.defaults.font.family = css.getPropertyValue("--bs-body-font-family").trim() || Chart.defaults.font.family;
  Chart.defaults.color = bodyColour;

  // Horizontal bars: the units' names read across on a phone, and the chart grows downwards
  // with the number of units (the container's height is set by the page, not by the width).
  function options(extra) {
    var base = {
      indexAxis: "y",
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      locale: document.documentElement.lang || "vi",  // 1.234 in Vietnamese, 1,234 in English
      interaction: { mode: "index", axis: "y", intersect: false },
      scales: {
        x: { beginAtZero: true, ticks: { precision: 0 } },
        y: { ticks: { autoSkip: false } },
      },
      plugins: { legend: { position: "bottom", labels: { boxWidth: 14 } } },
    };
    return Chart.helpers.merge(base, extra || {});
  }

  function fullName(names) {
    return function (items) {
      return items.length ? names[items[0].dataIndex] : "";
    };
  }

  function householdsByCategory(canvas, chart) {
    // The poverty categories (a household has one of them a year) stack into one bar; "in
    // difficult circumstances" may come on top of any, so it stands beside them.
    return new Chart(canvas, {
      type: "bar",
      data: {
        labels: chart.labels,
        datasets: chart.series.map(function (series) {
          return { label: series.label, data: series.data, backgroundColor: series.colour, stack: series.stack };
        }),
      },
      options: options({
        scales: { x: { stacked: true }, y: { stacked: true } },
        plugins: { tooltip: { callbacks: { title: fullName(chart.names) } } },
      }),
    });
  }

  function housingProgress(canvas, chart) {
    // One row per unit: the target as a wide grey bar, the houses completed drawn over it (red
    // where the unit is behind schedule), and those handed over inside that.
    var behind = chart.behind;
    var widths = { target: 0.9, completed: 0.55, handed_over: 0.25 };
    var colours = {};
    var datasets = chart.series.map(function (series, position) {
      colours[position] = series.colour;
      var colour = series.key === "completed"
        ? function (context) { return behind[context.dataIndex] ? danger : series.colour; }
        : series.colour;
      return {
        label: series.label, data: series.data, backgroundColor: colour, grouped: false,
        barPercentage: widths[series.key] || 0.5, categoryPercentage: 1, order: chart.series.length - position,
      };
    });
    return new Chart(canvas, {
      type: "bar",
      data: { labels: chart.labels, datasets: datasets },
      options: options({
        scales: {
          y: {
            ticks: {
              color: function (context) { return behind[context.index] ? danger : bodyColour; },
              font: function (context) { return behind[context.index] ? { weight: "bold" } : {}; },
            },
          },
        },
        plugins: {
          legend: {
            labels: {
              // The series' own colours (the first unit's bar may be red), and what red means.
              generateLabels: function (instance) {
                // In the series' order (Chart.js lists them in drawing order, the target last).
                var items = Chart.defaults.plugins.legend.labels.generateLabels(instance).sort(
                  function (a, b) { return a.datasetIndex - b.datasetIndex; });
                items.forEach(function (item) {
                  item.fillStyle = item.strokeStyle = colours[item.datasetIndex];
                });
                if (behind.some(Boolean)) {
                  items.push({ text: chart.behindLabel, fillStyle: danger, strokeStyle: danger, lineWidth: 0,
                               hidden: false, fontColor: bodyColour });
                }
                return items;
              },
            },
            onClick: function (event, item, legend) {
              if (item.datasetIndex !== undefined) {
                Chart.defaults.plugins.legend.onClick.call(this, event, item, legend);
              }
            },
          },
          tooltip: {
            callbacks: {
              title: function (items) {
                if (!items.length) { return ""; }
                var index = items[0].dataIndex;
                return chart.names[index] + (behind[index] ? " · " + chart.behindLabel : "");
              },
            },
          },
        },
      }),
    });
  }

  function housesByStage(canvas, chart) {
    return new Chart(canvas, {
      type: "bar",
      data: {
        labels: chart.labels,
        datasets: chart.series.map(function (series) {
          return { label: series.label, data: series.data, backgroundColor: series.colour, stack: series.stack };
        }),
      },
      options: options({ scales: { x: { stacked: true }, y: { stacked: true } } }),
    });
  }

  var draw = { categories: householdsByCategory, housing: housingProgress, stages: housesByStage };
  document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
    var name = canvas.getAttribute("data-chart");
    if (draw[name] && data[name]) {
      draw[name](canvas, data[name]);
    }
  });
})();
