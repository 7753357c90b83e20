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
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-decide]");
    if (button) {
      post(button.getAttribute("data-decide")).then(function (r) {
        if (r.ok) { location.reload(); } else { r.json().then(function (e) { alert(e.message); }); }
      });
    }
    if (event.target.closest("[data-logout]")) {
      post("/api/v1/logout").then(function () { location.href = "/"; });
    }
  });
})();
