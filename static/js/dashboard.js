// Coordinator dashboard. No inline scripts anywhere: the CSP forbids them.
(function () {
  "use strict";

  // The status form asks for a reason only when the new status is "stopped". Without
  // JavaScript the reason field simply stays visible, with its help text.
  function updateStatusForm(form) {
    var status = form.querySelector("select[name=status]");
    var reasonField = form.querySelector("#div_id_reason");
    if (!status || !reasonField) return;
    var stopping = status.value === "stopped";
    reasonField.hidden = !stopping;
    var reason = reasonField.querySelector("select");
    if (reason) reason.required = stopping;
  }

  document.addEventListener("change", function (event) {
    var form = event.target instanceof HTMLElement && event.target.closest("form[data-status-form]");
    if (form) updateStatusForm(form);
  });

  // A filter form marked data-drop-empty sends only the filters that are set (htmx), so the
  // address pushed to the history stays short and readable.
  document.addEventListener("htmx:configRequest", function (event) {
    var source = event.detail.elt;
    if (!(source instanceof HTMLFormElement) || !source.hasAttribute("data-drop-empty")) return;
    var parameters = event.detail.parameters;
    Object.keys(parameters).forEach(function (name) {
      if (parameters[name] === "") delete parameters[name];
    });
  });

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-status-form]").forEach(updateStatusForm);
  });
})();
