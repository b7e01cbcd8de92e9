/* Playback, legend sync, URL and theme: all in the browser, no server round trip per frame.
   While paused, the server places the markers (with the inspector and the arrows, in one answer);
   while playing, they move here. */
window.dccFunctions = window.dccFunctions || {};
window.dccFunctions.pow10 = function (v) { return Number(Math.pow(10, v).toPrecision(3)); };
(function () {
  // The visible words in the page's language: the server writes them on #playback-words (app/runs/layout.py).
  function word(key, english) {
    var el = document.getElementById("playback-words");
    return (el && el.dataset[key]) || english;
  }
  // A number as a text box shows it in the page's language (German: decimal comma; i18n.box_text).
  function boxText(v) {
    if (typeof v !== "number") return v;
    return document.documentElement.lang === "de" ? String(v).replace(".", ",") : v;
  }
  // Give every slider handle an accessible name (dcc.Slider's handle has none of its own).
  function labelSliders() {
    document.querySelectorAll(".dash-slider-container").forEach(function (c) {
      var thumb = c.querySelector("[role=slider]");
      if (!thumb || thumb.getAttribute("aria-label")) return;
      var label = c.id ? document.querySelector('label[for="' + CSS.escape(c.id) + '"]') : null, name;
      if (label) name = label.textContent;
      else if (c.id === "step") name = word("scrubber", "Playback step");
      else if (c.id && c.id.charAt(0) === "{") name = word("lrOf", "Learning rate of {rule} (log10 scale)").replace("{rule}", JSON.parse(c.id).rule);
      else name = c.id || "slider";
      thumb.setAttribute("aria-label", name);
    });
  }
  new MutationObserver(labelSliders).observe(document.documentElement, {childList: true, subtree: true});

  function decode(v) {
    if (!v) return [];
    if (Array.isArray(v) || ArrayBuffer.isView(v)) return v;
    if (v.bdata) {
      var bin = atob(v.bdata), buf = new Uint8Array(bin.length);
      for (var i = 0; i < bin.length; i++) buf[i] = bin.charCodeAt(i);
      if (v.dtype === "f4") return new Float32Array(buf.buffer);
      if (v.dtype === "i4") return new Int32Array(buf.buffer);
      return new Float64Array(buf.buffer);
    }
    return v;
  }
  function graphDiv(id) {
    var el = document.getElementById(id);
    var gd = el ? el.querySelector(".js-plotly-plot") : null;
    if (gd && window.inView) window.inView.flush(gd); // a figure put off out of view (assets/in-view.js) first
    return gd;
  }
  function moveMarkers(id, step) {
    var gd = graphDiv(id);
    if (!gd || !gd.data || !window.Plotly) return;
    var paths = {}, upd = {x: [], y: [], z: []}, idx = [];
    // each rule's traces say what they are (meta.role, app/runs/figures.py): the marker ("now")
    // moves along its rule's line ("line")
    gd.data.forEach(function (t) {
      if (t.meta && t.meta.role === "line" && !paths[t.meta.rule]) paths[t.meta.rule] = t;
    });
    gd.data.forEach(function (t, i) {
      if (!(t.meta && t.meta.role === "now")) return;
      var p = paths[t.meta.rule];
      if (!p || p.visible === false) return;
      var stride = (p.meta && p.meta.stride) || 1;
      var ys = decode(p.y), n = ys.length;
      if (!n) return;
      var j = Math.min(Math.floor(step / stride), n - 1);
      if (p.x0 !== undefined) {           // loss chart: x is the step
        upd.x.push([j * stride]); upd.y.push([ys[j]]); upd.z.push(null);
      } else {
        upd.x.push([decode(p.x)[j]]); upd.y.push([ys[j]]);
        upd.z.push(p.z ? [decode(p.z)[j]] : null);
      }
      idx.push(i);
    });
    if (!idx.length) return;
    var update = {x: upd.x, y: upd.y};
    if (upd.z.some(function (z) { return z !== null; })) update.z = upd.z;
    window.Plotly.restyle(gd, update, idx);
  }
  window.dash_clientside = Object.assign({}, window.dash_clientside, {
    playback: {
      markers: function (step, paused) {
        // paused: the step goes to the server (inspectAt), whose answer moves the markers with the
        // arrows, so each graph is redrawn once; playing: every frame is drawn here.
        if (paused === false) {
          ["graph-3d", "graph-contour", "graph-loss"].forEach(function (id) { moveMarkers(id, step || 0); });
        }
        return word("step", "Step {k}").replace("{k}", step || 0);
      },
      inspectAt: function (step, rule, paused, shown, asked) {
        // The question for the server's inspector, or nothing: not while playing, not before the main
        // view has drawn the scene (its answer brings the inspector), not for what the page shows
        // already (the main view's answer sets the scrubber and the arrows' optimizer itself), and
        // not twice for a question still on its way. seq tells answers to older questions apart.
        var nu = window.dash_clientside.no_update;
        if (paused === false || !shown) return nu;
        var k = step || 0, seq = (asked && asked.seq) || 0;
        var answered = shown.seq === seq;
        if (answered && shown.k === k && shown.rule === rule) return nu;
        if (!answered && asked.k === k && asked.rule === rule) return nu;
        return {k: k, rule: rule, seq: seq + 1};
      },
      scheduleKind: function (kind, kinds) {
        // kinds[kind] = {a, a_default, b, b_default}: its settings' names and defaults (app/layout.py)
        var k = (kinds && kinds[kind]) || {a: "", a_default: 0, b: "", b_default: 0};
        return [k.a, k.b, boxText(k.a_default), !k.a, boxText(k.b_default), !k.b];
      },
      toggle: function (nClicks, disabled) {
        if (!nClicks) return [true, "▶ " + word("play", "Play")];
        var nowDisabled = !disabled;
        return [nowDisabled, nowDisabled ? "▶ " + word("play", "Play") : "⏸ " + word("pause", "Pause")];
      },
      tick: function (nIntervals, stepOne, speed, value, max) {
        var ctx = window.dash_clientside.callback_context;
        var trig = ctx.triggered.length ? ctx.triggered[0].prop_id : "";
        var inc = trig.indexOf("step-one") === 0 ? 1 : (Number(speed) || 1);  // the menu's value is text
        var next = Math.min((value || 0) + inc, max || 0);
        var stop = next >= (max || 0);
        return [next, stop ? true : window.dash_clientside.no_update];
      },
      syncLegend: function (restyle) {
        if (!restyle || !restyle[0] || restyle[0].visible === undefined) return window.dash_clientside.no_update;
        var src = graphDiv("graph-loss");
        if (!src) return window.dash_clientside.no_update;
        var vis = restyle[0].visible, traces = restyle[1];
        traces.forEach(function (ti, k) {
          var v = Array.isArray(vis) ? vis[k] : vis;
          var rule = src.data[ti] && src.data[ti].meta && src.data[ti].meta.rule;
          if (!rule) return;
          ["graph-3d", "graph-contour"].forEach(function (id) {
            var gd = graphDiv(id);
            if (!gd) return;
            var idx = [];
            gd.data.forEach(function (t, i) { if (t.meta && t.meta.rule === rule && t.x && (t.x.length || t.x.bdata)) idx.push(i); });
            if (idx.length) window.Plotly.restyle(gd, {visible: v === true}, idx);
          });
        });
        return window.dash_clientside.no_update;
      },
      url: function (query) {
        if (query && window.history && window.history.replaceState) {
          window.history.replaceState(null, "", window.location.pathname + query);
        }
        // the link's other followers (the language switch, the Present links, the small multiples)
        // listen for this event: no callback of their own per answer
        if (query) window.dispatchEvent(new CustomEvent("scene-query", {detail: query}));
        return window.dash_clientside.no_update;
      },
      theme: function (theme) {
        document.documentElement.setAttribute("data-bs-theme", theme === "dark" ? "dark" : "light");
        return window.dash_clientside.no_update;
      },
      copyLink: function (n) {
        return window.location.href;
      }
    }
  });
})();
