/* Qingdao Innovation Corridor Atlas: start fetching the map's layer files while Leaflet and its
   plugins are still loading (layers/remote.py). Loaded first, as
   prefetch.js?u=<url>&u=<url>...; only the atlas's own data files are fetched. */
(function () {
  var script = document.currentScript, query = (script && script.src.split("?")[1]) || "";
  var raw = window.__atlasRaw = window.__atlasRaw || {};
  var own = /^\/app\/static\/data\/[a-z0-9_]+-[0-9a-f]{16}\.json$/;
  query.split("&").forEach(function (pair) {
    if (pair.indexOf("u=") !== 0) { return; }
    var url = decodeURIComponent(pair.slice(2));
    if (!own.test(url) || raw[url]) { return; }
    raw[url] = fetch(url).then(function (r) {
      if (!r.ok) { throw new Error("HTTP " + r.status); }
      return r.json();
    });
    raw[url].catch(function () { delete raw[url]; });  // the map asks again and reports it
  });
})();
