// The training page: while a run is going, its stage, percentage and log follow the server
// (GET /console/api/studio/runs/<id>); when it ends, the page reloads to show the comparison.
// Loaded with `defer`: it runs after the page (and its #console-config) is parsed.
(function () {
  "use strict";
  var configNode = document.getElementById("console-config");
  if (!configNode) { return; }
  var config = JSON.parse(configNode.textContent);
  var runId = config.run;
  if (!runId) { return; }
  var T = config.studio || {};
  var bar = document.getElementById("run-bar");
  var percent = document.getElementById("run-percent");
  var stage = document.getElementById("run-stage");
  var log = document.getElementById("run-log");

  function show(status) {
    if (bar) { bar.value = status.percent; bar.textContent = status.percent + " %"; }
    if (percent) { percent.textContent = status.percent + " %"; }
    var stageText = T["models_stage_" + status.stage];
    if (stage && stageText) { stage.textContent = stageText; }
    if (log && log.textContent !== status.log) {
      var atEnd = log.scrollTop + log.clientHeight >= log.scrollHeight - 4;
      log.textContent = status.log;
      if (atEnd) { log.scrollTop = log.scrollHeight; }
    }
  }

  function poll() {
    fetch("/console/api/studio/runs/" + encodeURIComponent(runId),
          { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) {
        if (r.status === 401) { window.location.assign("/console/login?next=" + encodeURIComponent(location.pathname)); }
        if (!r.ok) { throw new Error("HTTP " + r.status); }
        return r.json();
      })
      .then(function (status) {
        show(status);
        if (status.state !== "running") {
          window.location.assign("/console/studio/models?run=" + encodeURIComponent(runId));
          return;
        }
        window.setTimeout(poll, 1500);
      })
      .catch(function () { window.setTimeout(poll, 4000); });
  }
  if (log) { log.scrollTop = log.scrollHeight; }
  window.setTimeout(poll, 1000);
}());
