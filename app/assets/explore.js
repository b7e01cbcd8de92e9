/* The small multiples (app/explore, "Compare surfaces") follow the main view's link while their tab is
   open: opening the tab hands them the link (compareQuery); while it is open, each link the main view's
   answer announces ("scene-query", assets/playback.js url) is handed on with set_props, which runs
   their callback. With the tab closed nothing happens: no callback of their own per answer. */
(function () {
  var tab = null;  // the open view tab, as compareQuery last saw it
  window.dash_clientside = Object.assign({}, window.dash_clientside, {
    explore: {
      compareQuery: function (active, query) {
        tab = active;
        return active === "compare" ? (query || window.location.search) : window.dash_clientside.no_update;
      }
    }
  });
  window.addEventListener("scene-query", function (e) {
    if (tab === "compare") window.dash_clientside.set_props("compare-query", {data: e.detail});
  });
})();
