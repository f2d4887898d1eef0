performance.mark('backcourse:bundle-start');
// anywidget's npm build is an AMD module: it ends with define([...], factory) and exports
// nothing. This module, imported just before it, catches that factory so the page can
// register anywidget's model and view classes with the widget manager.
export const anywidget = {};

globalThis.define = (dependencies, factory) => {
  anywidget.factory = factory;
};
