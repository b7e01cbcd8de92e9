/* Figure export with Plotly's own downloadImage (no server round trip). */
window.dash_clientside = Object.assign({}, window.dash_clientside, {
  export: {
    image: function () {
      var trig = window.dash_clientside.callback_context.triggered;
      var id = trig.length ? trig[0].prop_id.split(".")[0] : "";
      var targets = {
        "export-contour-svg": ["graph-contour", "svg", "contour-map"],
        "export-loss-svg": ["graph-loss", "svg", "loss-chart"],
        "export-3d-png": ["graph-3d", "png", "surface-3d"]
      };
      var t = targets[id];
      var el = t && document.getElementById(t[0]);
      var gd = el && el.querySelector(".js-plotly-plot");
      if (gd && window.Plotly) {
        window.Plotly.downloadImage(gd, {format: t[1], filename: "gradient-descent-" + t[2], scale: 2});
      }
      return window.dash_clientside.no_update;
    }
  }
});
