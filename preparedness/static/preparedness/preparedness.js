// Conveniences of the incident pages; each form also works without this script.
(function () {
  "use strict";
  // A message template chosen in the select fills the update's text at once (without
  // JavaScript, "Use template" reloads the page with the text filled in).
  var select = document.querySelector("[data-prep-message-select]");
  var box = document.querySelector("[data-prep-message-body]");
  if (select && box) {
    select.addEventListener("change", function () {
      var sources = document.querySelectorAll("template[data-prep-message]");
      for (var i = 0; i < sources.length; i++) {
        if (sources[i].getAttribute("data-prep-message") === select.value) {
          box.value = sources[i].content.textContent;
          box.focus();
        }
      }
    });
  }
  // An incident template chosen on the add page reloads it prefilled.
  var picker = document.querySelector("[data-prep-template-picker]");
  if (picker) {
    picker.addEventListener("change", function () {
      picker.form.submit();
    });
  }
})();
