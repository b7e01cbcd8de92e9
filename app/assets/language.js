/* The EN | DE switch's links follow the scene as it is now (the "query" store the main view's answer
   writes; the address bar is changed with replaceState, which the page's dcc.Location does not see):
   each link is that query with only lang replaced (app/language/switch.py does the same for the page). */
window.dash_clientside = Object.assign({}, window.dash_clientside, {
  language: {
    links: function (query) {
      var search = typeof query === "string" ? query : window.location.search;
      var outputs = window.dash_clientside.callback_context.outputs_list;
      return outputs.map(function (out) {
        var lang = String(out.id).replace(/^lang-/, "");
        var params = new URLSearchParams(search.replace(/^\?/, ""));
        params.delete("lang");
        params.append("lang", lang);
        return "?" + params.toString().replace(/%2C/g, ",").replace(/%3A/g, ":");
      });
    }
  }
});
