// The backcourse Voila app's page script: connect to the kernel Voila started for this page
// and show the notebook's outputs (the routine builder's widgets) in the page.
//
// Why not Voila's own page script: Voila 0.5 starts a whole JupyterLab front end (95 files,
// 4.9 MB, about a second of the browser's main thread) before it shows one widget. This
// page needs only the kernel connection and the widget manager, so it loads one script.
// The manager is ipywidgets' own (KernelWidgetManager, the class Voila's page uses too);
// the widget modules the app uses are registered below: ipywidgets' base and controls, and
// anywidget (the session player). An Output widget would need more (JupyterLab's output
// area): the app has none, and an unknown module shows as a broken widget, which the
// browser tests look for.
import './anywidget-factory';
import 'anywidget';
import * as base from '@jupyter-widgets/base';
import * as controls from '@jupyter-widgets/controls';
import { KernelWidgetManager } from '@jupyter-widgets/jupyterlab-manager/lib/manager';
import { KernelAPI, ServerConnection } from '@jupyterlab/services';
import { KernelConnection } from '@jupyterlab/services/lib/kernel/default';
import { Widget } from '@lumino/widgets';

import { anywidget } from './anywidget-factory';
import { showOutput } from './outputs';
import { Notice, WORDS } from './notice';
import './style.css';

const ANYWIDGET_VERSION = '0.11.0'; // app_page/package.json pins the same release

function pageConfig() {
  return JSON.parse(document.getElementById('jupyter-config-data').textContent);
}

function registerModules(manager) {
  manager.register({
    name: '@jupyter-widgets/base',
    version: base.JUPYTER_WIDGETS_VERSION,
    exports: base,
  });
  manager.register({
    name: '@jupyter-widgets/controls',
    version: controls.JUPYTER_CONTROLS_VERSION,
    exports: controls,
  });
  // One set of classes for the whole page: anywidget keeps each model's runtime in a map
  // made by the factory, so views must come from the same call as their models.
  manager.register({ name: 'anywidget', version: ANYWIDGET_VERSION, exports: anywidget.factory(base) });
}

// When the server checks who is asking (a token, as in the tests, or a hub's login), it
// accepts a POST only with a form field equal to its _xsrf cookie. Voila's page sets no such
// cookie, so there Voila's own page's shutdown request is refused (403, seen in the tests)
// and each page left behind keeps its kernel. Only pages from this origin can set its
// cookies, so the page makes one when there is none (the double-submit check holds).
function xsrfToken(baseUrl) {
  const found = document.cookie.match('\\b_xsrf=([^;]*)\\b');
  if (found) return found[1];
  const bytes = crypto.getRandomValues(new Uint8Array(16)); // also on plain http
  const token = [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
  document.cookie = `_xsrf=${token}; path=${baseUrl}; SameSite=Strict`;
  return token;
}

// When the learner leaves, Voila's kernel for this page is shut down at once, rather than
// left running until the server stops (Voila culls no idle kernel by default).
function shutDownOnLeave(baseUrl, kernel) {
  const xsrf = xsrfToken(baseUrl);
  window.addEventListener('beforeunload', () => {
    const data = new FormData();
    data.append('_xsrf', xsrf);
    navigator.sendBeacon(`${baseUrl}voila/api/shutdown/${kernel.id}`, data);
    kernel.dispose();
  });
}

// The connection drops when the server stops (or the computer sleeps); the kernel
// connection then tries again by itself, and the notice goes once it is back. (A kernel shut
// down through the API while the server runs closes nothing, so the page cannot see that.)
function watchConnection(kernel, notice) {
  let connected = false;
  kernel.connectionStatusChanged.connect((_, status) => {
    if (status === 'connected') {
      connected = true;
      notice.clear();
    } else if (connected) {
      notice.show(WORDS.lost);
    }
  });
  kernel.statusChanged.connect((_, status) => {
    if (status === 'dead') notice.show(WORDS.lost);
  });
}

async function main() {
  // Marks of a start's phases (script, kernel-found, state-in, shown), for profiling the
  // page: performance.getEntriesByType('mark').
  performance.mark('backcourse:script');
  // The cells are on the page already (Voila ran the notebook before sending it): show
  // them now; each widget appears as soon as its state has arrived.
  window.themeLoaded = true;
  window.display_cells();
  const notice = new Notice(document.getElementById('rendered_cells'));
  const config = pageConfig();
  const serverSettings = ServerConnection.makeSettings({ baseUrl: config.baseUrl });
  let model;
  try {
    model = await KernelAPI.getKernelModel(config.kernelId, serverSettings);
  } catch (error) {
    console.error(error);
  }
  if (!model) {
    notice.show(WORDS.noKernel);
    return;
  }
  performance.mark('backcourse:kernel-found');
  const kernel = new KernelConnection({ model, serverSettings });
  shutDownOnLeave(config.baseUrl, kernel);
  watchConnection(kernel, notice);
  const manager = new KernelWidgetManager(kernel, null);
  registerModules(manager);
  const outputs = document.querySelectorAll('script[type="application/vnd.voila.cell-output+json"]');
  await Promise.all(
    [...outputs].map((script) => showOutput(JSON.parse(script.textContent), script, manager, Widget)),
  );
  performance.mark('backcourse:shown');
}

main();
