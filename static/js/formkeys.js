// Forms on shared pages (the comment and newsletter forms) come without this reader's keys
// (core/formkeys.py). The form timestamp is fetched when such a form comes into view or is
// first used, so the time a person takes counts from then; the CSRF token, which sets the
// reader's only cookie, is fetched when the form is sent, and the submit waits for it.
// Without this script, or when a fetch fails, the server sends the form back filled in, with
// the keys, so nothing typed is lost.
(function () {
  "use strict";
  var TOKEN = "csrfmiddlewaretoken";
  var forms = Array.prototype.slice.call(document.querySelectorAll("form[data-form-keys]"))
    .filter(function (form) { return missing(form, TOKEN); });
  if (!forms.length || !window.fetch) return;

  function input(form, name) {
    return form.querySelector("input[type='hidden'][name='" + name + "']");
  }

  function missing(form, name) {
    var field = input(form, name);
    return Boolean(field) && !field.value;
  }

  function fill(keys) {
    forms.forEach(function (form) {
      Object.keys(keys).forEach(function (name) {
        var field = input(form, name);
        if (field && !field.value) field.value = keys[name];
      });
    });
  }

  var requests = {};
  function fetchKeys(url, withToken) {
    var key = withToken ? "token" : "time";
    if (!requests[key]) {
      requests[key] = fetch(url + (withToken ? "?csrf=1" : ""), {
        credentials: "same-origin", headers: { Accept: "application/json" }
      })
        .then(function (response) {
          if (!response.ok) throw new Error(String(response.status));
          return response.json();
        })
        .then(fill)
        .catch(function () { requests[key] = null; });  // tried again on the next use
    }
    return requests[key];
  }

  forms.forEach(function (form) {
    var url = form.getAttribute("data-form-keys");
    var start = function () {
      if (missing(form, "form_started")) fetchKeys(url, false);
    };
    form.addEventListener("focusin", start);
    if ("IntersectionObserver" in window) {
      var seen = new IntersectionObserver(function (entries) {
        if (entries.some(function (entry) { return entry.isIntersecting; })) {
          seen.disconnect();
          start();
        }
      });
      seen.observe(form);
    }
    form.addEventListener("submit", function (event) {
      if (!missing(form, TOKEN)) return;
      event.preventDefault();
      fetchKeys(url, true).then(function () { HTMLFormElement.prototype.submit.call(form); });
    });
  });
})();
