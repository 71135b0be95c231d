// Forms on shared pages (the comment and newsletter forms) come without this reader's keys:
// the CSRF token and the form timestamp (core/formkeys.py). They are fetched once, when such
// a form comes into view or is first used; a submit waits for them. Without this script, or
// when the fetch fails, the server sends the form back filled in, with the keys, so nothing
// typed is lost.
(function () {
  "use strict";
  var forms = Array.prototype.slice.call(document.querySelectorAll("form[data-form-keys]"));
  var TOKEN = "csrfmiddlewaretoken";
  var pending = null;

  function lacksKeys(form) {
    var token = form.querySelector("input[name='" + TOKEN + "']");
    return Boolean(token) && !token.value;
  }

  forms = forms.filter(lacksKeys);
  if (!forms.length || !window.fetch) return;

  function fill(keys) {
    forms.forEach(function (form) {
      Object.keys(keys).forEach(function (name) {
        var input = form.querySelector("input[type='hidden'][name='" + name + "']");
        if (input && !input.value) input.value = keys[name];
      });
    });
  }

  function fetchKeys(url) {
    if (!pending) {
      pending = fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) {
          if (!response.ok) throw new Error(String(response.status));
          return response.json();
        })
        .then(fill)
        .catch(function () { pending = null; });  // tried again on the next use
    }
    return pending;
  }

  forms.forEach(function (form) {
    var url = form.getAttribute("data-form-keys");
    var start = function () { fetchKeys(url); };
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
      if (!lacksKeys(form)) return;
      event.preventDefault();
      fetchKeys(url).then(function () { HTMLFormElement.prototype.submit.call(form); });
    });
  });
})();
