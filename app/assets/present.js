/* Phones and projectors (app/present): the controls drawer, projector mode and its shortcuts. */
(function () {
  window.dash_clientside = window.dash_clientside || {};
  window.dash_clientside.present = {
    // "☰ Controls" (or, in an embed, the floating "☰") opens the drawer, "✕ Close" closes it.
    drawer: function (open, fab, close, cls) {
      var trig = (window.dash_clientside.callback_context.triggered[0] || {}).prop_id || "";
      var base = (cls || "offcanvas-lg offcanvas-start").replace(/\s*\bshow\b/g, "");
      var opens = trig.indexOf("drawer-open") === 0 || trig.indexOf("drawer-fab") === 0;
      return opens ? base + " show" : base;
    },
    // The Present link reloads this scene with present=1; Exit reloads it without. The body gets the
    // "present" class when the link says present=1.
    links: function (flags) {
      document.body.classList.toggle("present", !!(flags && flags.present));
      return presentLinks(window.location.search);
    }
  };
  // [Present's href, Exit's href] for the scene's query ``q``.
  function presentLinks(q) {
    var without = String(q || "?").replace(/([?&])present=1(&|$)/, "$1").replace(/[?&]$/, "") || "?";
    return [without + (without.indexOf("?") >= 0 && without.length > 1 ? "&" : "?") + "present=1", without];
  }
  // Both follow the scene: the main view's answer announces its query ("scene-query", assets/playback.js
  // url), and the links are set here, with no Dash callback of their own per answer.
  window.addEventListener("scene-query", function (e) {
    var hrefs = presentLinks(e.detail);
    ["present-link", "present-exit"].forEach(function (id, i) {
      var a = document.getElementById(id);
      if (a) a.setAttribute("href", hrefs[i]);
    });
  });

  // Projector shortcuts: space play/pause, arrows step, f full screen (not while typing).
  document.addEventListener("keydown", function (e) {
    if (!document.body.classList.contains("present")) return;
    var t = e.target, tag = t && t.tagName;
    if (tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || (t && t.isContentEditable)) return;
    if (t && t.getAttribute && t.getAttribute("role") === "slider") return; // the slider's own arrows
    var play = document.getElementById("play");
    if (e.key === " " || e.code === "Space") {
      if (play) play.click();
      e.preventDefault();
    } else if (e.key === "ArrowRight" || e.key === "ArrowLeft") {
      var thumb = document.querySelector("#step [role=slider]");
      if (thumb) {
        thumb.focus();
        thumb.dispatchEvent(new KeyboardEvent("keydown", {key: e.key, code: e.key, bubbles: true}));
        thumb.blur();
      }
      e.preventDefault();
    } else if (e.key === "f" || e.key === "F") {
      if (document.fullscreenElement) document.exitFullscreen();
      else if (document.documentElement.requestFullscreen) document.documentElement.requestFullscreen();
      e.preventDefault();
    }
  });
})();
