// SiteRoll: small progressive enhancements only; every page works without JavaScript.
(function () {
  "use strict";
  // Ask before leaving a console page with a half-filled form.
  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.getAttribute("data-confirm"))) { event.preventDefault(); }
    });
  });
  // Print buttons (the content security policy allows no inline handlers).
  document.querySelectorAll("[data-print]").forEach(function (control) {
    control.addEventListener("click", function (event) {
      event.preventDefault();
      window.print();
    });
  });
})();
