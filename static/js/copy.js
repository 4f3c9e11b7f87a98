// "Copy" buttons in the console: data-copy names the field whose text goes to the clipboard, and
// the element "<that id>-copied" says what happened. Over plain http on the clinic network the
// Clipboard API is missing: the text is then copied the older way, and stays selected for Ctrl+C.
(function () {
  "use strict";

  function copyTheOldWay() {
    try {
      return document.execCommand("copy");
    } catch (error) {
      return false;
    }
  }

  function copy(field) {
    field.focus();
    field.select();
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(field.value).then(function () {
        return true;
      }, copyTheOldWay);
    }
    return Promise.resolve(copyTheOldWay());
  }

  document.querySelectorAll("[data-copy]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      var said = document.getElementById(button.dataset.copy + "-copied");
      copy(document.getElementById(button.dataset.copy)).then(function (copied) {
        said.textContent = copied ? "Copied." : "Selected: press Ctrl+C (or ⌘C) to copy it.";
      });
    });
  });
})();
