/* The EN | DE switch's links follow the scene as it is now: each is the scene's query with only lang
   replaced (app/language/switch.py writes the same links for the page). The main view's answer writes
   the query into the address bar and announces it ("scene-query", assets/playback.js url); the links
   are set here, in the page, with no Dash callback of their own per answer. */
(function () {
  function withLang(search, lang) {
    var params = new URLSearchParams(String(search).replace(/^\?/, ""));
    params.delete("lang");
    params.append("lang", lang);
    return "?" + params.toString().replace(/%2C/g, ",").replace(/%3A/g, ":");
  }
  window.addEventListener("scene-query", function (e) {
    document.querySelectorAll("#lang-switch a[id^='lang-']").forEach(function (a) {
      a.setAttribute("href", withLang(e.detail, a.id.replace(/^lang-/, "")));
    });
  });
})();
