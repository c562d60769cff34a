/*
 * The residency's JupyterLab plug-ins, as a federated extension written by hand.
 *
 * JupyterLab loads this file, calls init() with the share scope that holds its own
 * packages, then get("./extension") for the plug-ins. The plug-ins use only
 * JupyterLab's own packages, taken from that scope, so there is nothing to bundle
 * and no build step.
 *
 * Both replace stock plug-ins that made every "Open in JupyterLab" wait:
 *
 * window-resolver: the stock resolver waits a random 200 to 500 ms before it names
 * the window, to notice a second window on the same workspace. This one names
 * the window after its workspace at once.
 *
 * state: the stock state keeps the layout in a workspace on the server. Restoring
 * it made the notebook asked for wait for a debounced save of the workspace
 * (half a second and more), then reopened every notebook left open in earlier
 * lessons, each with a kernel. Here the layout lives as long as the page: each
 * "Open in JupyterLab" shows the lesson's notebook and the file browser at its
 * folder. Files are saved as always; only the arrangement of tabs is not kept.
 */
var _JUPYTERLAB;
(function () {
  "use strict";

  var NAME = "@residency-lms/lab";
  var shareScope = null;

  function shared(packageName) {
    var versions = shareScope && shareScope[packageName];
    if (!versions) {
      return Promise.reject(new Error(NAME + ": JupyterLab does not share " + packageName));
    }
    // JupyterLab's core packages are singletons: there is one version in the scope.
    var version = Object.keys(versions)[0];
    return Promise.resolve(versions[version].get()).then(function (factory) {
      return factory();
    });
  }

  function plugins(apputils, coreutils, statedb) {
    var windowResolver = {
      id: NAME + ":window-resolver",
      description: "Names the window after its workspace without waiting.",
      autoStart: true,
      provides: apputils.IWindowResolver,
      activate: function () {
        var name =
          coreutils.PageConfig.getOption("workspace") || coreutils.PageConfig.defaultWorkspace;
        return { name: name };
      },
    };
    var state = {
      id: NAME + ":state",
      description: "Keeps the layout for as long as the page is open.",
      autoStart: true,
      provides: statedb.IStateDB,
      activate: function () {
        return new statedb.StateDB();
      },
    };
    return [windowResolver, state];
  }

  _JUPYTERLAB = typeof _JUPYTERLAB === "undefined" ? {} : _JUPYTERLAB;
  _JUPYTERLAB[NAME] = {
    init: function (scope) {
      shareScope = scope;
    },
    get: function (request) {
      if (request !== "./extension") {
        return Promise.reject(new Error(NAME + " has no module " + request));
      }
      var needed = ["@jupyterlab/apputils", "@jupyterlab/coreutils", "@jupyterlab/statedb"];
      return Promise.all(needed.map(shared)).then(function (modules) {
        var extension = { __esModule: true, default: plugins.apply(null, modules) };
        return function () {
          return extension;
        };
      });
    },
  };
})();
