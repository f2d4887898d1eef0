// Give every ipywidgets slider handle in this app an accessible name.
// ipywidgets draws sliders with noUiSlider, whose handle (role="slider") has no name, so a
// screen reader says "slider, 4" without saying what it is (axe: aria-input-field-name).
// noUiSlider can only label handles when it is created, which ipywidgets does not expose,
// so this names them from the slider's visible description, now and whenever they are
// redrawn. Nothing else on the page is touched.

function nameHandles(root) {
  for (const slider of root.querySelectorAll(".widget-slider")) {
    const label = slider.querySelector(".widget-label");
    const words = label ? label.textContent.trim() : "";
    if (!words) continue;
    for (const handle of slider.querySelectorAll('.noUi-handle[role="slider"]')) {
      if (handle.getAttribute("aria-label") !== words) handle.setAttribute("aria-label", words);
    }
  }
}

function render({ el }) {
  el.hidden = true;
  let observer = null;
  let tries = 0;
  const attach = () => {
    // The view is put in the page after render() returns: wait for the app around it.
    const root = el.closest(".bc-app") || (tries > 50 ? document.body : null);
    if (!root) {
      tries += 1;
      timer = setTimeout(attach, 100);
      return;
    }
    nameHandles(root);
    observer = new MutationObserver(() => nameHandles(root));
    observer.observe(root, { childList: true, subtree: true });
  };
  let timer = setTimeout(attach, 0);
  return () => {
    clearTimeout(timer);
    if (observer) observer.disconnect();
  };
}

export default { render };
