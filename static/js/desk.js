/* The writing desk: images into the text, autosave, and nothing typed is ever lost.
 *
 * The toolbar and live preview are the Markdown editor's (markdown-editor.js). Here:
 * - "Afbeelding invoegen" uploads the image and puts it after the paragraph at the cursor;
 * - autosave: two seconds after the last keystroke (at most fifteen while typing on) the
 *   title and text go to the server with the version the page holds (blog.editing: a newer
 *   save elsewhere is never overwritten), and the page says "Opgeslagen om 14:32";
 * - everything typed is also kept in this browser (localStorage, per user and post) until
 *   the server has it, so text typed after the session expired is offered back after
 *   logging in; leaving the page with unsaved changes asks first.
 * Without JavaScript the form works as before: "Opslaan" saves, and "Afbeelding invoegen"
 * submits the form, which stores the image and appends it to the text. */
(function () {
  "use strict";

  var form = document.getElementById("post-form");
  if (!form) return;
  var textarea = form.querySelector("textarea[name=body_markdown]");
  var titleInput = form.querySelector("input[name=title]");
  var versionInput = form.querySelector("input[name=version]");
  if (!textarea || textarea.disabled) return;

  function message(name) {
    return form.getAttribute("data-msg-" + name) || "";
  }

  function csrfToken() {
    var input = form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function post(url, body) {
    return fetch(url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(), "X-Requested-With": "fetch" }
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        if (!response.ok) {
          var error = new Error(data.error || message("error").replace("%s", response.status));
          error.status = response.status;
          error.data = data;
          throw error;
        }
        return data;
      });
    });
  }

  /* --- images in the body ------------------------------------------------------------- */
  var insertButton = document.getElementById("insert-image");
  var uploadUrl = form.getAttribute("data-upload-url");
  var fileInput = form.querySelector("input[type=file][name=body_image]");
  var altInput = form.querySelector("input[name=body_image_alt]");
  var uploadStatus = document.getElementById("upload-status");

  if (insertButton && fileInput && altInput && uploadUrl && window.WelzijnEditor) {
    insertButton.addEventListener("click", function (event) {
      event.preventDefault();
      var file = fileInput.files && fileInput.files[0];
      if (!file) { uploadStatus.textContent = message("choose-image"); fileInput.focus(); return; }
      if (!altInput.value.trim()) {
        uploadStatus.textContent = message("alt-needed");
        altInput.focus();
        return;
      }
      var body = new FormData();
      body.append("image", file);
      body.append("alt", altInput.value);
      insertButton.disabled = true;
      uploadStatus.textContent = message("uploading");
      // The selection as it was when the button was pressed: the block goes after it.
      var start = textarea.selectionStart, end = textarea.selectionEnd;
      post(uploadUrl, body).then(function (data) {
        textarea.setSelectionRange(start, end);
        window.WelzijnEditor.insertBlock(textarea, data.markdown);
        fileInput.value = "";
        altInput.value = "";
        uploadStatus.textContent = message("uploaded");
      }).catch(function (error) {
        uploadStatus.textContent = error.message;
      }).then(function () {
        insertButton.disabled = false;
      });
    });
  }

  /* --- kept in this browser ------------------------------------------------------------ */
  var autosaveUrl = form.getAttribute("data-autosave-url");
  if (!autosaveUrl) return;
  var userId = form.getAttribute("data-user-id");
  var postId = form.getAttribute("data-post-id") || "nieuw";
  var status = document.getElementById("autosave-status");
  var storage = null;
  try { storage = window.localStorage; } catch (e) { storage = null; }

  function keyFor(id) { return "welzijn.desk." + userId + "." + id; }
  var key = keyFor(postId);

  function current() {
    return { title: titleInput ? titleInput.value : "", body: textarea.value };
  }

  function keep() {
    if (!storage) return;
    var now = new Date();
    try {
      storage.setItem(key, JSON.stringify(Object.assign(current(), {
        at: now.toISOString(), version: versionInput ? versionInput.value : ""
      })));
    } catch (e) { /* storage full or refused: the server copy still counts */ }
  }

  function forget() {
    if (storage) { try { storage.removeItem(key); } catch (e) { /* nothing to do */ } }
  }

  function stored() {
    if (!storage) return null;
    try { return JSON.parse(storage.getItem(key) || "null"); } catch (e) { return null; }
  }

  /* Offer back what this browser kept and the page does not show (typed while logged out). */
  var recovered = document.getElementById("recovered");
  var kept = stored();
  if (kept && recovered) {
    var now = current();
    if (kept.body === now.body && (kept.title === now.title || !kept.title)) {
      forget();
    } else {
      recovered.querySelector(".recovered-text").textContent =
        (kept.title ? kept.title + "\n\n" : "") + kept.body;
      var when = new Date(kept.at);
      recovered.querySelector(".recovered-when").textContent = isNaN(when) ? "" :
        when.toLocaleString("nl-NL", { timeZone: "Europe/Amsterdam", day: "numeric",
          month: "long", hour: "2-digit", minute: "2-digit" });
      recovered.hidden = false;
      recovered.querySelector(".recover-restore").addEventListener("click", function () {
        if (titleInput && kept.title) titleInput.value = kept.title;
        textarea.value = kept.body;
        recovered.hidden = true;
        textarea.dispatchEvent(new Event("input", { bubbles: true }));
        textarea.focus();
      });
      recovered.querySelector(".recover-discard").addEventListener("click", function () {
        forget();
        recovered.hidden = true;
      });
    }
  }

  /* --- autosave ------------------------------------------------------------------------ */
  var DEBOUNCE = 2000, MAX_WAIT = 15000, RETRY = 10000;
  var session = (window.crypto && crypto.randomUUID) ? crypto.randomUUID()
    : String(Date.now()) + "-" + Math.random().toString(36).slice(2, 12);
  var dirty = false, inFlight = false, stopped = false, submitting = false;
  var keptForLogin = false;  // logged out: the text waits in this browser, leaving is safe
  var timer = null, firstChange = 0;

  function show(text, link) {
    if (!status) return;
    status.textContent = text;
    if (link) {
      status.appendChild(document.createTextNode(" "));
      var a = document.createElement("a");
      a.href = link;
      a.textContent = message("login");
      status.appendChild(a);
    }
  }

  function schedule(delay) {
    clearTimeout(timer);
    timer = setTimeout(save, delay);
  }

  function changed() {
    keep();
    if (stopped) return;
    if (!dirty) { firstChange = Date.now(); }
    dirty = true;
    var waited = Date.now() - firstChange;
    schedule(Math.max(0, Math.min(DEBOUNCE, MAX_WAIT - waited)));
  }

  function save() {
    if (!dirty || stopped) return;
    if (inFlight) { schedule(DEBOUNCE); return; }
    var sent = current();
    if (form.getAttribute("data-post-id") === "" && !sent.title.trim()) {
      // A new draft is made by its first save with a title; until then it waits here.
      show(message("needs-title"));
      return;
    }
    var body = new FormData();
    body.append("version", versionInput ? versionInput.value : "1");
    body.append("session", session);
    body.append("title", sent.title);
    body.append("body_markdown", sent.body);
    inFlight = true;
    show(message("saving"));
    post(autosaveUrl, body).then(function (data) {
      if (versionInput) versionInput.value = data.version;
      if (data.created) {
        // The draft exists now: from here on this page edits it.
        var oldKey = key;
        key = keyFor(String(data.post_id));
        if (storage) { try { storage.removeItem(oldKey); } catch (e) { /* ignore */ } }
        autosaveUrl = data.autosave_url;
        form.setAttribute("action", data.edit_url);
        form.setAttribute("data-post-id", String(data.post_id));
        if (window.history && history.replaceState) history.replaceState(null, "", data.edit_url);
      }
      var now = current();
      if (now.title === sent.title && now.body === sent.body) {
        dirty = false;
        forget();
      } else {
        keep();
        firstChange = Date.now();
        schedule(DEBOUNCE);
      }
      show(data.message);
    }).catch(function (error) {
      keep();
      if (error.status === 403 && error.data && error.data.login) {
        stopped = true;
        keptForLogin = Boolean(storage);
        var next = window.location.pathname;
        show(error.message, form.getAttribute("data-login-url") + "?next=" + encodeURIComponent(next));
      } else if (error.status === 409) {
        stopped = true;  // saving by hand shows both versions; nothing is overwritten
        show(error.message);
      } else if (error.status === 400 && error.data && error.data.needs_title) {
        show(error.message);
      } else if (error.status) {
        show(error.message);
        schedule(RETRY);
      } else {
        show(message("offline"));
        schedule(RETRY);
      }
    }).then(function () {
      inFlight = false;
      submitWaiting();
    });
  }

  textarea.addEventListener("input", changed);
  if (titleInput) titleInput.addEventListener("input", changed);

  // Saving by hand while an autosave is on its way waits for it: the form then carries the
  // new version (no conflict with itself) and, for a new post, the draft's own address (no
  // second draft).
  var pendingSubmit = null;
  form.addEventListener("submit", function (event) {
    clearTimeout(timer);
    if (inFlight) {
      event.preventDefault();
      pendingSubmit = { submitter: event.submitter || null };
      return;
    }
    submitting = true;
    stopped = true;  // the form carries everything now; no autosave may cross it
  });
  function submitWaiting() {
    if (!pendingSubmit) return;
    var submitter = pendingSubmit.submitter;
    pendingSubmit = null;
    clearTimeout(timer);
    if (submitter) { form.requestSubmit(submitter); } else { form.requestSubmit(); }
  }
  window.addEventListener("beforeunload", function (event) {
    if (dirty && !submitting && !keptForLogin) {
      event.preventDefault();
      event.returnValue = "";  // the browser shows its own "leave this page?" question
      return "";
    }
    return undefined;
  });
})();
