/* Printable pages: show the "Print or save as PDF" button, which opens the
 * browser's print dialogue. Without JavaScript the hint beside it says how. */
(function () {
  "use strict";
  var buttons = document.querySelectorAll("[data-kb-print]");
  for (var i = 0; i < buttons.length; i++) {
    buttons[i].hidden = false;
    buttons[i].addEventListener("click", function () {
      window.print();
    });
  }
})();
