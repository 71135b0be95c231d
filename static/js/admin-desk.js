// The editor's desk: a "copy link" button next to the preview link (the field works without it).
document.addEventListener("DOMContentLoaded", () => {
  for (const button of document.querySelectorAll("[data-copy-target]")) {
    const field = document.getElementById(button.dataset.copyTarget);
    if (!field || !navigator.clipboard) continue;
    button.hidden = false;
    const label = button.textContent;
    button.addEventListener("click", () => {
      navigator.clipboard.writeText(field.value).then(
        () => { button.textContent = button.dataset.copiedLabel; setTimeout(() => { button.textContent = label; }, 2000); },
        () => { field.select(); },
      );
    });
  }
});

// After a failed save the focus starts at the admin's error note ("Corrigeer de fout…"), so
// keyboard and screen-reader users learn at once that the form came back.
document.addEventListener("DOMContentLoaded", () => {
  const note = document.querySelector("#content .errornote");
  if (!note) return;
  note.setAttribute("tabindex", "-1");
  note.setAttribute("role", "alert");
  note.focus();
});
