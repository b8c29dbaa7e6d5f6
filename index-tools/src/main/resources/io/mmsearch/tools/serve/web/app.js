// mmsearch web page: plain JavaScript against the JSON API of `mmsearch serve`.
(function () {
  'use strict';
  const $ = (id) => document.getElementById(id);
  // like/unlike: the examples of relevance feedback, document ids in the order they were added.
  const state = { image: null, like: [], unlike: [], classes: new Set() };

  function mode() {
    return document.querySelector('input[name="mode"]:checked').value;
  }

  function params() {
    const p = new URLSearchParams();
    const q = $('q').value.trim();
    if (q) p.set('q', q);
    p.set('mode', mode());
    if ($('target').value) p.set('target', $('target').value); // auto: the server's default
    if ($('diverse').checked) {
      p.set('collapse', 'true');
      p.set('mmr', $('diverse').dataset.lambda);
    }
    state.like.forEach((id) => p.append('like', id));
    state.unlike.forEach((id) => p.append('unlike', id));
    state.classes.forEach((c) => p.append('class', c));
    p.set('size', '24');
    return p;
  }

  function onlyMoreLike() {
    return !$('q').value.trim() && !state.image && state.like.length > 0 && state.unlike.length === 0;
  }

  async function search() {
    const p = params();
    renderExamples();
    if (!p.has('q') && state.like.length === 0 && !state.image) {
      status(state.unlike.length
        ? 'Less like needs something to look for: type a query, drop an image, or add a "more like" example.'
        : 'Type a query, drop an image, or click a result for more like it.');
      return;
    }
    status('Searching\u2026');
    const init = state.image
      ? { method: 'POST', body: state.image, headers: { 'Content-Type': state.image.type || 'application/octet-stream' } }
      : { method: 'GET' };
    // One request: the response's class counts are drill-sideways (every other class is counted
    // as if no class were chosen), so the list stays switchable without a second search.
    let body;
    try {
      const res = await fetch('/api/search?' + p.toString(), init);
      body = await res.json();
      if (!res.ok) throw new Error(body.error || res.statusText);
    } catch (e) {
      status(e.message, true);
      return;
    }
    render(body);
  }

  function status(text, isError) {
    const s = $('status');
    s.textContent = text;
    s.classList.toggle('error', !!isError);
  }

  function render(body) {
    const results = $('results');
    results.replaceChildren();
    for (const hit of body.hits) {
      const card = document.createElement('div');
      card.className = 'hit';
      card.dataset.id = hit.id;
      card.title = 'More like this';
      const img = document.createElement('img');
      img.src = hit.image;
      img.alt = hit.caption || hit.id;
      img.loading = 'lazy';
      const caption = document.createElement('div');
      caption.className = 'caption';
      caption.textContent = hit.caption || hit.id;
      const meta = document.createElement('div');
      meta.className = 'meta';
      meta.textContent = (hit['class'] ? hit['class'] + ' \u00b7 ' : '') + 'score ' + Number(hit.score).toFixed(3);
      card.append(img, caption, meta);
      if (hit.duplicates && hit.duplicates.length) {
        const dup = document.createElement('div');
        dup.className = 'duplicates';
        dup.textContent = '+' + hit.duplicates.length + ' near-duplicate' + (hit.duplicates.length === 1 ? '' : 's');
        dup.title = hit.duplicates.join(', ');
        card.append(dup);
      }
      const actions = document.createElement('div');
      actions.className = 'feedback';
      actions.append(
        feedbackButton('more', '+', 'More like this (keeps the query)', () => addExample(state.like, state.unlike, hit.id)),
        feedbackButton('less', '\u2212', 'Less like this', () => addExample(state.unlike, state.like, hit.id)));
      card.append(actions);
      card.addEventListener('click', () => moreLike(hit));
      results.append(card);
    }
    const what = onlyMoreLike() ? 'More like ' + state.like.join(', ') : 'Results';
    status(what + ': ' + body.hits.length + ' of ' + body.total + ' matches (' + body.took_ms + ' ms)');
    renderFacets(body.facets['class']);
  }

  function renderFacets(counts) {
    const aside = $('facets');
    aside.replaceChildren();
    const values = new Map(counts.map((c) => [c.value, c.count]));
    state.classes.forEach((c) => { if (!values.has(c)) values.set(c, 0); });
    if (values.size === 0) return;
    const h = document.createElement('h2');
    h.textContent = 'Classes';
    aside.append(h);
    for (const [value, count] of values) {
      const b = document.createElement('button');
      b.type = 'button';
      b.className = 'facet' + (state.classes.has(value) ? ' active' : '');
      b.dataset.value = value;
      const name = document.createElement('span');
      name.textContent = value;
      const n = document.createElement('span');
      n.className = 'count';
      n.textContent = count;
      b.append(name, n);
      b.addEventListener('click', () => {
        if (state.classes.has(value)) state.classes.delete(value); else state.classes.add(value);
        search();
      });
      aside.append(b);
    }
  }

  function feedbackButton(kind, label, title, action) {
    const b = document.createElement('button');
    b.type = 'button';
    b.className = kind;
    b.textContent = label;
    b.title = title;
    b.setAttribute('aria-label', title);
    b.addEventListener('click', (e) => { e.stopPropagation(); action(); });
    return b;
  }

  // Adds id to one example list (removing it from the other) and searches again with the query kept.
  function addExample(list, other, id) {
    const i = other.indexOf(id);
    if (i >= 0) other.splice(i, 1);
    if (!list.includes(id)) list.push(id);
    search();
  }

  // The examples in use, each with its thumbnail and a button that removes it.
  function renderExamples() {
    const bar = $('examples');
    bar.replaceChildren();
    const groups = [['More like', state.like, 'more'], ['Less like', state.unlike, 'less']];
    for (const [title, list, kind] of groups) {
      if (!list.length) continue;
      const label = document.createElement('span');
      label.className = 'examples-label';
      label.textContent = title + ':';
      bar.append(label);
      for (const id of list) {
        const chip = document.createElement('span');
        chip.className = 'example ' + kind;
        chip.dataset.id = id;
        const img = document.createElement('img');
        img.src = '/api/image/' + encodeURIComponent(id);
        img.alt = id;
        const name = document.createElement('span');
        name.textContent = id;
        const remove = feedbackButton('remove', '\u00d7', 'Remove this example', () => {
          list.splice(list.indexOf(id), 1);
          search();
        });
        chip.append(img, name, remove);
        bar.append(chip);
      }
    }
    bar.hidden = !state.like.length && !state.unlike.length;
  }

  // Clicking a result starts over from it: more like this one document.
  function moreLike(hit) {
    state.like = [hit.id];
    state.unlike = [];
    state.image = null;
    showImage(null);
    $('q').value = '';
    search();
  }

  function useImage(file) {
    if (!file) return;
    state.image = file;
    state.like = [];
    state.unlike = [];
    showImage(file);
    search();
  }

  function showImage(file) {
    const img = $('query-image');
    if (img.src) URL.revokeObjectURL(img.src);
    img.hidden = !file;
    $('clear-image').hidden = !file;
    $('drop-label').hidden = !!file;
    if (file) img.src = URL.createObjectURL(file); else img.removeAttribute('src');
  }

  // A page opened as /?q=...&mode=...&class=... runs that search at once, so searches can be linked.
  function fromLocation() {
    const p = new URLSearchParams(window.location.search);
    // The server's default mode (SearchMode.DEFAULT), written into the page when it is served.
    const byDefault = document.querySelector('input[name="mode"][value="' + $('modes').dataset.default + '"]');
    if (byDefault) byDefault.checked = true;
    if (p.get('q')) $('q').value = p.get('q');
    const m = p.get('mode');
    if (m && document.querySelector('input[name="mode"][value="' + m + '"]')) {
      document.querySelector('input[name="mode"][value="' + m + '"]').checked = true;
    }
    const targets = $('target');
    targets.value = p.get('target') || targets.dataset.default;
    state.like = p.getAll('like');
    state.unlike = p.getAll('unlike');
    p.getAll('class').forEach((c) => state.classes.add(c));
    if (p.get('q') || state.like.length) search();
  }

  $('search-form').addEventListener('submit', (e) => {
    e.preventDefault();
    search();
  });
  $('target').addEventListener('change', search);
  $('diverse').addEventListener('change', search);
  document.querySelectorAll('input[name="mode"]').forEach((r) => r.addEventListener('change', search));
  $('file').addEventListener('change', (e) => useImage(e.target.files[0]));
  $('clear-image').addEventListener('click', () => { state.image = null; showImage(null); $('file').value = ''; search(); });
  const drop = $('drop');
  drop.addEventListener('dragover', (e) => { e.preventDefault(); drop.classList.add('over'); });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', (e) => {
    e.preventDefault();
    drop.classList.remove('over');
    useImage(e.dataTransfer.files[0]);
  });
  fromLocation();
})();
