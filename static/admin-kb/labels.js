/* Names for the admin's Select2 boxes (themes, sources, partnership, tags), and valid lists in them.
   Select2 hides the labelled <select> and shows its own combobox and search
   box, which carry no name of their own: a screen reader announced an empty
   box. Each is given the text of the original field's label, again whenever
   Select2 redraws it (a choice added or removed, a form added to a list). */
(function () {
  "use strict";

  function labelText(select) {
    var label = select.id ? document.querySelector('label[for="' + select.id + '"]') : null;
    return label ? label.textContent.replace(/:\s*$/, "").trim() : "";
  }

  function name(root) {
    root.querySelectorAll("select.select2-hidden-accessible").forEach(function (select) {
      var container = select.nextElementSibling;
      var text = labelText(select);
      if (!text || !container || !container.classList.contains("select2")) return;
      container.querySelectorAll(".select2-selection").forEach(function (box) {
        if (box.getAttribute("aria-label") !== text) {
          box.removeAttribute("aria-labelledby");
          box.setAttribute("aria-label", text);
        }
      });
      container.querySelectorAll('.select2-search__field, .select2-selection__rendered[role="textbox"]').forEach(
        function (field) {
          if (field.getAttribute("aria-label") !== text) field.setAttribute("aria-label", text);
        }
      );
      // Select2 puts its "clear" button inside the list of choices, where only list items belong;
      // it still works just before the list (its click is handled by the whole box).
      container.querySelectorAll("ul.select2-selection__rendered > :not(li)").forEach(function (stray) {
        stray.parentNode.parentNode.insertBefore(stray, stray.parentNode);
      });
    });
  }

  var pending = false;
  function soon() {
    if (pending) return;
    pending = true;
    window.requestAnimationFrame(function () {
      pending = false;
      name(document);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    name(document);
    new MutationObserver(soon).observe(document.body, { childList: true, subtree: true });
  });
})();
