// A notebook output on the app's page. Voila puts each output of the notebook in the page
// as JSON (a script element); this draws it where that element is, with the class names
// JupyterLab gives outputs (the course's styles and the browser tests rely on them).
const WIDGET_VIEW = 'application/vnd.jupyter.widget-view+json';
const ANSI = /\u001b\[[0-9;]*[A-Za-z]/g; // colour codes in tracebacks

function outputBox(script, mimeType, ...classes) {
  const box = document.createElement('div');
  box.classList.add('jp-OutputArea-output', ...classes);
  box.dataset.mimeType = mimeType;
  script.parentElement.insertBefore(box, script);
  return box;
}

function showText(script, mimeType, text, ...classes) {
  const pre = document.createElement('pre');
  pre.textContent = text.replace(ANSI, '');
  outputBox(script, mimeType, 'jp-RenderedText', ...classes).appendChild(pre);
}

async function showWidget(script, data, manager, Widget) {
  const box = outputBox(script, WIDGET_VIEW);
  try {
    const model = await manager.get_model(data[WIDGET_VIEW].model_id);
    performance.mark('backcourse:state-in');
    const view = await manager.create_view(model);
    Widget.attach(view.luminoWidget, box);
  } catch (error) {
    console.error(error);
    box.remove();
    showText(script, 'application/vnd.jupyter.stderr',
      'This part of the app could not be shown. Reload the page to start the app again.');
  }
}

// Outputs other than widgets: the app's notebook shows none when all is well, but an
// error or a warning must be seen, not lost.
function showData(script, data) {
  if (data['text/html'] !== undefined) {
    // The notebook is the course's own and Voila marks its outputs trusted.
    outputBox(script, 'text/html', 'jp-RenderedHTMLCommon', 'jp-RenderedHTML').innerHTML = data['text/html'];
  } else if (data['image/png'] !== undefined || data['image/jpeg'] !== undefined) {
    const type = data['image/png'] !== undefined ? 'image/png' : 'image/jpeg';
    const img = document.createElement('img');
    img.src = `data:${type};base64,${data[type]}`;
    img.alt = data['text/plain'] || '';
    outputBox(script, type, 'jp-RenderedImage').appendChild(img);
  } else if (data['text/plain'] !== undefined) {
    showText(script, 'text/plain', data['text/plain']);
  }
}

export function showOutput(output, script, manager, Widget) {
  const data = output.data || {};
  if (data[WIDGET_VIEW]) return showWidget(script, data, manager, Widget);
  if (output.output_type === 'error') {
    const text = [`${output.ename}: ${output.evalue}`, ...(output.traceback || [])].join('\n');
    return showText(script, 'application/vnd.jupyter.stderr', text, 'jp-mod-error');
  }
  if (output.output_type === 'stream') {
    return showText(script, `application/vnd.jupyter.${output.name}`, output.text);
  }
  return showData(script, data);
}
