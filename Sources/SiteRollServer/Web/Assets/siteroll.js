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
  // Cascading division choice: the first select narrows the second to one city's counties.
  document.querySelectorAll("[data-division-picker]").forEach(function (picker) {
    var parent = picker.querySelector("[data-division-parent]");
    var select = picker.querySelector("[data-division-select]");
    if (!parent || !select) { return; }
    parent.parentNode.hidden = false;
    var groups = Array.prototype.slice.call(select.querySelectorAll("optgroup"));
    function apply(keep) {
      groups.forEach(function (group) {
        var shown = !parent.value || group.getAttribute("data-parent") === parent.value;
        group.hidden = !shown;
        Array.prototype.forEach.call(group.children, function (option) { option.disabled = !shown; });
      });
      var current = select.options[select.selectedIndex];
      if (!keep || !current || current.disabled) {
        var first = parent.value
          ? select.querySelector("optgroup[data-parent='" + parent.value + "'] option") : select.options[0];
        if (first) { select.value = first.value; }
      }
    }
    var chosen = select.options[select.selectedIndex];
    if (chosen && chosen.parentNode.tagName === "OPTGROUP") { parent.value = chosen.parentNode.getAttribute("data-parent"); }
    apply(true);
    parent.addEventListener("change", function () { apply(false); });
  });
  // A refusal's reasons also beside their fields (issue 14 item 4): the summary names each field
  // by the label people read; the form is the one that posted to this address.
  var refusal = document.querySelector(".alert.error[role=alert]");
  if (refusal) {
    var ownText = function (node) {
      return Array.prototype.filter.call(node.childNodes, function (child) { return child.nodeType === 3; })
        .map(function (child) { return child.textContent; }).join("");
    };
    var reasons = ownText(refusal).split(/[；;]/).map(function (s) { return s.trim(); }).filter(Boolean);
    Array.prototype.forEach.call(document.querySelectorAll("form"), function (form) {
      if ((form.getAttribute("method") || "").toLowerCase() !== "post") { return; }
      if (new URL(form.getAttribute("action") || location.href, location.href).pathname !== location.pathname) { return; }
      var labels = Array.prototype.map.call(form.querySelectorAll("label"), function (label) {
        return { label: label, name: ownText(label).replace(/[*＊]/g, "").replace(/（[^）]*）/g, "").trim() };
      }).filter(function (entry) { return entry.name.length >= 2; });
      reasons.forEach(function (reason) {
        var best = null;
        labels.forEach(function (entry) {
          if (reason.indexOf(entry.name) >= 0 && (!best || entry.name.length > best.name.length)) { best = entry; }
        });
        if (!best) { return; }
        var field = best.label.querySelector("input, select, textarea");
        if (field) { field.setAttribute("aria-invalid", "true"); }
        var note = document.createElement("small");
        note.className = "field-error";
        note.textContent = reason;
        best.label.appendChild(note);
      });
    });
  }
})();
