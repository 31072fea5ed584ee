// Progressive enhancement for the portal; every page works without it.
(function () {
  "use strict";

  function humanSize(bytes) {
    if (bytes < 1024) { return bytes + " bytes"; }
    if (bytes < 1048576) { return Math.round(bytes / 1024) + " KB"; }
    return (bytes / 1048576).toFixed(1).replace(/\.0$/, "") + " MB";
  }

  // Warn about a too-large file as soon as it is chosen, instead of after the upload.
  function checkFileSize(input) {
    var limit = parseInt(input.getAttribute("data-max-bytes"), 10);
    var file = input.files && input.files[0];
    var message = "";
    if (file && limit && file.size > limit) {
      message = "“" + file.name + "” is " + humanSize(file.size) +
        ", too large: files may be at most " + humanSize(limit) + ".";
    }
    input.setCustomValidity(message);
    var note = input.parentNode.querySelector("[data-file-error]");
    if (!note) {
      note = document.createElement("p");
      note.className = "errorlist";
      note.setAttribute("data-file-error", "");
      note.setAttribute("role", "alert");
      input.parentNode.insertBefore(note, input.nextSibling);
    }
    note.textContent = message;
    note.hidden = !message;
  }

  document.querySelectorAll("input[type=file][data-max-bytes]").forEach(function (input) {
    input.addEventListener("change", function () { checkFileSize(input); });
  });

  // Block a second submission while the first is on its way (double clicks, slow uploads).
  document.querySelectorAll("form").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      var oversized = form.querySelector("input[type=file][data-max-bytes]:invalid");
      if (oversized) {
        event.preventDefault();
        oversized.focus();
        return;
      }
      if (form.getAttribute("data-submitting")) {
        event.preventDefault();
        return;
      }
      form.setAttribute("data-submitting", "1");
      form.querySelectorAll("button[type=submit]").forEach(function (button) {
        window.setTimeout(function () { button.disabled = true; }, 0);
      });
    });
  });

  // Report form: when a service is chosen, show what is already known about it.
  var report = document.querySelector("form[data-report-form]");
  var panel = document.getElementById("known-panel");
  if (!report || !panel || !window.fetch) { return; }
  var select = report.querySelector("select[name=service]");
  var confirm = report.querySelector("input[name=confirm_new]");
  var submit = report.querySelector("button[type=submit]");
  var submitLabel = submit ? submit.textContent : "";
  // The page's language: the template gives the label in a data attribute.
  var anywayLabel = submit ? (submit.getAttribute("data-anyway") || "Report it anyway") : "";

  function showKnown(html) {
    panel.innerHTML = html.trim();
    var known = panel.children.length > 0;
    if (confirm) { confirm.value = known ? "1" : ""; }
    if (submit) { submit.textContent = known ? anywayLabel : submitLabel; }
  }

  // The panel for the chosen service and the title typed so far (knowledge articles the
  // title suggests, and with no service the incidents that sound like it). A slower
  // answer to an older request never replaces a newer one.
  var title = report.querySelector("input[name=title]");
  var asked = 0;
  var typing = null;

  function refreshKnown() {
    var service = select && /^\d+$/.test(select.value) ? select.value : "";
    var words = title ? title.value.trim() : "";
    if (!service && !words) { showKnown(""); return; }
    var url = panel.getAttribute("data-known-url") + "?service=" + encodeURIComponent(service) +
      "&title=" + encodeURIComponent(words.slice(0, 200));
    var ticket = ++asked;
    fetch(url, { credentials: "same-origin", headers: { "Accept": "text/html" } })
      .then(function (response) { return response.ok ? response.text() : ""; })
      .then(function (html) { if (ticket === asked) { showKnown(html); } })
      .catch(function () { if (ticket === asked) { showKnown(""); } });
  }

  if (select) { select.addEventListener("change", refreshKnown); }
  if (title) {
    title.addEventListener("input", function () {
      window.clearTimeout(typing);
      typing = window.setTimeout(refreshKnown, 300);
    });
  }
})();
