/* A live preview under each admin text box that takes Markdown (reviews/admin/markdown_preview.py).

   Progressive enhancement: without this script the form works as before. A box
   marked data-kb-markdown="<address>" gets a "Preview" area the first time the
   editor goes into it; a moment after they stop typing, the text is posted
   (with the form's CSRF token) to that address, which answers the HTML the site
   would show, rendered and sanitised on the server (reviews/markdown.py). That
   HTML is the only thing inserted; nothing is rendered here. Boxes added to an
   inline list later work the same way (the listeners are on the document). */
(function () {
  "use strict";

  var WAIT_MS = 400;
  var SELECTOR = "textarea[data-kb-markdown]";
  var counter = 0;

  function csrfToken(box) {
    var form = box.form || document;
    var input = form.querySelector('input[name="csrfmiddlewaretoken"]') ||
      document.querySelector('input[name="csrfmiddlewaretoken"]');
    return input ? input.value : "";
  }

  function labelText(box) {
    var label = box.id ? document.querySelector('label[for="' + box.id + '"]') : null;
    return label ? label.textContent.replace(/:\s*$/, "").trim() : "this box";
  }

  function previewOf(box) {
    if (box._kbPreview) return box._kbPreview;
    counter += 1;
    var area = document.createElement("div");
    area.className = "kb-preview";
    area.id = (box.id || "kb-markdown-" + counter) + "-preview";
    area.setAttribute("role", "region");
    area.setAttribute("aria-label", "Preview of " + labelText(box));
    var heading = document.createElement("p");
    heading.className = "kb-preview-heading";
    heading.textContent = "Preview: as the site will show it";
    var body = document.createElement("div");
    body.className = "kb-preview-body";
    area.appendChild(heading);
    area.appendChild(body);
    // Below the box and its help (Django's admin puts the help after the box's line).
    var line = box.closest(".flex-container") || box;
    var after = line.nextElementSibling && line.nextElementSibling.classList.contains("help")
      ? line.nextElementSibling : line;
    after.insertAdjacentElement("afterend", area);
    box._kbPreview = {area: area, body: body, timer: null, sent: 0, shown: null};
    return box._kbPreview;
  }

  function say(preview, text, className) {
    preview.body.textContent = "";
    var p = document.createElement("p");
    p.className = className || "kb-preview-empty";
    p.textContent = text;
    preview.body.appendChild(p);
  }

  function render(box) {
    var preview = previewOf(box);
    var text = box.value;
    if (text === preview.shown) return;
    if (!text.trim()) {
      preview.shown = text;
      say(preview, "Nothing to preview yet: type in the box above.");
      return;
    }
    preview.sent += 1;
    var ticket = preview.sent;
    var data = new URLSearchParams();
    data.append("text", text);
    fetch(box.getAttribute("data-kb-markdown"), {
      method: "POST",
      credentials: "same-origin",
      headers: {"X-CSRFToken": csrfToken(box), "X-Requested-With": "XMLHttpRequest"},
      body: data
    }).then(function (response) {
      return response.json().then(function (json) {
        if (!response.ok) throw new Error(json.error || "the server answered " + response.status);
        return json;
      });
    }).then(function (json) {
      if (ticket !== preview.sent) return; // a later text is on its way
      preview.shown = text;
      preview.area.classList.remove("kb-preview--failed");
      // Sanitised on the server by reviews/markdown.py: the same HTML the site shows.
      preview.body.innerHTML = json.html;
    }).catch(function (error) {
      if (ticket !== preview.sent) return;
      preview.shown = null;
      preview.area.classList.add("kb-preview--failed");
      say(preview, "The preview could not be shown (" + error.message + "). What you type is kept: save as usual.",
        "kb-preview-error");
    });
  }

  function wanted(target) {
    return target && target.matches && target.matches(SELECTOR) && !target.disabled && !target.readOnly;
  }

  document.addEventListener("focusin", function (event) {
    if (wanted(event.target)) render(event.target);
  });

  document.addEventListener("input", function (event) {
    var box = event.target;
    if (!wanted(box)) return;
    var preview = previewOf(box);
    clearTimeout(preview.timer);
    preview.timer = setTimeout(function () { render(box); }, WAIT_MS);
  });
})();
