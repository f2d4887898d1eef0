// The camera coach (loaded by the session player only when the learner switches it on).
// Everything runs here, in the browser: the camera picture goes to MediaPipe's pose
// landmarker (WebAssembly, on this device) and only counts and cue numbers leave this file,
// through the callbacks the player gives. No picture is stored or sent anywhere.
// The runtime, wasm and model arrive as bytes from the kernel (the package's own files).

// BlazePose landmark numbers
const P = {
  nose: 0, shoulder_l: 11, shoulder_r: 12, hip_l: 23, hip_r: 24, knee_l: 25, knee_r: 26,
  ankle_l: 27, ankle_r: 28, heel_l: 29, heel_r: 30, toe_l: 31, toe_r: 32,
};
const BONES = [
  [11, 12], [11, 13], [13, 15], [12, 14], [14, 16], [11, 23], [12, 24], [23, 24],
  [23, 25], [25, 27], [24, 26], [26, 28], [27, 29], [29, 31], [27, 31], [28, 30], [30, 32], [28, 32],
];

const mid = (a, b) => ({ x: (a.x + b.x) / 2, y: (a.y + b.y) / 2, v: Math.min(a.visibility ?? 1, b.visibility ?? 1) });
const dist = (a, b, aspect) => Math.hypot((a.x - b.x) * aspect, a.y - b.y);

// One number per frame that goes down and up (or up and down) once per repetition.
const MEASURES = {
  // hip height above the ankles, as a share of the highest seen (standing): 1 standing
  hip_height(lm, state) {
    const hip = mid(lm[P.hip_l], lm[P.hip_r]);
    const ankle = mid(lm[P.ankle_l], lm[P.ankle_r]);
    const h = ankle.y - hip.y;
    if (!(h > 0)) return null;
    // the standing height: the highest seen, forgetting slowly (the learner may step back)
    state.top = Math.max(h, (state.top || h) * 0.999);
    return h / state.top;
  },
  // hips lifted off the floor: the hip's height above the shoulder-ankle line, per trunk length
  hip_lift(lm, state, aspect) {
    const sh = mid(lm[P.shoulder_l], lm[P.shoulder_r]);
    const hip = mid(lm[P.hip_l], lm[P.hip_r]);
    const ankle = mid(lm[P.ankle_l], lm[P.ankle_r]);
    const trunk = dist(sh, hip, aspect);
    if (!(trunk > 0)) return null;
    const u = (hip.x - sh.x) / ((ankle.x - sh.x) || 1e-6);
    const lineY = sh.y + u * (ankle.y - sh.y);
    return (lineY - hip.y) / trunk;
  },
};

// Form checks: true when the fault is seen in this frame (numbers from coach.yaml).
const CHECKS = {
  // front view: knees closer together than the ankles, by more than `ratio`
  knees_in(lm, c) {
    const ankles = Math.abs(lm[P.ankle_l].x - lm[P.ankle_r].x);
    const hips = Math.abs(lm[P.hip_l].x - lm[P.hip_r].x);
    if (hips < c.min_width) return false; // seen from the side: cannot tell
    return Math.abs(lm[P.knee_l].x - lm[P.knee_r].x) < c.ratio * ankles;
  },
  // heels off the floor: the heel risen above the toes, per shin length, by more than
  // `ratio` compared with standing (the lowest seen: feet differ, and so do shoes)
  heels_up(lm, c, aspect, state) {
    const shin = dist(lm[P.knee_l], lm[P.ankle_l], aspect);
    if (!(shin > 0)) return false;
    const lift = (lm[P.toe_l].y - lm[P.heel_l].y + lm[P.toe_r].y - lm[P.heel_r].y) / 2 / shin;
    state.heelBase = Math.min(state.heelBase ?? lift, lift);
    return lift - state.heelBase > c.ratio;
  },
  // hips pushed above the shoulder-knee line (arching): more than `ratio` of the trunk
  hips_high(lm, c, aspect) {
    const sh = mid(lm[P.shoulder_l], lm[P.shoulder_r]);
    const hip = mid(lm[P.hip_l], lm[P.hip_r]);
    const knee = mid(lm[P.knee_l], lm[P.knee_r]);
    const u = (hip.x - sh.x) / ((knee.x - sh.x) || 1e-6);
    const lineY = sh.y + u * (knee.y - sh.y);
    return (lineY - hip.y) / dist(sh, hip, aspect) > c.ratio;
  },
};

// Counts repetitions and times holds for one exercise from a stream of landmarks.
// cfg: {measure, active: "low"|"high", enter, leave, cues: [{check, mistake, ...}]}
export class Counter {
  constructor(cfg, aspect = 4 / 3) {
    this.cfg = cfg;
    this.aspect = aspect;
    this.reset();
  }
  reset() {
    this.state = {};
    this.value = null;
    this.active = false;
    this.reps = 0;
    this.since = null; // when the current active phase began (s)
    this.holds = []; // seconds each active phase lasted
    this.faults = {}; // check -> frames seen in this repetition
    this.cued = []; // mistake index of each cue given
    this.lastT = null;
  }
  // lm: 33 landmarks (normalised), t: seconds. Returns a cue's mistake index, or null.
  update(lm, t) {
    const c = this.cfg;
    this.lastT = t;
    const raw = lm ? MEASURES[c.measure](lm, this.state, this.aspect) : null;
    if (raw === null || raw === undefined || Number.isNaN(raw)) return null;
    this.value = this.value === null ? raw : this.value + c.smooth * (raw - this.value);
    const v = this.value;
    const inside = c.active === "low" ? v < c.enter : v > c.enter;
    const outside = c.active === "low" ? v > c.leave : v < c.leave;
    let cue = null;
    if (!this.active && inside) {
      this.active = true;
      this.since = t;
      this.faults = {};
      this.samples = [];
    } else if (this.active && outside) {
      this.active = false;
      // a "repetition" quicker than min_rep_s is a wobble of the landmarks, not a rep
      if (this.lastRep === undefined || t - this.lastRep >= c.min_rep_s) {
        this.reps += 1;
        this.lastRep = t;
        this.holds.push(this.heldFor());
        // one cue per repetition at most: the fault seen in the most frames of it
        let best = null;
        for (const q of c.cues || []) {
          const n = this.faults[q.check] || 0;
          if (n >= q.frames && (!best || n > (this.faults[best.check] || 0))) best = q;
        }
        if (best) {
          cue = best.mistake;
          this.cued.push(cue);
        }
      }
      this.since = null;
    }
    if (this.active) this.samples.push([t, v]);
    for (const q of c.cues || []) {
      // checked on every frame (some learn the standing position), counted at the end position
      const seen = CHECKS[q.check](lm, q, this.aspect, this.state);
      if (seen && this.active) this.faults[q.check] = (this.faults[q.check] || 0) + 1;
    }
    return cue;
  }
  // How long the end position was held: from the first to the last moment within
  // hold_band of the deepest (or highest) value reached, so the way in and out is not timed.
  heldFor() {
    const xs = this.samples || [];
    if (!xs.length) return 0;
    const low = this.cfg.active === "low";
    const best = xs.reduce((m, [, v]) => (low ? Math.min(m, v) : Math.max(m, v)), low ? Infinity : -Infinity);
    const near = xs.filter(([, v]) => Math.abs(v - best) <= this.cfg.hold_band);
    return near[near.length - 1][0] - near[0][0];
  }
  holdingFor() {
    return this.active ? this.heldFor() : 0;
  }
}

// Load the runtime and model from bytes; returns a PoseLandmarker.
export async function loadLandmarker(files) {
  const url = (name, type) => URL.createObjectURL(new Blob([files[name]], { type }));
  const vision = await import(url("vision_bundle.mjs", "text/javascript"));
  return vision.PoseLandmarker.createFromOptions(
    {
      wasmLoaderPath: url("vision_wasm_internal.js", "text/javascript"),
      wasmBinaryPath: url("vision_wasm_internal.wasm", "application/wasm"),
    },
    {
      baseOptions: { modelAssetBuffer: new Uint8Array(files["pose_landmarker_lite.task"]), delegate: "CPU" },
      runningMode: "VIDEO",
      numPoses: 1,
    },
  );
}

export function drawSkeleton(canvas, lm) {
  const ctx = canvas.getContext("2d");
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  if (!lm) return;
  const W = canvas.width;
  const H = canvas.height;
  ctx.lineWidth = Math.max(2, W / 160);
  ctx.strokeStyle = "#ffd23f";
  ctx.fillStyle = "#005a9c";
  for (const [a, b] of BONES) {
    ctx.beginPath();
    ctx.moveTo(lm[a].x * W, lm[a].y * H);
    ctx.lineTo(lm[b].x * W, lm[b].y * H);
    ctx.stroke();
  }
  for (const k of [0, 11, 12, 13, 14, 15, 16, 23, 24, 25, 26, 27, 28]) {
    ctx.beginPath();
    ctx.arc(lm[k].x * W, lm[k].y * H, ctx.lineWidth * 1.2, 0, 2 * Math.PI);
    ctx.fill();
  }
}

// The running coach: camera -> landmarks -> counter, one frame at a time.
// opts: {files, video, canvas, onFrame({lm, value, reps, holding}), onRep({reps, hold, cue})}
export async function startCoach(opts) {
  const t0 = performance.now();
  const landmarker = await loadLandmarker(opts.files);
  const loadMs = performance.now() - t0;
  const stream = await navigator.mediaDevices.getUserMedia({
    video: { width: { ideal: 640 }, height: { ideal: 480 }, facingMode: "user" },
    audio: false,
  });
  const video = opts.video;
  video.srcObject = stream;
  video.muted = true;
  video.playsInline = true;
  await video.play();
  let counter = null;
  let stopped = false;
  let lastTs = -1;
  const frameMs = [];
  const onVideoFrame = (_now, meta) => {
    if (stopped) return;
    const ts = Math.max(lastTs + 1, performance.now());
    lastTs = ts;
    const f0 = performance.now();
    let lm = null;
    try {
      const r = landmarker.detectForVideo(video, ts);
      lm = r.landmarks && r.landmarks.length ? r.landmarks[0] : null;
    } catch (e) {
      lm = null; // a frame the model could not read: skip it
    }
    frameMs.push(performance.now() - f0);
    if (frameMs.length > 2000) frameMs.shift();
    const t = meta && meta.mediaTime !== undefined ? meta.mediaTime : ts / 1000;
    if (opts.canvas && !opts.canvas.hidden) {
      if (opts.canvas.width !== video.videoWidth) {
        opts.canvas.width = video.videoWidth || 640;
        opts.canvas.height = video.videoHeight || 480;
      }
      drawSkeleton(opts.canvas, lm);
    }
    if (counter && lm) {
      const before = counter.reps;
      const cue = counter.update(lm, t);
      if (counter.reps !== before) opts.onRep({ reps: counter.reps, hold: counter.holds[counter.holds.length - 1], cue });
    }
    opts.onFrame({ seen: !!lm, t, reps: counter ? counter.reps : 0, holding: counter ? counter.holdingFor() : 0 });
    video.requestVideoFrameCallback(onVideoFrame);
  };
  video.requestVideoFrameCallback(onVideoFrame);
  return {
    loadMs,
    frameMs,
    // what to count now: an exercise's settings, or null between exercises
    watch(cfg) {
      counter = cfg ? new Counter(cfg, (video.videoWidth || 4) / (video.videoHeight || 3)) : null;
    },
    stop() {
      stopped = true;
      for (const tr of stream.getTracks()) tr.stop();
      video.srcObject = null;
      landmarker.close();
    },
  };
}
