// Comments: "Reageer" moves the form under the comment and sets its parent. Without this
// script the same link reloads the page with ?antwoord=<id>#reageer, which does the same.
(function () {
  "use strict";
  var form = document.getElementById("reactieformulier");
  var home = document.getElementById("reageer");
  if (!form || !home) return;
  var parentInput = form.querySelector("input[name='parent']");
  var note = form.querySelector(".replying-to");
  var noteName = form.querySelector(".replying-to-name");
  var body = form.querySelector("textarea[name='body']");

  function replyTo(link) {
    var comment = document.getElementById("reactie-" + link.getAttribute("data-parent"));
    if (!comment) return;
    comment.insertAdjacentElement("afterend", form);
    parentInput.value = link.getAttribute("data-parent");
    noteName.textContent = link.getAttribute("data-name");
    note.hidden = false;
    body.focus();
  }

  function newComment() {
    home.appendChild(form);
    parentInput.value = "";
    noteName.textContent = "";
    note.hidden = true;
    body.focus();
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest("a.comment-reply");
    if (link) {
      event.preventDefault();
      replyTo(link);
      return;
    }
    if (event.target.closest("a.cancel-reply")) {
      event.preventDefault();
      newComment();
    }
  });
})();
