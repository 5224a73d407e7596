// Behaviour for the whole portal. No inline scripts anywhere: the CSP forbids them.
(function () {
  "use strict";

  // Elements marked data-autosubmit submit their form on change (filter bars), so that
  // the list updates with htmx; the submit button stays for keyboard and no-JS users.
  document.addEventListener("change", function (event) {
    var target = event.target;
    if (!(target instanceof HTMLElement)) return;
    var form = target.closest("form[data-autosubmit]");
    if (form && typeof form.requestSubmit === "function") {
      form.requestSubmit();
    }
  });

  // A button with data-confirm asks before it submits (merging, stopping a candidate).
  document.addEventListener("submit", function (event) {
    var submitter = event.submitter;
    var message = (submitter && submitter.dataset.confirm) || event.target.dataset.confirm;
    if (message && !window.confirm(message)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);
})();
