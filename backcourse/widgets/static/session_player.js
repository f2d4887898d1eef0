// The guided session player's view (anywidget). The clock, the beeps (Web Audio) and the
// spoken cues (speechSynthesis) live here, in the browser, so they keep time whatever the
// kernel is doing. Every word shown or spoken comes from the model's `text` (session.yaml).
// The kernel is told when the learner finishes, stops, swaps or undoes (model.send).

const PREFS = "backcourse.session.";
const WAITS = new Set(["ready", "next", "rest", "switch"]);
const FRAME_MS = 260; // one picture of the movement loop

function fill(template, values) {
  return String(template).replace(/\{(\w+)\}/g, (m, k) => (k in values ? String(values[k]) : m));
}

function make(tag, props = {}, children = []) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (k === "class") node.className = v;
    else if (k === "text") node.textContent = v;
    else if (k.startsWith("aria-") || k.startsWith("data-") || k === "role" || k === "for")
      node.setAttribute(k, v);
    else node[k] = v;
  }
  for (const c of children) node.append(c);
  return node;
}

function pref(name, fallback) {
  try {
    const v = window.localStorage.getItem(PREFS + name);
    return v === null ? fallback : v === "1";
  } catch (e) {
    return fallback; // storage blocked (private window, sandbox): use the default
  }
}

function savePref(name, on) {
  try {
    window.localStorage.setItem(PREFS + name, on ? "1" : "0");
  } catch (e) {
    /* not remembered, still applied */
  }
}

// A 0-10 scale as a row of radio buttons: big touch targets, one tab stop, arrow keys.
function scale(name, legend) {
  const uid = Math.random().toString(36).slice(2, 8);
  const box = make("fieldset", { class: `bc-sp-scale bc-sp-${name}` }, [make("legend", { text: legend })]);
  const row = make("div", { class: "bc-sp-scale-row" });
  for (let n = 0; n <= 10; n++) {
    const id = `bc-sp-${name}-${uid}-${n}`;
    const input = make("input", { type: "radio", name: `${name}-${uid}`, value: String(n), id });
    row.append(make("span", { class: "bc-sp-scale-choice" }, [input, make("label", { for: id, text: String(n) })]));
  }
  box.append(row);
  box.value = () => {
    const on = row.querySelector("input:checked");
    return on ? Number(on.value) : null;
  };
  row.addEventListener("change", () => box.dispatchEvent(new CustomEvent("picked")));
  return box;
}

class Sound {
  constructor() {
    this.ctx = null;
  }
  unlock() {
    // Browsers allow audio only after a gesture: Start is one.
    const Ctx = window.AudioContext || window.webkitAudioContext;
    if (!this.ctx && Ctx) this.ctx = new Ctx();
    if (this.ctx && this.ctx.state === "suspended") this.ctx.resume();
  }
  beep(freq, ms, times = 1) {
    if (!this.ctx) return;
    for (let i = 0; i < times; i++) {
      const t0 = this.ctx.currentTime + i * (ms / 1000 + 0.08);
      const osc = this.ctx.createOscillator();
      const gain = this.ctx.createGain();
      osc.frequency.value = freq;
      gain.gain.setValueAtTime(0.0001, t0);
      gain.gain.exponentialRampToValueAtTime(0.3, t0 + 0.01);
      gain.gain.exponentialRampToValueAtTime(0.0001, t0 + ms / 1000);
      osc.connect(gain).connect(this.ctx.destination);
      osc.start(t0);
      osc.stop(t0 + ms / 1000 + 0.02);
    }
  }
  close() {
    if (this.ctx) this.ctx.close();
  }
}

function say(words) {
  const synth = window.speechSynthesis;
  if (!synth || !window.SpeechSynthesisUtterance) return;
  synth.cancel(); // the newest cue wins: a late word is worse than none
  synth.speak(new SpeechSynthesisUtterance(words));
}

// ------------------------------------------------------------------ the camera coach

// The browser-only site's root (JupyterLite): its page config names it once the page has
// started (baseUrl); before that, the page's own data-jupyter-lite-root ("..", "../..").
function siteRoot() {
  const el = document.getElementById("jupyter-config-data");
  try {
    const base = JSON.parse(el.textContent).baseUrl;
    if (base) return new URL(base, window.location.href);
  } catch (e) {
    /* no page config: fall back on the root attribute */
  }
  const raw = el && el.dataset.jupyterLiteRoot;
  return new URL(raw ? raw.replace(/\/?$/, "/") : "./", window.location.href);
}

const hex = (buf) => [...new Uint8Array(buf)].map((b) => b.toString(16).padStart(2, "0")).join("");

// The coach's files from the browser-only site itself (never another host), each checked
// against the sha256 the course's wheel carries (site: {folder, sha256: {name: sum}}).
async function fromSite(site, W) {
  if (!(window.crypto && window.crypto.subtle)) throw new Error(W.https); // not a secure page
  const base = new URL(site.folder, siteRoot());
  const files = {};
  await Promise.all(
    Object.entries(site.sha256).map(async ([name, sum]) => {
      const url = new URL(name, base);
      let resp = null;
      let status = "";
      if (url.origin !== window.location.origin) status = url.origin;
      else {
        try {
          resp = await fetch(url, { credentials: "same-origin" });
          status = `HTTP ${resp.status}`;
        } catch (e) {
          status = e && e.message ? e.message : String(e);
        }
      }
      if (!resp || !resp.ok) throw new Error(fill(W.site_missing, { file: `${site.folder}${name}`, status }));
      const data = await resp.arrayBuffer();
      if (hex(await window.crypto.subtle.digest("SHA-256", data)) !== sum) {
        throw new Error(fill(W.site_changed, { file: `${site.folder}${name}` }));
      }
      files[name] = data;
    }),
  );
  return files;
}

// The opt-in camera coach: a switch, what it does and that no picture leaves the device,
// and (once on) the learner's own picture with an optional skeleton. Its code (coach.js),
// runtime and model arrive only when it is switched on: as bytes from the kernel, or in
// the browser-only site fetched from the site itself; either way they end in begin(files).
function coachPanel(model, currentStep, speak) {
  const cfg = model.get("coach") || {};
  const W = cfg.words;
  const none = { el: make("div", { hidden: true }), count: make("span"), step() {}, leave() {}, off() {}, receive() {}, summary: () => ({}) };
  if (!W) return none;
  const el = make("fieldset", { class: "bc-sp-coach" });
  el.dataset.coach = "off";
  const on = make("input", { type: "checkbox", class: "bc-sp-coach-on" });
  const explain = make("p", { class: "bc-sp-coach-explain", text: W.explain });
  const https = make("p", { class: "bc-sp-coach-https", text: W.https });
  https.hidden = window.isSecureContext !== false;
  const status = make("p", { class: "bc-sp-coach-status", role: "status" });
  const video = make("video", { class: "bc-sp-coach-video", "aria-label": W.video_label });
  const canvas = make("canvas", { class: "bc-sp-coach-skeleton", "aria-hidden": "true" });
  const view = make("div", { class: "bc-sp-coach-view" }, [video, canvas]);
  view.hidden = true;
  const overlay = make("input", { type: "checkbox", checked: true, class: "bc-sp-coach-overlay" });
  const overlayLabel = make("label", { class: "bc-sp-switch" }, [overlay, " " + W.overlay]);
  overlayLabel.hidden = true;
  overlay.addEventListener("change", () => (canvas.hidden = !overlay.checked));
  el.append(make("legend", {}, [make("label", { class: "bc-sp-switch" }, [on, " " + W.switch])]), explain, https, status, view, overlayLabel);
  const count = make("p", { class: "bc-sp-coach-count", role: "status" });
  count.hidden = true;

  let running = null; // the started coach (coach.js startCoach)
  let watching = null; // the exercise settings being counted
  let parts = {}; // name -> [chunks] while the files arrive
  let holdStep = null; // the hold step being timed: {exercise, best}
  let stepReps = 0;
  const summary = {}; // exercise id -> {reps, holds, kept}
  const entry = (id) => (summary[id] = summary[id] || { reps: 0, holds: 0, kept: 0 });

  function setState(state, words) {
    el.dataset.coach = state;
    status.textContent = words || "";
  }
  function fail(problem) {
    setState("failed", fill(W.failed, { problem }));
    off();
    on.checked = false;
  }
  if (!cfg.ready) {
    // not built into this copy (no npm, or the browser-only site): say so, offer no switch
    on.disabled = true;
    setState("unavailable", W.unavailable);
  }
  let loads = 0; // one number per switching on: a late answer to an earlier one is dropped
  on.addEventListener("change", () => {
    if (!on.checked) return off();
    setState("loading", W.loading);
    parts = {};
    const mine = ++loads;
    if (!cfg.site) return model.send({ event: "coach_files" });
    fromSite(cfg.site, W).then(
      (files) => mine === loads && el.dataset.coach === "loading" && begin(files),
      (e) => mine === loads && fail(e && e.message ? e.message : String(e)),
    );
  });

  async function begin(files) {
    try {
      const url = URL.createObjectURL(new Blob([files["coach.js"]], { type: "text/javascript" }));
      const mod = await import(url);
      running = await mod.startCoach({
        files,
        video,
        canvas,
        onFrame: (f) => {
          el.dataset.seen = f.seen ? "1" : "0";
          el.dataset.videoTime = f.t.toFixed(2);
          if (watching && holdStep) holdStep.best = Math.max(holdStep.best, f.holding);
          // during a hold step, the seconds held so far; otherwise the count stays
          if (watching && holdStep && f.holding > 0) count.textContent = fill(W.held, { seconds: Math.floor(f.holding) });
          el.dataset.holding = f.holding.toFixed(2);
        },
        onRep: (r) => {
          const s = currentStep();
          if (!watching || !s.exercise_id) return;
          entry(s.exercise_id).reps += 1;
          stepReps += 1;
          el.dataset.reps = String(entry(s.exercise_id).reps);
          el.dataset.lastHold = r.hold.toFixed(2);
          count.textContent = fill(W.counted, { reps: entry(s.exercise_id).reps });
          if (r.cue) speak(r.cue);
        },
      });
      if (!on.checked) return off();
      el.dataset.loadMs = String(Math.round(running.loadMs));
      view.hidden = false;
      overlayLabel.hidden = false;
      explain.hidden = true; // read before switching on; the picture needs the room now
      setState("on", W.ready);
      step(currentStep());
    } catch (e) {
      fail(e && e.message ? e.message : String(e));
    }
  }

  function receive(msg, buffers) {
    if (el.dataset.coach !== "loading") return;
    const list = (parts[msg.name] = parts[msg.name] || []);
    list[msg.part] = buffers[0];
    const names = msg.names || [];
    const complete = (n) => parts[n] && parts[n].filter(Boolean).length === msg.counts[n];
    if (names.every(complete)) {
      const files = {};
      for (const n of names) {
        const total = parts[n].reduce((a, b) => a + b.byteLength, 0);
        const out = new Uint8Array(total);
        let at = 0;
        for (const b of parts[n]) {
          out.set(new Uint8Array(b.buffer, b.byteOffset, b.byteLength), at);
          at += b.byteLength;
        }
        files[n] = out.buffer;
      }
      parts = {};
      begin(files);
    }
  }

  // a new step: count the exercise's reps and holds if the coach can see it
  function step(s) {
    if (!running) return;
    const ex = s.exercise_id && (cfg.exercises || {})[s.exercise_id];
    const counting = ex && (s.kind === "rep" || s.kind === "hold") && !s.activity;
    const next = counting ? ex : null;
    if (next !== watching || !counting) {
      watching = next;
      running.watch(next);
      stepReps = 0;
    }
    count.hidden = !s.exercise_id;
    if (s.exercise_id && !ex) count.textContent = W.cannot_see;
    else if (ex && !(summary[s.exercise_id] || {}).reps) count.textContent = "";
    holdStep = counting && s.kind === "hold" ? { exercise: s.exercise_id, best: 0, seconds: s.seconds, slack: ex.hold_slack_s } : null;
  }

  // the end of a step: a timed hold is kept if held nearly as long as asked
  function leave(s) {
    if (!running || !holdStep || s.kind !== "hold") return;
    const e = entry(holdStep.exercise);
    e.holds += 1;
    if (holdStep.best >= holdStep.seconds - holdStep.slack) e.kept += 1;
    holdStep = null;
  }

  function off() {
    loads += 1;
    if (running) running.stop();
    running = null;
    watching = null;
    view.hidden = true;
    overlayLabel.hidden = true;
    explain.hidden = false;
    count.hidden = true;
    if (el.dataset.coach !== "failed") setState("off", "");
  }

  return { el, count, step, leave, off, receive, summary: () => ({ ...summary }) };
}

function render({ model, el }) {
  const text = model.get("text");
  const C = text.controls;
  const sound = new Sound();
  const timers = [];
  let steps = model.get("steps");
  let phase = "before";
  let idx = 0;
  let stepStart = 0; // performance.now() when the current step began (pauses added back)
  let pausedAt = null;
  let runMs = 0; // real time spent running, before the current run
  let runSince = null;
  let painBefore = null;
  let lastSecond = null;
  let frameNo = 0;
  const skipped = new Set();

  // ------------------------------------------------------------------ the page

  const root = make("section", {
    class: "bc-sp",
    role: "region",
    "aria-label": model.get("title") || C.player_label,
    tabIndex: 0,
  });
  root.dataset.phase = phase;
  const live = make("div", { class: "bc-sp-live", "aria-live": "polite", role: "status" });
  const alertBox = make("div", { class: "bc-sp-alert", role: "alert" });
  const title = make("p", { class: "bc-sp-title", text: model.get("title") || C.player_label });
  const name = make("h3", { class: "bc-sp-name" });
  const where = make("p", { class: "bc-sp-where" });
  const img = make("img", { class: "bc-sp-picture", alt: "" });
  const figure = make("figure", { class: "bc-sp-figure" }, [img]);
  const heading = make("p", { class: "bc-sp-heading" });
  const count = make("p", { class: "bc-sp-count", "aria-hidden": "true" });
  const unit = make("p", { class: "bc-sp-unit" });
  const cue = make("p", { class: "bc-sp-cue" });
  const left = make("p", { class: "bc-sp-left" });
  const bar = make("progress", { class: "bc-sp-progress", max: 1, value: 0, "aria-label": C.player_label });
  const clock = make("div", { class: "bc-sp-clock" }, [heading, count, unit, cue]);
  const stage = make("div", { class: "bc-sp-stage" }, [figure, clock]);
  const how = make("details", { class: "bc-sp-how" }, [make("summary", { text: C.how_to })]);
  const howBody = make("div");
  how.append(howBody);

  const button = (label, cls, onClick) => {
    const b = make("button", { type: "button", class: `bc-sp-button ${cls}`, text: label });
    b.addEventListener("click", onClick);
    return b;
  };
  const startBtn = button(C.start, "bc-sp-start", () => start());
  const pauseBtn = button(C.pause, "bc-sp-pause", () => togglePause());
  const backBtn = button(C.back, "bc-sp-back", () => back());
  const skipBtn = button(C.skip, "bc-sp-skip", () => skip());
  const hardBtn = button(C.too_hard, "bc-sp-too-hard", () => tooHard());
  const stopBtn = button(C.stop, "bc-sp-stop", () => stopHurts());
  const controls = make("div", { class: "bc-sp-controls" }, [pauseBtn, backBtn, skipBtn, hardBtn, stopBtn]);

  const toggle = (key, label) => {
    const input = make("input", { type: "checkbox", checked: pref(key, true) });
    input.addEventListener("change", () => savePref(key, input.checked));
    return [input, make("label", { class: "bc-sp-switch" }, [input, " " + label])];
  };
  const [soundOn, soundLabel] = toggle("sound", C.sound);
  const [voiceOn, voiceLabel] = toggle("voice", C.voice);
  const switches = make("div", { class: "bc-sp-switches" }, [soundLabel, voiceLabel]);
  const coach = coachPanel(model, () => stepAt(idx), (words) => {
    cue.textContent = words;
    if (voiceOn.checked) say(words);
  });

  // before / after / stopped / saved panels
  const painNow = scale("pain-before", text.form.pain_before);
  const before = make("div", { class: "bc-sp-panel bc-sp-before" }, [painNow, startBtn]);
  startBtn.disabled = true;
  painNow.addEventListener("picked", () => (startBtn.disabled = painNow.value() === null));

  const painAfter = scale("pain-after", text.form.pain_after);
  const effort = scale("effort", text.form.effort);
  const saveBtn = button(C.record, "bc-sp-save", () => save());
  saveBtn.disabled = true;
  const ready = () => (saveBtn.disabled = painAfter.value() === null || effort.value() === null);
  painAfter.addEventListener("picked", ready);
  effort.addEventListener("picked", ready);
  const after = make("div", { class: "bc-sp-panel bc-sp-after" }, [
    make("p", { text: text.form.finished }),
    painAfter,
    effort,
    saveBtn,
  ]);

  const stopInfo = make("div", { class: "bc-sp-stop-info" });
  stopInfo.innerHTML = model.get("stop_html"); // rendered by Jinja2 with autoescape
  const painStopped = scale("pain-stopped", text.form.pain_stopped);
  const painSaveBtn = button(C.save_pain, "bc-sp-save-pain", () => {
    if (painStopped.value() !== null) model.send({ event: "pain", pain: painStopped.value() });
  });
  const stopped = make("div", { class: "bc-sp-panel bc-sp-stopped" }, [stopInfo, painStopped, painSaveBtn]);

  const savedText = make("p", { class: "bc-sp-saved-text" });
  const undoBtn = button(C.undo, "bc-sp-undo", () => model.send({ event: "undo" }));
  const saved = make("div", { class: "bc-sp-panel bc-sp-saved" }, [savedText, undoBtn]);
  const note = make("p", { class: "bc-sp-note", role: "status" });

  const player = make("div", { class: "bc-sp-player" }, [name, where, stage, left, bar, controls]);
  // the coach right under the clock and controls, so the learner sees the count and themselves
  root.append(title, alertBox, note, before, player, coach.el, how, switches, after, stopped, saved, live);
  clock.append(coach.count);
  el.append(root);

  // ------------------------------------------------------------------ showing a step

  const info = (id) => (model.get("exercises") || {})[id] || null;
  const stepAt = (i) => steps[Math.min(i, steps.length - 1)];
  const shownId = (s) => s.exercise_id || s.upcoming;
  const speed = () => Math.max(model.get("speed") || 1, 1e-6);
  const durMs = (s) => (s.seconds * 1000) / speed();

  function wordsFor(s) {
    const ex = info(shownId(s));
    const exName = ex ? ex.name : "";
    const bits = [];
    if (s.sets > 1) bits.push(fill(text.progress.set, { set: s.set, sets: s.sets }));
    if (s.side) bits.push(fill(text.progress.side, { side: text.sides.names[s.side] }));
    if (s.reps && (s.kind === "rep" || s.kind === "hold")) bits.push(fill(text.progress.rep, { rep: s.rep, reps: s.reps }));
    const kind = s.kind === "hold" && s.activity ? "activity" : s.kind;
    // each part stays on one line; the parts wrap between them on a narrow screen
    let line = bits.map((b) => b.replace(/ /g, "\u00a0")).join(" · ");
    line = line.charAt(0).toUpperCase() + line.slice(1);
    return { exName, ex, line, heading: text.headings[kind], kind };
  }

  // "Cool-down · Exercise 5 of 7": where the step sits in the session
  function placeOf(s) {
    if (s.item === null || s.item === undefined) return [];
    const count = new Set(steps.filter((t) => t.item !== null).map((t) => t.item)).size;
    const phase = (text.phases || {})[s.phase];
    const where = fill(text.progress.exercise, { step: s.item + 1, steps: count });
    return phase ? [phase.charAt(0).toUpperCase() + phase.slice(1), where] : [where];
  }

  function spokenFor(s, w) {
    const sp = text.spoken;
    const v = { exercise: w.exName, seconds: s.seconds, side: s.side ? text.sides.names[s.side] : "" };
    switch (w.kind) {
      case "ready":
        return fill(sp.ready, { ...v, first_step: w.ex ? w.ex.first_step : "" });
      case "next":
        return fill(sp.next, v);
      case "hold":
        return fill(sp.hold, v);
      case "activity":
        return fill(sp.activity, { ...v, minutes: Math.round(s.seconds / 60) });
      case "rest":
        return fill(sp.rest, v);
      case "switch":
        return fill(sp["switch"], v);
      case "done":
        return fill(sp.done, v);
      case "rep":
        return String(s.rep || "");
      default:
        return "";
    }
  }

  function enter(i, announce = true) {
    idx = i;
    lastSecond = null;
    const s = stepAt(i);
    const w = wordsFor(s);
    root.dataset.index = String(i);
    root.dataset.kind = s.kind;
    title.textContent = [model.get("title") || C.player_label, ...placeOf(s)].join(" · ");
    name.textContent = w.exName;
    where.textContent = w.line;
    heading.textContent = w.heading;
    const cues = w.ex ? w.ex.cues : [];
    cue.textContent =
      s.kind === "ready" || s.kind === "next"
        ? (w.ex && w.ex.first_step) || ""
        : cues.length && s.rep
          ? cues[(s.rep - 1) % cues.length]
          : cues[0] || "";
    howBody.innerHTML = w.ex ? w.ex.how : ""; // Jinja2-rendered, autoescaped
    img.alt = w.ex ? fill(C.picture_label, { exercise: w.exName }) : "";
    frameNo = 0;
    if (s.item !== null && s.item !== undefined && (s.kind === "ready" || s.kind === "next")) {
      model.send({ event: "at", item: s.item });
    }
    if (s.kind === "hold" && !s.activity && soundOn.checked) sound.beep(880, 160);
    const spoken = spokenFor(s, w);
    if (announce) {
      live.textContent = [w.heading, w.exName, w.line.replace(/\u00a0/g, " "), s.seconds ? `${s.seconds} ${C.time_left}` : ""]
        .filter(Boolean)
        .join(". ");
      if (voiceOn.checked && spoken) say(spoken);
    }
    drawFrame();
    coach.step(s);
    if (s.kind === "done") finished();
  }

  function leave(s) {
    coach.leave(s);
    // the end of a hold: a double beep and "rest"
    if (s.kind === "hold" && !s.activity) {
      if (soundOn.checked) sound.beep(660, 120, 2);
      if (voiceOn.checked) say(text.spoken.release);
    }
  }

  function drawFrame() {
    const s = stepAt(idx);
    const frames = (model.get("frames") || {})[shownId(s)] || [];
    figure.hidden = frames.length === 0;
    if (!frames.length) return;
    const still = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    const n = frames.length;
    let k;
    if (s.kind === "hold" && !s.activity) k = n - 1; // hold the end position
    else if (s.kind === "rest" || s.kind === "switch" || (still && phase === "running")) k = 0;
    else {
      const cycle = 2 * (n - 1); // there and back again
      const j = frameNo % cycle;
      k = j < n ? j : cycle - j;
    }
    if (img.getAttribute("src") !== frames[k]) img.src = frames[k];
  }

  function remainingMs(now) {
    const at = pausedAt !== null ? pausedAt : now;
    return durMs(stepAt(idx)) - (at - stepStart);
  }

  function show(now) {
    const s = stepAt(idx);
    const rem = Math.max(0, remainingMs(now));
    const secs = Math.ceil((rem * speed()) / 1000 - 1e-9);
    if (s.kind === "rep") {
      count.textContent = s.reps ? `${s.rep}/${s.reps}` : "";
      unit.textContent = "";
    } else {
      count.textContent = s.kind === "done" ? "" : String(secs);
      unit.textContent = s.kind === "done" ? "" : C.time_left;
    }
    root.dataset.remaining = String(secs);
    // "Hold… 3, 2, 1": the last three seconds of a hold, spoken once each
    if (s.kind === "hold" && !s.activity && secs <= 3 && secs >= 1 && secs !== lastSecond && s.seconds >= 5) {
      lastSecond = secs;
      if (voiceOn.checked) say(fill(text.spoken.countdown, { seconds: secs }));
    }
    let leftS = (rem * speed()) / 1000;
    for (let j = idx + 1; j < steps.length; j++) leftS += steps[j].seconds;
    const total = steps.reduce((a, b) => a + b.seconds, 0) || 1;
    bar.value = Math.min(1, Math.max(0, 1 - leftS / total));
    left.textContent = fill(C.total_left, { minutes: Math.ceil(leftS / 60) });
  }

  function tick() {
    if (phase !== "running") return;
    const now = performance.now();
    // Each step ends exactly its length after the last one ended: late ticks never add up.
    while (phase === "running" && idx < steps.length - 1 && remainingMs(now) <= 0) {
      const s = stepAt(idx);
      stepStart += durMs(s);
      leave(s);
      enter(idx + 1);
    }
    if (phase === "running") show(now);
  }

  function setPhase(p) {
    phase = p;
    root.dataset.phase = p;
    before.hidden = p !== "before";
    player.hidden = !(p === "running" || p === "paused");
    how.hidden = player.hidden;
    switches.hidden = !(p === "before" || p === "running" || p === "paused");
    coach.el.hidden = switches.hidden;
    if (p === "after" || p === "stopped") coach.off();
    after.hidden = p !== "after";
    stopped.hidden = p !== "stopped";
    saved.hidden = !(p === "saved" || (p === "stopped" && Object.keys(model.get("record")).length));
    pauseBtn.textContent = p === "paused" ? C.resume : C.pause;
    pauseBtn.setAttribute("aria-pressed", p === "paused" ? "true" : "false");
  }

  function secondsDone() {
    const now = performance.now();
    return Math.round(((runMs + (runSince !== null ? now - runSince : 0)) * speed()) / 1000);
  }

  // ------------------------------------------------------------------ actions

  function start() {
    painBefore = painNow.value();
    if (painBefore === null) return;
    if (soundOn.checked) sound.unlock();
    const now = performance.now();
    stepStart = now;
    runSince = now;
    setPhase("running");
    enter(0);
    show(now);
    root.focus({ preventScroll: true });
  }

  function togglePause() {
    const now = performance.now();
    if (phase === "running") {
      pausedAt = now;
      runMs += now - runSince;
      runSince = null;
      setPhase("paused");
      live.textContent = C.pause;
    } else if (phase === "paused") {
      stepStart += now - pausedAt;
      pausedAt = null;
      runSince = now;
      setPhase("running");
      live.textContent = C.resume;
      show(now);
    }
  }

  function jump(i) {
    const now = performance.now();
    stepStart = now;
    if (pausedAt !== null) pausedAt = now;
    enter(Math.max(0, Math.min(i, steps.length - 1)));
    show(now);
  }

  function skip() {
    if (phase !== "running" && phase !== "paused") return;
    const s = stepAt(idx);
    if (WAITS.has(s.kind)) return jump(idx + 1); // skip the wait, not the exercise
    // In the middle of an exercise: skip the rest of it, and remember it was skipped.
    skipped.add(s.item);
    let j = idx + 1;
    while (j < steps.length - 1 && steps[j].item === s.item && steps[j].kind !== "next") j++;
    jump(j);
  }

  function back() {
    if (phase !== "running" && phase !== "paused") return;
    const s = stepAt(idx);
    const first = steps.findIndex((t) => t.item === s.item);
    const now = performance.now();
    // Back to the start of this exercise; pressed again at its start, to the one before.
    let j = first;
    if ((idx === first && now - stepStart < 2000) || first < 0) {
      const prev = first > 0 ? steps[first - 1].item : null;
      j = prev === null ? 0 : steps.findIndex((t) => t.item === prev);
    }
    skipped.delete(steps[j].item);
    jump(j);
  }

  function tooHard() {
    if (phase === "running" || phase === "paused") model.send({ event: "too_hard", index: idx });
  }

  function stopHurts() {
    if (phase !== "running" && phase !== "paused") return;
    const done = secondsDone();
    if (runSince !== null) runMs += performance.now() - runSince;
    runSince = null;
    if (window.speechSynthesis) window.speechSynthesis.cancel();
    setPhase("stopped");
    live.textContent = stopInfo.textContent;
    coach.leave(stepAt(idx));
    model.send({ event: "stop", pain_before: painBefore, seconds_done: done, skipped: [...skipped], coach: coach.summary() });
  }

  function finished() {
    if (runSince !== null) runMs += performance.now() - runSince;
    runSince = null;
    setPhase("after");
  }

  function save() {
    model.send({
      event: "finish",
      pain_before: painBefore,
      pain_after: painAfter.value(),
      effort: effort.value(),
      seconds_done: Math.round((runMs * speed()) / 1000),
      skipped: [...skipped],
      coach: coach.summary(),
    });
  }

  // ------------------------------------------------------------------ the kernel's answers

  function onRecord() {
    const rec = model.get("record") || {};
    if (rec.text) {
      savedText.textContent = rec.text;
      live.textContent = rec.text;
      if (phase === "after") setPhase("saved");
      else setPhase(phase);
      undoBtn.hidden = false;
    } else if (phase === "saved" || phase === "stopped") {
      savedText.textContent = "";
      undoBtn.hidden = true;
      setPhase(phase === "saved" ? "after" : "stopped");
    }
  }
  function onMessage() {
    note.textContent = model.get("message");
  }
  function onError() {
    alertBox.textContent = model.get("error");
  }
  function onSteps() {
    steps = model.get("steps");
  }
  function onCustom(msg, buffers) {
    if (msg && msg.type === "jump") jump(msg.index);
    else if (msg && msg.type === "coach_file") coach.receive(msg, buffers);
  }
  model.on("change:record", onRecord);
  model.on("change:message", onMessage);
  model.on("change:error", onError);
  model.on("change:steps", onSteps);
  model.on("change:frames", drawFrame);
  model.on("msg:custom", onCustom);

  // ------------------------------------------------------------------ keyboard

  root.addEventListener("keydown", (e) => {
    const t = e.target;
    const ownKeys = t && t.matches && t.matches("button, input, summary, select, textarea, a");
    if (phase !== "running" && phase !== "paused") return;
    if (e.key === " " && !ownKeys) {
      e.preventDefault();
      togglePause();
    } else if (e.key === "ArrowRight" && !(t && t.matches && t.matches("input"))) {
      e.preventDefault();
      skip();
    } else if (e.key === "ArrowLeft" && !(t && t.matches && t.matches("input"))) {
      e.preventDefault();
      back();
    }
  });

  setPhase("before");
  onMessage();
  onError();
  timers.push(setInterval(tick, 50));
  timers.push(
    setInterval(() => {
      frameNo += 1;
      if (phase === "running") drawFrame();
    }, FRAME_MS),
  );

  return () => {
    timers.forEach(clearInterval);
    coach.off();
    sound.close();
    model.off("change:record", onRecord);
    model.off("change:message", onMessage);
    model.off("change:error", onError);
    model.off("change:steps", onSteps);
    model.off("change:frames", drawFrame);
    model.off("msg:custom", onCustom);
  };
}

export default { render };
