/* The writing desk: Markdown toolbar, live preview and image upload into the body.
 * The preview is rendered by the server (blog.content.render_markdown), the same code that
 * renders the published page, so what the author sees is what readers will see.
 * Without JavaScript the form still works: the toolbar stays hidden and "Afbeelding
 * invoegen" submits the form, which stores the image and appends it to the text. */
(function () {
  "use strict";

  var form = document.getElementById("post-form");
  if (!form) return;
  var textarea = form.querySelector("textarea.markdown-input");
  var preview = document.getElementById("live-preview");
  var previewStatus = document.getElementById("preview-status");
  var toolbar = form.querySelector(".toolbar");
  if (!textarea || textarea.disabled) return;

  /* Messages come from the template (data-msg-*), where they go through gettext. */
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
          throw new Error(data.error || message("error").replace("%s", response.status));
        }
        return data;
      });
    });
  }

  /* --- the toolbar --------------------------------------------------------------------- */
  function replaceSelection(before, after, placeholder, selectPlaceholder) {
    var start = textarea.selectionStart, end = textarea.selectionEnd;
    var value = textarea.value;
    var selected = value.slice(start, end) || placeholder;
    textarea.value = value.slice(0, start) + before + selected + after + value.slice(end);
    var selStart = start + before.length;
    if (selectPlaceholder) {
      textarea.setSelectionRange(selStart, selStart + selected.length);
    } else {
      textarea.setSelectionRange(selStart + selected.length + after.length, selStart + selected.length + after.length);
    }
    textarea.focus();
    textarea.dispatchEvent(new Event("input", { bubbles: true }));
  }

  function prefixLines(prefix, placeholder) {
    // Prefixes every line the selection touches; on an empty line a placeholder is
    // inserted and selected, so typing replaces it.
    var start = textarea.selectionStart, end = textarea.selectionEnd;
    var value = textarea.value;
    var lineStart = value.lastIndexOf("\n", start - 1) + 1;
    var block = value.slice(lineStart, end);
    var empty = !block.trim();
    if (empty) block = placeholder;
    var lines = block.split("\n").map(function (line) { return prefix + line; }).join("\n");
    var head = value.slice(0, lineStart);
    // Markdown wants a blank line before a heading, list or quote.
    var gap = head && !/\n\n$/.test(head) ? "\n" : "";
    textarea.value = head + gap + lines + value.slice(end);
    var at = head.length + gap.length;
    if (empty) {
      textarea.setSelectionRange(at + prefix.length, at + prefix.length + placeholder.length);
    } else {
      textarea.setSelectionRange(at + lines.length, at + lines.length);
    }
    textarea.focus();
    textarea.dispatchEvent(new Event("input", { bubbles: true }));
  }

  var actions = {
    bold: function () { replaceSelection("**", "**", "vette tekst", true); },
    italic: function () { replaceSelection("*", "*", "cursieve tekst", true); },
    heading: function () { prefixLines("## ", "Tussenkop"); },
    list: function () { prefixLines("- ", "punt"); },
    quote: function () { prefixLines("> ", "citaat"); },
    link: function () {
      // No prompt(): the link text is kept and "https://" is selected, ready to type over.
      var start = textarea.selectionStart, end = textarea.selectionEnd;
      var value = textarea.value;
      var text = value.slice(start, end) || "linktekst";
      var snippet = "[" + text + "](https://)";
      textarea.value = value.slice(0, start) + snippet + value.slice(end);
      var urlStart = start + text.length + 3;
      textarea.setSelectionRange(urlStart, urlStart + "https://".length);
      textarea.focus();
      textarea.dispatchEvent(new Event("input", { bubbles: true }));
    }
  };

  if (toolbar) {
    toolbar.hidden = false;
    toolbar.addEventListener("click", function (event) {
      var button = event.target.closest("button[data-md]");
      if (!button) return;
      event.preventDefault();
      var action = actions[button.getAttribute("data-md")];
      if (action) action();
    });
  }

  /* --- the live preview --------------------------------------------------------------- */
  var renderUrl = form.getAttribute("data-render-url");
  var timer = null, sent = 0, shown = 0;

  function showEmpty() {
    preview.textContent = "";
    var p = document.createElement("p");
    p.className = "meta";
    p.textContent = preview.getAttribute("data-empty");
    preview.appendChild(p);
  }

  function refresh() {
    var mine = ++sent;
    var body = new FormData();
    body.append("body", textarea.value);
    post(renderUrl, body).then(function (data) {
      if (mine < shown) return;  // an older answer arriving late
      shown = mine;
      // Sanitised by the server with the same allow-list as the published page.
      if (data.html) { preview.innerHTML = data.html; } else { showEmpty(); }
      previewStatus.textContent = "";
    }).catch(function (error) {
      previewStatus.textContent = error.message;
    });
  }

  if (preview && renderUrl) {
    textarea.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(refresh, 300);
    });
    if (!textarea.value.trim()) { showEmpty(); } else if (!preview.innerHTML.trim()) { refresh(); }
  }

  /* --- images in the body ------------------------------------------------------------- */
  var insertButton = document.getElementById("insert-image");
  var uploadUrl = form.getAttribute("data-upload-url");
  var fileInput = form.querySelector("input[type=file][name=body_image]");
  var altInput = form.querySelector("input[name=body_image_alt]");
  var uploadStatus = document.getElementById("upload-status");

  if (insertButton && fileInput && altInput && uploadUrl) {
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
      post(uploadUrl, body).then(function (data) {
        var start = textarea.selectionStart, value = textarea.value;
        var before = value.slice(0, start), after = value.slice(start);
        var lead = before && !/\n\n$/.test(before) ? (/\n$/.test(before) ? "\n" : "\n\n") : "";
        var trail = after && !/^\n/.test(after) ? "\n\n" : "\n";
        textarea.value = before + lead + data.markdown + trail + after;
        var caret = (before + lead + data.markdown + trail).length;
        textarea.setSelectionRange(caret, caret);
        textarea.dispatchEvent(new Event("input", { bubbles: true }));
        fileInput.value = "";
        altInput.value = "";
        uploadStatus.textContent = message("uploaded");
        textarea.focus();
      }).catch(function (error) {
        uploadStatus.textContent = error.message;
      }).then(function () {
        insertButton.disabled = false;
      });
    });
  }
})();
