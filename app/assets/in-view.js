/* A graph out of view is redrawn when it comes into view, not with every answer.

   Each answer redraws every graph whose figure changed, and a redraw is Plotly's work on the page's one
   thread (the loss chart ~45 ms, in SwiftShader more): below the fold (the loss chart on a laptop) or in
   a closed tab, no one sees it. dcc.Graph draws with Plotly.react; wrapped here, a graph that has been
   drawn before and is now out of view (IntersectionObserver, 300 px ahead of the viewport) keeps only
   its latest figure, and draws that once it comes near the view. Anything else that touches the graph
   (restyle, relayout, resize, an image export, playback reading its traces: inView.flush) draws the
   waiting figure first, so every change lands in the order it was made. The first draw of a graph is
   never put off (dcc.Graph binds its events after it). A resize out of view (every graph of a tab
   that closes) waits the same way, and one that would not change the size is not done. */
(function () {
  var waiting = new Map(); // graph div -> [Plotly, arguments of its latest react]
  var unsized = new Set(); // graph divs whose resize was put off out of view (a closed tab's)
  var near = new WeakMap(); // graph div -> in or near the view, as the observer last said
  var observer = null;

  // A graph div, given as one or by its id (Plotly accepts both).
  function divOf(gd) {
    return typeof gd === "string" ? document.getElementById(gd) : gd;
  }

  function watch(gd) {
    if (!("IntersectionObserver" in window)) return false;
    if (!observer) {
      observer = new IntersectionObserver(function (entries) {
        entries.forEach(function (e) {
          near.set(e.target, e.isIntersecting);
          if (e.isIntersecting) flush(e.target);
        });
      }, {rootMargin: "300px 0px"});
    }
    if (!near.has(gd)) {
      near.set(gd, true); // until the observer says otherwise (it reports every new target at once)
      observer.observe(gd);
    }
    return true;
  }

  function flush(gd) {
    var job = gd && waiting.get(gd);
    var resize = gd && unsized.delete(gd);
    if (job) {
      waiting.delete(gd); // its react sizes it to the view as it is now
      job[0].__react.apply(job[0], job[1]);
    } else if (resize && window.Plotly && window.Plotly.Plots.__resize) {
      window.Plotly.Plots.__resize(gd);
    }
  }

  // Whether the graph's last drawing has its place's size (Plots.resize would draw it all again).
  function fits(gd) {
    var fl = gd._fullLayout;
    return !!fl && fl.autosize !== false && Math.abs(fl.width - gd.clientWidth) < 1 &&
      Math.abs(fl.height - gd.clientHeight) < 1;
  }

  function wrap(P) {
    if (!P || P.__react) return;
    P.__react = P.react;
    P.react = function (gd) {
      var div = divOf(gd);
      if (div && watch(div) && div._fullLayout && near.get(div) === false) {
        waiting.set(div, [P, Array.prototype.slice.call(arguments)]);
        return Promise.resolve(div);
      }
      waiting.delete(div);
      return P.__react.apply(P, arguments);
    };
    ["restyle", "relayout", "update", "addTraces", "deleteTraces", "moveTraces", "extendTraces",
     "prependTraces", "animate", "toImage", "downloadImage", "purge"].forEach(function (name) {
      var f = P[name];
      if (typeof f !== "function") return;
      P[name] = function (gd) {
        flush(divOf(gd));
        return f.apply(P, arguments);
      };
    });
    if (P.Plots && typeof P.Plots.resize === "function") {
      P.Plots.__resize = P.Plots.resize;
      P.Plots.resize = function (gd) {
        var div = divOf(gd);
        if (div && watch(div) && div._fullLayout && near.get(div) === false) { // sized when shown
          unsized.add(div);
          return Promise.resolve(div);
        }
        unsized.delete(div);
        flush(div);
        if (div && fits(div)) return Promise.resolve(div); // drawn at this size already: nothing to do
        return P.Plots.__resize.apply(P.Plots, arguments);
      };
    }
  }

  // dcc.Graph loads plotly.js when the first graph is drawn: wrap it as it arrives.
  if (window.Plotly) {
    wrap(window.Plotly);
  } else {
    var plotly;
    Object.defineProperty(window, "Plotly", {
      configurable: true,
      get: function () { return plotly; },
      set: function (v) { plotly = v; wrap(v); }
    });
  }
  // For code that reads a graph's traces before changing them (assets/playback.js, assets/export.js).
  window.inView = {flush: flush, waiting: function (gd) { return waiting.has(gd); }};
})();
