// Small progressive enhancements; every page works without them except tag decisions and logout,
// which need the CSRF header that only a script can send.
(function () {
  function csrf() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.content : "";
  }
  function post(url) {
    return fetch(url, {method: "POST", headers: {"X-CSRF-Token": csrf()}, credentials: "same-origin"});
  }
  // A form that came back refused shows its problems at its top: move focus there, so the page
  // opens on them and a screen reader reads them (the GOV.UK error summary pattern).
  var summary = document.querySelector("[data-error-summary]");
  if (summary) { summary.focus(); }
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-decide]");
    if (button) {
      post(button.getAttribute("data-decide")).then(function (r) {
        if (!r.ok) { r.json().then(function (e) { alert(e.message); }); return; }
        var item = button.closest(".suggestion");
        if (!item) { location.reload(); return; }
        // In the review queue the decided item goes away and focus moves to the next one, so a
        // keyboard user can work down the list with Tab and Enter without starting over.
        var next = item.nextElementSibling || item.previousElementSibling;
        var status = document.getElementById("queue-status");
        if (status) { status.textContent = button.getAttribute("data-done") || ""; }
        item.remove();
        var target = next && next.querySelector("button");
        if (target) { target.focus(); } else { location.reload(); }
      });
    }
    if (event.target.closest("[data-logout]")) {
      post("/api/v1/logout").then(function () { location.href = "/"; });
    }
  });
})();
