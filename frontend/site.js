/* Learning from case reviews: progressive enhancement only. Every page works
 * without this script; with it, the mobile menu collapses and "Copy link"
 * copies the item's permanent link instead of following it. */
(function () {
  "use strict";

  var body = document.body;
  body.classList.add("js-enabled");
  // GOV.UK Frontend components refuse to start without this class. GOV.UK sets
  // it from an inline script; this site allows no inline scripts.
  if ("noModule" in HTMLScriptElement.prototype) {
    body.classList.add("govuk-frontend-supported");
  }

  var GOVUKFrontend = window.GOVUKFrontend || {};
  function start(selector, Component) {
    if (!Component) {
      return;
    }
    var elements = document.querySelectorAll(selector);
    for (var i = 0; i < elements.length; i++) {
      new Component(elements[i]);
    }
  }
  start('[data-module="govuk-service-navigation"]', GOVUKFrontend.ServiceNavigation);
  start('[data-module="govuk-skip-link"]', GOVUKFrontend.SkipLink);

  // "Copy link": the control is a real link to the permanent address, so it
  // works without JavaScript. Here it copies that address instead, and says so
  // both on screen (next to the link) and to screen readers (live region).
  var announcer = document.getElementById("kb-announcer");

  function confirm(link, message) {
    var tools = link.closest("[data-kb-item-tools]") || link.parentNode;
    var status = tools.querySelector("[data-kb-copy-status]");
    if (status) {
      status.textContent = message;
      status.hidden = false;
    }
    if (announcer) {
      // Clearing first makes a second, identical message be announced again.
      announcer.textContent = "";
      window.setTimeout(function () {
        announcer.textContent = message;
      }, 50);
    }
  }

  if (navigator.clipboard && window.isSecureContext) {
    document.addEventListener("click", function (event) {
      var link = event.target.closest ? event.target.closest("a[data-kb-copy-link]") : null;
      if (!link || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) {
        return;
      }
      event.preventDefault();
      navigator.clipboard.writeText(link.href).then(
        function () {
          confirm(link, "Link copied: " + link.href);
        },
        function () {
          confirm(link, "Your browser did not allow copying. The link is: " + link.href);
        }
      );
    });
  }

  // On a phone, folds such as the review list's filters start closed, so the
  // results come first; the markup has them open for wide screens and for
  // browsers without JavaScript.
  if (window.matchMedia && window.matchMedia("(max-width: 40.0525em)").matches) {
    var folds = document.querySelectorAll("details[data-kb-fold-on-phone]");
    for (var k = 0; k < folds.length; k++) {
      folds[k].open = false;
    }
  }

  // An address pointing inside a fold (a permanent link to a fact about the
  // review, folded away on the review page) opens the fold and every fold
  // around it, then shows the target. Without JavaScript the fold's summary
  // opens it; browsers that reveal a fragment's <details> themselves do no harm.
  function openFoldsAround(hash) {
    if (!hash || hash.length < 2) {
      return;
    }
    var target;
    try {
      target = document.getElementById(decodeURIComponent(hash.slice(1)));
    } catch (error) {
      return;
    }
    var opened = false;
    for (var fold = target && target.parentElement; fold; fold = fold.parentElement) {
      if (fold.tagName === "DETAILS" && !fold.open) {
        fold.open = true;
        opened = true;
      }
    }
    if (opened) {
      target.scrollIntoView();
    }
  }
  openFoldsAround(window.location.hash);
  window.addEventListener("hashchange", function () {
    openFoldsAround(window.location.hash);
  });
  // Printing the page as it is prints the folded paragraphs too.
  window.addEventListener("beforeprint", function () {
    var folds = document.querySelectorAll("details[data-kb-process]");
    for (var m = 0; m < folds.length; m++) {
      folds[m].open = true;
    }
  });

  // Printing: a "Print this page" button only makes sense with JavaScript.
  var printButtons = document.querySelectorAll("[data-kb-print]");
  for (var j = 0; j < printButtons.length; j++) {
    printButtons[j].hidden = false;
    printButtons[j].addEventListener("click", function () {
      window.print();
    });
  }
})();
