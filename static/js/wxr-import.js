// The import page's progress bar: the task runs on any node; its row says how far it is.
// Polls the admin's progress address every second and reloads when the run has finished.
(function () {
  "use strict";
  var bar = document.getElementById("wxr-progress");
  if (!bar) return;
  var text = document.getElementById("wxr-progress-text");
  function tick() {
    fetch(bar.dataset.url, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data) return setTimeout(tick, 3000);
        if (!data.running) { window.location.reload(); return; }
        if (data.total) {
          bar.max = data.total;
          bar.value = data.done;
          bar.textContent = data.percent + "%";
        } else {
          bar.removeAttribute("value");
        }
        text.textContent = data.text;  // written (and translated) by the server
        setTimeout(tick, 1000);
      })
      .catch(function () { setTimeout(tick, 3000); });
  }
  setTimeout(tick, 1000);
}());
