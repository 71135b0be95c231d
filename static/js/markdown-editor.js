/* The Markdown editor (blog.widgets.MarkdownEditor): a toolbar and a live preview, on the
 * writing desk and in the admin's post form. The preview is rendered by the server with the
 * published page's code, so what the writer sees is what readers will see. Without this
 * script the textarea works as a plain one (the toolbar stays hidden).
 *
 * window.WelzijnEditor.insertBlock(textarea, text) puts a block (an image) after the
 * paragraph that holds the cursor or the selection, never inside it. */
(function () {
  "use strict";

  function csrfToken(element) {
    var form = element.closest("form");
    var input = form && form.querySelector("input[name=csrfmiddlewaretoken]");
    if (input) return input.value;
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  function changed(textarea) {
    textarea.dispatchEvent(new Event("input", { bubbles: true }));
  }

  function replaceSelection(textarea, before, after, placeholder) {
    var start = textarea.selectionStart, end = textarea.selectionEnd;
    var value = textarea.value;
    var selected = value.slice(start, end) || placeholder;
    textarea.value = value.slice(0, start) + before + selected + after + value.slice(end);
    var selStart = start + before.length;
    textarea.setSelectionRange(selStart, selStart + selected.length);
    textarea.focus();
    changed(textarea);
  }

  function prefixLines(textarea, prefix, placeholder) {
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
    changed(textarea);
  }

  function link(textarea) {
    // No prompt(): the link text is kept and "https://" is selected, ready to type over.
    var start = textarea.selectionStart, end = textarea.selectionEnd;
    var value = textarea.value;
    var text = value.slice(start, end) || "linktekst";
    var snippet = "[" + text + "](https://)";
    textarea.value = value.slice(0, start) + snippet + value.slice(end);
    var urlStart = start + text.length + 3;
    textarea.setSelectionRange(urlStart, urlStart + "https://".length);
    textarea.focus();
    changed(textarea);
  }

  var ACTIONS = {
    bold: function (t) { replaceSelection(t, "**", "**", "vette tekst"); },
    italic: function (t) { replaceSelection(t, "*", "*", "cursieve tekst"); },
    heading: function (t) { prefixLines(t, "## ", "Tussenkop"); },
    list: function (t) { prefixLines(t, "- ", "punt"); },
    quote: function (t) { prefixLines(t, "> ", "citaat"); },
    link: link
  };

  function insertBlock(textarea, text) {
    // After the paragraph (up to the next blank line) that holds the end of the selection:
    // a selected word or a cursor mid-sentence is never split by the block.
    var value = textarea.value;
    var at = textarea.selectionEnd;
    if (value.slice(0, at).trim() && !/\n\s*\n$/.test(value.slice(0, at))) {
      var blank = value.slice(at).search(/\n[ \t]*\n/);
      at = blank === -1 ? value.length : at + blank;
    }
    var before = value.slice(0, at).replace(/\s+$/, "");
    var after = value.slice(at).replace(/^\s+/, "");
    var lead = before ? "\n\n" : "";
    var trail = after ? "\n\n" : "\n";
    textarea.value = before + lead + text + trail + after;
    var caret = (before + lead + text + trail).length;
    textarea.setSelectionRange(caret, caret);
    textarea.focus();
    changed(textarea);
  }

  function setUp(editor) {
    var textarea = editor.querySelector("textarea");
    var toolbar = editor.querySelector(".md-toolbar");
    var preview = editor.querySelector(".md-preview-body");
    var status = editor.querySelector(".md-preview-status");
    var renderUrl = editor.getAttribute("data-render-url");
    if (!textarea || textarea.disabled || textarea.readOnly) return;

    if (toolbar) {
      toolbar.hidden = false;
      toolbar.addEventListener("click", function (event) {
        var button = event.target.closest("button[data-md]");
        if (!button) return;
        event.preventDefault();
        var action = ACTIONS[button.getAttribute("data-md")];
        if (action) action(textarea);
      });
    }
    if (!preview || !renderUrl) return;

    var timer = null, sent = 0, shown = 0;
    function showEmpty() {
      preview.textContent = "";
      var p = document.createElement("p");
      p.className = "md-preview-empty";
      p.textContent = editor.getAttribute("data-msg-empty");
      preview.appendChild(p);
    }
    function refresh() {
      var mine = ++sent;
      var body = new FormData();
      body.append("body", textarea.value);
      fetch(renderUrl, {
        method: "POST", body: body, credentials: "same-origin",
        headers: { "X-CSRFToken": csrfToken(editor), "X-Requested-With": "fetch" }
      }).then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (data) {
          if (!response.ok) {
            throw new Error(data.error || editor.getAttribute("data-msg-error").replace("%s", response.status));
          }
          return data;
        });
      }).then(function (data) {
        if (mine < shown) return;  // an older answer arriving late
        shown = mine;
        // Sanitised by the server with the same allow-list as the published page.
        if (data.html) { preview.innerHTML = data.html; } else { showEmpty(); }
        status.textContent = "";
      }).catch(function (error) {
        status.textContent = error.message;
      });
    }
    textarea.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(refresh, 300);
    });
    if (!textarea.value.trim()) { showEmpty(); } else if (!preview.innerHTML.trim()) { refresh(); }
  }

  window.WelzijnEditor = { insertBlock: insertBlock };

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll(".md-editor"), setUp);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
