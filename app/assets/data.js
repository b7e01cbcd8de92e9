/* The data panel's upload: a file too large for a request is refused here, with its size, before it
   is sent (app/data/callbacks.py parses everything else on the server and names each fault). */
window.dash_clientside = Object.assign({}, window.dash_clientside, {
  data: {
    /* The data settings and panel only while the surface is "Loss from data" (``name``: its value). */
    shown: function (surface, name) {
      var style = surface === name ? {} : {display: "none"};
      return [style, style];
    },
    upload: function (contents, name, limit) {
      if (!contents) return window.dash_clientside.no_update;
      var comma = contents.indexOf(",");
      var b64 = comma >= 0 ? contents.slice(comma + 1) : "";
      var bytes = Math.floor(b64.length * 3 / 4);
      if (bytes > limit) {
        return {name: name || "", too_large: bytes};  // the server says it in the page's language
      }
      return {name: name || "", data: b64};
    }
  }
});
