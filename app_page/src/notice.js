// A message at the top of the app's page when it cannot reach, or has lost, its kernel:
// without one the learner would see answers that nothing answers.
export class Notice {
  constructor(parent) {
    this.box = document.createElement('div');
    this.box.className = 'bc-page-notice';
    this.box.setAttribute('role', 'alert');
    this.box.hidden = true;
    parent.prepend(this.box);
  }

  show(text) {
    this.box.textContent = text;
    this.box.hidden = false;
  }

  clear() {
    this.box.textContent = '';
    this.box.hidden = true;
  }
}

export const WORDS = {
  noKernel: 'This page could not connect to the app. Reload the page to start the app again.',
  lost:
    'The app has lost its connection, so it cannot answer your changes; it is trying ' +
    'again. If this message stays, reload the page to start the app again.',
};
