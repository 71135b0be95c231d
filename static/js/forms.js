// After a form came back with errors, the focus starts at its error summary
// (templates/includes/error_summary.html): keyboard and screen-reader users hear what to fix.
// Again after "load": a form posted to "#reageer" comes back with that fragment, and the
// browser's jump to it would otherwise take the focus back to the page.
(function () {
  "use strict";
  function focusSummary() {
    var summary = document.querySelector("[data-error-summary]");
    if (summary && document.activeElement !== summary &&
        (!document.activeElement || document.activeElement === document.body)) {
      summary.focus();
    }
  }
  document.addEventListener("DOMContentLoaded", focusSummary);
  window.addEventListener("load", function () { window.requestAnimationFrame(focusSummary); });
})();
