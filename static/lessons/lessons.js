// ScaleLab lessons: the page half (the Rust half is src/lessons_ui.rs, which
// explains the split: the wasm has no room for these pages).
//
// Fetches lessons.json, the start scenarios and the en/ko text from this
// folder at run time; draws the lesson list (from the header's "Lessons"
// button), the lesson panel and the live goal lines; keeps the ids of passed
// lessons in localStorage ("scalelab.lessons.passed"); follows ?lesson=N,
// ?embed=1 and the app's language (<html lang>).
//
// Talks to the app through #lesson-bridge (data-goal, data-load, click) and
// reads #lesson-status (data-goal "passed complete started", data-conds
// "state:measured;…"). Instructors and tests can drive it with
// window.scalelabLessons.open(n) / .applySolution().
(() => {
  'use strict';
  const DIR = 'lessons/';
  const KEY = 'scalelab.lessons.passed';
  const params = new URLSearchParams(location.search);
  const embed = !!params.get('embed') && params.get('embed') !== '0';
  let data = null; // { lessons, en, ko }
  let current = -1;
  let choice = 0;
  let revealed = false;
  let listOpen = false;
  let passed = [];
  try { passed = JSON.parse(localStorage.getItem(KEY) || '[]'); } catch (_) { passed = []; }

  const get = async (path) => {
    const r = await fetch(DIR + path);
    if (!r.ok) throw new Error(`${DIR}${path}: HTTP ${r.status}`);
    return r.text();
  };
  const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  const lang = () => (document.documentElement.lang === 'ko' ? 'ko' : 'en');
  const t = (id, key) => {
    const v = data && ((data[lang()][id] || {})[key] ?? (data.en[id] || {})[key]);
    return esc(v ?? key.replace(/^ui\./, ''));
  };
  const ui = (key) => t('_common', key);
  const $ = (id) => document.getElementById(id);

  // --- progress lines (scalelab_lessons::progress, in the page's words) ---
  const RATIO = ['availability', 'utilization', 'max_instance_utilization', 'hit_ratio'];
  const MS = ['latency_ms_p50', 'latency_ms_p95', 'latency_ms_p99', 'job_latency_ms_p99'];
  const RPS = ['throughput_rps', 'arrivals_rps'];
  const group = (v) => Math.round(v).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const fmt = (metric, v) => {
    if (RATIO.includes(metric)) {
      const p = v * 100;
      return (p >= 99 && p < 100 ? p.toFixed(2) : p.toFixed(1)) + '%';
    }
    if (MS.includes(metric)) return `${group(v)} ms`;
    if (RPS.includes(metric)) return `${group(v)} rps`;
    return group(v);
  };
  const SYM = { '>=': '≥', '<=': '≤', '>': '>', '<': '<' };
  const line = (c, measured) => {
    const m = ui(`metric.${c.metric}`);
    const name = c.component ? `${esc(c.component)} ${m}` : c.cause ? `${m} (${esc(c.cause)})` : m;
    const now = Number.isFinite(measured) ? fmt(c.metric, measured) : '–';
    return `${name} ${now} / ${ui('goal')} ${SYM[c.op]} ${fmt(c.metric, c.value)}`;
  };
  const encodeGoal = (g) => g.all
    .map((c) => [c.metric, c.op, c.value, c.over.from_s, c.over.to_s, c.agg || '-', c.component || '-', c.cause || '-'].join(' '))
    .join(';');

  const status = () => {
    const s = $('lesson-status');
    const [passedNow, complete, started] = (s?.dataset.goal || '0 0 0').split(' ').map((x) => x === '1');
    const conds = (s?.dataset.conds || '').split(';').filter(Boolean).map((x) => {
      const [state, m] = x.split(':');
      return { state, measured: Number(m) };
    });
    return { passed: passedNow, complete, started, conds };
  };

  // --- the app bridge ---
  const bridge = (goal, load) => {
    const b = $('lesson-bridge');
    if (!b) return false;
    b.dataset.goal = goal;
    if (load !== undefined) b.dataset.load = load;
    b.click();
    return true;
  };

  async function open(i) {
    if (!data || !data.lessons[i]) return;
    const l = data.lessons[i];
    const text = await get(`scenarios/${l.scenario}`);
    current = i;
    choice = 0;
    revealed = false;
    listOpen = false;
    bridge(encodeGoal(l.goal), text);
    renderList();
    renderPanel();
  }

  async function applySolution() {
    const l = data?.lessons[current];
    if (!l) return;
    bridge(encodeGoal(l.goal), await get(`solutions/${l.scenario}`));
    solutionsApplied++;
  }
  let solutionsApplied = 0;

  function close() {
    current = -1;
    bridge('');
    renderPanel();
  }

  // --- rendering ---
  function renderList() {
    let el = $('lessons-dialog-overlay');
    if (!listOpen) { el?.remove(); return; }
    if (!el) {
      el = document.createElement('div');
      el.id = 'lessons-dialog-overlay';
      el.className = 'overlay lessons-overlay';
      el.dataset.lact = 'close-list';
      document.body.appendChild(el);
    }
    const items = data
      ? data.lessons.map((l, i) => {
        const done = passed.includes(l.id);
        return `<li class="lesson-item${i === current ? ' current' : ''}" data-lesson="${i + 1}" data-passed="${done}">`
          + `<button class="lesson-link" data-lact="open" data-arg="${i}"><span class="lesson-num">${i + 1}</span>`
          + `<span class="lesson-item-text"><span class="lesson-item-title">${t(l.id, 'title')}</span>`
          + `<span class="lesson-item-summary">${t(l.id, 'summary')}</span></span>`
          + `<span class="lesson-check${done ? ' done' : ''}" title="${done ? ui('ui.done') : ''}">${done ? '✓' : ''}</span></button></li>`;
      }).join('')
      : `<li>${esc(loadError || 'Loading…')}</li>`;
    el.innerHTML = `<div id="lessons-dialog" class="dialog wide lessons-dialog" role="dialog" aria-modal="true" data-lact="none">`
      + `<h2>${data ? ui('ui.list_title') : 'Lessons'}</h2><ol id="lesson-list" class="lesson-list">${items}</ol>`
      + `<button class="btn" data-lact="close-list">${data ? ui('ui.close') : 'Close'}</button></div>`;
  }

  function goalHtml(l) {
    const s = status();
    const cls = s.passed ? 'passed' : s.complete ? 'missed' : s.started ? 'running' : 'pending';
    const lines = l.goal.all.map((c, k) => {
      const st = s.conds[k] || { state: 'wait', measured: NaN };
      const mark = st.state === 'ok' ? '✓' : st.state === 'bad' ? '✗' : '·';
      return `<li class="cond ${st.state}" data-state="${st.state}"><span class="cond-mark">${mark}</span>${line(c, st.measured)}</li>`;
    }).join('');
    return `<div class="lesson-goal ${cls}" data-passed="${s.passed}" data-complete="${s.complete}">`
      + `<div class="lesson-goal-head"><span class="lesson-goal-label">${ui('ui.goal')}</span><span class="lesson-goal-text">${t(l.id, 'goal')}</span></div>`
      + `<ul class="lesson-conditions">${lines}</ul><div id="lesson-verdict" class="lesson-verdict">${ui(`ui.${cls}`)}</div>`
      + (s.passed ? `<p class="lesson-solved">${t(l.id, 'solved')}</p>` : '') + '</div>';
  }

  function predictHtml(l) {
    const p = l.predict;
    let h = `<h3>${ui('ui.predict')}</h3><p class="lesson-q">${t(l.id, 'predict.question')}</p><div class="predict-choices" role="radiogroup">`;
    for (let c = 1; c <= p.choices; c++) {
      const sel = choice === c;
      const verdict = revealed ? (c === p.answer ? ' answer' : sel ? ' wrong' : '') : '';
      h += `<button class="predict-choice${sel ? ' selected' : ''}${verdict}" role="radio" aria-checked="${sel}" data-lact="choice" data-arg="${c}"${revealed ? ' disabled' : ''}>${t(l.id, `predict.choice.${c}`)}</button>`;
    }
    h += '</div>';
    if (revealed) {
      const right = choice === p.answer;
      h += `<p id="predict-reveal" class="predict-reveal ${right ? 'right' : 'wrong'}"><strong>${ui(right ? 'ui.right' : 'ui.wrong')}</strong> ${t(l.id, 'predict.reveal')}</p>`;
    } else {
      h += `<p class="lesson-hint">${ui('ui.predict_hint')}</p>`;
    }
    return h;
  }

  const describe = (e) => Object.entries(e).filter(([k]) => k !== 'edit')
    .map(([k, v]) => ` ${k}=${k === 'component' && typeof v === 'object' ? v.id : typeof v === 'string' ? v : JSON.stringify(v)}`)
    .reduce((a, b) => a + b, e.edit);

  function renderPanel() {
    let el = $('lesson-panel');
    const l = data?.lessons[current];
    if (!l) { el?.remove(); return; }
    if (!el) {
      el = document.createElement('aside');
      el.id = 'lesson-panel';
      el.className = embed ? 'lesson-panel embed' : 'lesson-panel';
      document.body.appendChild(el);
    }
    el.dataset.lesson = String(current + 1);
    el.dataset.lessonId = l.id;
    const n = data.lessons.length;
    const title = `<h2 id="lesson-title" class="lesson-title">${embed ? `${current + 1}. ` : ''}${t(l.id, 'title')}</h2>`;
    if (embed) {
      el.innerHTML = `${title}<div id="lesson-goal">${goalHtml(l)}</div>`;
      return;
    }
    const nav = (to, id, key) => (to >= 0 && to < n
      ? `<button id="${id}" class="btn" data-lact="open" data-arg="${to}">${ui(key)}</button>`
      : `<button id="${id}" class="btn" disabled>${ui(key)}</button>`);
    el.innerHTML = `<div class="lesson-top"><span class="lesson-badge">${ui('ui.lesson').replace('{0}', current + 1)}</span>`
      + `<button class="notice-close" data-lact="close" aria-label="${ui('ui.close')}">×</button></div>${title}`
      + `<div id="lesson-goal">${goalHtml(l)}</div>`
      + `<div class="lesson-text" id="lesson-explanation">${t(l.id, 'explanation').split('\n\n').map((p) => `<p>${p}</p>`).join('')}</div>`
      + `<section class="lesson-predict" id="lesson-predict">${predictHtml(l)}</section>`
      + `<section class="lesson-steps"><h3>${ui('ui.steps')}</h3><ol>${Array.from({ length: l.steps }, (_, k) => `<li>${t(l.id, `step.${k + 1}`)}</li>`).join('')}</ol></section>`
      + `<details class="lesson-solution"><summary>${ui('ui.solution')}</summary><p class="lesson-hint">${ui('ui.solution_hint')}</p>`
      + `<ul class="mono">${l.solution.map((e) => `<li>${esc(describe(e))}</li>`).join('')}</ul>`
      + `<button id="lesson-apply-solution" class="btn btn-primary" data-lact="solution">${ui('ui.solution')}</button></details>`
      + `<div class="lesson-nav">${nav(current - 1, 'lesson-prev', 'ui.prev')}${nav(current + 1, 'lesson-next', 'ui.next')}</div>`;
  }

  // The app re-rendered the goal status: update the goal box, reveal the answer, save a pass.
  function onStatus() {
    const l = data?.lessons[current];
    if (!l) return;
    const s = status();
    const box = $('lesson-goal');
    if (box) box.innerHTML = goalHtml(l);
    if (!revealed && choice && s.started) {
      revealed = true;
      const p = $('lesson-predict');
      if (p) p.innerHTML = predictHtml(l);
    }
    // The goal's span is over: stop the clock once, so the verdict stays in view.
    if (s.complete && !stopped) {
      stopped = true;
      if (!$('pause')?.disabled) $('pause')?.click();
    }
    if (!s.complete) stopped = false;
    if (s.passed && !passed.includes(l.id)) {
      passed.push(l.id);
      try { localStorage.setItem(KEY, JSON.stringify(passed)); } catch (_) { /* private mode */ }
    }
  }

  document.addEventListener('click', (e) => {
    if (e.target.closest?.('#lessons-open')) {
      listOpen = !listOpen;
      renderList();
      return;
    }
    const el = e.target.closest?.('[data-lact]');
    if (!el) return;
    const arg = Number(el.dataset.arg || 0);
    switch (el.dataset.lact) {
      case 'close-list': listOpen = false; renderList(); break;
      case 'open': open(arg); break;
      case 'close': close(); break;
      case 'choice':
        if (!revealed) { choice = arg; const l = data.lessons[current]; $('lesson-predict').innerHTML = predictHtml(l); }
        break;
      case 'solution': applySolution(); break;
      default:
    }
  });
  document.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && listOpen) { listOpen = false; renderList(); }
  });

  let loadError = '';
  let stopped = false;
  let lastStatus = '';
  let lastLang = '';
  // Follow the status and the language (the app re-renders both; checking on
  // a short timer is simpler and cheaper than observing the whole app).
  setInterval(() => {
    const s = $('lesson-status');
    const key = s ? `${s.dataset.goal}|${s.dataset.conds}` : '';
    if (key !== lastStatus) { lastStatus = key; onStatus(); }
    if (lang() !== lastLang) { lastLang = lang(); renderPanel(); if (listOpen) renderList(); }
  }, 150);

  (async () => {
    try {
      const [lessons, en, ko] = await Promise.all(['lessons.json', 'en.json', 'ko.json'].map((f) => get(f).then(JSON.parse)));
      data = { lessons, en, ko };
    } catch (e) {
      loadError = String(e);
      renderList();
      return;
    }
    if (listOpen) renderList();
    const n = Number(params.get('lesson'));
    if (n >= 1 && n <= data.lessons.length) {
      // Wait for the app (the wasm) to mount its bridge.
      for (let k = 0; k < 300 && !$('lesson-bridge'); k++) await new Promise((r) => setTimeout(r, 100));
      open(n - 1);
    }
  })();

  window.scalelabLessons = {
    open: (n) => open(n - 1),
    applySolution,
    close,
    get current() { return current + 1; },
    get passed() { return passed.slice(); },
    /** How many times a solution was loaded (for tests). */
    get solutionsApplied() { return solutionsApplied; },
  };
})();
